"""Free text over enquiries with the database's own full-text index (PostgreSQL or SQLite FTS5).

Both sides split text into words the same way (letters and digits; e-mail addresses into their
parts) and match every word of the query as a prefix, so ``kommun`` finds "kommunen" on either.
The match only filters: callers order by an indexed column and limit, never by rank, so a
common word costs no more than a rare one. PostgreSQL reads along the primary key and tests the
stored tsvector (or, for a rare word, uses the GIN index); SQLite lets FTS5 drive in rowid order,
with prefix indexes (2 to 10 characters) so that a prefix is one stored list, read lazily.
"""

from __future__ import annotations

import re

from sqlalchemy import ColumnElement, Select, column, literal_column, select, table, text

from portal.intake.models import Enquiry

MAX_TERMS = 8
MIN_TERM_LENGTH = 2  # a one-letter prefix matches nearly everything and costs a full scan
MAX_TERM_LENGTH = 60
WORD = re.compile(r"[^\W_]+")
# PostgreSQL: a stored generated tsvector column with a GIN index (migration 0005_inbox);
# SQLite: the FTS5 table enquiry_fts over the same columns, kept in step by triggers.
PG_MATCH = "enquiry.search_vector @@ to_tsquery('simple'::regconfig, :inbox_tsquery)"
FTS_MATCH = "enquiry_fts MATCH :inbox_fts"
FTS = table("enquiry_fts", column("rowid"))


def search_terms(q: str | None) -> list[str]:
    """The words of a query, lower-cased, at most MAX_TERMS (query syntax is never passed on)."""
    words = (
        word.lower()[:MAX_TERM_LENGTH]
        for word in WORD.findall(q or "")
        if len(word) >= MIN_TERM_LENGTH
    )
    return list(dict.fromkeys(words))[:MAX_TERMS]


def _fts_query(terms: list[str]) -> str:
    # Terms hold letters and digits only, so quoting them cannot break out of the string.
    return " AND ".join(f'"{term}"*' for term in terms)


def matches(terms: list[str], dialect: str) -> ColumnElement[bool]:
    """A WHERE clause: the enquiry contains every term (as a word prefix)."""
    if not terms:
        raise ValueError("matches() needs at least one term")
    if dialect == "postgresql":
        tsquery = " & ".join(f"{term}:*" for term in terms)
        return text(PG_MATCH).bindparams(inbox_tsquery=tsquery)
    if dialect == "sqlite":
        matching = select(FTS.c.rowid).where(
            text(FTS_MATCH).bindparams(inbox_fts=_fts_query(terms))
        )
        # "id + 0" keeps SQLite from driving the query by the match list (a rowid lookup and a
        # sort for every match): it reads the page's own index and tests each row against the
        # list, cheap both for a common word (a page is found at once) and a rare one.
        return (Enquiry.id + literal_column("0")).in_(matching)
    raise ValueError(f"no full-text search for {dialect}")


def restrict(
    stmt: Select, terms: list[str], dialect: str, by_id: bool
) -> tuple[Select, ColumnElement]:
    """``stmt`` limited to matches, and the column that holds the enquiry id to page by.

    With ``by_id`` (the page is in id order) on SQLite, the FTS5 table drives the query in
    rowid order, so a LIMIT stops after a page of matches instead of collecting them all.
    """
    if not terms:
        return stmt, Enquiry.id
    if dialect == "sqlite" and by_id:
        condition = text(FTS_MATCH).bindparams(inbox_fts=_fts_query(terms))
        driven = stmt.select_from(FTS).join(Enquiry, Enquiry.id == FTS.c.rowid).where(condition)
        return driven, FTS.c.rowid
    return stmt.where(matches(terms, dialect)), Enquiry.id

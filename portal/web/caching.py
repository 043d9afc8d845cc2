"""Everything the portal keeps in the application cache, declared in one place.

The cache is Flask-Caching's (``portal.extensions.cache``): ``SimpleCache`` in the process's
memory by default and in tests, Redis shared by every instance in production
(``CACHE_REDIS_URL``), so a deletion reaches every instance at once. Nothing personal and no
token is ever kept. A feature caches only what is declared here, with this key and timeout,
and deletes it where the declaration says.

With ``FLASK_DEBUG=1`` (and no ``CACHE_REDIS_URL``) nothing is kept, so a changed template or
catalogue shows at once. Browsers and proxies keep what is the same for everyone as well
(``portal.web.http_caching``).
"""

from __future__ import annotations

from typing import NamedTuple

from flask import request


class Cached(NamedTuple):
    """One thing kept in the cache: its key and how many seconds at most it is kept."""

    key: str
    seconds: int


# The inbox's counts per status and of overdue enquiries, capped
# (``portal.inbox.queries.status_counts``): the same for every staff member, and the list's most
# expensive statement. Deleted by every change made through the inbox
# (``portal.inbox.services.commit``); an enquiry that arrives shows in them within the timeout.
STATUS_COUNTS = Cached("inbox/status-counts", 30)

# The same counts under one filter of the list (``portal.inbox.queries.status_counts``), one entry
# per filter and staff member ("assigned to me"), shared by every tab and sort order of that
# filter: a tab that is rare among many matches costs a scan through them. Deleted with
# STATUS_COUNTS (``portal.inbox.queries.forget_counts``), all at once through Flask-Caching's
# ``delete_memoized``; nothing personal is kept, the key is a hash of the filter.
FILTERED_COUNTS = Cached("inbox/filtered-counts", 30)

# The overview's figures for one period (``portal.inbox.overview_views``), keyed by its first and
# last day: the same for every staff member, and a handful of aggregate statements over up to
# years of enquiries. Never deleted: a change shows within the timeout, which is short enough
# for figures that are read as trends, not as the state of one enquiry.
OVERVIEW = Cached("inbox/overview", 120)

# A new enquiry form's questions as HTML (``templates/intake/_fields.html``, on the site and in
# the embed), keyed by language and mount point: the same for every visitor, and what rendering
# the form costs most. Only a new form without pre-filled answers is taken from here; the
# visitor's own token, the messages and anything typed are rendered around it every time
# (``portal.intake.handling``). Never deleted: it changes only with a release, so a short
# timeout lets a new release's questions reach every instance soon after it.
ENQUIRY_FORM_FIELDS = Cached("intake/new-form-fields", 60)

# The pages that are the same for everyone (landing page, privacy notice, accessibility
# statement: ``portal.public.views``) as rendered HTML, keyed by mount point and path (so by
# language). Browsers and proxies keep them too (``portal.web.http_caching``); this spares the
# server rendering a page it has just rendered for someone else. Never deleted: they change only
# with a release or its configuration, so a short timeout lets the change reach every instance.
PUBLIC_PAGES = Cached("public/page", 60)


def public_page_key(**_view_args) -> str:
    """The key of the current request's page under PUBLIC_PAGES (Flask-Caching's
    ``make_cache_key``, given the view's arguments: the path already holds them)."""
    return f"{PUBLIC_PAGES.key}:{request.script_root}{request.path}"

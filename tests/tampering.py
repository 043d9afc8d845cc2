"""Tampering with a signed token the same way in every test: one character in its middle changed.

A token is base64 segments joined by dots (itsdangerous). The last character of a segment may
carry bits that decoding throws away, so changing it, as ``token[:-2] + "xx"`` did, can leave
the decoded bytes and the signature intact: the test then fails once in a while on a valid
token. A character inside a segment always changes the bytes it decodes to.
"""

from __future__ import annotations


def tampered(token: str) -> str:
    """``token`` with the character nearest its middle that is not the last of a segment
    changed. Raises ValueError for a token with no such character."""
    middle = len(token) // 2
    inside = [i for i in range(len(token) - 1) if "." not in token[i : i + 2]]
    if not inside:
        raise ValueError(f"no character inside a segment of {token!r}")
    index = min(inside, key=lambda i: abs(i - middle))
    replacement = "A" if token[index] != "A" else "B"
    return token[:index] + replacement + token[index + 1 :]

"""The portal's two areas: the public site (no cookie, nothing personal) and the staff area."""

from __future__ import annotations

STAFF_PREFIX = "/inbox"  # every staff page, and only staff pages, lives under it


def is_staff_path(path: str) -> bool:
    """True for a path in the staff area (the only place with sessions and personal data)."""
    return path == STAFF_PREFIX or path.startswith(STAFF_PREFIX + "/")

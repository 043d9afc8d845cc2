"""The film: from ``FILM_URL`` to the provider's privacy-enhanced player address."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode, urlsplit

_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{6,20}$")
_VIMEO_ID = re.compile(r"^\d{4,12}$")
YOUTUBE_HOSTS = {
    "youtube.com",
    "www.youtube.com",
    "m.youtube.com",
    "youtu.be",
    "www.youtube-nocookie.com",
    "youtube-nocookie.com",
}
VIMEO_HOSTS = {"vimeo.com", "www.vimeo.com", "player.vimeo.com"}


@dataclass(frozen=True)
class Film:
    """What the facade needs: where to watch, what to frame, and the transcript."""

    provider: str
    watch_url: str
    embed_url: str | None
    transcript_url: str | None


def _youtube_id(parts) -> str | None:
    host = parts.hostname or ""
    segments = [s for s in parts.path.split("/") if s]
    if host == "youtu.be" and segments:
        return segments[0]
    if segments[:1] == ["watch"] or not segments:
        return (parse_qs(parts.query).get("v") or [None])[0]
    if len(segments) >= 2 and segments[0] in {"embed", "shorts", "live", "v"}:
        return segments[1]
    return None


def film_from_config(film_url: str | None, transcript_url: str | None) -> Film | None:
    """Parse ``FILM_URL``; an unknown provider gets a plain link and no frame (CSP allows two)."""
    if not film_url:
        return None
    parts = urlsplit(film_url)
    host = (parts.hostname or "").lower()
    if parts.scheme not in {"http", "https"}:
        return None
    if host in YOUTUBE_HOSTS:
        video = _youtube_id(parts)
        if video and _YOUTUBE_ID.match(video):
            query = urlencode({"autoplay": 1, "rel": 0})
            embed = f"https://www.youtube-nocookie.com/embed/{video}?{query}"
            return Film("YouTube", film_url, embed, transcript_url)
    if host in VIMEO_HOSTS:
        segments = [s for s in parts.path.split("/") if s]
        video = next((s for s in segments if _VIMEO_ID.match(s)), None)
        if video:
            params = {"dnt": 1, "autoplay": 1}
            private_hash = (parse_qs(parts.query).get("h") or [None])[0]
            after = segments[segments.index(video) + 1 :] if video in segments else []
            private_hash = private_hash or (after[0] if after else None)
            if private_hash and re.fullmatch(r"[0-9a-f]{6,20}", private_hash):
                params["h"] = private_hash
            embed = f"https://player.vimeo.com/video/{video}?{urlencode(params)}"
            return Film("Vimeo", film_url, embed, transcript_url)
    return Film("", film_url, None, transcript_url)

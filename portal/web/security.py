"""Security headers on every response; ``frame-ancestors 'none'`` unless a view allows framing."""

from __future__ import annotations

from flask import Flask, Response, current_app, g

FILM_FRAME_SOURCES = ("https://www.youtube-nocookie.com", "https://player.vimeo.com")
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
        "interest-cohort",
        "browsing-topics",
    )
)
HSTS = "max-age=31536000; includeSubDomains"


def allow_framing_by(origins: list[str]) -> None:
    """Let ``origins`` frame the current response (the embed routes); others stay 'none'."""
    g.frame_ancestors = list(origins)


def allow_cross_origin_loading() -> None:
    """Mark the current response loadable by other sites (``/embed.js``)."""
    g.cross_origin_resource = True


def content_security_policy(frame_ancestors: list[str] | None) -> str:
    ancestors = " ".join(frame_ancestors) if frame_ancestors else "'none'"
    directives = {
        "default-src": "'none'",
        "script-src": "'self'",
        "style-src": "'self'",
        "img-src": "'self'",
        "font-src": "'self'",
        "connect-src": "'self'",
        "form-action": "'self'",
        "frame-src": " ".join(FILM_FRAME_SOURCES),
        "base-uri": "'none'",
        "object-src": "'none'",
        "manifest-src": "'self'",
        "frame-ancestors": ancestors,
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


# Every page that no other site may frame (all but the embed's) sends this one policy.
UNFRAMED_POLICY = content_security_policy(None)


def _set_headers(response: Response) -> Response:
    frame_ancestors = g.get("frame_ancestors")
    headers = response.headers
    if frame_ancestors is None:
        headers["Content-Security-Policy"] = UNFRAMED_POLICY
        headers["X-Frame-Options"] = "DENY"
    else:
        headers["Content-Security-Policy"] = content_security_policy(frame_ancestors)
        headers.pop("X-Frame-Options", None)
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
    headers["Permissions-Policy"] = PERMISSIONS_POLICY
    headers["Cross-Origin-Resource-Policy"] = (
        "cross-origin" if g.get("cross_origin_resource") else "same-origin"
    )
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    if current_app.config["PUBLIC_HTTPS"]:
        headers["Strict-Transport-Security"] = HSTS
    return response


def init_app(app: Flask) -> None:
    app.after_request(_set_headers)

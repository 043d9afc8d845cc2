"""Compressed responses: Flask-Compress (configured in ``portal.config``), plus closing the file
under a compressed stream.

Flask-Compress compresses a streamed response (a static file) by swapping its body for a
generator, so the WSGI server's ``close()`` reaches the generator and never the file underneath;
the file would stay open until the garbage collector found it. Registering the original body's
``close`` on the response keeps the file's lifetime tied to the response, compressed or not.
"""

from __future__ import annotations

from flask import Flask, Response


def _close_original_stream(response: Response) -> Response:
    if response.is_streamed:
        close = getattr(response.response, "close", None)
        if close is not None:
            response.call_on_close(close)
    return response


def init_app(app: Flask) -> None:
    # Registered after Flask-Compress, so it runs before it and still sees the original body.
    app.after_request(_close_original_stream)

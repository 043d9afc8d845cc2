"""``flask --app wsgi public …``: the images the public site ships, made from its own sources.

``social-image`` renders the Open Graph preview (the wordmark and the centre's name) to
``static/img/social-preview.png``; ``screenshots`` serves the portal on a loopback port and
photographs the landing page and the form at 375 and 1280 px for the README. Both drive the
machine's Chromium headless, so the pictures are what a visitor's browser draws.
"""

from __future__ import annotations

import subprocess
import tempfile
import threading
from pathlib import Path

import click
from flask import current_app, render_template
from flask.cli import AppGroup
from werkzeug.serving import make_server

public_cli = AppGroup("public", help="Images of the public site (social preview, screenshots).")

SCREENSHOTS = {  # file name -> (path, width, height)
    "landing-1280.png": ("/", 1280, 1400),
    "landing-375.png": ("/", 375, 1400),
    "form-1280.png": ("/kontakt", 1280, 1400),
    "form-375.png": ("/kontakt", 375, 1400),
}


def _chromium_option(command):
    return click.option(
        "--chromium",
        default="chromium",
        show_default=True,
        help="The Chromium (or Chrome) executable to draw with.",
    )(command)


def screenshot(chromium: str, url: str, out: Path, width: int, height: int) -> None:
    """One PNG of ``url`` at ``width`` × ``height`` CSS pixels."""
    subprocess.run(  # noqa: S603 - the operator's own Chromium, a fixed argument list
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--force-device-scale-factor=1",
            f"--window-size={width},{height}",
            f"--screenshot={out}",
            url,
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )


def _mark() -> str:
    """The wordmark's symbol (the favicon's drawing), inlined."""
    return (Path(current_app.static_folder) / "img" / "favicon.svg").read_text()


@public_cli.command("social-image")
@_chromium_option
def social_image(chromium: str) -> None:
    """Render static/img/social-preview.png (1200 × 630) from templates/public/social_image.html."""
    out = Path(current_app.static_folder) / "img" / "social-preview.png"
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "social.html"
        page.write_text(render_template("public/social_image.html", mark=_mark()))
        screenshot(chromium, page.as_uri(), out, 1200, 630)
    click.echo(f"Wrote {out} ({out.stat().st_size} bytes).")


@public_cli.command("screenshots")
@_chromium_option
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder for the PNG files (default: static/img/screenshots, which the README shows).",
)
def screenshots(chromium: str, out_dir: Path | None) -> None:
    """Photograph the landing page and the form at 375 and 1280 px (for the README)."""
    out_dir = out_dir or Path(current_app.static_folder) / "img" / "screenshots"
    out_dir.mkdir(parents=True, exist_ok=True)
    server = make_server("127.0.0.1", 0, current_app._get_current_object(), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        for name, (path, width, height) in SCREENSHOTS.items():
            url = f"http://127.0.0.1:{server.server_port}{path}"
            screenshot(chromium, url, out_dir / name, width, height)
            click.echo(f"Wrote {out_dir / name}")
    finally:
        server.shutdown()
        thread.join()

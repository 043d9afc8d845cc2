"""The host's accent colour: validated, and used only where it keeps WCAG AA contrast on white."""

from __future__ import annotations

import re

_HEX = re.compile(r"^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
WHITE = "ffffff"
AA_NORMAL_TEXT = 4.5  # WCAG 2.x 1.4.3: the accent colours link text and carries white button text


def normalise_colour(value: str | None) -> str | None:
    """``#rgb`` / ``#rrggbb`` (the ``#`` optional) as six lower-case hex digits, else None."""
    match = _HEX.match((value or "").strip())
    if not match:
        return None
    digits = match.group(1).lower()
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return digits


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(hex6: str) -> float:
    """WCAG relative luminance of six hex digits."""
    r, g, b = (int(hex6[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(first: str, second: str) -> float:
    """WCAG contrast ratio between two six-digit hex colours (1 to 21)."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def darker(hex6: str, amount: float = 0.3) -> str:
    """The colour mixed with ``amount`` black (for hover states; only ever raises contrast)."""
    channels = (int(hex6[i : i + 2], 16) for i in (0, 2, 4))
    return "".join(f"{round(c * (1 - amount)):02x}" for c in channels)


def usable_accent(value: str | None) -> str | None:
    """The accent as six hex digits if it is valid and AA-contrasting on white, else None."""
    colour = normalise_colour(value)
    if colour is None or contrast_ratio(colour, WHITE) < AA_NORMAL_TEXT:
        return None
    return colour

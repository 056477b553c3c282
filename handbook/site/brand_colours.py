"""Brand colour arithmetic: WCAG contrast, the header's ink, the CSS variables. Pure.

:mod:`handbook.site.brand` applies it to the site; the PDF cover reads the same setting.
"""

from __future__ import annotations

import re
from pathlib import Path

HEX_RE = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
LOGO_SUFFIXES = (".svg", ".png", ".jpg", ".jpeg", ".gif", ".webp")
WHITE, INK, BLACK = "#ffffff", "#1f2328", "#000000"
#: the background of the sidebar's current link, where the brand colour is text
NAV_BACKGROUND = "#eaf0f7"
MIN_CONTRAST = 4.5


def check_color(value: str) -> str:
    """A setting check: "" (no colour) or ``#rgb`` / ``#rrggbb``."""
    if not value or HEX_RE.match(value.strip()):
        return ""
    return 'must be a colour written #rrggbb (e.g. "#1a5fb4") or #rgb'


def check_logo(value: str) -> str:
    """A setting check: "" (no logo), a URL, or an image file."""
    if not value or "://" in value:
        return ""
    if Path(value).suffix.lower() not in LOGO_SUFFIXES:
        return "must be an image file (" + ", ".join(LOGO_SUFFIXES) + ")"
    return ""


def rgb(color: str) -> tuple[int, int, int]:
    c = color.strip().lstrip("#")
    if len(c) == 3:
        c = "".join(ch * 2 for ch in c)
    return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)


def luminance(color: str) -> float:
    """WCAG 2 relative luminance."""

    def channel(v: int) -> float:
        s = v / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb(color))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def ink_on(background: str) -> str:
    """White or dark text, whichever contrasts more (black if the theme's dark ink is not enough)."""
    best = max((WHITE, INK), key=lambda c: contrast(c, background))
    return (
        best
        if contrast(best, background) >= MIN_CONTRAST
        else max((WHITE, BLACK), key=lambda c: contrast(c, background))
    )


def brand_css(color: str) -> str:
    """The CSS variables for a brand colour (empty for none)."""
    if not color or not HEX_RE.match(color.strip()):
        return ""
    c = "#" + "".join(f"{v:02x}" for v in rgb(color))
    text = c if contrast(c, NAV_BACKGROUND) >= MIN_CONTRAST else INK
    return (
        f":root {{ --hb-brand: {c}; --hb-brand-ink: {ink_on(c)}; --hb-brand-text: {text}; }}"
        " .handbook-brand-company { opacity: 1; }"
    )  # full contrast for the smaller line too

"""A chart drawn at build time, made ready to sit inline in an HTML page.

The site draws its charts with the PDF's renderer and cache (:mod:`handbook.charts.svg`):
the drawing must not depend on the page it lands on, so the Mermaid source carries
placeholder links (``#hb-link-0``, ``#hb-link-1`` … in the order of the chart's linked
boxes, see :func:`placeholder_source`) and one drawing serves every page that shows the
chart. :func:`inline_svg` then gives the drawing its page: the real relative URLs as
``href``, ids unique on the page, an accessible name (``aria-label`` and ``<title>``) and
the site's CJK font list. Pure: no Sphinx.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from handbook.charts.mermaid_text import to_mermaid
from handbook.charts.model import Chart, Link

PLACEHOLDER = "#hb-link-{}"
_LINK = re.compile(r'(?:xlink:)?href="#hb-link-(\d+)"')
_ID = re.compile(r'(?<=\s)id="(?!hbchart-)')
_NOT_CSS_ID = re.compile(r"[^A-Za-z0-9_-]")
_SVG_OPEN = re.compile(r"<svg\b[^>]*>")
_FONT = re.compile(r"font-family:Noto Sans CJK SC")


def chart_links(chart: Chart) -> list[Link]:
    """The chart's links in the order :func:`to_mermaid` writes their ``click`` lines."""
    return [n.link for n in chart.nodes if n.link]


def placeholder_source(chart: Chart) -> str:
    """The chart's Mermaid source with placeholder links: the same for every page."""
    counter = iter(range(len(chart_links(chart))))
    return to_mermaid(chart, lambda _link: PLACEHOLDER.format(next(counter)))


def inline_svg(svg: str, *, chart_id: str, ident: str, name: str, hrefs: Sequence[str | None], fonts: str) -> str:
    """The drawing ``svg`` (root id ``chart_id``) for one place on one page.

    ``hrefs[i]`` is the URL of placeholder link ``i`` relative to the page (``None``: the
    target is not in the site, the box is not a link); ``ident`` makes the SVG's ids unique
    on the page; ``name`` is its accessible name; ``fonts`` the CSS font list for labels."""

    def link(m: re.Match) -> str:
        i = int(m.group(1))
        url = hrefs[i] if i < len(hrefs) else None
        return f'href="{html.escape(url, quote=True)}"' if url else ""

    # Mermaid's CSS selects by the SVG's id: only characters a CSS id selector takes as is
    prefix = _NOT_CSS_ID.sub("-", ident)
    svg = _LINK.sub(link, svg)
    svg = _ID.sub(f'id="{prefix}-', svg)
    svg = svg.replace(chart_id, f"{prefix}-svg")
    svg = _FONT.sub(f"font-family:{fonts}", svg)
    m = _SVG_OPEN.search(svg)
    if not m:
        return svg
    label = html.escape(name, quote=True)
    tag = m.group(0)[:-1] + f' aria-label="{label}">'
    title = f"<title>{html.escape(name)}</title>" if name else ""
    return svg[: m.start()] + tag + title + svg[m.end() :]

"""Mermaid source -> SVG, at build time, in one headless Chromium session.

The PDF shows the same charts as the site, drawn by the same Mermaid JavaScript, but as
vector graphics: each distinct chart is rendered once by headless Chromium (Debian's
``chromium``, driven by Playwright; no browser download) and cached by content hash in
``<cache>/<sha256>.svg``, so an unchanged chart is never rendered again. Labels are SVG
``<text>`` (``htmlLabels: false``): WeasyPrint does not draw ``foreignObject``.

No Sphinx imports: :func:`render_svgs` takes sources and returns SVG text.
"""

from __future__ import annotations

import concurrent.futures
import hashlib
import json
import mimetypes
import os
import re
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from handbook.charts.mermaid_js import find_elk_dir, mermaid_version
from handbook.charts.mermaid_text import MERMAID_LAYOUT

PDF_FONT = "Noto Sans CJK SC"
#: the charts' font size (CSS px) in print, as on screen; the builder never prints a chart
#: smaller than MIN_LABEL_PT (六号 is 7.5 pt)
FONT_PX = 15
MIN_LABEL_PT = 7.5
MIN_SCALE = MIN_LABEL_PT / (FONT_PX * 0.75)
#: and never larger than the tables' text (9 pt): a chart printed larger only takes room
MAX_LABEL_PT = 9.0
MAX_SCALE = MAX_LABEL_PT / (FONT_PX * 0.75)
#: Mermaid configuration for print: the site's layout (ELK, elbow connectors), SVG text
#: labels, an embeddable CJK font, no max-width
PDF_MERMAID_CONFIG = {
    "startOnLoad": False,
    "securityLevel": "strict",  # no click handlers: links are not followed in print
    "theme": "neutral",
    "fontFamily": PDF_FONT,
    "themeVariables": {"fontFamily": PDF_FONT, "fontSize": f"{FONT_PX}px"},
    **MERMAID_LAYOUT,
    "flowchart": {**MERMAID_LAYOUT["flowchart"], "htmlLabels": False, "useMaxWidth": False},
    "htmlLabels": False,
}
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
#: a made-up origin that never reaches the network: every request is answered from disk
ORIGIN = "http://handbook-charts.invalid"
BATCH = 40  # charts per call into the page


class ChartRenderError(Exception):
    """Chromium or Mermaid could not render the charts."""


@dataclass(frozen=True)
class RenderStats:
    total: int
    cached: int
    rendered: int


def find_chromium() -> str | None:
    env = os.environ.get("HANDBOOK_CHROMIUM")
    if env:
        return env
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


def versions(mermaid_dir: Path) -> str:
    """Mermaid's and the ELK layout's versions: a new one draws every chart again."""
    elk = find_elk_dir(mermaid_dir)
    return f"{mermaid_version(mermaid_dir)}+elk-{mermaid_version(elk) if elk else 'none'}"


def cache_key(source: str, version: str) -> str:
    payload = json.dumps([source, version, PDF_MERMAID_CONFIG], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def chart_id(source: str) -> str:
    """A document-wide unique id for the SVG (Mermaid scopes its CSS with it)."""
    return "hbchart-" + hashlib.sha256(source.encode("utf-8")).hexdigest()[:16]


_PAGE = """<!doctype html><html><head><meta charset="utf-8"></head><body>
<script type="module">
import mermaid from "./mermaid.esm.min.mjs";
import elkLayouts from "./elk/mermaid-layout-elk.esm.min.mjs";
mermaid.registerLayoutLoaders(elkLayouts);
mermaid.initialize(%s);
window.renderAll = async (charts) => {
  const out = [];
  for (const [id, source] of charts) {
    try {
      const r = await mermaid.render(id, source);
      out.push({svg: r.svg});
    } catch (e) {
      out.push({error: String(e && e.message || e)});
    }
  }
  return out;
};
window.mermaidReady = true;
</script></body></html>"""


def cache_path(cache_dir: Path, source: str, version: str) -> Path:
    return cache_dir / f"{cache_key(source, version)}.svg"


def draw_missing(
    sources: Sequence[str], mermaid_dir: Path, cache_dir: Path, chromium: str | None = None
) -> tuple[list[str], RenderStats, dict[str, str]]:
    """Draw the distinct ``sources`` not yet in ``cache_dir`` in one Chromium session and
    store them. Returns the distinct sources, the statistics and ``{source: svg}`` of those
    just drawn (the cached ones are not read)."""
    version = versions(mermaid_dir)
    cache_dir.mkdir(parents=True, exist_ok=True)
    distinct = list(dict.fromkeys(sources))
    todo = [src for src in distinct if not cache_path(cache_dir, src, version).exists()]
    drawn_now: dict[str, str] = {}
    if todo:
        # Playwright's sync API refuses to run in a thread with a running asyncio loop (a
        # notebook, a test session with a browser open): draw in a thread of our own
        with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
            drawn = pool.submit(_render_in_chromium, todo, mermaid_dir, chromium).result()
        for src, svg in zip(todo, drawn, strict=True):
            svg = clean_svg(svg)
            path = cache_path(cache_dir, src, version)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(svg, encoding="utf-8")
            tmp.replace(path)
            drawn_now[src] = svg
    return distinct, RenderStats(len(distinct), len(distinct) - len(todo), len(todo)), drawn_now


def render_svgs(
    sources: Sequence[str], mermaid_dir: Path, cache_dir: Path, chromium: str | None = None
) -> tuple[dict[str, str], RenderStats]:
    """Return ``{source: svg}`` for every distinct source; render only those not cached."""
    distinct, stats, result = draw_missing(sources, mermaid_dir, cache_dir, chromium)
    version = versions(mermaid_dir)
    for src in distinct:
        if src not in result:
            result[src] = cache_path(cache_dir, src, version).read_text(encoding="utf-8")
    return result, stats


def _render_in_chromium(sources: list[str], mermaid_dir: Path, chromium: str | None) -> list[str]:
    exe = chromium or find_chromium()
    if exe is None:
        raise ChartRenderError("Chromium was not found (Debian package `chromium`; or set HANDBOOK_CHROMIUM)")
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        raise ChartRenderError("the Python package playwright is missing (pip install 'handbook[pdf]')") from exc
    page_html = _PAGE % json.dumps(PDF_MERMAID_CONFIG)
    elk = find_elk_dir(mermaid_dir)
    if elk is None:
        raise ChartRenderError("Mermaid's ELK layout was not found (npm @mermaid-js/layout-elk, next to mermaid)")

    def serve(route) -> None:
        rel = route.request.url[len(ORIGIN) + 1 :].split("?", 1)[0]
        if rel in ("", "index.html"):
            route.fulfill(status=200, content_type="text/html; charset=utf-8", body=page_html)
            return
        root = mermaid_dir.resolve()
        if rel.startswith("elk/"):
            root, rel = elk.resolve(), rel[len("elk/") :]
        path = (root / rel).resolve()
        if root not in path.parents or not path.is_file():
            route.fulfill(status=404, body="")
            return
        ctype = (
            "text/javascript"
            if path.suffix in (".mjs", ".js")
            else (mimetypes.guess_type(path.name)[0] or "application/octet-stream")
        )
        route.fulfill(status=200, content_type=ctype, body=path.read_bytes())

    out: list[str] = []
    errors: list[str] = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=exe, headless=True, args=list(CHROMIUM_ARGS))
            try:
                page = browser.new_page()
                page.route(f"{ORIGIN}/**", serve)
                page.route(re.compile(r"^(?!" + re.escape(ORIGIN) + r").*"), lambda r: r.abort())
                page.goto(f"{ORIGIN}/index.html")
                page.wait_for_function("window.mermaidReady === true", timeout=60_000)
                for start in range(0, len(sources), BATCH):
                    chunk = [[chart_id(s), s] for s in sources[start : start + BATCH]]
                    for i, r in enumerate(page.evaluate("s => window.renderAll(s)", chunk)):
                        if "error" in r:
                            errors.append(f"chart {start + i + 1}: {r['error']}")
                            out.append("")
                        else:
                            out.append(r["svg"])
            finally:
                browser.close()
    except PlaywrightError as exc:
        raise ChartRenderError(f"headless Chromium failed: {exc}") from exc
    if errors:
        raise ChartRenderError("Mermaid could not render: " + "; ".join(errors[:5]))
    return out


_MAX_WIDTH = re.compile(r'\sstyle="max-width:[^"]*"')


def clean_svg(svg: str) -> str:
    """Make Mermaid's SVG self-contained for inline use in print."""
    svg = _MAX_WIDTH.sub("", svg, count=1)
    return svg


_NODE_LINE = re.compile(r'^(\s+n\d+(?:\(\(|\(\[|\[|\(|\{)")(.*)("(?:\)\)|\]\)|\]|\)|\}))$')
_TOKEN = re.compile(r"#\w+;|.", re.S)
WRAP_UNITS = 20  # a label line's width in CJK characters; Mermaid itself never wraps (wrappingWidth)


def _units(token: str) -> float:
    if len(token) == 1 and ord(token) < 0x2E80:
        return 0.55
    return 1.0


def wrap_label(label: str, limit: float = WRAP_UNITS) -> str:
    """Break long label lines ourselves (at a space when there is one): Mermaid's SVG-text
    wrapping fails on CJK lines that also hold a ``<br/>`` ("splitLineToFitWidth does
    not support newlines in the line")."""
    out_lines = []
    for line in label.split("<br/>"):
        current: list[str] = []
        width = 0.0
        for token in _TOKEN.findall(line):
            w = _units(token)
            if width + w > limit and current:
                space = max((i for i, tok in enumerate(current) if tok == " "), default=-1)
                if space > len(current) // 2:  # break after the last space, carry the rest
                    out_lines.append("".join(current[:space]))
                    current = current[space + 1 :]
                else:
                    out_lines.append("".join(current))
                    current = []
                width = sum(_units(x) for x in current)
            current.append(token)
            width += w
        out_lines.append("".join(current))
    return "<br/>".join(out_lines)


def prewrap(source: str, limit: float = WRAP_UNITS) -> str:
    """The Mermaid source with every node label pre-wrapped (see :func:`wrap_label`)."""
    lines = []
    for line in source.splitlines(keepends=True):
        body = line.rstrip("\n")
        m = _NODE_LINE.match(body)
        if m:
            line = m.group(1) + wrap_label(m.group(2), limit) + m.group(3) + line[len(body) :]
        lines.append(line)
    return "".join(lines)


def svg_size(svg: str) -> tuple[float, float]:
    """Width and height (CSS px) from the viewBox."""
    m = re.search(r'viewBox="\s*([-\d.e]+)[\s,]+([-\d.e]+)[\s,]+([\d.e]+)[\s,]+([\d.e]+)\s*"', svg)
    if not m:
        return (800.0, 600.0)
    return (float(m.group(3)), float(m.group(4)))

"""Measure chart layouts: Mermaid's default (dagre) against ELK, leaves in a row against
stacked in blocks, on the charts of a handbook's data.

    python bench/chart_layouts.py                       # the example (source/org)
    python bench/chart_layouts.py _build/synthetic-2000 # a generated org (python -m bench.make_org)

For each chart (the company chart, the department with the most roles and a small one of
at least 4 roles) and each
variant, the chart is drawn in headless Chromium with the Mermaid copy in node_modules and
measured the way the browser tests measure it (tests/browser/js/chart_geometry.js): connectors that
pass through a box that is not one of their ends, curved connectors, width and height in px.
Prints one Markdown table (the figures in docs/pages.md, "Charts", come from it).
"""

from __future__ import annotations

import argparse
import http.server
import sys
import threading
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from handbook.charts import model as chart_model  # noqa: E402
from handbook.charts.mermaid_text import MERMAID_LAYOUT, to_mermaid  # noqa: E402
from handbook.charts.org_charts import company_chart, department_chart  # noqa: E402
from handbook.validate import check_dir  # noqa: E402
from handbook.view import View  # noqa: E402

GEOMETRY = (ROOT / "tests" / "js" / "chart_geometry.js").read_text(encoding="utf-8")
PAGE = """<!doctype html><html><head><meta charset="utf-8"></head><body>
<script type="module">
import mermaid from "./mermaid/dist/mermaid.esm.min.mjs";
import elk from "./@mermaid-js/layout-elk/dist/mermaid-layout-elk.esm.min.mjs";
mermaid.registerLayoutLoaders(elk);
window.draw = async (source, config) => {
  mermaid.initialize(config);
  const {svg} = await mermaid.render("c" + Math.random().toString(36).slice(2), source);
  document.body.innerHTML = `<figure class="handbook-chart handbook-chart-org"><pre>${svg}</pre></figure>`;
  const box = document.querySelector("svg").viewBox.baseVal;
  return {width: Math.round(box.width), height: Math.round(box.height)};
};
window.ready = true;
</script></body></html>"""


def config(layout: str) -> dict:
    base = {
        "startOnLoad": False,
        "securityLevel": "strict",
        "fontFamily": "Noto Sans CJK SC",
        "themeVariables": {"fontFamily": "Noto Sans CJK SC", "fontSize": "15px"},
        "flowchart": {**MERMAID_LAYOUT["flowchart"], "htmlLabels": True, "useMaxWidth": False},
    }
    if layout == "elk":
        return {**base, "layout": "elk", "elk": MERMAID_LAYOUT["elk"]}
    base["flowchart"]["curve"] = "step"  # dagre's most org-chart-like connectors
    return base


def sources(data: Path) -> dict[str, dict[str, str]]:
    result = check_dir(str(data))
    if result.handbook is None:
        sys.exit(f"{data}: the data has errors (run handbook check)")
    view = View(result.handbook, "zh_CN")
    by_size = sorted(view.all_departments(), key=lambda d: len(view.department_roles(d)))
    small = next((d for d in by_size if len(view.department_roles(d)) >= 4), by_size[0])
    charts = {
        "company": company_chart(view, max_nodes=150),
        f"department {by_size[-1]}": department_chart(view, by_size[-1], max_nodes=150),
        f"department {small}": department_chart(view, small, max_nodes=150),
    }
    out: dict[str, dict[str, str]] = {}
    for name, chart in charts.items():
        stacked = to_mermaid(chart, lambda link: None)
        with mock.patch.object(chart_model, "STACK_MIN_LEAVES", 10**9):
            plain = to_mermaid(chart, lambda link: None)
        out[f"{name} ({len(chart.nodes)} boxes)"] = {"plain": plain, "stacked": stacked}
    return out


@contextmanager
def serve(folder: Path, page: str):
    class Handler(http.server.SimpleHTTPRequestHandler):
        def do_GET(self):
            if self.path.startswith("/bench.html"):
                body = page.encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.end_headers()
                self.wfile.write(body)
            else:
                super().do_GET()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(Handler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", nargs="?", default=str(ROOT / "source" / "org"), help="a handbook data folder")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    rows = []
    with serve(ROOT / "node_modules", PAGE) as base, sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"],
        )
        page = browser.new_page(viewport={"width": 1600, "height": 1000})
        page.goto(base + "bench.html")
        page.wait_for_function("window.ready")
        for chart, variants in sources(Path(args.data)).items():
            for layout in ("dagre", "elk"):
                for variant, source in variants.items():
                    size = page.evaluate("([s, c]) => draw(s, c)", [source, config(layout)])
                    (geometry,) = page.evaluate(GEOMETRY)
                    rows.append(
                        (
                            chart,
                            layout,
                            variant,
                            len(geometry["through"]),
                            geometry["curves"],
                            size["width"],
                            size["height"],
                        )
                    )
        browser.close()
    print("| chart | layout | leaves | connectors through a box | curved | width × height px |")
    print("| --- | --- | --- | --- | --- | --- |")
    for chart, layout, variant, through, curves, w, h in rows:
        print(f"| {chart} | {layout} | {variant} | {through} | {curves} | {w} × {h} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

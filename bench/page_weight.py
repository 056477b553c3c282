"""What a built site weighs, and what a reader's browser downloads to show a chart page.

    python bench/page_weight.py _build/html company.html departments/quality.html

Prints one Markdown table: the folder's size on disk (bytes, and of that ``_static/``
and ``_static/handbook-mermaid/``), then for each page the HTML file's bytes and every
byte the browser fetched to show it with its charts drawn (headless Chromium, the page
served on 127.0.0.1, a fresh profile: nothing cached; the sum of the responses' bodies,
ES module chunks included). The figures in docs/performance.md ("Charts drawn at build
time") come from it.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import shutil
import threading
from pathlib import Path


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else 0


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


def page_downloads(site: Path, pages: list[str]) -> dict[str, int]:
    from playwright.sync_api import sync_playwright

    handler = functools.partial(_Quiet, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    exe = shutil.which("chromium") or shutil.which("chromium-browser") or "/usr/bin/chromium"
    out: dict[str, int] = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=exe, headless=True, args=["--no-sandbox"])
            for page_path in pages:
                context = browser.new_context()  # nothing cached between pages
                page = context.new_page()
                sizes: list[int] = []
                page.on("requestfinished", lambda r, sizes=sizes: sizes.append(len(r.response().body())))
                page.goto(base + page_path)
                page.wait_for_function(
                    "[...document.querySelectorAll('figure.handbook-chart')].every(f => f.dataset.hbReady)",
                    timeout=60_000,
                )
                page.wait_for_load_state("networkidle")
                out[page_path] = sum(sizes)
                context.close()
            browser.close()
    finally:
        httpd.shutdown()
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="a built site (_build/html)")
    parser.add_argument("pages", nargs="+", help="chart pages, relative to the site")
    args = parser.parse_args(argv)
    site = args.site
    print("| what | bytes |")
    print("| --- | ---: |")
    print(f"| `{site}` on disk | {folder_bytes(site):,} |")
    print(f"| of it `_static/` | {folder_bytes(site / '_static'):,} |")
    print(f"| of it `_static/handbook-mermaid/` | {folder_bytes(site / '_static' / 'handbook-mermaid'):,} |")
    downloads = page_downloads(site, args.pages)
    for page_path in args.pages:
        print(f"| `{page_path}`: the HTML file | {(site / page_path).stat().st_size:,} |")
        print(f"| `{page_path}`: downloaded to show it | {downloads[page_path]:,} |")


if __name__ == "__main__":
    main()

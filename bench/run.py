"""Benchmarks whose figures go into the performance notes, docs/performance.md.

    python bench/run.py                 # everything in the notes (make bench): check 10,000
                                        # roles; handbook vs plain Sphinx at 500 and 5,000 roles;
                                        # search on the example and at 5,000; the PDF at 500 and 2,000
    python bench/run.py check html      # a subset (html: the handbook alone, no baseline)
    python bench/run.py --sizes 200 2000 html
    python bench/run.py baseline --sizes 500 5000   # handbook vs plain Sphinx, same content
    python bench/run.py search --search-sizes 5000
    python bench/run.py pdf --pdf-sizes 500 2000    # the audit PDF (the document, not the job descriptions)

(``python -m bench.run ...`` from the repository root does the same.)

Each benchmark builds a synthetic handbook with bench.make_org (deterministic, seed 1)
and runs the real command in a subprocess, so the figures are what a user sees. The
machines are shared and noisy: compare the ratios measured in one run, not absolute
seconds across runs. Results are printed as a Markdown table.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import os
import re
import resource
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "_build" / "bench"

CONF = """\
project = "Synthetic handbook ({n} roles)"
language = "{language}"
extensions = ["handbook"]
html_theme = "handbook"
handbook_data_dir = "org"
exclude_patterns = ["_build", "org"]
"""

INDEX = """\
Synthetic handbook
==================

.. toctree::
   :maxdepth: 1

   company
   departments/index
   processes/index
   roles/index
   indexes/headcount
   indexes/raci
"""


def make_org(n: int, out: Path, extra: list[str] | None = None) -> None:
    subprocess.run(
        [sys.executable, "-m", "bench.make_org", str(n), "--out", str(out), "--force", *(extra or [])],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )


def project(n: int, language: str = "zh_CN") -> Path:
    """A Sphinx project around a synthetic handbook of n roles."""
    base = WORK / f"project-{n}"
    (base / "src").mkdir(parents=True, exist_ok=True)
    make_org(n, base / "src" / "org")
    (base / "src" / "conf.py").write_text(CONF.format(n=n, language=language), encoding="utf-8")
    (base / "src" / "index.rst").write_text(INDEX, encoding="utf-8")
    return base


def timed(cmd: list[str], cwd: Path | None = None) -> tuple[float, float, str]:
    """Run a command; wall seconds, child CPU seconds and its output."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), proc.stdout + proc.stderr


def bench_check(rows: list[list[str]]) -> None:
    out = WORK / "check-10000"
    make_org(10000, out)
    wall, cpu, _ = timed([sys.executable, "-m", "handbook", "check", str(out)])
    size = sum(p.stat().st_size for p in out.glob("*.yaml")) / 1e6
    rows.append(["`handbook check`, 10,000 roles", f"{size:.0f} MB of YAML", f"{wall:.1f} s", f"{cpu:.1f} s", ""])


def bench_html(rows: list[list[str]], sizes: list[int], jobs: str) -> None:
    per_page = {}
    for n in sizes:
        base = project(n)
        out = base / "_build"
        subprocess.run(["rm", "-rf", str(out)], check=True)
        cmd = [
            sys.executable,
            "-m",
            "sphinx",
            "-b",
            "html",
            "-q",
            "-d",
            str(out / "doctrees"),
            str(base / "src"),
            str(out / "html"),
        ]
        if jobs != "1":
            cmd[3:3] = ["-j", jobs]
        wall, cpu, _log = timed(cmd)
        pages = sum(1 for _ in (out / "html").rglob("*.html"))
        per_page[n] = cpu / pages
        index = (out / "html" / "searchindex.js").stat().st_size / 1e6
        rows.append(
            [
                f"HTML build, {n:,} roles (-j {jobs})",
                f"{pages:,} pages",
                f"{wall:.1f} s",
                f"{cpu:.1f} s",
                f"{1000 * cpu / pages:.1f} ms CPU/page; searchindex.js {index:.1f} MB",
            ]
        )
        # an incremental rebuild after editing one duty of one role
        org = base / "src" / "org"
        target = sorted(org.glob("dept-*.yaml"))[-1]
        text = target.read_text(encoding="utf-8")
        match = re.search(r"^\s+- [^\n:{}\[\]'\"]+$", text, re.MULTILINE)
        if match:
            target.write_text(text[: match.end()] + "（已修订）" + text[match.end() :], encoding="utf-8")
            wall2, cpu2, _log2 = timed(cmd)
            rows.append([f"incremental rebuild, {n:,} roles", "one duty edited", f"{wall2:.1f} s", f"{cpu2:.1f} s", ""])
    if len(per_page) >= 2:
        small, large = min(per_page), max(per_page)
        rows.append(
            [
                f"cost per page, {large:,} vs {small:,} roles",
                "",
                "",
                "",
                f"CPU per page ratio {per_page[large] / per_page[small]:.2f} (1.0 = flat)",
            ]
        )


def run_child(cmd: list[str], cwd: Path | None = None, output: list[str] | None = None) -> tuple[float, float, float]:
    """Run a command; its wall seconds, CPU seconds and peak memory (GB), from its own rusage
    (the largest resident set of the process and its children). ``output`` gets its output."""
    import tempfile

    with tempfile.TemporaryFile() as log:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=log, stderr=subprocess.STDOUT)
        _pid, status, ru = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status):
            log.seek(0)
            raise SystemExit(f"{' '.join(cmd)} failed:\n{log.read().decode(errors='replace')[-4000:]}")
        if output is not None:
            log.seek(0)
            output.append(log.read().decode(errors="replace"))
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1e6


def bench_pdf(rows: list[list[str]], sizes: list[int]) -> None:
    """``handbook pdf`` on synthetic handbooks: the document (laid out in chunks and merged,
    handbook/pdf/chunks.py), without the job descriptions; charts drawn or taken from the
    cache of an earlier run (their time is in the log)."""
    from pypdf import PdfReader

    for n in sizes:
        base = project(n)
        out = base / "_build" / "pdf"
        subprocess.run(["rm", "-rf", str(out)], check=True)
        log: list[str] = []
        wall, cpu, peak = run_child(
            [
                sys.executable,
                "-m",
                "handbook",
                "pdf",
                "--source",
                str(base / "src"),
                "--out",
                str(out),
                "--keep-going",
                "-D",
                "handbook_pdf_roles=",
            ],
            output=log,
        )
        pdf = next(out.glob("*.pdf"))
        pages = len(PdfReader(str(pdf)).pages)
        found = re.search(
            r"(\d+) pages \((\d+) chunks?, the largest (\d+) pages\), in ([\d.]+) s \(CPU [\d.]+ s: ([^)]*)\)", log[0]
        )
        charts = re.search(r"handbook: (\d+) charts \((\d+) rendered, (\d+) from cache\) in ([\d.]+) s", log[0])
        notes = []
        if found:
            notes.append(
                f"{found.group(2)} chunks (largest {found.group(3)} pages); layout and merge "
                f"{found.group(4)} s ({found.group(5)})"
            )
        if charts:
            notes.append(f"{charts.group(1)} charts ({charts.group(2)} drawn) in {charts.group(4)} s")
        notes.append(f"{pdf.stat().st_size / 1e6:.1f} MB")
        rows.append(
            [
                f"`handbook pdf`, {n:,} roles",
                f"{pages:,} pages",
                f"{wall:.0f} s",
                f"{cpu:.0f} s",
                f"peak {peak:.2f} GB; " + "; ".join(notes),
            ]
        )


def bench_baseline(rows: list[list[str]], sizes: list[int]) -> None:
    """The handbook against plain Sphinx building the same content as plain MyST pages
    (bench/plain.py), in one run per size: full build, -j auto, no-change rebuild, one
    edited duty. Ratios compare CPU time, which a shared machine disturbs less than wall."""
    for n in sizes:
        base = project(n)
        plain_src = WORK / f"plain-{n}"
        subprocess.run(
            [sys.executable, str(ROOT / "bench" / "plain.py"), str(base / "src" / "org"), str(plain_src)],
            check=True,
            capture_output=True,
        )
        results = {}
        for name, src in (("plain Sphinx", plain_src), ("handbook", base / "src")):
            out = WORK / f"out-{name.split()[0]}-{n}"
            subprocess.run(["rm", "-rf", str(out)], check=True)
            cmd = [
                sys.executable,
                "-m",
                "sphinx",
                "-b",
                "html",
                "-q",
                "-d",
                str(out / "doctrees"),
                str(src),
                str(out / "html"),
            ]
            full = run_child(cmd)
            pages = sum(1 for _ in (out / "html").rglob("*.html"))
            again = run_child(cmd)
            subprocess.run(["rm", "-rf", str(out)], check=True)
            parallel = run_child([*cmd[:3], "-j", "auto", *cmd[3:]])
            results[name] = (full, pages, again, parallel)
        (pw, pc, pm), ppages, (_, pagain, _), (ppw, _ppc, _) = results["plain Sphinx"]
        (hw, hc, hm), hpages, (_, hagain, _), (hpw, _hpc, _) = results["handbook"]
        # one edited duty, handbook only (the plain pages have no data to edit)
        org = base / "src" / "org"
        target = sorted(org.glob("dept-*.yaml"))[-1]
        text = target.read_text(encoding="utf-8")
        match = re.search(r"^\s+- [^\n:{}\[\]'\"]+$", text, re.MULTILINE)
        edit = ("", 0.0, 0.0)
        if match:
            target.write_text(text[: match.end()] + "（已修订）" + text[match.end() :], encoding="utf-8")
            out = WORK / f"out-handbook-{n}"
            cmd = [
                sys.executable,
                "-m",
                "sphinx",
                "-b",
                "html",
                "-q",
                "-d",
                str(out / "doctrees"),
                str(base / "src"),
                str(out / "html"),
            ]
            edit = run_child(cmd)
            target.write_text(text, encoding="utf-8")
        rows.append(
            [
                f"{n:,} roles",
                f"{ppages:,} / {hpages:,}",
                f"{pc:.1f} s ({1000 * pc / ppages:.0f} ms/page), {pm:.2f} GB",
                f"{hc:.1f} s ({1000 * hc / hpages:.0f} ms/page), {hm:.2f} GB",
                f"**{(hc / hpages) / (pc / ppages):.2f}**",
                f"{ppw:.1f} s / {hpw:.1f} s wall (vs {pw:.1f} s / {hw:.1f} s)",
                f"{pagain:.1f} s / {hagain:.1f} s (**{hagain / pagain:.2f}**)",
                f"{edit[1]:.1f} s (**{edit[1] / pagain:.2f}** × plain no-change)",
            ]
        )


# -- search: what the search page and the suggestions load, and how fast --------------------

#: queries tried on every handbook (some find nothing in one of them: they still load what they need)
SEARCH_QUERIES = (
    "投诉",
    "采购合同",
    "谁负责招标",
    "哪个部门负责年度预算的编制与审批",
    "不合格品",
    "kfzg",
    "shouhou jingli",
    "Head of Production",
    # the words employees use (issue 23): the vocabulary of work, a compound, silence
    "发工资",
    "谁负责开发票",
    "五险一金",
    "食堂菜单",
)
SUGGEST_TYPED = "kfzg"
CHROMIUM = "/usr/bin/chromium"
RUNS = 5  # each timing is the median of this many page loads


def _serve(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}/"


_LOADED = """() => [performance.getEntriesByType("navigation")[0], ...performance.getEntriesByType("resource")]
    .map(e => [e.name, e.decodedBodySize])"""
_FIRST = """() => { const m = performance.getEntriesByName("handbook-search-results"); return m.length ? m[0].startTime : null; }"""
#: when the page itself is ready (DOMContentLoaded), the floor any search on it has
_READY = """() => performance.getEntriesByType("navigation")[0].domContentLoadedEventStart"""


def _kb(n: float) -> str:
    return f"{n / 1000:,.0f} KB"


def search_figures(html: Path) -> dict:
    """Load the search page for each query in a fresh browser (nothing cached) and record
    what it downloaded (uncompressed) and when the first result appeared; then type in
    the header's box on a role page and time each keystroke's suggestions."""
    from playwright.sync_api import sync_playwright

    httpd, base = _serve(html)
    out: dict = {"queries": {}, "suggest": {}}
    role_page = sorted((html / "roles").glob("*.html"))[1].relative_to(html).as_posix()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            for query in SEARCH_QUERIES:
                url = base + "search.html?q=" + urllib.parse.quote(query)
                cold, warm, ready, compute, loads = [], [], [], [], []
                for _ in range(RUNS):
                    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
                    page = ctx.new_page()
                    page.goto(url)
                    page.wait_for_function("() => !!(window.HandbookSearch || {}).lastSearch", timeout=60000)
                    page.wait_for_load_state("networkidle")
                    cold.append(page.evaluate(_FIRST))
                    ready.append(page.evaluate(_READY))
                    loads = page.evaluate(_LOADED)
                    page.goto(url)  # again, from the browser's cache
                    page.wait_for_function("() => !!(window.HandbookSearch || {}).lastSearch", timeout=60000)
                    warm.append(page.evaluate(_FIRST))
                    compute.append(page.evaluate("HandbookSearch.lastSearch.ms"))
                    out["queries"][query] = {"results": page.evaluate("HandbookSearch.lastSearch.results")}
                    ctx.close()
                shards = [size for url_, size in loads if "/handbook-search/t" in url_]
                snippets = [size for url_, size in loads if "/handbook-search/pages/" in url_]
                out["queries"][query].update(
                    {
                        "bytes": sum(size for _u, size in loads),
                        "files": len(loads),
                        "shards": len(shards),
                        "shard_bytes": sum(shards),
                        "snippets": len(snippets),
                        "snippet_bytes": sum(snippets),
                        "index_bytes": sum(size for u, size in loads if "/handbook-search/index.js" in u),
                        "cold_ms": statistics.median(cold),
                        "warm_ms": statistics.median(warm),
                        "ready_ms": statistics.median(ready),
                        "search_ms": statistics.median(compute),
                    }
                )
            times: list[float] = []
            arrive: list[float] = []
            loads = []
            for _ in range(RUNS):
                ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
                page = ctx.new_page()
                page.goto(base + role_page)
                page.wait_for_load_state("networkidle")
                before = {u for u, _s in page.evaluate(_LOADED)}
                box = page.locator("input[data-handbook-suggest]")
                box.click()
                for ch in SUGGEST_TYPED:
                    box.press_sequentially(ch)
                    page.wait_for_timeout(150)
                page.wait_for_load_state("networkidle")
                times.append(page.evaluate("HandbookSearch.suggestTimes"))
                arrive.append(
                    page.evaluate("""() => performance.getEntriesByType("resource")
                    .filter(e => e.name.includes("/handbook-search/suggest.js"))
                    .map(e => e.responseEnd - e.startTime)[0]""")
                )
                loads = [(u, s) for u, s in page.evaluate(_LOADED) if u not in before]
                ctx.close()
            first = [t[0] for t in times]
            later = [x for t in times for x in t[1:]]
            out["suggest"] = {
                "bytes": sum(s for _u, s in loads),
                "files": [u.rsplit("/", 1)[-1].split("?")[0] for u, _s in loads],
                "first_ms": statistics.median(first),
                "keystroke_ms": statistics.median(later),
                "arrive_ms": statistics.median(arrive),
                "keystroke_max_ms": max(later),
            }
            browser.close()
    finally:
        httpd.shutdown()
    data = html / "_static" / "handbook-search"
    shard_files = list(data.glob("t*.js"))
    out["files"] = {
        "index.js": (data / "index.js").stat().st_size,
        "shards": (
            len(shard_files),
            sum(f.stat().st_size for f in shard_files),
            max(f.stat().st_size for f in shard_files),
        ),
        "suggest.js": (data / "suggest.js").stat().st_size,
        "gzip": {name: len(gzip.compress((data / name).read_bytes())) for name in ("index.js", "suggest.js")},
    }
    return out


def bench_search(rows: list[list[str]], sizes: list[int]) -> None:
    sites: list[tuple[str, Path]] = []
    example = WORK / "example-html"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-b",
            "html",
            "-q",
            "-d",
            str(example / ".doctrees"),
            str(ROOT / "source"),
            str(example),
            "-c",
            str(ROOT),
        ],
        check=True,
        cwd=ROOT,
    )
    sites.append(("example", example))
    for n in sizes:
        base = WORK / f"project-{n}"
        out = base / "_build" / "html"
        if not (base / "src" / "org").is_dir():
            project(n)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "sphinx",
                "-b",
                "html",
                "-q",
                "-d",
                str(base / "_build" / "doctrees"),
                str(base / "src"),
                str(out),
            ],
            check=True,
        )
        sites.append((f"{n:,} roles", out))
    for name, html in sites:
        f = search_figures(html)
        pages = sum(1 for _ in (html / "_static" / "handbook-search" / "pages").rglob("*.js"))
        n_shards, shard_total, shard_max = f["files"]["shards"]
        rows.append(
            [
                f"search data, {name}",
                f"{pages:,} pages",
                "",
                "",
                f"index.js {_kb(f['files']['index.js'])} ({_kb(f['files']['gzip']['index.js'])} gzipped); "
                f"{n_shards} shards, {_kb(shard_total)} in all, largest {_kb(shard_max)}; "
                f"suggest.js {_kb(f['files']['suggest.js'])} ({_kb(f['files']['gzip']['suggest.js'])} gzipped)",
            ]
        )
        for query, q in f["queries"].items():
            rows.append(
                [
                    f"search page, {name}",
                    f"`{query}`: {q['results']} results",
                    f"{q['cold_ms']:.0f} ms (page ready at {q['ready_ms']:.0f} ms)",
                    f"{q['warm_ms']:.0f} ms (search {q['search_ms']:.0f} ms)",
                    f"loads {_kb(q['bytes'])} in {q['files']} files: index.js {_kb(q['index_bytes'])}, "
                    f"{q['shards']} shards {_kb(q['shard_bytes'])}, {q['snippets']} snippets "
                    f"{_kb(q['snippet_bytes'])}",
                ]
            )
        s = f["suggest"]
        rows.append(
            [
                f"suggestions, {name}",
                f"typing `{SUGGEST_TYPED}` on a role page",
                f"{s['first_ms']:.0f} ms",
                f"{s['keystroke_ms']:.1f} ms",
                f"loads {_kb(s['bytes'])} ({', '.join(s['files'])}), "
                f"suggest.js in {s['arrive_ms']:.0f} ms from the first focus; slowest later keystroke "
                f"{s['keystroke_max_ms']:.1f} ms",
            ]
        )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "what",
        nargs="*",
        default=["check", "baseline", "search", "pdf"],
        choices=["check", "html", "baseline", "search", "pdf"],
    )
    ap.add_argument(
        "--sizes", nargs="+", type=int, default=[500, 5000], help="synthetic handbooks for html and baseline"
    )
    ap.add_argument(
        "--pdf-sizes", nargs="+", type=int, default=[500, 2000], help="synthetic handbooks for the PDF benchmark"
    )
    ap.add_argument(
        "--search-sizes",
        nargs="+",
        type=int,
        default=[5000],
        help="synthetic handbooks for the search benchmark (besides the example)",
    )
    ap.add_argument("-j", "--jobs", default="1")
    args = ap.parse_args(argv)
    WORK.mkdir(parents=True, exist_ok=True)
    rows: list[list[str]] = []
    if "check" in args.what:
        bench_check(rows)
    if "html" in args.what:
        bench_html(rows, args.sizes, args.jobs)
    if "pdf" in args.what:
        bench_pdf(rows, args.pdf_sizes)
    search_rows: list[list[str]] = []
    if "search" in args.what:
        bench_search(search_rows, args.search_sizes)
    print(f"Machine: {os.cpu_count()} CPUs; Python {sys.version.split()[0]}")
    if "baseline" in args.what:
        base_rows: list[list[str]] = []
        bench_baseline(base_rows, args.sizes)
        print(
            "| roles | pages (plain / handbook) | plain Sphinx CPU, peak | handbook CPU, peak | ratio per page |"
            " -j auto wall (plain / handbook) | no-change rebuild CPU (ratio) | one edited duty CPU |"
        )
        print("| --- | --- | --- | --- | --- | --- | --- | --- |")
        for r in base_rows:
            print("| " + " | ".join(r) + " |")
    if rows:
        print("| benchmark | size | wall | CPU | notes |")
        print("| --- | --- | --- | --- | --- |")
        for r in rows:
            print("| " + " | ".join(r) + " |")
    if search_rows:
        print()
        print(f"Search (headless Chromium, local HTTP server, nothing cached; median of {RUNS} loads):")
        print("| benchmark | what | first result (cold) | first result (cached) / per keystroke | loads |")
        print("| --- | --- | --- | --- | --- |")
        for r in search_rows:
            print("| " + " | ".join(r) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())

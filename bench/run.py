"""Benchmarks whose figures go into the README's performance notes.

    python bench/run.py                 # check 10,000 roles; HTML at 200 and 2,000 roles
    python bench/run.py check html      # a subset
    python bench/run.py --sizes 200 2000 html
    python bench/run.py baseline --sizes 500 5000   # handbook vs plain Sphinx, same content

Each benchmark builds a synthetic handbook with bench/make_org.py (deterministic, seed 1)
and runs the real command in a subprocess, so the figures are what a user sees. The
machines are shared and noisy: compare the ratios measured in one run, not absolute
seconds across runs. Results are printed as a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import subprocess
import sys
import time
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
    subprocess.run([sys.executable, str(ROOT / "bench" / "make_org.py"), str(n), "--out", str(out), "--force",
                    *(extra or [])], check=True, capture_output=True)


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
        cmd = [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-d", str(out / "doctrees"),
               str(base / "src"), str(out / "html")]
        if jobs != "1":
            cmd[3:3] = ["-j", jobs]
        wall, cpu, log = timed(cmd)
        pages = sum(1 for _ in (out / "html").rglob("*.html"))
        per_page[n] = cpu / pages
        index = (out / "html" / "searchindex.js").stat().st_size / 1e6
        rows.append([f"HTML build, {n:,} roles (-j {jobs})", f"{pages:,} pages", f"{wall:.1f} s", f"{cpu:.1f} s",
                     f"{1000 * cpu / pages:.1f} ms CPU/page; searchindex.js {index:.1f} MB"])
        # an incremental rebuild after editing one duty of one role
        org = base / "src" / "org"
        target = sorted(org.glob("dept-*.yaml"))[-1]
        text = target.read_text(encoding="utf-8")
        match = re.search(r"^\s+- [^\n:{}\[\]'\"]+$", text, re.MULTILINE)
        if match:
            target.write_text(text[: match.end()] + "（已修订）" + text[match.end():], encoding="utf-8")
            wall2, cpu2, log2 = timed(cmd)
            rows.append([f"incremental rebuild, {n:,} roles", "one duty edited", f"{wall2:.1f} s", f"{cpu2:.1f} s",
                         ""])
    if len(per_page) >= 2:
        small, large = min(per_page), max(per_page)
        rows.append([f"cost per page, {large:,} vs {small:,} roles", "", "", "",
                     f"CPU per page ratio {per_page[large] / per_page[small]:.2f} (1.0 = flat)"])


def run_child(cmd: list[str], cwd: Path | None = None) -> tuple[float, float, float]:
    """Run a command; its wall seconds, CPU seconds and peak memory (GB), from its own rusage."""
    import tempfile

    with tempfile.TemporaryFile() as log:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=log, stderr=subprocess.STDOUT)
        _pid, status, ru = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status):
            log.seek(0)
            raise SystemExit(f"{' '.join(cmd)} failed:\n{log.read().decode(errors='replace')[-4000:]}")
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1e6


def bench_baseline(rows: list[list[str]], sizes: list[int]) -> None:
    """The handbook against plain Sphinx building the same content as plain MyST pages
    (bench/plain.py), in one run per size: full build, -j auto, no-change rebuild, one
    edited duty. Ratios compare CPU time, which a shared machine disturbs less than wall."""
    for n in sizes:
        base = project(n)
        plain_src = WORK / f"plain-{n}"
        subprocess.run([sys.executable, str(ROOT / "bench" / "plain.py"), str(base / "src" / "org"), str(plain_src)],
                       check=True, capture_output=True)
        results = {}
        for name, src in (("plain Sphinx", plain_src), ("handbook", base / "src")):
            out = WORK / f"out-{name.split()[0]}-{n}"
            subprocess.run(["rm", "-rf", str(out)], check=True)
            cmd = [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-d", str(out / "doctrees"), str(src),
                   str(out / "html")]
            full = run_child(cmd)
            pages = sum(1 for _ in (out / "html").rglob("*.html"))
            again = run_child(cmd)
            subprocess.run(["rm", "-rf", str(out)], check=True)
            parallel = run_child(cmd[:3] + ["-j", "auto"] + cmd[3:])
            results[name] = (full, pages, again, parallel)
        (pw, pc, pm), ppages, (_, pagain, _), (ppw, ppc, _) = results["plain Sphinx"]
        (hw, hc, hm), hpages, (_, hagain, _), (hpw, hpc, _) = results["handbook"]
        # one edited duty, handbook only (the plain pages have no data to edit)
        org = base / "src" / "org"
        target = sorted(org.glob("dept-*.yaml"))[-1]
        text = target.read_text(encoding="utf-8")
        match = re.search(r"^\s+- [^\n:{}\[\]'\"]+$", text, re.MULTILINE)
        edit = ("", 0.0, 0.0)
        if match:
            target.write_text(text[: match.end()] + "（已修订）" + text[match.end():], encoding="utf-8")
            out = WORK / f"out-handbook-{n}"
            cmd = [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-d", str(out / "doctrees"), str(base / "src"),
                   str(out / "html")]
            edit = run_child(cmd)
            target.write_text(text, encoding="utf-8")
        rows.append([f"{n:,} roles", f"{ppages:,} / {hpages:,}",
                     f"{pc:.1f} s ({1000 * pc / ppages:.0f} ms/page), {pm:.2f} GB",
                     f"{hc:.1f} s ({1000 * hc / hpages:.0f} ms/page), {hm:.2f} GB",
                     f"**{(hc / hpages) / (pc / ppages):.2f}**",
                     f"{ppw:.1f} s / {hpw:.1f} s wall (vs {pw:.1f} s / {hw:.1f} s)",
                     f"{pagain:.1f} s / {hagain:.1f} s (**{hagain / pagain:.2f}**)",
                     f"{edit[1]:.1f} s (**{edit[1] / pagain:.2f}** × plain no-change)"])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("what", nargs="*", default=["check", "html"], choices=["check", "html", "baseline"])
    ap.add_argument("--sizes", nargs="+", type=int, default=[200, 2000])
    ap.add_argument("-j", "--jobs", default="1")
    args = ap.parse_args(argv)
    WORK.mkdir(parents=True, exist_ok=True)
    rows: list[list[str]] = []
    if "check" in args.what:
        bench_check(rows)
    if "html" in args.what:
        bench_html(rows, args.sizes, args.jobs)
    print(f"Machine: {os.cpu_count()} CPUs; Python {sys.version.split()[0]}")
    if "baseline" in args.what:
        base_rows: list[list[str]] = []
        bench_baseline(base_rows, args.sizes)
        print("| roles | pages (plain / handbook) | plain Sphinx CPU, peak | handbook CPU, peak | ratio per page |"
              " -j auto wall (plain / handbook) | no-change rebuild CPU (ratio) | one edited duty CPU |")
        print("| --- | --- | --- | --- | --- | --- | --- | --- |")
        for r in base_rows:
            print("| " + " | ".join(r) + " |")
    print("| benchmark | size | wall | CPU | notes |")
    print("| --- | --- | --- | --- | --- |")
    for r in rows:
        print("| " + " | ".join(r) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Where a Sphinx build spends its time in Python's garbage collector.

    python bench/gcstats.py SOURCE_DIR [-D handbook_defer_gc=0] [...other sphinx-build flags]

Builds SOURCE_DIR with ``sphinx-build -b html`` into a fresh folder, in a child process
that counts the collections of each generation and their seconds in each phase of the
build (reading, writing, the end of the build), times the interpreter's exit, and the objects the
collector tracks when writing starts, and the process's CPU time and peak memory. Used for
the garbage-collector figures of docs/performance.md (``handbook/site/gc_pause.py``); it
works on any Sphinx project, so plain Sphinx and the handbook are measured the same way.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHILD = r"""
import atexit, gc, json, sys, time
stats, phase, start, tracked = {}, ["start"], [0.0], [0]
def callback(event, info):
    if event == "start":
        start[0] = time.perf_counter()
    else:
        key = f"{phase[0]}/{info['generation']}"
        n, s = stats.get(key, (0, 0.0))
        stats[key] = (n + 1, s + time.perf_counter() - start[0])
gc.callbacks.append(callback)
from sphinx.builders import Builder
read, write = Builder.read, Builder.write
def reading(self, *a, **k):
    phase[0] = "read"
    return read(self, *a, **k)
def writing(self, *a, **k):
    tracked[0] = len(gc.get_objects())
    phase[0] = "write"
    try:
        return write(self, *a, **k)
    finally:
        phase[0] = "finish"
Builder.read, Builder.write = reading, writing
def report():
    phase[0] = "exit"
    print("GCSTATS " + json.dumps({"stats": stats, "tracked": tracked[0], "at": time.time()}), file=sys.stderr,
          flush=True)
atexit.register(report)
from sphinx.cmd.build import main
sys.exit(main(sys.argv[1:]))
"""


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("source")
    p.add_argument("sphinx_args", nargs=argparse.REMAINDER, help="more sphinx-build flags, e.g. -D name=value")
    args = p.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [
            sys.executable,
            "-c",
            CHILD,
            "-b",
            "html",
            "-q",
            "-d",
            f"{tmp}/doctrees",
            args.source,
            f"{tmp}/html",
            *args.sphinx_args,
        ]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True)
        wall = time.perf_counter() - started
        ended = time.time()
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        pages = sum(1 for _ in Path(tmp, "html").rglob("*.html"))
    if proc.returncode != 0:
        print(proc.stderr[-3000:], file=sys.stderr)
        return proc.returncode
    line = next(x for x in proc.stderr.splitlines() if x.startswith("GCSTATS "))
    data = json.loads(line[len("GCSTATS ") :])
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    print(
        f"{args.source}: {pages:,} pages, {cpu:.1f} s CPU, {wall:.1f} s wall, peak {after.ru_maxrss / 1e6:.2f} GB; "
        f"{data['tracked'] / 1e6:.1f} M objects tracked when writing starts"
    )
    total = 0.0
    for ph in ("read", "write", "finish"):
        row = {g: data["stats"].get(f"{ph}/{g}", (0, 0.0)) for g in ("0", "1", "2")}
        seconds = sum(s for _n, s in row.values())
        total += seconds
        print(f"  {ph:6} " + "  ".join(f"gen {g}: {n:6,} × = {s:5.1f} s" for g, (n, s) in row.items()))
    print(
        f"  in the collector while building: {total:.1f} s ({100 * total / cpu:.0f} % of the CPU time); "
        f"the process's exit (the interpreter's final collection and teardown): {ended - data['at']:.1f} s wall"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

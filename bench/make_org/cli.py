"""The command line: ``python -m bench.make_org N [--out DIR] [--seed S] [--hostile] ...``.

Parses the arguments, builds the data (``generator.Gen``), makes the output folder ready
and writes the files (``files``), and prints a one-line summary on stderr.  Errors are
argparse's (exit 2) or one ``make_org.py: error: ...`` line (exit 1); the program name
stays ``make_org.py``, as the script printed it.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from pathlib import Path

from bench.make_org.files import prepare_out, write_files
from bench.make_org.generator import Gen


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="make_org.py", description="Write a synthetic handbook data folder with N roles.")

    def positive(s: str) -> int:
        try:
            v = int(s)
        except ValueError:
            raise argparse.ArgumentTypeError(f"invalid integer: {s!r}") from None
        if v < 1:
            raise argparse.ArgumentTypeError(f"must be at least 1, got {v}")
        return v

    ap.add_argument("n", metavar="N", type=positive, help="number of roles (>= 1)")
    ap.add_argument("--out", metavar="DIR", help="output folder (default: _build/synthetic-N)")
    ap.add_argument("--seed", metavar="S", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--hostile", action="store_true", help="weave adversarial text and odd ids into the data")
    ap.add_argument("--lang", choices=["zh", "en"], default="zh", help="language of the texts (default zh)")
    ap.add_argument("--depth", metavar="D", type=positive, default=6, help="maximum department depth (default 6)")
    ap.add_argument(
        "--force",
        action="store_true",
        help="write into a non-empty folder; deletes only *.yaml files previously written by this script",
    )
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    # The data is a large acyclic graph of small objects: cyclic GC passes over it
    # cost ~40% of the run time for big N and free nothing.
    gc.disable()
    out = Path(args.out if args.out is not None else f"_build/synthetic-{args.n}")
    gen = Gen(args.n, args.seed, args.hostile, args.lang, args.depth)
    files = gen.build()
    err = prepare_out(out, args.force, list(files))
    if err:
        print(f"make_org.py: error: {err}", file=sys.stderr)
        return 1
    header = (
        f"# N={args.n} seed={args.seed} lang={args.lang} depth={args.depth} hostile={'yes' if args.hostile else 'no'}"
    )
    write_files(out, files, header, parallel=args.n >= 3000)
    s = gen.stats
    print(
        f"make_org.py: wrote {s['files']} files to {out}: {s['departments']} departments, "
        f"{s['roles']} roles, {s['people']} people, {s['processes']} processes "
        f"({time.perf_counter() - t0:.2f} s)",
        file=sys.stderr,
    )
    return 0

"""The job descriptions (岗位说明书) against the document: what each costs to lay out and write.

    python bench/pdf_jobs.py                        # the example, 3 rounds
    python bench/pdf_jobs.py --rounds 5 --source /tmp/syn500 --conf /tmp/syn500

The handbook is built once with ``handbook pdf`` machinery (Sphinx, charts cached); then,
in one process and alternately, WeasyPrint lays out and writes (a) the document from the
assembled HTML and (b) every role's job description, as the builder does (one document per
batch, split into one PDF per role). Alternating rounds in one process keep the comparison
fair on a shared, noisy machine; the table gives the CPU seconds of each (median and best)
and the wall seconds. Figures go into docs/performance.md ("The audit PDF").
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", default=str(ROOT / "source"))
    parser.add_argument("--conf", default=str(ROOT))
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)

    from sphinx.cmd.build import build_main
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    from handbook.pdf import jobs
    from handbook.pdf.builder import STYLESHEET

    batches: list[jobs.Batch] = []
    real = jobs.write_batch

    def keep(batch, *a, **k):  # the builder's batches, laid out once here to check them
        batches.append(batch)
        return real(batch, *a, **k)

    jobs.write_batch = keep
    out = Path(tempfile.mkdtemp(prefix="pdf-jobs-"))
    status = build_main(
        ["-b", "handbookpdf", "-q", "-c", args.conf, args.source, str(out), "-D", "handbook_today=2026-12-01"]
    )
    jobs.write_batch = real
    if status != 0 or not batches:
        print("the build failed", file=sys.stderr)
        return 1
    pages = {"document": 0, "job descriptions": 0}
    cpu: dict[str, list[float]] = {k: [] for k in pages}
    wall: dict[str, list[float]] = {k: [] for k in pages}
    for _round in range(args.rounds):
        fonts = FontConfiguration()
        css = CSS(filename=str(STYLESHEET), font_config=fonts)
        started, c = time.perf_counter(), time.process_time()
        document = HTML(filename=str(out / "index.html"), base_url=str(out)).render(
            stylesheets=[css], font_config=fonts
        )
        document.write_pdf(str(out / "document.pdf"), pdf_variant="pdf/a-2b")
        cpu["document"].append(time.process_time() - c)
        wall["document"].append(time.perf_counter() - started)
        pages["document"] = len(document.pages)
        del document
        started, c = time.perf_counter(), time.process_time()
        n = sum(jobs.write_batch(b, str(out), str(STYLESHEET), "pdf/a-2b", css, fonts).pages for b in batches)
        cpu["job descriptions"].append(time.process_time() - c)
        wall["job descriptions"].append(time.perf_counter() - started)
        pages["job descriptions"] = n
    roles = sum(len(b.parts) for b in batches)
    print(f"| part | PDFs | pages | CPU median | CPU best | wall median | ({args.rounds} rounds, alternating) |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for part in pages:
        print(
            f"| {part} | {1 if part == 'document' else roles} | {pages[part]} | "
            f"{statistics.median(cpu[part]):.1f} s | {min(cpu[part]):.1f} s | "
            f"{statistics.median(wall[part]):.1f} s | |"
        )
    ratio = statistics.median(cpu["job descriptions"]) / statistics.median(cpu["document"])
    print(f"\njob descriptions / document, CPU: {ratio:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""What the commands print: problems compiler style, and the closing count."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from handbook.problems import Problem


def count_line(problems: Sequence[Problem]) -> str:
    """``2 errors, 1 warning``."""
    n_err = sum(1 for p in problems if p.is_error)
    n_warn = len(problems) - n_err
    return f"{n_err} error{'s' if n_err != 1 else ''}, {n_warn} warning{'s' if n_warn != 1 else ''}"


def print_problems(
    problems: Sequence[Problem], out=None, quiet: bool = False, summary: str = "", language: str = "en"
) -> None:
    """Every problem with ``file:line:col`` (errors only when ``quiet``), the summary, the count;
    in ``language`` (:func:`handbook.problem_words.message_language`), a spreadsheet's problems
    in the workbook's terms."""
    from handbook import problem_words

    out = out or sys.stdout
    for p in problems:
        if quiet and not p.is_error:
            continue
        print(problem_words.format_problem(p, language), file=out)
    if summary:
        print(summary, file=out)
    print(count_line(problems), file=out)  # as the summary above it: what scripts read

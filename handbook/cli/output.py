"""What the commands print: problems compiler style, and the closing count."""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Sequence

from handbook.problems import Problem


def count_line(problems: Sequence[Problem]) -> str:
    """``2 errors, 1 warning``."""
    n_err = sum(1 for p in problems if p.is_error)
    n_warn = len(problems) - n_err
    return f"{n_err} error{'s' if n_err != 1 else ''}, {n_warn} warning{'s' if n_warn != 1 else ''}"


def _(message: str) -> str:
    """Marks a label to translate where it is printed (in the language the user reads)."""
    return message


#: problems from which on the listing ends with what they are, grouped by code
KINDS_FROM = 6


def kinds_line(problems: Sequence[Problem], language: str = "en") -> str:
    """``by kind: 8 × dangling-ref; 4 × bad-value`` (按类型：dangling-ref 8 个；bad-value 4 个),
    most frequent first, for a listing of :data:`KINDS_FROM` or more problems of two or more
    codes; empty otherwise."""
    from handbook.i18n import translate

    counts = Counter(p.code.value for p in problems)
    if len(problems) < KINDS_FROM or len(counts) < 2:
        return ""
    item = translate(_("{n} × {code}"), language)
    kinds = translate(_("; "), language).join(item.format(n=n, code=c) for c, n in counts.most_common())
    return translate(_("by kind: {kinds}"), language).format(kinds=kinds)


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
    shown = [p for p in problems if p.is_error or not quiet]
    if kinds := kinds_line(shown, language):
        print(kinds, file=out)
    print(count_line(problems), file=out)  # as the summary above it: what scripts read

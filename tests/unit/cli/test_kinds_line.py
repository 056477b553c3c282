"""The listing of many problems ends with what they are, grouped by code (issue 24)."""

from handbook.cli.output import kinds_line, print_problems
from handbook.problems import Code, Problem, Source


def problems(n_dangling: int, n_bad: int) -> list[Problem]:
    at = Source("hr.xlsx", 3, 2)
    return [Problem(at, Code.DANGLING_REF, "x")] * n_dangling + [Problem(at, Code.BAD_VALUE, "y")] * n_bad


def test_many_problems_of_several_codes_are_counted_by_code_most_frequent_first(capsys):
    assert kinds_line(problems(5, 2)) == "by kind: 5 × dangling-ref; 2 × bad-value"
    assert kinds_line(problems(5, 2), "zh_CN") == "按类型：dangling-ref 5 个；bad-value 2 个"
    print_problems(problems(5, 2))
    lines = capsys.readouterr().out.splitlines()
    assert lines[-2:] == ["by kind: 5 × dangling-ref; 2 × bad-value", "7 errors, 0 warnings"]  # the count stays last


def test_a_few_problems_or_one_code_need_no_grouping():
    assert kinds_line(problems(3, 2)) == ""
    assert kinds_line(problems(9, 0)) == ""

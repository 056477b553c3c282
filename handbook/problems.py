"""Problem codes reported by the loader and the validator.

Each member's docstring is the documentation of that code: ``handbook codes`` prints the
table from here and ``docs/data-format.md`` embeds it, so the docs cannot drift. Codes
are stable: in a Sphinx build they become the warning subtype (``handbook.<code>``).
"""

from __future__ import annotations

import enum
import os
from dataclasses import dataclass, field


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"


class Code(enum.Enum):
    """A problem code: its value is the stable code, its docstring the documentation."""

    def __new__(cls, code: str, severity: Severity, doc: str) -> Code:
        obj = object.__new__(cls)
        obj._value_ = code
        obj.severity = severity  # type: ignore[attr-defined]
        obj.__doc__ = doc
        return obj

    # errors
    IO_ERROR = ("io-error", Severity.ERROR, "The data folder or a file in it cannot be read.")
    ENCODING = (
        "encoding",
        Severity.ERROR,
        "A file is not valid UTF-8 text (GBK/GB18030 and UTF-16 files are recognised and named).",
    )
    YAML_SYNTAX = ("yaml-syntax", Severity.ERROR, "A file is not valid YAML (or holds several YAML documents).")
    DUPLICATE_KEY = ("duplicate-key", Severity.ERROR, "A mapping repeats a key; YAML would silently keep the last one.")
    UNKNOWN_KEY = (
        "unknown-key",
        Severity.ERROR,
        "A key the format does not know (typos are caught; free data goes under `extra:`).",
    )
    WRONG_TYPE = ("wrong-type", Severity.ERROR, "A value has the wrong type, e.g. a list where a text is expected.")
    BAD_VALUE = (
        "bad-value",
        Severity.ERROR,
        "A value has the right type but an invalid form (headcount, date, assignment type, empty text).",
    )
    MISSING_FIELD = (
        "missing-field",
        Severity.ERROR,
        "A required field is absent (e.g. a role's `title` or `responsibilities`).",
    )
    BAD_ID = ("bad-id", Severity.ERROR, "An id does not match `^[a-z0-9][a-z0-9_-]{0,63}$`.")
    DUPLICATE_ID = ("duplicate-id", Severity.ERROR, "Two objects of the same kind share an id.")
    DANGLING_REF = (
        "dangling-ref",
        Severity.ERROR,
        "A reference names an object that does not exist (parent, head, department, reports_to, dotted_line_to, owner, related processes, step role, next, RACI, assignment).",
    )
    CYCLE = ("cycle", Severity.ERROR, "Departments' `parent` or roles' `reports_to` form a cycle.")
    COMPANY_COUNT = ("company-count", Severity.ERROR, "There is no `company`, or more than one, across all files.")
    COMMA_IN_BRACES = (
        "comma-in-braces",
        Severity.ERROR,
        "Inside `{…}` a comma ended a value early (`{title: 副总经理, 管理者代表}` reads `管理者代表` as a key of its own), or a key has no `:`; quote the value.",
    )
    UNKNOWN_CLAUSE = (
        "unknown-clause",
        Severity.ERROR,
        "A clause tag is not a clause of ISO 9001:2015 (sections 4–10, e.g. `7.5.3`); the hint names the likely one.",
    )
    # warnings
    DUPLICATE_ROW = (
        "duplicate-row",
        Severity.WARNING,
        "A spreadsheet row repeats another row of its sheet (the same title and code, or the same cells): a row pasted twice, which would become two objects.",
    )
    HEAD_OUTSIDE_DEPARTMENT = (
        "head-outside-department",
        Severity.WARNING,
        "A department's head role belongs to another department.",
    )
    SHARED_WITH_OWN_DEPARTMENT = (
        "shared-with-own-department",
        Severity.WARNING,
        "A role's `shared_with` names its own `department` (the post is shared with other departments only).",
    )
    OVER_HEADCOUNT = ("over-headcount", Severity.WARNING, "More people fill a role than its headcount allows (超编).")
    FILLED_COUNT = (
        "filled-count",
        Severity.WARNING,
        "A role names more holders than its `filled` count, which counts the named holders too.",
    )
    NO_QUALIFICATIONS = (
        "no-qualifications",
        Severity.WARNING,
        "A role has no qualifications (任职资格), which ISO 9001 clause 7.2 asks for.",
    )
    RACI_ACCOUNTABLE = ("raci-accountable", Severity.WARNING, "A RACI row does not have exactly one A (accountable).")
    RACI_RESPONSIBLE = ("raci-responsible", Severity.WARNING, "A RACI row has no R (responsible).")
    UNREACHABLE_STEP = ("unreachable-step", Severity.WARNING, "A process step cannot be reached from the first step.")
    EMPTY_DEPARTMENT = (
        "empty-department",
        Severity.WARNING,
        "A department has no roles and no sub-departments with roles.",
    )
    FULLWIDTH_PUNCTUATION = (
        "fullwidth-punctuation",
        Severity.WARNING,
        "Full-width punctuation where YAML syntax was probably meant: `[总经理办公室，技术部]` is one item, not two; `“总经理”` keeps its quotes in the text.",
    )
    REVIEW_OVERDUE = (
        "review-overdue",
        Severity.WARNING,
        "The document's next review is due before the build date (`handbook check --today`, the `handbook_today` setting, else today): `review_interval` months after the last review of the review log (`reviews`), or `review_due` when that is later (or there is no log); the site and the PDF cover say so too.",
    )
    CHANGED_SINCE_APPROVAL = (
        "changed-since-approval",
        Severity.WARNING,
        "The data differs from the content released for its revision (the `fingerprint` that `handbook release` wrote into the revision's `history` entry); the message names what changed, and the site and the PDF are marked as a draft of the next revision on every page.",
    )
    NOT_RELEASED = (
        "not-released",
        Severity.WARNING,
        "The document's current revision has no fingerprint in its `history` entry while an earlier revision was released with `handbook release`: it is not approved yet, and the site and the PDF are marked as a draft of it on every page.",
    )
    REVISION_MISMATCH = (
        "revision-mismatch",
        Severity.WARNING,
        "The document's current `revision` is not the last `history` entry.",
    )
    HISTORY_ORDER = (
        "history-order",
        Severity.WARNING,
        "A `history` entry is dated before the entry above it (the history lists revisions oldest first).",
    )
    EFFECTIVE_BEFORE_APPROVAL = (
        "effective-before-approval",
        Severity.WARNING,
        "The document's `effective` date is before the date of one of its approvals (编制 / 审核 / 批准).",
    )
    NO_AUTHORITY = (
        "no-authority",
        Severity.WARNING,
        "A role has no `authority` (工作权限); ISO 9001 clause 5.3 asks for responsibilities and authorities.",
    )
    VACANT_PERFORMER = (
        "vacant-performer",
        Severity.WARNING,
        "A post nobody holds (no primary, concurrent or acting holder) performs a process step or is R or A in a RACI row.",
    )
    CLAUSE_UNASSIGNED = (
        "clause-unassigned",
        Severity.WARNING,
        "An ISO 9001 clause that must have a lead department (`required_clauses`) has none: no department's or head's duty names it and `clause_owners` gives no lead.",
    )
    CONTROL_CHARACTER = (
        "control-character",
        Severity.WARNING,
        "A text held a control character (BEL, ESC, NUL, a lone surrogate …: invisible, and refused by workbooks and PDFs); it was removed. Excel's `_x000D_` escapes and CR LF line breaks are read as the characters they stand for.",
    )
    # organisation health (handbook.audit.org_health): only with `handbook_org_health` set
    SPAN_OF_CONTROL = (
        "span-of-control",
        Severity.WARNING,
        "A manager's span of control (posts reporting to it directly) is wider than `span_max` or narrower than `span_min` (管理幅度).",
    )
    ORG_LAYERS = (
        "org-layers",
        Severity.WARNING,
        "The reporting line has more layers than `layers_max` from the top post down (管理层级).",
    )
    MANY_POSTS = ("many-posts", Severity.WARNING, "A person holds more posts than `posts_max` (兼岗过多).")
    DUTY_CLAIMED_TWICE = (
        "duty-claimed-twice",
        Severity.WARNING,
        "Two departments list the same function in nearly the same words (`similarity`; 职责重叠).",
    )
    VACANCY_RATE = (
        "vacancy-rate",
        Severity.WARNING,
        "A department's open posts are a larger share of its headcount than `vacancy_max` (缺编率).",
    )
    # records of document control (handbook.audit.acknowledgements, handbook.audit.recall): with a previous release
    ACKNOWLEDGEMENT_OVERDUE = (
        "acknowledgement-overdue",
        Severity.WARNING,
        "A person whom the changes since the previous release concern has returned no acknowledgement (阅读确认) of the current revision `handbook_acknowledgement_days` days after its release.",
    )
    ACKNOWLEDGEMENT_UNKNOWN = (
        "acknowledgement-unknown",
        Severity.WARNING,
        "A returned acknowledgement (`acknowledgements:`) names a person who is not among the people.",
    )
    COPY_NOT_RETURNED = (
        "copy-not-returned",
        Severity.WARNING,
        "A paper copy of a superseded revision has no `returned` date (回收日期) `handbook_recall_days` days after the current revision took effect (7.5.3.2 d).",
    )
    RECEIPT_UNSIGNED = (
        "receipt-unsigned",
        Severity.WARNING,
        "A copy of the current revision has no receipt (`received`, 签收) `handbook_receipt_days` days after it was issued.",
    )
    CLAUSE_LEAD_WITHOUT_DUTY = (
        "clause-lead-without-duty",
        Severity.WARNING,
        "`clause_owners` makes a department lead a clause (●) that none of its duties (nor its head's) names: the lead rests on no duty.",
    )

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class Source:
    """Where a value was written: path and 1-based line and column."""

    path: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if not self.line:
            return self.path
        return f"{self.path}:{self.line}:{self.column}"

    def zh(self) -> str:
        """The place in Chinese messages: a YAML file keeps ``file:line:col`` (what editors read);
        a spreadsheet cell says it as HR finds it (``岗位.csv 第7行 「直接上级」列``)."""
        return str(self)


@dataclass(frozen=True, slots=True)
class Problem:
    source: Source
    code: Code
    message: str
    hint: str = ""
    related: tuple[Source, ...] = field(default=())

    @property
    def is_error(self) -> bool:
        return self.code.is_error

    @property
    def severity(self) -> str:
        return self.code.severity.value  # type: ignore[attr-defined]

    def format(self) -> str:
        """One problem in the compiler-like human format."""
        text = f"{self.source}: {self.severity}[{self.code.value}]: {self.message}"
        for rel in self.related:
            text += f"\n  see {rel}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text

    def as_dict(self) -> dict:
        return {
            "path": self.source.path,
            "line": self.source.line,
            "column": self.source.column,
            "severity": self.severity,
            "code": self.code.value,
            "message": self.message,
            "hint": self.hint,
            "related": [str(r) for r in self.related],
        }

    @classmethod
    def from_dict(cls, d: dict) -> Problem:
        """The problem :meth:`as_dict` gave (the related places as their text)."""
        return cls(
            Source(d["path"], d["line"], d["column"]),
            Code(d["code"]),
            d["message"],
            d["hint"],
            tuple(Source(r) for r in d.get("related", ())),
        )


def sort_problems(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.source.path, p.source.line, p.source.column, p.code.value))


def codes_table_markdown() -> str:
    """The table of problem codes, for the docs."""
    lines = ["| code | severity | meaning |", "| --- | --- | --- |"]
    for code in Code:
        lines.append(f"| `{code.value}` | {code.severity.value} | {code.__doc__} |")  # type: ignore[attr-defined]
    return "\n".join(lines) + "\n"


def display_path(path: str | os.PathLike[str]) -> str:
    """A path as messages show it: relative to the working folder when inside it."""
    p = os.path.abspath(path)
    try:
        rel = os.path.relpath(p)
    except ValueError:  # another drive on Windows
        return p
    return p if rel.startswith("..") else rel

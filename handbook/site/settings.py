"""Every setting of the extension, declared once.

Each :class:`Setting` carries its name, default, what a change rebuilds, its type, a check
and its help text. The extension registers them from :data:`SETTINGS`, checks the values
when the configuration is read (a bad value is a ``handbook.config`` warning naming the
setting, and a safe value is used instead), and the manual's configuration table
(docs/settings.md) is generated from the same list (``scripts/doc_tables.py``).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sphinx.util import logging

from handbook import status
from handbook.audit.org_health import Limits
from handbook.site.brand_colours import check_color, check_logo

logger = logging.getLogger(__name__)

#: most boxes in one chart: Mermaid's own limits (50,000 characters, 500 edges) hold below it
CHART_NODES = (5, 150)
CHART_DRAWING = ("build", "browser")
PDF_VARIANTS = ("pdf/a-2b", "pdf/a-3b", "pdf/ua-1", "")

#: words of a question that never make a query fail (``handbook_search_ignore``): they are
#: dropped when the query has other words, and never reported as "not found"
QUESTION_WORDS = tuple(
    [
        "谁",
        "哪个",
        "哪位",
        "哪些",
        "哪里",
        "哪儿",
        "什么",
        "怎么",
        "怎样",
        "怎么样",
        "如何",
        "为什么",
        "是否",
        "能否",
        "可以",
        "吗",
        "呢",
        "吧",
        "啊",
        "的",
        "地",
        "得",
        "了",
        "请问",
        "请",
        "谁负责",
        "谁管",
        "找谁",
        "问谁",
        "在哪里",
        "在哪",
        "去哪里",
        "去哪",
        "哪个部门",
        "哪个岗位",
        "哪个人",
        "什么部门",
        "什么岗位",
        "怎么办",
        "怎么弄",
        "怎么做",
        "如何做",
        "我",
        "我们",
        "你",
        "想",
        "要",
        "需要",
        "应该",
        "应当",
        "找",
        "去",
        "该",
        "由",
        "归",
        "负责",
        "负责的",
        "主要",
        "相关",
        "有关",
        "是",
        "在",
        "和",
        "与",
        "及",
        "或",
        "who",
        "whom",
        "whose",
        "which",
        "what",
        "where",
        "when",
        "how",
        "why",
        "does",
        "do",
        "did",
        "is",
        "are",
        "the",
        "a",
        "an",
        "of",
        "for",
        "to",
        "responsible",
        "responsibility",
        "in",
        "charge",
        "handles",
        "handle",
    ]
)

#: a check returns "" for a good value, else (the problem, the value to use instead)
Check = Callable[[Any], "tuple[str, Any] | str"]


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    rebuild: str  # what a change re-does: "env" (read every page again), "html" (write again), "" (nothing)
    help: str
    types: tuple[type, ...] = ()
    check: Check | None = None

    def problem(self, value: Any) -> tuple[str, Any] | None:
        """(what is wrong, the value to use instead), or None for a good value."""
        if self.types and not isinstance(value, self.types):
            names = " or ".join(t.__name__ for t in self.types)
            return f"must be a {names}, not {type(value).__name__}", self.default
        if self.check is not None:
            found = self.check(value)
            if found:
                return found if isinstance(found, tuple) else (found, self.default)
        return None


def _chart_nodes(value: int) -> tuple[str, int] | str:
    low, high = CHART_NODES
    if isinstance(value, bool):
        return "must be a whole number"
    if low <= value <= high:
        return ""
    return f"must be between {low} and {high}", max(low, min(value, high))


def _date_or_empty(value: str) -> str:
    if not value:
        return ""
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return "must be a date written YYYY-MM-DD, or empty"
    return ""


def _one_of(options: tuple[str, ...]) -> Check:
    def check(value: str) -> str:
        return "" if value in options else "must be one of " + ", ".join(repr(o) for o in options)

    return check


def _file_name(value: str) -> str:
    return "must be a file name, not a path" if "/" in value or "\\" in value else ""


def _words(value) -> str:
    return "" if all(isinstance(w, str) and w.strip() for w in value) else "must be a list of words"


def _synonyms(value) -> str:
    groups = value.values() if isinstance(value, dict) else value
    ok = all(
        g is None or (isinstance(g, (list, tuple)) and g and all(isinstance(w, str) and w.strip() for w in g))
        for g in groups
    )
    return "" if ok else "must be a list of word lists, or a mapping of group names to word lists"


def _shard_kb(value: int) -> tuple[str, int] | str:
    if isinstance(value, bool) or value < 1:
        return "must be a whole number of KB, at least 1", 16
    return ""


def _not_empty(value: str) -> str:
    return "" if value.strip() else "must not be empty"


def _statuses(value: dict) -> tuple[str, dict] | str:
    problems = status.table(value)[1]
    return ("; ".join(problems), value) if problems else ""


def _copy_number(value: int) -> str:
    return "must be a copy number ≥ 1, or 0 for none" if isinstance(value, bool) or value < 0 else ""


def _org_health(value: dict | None) -> tuple[str, None] | str:
    if value is None:
        return ""
    try:
        Limits.from_setting(value)
    except (ValueError, AttributeError) as exc:
        return str(exc), None
    return ""


def _days(value: int | None) -> tuple[str, None] | str:
    if value is None:
        return ""
    return ("must be a whole number of days ≥ 0, or None", None) if isinstance(value, bool) or value < 0 else ""


def _roles(value: str) -> str:
    ids = [x.strip() for x in value.split(",") if x.strip()]
    bad = [x for x in ids if not re.match(r"^[a-z0-9][a-z0-9_-]{0,63}$", x)]
    return f"{', '.join(map(repr, bad))}: not role ids ('all', '', or ids separated by commas)" if bad else ""


#: every setting, in the order of the docs table
SETTINGS: tuple[Setting, ...] = (
    Setting(
        "handbook_data_dir",
        "org",
        "env",
        "Folder of the organisation's YAML files, relative to the folder of conf.py.",
        (str,),
        _not_empty,
    ),
    Setting(
        "handbook_show_people",
        True,
        "env",
        "Show the names of the people holding each role (set False to publish posts only).",
        (bool,),
    ),
    Setting(
        "handbook_publish_json",
        True,
        "",
        "Publish handbook.json (every object with its relations and page URLs; no names with "
        "handbook_show_people = False) beside the site.",
        (bool,),
    ),
    Setting(
        "handbook_chart_max_nodes",
        60,
        "env",
        f"Most boxes in one chart ({CHART_NODES[0]}-{CHART_NODES[1]}); larger trees are split into an "
        "overview and per-department charts.",
        (int,),
        _chart_nodes,
    ),
    Setting(
        "handbook_as_of",
        "",
        "env",
        "The 'as of' date printed under charts (YYYY-MM-DD); default: the document's effective date, else today.",
        (str,),
        _date_or_empty,
    ),
    Setting(
        "handbook_mermaid_dir",
        "",
        "html",
        "Folder holding mermaid.esm.min.mjs and chunks/ (default: node_modules/mermaid/dist next to conf.py "
        "or in the working folder).",
        (str,),
    ),
    Setting(
        "handbook_chart_drawing",
        "build",
        "html",
        "Where the site's charts are drawn: 'build' (as inline SVG at build time, in headless Chromium, "
        "cached; pages need no script and work from file://) or 'browser' (Mermaid in the reader's browser, "
        "shipped in _static). Without Chromium at build time the build warns once and draws in the browser.",
        (str,),
        _one_of(CHART_DRAWING),
    ),
    Setting(
        "handbook_search_dict",
        "",
        "html",
        "A jieba user dictionary with more words to keep whole in search (`word [freq]` per line), relative "
        "to conf.py. The handbook's own titles and names are added automatically.",
        (str,),
    ),
    Setting(
        "handbook_logo",
        "",
        "html",
        "The company's logo (an SVG or PNG file, relative to conf.py): in the site's header, on the PDF's "
        "cover and on every job description.",
        (str,),
        check_logo,
    ),
    Setting(
        "handbook_brand_color",
        "",
        "html",
        "The company's colour (`#rrggbb`): the site's header bar and heading rules (its text turns white or "
        "dark to stay readable), the PDF's cover title, headings, rules and running header.",
        (str,),
        check_color,
    ),
    Setting(
        "handbook_search_ignore",
        QUESTION_WORDS,
        "html",
        "Question and function words (谁, 哪个, 怎么, 如何, 的, 负责 …) that never make a search fail: dropped "
        "when the query has other words, never reported as not found. Replace or extend the list.",
        (list, tuple),
        _words,
    ),
    Setting(
        "handbook_search_synonyms",
        [],
        "html",
        "More groups of words that mean the same piece of work, added to the shipped vocabulary of work "
        '(`[["饭堂", "食堂"], ...]`, or `{"payroll": ["出粮"]}` to extend a shipped group by name). '
        "See the Search section of pages.md.",
        (list, tuple, dict),
        _synonyms,
    ),
    Setting(
        "handbook_search_vocabulary_file",
        "",
        "html",
        "A YAML file the company keeps, relative to conf.py, of the form of handbook/data/work_vocabulary.yaml: "
        "its groups extend the shipped ones of the same name, add new ones, or drop one (`name: null`).",
        (str,),
    ),
    Setting(
        "handbook_search_shard_kb",
        16,
        "html",
        "Target size in KB of one piece of the split search index (a query loads the pieces of its characters).",
        (int,),
        _shard_kb,
    ),
    Setting(
        "handbook_baseline",
        "",
        "env",
        "The last released data to compare with: a folder (relative to conf.py) or a git revision of the "
        "data folder (a tag such as `B0`). The build then adds the 'Changes in this revision' page "
        "(`indexes/changes`) and notes on the pages that changed. Empty: no comparison.",
        (str,),
    ),
    Setting(
        "handbook_pdf_filename",
        "",
        "",
        "File name of the PDF in the output folder (default: the document number and revision, e.g. "
        "HYL-QM-001-B1.pdf, so a new revision never overwrites a released one).",
        (str,),
        _file_name,
    ),
    Setting(
        "handbook_pdf_variant",
        "pdf/a-2b",
        "",
        "WeasyPrint PDF variant: 'pdf/a-2b' (archival, default), 'pdf/a-3b', 'pdf/ua-1', or '' for plain PDF.",
        (str,),
        _one_of(PDF_VARIANTS),
    ),
    Setting(
        "handbook_document_statuses",
        {},
        "env",
        "Document statuses beyond the built-in draft (草稿), controlled (受控) and obsolete (作废), or other "
        "marking for those: `{status: {label, aliases, stamp, note, watermark, banner, statement, "
        "controlled}}` (see docs/audit.md).",
        (dict,),
        _statuses,
    ),
    Setting(
        "handbook_today",
        "",
        "html",
        "The build date the review date (`review_due`) is checked against (YYYY-MM-DD); default: "
        "SOURCE_DATE_EPOCH if set, else today.",
        (str,),
        _date_or_empty,
    ),
    Setting(
        "handbook_pdf_copy",
        0,
        "",
        "Build controlled copy N of the PDF (`handbook pdf --copy N`): its number and holder, from "
        "`distribution`, on the cover and in every footer; 0: not a numbered copy.",
        (int,),
        _copy_number,
    ),
    Setting(
        "handbook_defer_gc",
        True,
        "",
        "While building HTML, Python's full garbage collections wait until the build ends (Sphinx keeps "
        "every page it has read in memory, and at thousands of pages scanning them again and again took a "
        "third of the build); each written page is freed at once instead. False: Python's default.",
        (bool,),
    ),
    Setting(
        "handbook_pdf_roles",
        "all",
        "",
        "Job descriptions (岗位说明书) as PDFs in roles/<id>.pdf: 'all' (with the document), '' (none), or "
        "role ids separated by commas (only those, without the document: `handbook pdf --role ID`).",
        (str,),
        _roles,
    ),
    Setting(
        "handbook_org_health",
        None,
        "env",
        "Limits of the organisation-health warnings (`span_max`, `span_min`, `layers_max`, `posts_max`, "
        "`vacancy_max`, `similarity`), e.g. `{'span_max': 8}`; `{}` warns with the default limits, None "
        "(default) does not warn. The org-health page shows the figures either way.",
        (dict, type(None)),
        _org_health,
    ),
    Setting(
        "handbook_jd_signing_department",
        "",
        "",
        "The department (its id) that signs every job description beside the holder and the direct "
        "supervisor, e.g. 'admin-hr'; '' (default): the post's own department.",
        (str,),
    ),
    Setting(
        "handbook_acknowledgement_days",
        None,
        "env",
        "Days after the release of a revision by which everyone whom its changes concern has returned an "
        "acknowledgement (阅读确认); later, `acknowledgement-overdue` warns, e.g. 30. None (default): no warning.",
        (int, type(None)),
        _days,
    ),
    Setting(
        "handbook_recall_days",
        None,
        "env",
        "Days after a revision takes effect by which the paper copies of the revision before it are back "
        "(回收); later, `copy-not-returned` warns, e.g. 14. None (default): no warning.",
        (int, type(None)),
        _days,
    ),
    Setting(
        "handbook_receipt_days",
        None,
        "env",
        "Days after a copy is issued by which its receipt (签收) is recorded; later, `receipt-unsigned` warns. "
        "e.g. 7. None (default): no warning.",
        (int, type(None)),
        _days,
    ),
)


def build_date(config) -> dt.date:
    """The date a build checks the review date against: handbook_today, SOURCE_DATE_EPOCH, else today."""
    if config.handbook_today:
        try:
            return dt.date.fromisoformat(config.handbook_today)
        except ValueError:
            pass  # reported by check_config
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.date.today()


def document_statuses(config) -> dict[str, status.Status]:
    """The known document statuses: built in, changed or extended by handbook_document_statuses."""
    return status.table(config.handbook_document_statuses)[0]


def check_config(app, config) -> None:
    """``config-inited``: every bad value is a warning, and a safe value is used instead."""
    for s in SETTINGS:
        value = getattr(config, s.name)
        found = s.problem(value)
        if found is None:
            continue
        problem, use = found
        # no location: at this stage Sphinx would take "conf.py" for a document name
        logger.warning("conf.py: %s = %r %s; using %r", s.name, value, problem, use, type="handbook", subtype="config")
        setattr(config, s.name, use)


def setup_config(app) -> None:
    for s in SETTINGS:
        app.add_config_value(s.name, s.default, s.rebuild, types=s.types or ())
    app.connect("config-inited", check_config, priority=400)

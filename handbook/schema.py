"""The data format, declared once.

Every kind of object in the YAML files (the top level of a file, the company, its
document control, departments, roles, people, processes …) is a :class:`Kind` with its
:class:`Field`\\ s: the YAML key, the value's type, whether it is required, what it refers
to, and a short description in Chinese and English. Everything else is derived from
this table:

* the validator's key and type checks (:mod:`handbook.readers`, :mod:`handbook.read`),
* the field tables in ``docs/data-format.md`` (:func:`markdown_table`),
* the synthetic data generator's tests and the tests of the format.

Adding a field is one :class:`Field` here plus the code that uses it (the model
attribute it fills and the page that shows it). No Sphinx imports; no model imports.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from handbook.status import DEFAULT_FIELD as _STATUS

#: the relations a process step may name instead of a post (``performer``)
PERFORMERS = ("initiator", "initiator-head", "department-heads", "process-owner")

#: what each field type accepts, as the docs say it (English, Chinese)
TYPES: dict[str, tuple[str, str]] = {
    "text": ("text", "文本"),
    "texts": ("list of texts", "文本列表"),
    "id": ("id", "标识"),
    "ref": ("{ref} id", "{ref} 标识"),
    "refs": ("list of {ref} ids", "{ref} 标识列表"),
    "duties": ("duty list", "职责列表"),
    "int": ("integer", "整数"),
    "date": ("date", "日期"),
    "headcount": ('integer ≥ 0, a range `"5-10"`, or `若干` (open)', '非负整数、范围 `"5-10"` 或 `若干`（不定编）'),
    "choice": ("one of {choices}", "取值 {choices}"),
    "clause": ('ISO 9001 clause number, e.g. `"8.2.1"`', 'ISO 9001 条款号，如 `"8.2.1"`'),
    "clauses": (
        'list of ISO 9001 clause numbers, e.g. `["7.5", "8.2.1"]`',
        'ISO 9001 条款号列表，如 `["7.5", "8.2.1"]`',
    ),
    "object": ("`{{{keys}}}`", "`{{{keys}}}`"),
    "objects": ("list of `{{{keys}}}`", "`{{{keys}}}` 列表"),
    "extra": ("mapping", "映射"),
}


@dataclass(frozen=True)
class Field:
    """One key of a kind of object."""

    key: str  # the YAML key
    type: str  # a key of TYPES
    en: str  # what it means, in English
    zh: str = ""  # 中文说明 (the Chinese term of the seed documents)
    required: bool = False
    ref: str | None = None  # ref / refs: the kind referred to (department, role, step)
    of: str | None = None  # object / objects: the kind of the nested mapping(s)
    attr: str | None = None  # the model attribute, when it is not the key (RACI `R` -> responsible)
    choices: tuple[str, ...] = ()  # choice: the values
    aliases: tuple[tuple[str, str], ...] = ()  # choice: other spellings -> value (兼任 -> concurrent)
    shorthand: str | None = None  # objects: a plain value item stands for {shorthand: value}
    list_attr: str | None = None  # object: a plain list is accepted and stored in this attribute
    minimum: int | None = None  # int: the smallest value allowed
    missing_hint: str | None = None  # the hint when a required key is absent (None: "`key` is required")
    note: str = ""  # a longer remark for the docs

    @property
    def name(self) -> str:
        """The attribute of the model object this field fills."""
        return self.attr or self.key


@dataclass(frozen=True)
class Kind:
    """A kind of mapping in the data files."""

    name: str
    what: str  # how messages name one of them: "a role", "a `history` entry"
    fields: tuple[Field, ...]
    en: str = ""
    zh: str = ""

    def keys(self) -> tuple[str, ...]:
        return tuple(f.key for f in self.fields)

    def field(self, key: str) -> Field:
        for f in self.fields:
            if f.key == key:
                return f
        raise KeyError(key)

    @property
    def id_field(self) -> Field | None:
        return next((f for f in self.fields if f.type == "id"), None)


def _text(key: str, en: str, zh: str = "", **kw) -> Field:
    return Field(key, "text", en, zh, **kw)


def _duties(key: str, en: str, zh: str, **kw) -> Field:
    return Field(key, "duties", en, zh, **kw)


_EXTRA = Field("extra", "extra", "free data, carried along but not checked", "自定义数据")
_ORDER = Field("order", "int", "sort key among siblings; those without `order` follow, in file order", "排序")
_ID_HINT = "give it a short lower-case id such as `cs-manager`; ids make page addresses"

# The declaration is a table, one field per line: kept as written.
# fmt: off
KINDS: dict[str, Kind] = {k.name: k for k in (
    Kind("file", "the top level", (
        Field("company", "object", "the company (exactly one in the whole folder)", "公司", of="company"),
        Field("departments", "objects", "departments", "部门", of="department"),
        Field("roles", "objects", "roles (posts)", "岗位", of="role"),
        Field("people", "objects", "the people holding the roles", "人员", of="person"),
        Field("processes", "objects", "processes", "工作流程", of="process"),
        Field("acknowledgements", "objects", "returned acknowledgements (阅读确认): who confirmed reading the "
              "changes of a revision; records, not content", "阅读确认记录", of="acknowledgement"),
    ), "a data file", "数据文件"),
    Kind("acknowledgement", "an `acknowledgements` entry", (
        _text("person", "the person: their id, else their name", "人员", required=True,
              missing_hint="write `{person: <id or name>, revision: B/1, date: 2024-03-05}`"),
        _text("revision", "the revision whose changes they read", "版本", required=True),
        Field("date", "date", "the date they signed", "确认日期", required=True),
        _text("record", "the signed sheet or record, e.g. an OA number", "记录"),
    ), "a returned acknowledgement (阅读确认记录)", "阅读确认记录"),
    Kind("company", "`company`", (
        _text("name", "company name", "公司名称", required=True),
        _text("short_name", "short name", "简称"),
        _text("description", "what the company does", "公司简介"),
        Field("document", "object", "document control (ISO 9001 clause 7.5)", "文件控制", of="document"),
        Field("clause_owners", "objects", "ISO 9001 clauses assigned to departments directly (the "
              "allocation table's ● lead / ○ support, beside what duties' `clauses` give)", "质量职能分配",
              of="clause_owner"),
        Field("required_clauses", "clauses", "the clauses that must have a lead department (default: the "
              "clauses of sections 4–10 that need an owner; `[]`: none)", "须有主管部门的条款"),
        _EXTRA,
    ), "the company", "公司"),
    Kind("clause_owner", "a `clause_owners` entry", (
        Field("clause", "clause", "the ISO 9001 clause", "条款", required=True,
              missing_hint='write `clause: "6.1"`'),
        Field("lead", "refs", "the lead departments (●)", "主管部门", ref="department"),
        Field("support", "refs", "the supporting departments (○)", "协助部门", ref="department"),
        _text("not_applicable", "the clause does not apply: why (printed in the allocation table; "
              "ISO 9001 4.3 asks for the justification)", "不适用理由"),
    ), "an ISO 9001 clause assigned to departments", "质量职能分配"),
    Kind("document", "`document`", (
        _text("number", "document number, e.g. `QM-ORG-001`", "文件编号"),
        _text("title", "document title, e.g. 组织机构与岗位职责手册", "文件名称"),
        _text("revision", "current revision, e.g. `B/1`", "版本"),
        Field("status", "choice", "the document's status; it decides the marking: cover stamp, footer note, "
              "watermark, banner (more statuses: `handbook_document_statuses` in conf.py)", "状态",
              choices=_STATUS.choices, aliases=_STATUS.aliases),
        Field("effective", "date", "effective date", "实施日期"),
        Field("review_due", "date", "next review", "复审日期"),
        Field("prepared_by", "object", "prepared by", "编制", of="approval"),
        Field("reviewed_by", "object", "reviewed by", "审核", of="approval"),
        Field("approved_by", "object", "approved by", "批准", of="approval"),
        Field("distribution", "objects", "who receives copies; a plain name is short for `{holder: <name>}`",
              "发放范围", of="copy", shorthand="holder"),
        Field("history", "objects", "revision history", "修订记录", of="revision"),
        Field("reviews", "objects", "the review log: each periodic review with its date, reviewer, result "
              "and record; the next review is due `review_interval` months after the last one, or on "
              "`review_due` when that is later", "复审记录", of="review"),
        Field("review_interval", "int", "months from one review to the next (default 12), counted from the "
              "last review of the review log", "复审周期（月）", minimum=1),
    ), "document control", "文件控制"),
    Kind("approval", "an approval", (
        _text("name", "name", "姓名", required=True),
        _text("title", "position", "职务"),
        Field("date", "date", "date", "日期"),
        _text("record", "the record of this approval: an approval-workflow id, a URL or an e-signature "
              "reference; the cover shows it in the signature column", "审批记录"),
    ), "an approval (编制 / 审核 / 批准)", "签批"),
    Kind("copy", "a `distribution` entry", (
        Field("copy", "int", "copy number, for controlled copies (`handbook pdf --copy N` prints copy N)",
              "分发号"),
        _text("holder", "who holds the copy: a department, a role or a person", "持有人", required=True,
              missing_hint="write `{copy: 1, holder: 品质部}`, or the holder's name alone"),
        Field("count", "int", "number of copies issued (default 1)", "份数"),
        Field("issued", "date", "date issued", "发放日期"),
        _text("received", "receipt: who signed for it and when, or the reference of the receipt record; "
              "empty: the 发放记录 leaves the cell to sign", "签收"),
        Field("medium", "choice", "paper or electronic copy (default paper)", "载体", choices=("paper", "electronic"),
              aliases=(("纸质", "paper"), ("纸质版", "paper"), ("电子", "electronic"), ("电子版", "electronic"))),
        _text("revision", "the revision this copy is of (default: the document's revision); an earlier one "
              "records a copy to recall", "版本"),
        Field("returned", "date", "date the copy came back (withdrawn when its revision was superseded)",
              "回收日期"),
        _text("returned_by", "who took it back", "回收人"),
    ), "a distribution entry (发放记录)", "发放记录"),
    Kind("revision", "a `history` entry", (
        _text("revision", "revision", "版本", required=True),
        Field("date", "date", "date", "日期", required=True, missing_hint=""),
        _text("author", "author", "修订人"),
        _text("approved_by", "approved by", "批准人"),
        _text("summary", "summary of changes", "修订内容"),
        _text("fingerprint", "the fingerprint (sha256) of the released content, written by `handbook release`; "
              "do not edit it", "内容指纹"),
        Field("editorial", "texts", "editorial changes of this revision (wording, typos) nobody must re-read: "
              "`all`, an object's id (`qa-manager`, `role:qa-manager`) or one of its lists "
              "(`qa-manager.kpis`, `quality.functions`, `complaint.steps`)", "编辑性修改"),
    ), "a revision history entry", "修订记录"),
    Kind("review", "a `reviews` entry", (
        Field("date", "date", "date of the review", "复审日期", required=True, missing_hint=""),
        _text("reviewer", "who reviewed", "复审人"),
        Field("result", "choice", "what the review found: `no-change` (still valid) or `revise` (a new "
              "revision is needed)", "复审结论", choices=("no-change", "revise"),
              aliases=(("无变化", "no-change"), ("内容仍适用", "no-change"), ("不需修订", "no-change"),
                       ("继续有效", "no-change"), ("需修订", "revise"), ("修订", "revise"))),
        _text("record", "the record of the review: a minutes number, a workflow id", "复审记录编号"),
        _text("note", "remarks", "备注"),
    ), "a review record (复审记录)", "复审记录"),
    Kind("department", "a department", (
        Field("id", "id", "stable id: the page address `departments/<id>.html`", "标识", required=True,
              missing_hint=_ID_HINT),
        _text("name", "department name", "部门名称", required=True),
        _text("code", "department code", "部门编号"),
        Field("parent", "ref", "parent department; absent = top level", "隶属", ref="department"),
        _text("category", "category, e.g. 后勤类", "部门属性"),
        Field("head", "ref", "head of the department (a role, not a person)", "部门负责人", ref="role"),
        _text("purpose", "basic function", "基本职能"),
        _duties("functions", "functions", "部门职责"),
        _duties("authority", "authority", "管理权限"),
        _duties("goals", "goals", "部门目标"),
        _duties("kpis", "performance indicators", "考核指标"),
        _ORDER,
        _EXTRA,
    ), "a department", "部门"),
    Kind("role", "a role", (
        Field("id", "id", "stable id: the page address `roles/<id>.html`", "标识", required=True,
              missing_hint=_ID_HINT),
        _text("title", "role title", "岗位名称", required=True),
        Field("department", "ref", "the department it belongs to", "所属部门", ref="department", required=True,
              missing_hint="every role belongs to a department: `department: <department id>`"),
        _text("code", "role code", "岗位编号"),
        Field("reports_to", "ref", "direct supervisor", "直接上级", ref="role"),
        Field("dotted_line_to", "refs", "dotted-line (matrix) reporting", "虚线汇报", ref="role"),
        Field("shared_with", "refs", "other departments the post also serves (a post shared by departments, "
              "e.g. 部门内勤 of 财务部 and 行政人事部): it is shown in each of them and counted once, in `department`",
              "共用部门", ref="department"),
        Field("headcount", "headcount", 'headcount (`"5-10人"`, `"5~10"` are accepted too); an open headcount '
              '(`若干`, `不定`, `按需`, `open`, `as needed`) is shown as written and left out of the sums', "编制"),
        Field("filled", "int", "how many people hold the post, named or not: for posts whose holders are not "
              "listed under `people` (e.g. 30 assembly workers); named holders count towards it", "在岗人数",
              minimum=0),
        _text("grade", "grade", "职级"),
        _text("purpose", "job purpose", "岗位目的"),
        _duties("responsibilities", "responsibilities (at least one)", "岗位职责", required=True,
                missing_hint="list the role's duties (岗位职责) under `responsibilities:`"),
        _duties("authority", "authority", "工作权限"),
        Field("qualifications", "object", "qualifications; a plain list of texts is accepted too", "任职资格",
              of="qualifications", list_attr="other"),
        _duties("kpis", "performance indicators", "考核指标"),
        Field("relations", "object", "working relations", "工作关系", of="relations"),
        _text("work_environment", "work environment", "工作环境"),
        _ORDER,
        _EXTRA,
    ), "a role (岗位: a post that exists whether or not anyone holds it)", "岗位"),
    Kind("qualifications", "`qualifications`", (
        _text("education", "education", "学历"),
        _text("experience", "experience", "工作经验"),
        Field("skills", "texts", "skills", "技能"),
        Field("certificates", "texts", "certificates", "证书"),
        Field("training", "texts", "training", "培训"),
    ), "qualifications", "任职资格"),
    Kind("relations", "`relations`", (
        Field("internal", "texts", "internal contacts", "内部"),
        Field("external", "texts", "external contacts", "外部"),
    ), "working relations", "工作关系"),
    Kind("person", "a person", (
        Field("id", "id", "stable id (optional): `{org:person}` references use it", "标识"),
        _text("name", "name", "姓名", required=True),
        Field("assignments", "objects", "the roles the person holds; a plain role id is short for "
              "`{role: <id>}`", "任职", of="assignment", shorthand="role"),
        _EXTRA,
    ), "a person", "人员"),
    Kind("assignment", "an assignment", (
        Field("role", "ref", "the role held", "岗位", ref="role", required=True,
              missing_hint="write `role: <role id>`"),
        Field("type", "choice", "how it is held", "任职方式", choices=("primary", "concurrent", "acting"),
              aliases=(("主岗", "primary"), ("兼任", "concurrent"), ("代理", "acting"))),
        Field("since", "date", "since when", "任职日期"),
    ), "an assignment of a person to a role", "任职"),
    Kind("process", "a process", (
        Field("id", "id", "stable id: the page address `processes/<id>.html`", "标识", required=True,
              missing_hint=_ID_HINT),
        _text("name", "process name", "流程名称", required=True),
        Field("owner", "ref", "process owner", "流程负责人", ref="role"),
        _text("purpose", "purpose", "目的"),
        _text("trigger", "trigger", "触发条件"),
        Field("steps", "objects", "the steps; the first step is the start", "流程步骤", of="step"),
        Field("raci", "objects", "RACI rows", "RACI", of="raci"),
        # ISO 9001 clause 4.4: what the process needs and gives, how it is measured, its risks
        Field("inputs", "texts", "inputs: what the process needs (from other processes or outside)", "输入"),
        Field("outputs", "texts", "outputs: what the process gives; an output written as another process's "
              "input links the two in the process map", "输出"),
        Field("kpis", "texts", "how the process is measured (ISO 9001 9.1)", "绩效指标"),
        Field("risks", "texts", "risks and opportunities (ISO 9001 6.1)", "风险和机遇"),
        Field("related", "refs", "related processes", "相关流程", ref="process"),
        Field("records", "texts", "forms and records the process keeps (ISO 9001 7.5)", "表单与记录"),
        _ORDER,
        _EXTRA,
    ), "a process (工作流程)", "工作流程"),
    Kind("step", "a step", (
        Field("id", "id", "step id, unique within the process", "标识", required=True, missing_hint=_ID_HINT),
        _text("action", "what is done", "工作内容", required=True),
        Field("role", "ref", "the role that does it", "执行岗位", ref="role"),
        Field("performer", "choice", "who does it when no one post does: a relation (the initiator, the "
              "initiator's department head, every department head, the process owner); `role` wins when both "
              "are given", "执行人", choices=PERFORMERS,
              aliases=(("申请人", "initiator"), ("申请人所在部门负责人", "initiator-head"),
                       ("申请部门负责人", "initiator-head"), ("各部门负责人", "department-heads"),
                       ("各部门经理", "department-heads"), ("流程负责人", "process-owner"))),
        Field("next", "objects", "the next steps (a step id, or `{to, label}` for a labelled branch); "
              "none: the process ends", "下一步", of="next", shorthand="to"),
        _text("record", "the record it produces", "记录"),
    ), "a process step", "流程步骤"),
    Kind("next", "a `next` entry", (
        Field("to", "ref", "the step it leads to", "下一步", ref="step", required=True,
              missing_hint="write `{to: <step id>, label: <text>}`"),
        _text("label", "branch label, e.g. 投诉建议", "分支条件"),
    ), "a transition to another step", "流转"),
    Kind("raci", "a RACI row", (
        _text("activity", "activity", "活动", required=True),
        Field("R", "refs", "responsible", "执行", ref="role", attr="responsible"),
        Field("A", "refs", "accountable (exactly one)", "负责", ref="role", attr="accountable"),
        Field("C", "refs", "consulted", "咨询", ref="role", attr="consulted"),
        Field("I", "refs", "informed", "知会", ref="role", attr="informed"),
    ), "a RACI row", "RACI"),
    Kind("duty", "a duty", (
        _text("text", "the duty", "职责", required=True),
        _text("kpi", "its measure", "考核指标"),
        _text("frequency", "how often", "频率"),
        Field("clauses", "clauses", "the ISO 9001 clauses it serves (the quality function allocation table)",
              "对应条款"),
    ), "a duty with its measure", "职责"),
    Kind("group", "a group", (
        _text("title", "group title, e.g. 一、以管促供", "分组标题", required=True),
        Field("items", "duties", "the duties of the group (texts or duties, no further groups)", "职责",
              required=True, missing_hint="a group is `{title: ..., items: [...]}`"),
    ), "a group of duties", "职责分组"),
)}
# fmt: on


def keys(kind: str) -> tuple[str, ...]:
    """The keys allowed in a mapping of this kind."""
    return KINDS[kind].keys()


def type_text(f: Field, language: str = "en") -> str:
    """A field's type as the docs say it: "role id", "list of `{role, type, since}`"."""
    en, zh = TYPES[f.type]
    pattern = zh if language.startswith("zh") else en
    keys_ = ""
    if f.of:  # small kinds show their keys; larger ones have a table of their own
        nested = KINDS[f.of].keys()
        keys_ = ", ".join(nested) if len(nested) <= 5 else f"{f.of} …"
    out = pattern.format(ref=f.ref or "", choices=" / ".join(f"`{c}`" for c in f.choices), keys=keys_)
    if f.list_attr:
        out = ("list of texts, or " if not language.startswith("zh") else "文本列表，或 ") + out
    if f.shorthand and f.of:
        out += f" (or `{f.shorthand}` alone)" if not language.startswith("zh") else f"（或仅写 `{f.shorthand}`）"
    return out


def markdown_table(kind: str) -> str:
    """The docs table of one kind: key, type, meaning (English with the Chinese term)."""
    lines = ["| key | type | meaning |", "| --- | --- | --- |"]
    for f in KINDS[kind].fields:
        typ = type_text(f) + (", **required**" if f.required else "")
        meaning = f.en + (f" ({f.zh})" if f.zh else "")
        if f.aliases:
            meaning += "; also " + ", ".join(f"{a} = `{v}`" for a, v in f.aliases)
        lines.append(f"| `{f.key}` | {typ} | {meaning} |")
    return "\n".join(lines) + "\n"


#: the kinds with a table in docs/data-format.md, in the order of the docs
DOC_KINDS = (
    "file",
    "company",
    "clause_owner",
    "document",
    "approval",
    "copy",
    "revision",
    "acknowledgement",
    "department",
    "role",
    "qualifications",
    "relations",
    "person",
    "assignment",
    "process",
    "step",
    "next",
    "raci",
    "duty",
    "group",
)


@dataclass(frozen=True)
class Reference:
    """A field that names another object: (kind holding it, key, kind referred to)."""

    kind: str
    key: str
    target: str = field(default="")


def references() -> tuple[Reference, ...]:
    """Every reference field of the format (for the docs and the problem-code text)."""
    return tuple(
        Reference(k.name, f.key, f.ref or "") for k in KINDS.values() for f in k.fields if f.type in ("ref", "refs")
    )

"""What people get wrong typing YAML on a Chinese keyboard, and how to say it.

The data is written by HR administrators in Notepad or WPS with a Chinese input method.
Its typical slips — a full-width colon ``：`` or comma ``，``, Chinese quotes ``“…”``,
a full-width space ``　`` or a tab as indentation, a missing colon, a file saved as
GBK — either break the YAML (PyYAML then reports something like "while scanning a
simple key could not find expected ':'" one line late) or, worse, parse into something
else (``[总经理办公室，技术部]`` is one item). The functions here find the cause on the
line where it was made and word the message and the fix. The loader uses them for
syntax errors, file encodings and values that parse but were meant otherwise; the
readers for hints on values of the wrong shape. Pure functions; no Sphinx imports.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from handbook.schema import KINDS

#: every key the format knows: a line "title 销售工程师" with one of them is a missing colon
KNOWN_KEYS = frozenset(k for kind in KINDS.values() for k in kind.keys()) | {"zh_CN", "en", "zh"}

#: full-width characters typed where YAML needs the ASCII one
FULLWIDTH = {
    "：": ":",
    "，": ",",
    "“": '"',
    "”": '"',
    "‘": "'",
    "’": "'",
    "　": " ",
    "－": "-",
    "【": "[",
    "】": "]",
    "［": "[",
    "］": "]",
    "｛": "{",
    "｝": "}",
    "＃": "#",
}
_QUOTES = "“”‘’"
_KEY = r"[A-Za-z_][A-Za-z0-9_-]*"
_LEAD = re.compile(r"^[ \t\u3000]*(?:[-－][ \t\u3000]+)?")  # indentation and a list marker
_FW_COLON = re.compile(rf"({_KEY})[ \t\u3000]*：")
_NO_SPACE = re.compile(rf"({_KEY}):(?![\s:/])")
_NO_COLON = re.compile(rf"({_KEY})[ \t\u3000]+(\S.*)$")
_FW_MARKER = re.compile(r"^[ \u3000]*([－—–•·●])")
_FW_BRACKET = re.compile(r"[:：][ \t\u3000]*([【［｛])")
_ID_PART = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


@dataclass(frozen=True)
class Cause:
    """A mistake found on one line: where (1-based), what, and the fix."""

    line: int
    column: int
    message: str
    hint: str


def explain_syntax_error(text: str, problem_line: int, context_line: int | None, context: str = "") -> Cause | None:
    """The mistake behind a YAML syntax error, or None when none of the known ones is there.

    ``problem_line`` and ``context_line`` are PyYAML's marks (0-based). The parser notices
    a mistake late: a missing or full-width colon on line N is reported on line N+1, a
    Chinese quote where the next ``:`` is. So the lines from the problem back to the
    context (at most a few lines) are searched, nearest first; then an unclosed ``{``/``[``
    and a key indented to no level of the lines above it.
    """
    lines = text.splitlines()
    if not lines:
        return None
    last = min(problem_line, len(lines) - 1)
    first = context_line if context_line is not None and context_line <= last else last - 3
    if context_line is not None and "flow" in context and context_line < len(lines):
        line = _strip_quoted(lines[context_line])
        for opening, closing in (("{", "}"), ("[", "]")):
            if line.count(opening) > line.count(closing):
                col = line.index(opening)
                return Cause(
                    context_line + 1,
                    col + 1,
                    f"`{opening}` is not closed on its line",
                    f"end the list or mapping with `{closing}` on the same line, or write it as lines",
                )
    for n in range(last, max(first, 0) - 1, -1):
        found = line_mistake(lines[n])
        if found is not None:
            col, message, hint = found
            return Cause(n + 1, col + 1, message, hint)
    found = indentation_mistake(lines, last)
    if found is not None:
        col, message, hint = found
        return Cause(last + 1, col + 1, message, hint)
    return None


_KEY_LINE = re.compile(r"^( *)((?:- +)*)([^\s:#'\"-][^:#]*?) *:(?: |$)")


def indentation_mistake(lines: list[str], n: int) -> tuple[int, str, str] | None:
    """A key on line ``n`` indented so that it belongs to no mapping above it."""
    here = _KEY_LINE.match(lines[n])
    if here is None or here.group(2):
        return None
    indent, key = len(here.group(1)), here.group(3)
    above: list[tuple[int, str, bool, int]] = []  # (key column, key, has a value on its line, dash column)
    limit = indent + 1
    for line in reversed(lines[:n]):
        m = _KEY_LINE.match(line)
        if m is None:
            continue
        col = len(m.group(1)) + len(m.group(2))
        if col < limit or not above or (m.group(2) and col == limit):  # an item's first key: its `- ` too
            value = line[m.end() :].split("#")[0].strip()
            above.append(
                (
                    col,
                    m.group(3),
                    bool(value) and value not in ("|", ">", "|-", ">-"),
                    len(m.group(1)) if m.group(2) else -1,
                )
            )
            limit = col
        if col == 0:
            break
    if not above:
        return None
    prev_col, prev_key, prev_has_value, _dash = above[0]
    if indent > prev_col and prev_has_value:
        return (
            indent,
            f"`{key}` is indented more than `{prev_key}` above it",
            f"align it with `{prev_key}` ({prev_col} spaces): a line indented further continues the value "
            "of the line before",
        )
    columns = {col for col, *_ in above}
    if indent in columns:
        return None
    dash = next((a for a in above if a[3] == indent), None)
    if dash is not None:
        return (
            indent,
            f"`{key}` is indented like the `- ` of the list item above it",
            f"align it with `{dash[1]}` ({dash[0]} spaces) to add it to that item, or start a new item with `- `",
        )
    near = min(above, key=lambda a: (abs(a[0] - indent), above.index(a)))
    return (
        indent,
        f"`{key}` is indented {indent} spaces, which matches no line above it",
        f"align it with `{near[1]}` ({near[0]} spaces)",
    )


def line_mistake(line: str) -> tuple[int, str, str] | None:
    """(0-based column, message, hint) of the first known mistake on one line, or None."""
    lead = _LEAD.match(line)
    indent = lead.group(0) if lead else ""
    body = line[len(indent) :]
    dash_space = re.match(r"^ *[-－]\u3000", line)
    if dash_space:
        return (
            dash_space.end() - 1,
            "a full-width space `　` after `-`: a list item needs a half-width space",
            "delete it and type an ordinary space (switch the input method to 半角)",
        )
    if "\t" in indent:
        return (
            indent.index("\t"),
            "a tab character in the indentation: YAML indents with spaces only",
            "replace the tabs with spaces (most editors can be set to insert spaces for the Tab key)",
        )
    if "\u3000" in indent:
        return (
            indent.index("\u3000"),
            "a full-width space `　` in the indentation: YAML indents with half-width spaces",
            "delete it and type ordinary spaces (switch the input method to 半角)",
        )
    marker = _FW_MARKER.match(line)
    if marker:
        return (
            marker.start(1),
            f"`{marker.group(1)}` does not start a list item",
            "start each item with `- ` (the half-width hyphen-minus and a space)",
        )
    if body.startswith("#"):
        return None
    code = _strip_quoted(body)
    match = _FW_COLON.match(code)
    if match:
        key = match.group(1)
        col = len(indent) + code.index("：", match.start(1))
        value = body[col - len(indent) + 1 :].strip()
        return (
            col,
            f"full-width colon `：` after `{key}`: YAML needs the half-width colon `:`",
            f"write `{key}: {value}` (`:` followed by a space)" if value else f"write `{key}:`",
        )
    match = _NO_SPACE.match(code)
    if match and match.end() < len(code.rstrip()):
        key = match.group(1)
        value = code[match.end() :].strip()
        return (
            len(indent) + match.end() - 1,
            f"no space after the colon in `{key}:{_short(value)}`",
            f"write `{key}: {_short(value)}`: YAML needs a space after `:`",
        )
    match = _NO_COLON.match(code)
    if match and match.group(1) in KNOWN_KEYS and ":" not in code and "：" not in code:
        key = match.group(1)
        return (len(indent) + match.end(1), f"missing colon after `{key}`", f"write `{key}: {_short(match.group(2))}`")
    if any(q in code for q in _QUOTES):
        col = len(indent) + min(code.index(q) for q in _QUOTES if q in code)
        return (
            col,
            "Chinese quotes `“ ”` are not YAML quotes",
            "to quote a value use half-width quotes: `\"…\"` (or `'…'`)",
        )
    if "\t" in code:
        return (
            len(indent) + code.index("\t"),
            "a tab character: YAML separates keys, values and list items with spaces",
            "replace the tab with a space",
        )
    bracket = _FW_BRACKET.search(code)
    if bracket:
        ch = bracket.group(1)
        return (
            len(indent) + bracket.start(1),
            f"full-width bracket `{ch}`: YAML lists and mappings use `{FULLWIDTH[ch]}`",
            "type the brackets in half-width mode: `[a, b]`, `{key: value}`",
        )
    return None


def _strip_quoted(s: str) -> str:
    """The line with the insides of ASCII-quoted strings blanked (their colons are text)."""
    return re.sub(r'"(?:[^"\\]|\\.)*"|\'(?:[^\']|\'\')*\'', lambda m: " " * len(m.group(0)), s)


def _short(s: str, n: int = 24) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


# -- values that parse, but not as meant ---------------------------------------------------------
def bare_key_in_braces(key: str, previous: tuple[str, str, bool] | None) -> tuple[str, str]:
    """A key without a value inside ``{…}``: (message, hint).

    ``previous``: (key, text, quoted) of the entry before it, when it had a text value.
    ``{title: 副总经理, 管理者代表}`` gives the key ``管理者代表``: the comma ended the title.
    """
    if "：" in key:
        name, _sep, value = key.partition("：")
        return (
            f"full-width colon `：` in `{_short(key)}`: inside `{{…}}` YAML needs the half-width colon `:`",
            f"write `{name.strip()}: {value.strip()}`",
        )
    if previous is not None:
        prev_key, prev_text, quoted = previous
        joined = f"{prev_text}, {key}".replace("“", "").replace("”", "")
        hint = f'quote the whole value: `{prev_key}: "{joined}"`'
        if any(q in prev_text + key for q in _QUOTES):
            hint = f'Chinese quotes `“ ”` are not YAML quotes; use half-width ones: `{prev_key}: "{joined}"`'
        elif quoted:
            hint = f'the comma is outside the quotes: `{prev_key}: "{joined}"`'
        return (
            f"`{_short(key)}` became a key of its own: a comma inside `{{…}}` ends the value of `{prev_key}`",
            hint + " (or use the Chinese comma `，` inside the text)",
        )
    return (
        f"`{_short(key)}` has no value: inside `{{…}}` every entry is `key: value`",
        "write `key: value`, or quote the text if it belongs to the entry before it",
    )


def wrapped_in_chinese_quotes(raw: str) -> bool:
    """A plain value written as ``“总经理”``: the quotes become part of the text."""
    s = raw.strip()
    return len(s) >= 2 and (
        (s[0] == "“" and s[-1] == "”" and "“" not in s[1:-1] and "”" not in s[1:-1])
        or (s[0] == "‘" and s[-1] == "’" and "‘" not in s[1:-1] and "’" not in s[1:-1])
    )


def fullwidth_comma_items(raw: str) -> list[str]:
    """The items a text would be if its full-width commas were list separators ([] if none)."""
    if "，" not in raw:
        return []
    parts = [p.strip() for p in raw.split("，")]
    return parts if all(parts) else []


def fullwidth_comma_ids(raw: str) -> list[str]:
    """``general-manager，assistant``: the ids joined by ``，`` or ``、`` ([] unless every part is an id)."""
    parts = [p.strip() for p in re.split(r"[，、]", raw)]
    return parts if len(parts) > 1 and all(_ID_PART.match(normalize_id(p)) for p in parts) else []


def normalize_id(value: str) -> str:
    """An id typed in full-width mode (``ｓａｌｅｓ－ｍａｎａｇｅｒ``, ``sales－manager``) in half-width."""
    return unicodedata.normalize("NFKC", value).replace("—", "-").replace("–", "-")


def fullwidth_id_hint(value: str) -> str:
    """A hint when an id holds full-width characters that have a half-width twin ("" otherwise)."""
    fixed = normalize_id(value)
    if fixed == value or not _ID_PART.match(fixed):
        return ""
    chars = "".join(dict.fromkeys(c for c in value if c != normalize_id(c) or c in "—–"))
    return f"`{chars}` is full-width: type ids in half-width mode (半角): `{fixed}`"


def scalar_hint(raw: str) -> str:
    """A hint for a text found where a mapping or a list belongs ("" when nothing specific)."""
    s = raw.strip()
    if s.startswith(("-\u3000", "－\u3000")):
        return "a full-width space `　` after `-`: start each item with `- ` (a half-width space)"
    if s[:1] in "－—–•·●":
        return f"`{s[0]}` does not start a list item: start each item on its own line with `- `"
    if s[:1] in "【［｛":
        return "full-width brackets: type `[a, b]` or `{key: value}` in half-width mode"
    match = re.match(rf"({_KEY})[ \u3000]*：", s)
    if match:
        return f"`：` is the full-width colon: write `{match.group(1)}: …` with the half-width `:` and a space"
    match = re.match(rf"({_KEY}):\S", s)
    if match:
        return f"a space must follow the colon: `{match.group(1)}: …`"
    return ""


def suggest_date(raw: str) -> str:
    """``2024年3月1日``, ``2024.3.1``, ``2024/03/01`` as YYYY-MM-DD ("" if it is not such a date)."""
    import datetime as dt

    m = re.fullmatch(
        r"\s*(\d{4})\s*[年./\-－]\s*(\d{1,2})\s*[月./\-－]\s*(\d{1,2})\s*日?\s*", unicodedata.normalize("NFKC", raw)
    )
    if m is None:
        return ""
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
    except ValueError:
        return ""


# -- files that are not UTF-8 ----------------------------------------------------------------------
def guess_encoding(data: bytes) -> tuple[str, str] | None:
    """(what the file is, how to fix it) for the encodings Chinese Windows editors save in."""
    fix = "open it in Notepad, choose 文件 → 另存为 (Save As), set 编码 (Encoding) to UTF-8 and save"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or (data[:200].count(b"\x00") > len(data[:200]) // 4):
        return "the file is saved as UTF-16 (Notepad's \u201cUnicode\u201d), not UTF-8", fix
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        return None
    if re.search(r"[\u3400-\u9fff]", text):
        return (
            "the file is saved as GBK/GB18030 (Windows' \u201cANSI\u201d for Chinese), not UTF-8",
            fix + " (or: iconv -f GB18030 -t UTF-8)",
        )
    return None


# -- what a file that could not be read probably defines --------------------------------------------------
_SECTION = re.compile(r"^(departments|roles|people|processes)[ \t\u3000]*[:：]")
_SECTION_KIND = {"departments": "department", "roles": "role", "people": "person", "processes": "process"}
_ID_ON_LINE = re.compile(r"(?:^|[-{,，]|\s)id[ \t\u3000]*[:：][ \t\u3000]*[\"'“]?([^\s\"'”,，}#]+)")


def salvage_ids(text: str) -> tuple[tuple[str, str], ...]:
    """The (kind, id) pairs a file that failed to load appears to declare.

    A file with a syntax error is not read at all; references to its roles from other
    files would then all fail with misleading hints. A lenient scan of its ``id:`` lines
    (under ``roles:``, ``departments:`` … at the top level) tells which ids it holds, so
    those references are not reported. Ids of steps inside processes are counted as
    processes: harmless, as nothing refers to a process from the data.
    """
    kind = ""
    found: list[tuple[str, str]] = []
    for line in text.splitlines():
        if re.match(r"[A-Za-z_]+[ \t\u3000]*[:：]", line):  # a top-level key: a new section
            section = _SECTION.match(line)
            kind = _SECTION_KIND[section.group(1)] if section else ""
            continue
        if not kind:
            continue
        for match in _ID_ON_LINE.finditer(line):
            ident = normalize_id(match.group(1))
            if _ID_PART.match(ident) and (kind, ident) not in found:
                found.append((kind, ident))
    return tuple(found)

"""Read YAML files into values that remember where they were written.

PyYAML's composer gives nodes with positions; we turn them into small located values
(:class:`YMap`, :class:`YList`, :class:`YScalar`), reporting duplicate keys (which
PyYAML would silently resolve to the last one) instead of hiding them. Uses the C
parser when PyYAML has it. No Sphinx imports.

Messages name the mistake a person made, on the line where it was made (a full-width
colon, a tab, a file saved as GBK, a comma that split a value inside ``{…}``; see
:mod:`handbook.mistakes`). A file that cannot be read is still listed, marked ``failed``
with the ids it appears to declare, so the checks across files do not report every
reference to its objects as a second, misleading error.
"""

from __future__ import annotations

import contextlib
import gc
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from handbook.problems import Code, Problem, Source, display_path
from handbook.validate import typing_mistakes as mistakes
from handbook.validate.text_guard import CONTROL, removed_message, without_controls

try:  # the C parser is several times faster on large handbooks
    _Loader: type = yaml.CSafeLoader  # type: ignore[attr-defined]
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = yaml.SafeLoader

DATA_SUFFIXES = (".yaml", ".yml")
#: the most values aliases (``*name``) may add to a file when expanded: beyond, a "billion laughs"
MAX_ALIAS_EXPANSION = 100_000
#: Notepad saves `company.yaml` as `company.yaml.txt` unless "All files" is chosen (and Windows hides the .txt)
NOTEPAD_SUFFIXES = (".yaml.txt", ".yml.txt")
_STR_TAG = "tag:yaml.org,2002:str"


@dataclass(slots=True)
class YScalar:
    value: Any  # the YAML value (str, int, float, bool, date, None)
    raw: str  # the text as written
    source: Source
    quoted: bool = False

    @property
    def is_null(self) -> bool:
        return self.value is None and not self.quoted


@dataclass(slots=True)
class YMap:
    items: dict[str, tuple[Source, YNode]]
    source: Source

    def get(self, key: str) -> YNode | None:
        entry = self.items.get(key)
        return None if entry is None else entry[1]

    def key_source(self, key: str) -> Source:
        entry = self.items.get(key)
        return self.source if entry is None else entry[0]


@dataclass(slots=True)
class YList:
    items: list[YNode]
    source: Source
    flow: bool = False  # written `[a, b]` rather than as `- ` lines


YNode = YScalar | YMap | YList


@dataclass(slots=True)
class DataFile:
    path: str  # as shown in messages
    root: YNode | None
    size: int = 0
    sha: str = field(default="")
    failed: bool = False  # not valid UTF-8 or not valid YAML: nothing in it was read
    salvaged: tuple[tuple[str, str], ...] = ()  # failed: the (kind, id)s it appears to declare


def _mark_source(path: str, mark: Any) -> Source:
    if mark is None:
        return Source(path)
    return Source(path, mark.line + 1, mark.column + 1)


class _Converter:
    def __init__(self, path: str, problems: list[Problem]) -> None:
        self.path = path
        self.problems = problems
        self._active: set[int] = set()
        # an alias (*name) reuses the converted value: "billion laughs" files stay linear
        self._done: dict[int, YNode] = {}
        # one per file: a constructor keeps every node it has built (a module-wide one leaked them all)
        self._constructor = yaml.constructor.SafeConstructor()
        #: the number of values each converted node stands for, expanded; and what aliases added
        self._size: dict[int, int] = {}
        self.added_by_aliases = 0
        self.too_big = False

    def convert(self, node: yaml.Node) -> YNode:
        src = _mark_source(self.path, node.start_mark)
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node, src)
        if id(node) in self._active:
            self.problems.append(
                Problem(
                    src,
                    Code.YAML_SYNTAX,
                    "recursive YAML alias",
                    "an alias (*name) may not point into the structure that contains it",
                )
            )
            return YScalar(None, "", src)
        if id(node) in self._done:
            self.added_by_aliases += self._size.get(id(node), 1)
            if self.added_by_aliases > MAX_ALIAS_EXPANSION and not self.too_big:
                self.too_big = True
                self.problems.append(
                    Problem(
                        src,
                        Code.YAML_SYNTAX,
                        f"the aliases (*name) of this file repeat more than {MAX_ALIAS_EXPANSION:,} values "
                        f"(at this anchor, {self._size.get(id(node), 1):,} each time): refused, as a "
                        "'billion laughs' file is",
                        "write the values out, or repeat fewer of them",
                    )
                )
            return self._done[id(node)]
        self._active.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode):
                value: YNode = YList([self.convert(child) for child in node.value], src, bool(node.flow_style))
            else:
                value = self._mapping(node, src)
        finally:
            self._active.discard(id(node))
        self._done[id(node)] = value
        children = node.value if isinstance(node, yaml.SequenceNode) else [v for _k, v in node.value]
        self._size[id(node)] = 1 + sum(self._size.get(id(c), 1) for c in children)
        return value

    def _scalar(self, node: yaml.ScalarNode, src: Source) -> YScalar:
        quoted = node.style in ("'", '"', "|", ">")
        if node.style == '"' and CONTROL.search(node.value):  # written as an escape: "\a", "\x1b", "\ud800"
            node.value, removed = without_controls(node.value)
            if removed:
                self.problems.append(Problem(src, Code.CONTROL_CHARACTER, *removed_message(removed)))
        if node.tag == _STR_TAG:  # most values: no constructor needed
            if not quoted and node.value[:1] in "“‘" and mistakes.wrapped_in_chinese_quotes(node.value):
                self.problems.append(
                    Problem(
                        src,
                        Code.FULLWIDTH_PUNCTUATION,
                        f"the Chinese quotes of `{node.value}` are part of the text: YAML quotes are half-width",
                        f'write `"{node.value[1:-1]}"`, or leave the quotes out',
                    )
                )
            return YScalar(node.value, node.value, src, quoted)
        try:
            value = self._constructor.construct_object(node, deep=True)
        except Exception:
            value = node.value  # e.g. a date-like 2024-13-45: keep the text
        if isinstance(value, int) and value.bit_length() > 4096:  # str() of it would fail (int_max_str_digits)
            value = node.value
        return YScalar(value, node.value, src, quoted)

    def _mapping(self, node: yaml.MappingNode, src: Source) -> YMap:
        items: dict[str, tuple[Source, YNode]] = {}
        previous: tuple[str, str, bool] | None = None  # flow style: the entry before, if it held a text
        for key_node, value_node in node.value:
            key_src = _mark_source(self.path, key_node.start_mark)
            if node.flow_style and _bare_key(key_node, value_node):
                # `{title: 副总经理, 管理者代表}`: the comma ended the title; `{title：总经理}`: no colon
                message, hint = mistakes.bare_key_in_braces(key_node.value, previous)
                self.problems.append(Problem(key_src, Code.COMMA_IN_BRACES, message, hint))
                name, colon, rest = key_node.value.partition("：")
                if colon and name.strip() and name.strip() not in items:  # read it as meant: no second error
                    value_src = Source(key_src.path, key_src.line, key_src.column + len(name) + 1)
                    items[name.strip()] = (key_src, YScalar(rest.strip() or None, rest.strip(), value_src))
                elif previous is not None and not colon:  # `{title: 副总经理, 管理者代表, 质量负责人}`
                    previous = (previous[0], f"{previous[1]}, {key_node.value}", previous[2])
                    continue
                previous = None
                continue
            previous = None
            if (
                node.flow_style
                and isinstance(value_node, yaml.ScalarNode)
                and isinstance(key_node, yaml.ScalarNode)
                and value_node.tag == _STR_TAG
            ):
                previous = (key_node.value, value_node.value, value_node.style in ("'", '"'))
            if not isinstance(key_node, yaml.ScalarNode):
                self.problems.append(
                    Problem(key_src, Code.WRONG_TYPE, "a mapping key must be a plain word", "write `key: value`")
                )
                continue
            key = key_node.value
            if key == "<<":
                self.problems.append(
                    Problem(
                        key_src,
                        Code.UNKNOWN_KEY,
                        "YAML merge keys (`<<`) are not supported",
                        "write the fields out; an unchecked merge would hide typos",
                    )
                )
                continue
            if key in items:
                first = items[key][0]
                self.problems.append(
                    Problem(
                        key_src,
                        Code.DUPLICATE_KEY,
                        f"duplicate key `{key}` (first at line {first.line})",
                        "YAML would silently keep only the last value; remove one",
                        (first,),
                    )
                )
                continue
            items[key] = (key_src, self.convert(value_node))
        return YMap(items, src)


def _bare_key(key_node: yaml.Node, value_node: yaml.Node) -> bool:
    """A flow-mapping entry written without a colon (``{a: 1, b}``): its empty value starts where the key ends."""
    return (
        isinstance(key_node, yaml.ScalarNode)
        and not key_node.style
        and isinstance(value_node, yaml.ScalarNode)
        and not value_node.style
        and value_node.value == ""
        and value_node.start_mark.index == key_node.end_mark.index
    )


def syntax_problem(text: str, path: str, exc: yaml.MarkedYAMLError) -> Problem:
    """A YAML syntax error as the mistake that caused it, where it was made."""
    mark = exc.problem_mark or exc.context_mark
    msg = " ".join(str(p) for p in (exc.context, exc.problem) if p)
    if "expected a single document" in msg:
        return Problem(
            _mark_source(path, mark),
            Code.YAML_SYNTAX,
            "a data file must hold a single YAML document (found `---` followed by more)",
            "check the indentation and quoting near this position",
        )
    context = exc.context_mark.line if exc.context_mark is not None else None
    cause = mistakes.explain_syntax_error(text, mark.line if mark is not None else 0, context, exc.context or "")
    if cause is not None:
        return Problem(Source(path, cause.line, cause.column), Code.YAML_SYNTAX, cause.message, cause.hint)
    if exc.context and "simple key" in exc.context and exc.context_mark is not None:
        # the key's own line: PyYAML notices the missing `:` only on the next line
        line = text.splitlines()[exc.context_mark.line].strip() if text else ""
        return Problem(
            _mark_source(path, exc.context_mark),
            Code.YAML_SYNTAX,
            f"`{line[:40]}` is not `key: value`: the colon after the key is missing",
            "write `key: value` (a half-width colon followed by a space)",
        )
    return Problem(
        _mark_source(path, mark),
        Code.YAML_SYNTAX,
        msg or "invalid YAML",
        "check the indentation and quoting near this position",
    )


def load_text(text: str, path: str) -> tuple[YNode | None, list[Problem]]:
    """Parse one YAML text; returns the located root (None for an empty file)."""
    problems: list[Problem] = []
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        return None, [syntax_problem(text, path, exc)]
    except yaml.reader.ReaderError as exc:  # a control character; its position is unmarked
        bad = yaml.reader.Reader.NON_PRINTABLE.search(text)
        pos = bad.start() if bad else 0
        line = text.count("\n", 0, pos) + 1
        col = pos - (text.rfind("\n", 0, pos) + 1) + 1
        return None, [
            Problem(
                Source(path, line, col),
                Code.YAML_SYNTAX,
                f"the file contains the control character #x{exc.character:04x}, which YAML does not allow",
                "remove it: control characters are usually invisible in editors",
            )
        ]
    except yaml.YAMLError as exc:  # pragma: no cover - other unmarked errors are rare
        return None, [Problem(Source(path, 1, 1), Code.YAML_SYNTAX, str(exc))]
    except RecursionError:  # pragma: no cover - the pure-Python parser (libyaml caps the depth itself)
        return None, [Problem(Source(path, 1, 1), Code.YAML_SYNTAX, "the YAML is nested too deeply")]
    if node is None:
        return None, problems
    try:
        converter = _Converter(path, problems)
        root = converter.convert(node)
        return (None if converter.too_big else root), problems
    except RecursionError:
        return None, [Problem(Source(path, 1, 1), Code.YAML_SYNTAX, "the YAML is nested too deeply")]


def load_file(path: str | os.PathLike[str]) -> tuple[DataFile | None, list[Problem]]:
    shown = display_path(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        return None, [Problem(Source(shown), Code.IO_ERROR, f"cannot read file: {exc.strerror or exc}")]
    import hashlib

    sha = hashlib.sha1(data).hexdigest()
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data  # a UTF-8 BOM is fine
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        # line and column (in characters, like YAML's marks) of the first bad byte
        line_start = body.rfind(b"\n", 0, exc.start) + 1
        line = body[: exc.start].count(b"\n") + 1
        col = len(body[line_start : exc.start].decode("utf-8")) + 1
        guess = mistakes.guess_encoding(body)
        message, hint = guess or (
            f"the file is not UTF-8 (byte 0x{body[exc.start]:02x})",
            "save the file as UTF-8 (most editors: 'Save with encoding')",
        )
        if guess and not guess[0].startswith("the file is saved as UTF-16"):
            message += f" (byte 0x{body[exc.start]:02x})"
        salvaged = mistakes.salvage_ids(_decode_leniently(body))
        return (
            DataFile(shown, None, len(data), sha, failed=True, salvaged=salvaged),
            [Problem(Source(shown, line, col), Code.ENCODING, message, hint)],
        )
    root, problems = load_text(text, shown)
    failed = root is None and any(p.code is Code.YAML_SYNTAX for p in problems)
    salvaged = mistakes.salvage_ids(text) if failed else ()
    return DataFile(shown, root, len(data), sha, failed=failed, salvaged=salvaged), problems


def _decode_leniently(data: bytes) -> str:
    """A file that is not UTF-8, as text good enough to look for its ids."""
    for encoding in ("utf-16", "gb18030"):
        if encoding == "utf-16" and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            continue
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            pass
    return data.decode("utf-8", errors="replace")


def find_data_files(folder: str | os.PathLike[str]) -> tuple[list[Path], list[Problem]]:
    """The data files below a folder, in path order (hidden files and folders skipped)."""
    base = Path(folder)
    if not base.exists():
        return [], [
            Problem(
                Source(display_path(base)),
                Code.IO_ERROR,
                "the data folder does not exist",
                "give the folder that holds the handbook's YAML files, e.g. `source/org`",
            )
        ]
    if base.is_file():
        return [base], []
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(base):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "_")))
        for name in filenames:
            if name.endswith(DATA_SUFFIXES + NOTEPAD_SUFFIXES) and not name.startswith("."):
                found.append(Path(dirpath) / name)
    found.sort(key=lambda p: p.relative_to(base).as_posix())
    if not found:
        return [], [
            Problem(
                Source(display_path(base)),
                Code.IO_ERROR,
                "the data folder holds no .yaml files",
                "run `handbook new` to start a handbook",
            )
        ]
    return found, []


def misnamed_file(path: Path) -> tuple[DataFile | None, list[Problem]]:
    """``company.yaml.txt``: not read (the name says it is text), but its ids count as declared."""
    shown = display_path(path)
    right = path.name[: -len(".txt")]
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, [Problem(Source(shown), Code.IO_ERROR, f"cannot read file: {exc.strerror or exc}")]
    salvaged = mistakes.salvage_ids(_decode_leniently(data) if not _is_utf8(data) else data.decode("utf-8"))
    return (
        DataFile(shown, None, len(data), failed=True, salvaged=salvaged),
        [
            Problem(
                Source(shown),
                Code.IO_ERROR,
                "not read: the name ends in `.txt` (Notepad adds it)",
                f"rename it to `{right}`; in Notepad's 另存为 (Save As) choose 保存类型 (Save as type): "
                "所有文件 (All files)",
            )
        ],
    )


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def fingerprint(folder: str | os.PathLike[str]) -> str:
    """A digest of the data files' names and contents ("" when there are none): equal
    fingerprints mean the same data, so a rebuild need not even parse it."""
    import hashlib

    paths, problems = find_data_files(folder)
    if problems:
        return ""
    h = hashlib.blake2b(digest_size=16)
    for p in paths:
        try:
            data = p.read_bytes()
        except OSError:
            return ""
        h.update(p.as_posix().encode("utf-8", "surrogateescape") + b"\0" + len(data).to_bytes(8, "big") + data)
    return h.hexdigest()


def load_dir(folder: str | os.PathLike[str]) -> tuple[list[DataFile], list[Problem]]:
    paths, problems = find_data_files(folder)
    files: list[DataFile] = []
    with gc_paused():
        for p in paths:
            if p.name.endswith(NOTEPAD_SUFFIXES):
                f, probs = misnamed_file(p)
            else:
                f, probs = load_file(p)
            problems.extend(probs)
            if f is not None:
                files.append(f)
    return files, problems


@contextlib.contextmanager
def gc_paused():
    """Pause the cyclic garbage collector while building many small, acyclic objects.

    Loading creates millions of nodes that are never garbage; with the collector on,
    its repeated full scans made checking 10,000 roles several times slower. What
    survives (the model, kept for the whole build) is then frozen, so later collections
    do not scan it either; unreachable YAML nodes are freed by reference counting.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.freeze()
            gc.enable()

"""The text in a chart's boxes: escaped for Mermaid, shortened, wrapped into lines.

No text from the data ever reaches the Mermaid source unescaped: :func:`escape_label`
entity-encodes whatever means something to Mermaid's parser or to HTML. Labels are
wrapped here (:func:`wrap_text`), never cut, so the site and the PDF draw the same
lines. Widths are counted in CJK characters (a Latin letter or digit is about half one).
Pure: no Sphinx.
"""

from __future__ import annotations

import re

#: the longest label text a box shows (:func:`shorten_and_wrap`); longer text is shortened with …
MAX_LABEL_CHARS = 48

# Characters that mean something to Mermaid's parser or to HTML, written as entity codes.
_ENTITY_CHARS = set('"#&<>`%;\\{}[]()|*_~=:,')


def escape_label(text: str) -> str:
    """Make any text safe inside a double-quoted Mermaid label."""
    out: list[str] = []
    for ch in text:
        if ch in _ENTITY_CHARS:
            out.append("#quot;" if ch == '"' else f"#{ord(ch)};")
        elif ch == "\n":
            out.append("<br/>")
        elif ch == "\r":
            continue
        elif ord(ch) < 32 or ch in "\u2028\u2029":
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


def shorten(text: str, limit: int = MAX_LABEL_CHARS) -> str:
    text = " ".join(text.split())  # collapse line breaks and runs of spaces
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _units(ch: str) -> float:
    """A character's width in CJK characters (Latin letters and digits are about half)."""
    return 0.55 if ord(ch) < 0x2E80 else 1.0


#: punctuation that never starts a line (it stays with the character before it)
_NO_LINE_START = set("，。、；：？！）」』》〉】〕”’,.;:?!)]}%·")
#: a label line's width, in CJK characters: org boxes and flow steps
WRAP_ORG = 14
WRAP_FLOW = 16


def wrap_text(text: str, limit: float = WRAP_ORG) -> list[str]:
    """Break ``text`` into lines of at most ``limit`` CJK-character widths, never cutting
    it: a run of digits, Latin letters and ``-`` (numbers, codes, ranges such as 34-54) is
    never split, and closing punctuation never starts a line. The lines are evened out, so
    no last line holds a lone character under a full one (数控加工中心第10号机台操作 / 员)."""
    text = " ".join(text.split())
    lines = _greedy_lines(text, limit)
    if len(lines) > 1:
        narrow = sum(_units(c) for c in text) / len(lines)
        while narrow < limit:
            trial = _greedy_lines(text, narrow)
            if len(trial) == len(lines):
                return trial
            narrow += 0.5
    return lines


def _greedy_lines(text: str, limit: float) -> list[str]:
    lines: list[str] = []
    for token in re.findall(r"[0-9A-Za-z.%/\-]+|\s|.", text):
        width = sum(_units(c) for c in token)
        if lines and (sum(_units(c) for c in lines[-1]) + width <= limit or token in _NO_LINE_START):
            lines[-1] += token
        elif token == " ":
            continue
        else:
            lines.append(token)
    return [line.strip() for line in lines if line.strip()] or [""]


def pack(parts: list[str], limit: float = WRAP_ORG) -> list[str]:
    """Parts joined by " · " into lines no wider than ``limit``; a part is never split."""
    lines: list[str] = []
    for part in parts:
        joined = f"{lines[-1]} · {part}" if lines else part
        if lines and sum(_units(c) for c in joined) <= limit:
            lines[-1] = joined
        else:
            lines.append(part)
    return lines


def shorten_and_wrap(text: str, limit: float = WRAP_ORG) -> list[str]:
    """``text`` shortened to :data:`MAX_LABEL_CHARS`, then wrapped."""
    return wrap_text(shorten(text, MAX_LABEL_CHARS), limit)

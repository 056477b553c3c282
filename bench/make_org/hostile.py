"""The adversarial material of ``--hostile``: text fragments and odd but valid ids.

Fragments (quotes, ``-->``, ``<script>``, Markdown and reST markup, Mermaid keywords,
line breaks, emoji, RTL text, very long words, ...) exercise downstream escaping;
``texts`` weaves them into the generated texts (``Texts.hostilize``) and ``generator``
puts every one of them into the company description.  The ids (``0``, ``end``,
``x--y``, 64-character ids, ...) all match the data format's id pattern, so the data
stays valid.  Data and one pure function: no random draws here.
"""

from __future__ import annotations

import re

# The data format's id pattern (docs/data-format.md); every odd id must match it.
ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")

LONG_WORD = "Pneumonoultramicroscopicsilicovolcanoconiosis" * 6
LONG_ZH = "超长无空格中文文本" * 30
HOSTILE_FRAGMENTS = [
    '"double quotes"',
    "'single quotes'",
    "it's",
    "-->",
    "--",
    "%%",
    "%%{init: {}}%%",
    "<script>alert(1)</script>",
    "&amp;",
    "&lt;b&gt;",
    "&#60;",
    "`backticks`",
    "``x``",
    "[link](x)",
    "*emph*",
    "**strong**",
    "_under_",
    "|pipes|",
    "a|b",
    "{braces}",
    "{}",
    "{{ jinja }}",
    "${var}",
    "end",
    "click",
    "subgraph",
    "style",
    "classDef",
    "graph TD",
    "A-->B",
    "A---B",
    "line one\nline two",
    LONG_WORD,
    LONG_ZH,
    "🚀",
    "😀👍🏽",
    "👩‍💻",
    "مرحبا بالعالم",
    "שלום עולם",
    "\u202eRTL override\u202c",
    "zero\u200bwidth",
    "e\u0301",
    "<!-- comment -->",
    "]]>",
    "</div>",
    "\\backslash\\",
    "tab\there",
    "# not a comment",
    "&anchor *alias",
    "!!python/object",
    "key: value",
    "- item",
    ":ref:`x`",
    ".. raw:: html",
    "|subst|",
    "$$x^2$$",
    "(paren)",
    "[bracket]",
    "((round))",
    "[[double]]",
    ">>>",
    ";",
    "@mention",
    "#hash",
    "~",
    "null",
    "yes",
    "javascript:alert(1)",
    "%s %d {0}",
    "\\n literal",
    "<>&\"'",
]
# Names (people, departments) get shorter fragments.
HOSTILE_NAME_FRAGMENTS = [
    '"Q"',
    "O'Brien",
    "<script>alert(1)</script>",
    "&amp;",
    "`x`",
    "*emph*",
    "|pipe|",
    "{b}",
    "end",
    "click",
    "subgraph",
    "style",
    "-->",
    "--",
    "%%",
    "[link](x)",
    "a\nb",
    "🚀",
    "مرحبا",
    "שלום",
    "\u202eabc\u202c",
    LONG_WORD,
]


def hostile_ids(kind: str) -> list[str]:
    """Odd but valid ids for *kind* (unique within the list)."""
    ids = [
        "0",
        "a_b-c",
        "x--y",
        "end",
        "style",
        "click",
        "subgraph",
        "graph",
        "flowchart",
        "null",
        "true",
        "false",
        "yes",
        "no",
        "on",
        "off",
        "y",
        "n",
        "007",
        "1e3",
        "0x1f",
        "2024-03-01",
        "1-2",
        "3-8",
        "nan",
        "inf",
        "9",
        "a",
        "a_b",
        "a" * 64,
        "0" * 64,
        "x" + "-" * 62 + "y",
        ("a_b-c" * 13)[:64],
        "z" + "9" * 63,
        "con",
        "nul",
        "index",
        "genindex",
        "search",
        "static",
        "x__y",
        "q-",
        "q_",
        "0-0",
        "00",
        "class",
        "default",
        "linkstyle",
    ]
    if kind == "step":
        ids += ["start", "stop", "begin", "s", "e"]
    out: list[str] = []
    for i in ids:
        assert ID_RE.match(i), i
        if i not in out:
            out.append(i)
    return out

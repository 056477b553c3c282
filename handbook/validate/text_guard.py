"""Text as it enters: control characters out, Excel's own escapes decoded. No Sphinx imports.

Every text that enters the handbook — a YAML scalar, a workbook cell, a CSV cell — goes
through :func:`without_controls`: a control character (BEL, ESC, NUL, a lone surrogate …)
has no meaning in a duty or a title, breaks the XML of a workbook or the PDF, and is
invisible in every editor, so it is removed and the place is reported (``control-character``).
Tabs and line breaks stay; a Windows line break (CR LF) or a lone CR becomes a line break.

A workbook stores what XML cannot hold as ``_xHHHH_`` (``_x000D_`` for CR, ``_x005F_`` for
an underscore that would start such an escape): :func:`decode_ooxml` undoes it,
:func:`encode_ooxml` writes it, so a text that reads ``_x000D_`` survives a round trip.
"""

from __future__ import annotations

import re

#: C0 controls but tab and line feed (CR is turned into a line break first), DEL, C1 controls,
#: lone surrogates and the two non-characters XML refuses
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_OOXML_ESCAPE = re.compile("_x([0-9A-Fa-f]{4})_")
#: what `encode_ooxml` escapes: what XML 1.0 cannot hold, and text that looks like an escape
_OOXML_NEEDS = re.compile("_(?=x[0-9A-Fa-f]{4}_)|[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def line_breaks(text: str) -> str:
    """CR LF and lone CR as line feeds."""
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def without_controls(text: str) -> tuple[str, str]:
    """The text with line breaks normalised and control characters removed, and the
    first character removed as ``U+0007`` ("" when none was)."""
    text = line_breaks(text)
    bad = CONTROL.search(text)
    if bad is None:
        return text, ""
    return CONTROL.sub("", text), f"U+{ord(bad.group()):04X}"


def removed_message(char: str, count_hint: str = "") -> tuple[str, str]:
    """The words of a ``control-character`` warning."""
    return (
        f"the control character {char} was removed from this text{count_hint}",
        "control characters are invisible; they usually come from copying out of another program",
    )


def decode_ooxml(text: str) -> str:
    """A workbook string as the text it stands for: ``_x000D_`` -> CR, ``_x005F_`` -> ``_``."""
    if "_x" not in text:
        return text
    return _OOXML_ESCAPE.sub(lambda mt: chr(int(mt.group(1), 16)), text)


def encode_ooxml(text: str) -> str:
    """A text as a workbook stores it: the reverse of :func:`decode_ooxml`."""
    return _OOXML_NEEDS.sub(lambda mt: "_x005F_" if mt.group() == "_" else f"_x{ord(mt.group()):04X}_", text)

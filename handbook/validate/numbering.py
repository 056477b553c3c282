"""List numbering pasted from Word: ``1、`` ``1.`` ``（一）`` ``(1)`` ``①`` ``一、`` in front of a duty
or an item of a list. The handbook numbers its lists itself, so the pasted number would be shown
twice (``1.1 │ 1、根据…``); it is taken off. Only a leading enumerator followed by text goes:
numbers that are content stay (``5S管理``, ``1.5倍``, ``3年以上``, ``2024年…``). No Sphinx imports.
"""

from __future__ import annotations

import re

from handbook import model as m

_CN = "一二三四五六七八九十"
_ENUMERATOR = re.compile(
    r"^\s*(?:"
    r"\d{1,2}\s*、"  # 1、
    r"|\d{1,2}\s*[.．)）](?!\d)"  # 1.  1)  but not 1.5倍
    r"|[（(]\s*(?:\d{1,2}|[" + _CN + r"]{1,3})\s*[)）]"  # (1) （一）
    r"|[\u2460-\u2473\u2474-\u2487\u2488-\u249b\u3251-\u325f]"  # ① ⑴ ⒈ ㉑
    r"|[" + _CN + r"]{1,3}\s*[、.．]"  # 一、
    r"|第[" + _CN + r"\d]{1,3}[条项点][、:：\s]"  # 第一条、
    r")\s*"
)


def without_numbering(s: str) -> str:
    """``1、根据公司…`` -> ``根据公司…``; a text that is only a number, or holds no enumerator, as it is."""
    found = _ENUMERATOR.match(s)
    if found is None or not s[found.end() :].strip():
        return s
    return s[found.end() :]


def text_without_numbering(t: m.Text) -> m.Text:
    values = tuple((lang, without_numbering(s)) for lang, s in t.values)
    return t if values == t.values else m.Text(values)

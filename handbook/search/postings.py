"""How the index's postings and page names are written: small, in ASCII (pure: no Sphinx).

* postings: sorted page numbers as base-36 gaps, or a base64 bitmap when that is shorter
  (:func:`encode_postings`, :func:`decode_postings`);
* page names front coded: each as the length it shares with the one before and the rest
  (:func:`front_coded`, :func:`front_decoded`).

The browser decodes both (``handbook-search.js``).
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Sequence


def encode_postings(ids: Iterable[int], size: int) -> str:
    """Sorted page numbers as comma-separated base-36 gaps, or ``~`` + a base64 bitmap
    (bit i = page i) when that is shorter."""
    ids = sorted(set(ids))
    if not ids:
        return ""
    limit = (size + 5) // 6 + 2
    if 2 * len(ids) - 1 <= limit:  # (else even one digit per gap is longer than the bitmap)
        prev, parts = 0, []
        for i in ids:
            parts.append(_base36(i - prev))
            prev = i
        listed = ",".join(parts)
        if len(listed) <= limit:
            return listed
    bits = bytearray((size + 7) // 8)
    for i in ids:
        bits[i >> 3] |= 1 << (i & 7)
    return "~" + base64.b64encode(bytes(bits)).decode("ascii")


def front_coded(names: Sequence[str]) -> list[str]:
    """Sorted names, each as the length it shares with the one before (one base-36 digit)
    and the rest: ``roles/cs-supervisor``, ``roles/cs-team-leader`` -> ``0roles/cs-supervisor``,
    ``9team-leader``."""
    out, prev = [], ""
    for name in names:
        n = 0
        while n < min(len(prev), len(name), 35) and prev[n] == name[n]:
            n += 1
        out.append(_base36(n) + name[n:])
        prev = name
    return out


def front_decoded(coded: Sequence[str]) -> list[str]:
    out, prev = [], ""
    for s in coded:
        prev = prev[: int(s[0], 36)] + s[1:]
        out.append(prev)
    return out


def decode_postings(s: str) -> list[int]:
    if not s:
        return []
    if s.startswith("~"):
        bits = base64.b64decode(s[1:])
        return [i for i in range(len(bits) * 8) if bits[i >> 3] >> (i & 7) & 1]
    out, cur = [], 0
    for part in s.split(","):
        cur += int(part, 36)
        out.append(cur)
    return out


_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
#: the numbers below 36 * 36 written out once (gaps between page numbers mostly are)
_SMALL = [a + b for a in _DIGITS for b in _DIGITS]
_SMALL[:36] = list(_DIGITS)


def _base36(n: int) -> str:
    if n < len(_SMALL):
        return _SMALL[n]
    digits = _DIGITS
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = digits[r] + out
        if n == 0:
            return out

"""Dates as people type them, one parser for YAML and the workbook.

Accepted (full-width digits too): ``2026-12-01``, ``2026/12/01``, ``2024/3/1``, ``2027.12.15``,
``2026年12月15日``, ``20261201``; where a start date is meant (:data:`START_DATES`, e.g. a post's
``since``) also a month alone: ``2021-05``, ``2021/5``, ``2021.05``, ``2021年5月``. A month is
kept as a :class:`Month`, a :class:`datetime.date` (the first of the month, for comparisons)
that prints as written: ``Month(2021, 5).isoformat() == "2021-05"``. No Sphinx imports.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

#: the fields that may hold a month alone: when someone started, not a deadline
START_DATES = frozenset({"since"})

_SEP = r"\s*[-/.－／。、]\s*"
_DAY = re.compile(r"(\d{4})" + _SEP + r"(\d{1,2})" + _SEP + r"(\d{1,2})")
_DAY_ZH = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]")
_DAY_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_MONTH = re.compile(r"(\d{4})" + _SEP + r"(\d{1,2})")
_MONTH_ZH = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月(?:份)?")


class Month(dt.date):
    """A date known to the month: the first of that month, written ``YYYY-MM``."""

    __slots__ = ()

    def __new__(cls, year: int, month: int, day: int = 1) -> Month:
        return super().__new__(cls, year, month, 1)

    def isoformat(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    __str__ = isoformat

    def __reduce__(self) -> tuple:
        return (Month, (self.year, self.month))

    def __repr__(self) -> str:
        return f"Month({self.year}, {self.month})"


def parse_date(text: str, month_ok: bool = False) -> dt.date | None:
    """The date a text means, or ``None`` (not a date, or no such day such as 2024-02-30)."""
    s = unicodedata.normalize("NFKC", str(text)).strip()
    for pattern in (_DAY, _DAY_ZH, _DAY_COMPACT):
        m = pattern.fullmatch(s)
        if m is not None:
            try:
                return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                return None
    m = _MONTH.fullmatch(s) or _MONTH_ZH.fullmatch(s)
    if m is not None and month_ok and 1 <= int(m.group(2)) <= 12:
        return Month(int(m.group(1)), int(m.group(2)))
    return None


def is_month(text: str) -> bool:
    """``2021-05`` or ``2021年5月``: a month written where a day is needed."""
    s = unicodedata.normalize("NFKC", str(text)).strip()
    m = _MONTH.fullmatch(s) or _MONTH_ZH.fullmatch(s)
    return m is not None and 1 <= int(m.group(2)) <= 12


def excel_serial(n: float) -> dt.date | None:
    """An Excel date serial (a date cell formatted as a number: 46357 is 2026-12-01)."""
    if isinstance(n, bool) or not 1 <= n < 2958466:
        return None
    return dt.date(1899, 12, 30) + dt.timedelta(days=int(n))

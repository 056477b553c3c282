"""A stable content hash of model objects (positions and free data left out).

Used to decide which generated pages changed between builds (:mod:`handbook.view`, the
extension's page frame). No Sphinx imports.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
from collections.abc import Mapping
from dataclasses import fields
from typing import Any

from handbook.model import Text
from handbook.problems import Source


def digest(obj: Any) -> str:
    """A stable content hash of a model object, ignoring source positions.

    Used to decide which generated pages changed between builds.
    """
    h = hashlib.blake2b(digest_size=12)
    _feed(h, obj)
    return h.hexdigest()


_SCALARS = (str, int, float, bool, type(None), _dt.date, _dt.datetime)
#: the fields a digest covers, per dataclass: not positions (`source`), not free data (`extra`)
_DIGEST_FIELDS: dict[type, tuple[str, ...]] = {}


def _digest_fields(cls: type) -> tuple[str, ...]:
    names = _DIGEST_FIELDS.get(cls)
    if names is None:
        names = _DIGEST_FIELDS[cls] = tuple(f.name for f in fields(cls) if f.name not in ("source", "extra"))
    return names


def _feed(h: hashlib._Hash, obj: Any) -> None:
    t = type(obj)
    if t is Text:  # the commonest value: a tuple of string pairs, whose repr is exact and fast
        h.update(b"T")
        h.update(repr(obj.values).encode("utf-8"))
    elif t in _SCALARS:
        h.update(repr(obj).encode("utf-8"))
    elif t is Source:
        pass
    elif t is tuple or t is list:
        h.update(b"(")
        for x in obj:
            _feed(h, x)
            h.update(b",")
        h.update(b")")
    elif isinstance(obj, Mapping):
        h.update(b"{")
        for k in obj:
            _feed(h, k)
            h.update(b":")
            _feed(h, obj[k])
        h.update(b"}")
    elif hasattr(obj, "__dataclass_fields__"):
        h.update(t.__name__.encode())
        for name in _digest_fields(t):
            _feed(h, getattr(obj, name))
    else:
        h.update(repr(obj).encode("utf-8"))

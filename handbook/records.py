"""Records kept beside the content: they prove what happened to it, they are not part of it.

An :class:`Acknowledgement` is a returned reading confirmation (阅读确认): a person signed that
they read the changes of a revision that concern them (``acknowledgements:`` in a data file,
see :mod:`handbook.audit.acknowledgements`). Comparing two revisions leaves records out.
No Sphinx imports.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field

from handbook.model import Text
from handbook.problems import Source


@dataclass(frozen=True, slots=True)
class Acknowledgement:
    person: Text  # the person's id, else their name
    revision: Text
    date: _dt.date
    record: Text | None = None  # the signed sheet, an OA number …
    source: Source = field(default=Source("<none>"), compare=False)

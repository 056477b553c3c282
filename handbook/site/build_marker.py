"""Builds that finish or say so: a build stopped while writing is completed by the next one.

A build writes ``.handbook-writing`` into the output folder when it starts (builder-inited,
before the suggestions, the stubs or any page) and removes it when it has finished without
error (build-finished, after ``handbook.json``). A build that finds the file was preceded by
one that stopped — killed, out of memory, an error — after it had written part of the site:
its pages look current to Sphinx, yet the search index, the suggestions and ``handbook.json``
would only ever hold what it got to. So this build says so, forgets that the data is the
previous build's (the stubs, suggestions and ``handbook.json`` are written again) and writes
every page again (Sphinx's index and the handbook's split index are then complete).
"""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

MARKER = ".handbook-writing"


def _marker(app: Sphinx) -> Path:
    return Path(app.outdir, MARKER)


def note_start(app: Sphinx) -> None:
    """``builder-inited`` (before the data is loaded): was the last build cut short? Then start afresh."""
    domain = app.env.domains["org"]
    marker = _marker(app)
    domain.rewrite_all = marker.exists()
    if domain.rewrite_all:  # a notice, not a warning: a build with -W after a killed one must not fail
        logger.info(
            "handbook: the previous build into %s stopped before it finished; every page, the search index "
            "and the data files are written again",
            app.outdir,
        )
        domain.data.pop("data-digest", None)  # nothing is taken as current from the previous build
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text("a handbook build is writing here (or stopped before it finished)\n", encoding="utf-8")


def rewrite_all(app: Sphinx, env) -> list[str]:
    """``env-get-updated``: after a cut-short build every page is written again."""
    return sorted(env.all_docs) if getattr(env.domains["org"], "rewrite_all", False) else []


def note_finish(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished`` (last): everything is written."""
    if exception is None:
        _marker(app).unlink(missing_ok=True)


def setup_build_marker(app: Sphinx) -> None:
    app.connect("builder-inited", note_start, priority=450)  # before load_handbook (500) and the search (600)
    app.connect("env-get-updated", rewrite_all)
    app.connect("build-finished", note_finish, priority=999)

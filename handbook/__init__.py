"""handbook: a company's organisation as a validated data set and a cross-linked Sphinx handbook.

The pure core (:mod:`handbook.loader`, :mod:`handbook.validate`, :mod:`handbook.model`)
imports no Sphinx; the Sphinx extension lives in :mod:`handbook.extension` and is set up
by ``extensions = ["handbook"]``.
"""

__version__ = "0.1.0"


def setup(app):  # pragma: no cover - exercised by the Sphinx tests
    from handbook.site.extension import setup as _setup

    return _setup(app)

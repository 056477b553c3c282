"""Audit data: the ISO 9001 clause allocation, what changed between two revisions, released baselines.

Pure (no Sphinx, no docutils): :mod:`~handbook.audit.clauses` (the standard's clauses and
which department leads or supports each), :mod:`~handbook.audit.changes` (a comparison as
data), :mod:`~handbook.audit.compare` and :mod:`~handbook.audit.pairing` (two handbooks
compared object by object), :mod:`~handbook.audit.change_report` (the comparison as text,
Markdown, JSON, the import's listing) and :mod:`~handbook.audit.datasets` (a handbook read
from a folder or a git revision).
"""

"""The benchmarks and the synthetic data generator of the handbook project.

``bench.make_org`` writes synthetic handbook data folders (``python -m bench.make_org N``);
``run.py``, ``plain.py``, ``gcstats.py``, ``pdf_jobs.py``, ``chart_layouts.py`` and ``page_weight.py`` measure
the handbook on them (each runs as ``python bench/NAME.py`` or ``python -m bench.NAME``
from the repository root). Development infrastructure: not shipped in the wheel (only
``handbook*`` is packaged).
"""

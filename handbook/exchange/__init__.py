"""Data exchange: HR's workbooks and CSV files in, YAML, workbooks, CSV, JSON and JSON Schema out.

Pure (no Sphinx, no docutils). In: :mod:`~handbook.exchange.sheet_files` (files to located
cells), :mod:`~handbook.exchange.sheet_rows`, :mod:`~handbook.exchange.import_ids` and
:mod:`~handbook.exchange.cells_to_values`, put together by :mod:`~handbook.exchange.importing`;
the result is checked by :mod:`handbook.validate` and written by
:mod:`~handbook.exchange.data_folder` (backups first) through
:mod:`~handbook.exchange.yaml_out`. Out: :mod:`~handbook.exchange.exporting`. The sheets
and columns are :mod:`~handbook.exchange.workbook_layout`'s, derived from
:mod:`handbook.schema`, as is :mod:`~handbook.exchange.json_schema`.
"""

"""Charts: the handbook's organisation and process charts, from the model to drawings.

A chart is built as a pure model (:mod:`handbook.charts.model`: boxes, lines, links, the
text version) and written as Mermaid source text (:mod:`handbook.charts.mermaid_text`),
its labels escaped and wrapped by :mod:`handbook.charts.label_text`. The layouts:
organisation charts of the company and of each department
(:mod:`handbook.charts.org_charts`) and process flows (:mod:`handbook.charts.flow_charts`).
A chart too large for a printed page is split into smaller ones
(:mod:`handbook.charts.print_split`). :mod:`handbook.charts.mermaid_js` finds Mermaid's
JavaScript, and :mod:`handbook.charts.svg` draws the charts as SVG in headless Chromium
for the PDF.

Everything here is pure (no Sphinx, no docutils). Import from the modules themselves:
this package re-exports nothing.
"""

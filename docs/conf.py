"""The handbook project's own manual: a Sphinx site of the Markdown (MyST) pages in docs/.

Built by ``make docs`` into ``_build/docs`` (warnings are errors). Not the example handbook:
that is ``source/`` with the project's root ``conf.py``. The tables between
``<!-- BEGIN name -->`` / ``<!-- END name -->`` markers are written by
``scripts/doc_tables.py`` from the code; Sphinx only renders them.
"""

project = "handbook"
author = "the handbook authors"
language = "en"

extensions = ["myst_parser"]
source_suffix = {".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]

# `[text](page.md#a-heading)` links between the pages: anchors for headings down to ###
myst_heading_anchors = 3
# the quotes in the text are literal values ('pdf/a-2b', "B0"): never curled
smartquotes = False

html_theme = "alabaster"
html_title = "handbook"
html_theme_options = {
    "description": "Organisation handbook: site, audit PDF and search from one data set",
    "page_width": "1280px",
    "body_max_width": "none",
}  # the wide reference tables
html_show_sourcelink = False

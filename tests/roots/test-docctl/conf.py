# Another company's handbook, for the document-control tests: a draft (the tests switch the
# status to 受控 / 作废), numbered copies, an overdue review, a logo and a brand colour, and
# hand-written pages whose Chinese titles docutils gives the same id (id1).
project = "焊机手册"
language = "zh_CN"
extensions = ["myst_parser", "handbook"]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build", "org"]
handbook_data_dir = "org"
handbook_logo = "logo.png"
handbook_brand_color = "#0b6e4f"
html_theme = "handbook"
# charts are not what these tests look at: drawn in the browser, no Chromium at build time
handbook_chart_drawing = "browser"

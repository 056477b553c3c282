project = "warnings"
language = "zh_CN"
extensions = ["myst_parser", "handbook"]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build", "org"]
handbook_data_dir = "org"
# charts are not what these tests look at: drawn in the browser, no Chromium at build time
handbook_chart_drawing = "browser"

project = "测试手册"
language = "zh_CN"
extensions = ["myst_parser", "handbook"]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build", "org"]
handbook_data_dir = "org"
# the tests of this root read the charts' Mermaid source: drawn in the browser, no Chromium at build time
handbook_chart_drawing = "browser"

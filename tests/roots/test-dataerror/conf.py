project = "dataerror"
language = "zh_CN"
extensions = ["myst_parser", "handbook"]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build", "org"]
handbook_data_dir = "org"

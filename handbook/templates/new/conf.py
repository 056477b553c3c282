# Sphinx configuration of a handbook made with `handbook new`.
project = "{{company}} 组织手册"
language = "zh_CN"

extensions = ["myst_parser", "handbook"]
html_theme = "handbook"
exclude_patterns = ["_build", "org", "node_modules"]

# the organisation data, relative to this file (check it with `handbook check org`)
handbook_data_dir = "org"
# Mermaid's JavaScript for the charts: `npm install mermaid` here, or point to a copy
# handbook_mermaid_dir = "node_modules/mermaid/dist"

# Sphinx configuration of a handbook made with `handbook new`.
# In this folder: `handbook check`, `handbook html`, `handbook pdf`, `handbook serve`.
project = "{{company}} 组织手册"
language = "zh_CN"

extensions = ["myst_parser", "handbook"]
html_theme = "handbook"
# the title in every page's header (beside the company name) and in the browser's tab
html_title = "组织机构与岗位职责手册"
exclude_patterns = ["_build", "_backup", "org", "node_modules", "README.md"]

# the organisation data, relative to this file (check it with `handbook check`)
handbook_data_dir = "org"

# your logo (a file next to this one; SVG or PNG) and brand colour, in the site's header
# and on the PDF's cover:
# handbook_logo = "logo.svg"
# handbook_brand_color = "#1a5fb4"

# Mermaid's JavaScript for the charts: the handbook package carries its own copy; a
# node_modules/mermaid here (`npm install mermaid@11`) or this setting take its place
# handbook_mermaid_dir = "node_modules/mermaid/dist"

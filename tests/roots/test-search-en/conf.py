# An English handbook: Sphinx's English search, plus the handbook's ranking and snippets.
project = "Acme Handbook"
language = "en"
extensions = ["handbook"]
html_theme = "handbook"
handbook_data_dir = "org"
exclude_patterns = ["_build", "org"]
# charts are not what these tests look at: drawn in the browser, no Chromium at build time
handbook_chart_drawing = "browser"

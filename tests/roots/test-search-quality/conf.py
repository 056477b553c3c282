# A quality department whose duties hold the words a quality manual lives on (search tests).
project = "质量手册"
language = "zh_CN"
extensions = ["handbook"]
html_theme = "handbook"
handbook_data_dir = "org"
exclude_patterns = ["_build", "org"]
# charts are not what these tests look at: drawn in the browser, no Chromium at build time
handbook_chart_drawing = "browser"

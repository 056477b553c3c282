# A small Chinese handbook for the search tests (jieba required).
project = "测试手册"
language = "zh_CN"
extensions = ["handbook"]
html_theme = "handbook"
handbook_data_dir = "org"
exclude_patterns = ["_build", "org"]
# charts are not what these tests look at: drawn in the browser, no Chromium at build time
handbook_chart_drawing = "browser"

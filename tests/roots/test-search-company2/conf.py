# A second company for the search tests (issue 23): a telesales and service company whose data
# says the work in other words than its employees type (计薪 for 发工资, 印章 for 公章 ...).
project = "国众兴合岗位手册"
language = "zh_CN"
extensions = ["handbook"]
html_theme = "handbook"
handbook_data_dir = "org"
exclude_patterns = ["_build", "org"]
handbook_search_vocabulary_file = "company-words.yaml"
handbook_search_synonyms = [["饭堂", "员工餐", "就餐"]]
suppress_warnings = ["handbook.no-authority", "handbook.no-qualifications", "handbook.vacant-performer"]
# charts are not what these tests look at: drawn in the browser, no Chromium at build time
handbook_chart_drawing = "browser"

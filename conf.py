# Sphinx configuration of the example handbook (used with `-c .`, see the Makefile).
project = "华意隆组织手册"
author = "华意隆实业发展有限公司 行政人事部"
language = "zh_CN"

extensions = ["myst_parser", "handbook"]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build", "org", "releases"]

html_theme = "handbook"
html_title = project
# the company's own logo and footer line: _templates/layout.html extends the theme's layout
templates_path = ["_templates"]
html_static_path = ["_static"]
html_last_updated_fmt = "%Y-%m-%d"

# the organisation data (relative to this file)
handbook_data_dir = "source/org"
# the company's logo and colour on the PDF cover and the job descriptions
handbook_logo = "_static/logo.svg"
handbook_brand_color = "#1a56db"
# the last released revision (B/0), kept as a folder so a fresh clone has it: the build adds
# "本版修订内容" (what changed since B/0) and notes on the pages that changed
handbook_baseline = "source/releases/B0/org"
# records of document control: days until a warning (阅读确认, 旧版回收, 签收)
handbook_acknowledgement_days = 30
handbook_recall_days = 14
handbook_receipt_days = 7
# B/1 was released in 2024 and some records are still open on purpose (not everyone has returned the
# acknowledgement, six B/0 copies are not back, six receipts are unsigned): `handbook check`,
# `handbook acknowledgements`, `handbook recall` and the 阅读确认 page list them; the site build stays quiet
suppress_warnings = ["handbook.acknowledgement-overdue", "handbook.copy-not-returned", "handbook.receipt-unsigned"]

myst_enable_extensions = ["colon_fence", "deflist"]

# Sphinx's own LaTeX route also works (charts become text); the audit PDF is `make pdf`
latex_documents = [("index", "handbook.tex", project, author, "manual")]
copyright = "2024, 深圳市华意隆实业发展有限公司"
version = release = "B/1"
man_pages = [("index", "handbook", project, [author], 7)]

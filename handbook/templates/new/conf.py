# Sphinx configuration of a handbook made with `handbook new`.
project = "{{company}}"
language = "zh_CN"
extensions = ["handbook"]
handbook_data_dir = "org"
exclude_patterns = ["_build"]

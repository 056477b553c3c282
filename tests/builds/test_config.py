"""Settings: declared once (handbook.config.SETTINGS), checked when conf.py is read."""

from __future__ import annotations

import pytest

from handbook.charts.model import MAX_CHART_NODES
from handbook.site import settings as config


@pytest.mark.parametrize(
    "name, value, problem, used",
    [
        ("handbook_chart_max_nodes", 500, "must be between 5 and 150", 150),
        ("handbook_chart_max_nodes", 2, "must be between 5 and 150", 5),
        ("handbook_chart_max_nodes", "60", "must be a int, not str", 60),
        ("handbook_as_of", "01/03/2024", "must be a date written YYYY-MM-DD, or empty", ""),
        ("handbook_pdf_variant", "pdf/a-1b", "must be one of 'pdf/a-2b', 'pdf/a-3b', 'pdf/ua-1', ''", "pdf/a-2b"),
        ("handbook_pdf_filename", "out/x.pdf", "must be a file name, not a path", ""),
        ("handbook_data_dir", " ", "must not be empty", "org"),
        ("handbook_chart_drawing", "client", "must be one of 'build', 'browser'", "build"),
    ],
)
def test_bad_values_are_named_and_replaced(name, value, problem, used):
    setting = next(s for s in config.SETTINGS if s.name == name)
    assert setting.problem(value) == (problem, used)


@pytest.mark.parametrize(
    "name, value",
    [
        ("handbook_chart_max_nodes", 5),
        ("handbook_chart_max_nodes", 150),
        ("handbook_as_of", "2024-03-01"),
        ("handbook_as_of", ""),
        ("handbook_pdf_variant", ""),
        ("handbook_show_people", False),
        ("handbook_chart_drawing", "build"),
        ("handbook_chart_drawing", "browser"),
    ],
)
def test_good_values_pass(name, value):
    setting = next(s for s in config.SETTINGS if s.name == name)
    assert setting.problem(value) is None


def test_every_setting_is_documented_and_unique():
    names = [s.name for s in config.SETTINGS]
    assert len(names) == len(set(names))
    assert all(s.name.startswith("handbook_") and s.help.endswith(".") for s in config.SETTINGS)


def test_the_chart_bound_is_the_one_mermaid_keeps():
    assert config.CHART_NODES[1] == MAX_CHART_NODES


def test_a_bad_setting_is_a_warning_in_the_build(site):
    built = site("basic", handbook_chart_max_nodes=500)
    lines = [x for x in built.warnings.splitlines() if "handbook_chart_max_nodes" in x]
    assert len(lines) == 1, built.warnings
    assert "handbook_chart_max_nodes = 500 must be between 5 and 150; using 150" in lines[0]
    assert lines[0].rstrip().endswith("[handbook.config]")
    assert built.app.config.handbook_chart_max_nodes == 150

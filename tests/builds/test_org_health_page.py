"""The organisation-health page of a built site, and its warnings with `handbook_org_health`."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def basic(site):
    return site("basic")


def rows(soup, table_class: str) -> list[list[str]]:
    return [
        [td.get_text(" ", strip=True) for td in tr.find_all("td")]
        for tr in soup.select(f"table.{table_class} tbody tr")
    ]


def test_the_page_shows_spans_layers_posts_and_vacancy_with_links(basic):
    soup = basic.soup("indexes/org-health.html")
    assert soup.find("h1").get_text(strip=True).startswith("组织健康度")
    spans = rows(soup, "handbook-org-spans")
    assert [r[2] for r in spans] == ["2", "2", "1"]  # widest first
    assert spans[2][-1] == "幅度过窄"  # one report, below the default span_min of 2
    first = soup.select_one("table.handbook-org-spans tbody tr a")
    assert first["href"] == "../roles/gm.html"
    assert rows(soup, "handbook-org-layers") == [["1", "1"], ["2", "2"], ["3", "3"]]
    vacancy = {r[0]: r[4:] for r in rows(soup, "handbook-org-vacancy")}
    assert vacancy["研发部"] == ["75 %", "超过 30 %"]
    assert [r[2] for r in rows(soup, "handbook-org-many-posts")] == ["2", "2"]


def test_no_org_health_warnings_without_the_setting(basic):
    assert "handbook.span-of-control" not in basic.warnings
    assert "handbook.vacancy-rate" not in basic.warnings


def test_the_setting_turns_findings_into_located_warnings(site):
    built = site("basic", handbook_org_health={"vacancy_max": 0.5, "span_min": 1})
    lines = [line for line in built.warnings.splitlines() if "[handbook." in line and "org" in line]
    vacancy = [line for line in lines if "handbook.vacancy-rate" in line]
    assert len(vacancy) == 1 and "30-rd.yaml:2" in vacancy[0] and "department `rd` has 3 of 4 posts open" in vacancy[0]
    assert not [line for line in lines if "handbook.span-of-control" in line]  # span_min 1: none too narrow
    # the page marks against the same limits
    assert rows(built.soup("indexes/org-health.html"), "handbook-org-spans")[2][-1] == ""


def test_a_bad_setting_is_a_config_warning(site):
    built = site("basic", handbook_org_health={"span": 3})
    assert "handbook_org_health" in built.warnings and "unknown key `span`" in built.warnings


def test_the_example_links_it_from_every_sidebar_and_counts_the_general_managers_span(example_site):
    from bs4 import BeautifulSoup

    company = BeautifulSoup((example_site / "company.html").read_text(encoding="utf-8"), "html.parser")
    links = [a for a in company.find_all("a", href=True) if a["href"].endswith("indexes/org-health.html")]
    assert links and links[0].get_text(strip=True) == "组织健康度"
    soup = BeautifulSoup((example_site / "indexes/org-health.html").read_text(encoding="utf-8"), "html.parser")
    first = rows(soup, "handbook-org-spans")[0]
    assert first[:3] == ["总经理", "总经理办公室", "9"]

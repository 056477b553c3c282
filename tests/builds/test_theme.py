"""The handbook theme: header search, local navigation, footer, charts sized to be read."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup


def soup(site: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")


def test_header_has_title_and_search(example_site):
    s = soup(example_site, "roles/cs-supervisor.html")
    header = s.select_one("header.handbook-header")
    assert header.select_one(".handbook-brand-title").get_text(strip=True) == "华意隆组织手册"
    form = header.select_one("search form")
    assert form["action"] == "../search.html"
    assert form.select_one("input")["name"] == "q"


def test_breadcrumbs_company_department_page(example_site):
    s = soup(example_site, "roles/cs-supervisor.html")
    crumbs = [li.get_text(strip=True) for li in s.select("div.sphinxsidebar ol.handbook-breadcrumbs li")]
    assert crumbs[0] == "深圳市华意隆实业发展有限公司"
    assert crumbs[-2:] == ["客户服务中心", "客服主管"]
    assert s.select_one("ol.handbook-breadcrumbs li.current").get_text(strip=True) == "客服主管"


def test_sidebar_is_local_never_the_global_tree(example_site):
    for page in ("roles/cs-supervisor.html", "departments/customer-service.html", "index.html"):
        sidebar = soup(example_site, page).select_one("div.sphinxsidebar")
        assert not sidebar.select("li[class^=toctree-l]"), page
        assert len(sidebar.select("a")) < 30, page


def test_department_sidebar_lists_its_roles_and_subdepartments(example_site):
    s = soup(example_site, "departments/customer-service.html")
    local = [a.get_text(strip=True) for a in s.select("div.sphinxsidebar ul.handbook-nav-local a")]
    assert "客服主管" in local and "业务受理组" in local
    assert "财务部" not in local


def test_footer_shows_document_control(example_site):
    footer = soup(example_site, "roles/cs-supervisor.html").select_one("footer.handbook-footer")
    info = {
        dt.get_text(strip=True): dt.find_next_sibling("dd").get_text(strip=True)
        for dt in footer.select("dl.handbook-docinfo dt")
    }
    assert info == {"文件编号": "HYL-QM-001", "版本": "B/1", "实施日期": "2024-03-01"}


def test_company_templates_add_logo_and_footer_line_without_copying_the_theme(example_site):
    """The example's _templates/layout.html extends the theme and fills its two blocks."""
    for page, prefix in (("roles/cs-supervisor.html", "../"), ("index.html", "")):
        s = soup(example_site, page)
        logo = s.select_one("header.handbook-header a.handbook-brand img.handbook-logo")
        assert logo is not None and logo["src"] == prefix + "_static/logo.svg"
        assert (example_site / "_static" / "logo.svg").exists()
        extra = s.select_one("footer.handbook-footer .handbook-footer-extra")
        assert extra is not None and "行政人事部" in extra.get_text()
        assert s.select_one("footer.handbook-footer dl.handbook-docinfo") is not None  # the theme's footer stays


def test_prev_next_spaced_out_of_the_sidebar(example_site):
    s = soup(example_site, "roles/cs-supervisor.html")
    nav = s.select_one("nav.handbook-prevnext")
    assert nav.select_one("a[rel=prev]") and nav.select_one("a[rel=next]")
    assert not s.select("div.sphinxsidebar a[rel=prev]")


@pytest.mark.parametrize("url", ["departments/customer-service.html", "company.html"])
def test_charts_readable_and_offline(example_site, serve, page, url):
    tab = page
    tab.goto(f"{serve(example_site)}{url}")
    tab.wait_for_function("document.querySelector('figure.handbook-chart svg.handbook-chart-sized')", timeout=15000)
    sizes = tab.evaluate("""() => { const svg = document.querySelector('figure.handbook-chart svg');
        const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
        const label = svg.querySelector('.nodeLabel, g.label text');  // HTML labels, or SVG text (build time)
        const font = parseFloat(getComputedStyle(label).fontSize);
        return {px: scale * font, fig: svg.closest('figure').getBoundingClientRect().width,
                body: document.documentElement.scrollWidth}; }""")
    assert sizes["px"] >= 11.9, sizes  # text never shrunk below ~12px: wide charts scroll in their frame
    assert sizes["body"] <= 1280, sizes  # ... and never widen the page
    assert not [u for u in tab.requests_seen if not u.startswith("http://127.0.0.1")]
    assert not tab.errors_seen


def test_a_wide_raci_matrix_is_numbered_and_split_in_equal_tables(example_site):
    """材料采购与招标流程 names 17 roles: two tables of 9 and 8 numbered columns (not 12 and
    5), each repeating the activities, and a key that names the numbered roles."""
    page = soup(example_site, "processes/material-procurement.html")
    key = page.select("ol.handbook-raci-key > li")
    assert len(key) == 17 and key[0].a["href"].startswith("../roles/")
    tables = page.select("table.handbook-raci")
    heads = [[th.get_text(strip=True) for th in t.select("thead th")] for t in tables]
    assert [h[1:] for h in heads] == [[str(i) for i in range(1, 10)], [str(i) for i in range(10, 18)]]
    assert heads[0][0] == heads[1][0] == "活动"
    activities = [[tr.select("td")[0].get_text(strip=True) for tr in t.select("tbody tr")] for t in tables]
    assert activities[0] == activities[1] and len(activities[0]) > 3
    assert all("hb-nowrap" in th["class"] for t in tables for th in t.select("thead th")[1:])

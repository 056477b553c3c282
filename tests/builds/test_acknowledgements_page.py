"""The acknowledgements page (阅读确认) of the example: per department, who must read which
changes of B/1 since B/0 and who has acknowledged; the example builds without a warning since its
conf.py silences the open records, and with the suppression lifted they warn with their place."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup


def soup(site: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")


def test_the_page_lists_who_has_and_has_not_acknowledged(example_site):
    page = soup(example_site, "indexes/acknowledgements.html")
    assert page.find("h1").get_text(strip=True).startswith("阅读确认")
    summary = page.select_one("p.handbook-acknowledgements-summary").get_text()
    assert summary == "须阅读 19 人，已确认 9 人"
    quality = page.select_one('section[id="handbook-acknowledgements-quality"]')
    assert quality.find("h2").get_text(strip=True).startswith("品质部")
    rows = {
        tr.find("td").get_text(strip=True): tr
        for tr in quality.select("table.handbook-acknowledgements-table tbody tr")
    }
    lin = rows["林静"]
    assert lin.select_one(".handbook-ack-done").get_text() == "已确认 2024-03-04 HR-QR-2024-011"
    items = [li.get_text(" ", strip=True) for li in lin.select("li")]
    assert "质量部主管 · 岗位职责 9（改写）：负责组织不合格品的评审；" in items
    assert lin.find("a")["href"] == "../roles/quality-manager.html"
    # an acting holder of a new post: the whole description, as 代理
    yang = [li.get_text(strip=True) for li in rows["杨帆"].select("li")]
    assert any(x.startswith("SQM 工程师（兼 IQC 组长） · 岗位说明书（新增, 代理）") for x in yang)
    tech = page.select_one('section[id="handbook-acknowledgements-as-tech1"]')
    pending = {
        tr.find("td").get_text(strip=True): tr.select_one(".handbook-ack-pending") for tr in tech.select("tbody tr")
    }
    assert pending["温俊超"] is not None and pending["温俊超"].get_text() == "未确认"
    names = {
        td.get_text(strip=True) for td in page.select("table.handbook-acknowledgements-table tbody td:first-child")
    }
    assert "朱红" not in names and "陈国华" not in names  # nothing of theirs changed
    nav = [a.get_text() for a in soup(example_site, "company.html").select("ul.handbook-nav-links a")]
    assert "阅读确认" in nav


def test_the_open_records_warn_in_the_build_with_their_place(tmp_path):
    from conftest import build_in_place, example_source

    src = example_source(tmp_path / "src")
    built = build_in_place(src, handbook_today="2026-12-01", suppress_warnings=[])
    warnings = built.warnings
    assert warnings.count("[handbook.acknowledgement-overdue]") == 10
    assert "org/people.yaml:15:5: WARNING: 刘志强 has not acknowledged the 1 change of B/1" in warnings
    assert warnings.count("[handbook.copy-not-returned]") == 6
    assert warnings.count("[handbook.receipt-unsigned]") == 6
    assert "org/company.yaml:49:9: WARNING: copy 3 issued to 研发部 on 2024-03-01 has no receipt" in warnings

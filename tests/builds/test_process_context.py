"""The example's processes as ISO 9001 4.4 asks: inputs and outputs, measures, risks and
opportunities, related processes, forms and records on each process page, and the process
interaction map on the processes index."""

from __future__ import annotations

from bs4 import BeautifulSoup


def soup(site, page: str) -> BeautifulSoup:
    return BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")


def test_every_process_page_shows_its_inputs_outputs_measures_risks_and_records(example_site):
    for pid in ("customer-call", "complaint-followup", "material-procurement", "new-product-development"):
        page = soup(example_site, f"processes/{pid}.html")
        titles = [h.get_text(strip=True).rstrip("¶") for h in page.select("section h2")]
        for title in ("输入与输出", "考核指标", "风险和机遇", "表单与记录"):
            assert title in titles, (pid, title, titles)
        io = page.select_one("table.handbook-process-io")
        assert [th.get_text(strip=True) for th in io.select("th")] == ["输入", "输出"]
    procurement = soup(example_site, "processes/material-procurement.html")
    records = procurement.find(id="process-material-procurement.records")
    assert "比质比价表" in [li.get_text(strip=True) for li in records.select("li")]
    related = soup(example_site, "processes/new-product-development.html").find(
        id="process-new-product-development.related"
    )
    assert [a["href"] for a in related.select("p a")] == ["material-procurement.html"]


def test_the_processes_index_maps_which_output_feeds_which_process(example_site):
    page = soup(example_site, "processes/index.html")
    section = page.find(id="handbook-process-map")
    assert section is not None
    text = [li.get_text(" ", strip=True) for li in section.select(".handbook-chart-text li, details li")]
    assert any("客户来电流程" in t and "输出给客户投诉建议回访流程：客户投诉记录" in t for t in text), text
    assert any("新产品开发流程" in t and "输出给材料采购与招标流程：新产品物料清单" in t for t in text), text


def test_a_relative_performer_is_named_in_words_in_the_steps_table(example_site):
    page = soup(example_site, "processes/complaint-followup.html")
    rows = [
        [td.get_text(" ", strip=True) for td in tr.find_all("td")]
        for tr in page.select("table.handbook-steps tbody tr")
    ]
    improve = next(r for r in rows if r[1].startswith("相关单位落实服务改进措施"))
    assert improve[2] == "各部门负责人"

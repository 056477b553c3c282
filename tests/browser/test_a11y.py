"""Every employee can use the site: axe-core on every kind of page, the keyboard, and print.

- **axe-core** (WCAG 2.1 A/AA rules plus best practice, :mod:`axe`) on every kind of page —
  each row of ``handbook.pages.PAGE_KINDS`` (a new page kind is checked without touching
  this file), the start page, the general index, search with results and with none — at
  1,400 px and at 390 px (there also with the navigation open), after the charts are drawn,
  in both label languages: the example handbook in zh_CN and in English.
- **Keyboard**: the skip link, the navigation button, the search box, previous/next and
  every other tab stop work without a mouse, and each shows a visible focus ring.
- **Print**: a role page printed from Chromium is A4, without the navigation, header search
  or sidebar, and every page carries the document number, revision and print date.
"""

from __future__ import annotations

import datetime
import os
import shutil
import subprocess
import urllib.parse
from pathlib import Path

import pytest
from axe import AXE_JS, KNOWN, check, report, wait_until_settled
from bs4 import BeautifulSoup
from conftest import ROOT, Site, build_in_place, example_source, mermaid_dist, require
from pypdf import PdfReader

from handbook.pages import PAGE_KINDS
from handbook.site.page_context import caption_levels, css_string, print_css
from handbook.validate import check_dir

DESKTOP = {"width": 1400, "height": 900}
PHONE = {"width": 390, "height": 844}
NO_HITS = "zqxjkv"  # a query no page matches
#: page kinds of the site besides the generated ones
SITE_PAGES = ("start", "genindex", "search", "search-no-hits")


# -- the sites: the example handbook with Chinese and with English labels ---------------------------
@pytest.fixture(scope="module")
def example_en(tmp_path_factory) -> Site:
    """The example handbook built with ``language = "en"`` (English labels, the same data)."""
    require(mermaid_dist().joinpath("mermaid.esm.min.mjs").exists(), "the npm mermaid package (node_modules)")
    # the data is Chinese: keep the Chinese search (else the build warns, handbook.search-language)
    built = build_in_place(
        example_source(tmp_path_factory.mktemp("example-en") / "src"), language="en", html_search_language="zh"
    )
    assert built.warnings == "", built.warnings
    return built


@pytest.fixture(scope="module")
def sites(request, serve):
    """``sites(language) -> (outdir, base URL)``, each built and served once."""
    served: dict[str, tuple[Path, str]] = {}

    def get(language: str) -> tuple[Path, str]:
        if language not in served:
            if language == "yours":
                outdir = Path(os.environ[YOUR_SITE]).resolve()
            else:
                outdir = request.getfixturevalue("example" if language == "zh_CN" else "example_en").outdir
            served[language] = (outdir, serve(outdir))
        return served[language]

    return get


def page_of_kind(outdir: Path, kind: str) -> str | None:
    """The address of one page of ``kind`` in a built site: for per-object kinds the largest
    such page (the most content to check); the search pages query a role's title, or nonsense."""
    if kind == "start":
        return "index.html"
    if kind == "genindex":
        return "genindex.html"
    if kind.startswith("search"):
        titled = page_of_kind(outdir, "role") or "index.html"
        title = BeautifulSoup((outdir / titled).read_text(encoding="utf-8"), "html.parser").h1.get_text(strip=True)
        query = NO_HITS if kind == "search-no-hits" else title.rstrip("¶")
        return "search.html?q=" + urllib.parse.quote(query)
    page = next(k for k in PAGE_KINDS if k.kind == kind)
    if page.per is None:
        return page.docname + ".html"
    others = {k.docname + ".html" for k in PAGE_KINDS if k.per is None}
    pattern = page.docname_of("*") + ".html"
    files = [p for p in outdir.glob(pattern) if p.relative_to(outdir).as_posix() not in others]
    if not files:
        return None
    return max(files, key=lambda p: (p.stat().st_size, p.name)).relative_to(outdir).as_posix()


def settle(page, address: str) -> None:
    """Wait for the charts, and on the search page for the results (or the no-hits message)."""
    wait_until_settled(page)
    if address.startswith("search.html"):
        page.wait_for_function(
            "() => { const s = document.querySelector('#search-results .search-summary');"
            " return s && s.innerText.trim().length > 0; }",
            timeout=30_000,
        )
        page.wait_for_load_state("networkidle")


# -- axe-core ---------------------------------------------------------------------------------------
_known_seen: dict = {}
_axe_runs: list[str] = []
LANGUAGES = ("zh_CN", "en")
#: the built HTML folder of another handbook to sweep as well (``make test-a11y SITE=…``)
YOUR_SITE = "HANDBOOK_A11Y_SITE"
SWEPT = LANGUAGES + (("yours",) if os.environ.get(YOUR_SITE) else ())
KINDS = tuple(k.kind for k in PAGE_KINDS) + SITE_PAGES


def test_axe_core_is_installed_from_npm():
    require(AXE_JS.exists(), "the npm axe-core package (node_modules)")
    assert "axe-core" in (ROOT / "package.json").read_text(encoding="utf-8")


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("language", SWEPT)
def test_no_axe_violations(page, sites, language, kind):
    """Zero violations at desktop and phone width (and with the phone's navigation open)."""
    require(AXE_JS.exists(), "the npm axe-core package (node_modules)")
    outdir, base = sites(language)
    address = page_of_kind(outdir, kind)
    if address is None:
        assert language == "yours", f"the example has no {kind} page"
        pytest.skip(f"{outdir} has no {kind} page")
    problems = []
    page.set_viewport_size(DESKTOP)
    page.goto(base + address)
    settle(page, address)
    # one load, then the phone's width: the layout is CSS only, the charts are drawn once either way
    for name, viewport in (("1400 px", DESKTOP), ("390 px", PHONE)):
        page.set_viewport_size(viewport)
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        states = [name]
        findings = check(page)
        if viewport is PHONE and page.locator("#handbook-nav-toggle").is_visible():
            page.click("#handbook-nav-toggle")
            findings += [f for f in check(page, within="#handbook-sidebar") if f not in findings]
            states.append("navigation open")
        where = f"{urllib.parse.unquote(address)} ({language}, {', '.join(states)})"
        for f in findings:
            if f.known is not None:
                _known_seen.setdefault(f.known, []).append(f"{where}: {f.target}")
        new = [f for f in findings if f.known is None]
        if new:
            problems.append(report(new, where))
    _axe_runs.append(f"{language}/{kind}")
    assert not problems, "\n\n".join(problems)
    assert page.errors_seen == []


@pytest.mark.browser  # it reads what the sweep above saw
def test_known_findings_are_still_open():
    """Each finding another piece of work owns (:data:`axe.KNOWN`) still occurs; once it is
    fixed, its entry must go, so the list cannot hide a new finding of the same rule."""
    if len([r for r in _axe_runs if not r.startswith("yours/")]) < len(KINDS) * len(LANGUAGES):
        pytest.skip("needs the whole axe-core sweep (test_no_axe_violations) in the same run")
    stale = [k for k in KNOWN if k not in _known_seen]
    for k, where in _known_seen.items():
        print(f"known, owned by {k.owner}: {k.rule} on {len(where)} element(s), e.g. {where[0]}")
    assert not stale, "these findings no longer occur; remove them from KNOWN in tests/axe.py: " + ", ".join(
        f"{k.rule} ({k.owner})" for k in stale
    )


# -- keyboard ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def zh(sites):
    return sites("zh_CN")


def focused(page) -> dict:
    """What has the focus: tag, id, classes, href, the visible focus ring, and where it is."""
    return page.evaluate("""() => { const e = document.activeElement; const s = getComputedStyle(e);
        const r = e.getBoundingClientRect();
        return {tag: e.tagName.toLowerCase(), id: e.id, cls: e.className && e.className.baseVal === undefined
                ? e.className : '', href: e.getAttribute('href') || '', name: e.getAttribute('name') || '',
                rel: e.getAttribute('rel') || '', text: (e.innerText || e.value || '').trim().slice(0, 40),
                outline: s.outlineStyle, outlineWidth: parseFloat(s.outlineWidth), outlineColor: s.outlineColor,
                width: r.width, height: r.height, top: r.top, bottom: r.bottom, left: r.left, right: r.right,
                vw: innerWidth, vh: innerHeight, inMain: !!e.closest('#handbook-main')}; }""")


def tab_until(page, predicate, limit: int = 150) -> dict:
    for _ in range(limit):
        page.keyboard.press("Tab")
        f = focused(page)
        if predicate(f):
            return f
    raise AssertionError("not reached with the Tab key")


def test_skip_link_is_first_visible_and_leads_to_the_content(page, zh):
    outdir, base = zh
    page.set_viewport_size(DESKTOP)
    page.goto(base + page_of_kind(outdir, "role"))
    page.keyboard.press("Tab")
    f = focused(page)
    assert f["href"] == "#handbook-main" and f["text"] == "跳到正文"
    assert f["width"] > 20 and f["height"] > 10 and f["left"] >= 0 and f["right"] <= f["vw"] and f["top"] >= 0
    assert f["outline"] != "none" and f["outlineWidth"] >= 2
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "handbook-main"
    page.keyboard.press("Tab")  # the next stop is in the page, past the header and the sidebar
    assert focused(page)["inMain"]


@pytest.mark.parametrize("kind", ["role", "department", "search"])
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1400px", "390px"])
def test_every_tab_stop_shows_a_focus_ring(page, zh, kind, viewport):
    """Tab through the whole page: every stop is on screen and has a visible outline."""
    outdir, base = zh
    address = page_of_kind(outdir, kind)
    page.set_viewport_size(viewport)
    page.goto(base + address)
    settle(page, address)
    stops = []
    for _ in range(400):
        page.keyboard.press("Tab")
        f = focused(page)
        if f["tag"] == "body" or (stops and f == stops[0]):
            break
        stops.append(f)
    assert len(stops) > 5 and any(f["inMain"] for f in stops)
    hidden = [f for f in stops if f["width"] < 1 or f["height"] < 1 or f["bottom"] < 0 or f["top"] > f["vh"]]
    assert hidden == []  # focus never lands on something the reader cannot see
    ringless = [f for f in stops if f["outline"] == "none" or f["outlineWidth"] < 2]
    assert ringless == []


def test_navigation_button_works_with_the_keyboard(page, zh):
    outdir, base = zh
    page.set_viewport_size(PHONE)
    page.goto(base + page_of_kind(outdir, "role"))
    sidebar = page.locator("#handbook-sidebar")
    button = page.get_by_role("button", name="导航")
    assert sidebar.is_hidden() and button.get_attribute("aria-expanded") == "false"
    tab_until(page, lambda f: f["id"] == "handbook-nav-toggle")
    page.keyboard.press("Enter")
    assert sidebar.is_visible() and button.get_attribute("aria-expanded") == "true"
    # the sidebar opens under the header: Tab reaches it after the header's search box, as it is shown
    tab_until(page, lambda f: page.evaluate("document.activeElement.closest('#handbook-sidebar') !== null"), limit=4)
    page.keyboard.press("Escape")
    assert sidebar.is_hidden() and button.get_attribute("aria-expanded") == "false"
    assert focused(page)["id"] == "handbook-nav-toggle"
    page.keyboard.press("Space")
    assert sidebar.is_visible()
    # on a wide screen the sidebar is always there and the button is not
    page.set_viewport_size(DESKTOP)
    page.reload()
    assert page.locator("#handbook-sidebar").is_visible() and button.is_hidden()


def test_without_javascript_the_phone_sidebar_stays_open(page, zh):
    outdir, base = zh
    page.set_viewport_size(PHONE)
    page.goto(base + page_of_kind(outdir, "role"))
    page.evaluate("document.documentElement.classList.remove('handbook-js')")
    assert page.locator("#handbook-sidebar").is_visible()
    assert page.locator("#handbook-nav-toggle").is_hidden()


def test_search_box_works_with_the_keyboard(page, zh):
    outdir, base = zh
    page.set_viewport_size(DESKTOP)
    page.goto(base + page_of_kind(outdir, "role"))
    tab_until(page, lambda f: f["tag"] == "input" and f["name"] == "q")
    page.keyboard.type("客服主管")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert urllib.parse.unquote(page.url).endswith("search.html?q=客服主管")
    settle(page, "search.html")
    assert page.locator("#search-results ul.search > li").count() > 0


def test_previous_and_next_work_with_the_keyboard(page, zh):
    outdir, base = zh
    page.set_viewport_size(PHONE)
    page.goto(base + page_of_kind(outdir, "role"))
    target = page.get_attribute("a[rel=next]", "href")
    f = tab_until(page, lambda f: f["rel"] == "next")
    assert f["outline"] != "none"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == urllib.parse.urljoin(base + page_of_kind(outdir, "role"), target)
    tab_until(page, lambda f: f["rel"] == "prev")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == base + page_of_kind(outdir, "role")


# -- print ------------------------------------------------------------------------------------------
def pdftotext(pdf: Path, page: int | None = None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return subprocess.run(
        ["pdftotext", "-layout", *pages, str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


@pytest.mark.parametrize("language", LANGUAGES)
def test_printed_role_page(page, sites, tmp_path, language):
    """What an employee gets from the browser's Print: A4, the page without the site's
    furniture, and on every page the document number, revision and print date."""
    require(shutil.which("pdftotext") is not None, "pdftotext (Debian package poppler-utils)")
    outdir, base = sites(language)
    document = check_dir(str(ROOT / "source" / "org")).handbook.company.document
    number, revision = str(document.number), str(document.revision)
    page.set_viewport_size(DESKTOP)
    page.goto(base + page_of_kind(outdir, "role"))
    settle(page, "role")
    pdf = tmp_path / "role.pdf"
    page.pdf(path=str(pdf), prefer_css_page_size=True)  # the page's own @page size, as the print dialog uses
    today = datetime.date.today().isoformat()
    pages = PdfReader(pdf).pages
    assert len(pages) >= 2  # the running header is checked on more than one page
    for n, p in enumerate(pages, 1):
        assert (round(float(p.mediabox.width)), round(float(p.mediabox.height))) == (595, 842)  # A4 in points
        text = pdftotext(pdf, n)
        assert number in text and revision in text and today in text, (n, text[:300])
    text = pdftotext(pdf)
    labels = {
        "zh_CN": ("跳到正文", "手册目录", "搜索", "导航", "上一页", "下一页"),
        "en": ("Skip to content", "Handbook", "Search", "Navigation", "Previous page", "Next page"),
    }
    assert [label for label in labels[language] if label in text] == []
    page_of = {"zh_CN": f"第1页/共{len(pages)}页", "en": f"Page1of{len(pages)}"}[language]
    assert page_of in "".join(text.split())  # pdftotext does not keep the spaces of a margin box
    h1 = page.locator("h1").first.inner_text().rstrip("¶").strip()
    assert h1 in text  # the content itself is there


def test_printed_page_keeps_hostile_text_as_text(page, site, serve, tmp_path):
    """The company name goes into the print style sheet as a CSS string: quotes, ``</style>``
    and ``<script>`` in it stay text on paper and run nothing."""
    require(shutil.which("pdftotext") is not None, "pdftotext (Debian package poppler-utils)")
    require(mermaid_dist().joinpath("mermaid.esm.min.mjs").exists(), "the npm mermaid package (node_modules)")
    built = site("hostile", html_theme="handbook")
    name = check_dir(str(built.srcdir / "org")).handbook.company.name
    style = built.soup("company.html").select_one('style[media="print"]')
    assert style is not None and "<" not in style.string and "alert" in style.string  # all inside the string
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(serve(built.outdir) + "company.html")
    settle(page, "company.html")
    pdf = tmp_path / "company.pdf"
    page.pdf(path=str(pdf), prefer_css_page_size=True)
    assert f"{name} · 打印即为非受控" in pdftotext(pdf)
    assert dialogs == []


# -- the theme's pure parts -------------------------------------------------------------------------
def test_css_string_escapes_what_could_end_the_string_or_the_style_element():
    assert css_string('a "b" \\ c') == '"a \\"b\\" \\\\ c"'
    assert css_string("</style><script>") == '"\\3c /style\\3e \\3c script\\3e "'
    assert css_string("line\nbreak") == '"line\\a break"'
    assert css_string("文件编号 HYL-QM-001") == '"文件编号 HYL-QM-001"'


def test_print_css_holds_the_running_header_and_page_counters():
    css = print_css("华意隆", [("文件编号", "HYL-QM-001"), ("版本", "B/1")])
    assert '--hb-print-doc: "文件编号 HYL-QM-001 · 版本 B/1";' in css
    assert '--hb-print-foot: "华意隆 · Uncontrolled when printed";' in css
    assert '--hb-print-page: "Page " counter(page) " of " counter(pages);' in css
    draft = print_css("华意隆", [], "Draft · not approved, not for use")
    assert '--hb-print-foot: "华意隆 · Draft · not approved, not for use";' in draft  # the status's own note


def test_toctree_captions_get_a_heading_level():
    body = '<p class="caption" role="heading"><span class="caption-text">目录</span></p>'
    assert caption_levels(body) == (
        '<p class="caption" role="heading" aria-level="2"><span class="caption-text">目录</span></p>'
    )
    assert caption_levels(caption_levels(body)) == caption_levels(body)  # never twice

"""The company's logo and brand colour in conf.py (handbook_logo, handbook_brand_color):
the header shows the logo, the brand colour paints the header, and its text stays
readable (contrast ≥ 4.5:1, measured in a real browser)."""

from __future__ import annotations

import itertools

import pytest
from conftest import copy_source

from handbook.site import brand_colours as brand
from handbook.site import settings as config

LOGO = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20" fill="#c00"/></svg>\n'
)


@pytest.mark.parametrize(
    "color, ink",
    [
        ("#1a5fb4", brand.WHITE),
        ("#ffd400", brand.INK),
        ("#ffffff", brand.INK),
        ("#000", brand.WHITE),
        ("#c01c28", brand.WHITE),
        ("#33d17a", brand.INK),
    ],
)
def test_header_text_is_white_or_dark_by_the_colour(color, ink):
    assert brand.ink_on(color) == ink


def test_every_colour_keeps_the_header_text_readable():
    for r, g, b in itertools.product("0369cf", repeat=3):
        color = f"#{r}{g}{b}"
        assert brand.contrast(brand.ink_on(color), color) >= 4.5, color


def test_contrast_is_wcag_contrast():
    assert round(brand.contrast("#ffffff", "#000000"), 2) == 21.0
    assert round(brand.contrast("#777777", "#ffffff"), 2) == 4.48


def test_brand_css():
    assert brand.brand_css("") == ""
    assert brand.brand_css("#FD0") == (
        ":root { --hb-brand: #ffdd00; --hb-brand-ink: #1f2328; --hb-brand-text: #1f2328; }"
        " .handbook-brand-company { opacity: 1; }"
    )
    assert brand.brand_css("#1a5fb4").startswith(
        ":root { --hb-brand: #1a5fb4; --hb-brand-ink: #ffffff; --hb-brand-text: #1a5fb4; }"
    )


@pytest.mark.parametrize(
    "name, value, problem",
    [
        ("handbook_brand_color", "blue", 'must be a colour written #rrggbb (e.g. "#1a5fb4") or #rgb'),
        ("handbook_brand_color", "#12345", 'must be a colour written #rrggbb (e.g. "#1a5fb4") or #rgb'),
        ("handbook_logo", "logo.pdf", "must be an image file (.svg, .png, .jpg, .jpeg, .gif, .webp)"),
    ],
)
def test_bad_settings(name, value, problem):
    setting = next(s for s in config.SETTINGS if s.name == name)
    assert setting.problem(value) == (problem, "")


@pytest.mark.parametrize(
    "name, value",
    [
        ("handbook_brand_color", "#1a5fb4"),
        ("handbook_brand_color", ""),
        ("handbook_logo", "img/logo.PNG"),
        ("handbook_logo", ""),
    ],
)
def test_good_settings(name, value):
    assert next(s for s in config.SETTINGS if s.name == name).problem(value) is None


@pytest.fixture(scope="module")
def branded(site, tmp_path_factory):
    src = copy_source("basic", tmp_path_factory.mktemp("brand") / "src")
    (src / "logo.svg").write_text(LOGO, encoding="utf-8")
    return site(src, html_theme="handbook", handbook_logo="logo.svg", handbook_brand_color="#ffd400")


def test_the_header_shows_the_logo(branded):
    assert branded.warnings == ""
    for page, prefix in (("index.html", ""), ("roles/gm.html", "../")):
        logo = branded.soup(page).select_one("header.handbook-header a.handbook-brand img.handbook-logo")
        assert logo["src"] == prefix + "_static/logo.svg"
        assert len(branded.soup(page).select("img")) == 1  # not again in the sidebar
    assert (branded.outdir / "_static" / "logo.svg").read_text(encoding="utf-8") == LOGO


def test_a_missing_logo_file_is_a_warning(site):
    built = site("basic", html_theme="handbook", handbook_logo="nope.svg")
    assert "handbook_logo = 'nope.svg': there is no such file next to conf.py; no logo is shown" in built.warnings
    assert built.soup("index.html").select_one("img.handbook-logo") is None


def test_a_bad_colour_is_a_warning_and_the_default_stays(site):
    built = site("basic", html_theme="handbook", handbook_brand_color="red")
    assert "conf.py: handbook_brand_color = 'red' must be a colour written #rrggbb" in built.warnings
    assert "--hb-brand:" not in str(built.soup("index.html").head)


@pytest.mark.parametrize("color", ["#ffd400", "#1a5fb4", "#777777"])
def test_the_header_is_readable_in_a_browser(site, serve, page, tmp_path, color):
    src = copy_source("basic", tmp_path / "src")
    built = site(src, html_theme="handbook", handbook_brand_color=color)
    page.goto(serve(built.outdir) + "roles/gm.html")
    page.set_viewport_size({"width": 600, "height": 800})  # the navigation button shows in the header
    colors = page.evaluate("""() => {
        const css = (sel, prop) => getComputedStyle(document.querySelector(sel))[prop];
        return {bg: css('header.handbook-header', 'backgroundColor'),
                title: css('.handbook-brand-title', 'color'), company: css('.handbook-brand-company', 'color'),
                button: css('.handbook-nav-button', 'color'),
                companyOpacity: css('.handbook-brand-company', 'opacity')};
    }""")
    to_hex = lambda rgb: "#" + "".join(f"{int(v):02x}" for v in rgb[rgb.index("(") + 1 : -1].split(",")[:3])  # noqa: E731
    assert to_hex(colors["bg"]) == color
    for text in (colors["title"], colors["company"], colors["button"]):
        assert brand.contrast(to_hex(text), color) >= 4.5
    assert colors["companyOpacity"] == "1"

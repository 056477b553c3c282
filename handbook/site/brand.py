"""The company's logo and brand colour in the site's header (``handbook_logo``,
``handbook_brand_color`` in conf.py; the PDF cover reads the same two settings).

The logo becomes Sphinx's ``html_logo`` (unless that is set), so the theme's
``handbook_logo`` block shows it and Sphinx copies the file into ``_static``. The brand
colour becomes the CSS variable ``--hb-brand`` (the header bar, heading rules); the
header's text is white or dark, whichever contrasts more with it, and never below the
4.5:1 that WCAG asks for normal text. The colour arithmetic is :mod:`handbook.site.brand_colours`.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.util import logging

from handbook.site.brand_colours import brand_css

logger = logging.getLogger(__name__)


def apply_logo(app, config) -> None:
    """``config-inited``: the logo feeds ``html_logo`` (a file next to conf.py must exist)."""
    logo = config.handbook_logo
    if not logo:
        return
    if "://" not in logo and not Path(app.confdir, logo).is_file():
        logger.warning(
            "conf.py: handbook_logo = %r: there is no such file next to conf.py; no logo is shown",
            logo,
            type="handbook",
            subtype="config",
        )
        config.handbook_logo = ""
        return
    if not config.html_logo:
        config.html_logo = logo


def page_context(app, pagename: str, templatename: str, context: dict, doctree) -> None:
    context["handbook_brand_css"] = brand_css(app.config.handbook_brand_color)


def setup_brand(app) -> None:
    app.connect("config-inited", apply_logo, priority=450)  # after the settings' own checks (400)
    app.connect("html-page-context", page_context)

"""The Sphinx extension: the intranet site (and every other builder's pages) from the checked data.

:mod:`~handbook.site.extension` is ``setup()``; :mod:`~handbook.site.settings` the
``conf.py`` settings; :mod:`~handbook.site.stubs` writes one page stub per page of
:data:`handbook.pages.PAGE_KINDS`; :mod:`~handbook.site.directives` and
:mod:`~handbook.site.render` turn them into docutils nodes through :class:`handbook.view.View`;
:mod:`~handbook.site.domain` resolves the references; :mod:`~handbook.site.chart_node` is the
chart in every builder; the theme, brand, assets and garbage-collector pause are one module
each. This package imports Sphinx; the packages it reads from do not.
"""

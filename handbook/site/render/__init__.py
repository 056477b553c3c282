"""Model pieces -> docutils nodes, format-neutral, for every builder.

:class:`Renderer` builds the content of every generated page (one method per row of
:data:`handbook.pages.PAGE_KINDS`) and of the author directives. It reads the model
only through a :class:`~handbook.view.View`, so each page records what it shows.

* :mod:`.blocks` — small node builders (links, sections, tables);
* :mod:`.base` — the shared pieces (duty tables, staffing, charts, roles and RACI tables);
* :mod:`.objects` — the role, department and process pages;
* :mod:`.indexes` — the company page and the indexes;
* :mod:`.revisions` — the revision history and the changes since the baseline;
* :mod:`.clauses` — the quality function allocation (ISO 9001 clauses x departments);
* :mod:`.org_health` — the organisation-health page (span of control, layers, vacancies);
* :mod:`.acknowledgements` — who must re-read which changes, and who has acknowledged.
"""

from __future__ import annotations

from docutils import nodes

from handbook.pages import PageKind
from handbook.site.render.acknowledgements import AcknowledgementPages
from handbook.site.render.blocks import person_anchor, xref
from handbook.site.render.clauses import ClausePages
from handbook.site.render.indexes import IndexPages
from handbook.site.render.objects import ObjectPages
from handbook.site.render.org_health import OrgHealthPages
from handbook.site.render.revisions import RevisionPages

__all__ = ["Renderer", "person_anchor", "xref"]


class Renderer(ObjectPages, IndexPages, RevisionPages, ClausePages, OrgHealthPages, AcknowledgementPages):
    """Builds the generated pages and the pieces the author directives place."""

    def page(self, page: PageKind, ident: str = "") -> list[nodes.Node]:
        """The content of one generated page (``ident``: the object of a per-object page)."""
        build = getattr(self, page.render)
        return build(ident) if page.per else build()

"""Post-transforms that adapt the format-neutral doctree to builders with fewer features."""

from __future__ import annotations

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform


class UnspanGroupRows(SphinxPostTransform):
    """Duty groups are table rows spanning every column; writers without cell spanning
    (man pages) get the group title in the first cell and empty cells after it."""

    default_priority = 210
    builders = ("man",)

    def run(self, **kwargs) -> None:
        for row in self.document.findall(nodes.row):
            if "handbook-group-row" not in row["classes"]:
                continue
            for entry in list(row.children):
                extra = entry.get("morecols", 0)
                if extra:
                    del entry["morecols"]
                    at = row.index(entry) + 1
                    for _ in range(extra):
                        row.insert(at, nodes.entry())


class OnePageAnchors(SphinxPostTransform):
    """Builders that put every page into one document (singlehtml, the PDF) address a place
    on a page as ``#document-<page>#<anchor>``, which no browser or PDF reader follows
    (Sphinx 9 no longer rewrites it). Such a link becomes ``#<anchor>`` when its page is in
    the document, and plain text when it is not (a page left out of the toctree)."""

    default_priority = 50  # after the references are resolved (10), before the writers

    def run(self, **kwargs) -> None:
        from sphinx import addnodes

        refs = [
            r
            for r in self.document.findall(nodes.reference)
            if r.get("refuri", "").startswith("#document-") and "#" in r["refuri"][1:]
        ]
        if not refs:
            return
        included = {self.document.get("docname", "")} | {
            n["docname"] for n in self.document.findall(addnodes.start_of_file)
        }
        for ref in refs:
            page, _sep, anchor = ref["refuri"][len("#document-") :].partition("#")
            if page in included:
                ref["refuri"] = "#" + anchor
            else:
                ref.replace_self(nodes.inline("", "", *ref.children))

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

"""The ``org`` domain: roles, departments and processes as Sphinx objects.

Holds what the build collects, per document, so purge (``clear_doc``) and parallel
merge (``merge_domaindata``) have their natural home:

* ``objects``: ``(kind, id) -> (docname, anchor, display name)``, registered by the
  generated pages; resolves ``{org:role}`cs-manager``` and feeds ``objects.inv`` and
  the general index.
* ``deps``: ``docname -> {dependency key: digest}``, what each page showed (see
  ``view.py``), so the next build re-reads exactly the pages whose data changed.

The validated handbook itself is kept on the domain instance (not pickled): it is
loaded once per build, before reading, by the extension.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from docutils import nodes
from docutils.nodes import Element
from sphinx import addnodes
from sphinx.domains import Domain, ObjType
from sphinx.roles import XRefRole
from sphinx.util.nodes import make_refnode

from handbook import model as m
from handbook.i18n import _
from handbook.view import Key, key_digest

KINDS = ("role", "department", "process", "person")
ROLE_ALIASES = {
    "role": "role",
    "dept": "department",
    "department": "department",
    "process": "process",
    "person": "person",
}
#: objects that are a place on a page (a row of the people index), not a page of their own
ANCHORED_KINDS = ("person",)
#: the internal link type to a place on a generated page (see render.blocks.anchor_xref)
ANCHOR = "anchor"


def current_docname(env) -> str:
    """The document being read (``env.current_document`` on Sphinx ≥ 8.2, ``env.docname`` before)."""
    current = getattr(env, "current_document", None)
    return current.docname if current is not None else env.docname


class OrgXRefRole(XRefRole):
    """``{org:role}`cs-manager``` — without an explicit title, shows the current title."""

    def __init__(self) -> None:
        super().__init__(warn_dangling=True, innernodeclass=nodes.inline)


class OrgDomain(Domain):
    name = "org"
    label = "Organisation"
    object_types = {
        "role": ObjType(_("role"), "role"),
        "department": ObjType(_("department"), "dept", "department"),
        "process": ObjType(_("process"), "process"),
        "person": ObjType(_("person"), "person"),
    }
    roles = {name: OrgXRefRole() for name in ROLE_ALIASES}
    initial_data: dict[str, Any] = {"objects": {}, "deps": {}, "defined": {}}
    data_version = 2
    dangling_warnings = {
        "role": "no role with the id %(target)s in the handbook data",
        "dept": "no department with the id %(target)s in the handbook data",
        "department": "no department with the id %(target)s in the handbook data",
        "process": "no process with the id %(target)s in the handbook data",
        "person": "no person with the id %(target)s in the handbook data",
    }

    _handbook: m.Handbook | None = None  # this build's handbook (not pickled)
    _load: Callable[[], m.Handbook] | None = None  # loads it when the data was not read at the start
    #: digests of dependency keys in this build's handbook: many pages show the same title
    _digests: dict[tuple[Key, str | None], str | None] | None = None
    #: True when the data (and the settings) are those of the previous build
    data_unchanged: bool = False
    #: the previous build stopped before it finished writing: every page is written again (:mod:`.build_marker`)
    rewrite_all: bool = False
    #: how many documents this build reads, and removes (-1: not known yet)
    docs_read: int = -1
    docs_removed: int = -1

    @property
    def handbook(self) -> m.Handbook | None:
        """This build's handbook; when the data is unchanged it is read on first use only
        (a rebuild that re-reads no page of the data never parses it)."""
        if self._handbook is None and self._load is not None:
            load, self._load = self._load, None
            self._handbook = load()
        return self._handbook

    @handbook.setter
    def handbook(self, value: m.Handbook | None) -> None:
        self._handbook = value

    def set_handbook(
        self, handbook: m.Handbook | None, data_digest: str = "", load: Callable[[], m.Handbook] | None = None
    ) -> None:
        """This build's handbook (or how to load it); ``data_digest`` identifies the data
        files and settings it was built from."""
        self._handbook = handbook
        self._load = load
        self._digests = {}
        self.docs_read = self.docs_removed = -1
        self.data_unchanged = bool(data_digest) and self.data.get("data-digest") == data_digest
        self.data["data-digest"] = data_digest

    @property
    def nothing_changed(self) -> bool:
        """The same data and no page read again: what is derived from all pages is current."""
        return self.data_unchanged and self.docs_read == 0 and self.docs_removed == 0

    def digest_of(self, key: Key, language: str | None) -> str | None:
        assert self.handbook is not None
        if self._digests is None:
            self._digests = {}
        memo = (key, language)
        if memo not in self._digests:
            self._digests[memo] = key_digest(self.handbook, key, language)
        return self._digests[memo]

    @property
    def objects(self) -> dict[tuple[str, str], tuple[str, str, str]]:
        return self.data.setdefault("objects", {})

    @property
    def defined(self) -> dict[str, list[tuple[str, str]]]:
        """docname -> the objects it defines (so purging a page costs its own objects, not all)."""
        return self.data.setdefault("defined", {})

    @property
    def deps(self) -> dict[str, dict[Key, str | None]]:
        return self.data.setdefault("deps", {})

    # -- collecting ------------------------------------------------------------
    def note_object(self, kind: str, ident: str, docname: str, anchor: str, dispname: str) -> None:
        self.objects[(kind, ident)] = (docname, anchor, dispname)
        self.defined.setdefault(docname, []).append((kind, ident))

    def note_deps(self, docname: str, keys: Iterable[Key], language: str | None) -> None:
        if self.handbook is None:
            return
        store = self.deps.setdefault(docname, {})
        for k in keys:
            if k not in store:
                store[k] = self.digest_of(k, language)

    def outdated_docs(self, handbook: m.Handbook, language: str | None, skip: set[str]) -> list[str]:
        """Documents whose recorded data changed in this handbook."""
        if self.data_unchanged:
            return []  # the same data: no digest can differ
        out = []
        for docname, keys in self.deps.items():
            if docname in skip:
                continue
            for k, old in keys.items():
                if self.digest_of(k, language) != old:
                    out.append(docname)
                    break
        return out

    # -- purge and merge -----------------------------------------------------------
    def clear_doc(self, docname: str) -> None:
        for key in self.defined.pop(docname, ()):
            if self.objects.get(key, ("",))[0] == docname:
                del self.objects[key]
        self.deps.pop(docname, None)

    def merge_domaindata(self, docnames: Iterable[str], otherdata: dict[str, Any]) -> None:
        # the reading process's data holds every page read before it was started: look up
        # only its own pages (once per chunk of a -j build; scanning all made it quadratic)
        defined, deps, objects = otherdata.get("defined", {}), otherdata.get("deps", {}), otherdata["objects"]
        for docname in docnames:
            keys = defined.get(docname)
            if keys is not None:
                self.defined[docname] = keys
                for key in keys:
                    self.objects[key] = objects[key]
            page_deps = deps.get(docname)
            if page_deps is not None:
                self.deps[docname] = page_deps

    # -- resolving ---------------------------------------------------------------------
    def resolve_xref(
        self, env, fromdocname: str, builder, typ: str, target: str, node: addnodes.pending_xref, contnode: Element
    ) -> nodes.reference | None:
        if typ == ANCHOR:  # a place on a generated page: "docname#anchor" (a duty row, a clause row)
            docname, _sep, anchor = target.partition("#")
            if docname not in env.all_docs:
                return None
            return make_refnode(builder, fromdocname, docname, anchor or None, contnode, node.get("reftitle"))
        kind = ROLE_ALIASES.get(typ, typ)
        found = self.objects.get((kind, target))
        if found is None:
            return self.hidden_person(env, kind, target, node)
        docname, anchor, dispname = found
        if not node.get("refexplicit"):
            text = self.handbook.title(kind, target) if self.handbook is not None else None
            title = text.get(env.config.language) if text is not None else dispname
            contnode = nodes.inline(title, title, classes=contnode.get("classes", []))
        # a whole-page object: link to the page itself, not to an anchor at its top
        anchor_or_page = anchor if kind in ANCHORED_KINDS else None
        return make_refnode(builder, fromdocname, docname, anchor_or_page, contnode, dispname)

    def hidden_person(self, env, kind: str, target: str, node: addnodes.pending_xref) -> Element | None:
        """With ``handbook_show_people = False`` a person's name is published nowhere: a
        reference to a person in the data goes quietly, showing nothing (an explicit text,
        the author's own words, stays as plain text). An id not in the data still warns."""
        if (
            kind != "person"
            or env.config.handbook_show_people
            or self.handbook is None
            or target not in self.handbook.people_by_key
        ):
            return None
        text = node.astext() if node.get("refexplicit") else ""
        return nodes.inline(text, text, classes=["handbook-person-hidden"])

    def resolve_any_xref(self, env, fromdocname, builder, target, node, contnode):
        results = []
        for kind in KINDS:
            ref = self.resolve_xref(env, fromdocname, builder, kind, target, node, contnode)
            if ref is not None:
                results.append((f"org:{kind}", ref))
        return results

    def get_objects(self) -> Iterator[tuple[str, str, str, str, str, int]]:
        for (kind, ident), (docname, anchor, dispname) in self.objects.items():
            yield ident, dispname, kind, docname, anchor, 1

    def get_full_qualified_name(self, node: Element) -> str | None:
        return node.get("reftarget")

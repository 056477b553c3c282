"""The revision history page (修订记录) and the changes since the baseline (本版修订内容)."""

from __future__ import annotations

from docutils import nodes

from handbook import model as m
from handbook.audit.change_report import KIND_HEADINGS
from handbook.audit.changes import Changes, DutyChange, FieldChange, ObjectChange, PartChange, StaffingChange, Value
from handbook.i18n import _
from handbook.pages import PAGES, docname_for
from handbook.site.render.base import Base, change_label
from handbook.site.render.blocks import anchor_xref, bullet, duty_anchor, joined, para, section, table, xref


class RevisionPages(Base):
    """修订记录 and 本版修订内容."""

    def history_page(self) -> list[nodes.Node]:
        """The revision history on the site. An orphan page reached from the sidebar and the
        company page: the PDF has it in its front matter, so toctrees leave it out."""
        v = self.v
        sec = section("handbook-history", str(_("Revision history")))
        history = v.history()
        released = any(r.fingerprint for r in history)  # released with `handbook release`: its fingerprint
        rows = [
            [v.t(r.revision), r.date.isoformat(), v.t(r.summary), v.t(r.author), v.t(r.approved_by)]
            + ([r.fingerprint.get(None).removeprefix("sha256:")[:12] if r.fingerprint else ""] if released else [])
            for r in history
        ]
        sec += table(
            [_("Revision"), _("Date"), _("Summary of changes"), _("Author"), _("Approved by")]
            + ([_("Released content")] if released else []),
            rows,
            [1, 2, 8, 2, 2] + ([2] if released else []),
            classes=["handbook-history"],
        )
        reviews = v.reviews()
        if reviews:
            results = {"no-change": _("No change: still valid"), "revise": _("Revise: a new revision is needed")}
            sec += section(
                "handbook-reviews",
                str(_("Review log")),
                table(
                    [_("Date"), _("Reviewer"), _("Result"), _("Record"), _("Remarks")],
                    [
                        [
                            r.date.isoformat(),
                            v.t(r.reviewer),
                            str(results.get(r.result, r.result)),
                            v.t(r.record),
                            v.t(r.note),
                        ]
                        for r in reviews
                    ],
                    [2, 2, 3, 3, 4],
                    classes=["handbook-reviews"],
                ),
            )
        if v.baseline() is not None:
            sec += para(
                str(_("What exactly changed in this revision:")),
                " ",
                anchor_xref(PAGES["changes"].docname, "handbook-changes", str(_("Changes in this revision"))),
            )
        return [sec]

    # -- the changes since the baseline ---------------------------------------------------------
    def changes_page(self) -> list[nodes.Node]:
        v = self.v
        ch: Changes | None = v.changes()
        sec = section("handbook-changes", str(_("Changes in this revision")))
        if ch is None:
            sec += para(str(_("No baseline is configured (handbook_baseline).")))
            return [sec]
        since = ch.old_label + (self.p.paren(ch.old_date.isoformat()) if ch.old_date else "")
        sec += para(
            str(_("Every change of revision {new} against the released revision {old}, object by object.")).format(
                old=since, new=ch.new_label
            ),
            classes=["handbook-changes-intro"],
        )
        counts = ch.counts()
        sec += table(
            [_("Objects"), *(change_label(c) for c in ("added", "removed", "changed"))],
            [
                [str(_(KIND_HEADINGS[k])), str(c["added"]), str(c["removed"]), str(c["changed"])]
                for k, c in counts.items()
            ],
            [4, 1, 1, 1],
            classes=["handbook-changes-summary"],
        )
        if not ch:
            sec += para(str(_("Nothing changed since the baseline.")))
            return [sec]
        if ch.document or ch.company:
            rows = [self._field_row(f) for f in (*ch.document, *ch.company)]
            sec += section("changes-document", str(_("Document control")), self._change_table(rows))
        for kind in ("department", "role", "process"):
            objs = [o for o in ch.objects if o.kind == kind]
            if not objs:
                continue
            part = section(f"changes-{m.STORE_NAMES[kind]}", str(_(KIND_HEADINGS[kind])))
            for o in objs:
                part += self._object_section(o)
            sec += part
        return [sec]

    def _object_section(self, o: ObjectChange) -> nodes.section:
        lang = self.v.language
        title = o.title.get(lang)
        sub = section(f"changes-{o.kind}-{o.id}", f"{title}{self.p.paren(o.id)}", classes=["handbook-change"])
        head = para(classes=["handbook-change-kind"])
        head += nodes.inline(
            text=self.p.list.join(change_label(a) for a in o.aspects()), classes=[f"handbook-change-{o.change}"]
        )
        if o.context:
            head += nodes.Text(self.p.paren(self._items_text(o.context)))
        if o.change != "removed":
            head += nodes.Text(" — ")
            head += xref(o.kind, o.id, str(_("current page")))
        sub += head
        rows = []
        if o.renamed:
            rows.append([str(_("Title")), self.v.t(o.old_title), self.v.t(o.new_title)])
        if o.old_id:
            rows.append([str(_("Id")), o.old_id, o.id])
        for f in o.moved:
            rows.append(self._field_row(f))
        for f in o.fields:
            rows.append(self._field_row(f))
        for d in o.duties:
            rows.append(self._duty_row(o, d))
        for pc in o.parts:
            rows.append(self._part_row(pc))
        if o.staffing:
            rows.extend(self._staffing_rows(o.staffing))
        if rows:
            sub += self._change_table(rows)
        return sub

    def _change_table(self, rows: list[list[object]]) -> nodes.Node:
        return table([_("Item"), _("Before"), _("After")], rows, [3, 6, 6], classes=["handbook-changes"])

    def _items(self, value: Value) -> object:
        """Shown items; those naming an object that exists link to it."""
        if not value:
            return "—"
        out: list[nodes.Node] = []
        for x in value:
            text = x.text.get(self.v.language)
            if x.kind in ("role", "department", "process") and self.v.hb.title(x.kind, x.id) is not None:
                out.append(xref(x.kind, x.id, text))
            else:
                out.append(nodes.Text(text))
        return joined(out, self.p.list)

    def _items_text(self, value: Value) -> str:
        return self.p.list.join(x.text.get(self.v.language) for x in value)

    def _field_row(self, f: FieldChange) -> list[object]:
        label = f.label(self.v.language)
        if f.items:  # one item a line: what was removed before, what was added after
            return [label, self._item_list("removed", f.old), self._item_list("added", f.new)]
        return [label, self._items(f.old), self._items(f.new)]

    def _item_list(self, change: str, value: Value) -> object:
        """Each item on a line of its own, marked ``[删除]`` / ``[新增]``."""
        if not value:
            return "—"

        def line(x) -> nodes.paragraph:
            mark = nodes.inline(text=f"[{change_label(change)}] ", classes=[f"handbook-change-{change}"])
            return para(mark, *self._as_nodes(self._items((x,))))

        if len(value) == 1:
            return line(value[0])
        lst = bullet(line(x) for x in value)
        lst["classes"].append("handbook-change-items")
        return lst

    @staticmethod
    def _as_nodes(value: object) -> list[nodes.Node]:
        if isinstance(value, list):
            return value
        return [nodes.Text(str(value))] if isinstance(value, str) else [value]  # type: ignore[list-item]

    def _duty_row(self, o: ObjectChange, d: DutyChange) -> list[object]:
        lang = self.v.language
        number = d.new_number or d.old_number
        what = f"{d.label(lang)} {str(_('item {n}')).format(n=number)}".strip()
        item: object = what
        if d.new is not None and o.change == "changed":
            item = anchor_xref(docname_for(o.kind, o.id), duty_anchor(o.kind, o.id, d.list, d.new_number), what)
        notes = self.p.semi.join(
            f"{f.label(lang)}{self.p.colon}{self._items_text(f.old) or '—'} → {self._items_text(f.new) or '—'}"
            for f in d.details
        )
        before = self.v.t(d.old.text) if d.old else "—"
        after = self.v.t(d.new.text) if d.new else "—"
        change = change_label(d.change)
        after_cell = para(nodes.inline(text=f"[{change}] ", classes=[f"handbook-change-{d.change}"]), after)
        if notes:
            after_cell += nodes.Text(self.p.paren(notes))
        return [item, before, after_cell]

    def _part_row(self, pc: PartChange) -> list[object]:
        lang = self.v.language
        what = (str(_("Step")) + f" {pc.key}") if pc.part == "step" else "RACI"
        before = pc.old.get(lang) if pc.old else "—"
        after = pc.new.get(lang) if pc.new else "—"
        after_cell = para(
            nodes.inline(text=f"[{change_label(pc.change)}] ", classes=[f"handbook-change-{pc.change}"]), after
        )
        notes = [f for f in pc.fields if f.key not in ("action", "activity")]
        if notes:
            after_cell += bullet(
                f"{f.label(lang)}{self.p.colon}{self._items_text(f.old) or '—'} → {self._items_text(f.new) or '—'}"
                for f in notes
            )
        return [what, before, after_cell]

    def _staffing_rows(self, s: StaffingChange) -> list[list[object]]:
        rows: list[list[object]] = []
        if s.headcount[0] != s.headcount[1]:
            rows.append([str(_("Headcount")), s.headcount[0] or "—", s.headcount[1] or "—"])
        if s.filled[0] != s.filled[1]:
            rows.append([str(_("Filled")), str(s.filled[0]), str(s.filled[1])])
        if self.show_people and (s.joined or s.left):
            rows.append(
                [
                    str(_("Holders")),
                    [nodes.Text(change_label("left") + self.p.colon), nodes.Text(self._items_text(s.left) or "—")],
                    [nodes.Text(change_label("joined") + self.p.colon), nodes.Text(self._items_text(s.joined) or "—")],
                ]
            )
        return rows

"""The acknowledgements page (阅读确认): per department, who must read which changes of this
revision and who has returned their acknowledgement. The list comes from
:func:`handbook.audit.acknowledgements.plan` through the view (rebuilt when it changes)."""

from __future__ import annotations

from docutils import nodes

from handbook.audit import record_report as report
from handbook.i18n import _
from handbook.site.render.base import Base
from handbook.site.render.blocks import bullet, para, section, table


class AcknowledgementPages(Base):
    """The acknowledgements page."""

    def acknowledgements_page(self) -> list[nodes.Node]:
        v = self.v
        plan = v.acknowledgements()
        sec = section("handbook-acknowledgements", str(_("Acknowledgements")))
        if plan is None:
            sec += para(str(_("Without a previous release (handbook_baseline) nobody has changes to read.")))
            return [sec]
        done = len(plan.readers) - len(plan.pending)
        sec += para(
            str(
                _(
                    "The changes of {new} since {old} that concern each person: the duties, authority, qualifications and indicators of their posts (also concurrent and acting), their department's functions, the process steps and RACI rows of their posts; editorial changes are left out."
                )
            ).format(new=plan.revision, old=plan.old_label or "—"),
            classes=["handbook-acknowledgements-intro"],
        )
        sec += para(
            str(_("{n} people must read, {done} have acknowledged")).format(n=len(plan.readers), done=done),
            classes=["handbook-acknowledgements-summary"],
        )
        if not plan.readers:
            sec += para(str(_("No change concerns anyone.")))
            return [sec]
        order = {d: i for i, d in enumerate(v.all_departments())}
        groups: dict[str, list] = {}
        for r in plan.readers:
            groups.setdefault(r.department, []).append(r)
        for did, readers in sorted(groups.items(), key=lambda kv: order.get(kv[0], len(order))):
            rows = []
            for r in readers:
                name = v.t(r.person.name) if self.show_people else "—"
                posts = nodes.inline()
                for i, rid in enumerate(r.posts):
                    if i:
                        posts += nodes.Text(self.p.list)
                    posts += self.role_link(rid)
                state = report.ack_text(r)
                mark = nodes.inline(
                    text=state,
                    classes=["handbook-ack-done" if r.acknowledged else "handbook-ack-pending"],
                )
                signed = nodes.container("", para(mark), classes=["handbook-ack"])
                if r.acknowledged is None:  # the sheet is printed and signed: a line for it
                    signed += para(str(_("Signature: ________ Date: ________")), classes=["handbook-signature-line"])
                rows.append([name, posts, bullet(report.item_line(it, v.language) for it in r.items), signed])
            sub = section(
                f"handbook-acknowledgements-{did}",
                v.department_name(did),
                table(
                    [_("Name"), _("Posts"), _("Changed item"), _("Acknowledgement (signature, date)")],
                    rows,
                    [2, 3, 8, 3],
                    classes=["handbook-acknowledgements-table"],
                ),
                para(
                    str(_("I have read the changes listed for me and understood them.")),
                    classes=["handbook-signoff-statement"],
                ),
                classes=["handbook-signoff"],
            )
            sec += sub
        return [sec]

"""The PDF's own pages as HTML: cover / document-control page, distribution record,
revision history, table of contents, the running header and footer (CSS margin boxes),
the status watermark, and each role's job description (岗位说明书).

What the marking says comes from the data and is never claimed beyond it: the status
(:mod:`handbook.status`) decides the stamp, the footer note and the watermark; the
cover's statement says the electronic copy is the valid version only when every
approval references its record; a numbered controlled copy names its holder.

Pure functions of the model and a :class:`Print` (no Sphinx imports apart from the label
catalog); every text from the data is HTML- or CSS-escaped here.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Sequence
from dataclasses import dataclass

from handbook import model as m
from handbook.audit import recall
from handbook.i18n import _


@dataclass(frozen=True)
class Print:
    """What the print pages need beyond the model."""

    language: str | None = None
    today: dt.date | None = None  # the build date: is the review overdue?
    copy: m.Copy | None = None  # the numbered controlled copy being printed
    logo: str = ""  # a data: URI
    brand_color: str = ""
    project: str = ""
    fingerprint: str = ""  # of the content the PDF is made from (handbook.audit.fingerprint)
    signing_department: str = ""  # the department signing the job descriptions ("": the post's own)


def _t(text: m.Text | None, language: str | None) -> str:
    return "" if text is None else text.get(language)


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _date(d) -> str:
    return d.isoformat() if d else ""


def _l(label: str) -> str:
    """A marking text: built-in ones are labels (translated), texts from conf.py pass unchanged."""
    return str(_(label)) if label else ""


def _record(text: str) -> str:
    """An approval record; a URL becomes a link."""
    if re.match(r"^https?://\S+$", text):
        return f'<a href="{_e(text)}">{_e(text)}</a>'
    return _e(text)


# -- what the marking says -------------------------------------------------------------------
def copy_label(copy: m.Copy, language: str | None) -> str:
    """第 3 号受控副本 — 品质部"""
    return str(_("Controlled copy No. {n} — {holder}")).format(n=copy.copy, holder=_t(copy.holder, language))


def footer_note(doc: m.DocumentControl, pr: Print) -> str:
    if pr.copy is not None:
        return copy_label(pr.copy, pr.language)
    return _l(doc.status.note) if doc.status else ""


def approvals_recorded(doc: m.DocumentControl) -> bool:
    """Every approval given references its record (and there is an approval)."""
    return bool(doc.approvals) and all(a.record for _k, a in doc.approvals)


def statement(doc: m.DocumentControl, pr: Print) -> str:
    """The statement at the foot of the cover: only what the data supports."""
    status = doc.status
    if status is None:
        return ""
    parts = [_l(status.statement)]
    if status.controlled:
        if approvals_recorded(doc):
            parts.append(
                str(_("The approvals are recorded as listed above; the electronic copy is the only valid version."))
            )
        else:
            parts.append(str(_("The original signed by the approvers above is the valid version.")))
        if pr.copy is not None:
            copy_text = _(
                "This is controlled copy No. {n}, held by {holder}; it is withdrawn and replaced when the document is revised. Other printed copies are uncontrolled."
            )
            parts.append(str(copy_text).format(n=pr.copy.copy, holder=_t(pr.copy.holder, pr.language)))
        else:
            parts.append(str(_("Printed copies are uncontrolled: check the current revision before use.")))
    return "".join(p for p in parts if p) if (pr.language or "").startswith("zh") else " ".join(p for p in parts if p)


def fingerprint_text(pr: Print) -> str:
    """``sha256 0123abcd4567``: the short form of the content's fingerprint."""
    return "sha256 " + pr.fingerprint.removeprefix("sha256:")[:12] if pr.fingerprint else ""


def overdue_text(doc: m.DocumentControl) -> str:
    return str(_("Review overdue: this document was due for review on {date}.")).format(date=_date(doc.next_review))


# -- the pages ---------------------------------------------------------------------------------
def cover_html(hb: m.Handbook, pr: Print) -> str:
    language = pr.language
    c = hb.company
    doc = c.document
    status = doc.status
    title = _t(doc.title, language) or _t(c.name, language)
    overdue = doc.review_overdue(pr.today)
    review = _date(doc.next_review) + (f'<span class="hb-overdue-tag">{_e(_("overdue"))}</span>' if overdue else "")
    fields = [
        (_("Document number"), _e(_t(doc.number, language))),
        (_("Revision"), _e(_t(doc.revision, language))),
        (_("Status"), _e(_l(status.label)) if status else ""),
        (_("Effective"), _e(_date(doc.effective))),
        (_("Review due"), review),
    ]
    if pr.copy is not None:
        fields.append((_("Controlled copy"), _e(copy_label(pr.copy, language))))
    if pr.fingerprint:
        fields.append((_("Content fingerprint"), f'<span class="hb-fingerprint">{_e(fingerprint_text(pr))}</span>'))
    out = [f'<section class="hb-cover hb-status-{_e(status.key) if status else "none"}" id="hb-cover">']
    out.append('<div class="hb-cover-head">')
    if pr.logo:
        out.append(f'<img class="hb-cover-logo" src="{_e(pr.logo)}" alt="{_e(_t(c.name, language))}">')
    out.append(f'<p class="hb-cover-company">{_e(_t(c.name, language))}</p></div>')
    out.append(f'<h1 class="hb-cover-title" id="hb-cover-title">{_e(title)}</h1>')
    marks = []
    if status is not None and status.stamp:
        marks.append(f'<span class="hb-stamp">{_e(_l(status.stamp))}</span>')
    note = (
        copy_label(pr.copy, language)
        if pr.copy is not None
        else (str(_("Uncontrolled when printed")) if status and status.controlled else "")
    )
    if note:
        marks.append(f'<span class="hb-stamp-note">{_e(note)}</span>')
    if marks:
        out.append(f'<p class="hb-controlled">{"".join(marks)}</p>')
    if status is not None and status.banner:
        out.append(f'<p class="hb-cover-banner">{_e(_l(status.banner))}</p>')
    if overdue:
        out.append(f'<p class="hb-cover-banner hb-cover-overdue">{_e(overdue_text(doc))}</p>')
    out.append('<table class="hb-cover-fields"><tbody>')
    for label, value in fields:
        out.append(f"<tr><th>{_e(label)}</th><td>{value or '—'}</td></tr>")
    out.append("</tbody></table>")
    out.append(f'<h2 class="hb-cover-h">{_e(_("Approval"))}</h2>')
    out.append(
        '<table class="hb-approvals"><thead><tr>'
        + "".join(
            f"<th>{_e(h)}</th>"
            for h in (_("Approval step"), _("Name"), _("Position"), _("Date"), _("Signature / record"))
        )
        + "</tr></thead><tbody>"
    )
    for label, ap in (
        (_("Prepared by"), doc.prepared_by),
        (_("Reviewed by"), doc.reviewed_by),
        (_("Approved by"), doc.approved_by),
    ):
        name = _t(ap.name, language) if ap else ""
        position = _t(ap.title, language) if ap else ""
        date = _date(ap.date) if ap else ""
        record = _t(ap.record, language) if ap else ""
        cell = f'<span class="hb-record">{_record(record)}</span>' if record else ""
        out.append(
            f'<tr class="hb-approval"><th>{_e(label)}</th><td>{_e(name) or "—"}</td>'
            f'<td>{_e(position)}</td><td>{_e(date)}</td><td class="hb-signature">{cell}</td></tr>'
        )
    out.append("</tbody></table>")
    text = statement(doc, pr)
    if text:
        out.append(f'<p class="hb-control-statement">{_e(text)}</p>')
    if pr.fingerprint:
        foot = str(_("Content fingerprint {fingerprint} · check a copy with `handbook verify`")).format(
            fingerprint=fingerprint_text(pr)
        )
        out.append(f'<p class="hb-cover-foot">{_e(foot)}</p>')
    out.append("</section>")
    return "\n".join(out)


def distribution_html(hb: m.Handbook, pr: Print) -> str:
    """发放记录: copy number, holder, count, medium, date issued, a receipt (签收) column and each
    copy's state; then the 回收记录 of the copies of earlier revisions (returned or still out)."""
    doc = hb.company.document
    copies = recall.current_copies(doc)
    previous = hb.changes.previous if hb.changes is not None else None
    withdrawn = recall.withdrawals(hb, previous)
    if not copies and not withdrawn:
        return ""
    language = pr.language
    numbered = any(c.copy is not None for c in copies)
    issued = any(c.issued for c in copies)
    media = any(c.medium for c in doc.distribution)
    head = (
        ([_("Copy No.")] if numbered else [])
        + [_("Holder"), _("Copies")]
        + ([_("Medium")] if media else [])
        + ([_("Issued")] if issued else [])
        + [_("Receipt (signature, date)"), _("State")]
    )
    out = [
        '<section class="hb-distribution" id="hb-distribution">',
        f'<h1 class="hb-front">{_e(_("Distribution record"))}</h1>',
        '<table class="hb-distribution-table"><thead><tr>'
        + "".join(f"<th>{_e(h)}</th>" for h in head)
        + "</tr></thead><tbody>",
    ]
    for c in copies:
        cells = (
            ([str(c.copy) if c.copy is not None else ""] if numbered else [])
            + [_t(c.holder, language), str(c.count or 1)]
            + ([_medium(c.medium)] if media else [])
            + ([_date(c.issued)] if issued else [])
        )
        current = pr.copy is not None and c.copy == pr.copy.copy
        row = "".join(f"<td>{_e(x)}</td>" for x in cells)
        row += f'<td class="hb-receipt">{_e(_t(c.received, language))}</td>'
        row += f'<td class="hb-copy-state">{_e(recall.copy_state(doc, c))}</td>'
        out.append(('<tr class="hb-this-copy">' if current else "<tr>") + row + "</tr>")
    out.append("</tbody></table>")
    if withdrawn:
        out.append(f'<h2 class="hb-front-sub">{_e(_("Copies of earlier revisions (recall)"))}</h2>')
        head = [_("Revision"), _("Copy No."), _("Holder"), _("Medium"), _("Returned"), _("Returned by"), _("State")]
        out.append(
            '<table class="hb-recall-table"><thead><tr>'
            + "".join(f"<th>{_e(h)}</th>" for h in head)
            + "</tr></thead><tbody>"
        )
        for w in withdrawn:
            cells = [
                w.revision,
                str(w.copy) if w.copy is not None else "",
                _t(w.holder, language),
                _medium(w.medium),
                _date(w.returned) if w.returned else "",
                _t(w.returned_by, language),
                recall.withdrawal_state(w),
            ]
            out.append("<tr>" + "".join(f"<td>{_e(x)}</td>" for x in cells) + "</tr>")
        out.append("</tbody></table>")
    out.append("</section>")
    return "\n".join(out)


def _medium(medium: str | None) -> str:
    return str(_("electronic")) if medium == "electronic" else str(_("paper"))


def history_html(hb: m.Handbook, pr: Print) -> str:
    language = pr.language
    doc = hb.company.document
    label = _("Revision history")
    out = [f'<section class="hb-history" id="hb-history"><h1 class="hb-front">{_e(label)}</h1>']
    if not doc.history:
        out.append(f"<p>{_e(_('No revision history is recorded.'))}</p>{reviews_html(doc, pr)}</section>")
        return "\n".join(out)
    released = any(r.fingerprint for r in doc.history)
    head = [_("Revision"), _("Date"), _("Summary of changes"), _("Author"), _("Approved by")]
    out.append(
        '<table class="hb-history-table"><thead><tr>'
        + "".join(f"<th>{_e(h)}</th>" for h in (*head, *([_("Released content")] if released else [])))
        + "</tr></thead><tbody>"
    )
    for r in doc.history:
        fp = _t(r.fingerprint, None).removeprefix("sha256:")[:12] if r.fingerprint else ""
        out.append(
            f"<tr><td>{_e(_t(r.revision, language))}</td><td>{_e(_date(r.date))}</td>"
            f"<td>{_e(_t(r.summary, language))}</td><td>{_e(_t(r.author, language))}</td>"
            f"<td>{_e(_t(r.approved_by, language))}</td>"
            + (f'<td class="hb-fingerprint">{_e(fp)}</td>' if released else "")
            + "</tr>"
        )
    out.append("</tbody></table>")
    out.append(reviews_html(doc, pr))
    out.append("</section>")
    return "\n".join(out)


def reviews_html(doc: m.DocumentControl, pr: Print) -> str:
    """复审记录: the review log (date, reviewer, result, record), and when the next review is due."""
    language = pr.language
    if not doc.reviews:
        return ""
    results = {"no-change": _("No change: still valid"), "revise": _("Revise: a new revision is needed")}
    out = [
        f'<h2 class="hb-front-h" id="hb-reviews">{_e(_("Review log"))}</h2>',
        '<table class="hb-reviews-table"><thead><tr>'
        + "".join(f"<th>{_e(h)}</th>" for h in (_("Date"), _("Reviewer"), _("Result"), _("Record"), _("Remarks")))
        + "</tr></thead><tbody>",
    ]
    for r in doc.reviews:
        out.append(
            f"<tr><td>{_e(_date(r.date))}</td><td>{_e(_t(r.reviewer, language))}</td>"
            f"<td>{_e(results.get(r.result, r.result))}</td><td>{_record(_t(r.record, language))}</td>"
            f"<td>{_e(_t(r.note, language))}</td></tr>"
        )
    out.append("</tbody></table>")
    if doc.next_review:
        next_text = str(_("Next review due: {date}")).format(date=_date(doc.next_review))
        out.append(f'<p class="hb-next-review">{_e(next_text)}</p>')
    return "\n".join(out)


def toc_html(outline: Sequence) -> str:
    """The table of contents; page numbers come from WeasyPrint's target-counter()."""
    label = _("Contents")
    out = [f'<nav class="hb-toc" id="hb-toc"><h1 class="hb-front">{_e(label)}</h1><ul>']
    for entry in outline:
        out.append(
            f'<li class="hb-toc-{min(entry.level, 6)} hb-toc-{entry.kind}">'
            f'<a href="#{_e(entry.anchor)}">{_e(entry.title)}</a></li>'
        )
    out.append("</ul></nav>")
    return "\n".join(out)


def watermark_html(hb: m.Handbook) -> str:
    """A diagonal mark on every page (a fixed box repeats on every page in WeasyPrint)."""
    status = hb.company.document.status
    if status is None or not status.watermark:
        return ""
    return f'<div class="hb-watermark" aria-hidden="true">{_e(_l(status.watermark))}</div>'


def where_html(text: str) -> str:
    """Names the current department or role in the running header (string-set)."""
    return f'<div class="hb-where" data-where="{_e(text)}"></div>'


def css_string(text: str) -> str:
    """A CSS string literal holding any text."""
    return '"' + re.sub(r'["\\\n\r\f]', lambda mm: f"\\{ord(mm.group(0)):x} ", text) + '"'


def _counter_content(pattern: str, counters: dict[str, str]) -> str:
    """A CSS ``content`` value from a label with placeholders: "第 {page} 页" -> "第 " counter(page) " 页"."""
    parts: list[str] = []
    for piece in re.split(r"(\{\w+\})", pattern):
        if piece[1:-1] in counters and piece.startswith("{"):
            parts.append(counters[piece[1:-1]])
        elif piece:
            parts.append(css_string(piece))
    return " ".join(parts)


#: the links of the index chapters that print their target's page: each entry's first link
INDEX_LINKS = (
    "section.hb-index li > p > a.reference.internal:first-child::after, "
    "section.hb-index td:first-child > p > a.reference.internal:first-child::after"
)


def _header_left(hb: m.Handbook, pr: Print, extra: str = "") -> str:
    """The header's left box: the document's title, then its number and revision (and ``extra``)."""
    language = pr.language
    doc = hb.company.document
    number = _t(doc.number, language)
    revision = _t(doc.revision, language)
    title = _t(doc.title, language) or pr.project or _t(hb.company.name, language)
    ident = "　".join(
        x
        for x in (
            f"{_('Document number')}：{number}" if number else "",
            f"{_('Revision')}：{revision}" if revision else "",
            extra,
        )
        if x
    )
    return title + ("\n" + ident if ident else "")


def running_css(hb: m.Handbook, pr: Print, page_numbers: bool = True) -> str:
    """@page margin boxes: title, document number and revision; where in the document
    (string-set); the company and the status note (or the numbered copy); page X of Y
    (unless ``page_numbers`` is false: the chunked document has them stamped on, see
    :func:`footer_css`). Also the brand colour and the index chapters' page references."""
    company = _t(hb.company.short_name, pr.language) or _t(hb.company.name, pr.language)
    footer_left = " · ".join(x for x in (company, footer_note(hb.company.document, pr)) if x)
    pages = _counter_content(str(_("Page {page} of {pages}")), {"page": "counter(page)", "pages": "counter(pages)"})
    see = _counter_content(str(_("(p. {page})")), {"page": "target-counter(attr(href url), page)"})
    out = [
        "@page {",
        f"  @top-left {{ content: {css_string(_header_left(hb, pr))}; }}",
        "  @top-right { content: string(hb-where); }",
        f"  @bottom-left {{ content: {css_string(footer_left)}; }}",
        *([f"  @bottom-right {{ content: {pages}; }}"] if page_numbers else []),
        "}",
        f"{INDEX_LINKS} {{ content: {see}; }}",
    ]
    if pr.brand_color:
        out.append(f":root {{ --hb-brand: {pr.brand_color}; }}")
    return "\n".join(out) + "\n"


def footer_css(pr: Print, first: int, total: int) -> str:
    """The footer "page X of Y" alone, on pages numbered from ``first``, of ``total``: stamped
    on the pages of the document laid out in chunks (pdf/chunks.py)."""
    pages = _counter_content(
        str(_("Page {page} of {pages}")), {"page": "counter(page)", "pages": css_string(str(total))}
    )
    out = [f"@page {{ @bottom-right {{ content: {pages}; }} }}", f"@page :first {{ counter-reset: page {first}; }}"]
    if pr.brand_color:
        out.append(f":root {{ --hb-brand: {pr.brand_color}; }}")
    return "\n".join(out) + "\n"


def known_page_css() -> str:
    """An index entry whose target is in an earlier chunk of the document shows the page the
    layout of that chunk gave it (``data-hb-p``, pdf/chunks.py)."""
    see = _counter_content(str(_("(p. {page})")), {"page": "attr(data-hb-p)"})
    selectors = ", ".join(
        s.strip().replace(":first-child::after", "[data-hb-p]:first-child::after") for s in INDEX_LINKS.split(",")
    )
    return f"{selectors} {{ content: {see}; }}\n"


# -- the job descriptions (岗位说明书) ------------------------------------------------------------------
def job_description_anchor(n: int) -> str:
    return f"hb-jd-{n}"


def job_descriptions_css(hb: m.Handbook, pr: Print, roles: Sequence[str], first: int = 0) -> str:
    """The job descriptions are laid out as one document, one named page per role, and split
    into one PDF per role: each role's pages are counted from 1, its footer's total is the page
    of its end marker (target-counter), and its header names the role and its code. ``first``:
    the number of the first role (its anchor ``hb-jd-<n>``)."""
    out = [running_css(hb, pr)]
    doc = hb.company.document
    if pr.copy is None and doc.status is not None and doc.status.controlled:
        # a form made to be printed and signed: not "uncontrolled when printed"
        company = _t(hb.company.short_name, pr.language) or _t(hb.company.name, pr.language)
        note = str(_("Signed, it is kept as a record"))
        out.append(
            f"@page {{ @bottom-left {{ content: {css_string(' · '.join(x for x in (company, note) if x))}; }} }}"
        )
    pages = str(_("Page {page} of {pages}"))
    label = str(_("Job description"))
    for n, rid in enumerate(roles, start=first):
        role = hb.roles[rid]
        anchor = job_description_anchor(n)
        code = _t(role.code, pr.language)
        left = _header_left(hb, pr, f"{_('Role code')}：{code}" if code else "")
        total = _counter_content(pages, {"page": "counter(page)", "pages": f"target-counter(url(#{anchor}-end), page)"})
        out.append(
            f"#{anchor} {{ page: {anchor}; }}\n"
            f"@page :nth(1 of {anchor}) {{ counter-reset: page 1; }}\n"
            f"@page {anchor} {{ @top-left {{ content: {css_string(left)}; }} "
            f"@top-right {{ content: {css_string(label + ' · ' + _t(role.title, pr.language))}; }} "
            f"@bottom-right {{ content: {total}; }} }}"
        )
    return "\n".join(out) + "\n"


def job_description_html(hb: m.Handbook, pr: Print, n: int, rid: str, body: str) -> str:
    """One role's job description, to start a page: under the document's number and
    revision, with the role's code, and a signature block: each holder by name and since when
    (an acting one as 代理), the statement they sign, the direct supervisor and the signing
    department (``handbook_jd_signing_department``, else the post's own)."""
    language = pr.language
    role = hb.roles[rid]
    doc = hb.company.document
    c = hb.company
    anchor = job_description_anchor(n)
    fields = [
        (_("Document number"), _t(doc.number, language)),
        (_("Revision"), _t(doc.revision, language)),
        (_("Role code"), _t(role.code, language) or "—"),
        (_("Status"), _l(doc.status.label) if doc.status else ""),
        (_("Effective"), _date(doc.effective)),
    ]
    supervisor = _t(hb.roles[role.reports_to].title, language) if role.reports_to else ""
    out = [f'<article class="hb-jd-role" id="{anchor}">', '<header class="hb-jd-head">']
    if pr.logo:
        out.append(f'<img class="hb-jd-logo" src="{_e(pr.logo)}" alt="">')
    out.append(f'<p class="hb-jd-company">{_e(_t(c.name, language))}</p>')
    out.append(f'<p class="hb-jd-kind">{_e(_("Job description"))}</p>')
    out.append(
        '<table class="hb-jd-fields"><tbody><tr>'
        + "".join(f"<th>{_e(k)}</th><td>{_e(v) or '—'}</td>" for k, v in fields)
        + "</tr></tbody></table>"
    )
    out.append("</header>")
    out.append(f'<div class="hb-jd-body">{body}</div>')
    # evidence that the post's duties were communicated (ISO 9001 5.3, 7.2): who holds it since when,
    # the statement they sign, and the signatures of holder, supervisor and the signing department
    holders = hb.holders.get(rid, ())
    out.append(
        f'<section class="hb-jd-sign"><h2>{_e(_("Signatures"))}</h2>'
        f'<p class="hb-jd-statement">{_e(_("I have read, understood and accept this job description."))}</p>'
        '<table class="hb-jd-sign-table"><thead><tr>'
        + "".join(f"<th>{_e(h)}</th>" for h in ("", _("Signed"), _("Date")))
        + "</tr></thead><tbody>"
    )
    rows: list[tuple[str, str]] = []
    for h in holders:
        label = _("Acting holder") if h.assignment.type == "acting" else _("Job holder")
        since = _("since {date}").format(date=h.assignment.since.isoformat()) if h.assignment.since else ""
        how = _("concurrent") if h.assignment.type == "concurrent" else ""
        rows.append((str(label), " ".join(x for x in (_t(h.person.name, language), str(how), since) if x)))
    if not any(h.assignment.type != "acting" for h in holders):
        rows.insert(0, (str(_("Job holder")), ""))  # a vacant post: the new holder signs here
    rows.append((str(_("Direct supervisor")), supervisor))
    signing = pr.signing_department if pr.signing_department in hb.departments else role.department
    rows.append((_t(hb.departments[signing].name, language), _("department signing the job descriptions")))
    for label, who in rows:
        who_html = f'<span class="hb-jd-who">{_e(who)}</span>' if who else ""
        out.append(f"<tr><th>{_e(label)}{who_html}</th><td></td><td></td></tr>")
    out.append("</tbody></table></section>")
    out.append(f'<div class="hb-jd-end" id="{anchor}-end"></div></article>')
    return "\n".join(out)

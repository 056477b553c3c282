"""The PDF's own pages as HTML: cover / document-control page, revision history,
table of contents, and the running header and footer (CSS margin boxes).

Pure functions of the model (no Sphinx imports apart from the label catalog); every
text from the data is HTML- or CSS-escaped here.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from .. import model as m
from ..i18n import _


def _t(text: m.Text | None, language: str | None) -> str:
    return "" if text is None else text.get(language)


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _date(d) -> str:
    return d.isoformat() if d else ""


def cover_html(hb: m.Handbook, language: str | None) -> str:
    c = hb.company
    doc = c.document
    title = _t(doc.title, language) or _t(c.name, language)
    fields = [(_("Document number"), _t(doc.number, language)), (_("Revision"), _t(doc.revision, language)),
              (_("Status"), _t(doc.status, language)), (_("Effective"), _date(doc.effective)),
              (_("Review due"), _date(doc.review_due))]
    out = ['<section class="hb-cover" id="hb-cover">']
    out.append(f'<p class="hb-cover-company">{_e(_t(c.name, language))}</p>')
    out.append(f'<h1 class="hb-cover-title" id="hb-cover-title">{_e(title)}</h1>')
    out.append(f'<p class="hb-controlled"><span class="hb-stamp">{_e(_("Controlled document"))}</span>'
               f'<span class="hb-uncontrolled">{_e(_("Uncontrolled when printed"))}</span></p>')
    out.append('<table class="hb-cover-fields"><tbody>')
    for label, value in fields:
        out.append(f'<tr><th>{_e(label)}</th><td>{_e(value) or "—"}</td></tr>')
    out.append("</tbody></table>")
    out.append(f'<h2 class="hb-cover-h">{_e(_("Approval"))}</h2>')
    out.append('<table class="hb-approvals"><thead><tr>'
               + "".join(f"<th>{_e(h)}</th>" for h in (_("Approval step"), _("Name"), _("Position"), _("Date"),
                                                        _("Signature")))
               + "</tr></thead><tbody>")
    for label, ap in ((_("Prepared by"), doc.prepared_by), (_("Reviewed by"), doc.reviewed_by),
                      (_("Approved by"), doc.approved_by)):
        name = _t(ap.name, language) if ap else ""
        position = _t(ap.title, language) if ap else ""
        date = _date(ap.date) if ap else ""
        out.append(f'<tr class="hb-approval"><th>{_e(label)}</th><td>{_e(name) or "—"}</td>'
                   f'<td>{_e(position)}</td><td>{_e(date)}</td><td class="hb-signature"></td></tr>')
    out.append("</tbody></table>")
    if doc.distribution:
        out.append(f'<h2 class="hb-cover-h">{_e(_("Distribution"))}</h2>')
        out.append('<ul class="hb-distribution">'
                   + "".join(f"<li>{_e(_t(d, language))}</li>" for d in doc.distribution) + "</ul>")
    out.append(f'<p class="hb-control-statement">{_e(_("This is a controlled document. The electronic copy is the only valid version; printed copies are uncontrolled: check the current revision before use."))}</p>')  # noqa: E501
    out.append("</section>")
    return "\n".join(out)


def history_html(hb: m.Handbook, language: str | None) -> str:
    doc = hb.company.document
    label = _("Revision history")
    out = [f'<section class="hb-history" id="hb-history"><h1 class="hb-front">{_e(label)}</h1>']
    if not doc.history:
        out.append(f'<p>{_e(_("No revision history is recorded."))}</p></section>')
        return "\n".join(out)
    out.append('<table class="hb-history-table"><thead><tr>'
               + "".join(f"<th>{_e(h)}</th>" for h in (_("Revision"), _("Date"), _("Summary of changes"),
                                                        _("Author"), _("Approved by")))
               + "</tr></thead><tbody>")
    for r in doc.history:
        out.append(f"<tr><td>{_e(_t(r.revision, language))}</td><td>{_e(_date(r.date))}</td>"
                   f"<td>{_e(_t(r.summary, language))}</td><td>{_e(_t(r.author, language))}</td>"
                   f"<td>{_e(_t(r.approved_by, language))}</td></tr>")
    out.append("</tbody></table></section>")
    return "\n".join(out)


def toc_html(outline: Sequence) -> str:
    """The table of contents; page numbers come from WeasyPrint's target-counter()."""
    label = _("Contents")
    out = [f'<nav class="hb-toc" id="hb-toc"><h1 class="hb-front">{_e(label)}</h1><ul>']
    for entry in outline:
        out.append(f'<li class="hb-toc-{min(entry.level, 6)} hb-toc-{entry.kind}">'
                   f'<a href="#{_e(entry.anchor)}">{_e(entry.title)}</a></li>')
    out.append("</ul></nav>")
    return "\n".join(out)


def css_string(text: str) -> str:
    """A CSS string literal holding any text."""
    return '"' + re.sub(r'["\\\n\r\f]', lambda mm: "\\%x " % ord(mm.group(0)), text) + '"'


def running_css(hb: m.Handbook, language: str | None, project: str = "") -> str:
    """@page margin boxes: document number, revision, title; controlled-copy note; page X of Y."""
    doc = hb.company.document
    number = _t(doc.number, language)
    revision = _t(doc.revision, language)
    title = _t(doc.title, language) or project or _t(hb.company.name, language)
    left = "　".join(x for x in (f"{_('Document number')}：{number}" if number else "",
                                 f"{_('Revision')}：{revision}" if revision else "") if x)
    company = _t(hb.company.short_name, language) or _t(hb.company.name, language)
    pages = str(_("Page {page} of {pages}"))
    parts: list[str] = []
    for piece in re.split(r"(\{page\}|\{pages\})", pages):
        if piece == "{page}":
            parts.append("counter(page)")
        elif piece == "{pages}":
            parts.append("counter(pages)")
        elif piece:
            parts.append(css_string(piece))
    footer_left = f"{_('Controlled document')} · {_('Uncontrolled when printed')}"
    return ("@page {\n"
            f"  @top-left {{ content: {css_string(left)}; }}\n"
            f"  @top-right {{ content: {css_string(title)}; }}\n"
            f"  @bottom-left {{ content: {css_string(company + ' · ' + footer_left if company else footer_left)}; }}\n"
            f"  @bottom-right {{ content: {' '.join(parts)}; }}\n"
            "}\n")

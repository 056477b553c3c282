"""The ISO 9001 audit PDF: ``handbook pdf`` or ``sphinx-build -b handbookpdf``.

One controlled document from the same data and pages as the site: cover and
document-control page (status, 编制 / 审核 / 批准 with their records), distribution
record, revision history, table of contents and PDF bookmarks, a running header
(document number, revision, title, the current department or role) and footer (status
note or numbered copy, page X of Y) on every page, vector org charts and process flows,
every role on its own page — and each role's job description (岗位说明书) as a PDF of its
own with a signature block. Laid out by WeasyPrint; charts drawn once by headless
Chromium with the site's Mermaid and cached by content hash.
"""

from __future__ import annotations

from pathlib import Path


def setup_pdf(app) -> None:
    """Register the ``handbookpdf`` builder and its theme (its settings are in handbook.config)."""
    from handbook.pdf.builder import HandbookPDFBuilder

    app.add_builder(HandbookPDFBuilder)
    app.add_html_theme("handbookpdf", str(Path(__file__).parent / "theme"))


__all__ = ["setup_pdf"]

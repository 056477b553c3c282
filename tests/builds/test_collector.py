"""Full garbage collections wait for the end of an HTML build; written pages are freed at once."""

from __future__ import annotations

import gc
import weakref

import pytest
from docutils import frontend, nodes, utils
from docutils.parsers.rst import Parser

from handbook.site import gc_pause as collector


@pytest.fixture
def restore_gc():
    before, enabled = gc.get_threshold(), gc.isenabled()
    gc.enable()  # (an earlier test of the session may have left the collector off)
    yield before
    collector.resume()
    gc.set_threshold(*before)
    if not enabled:
        gc.disable()


def _generations(callback_log: list[int]):
    def log(phase, info):
        if phase == "start":
            callback_log.append(info["generation"])

    return log


def test_pause_defers_full_collections_and_resume_restores_the_thresholds(restore_gc):
    gc.set_threshold(700, 10, 10)
    collector.pause()
    collector.pause()  # twice: still one saved setting
    assert collector.paused() and gc.get_threshold() == (collector.YOUNG, 10, collector.NEVER)
    seen: list[int] = []
    gc.callbacks.append(_generations(seen))
    try:
        keep = []
        for i in range(400_000):  # young garbage with cycles, and survivors for the old generation
            a: list = []
            a.append(a)
            if i % 4 == 0:
                keep.append(a)
    finally:
        gc.callbacks.pop()
    assert 0 in seen and 1 in seen  # young collections still run
    assert 2 not in seen
    collector.resume()
    assert not collector.paused() and gc.get_threshold() == (700, 10, 10)
    collector.resume()  # not paused: nothing changes
    assert gc.get_threshold() == (700, 10, 10)


def _page() -> nodes.document:
    """A document built node by node, as the handbook's generated pages are."""
    doc = utils.new_document("<page>", frontend.get_default_settings(Parser))
    sec = nodes.section(ids=["role-x"])
    sec += nodes.title("客服主管", "客服主管")
    table = nodes.table()
    group = nodes.tgroup(cols=2)
    table += group
    body = nodes.tbody()
    group += body
    for n in range(20):
        row = nodes.row()
        for text in (f"职责 {n}", "负责处理客户投诉"):
            entry = nodes.entry()
            entry += nodes.paragraph(text, text)
            row += entry
        body += row
    sec += table
    doc += sec
    doc.note_implicit_target(sec, sec)
    return doc


def test_a_released_page_is_freed_by_reference_counting_alone():
    doc = _page()
    elements = [weakref.ref(n) for n in doc.findall(nodes.Element)]
    assert len(elements) > 100
    was = gc.isenabled()
    gc.disable()
    try:
        unreleased = _page()
        probe = weakref.ref(unreleased)
        del unreleased
        assert probe() is not None  # without release, only the cyclic collector frees a page
        collector.release(doc)
        del doc
        assert [r for r in elements if r() is not None] == []
    finally:
        if was:
            gc.enable()
        gc.collect()


def test_an_html_build_defers_full_collections_and_puts_the_setting_back(site, restore_gc):
    from conftest import build_in_place

    states = []

    def record(app, *args):
        states.append((collector.paused(), gc.get_threshold()[2]))

    gc.set_threshold(700, 10, 10)
    s = site("basic", build=False)
    build_in_place(s.srcdir, connect={"env-updated": record, "doctree-resolved": record})
    assert states and all(state == (True, collector.NEVER) for state in states)
    assert not collector.paused() and gc.get_threshold() == (700, 10, 10)

    states.clear()
    site("basic", handbook_defer_gc=False, connect={"doctree-resolved": record})
    assert states and all(state == (False, 10) for state in states)


def test_a_build_stopped_by_data_errors_puts_the_setting_back(site, restore_gc):
    from io import StringIO

    from conftest import build_in_place

    from handbook.site.extension import HandbookDataError

    gc.set_threshold(700, 10, 10)
    s = site("basic", build=False)
    role = next((s.srcdir / "org").rglob("*.yaml"))
    role.write_text(role.read_text(encoding="utf-8") + "\n  broken: [\n", encoding="utf-8")
    with pytest.raises((HandbookDataError, SystemExit)):
        build_in_place(s.srcdir, warning=StringIO())
    assert not collector.paused() and gc.get_threshold() == (700, 10, 10)

"""The header's suggestions: entries, people and their files' contents (pure: no Sphinx).

* roles, departments and processes, and the people (:func:`suggest_entries`), and a digest
  of what they are made of (:func:`suggest_inputs`: equal digests, equal suggestions);
* made smaller: each character's reading once, an entry's pinyin only where it differs
  (:func:`compact_suggestions`);
* people in files by the start of their name and pinyin (:func:`pack_people`).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from typing import Any

from handbook import model as m
from handbook.search.keys import ALNUM, HAN, HAN_CLASS, pinyin_syllables, texts_of


def suggest_entries(
    hb: m.Handbook, language: str, docname_for: Callable[[str, str], str], show_people: bool = True
) -> tuple[list[list[Any]], list[str], list[list[Any]]]:
    """Roles, departments and processes for the header's suggestions, and the people.

    An entry: ``[kind, title, pinyin, code, docname, context, other titles]`` — ``pinyin``:
    syllables separated by spaces; ``context``: an index into the department names (a
    role's department, a department's parent) or -1. A person: ``[name, pinyin, anchor,
    role entry numbers]``.
    """
    entries: list[list[Any]] = []
    depts: list[str] = []
    dept_no: dict[str, int] = {}
    for did, dept in hb.departments.items():
        dept_no[did] = len(depts)
        depts.append(dept.name.get(language))

    def other_titles(t: m.Text) -> str:
        own = t.get(language)
        return " / ".join(s for s in texts_of(t) if s != own)

    def add(kind: str, title: m.Text, code: m.Text | None, docname: str, context: int) -> None:
        shown = title.get(language)
        entries.append(
            [
                kind,
                shown,
                " ".join(pinyin_syllables(shown)),
                code.get(language) if code else "",
                docname,
                context,
                other_titles(title),
            ]
        )

    for did, dept in hb.departments.items():
        add("d", dept.name, dept.code, docname_for("department", did), dept_no.get(dept.parent or "", -1))
    role_no: dict[str, int] = {}
    for rid, role in hb.roles.items():
        role_no[rid] = len(entries)
        add("r", role.title, role.code, docname_for("role", rid), dept_no.get(role.department, -1))
    for pid, proc in hb.processes.items():
        add("p", proc.name, None, docname_for("process", pid), -1)
    people: list[list[Any]] = []
    if show_people:
        for person in hb.people:
            name = person.name.get(language)
            people.append(
                [
                    name,
                    " ".join(pinyin_syllables(name)),
                    person.key,
                    [role_no[a.role] for a in person.assignments if a.role in role_no],
                ]
            )
    return entries, depts, people


def suggest_inputs(hb: m.Handbook, language: str, show_people: bool = True) -> str:
    """A digest of everything :func:`suggest_entries` reads: equal digests, equal suggestions
    (an edited duty leaves them as they were, so a rebuild does not make them again)."""

    def values(t: m.Text | None) -> object:
        return t.values if t is not None else None

    parts = (
        language,
        show_people,
        [(i, values(d.name), values(d.code), d.parent) for i, d in hb.departments.items()],
        [(i, values(r.title), values(r.code), r.department) for i, r in hb.roles.items()],
        [(i, values(p.name)) for i, p in hb.processes.items()],
        [(p.key, values(p.name), [a.role for a in p.assignments]) for p in hb.people] if show_people else [],
    )
    return hashlib.blake2b(repr(parts).encode("utf-8"), digest_size=12).hexdigest()


def char_tokens(text: str, readings: dict[str, str]) -> list[str]:
    """The text's syllables read one character at a time (as the browser does with
    ``readings``), Latin words and numbers lower-cased."""
    out: list[str] = []
    for part in re.split(f"([{HAN_CLASS}])", text):
        if HAN.fullmatch(part):
            out.append(readings.get(part, part))
        else:
            out.extend(w.lower() for w in ALNUM.findall(part))
    return out


def compact_suggestions(
    entries: list[list[Any]], people: list[list[Any]], prefixes: dict[str, str]
) -> tuple[dict[str, str], list[list[Any]], list[list[Any]]]:
    """Smaller suggestion data: each character's common reading once (``readings``), an
    entry's pinyin only where its reading differs (行政 xíng, 银行 háng); a page's id without
    its folder; no empty fields at the end."""
    readings: dict[str, str] = {}
    for text in [e[1] for e in entries] + [p[0] for p in people]:
        for c in HAN.findall(text):
            if c not in readings:
                readings[c] = pinyin_syllables(c)[0]

    def trim(row: list[Any]) -> list[Any]:
        while row and row[-1] == "":
            row = row[:-1]
        return row

    def own(text: str, pinyin: str) -> str:
        return "" if char_tokens(text, readings) == pinyin.split() else pinyin

    out_entries = [trim([e[0], e[1], own(e[1], e[2]), e[3], e[4][len(prefixes[e[0]]) :], e[5], e[6]]) for e in entries]
    out_people = [[p[0], own(p[0], p[1]), p[2], p[3]] for p in people]
    return readings, out_entries, out_people


def person_groups(person: list[Any]) -> set[str]:
    """The keys a person is suggested under: the start of the name, of its pinyin
    (two letters) and its first two initials (``zh``, ``zt`` for 周婷)."""
    name, syl = person[0], person[1].split()
    keys = {name[:1].lower()} if name else set()
    if syl:
        keys.add(syl[0][:2])
        if len(syl) > 1:
            keys.add(syl[0][0] + syl[1][0])
    return {k for k in keys if k}


def pack_people(people: list[list[Any]], target_bytes: int = 48_000) -> tuple[dict[str, int], list[list[list[Any]]]]:
    """People in files of about ``target_bytes``, by the keys they are suggested under."""
    by_key: dict[str, list[int]] = {}
    for i, p in enumerate(people):
        for k in person_groups(p):
            by_key.setdefault(k, []).append(i)
    size = {k: sum(len(json.dumps(people[i], ensure_ascii=False)) for i in ix) for k, ix in by_key.items()}
    files: list[set[int]] = []
    used: list[int] = []
    where: dict[str, int] = {}
    for k in sorted(by_key, key=lambda k: (-size[k], k)):
        for n, u in enumerate(used):  # noqa: B007 - n is the file found, used after the loop
            if u + size[k] <= target_bytes:
                break
        else:
            n = len(used)
            used.append(0)
            files.append(set())
        used[n] += size[k]
        files[n].update(by_key[k])
        where[k] = n
    return where, [[people[i] for i in sorted(f)] for f in files]

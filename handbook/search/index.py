"""The split index: what each page is about and the postings of every key, in shards (pure: no Sphinx).

Computed from the model and from Sphinx's own terms (which the Sphinx side hands over):

* what a generated page is about, by field: titles, lead, duties (:func:`page_texts`);
* postings (``T|D|O|L``, each page in its best field) packed into shards by the first
  character of each key (:func:`build_index`); the keys come from :mod:`handbook.search.keys`,
  the postings are written by :mod:`handbook.search.postings`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from handbook import model as m
from handbook.search.keys import group_of, texts_of
from handbook.search.postings import decode_postings, encode_postings


def _all(texts: Iterable[m.Text | None]) -> list[str]:
    return [s for t in texts for s in texts_of(t)]


def _duties(items: m.DutyList) -> list[m.Text]:
    out: list[m.Text] = []
    for item in items:
        if isinstance(item, m.DutyGroup):
            out.append(item.title)
            out.extend(d.text for d in item.items)
        else:
            out.append(item.text)
    return out


@dataclass(frozen=True)
class PageText:
    """What a generated page is about, for the fields of the index: its titles (every
    language), codes and holders' names; its lead (a role's or department's purpose, the
    headings of its duty groups: what the post is for); its duties (responsibilities, a
    department's functions, a process's steps)."""

    titles: tuple[str, ...]
    duties: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()
    names: tuple[str, ...] = ()  # people holding the role
    leads: tuple[str, ...] = ()


def _groups(items: m.DutyList) -> list[m.Text]:
    return [item.title for item in items if isinstance(item, m.DutyGroup)]


def page_texts(hb: m.Handbook, docname_for: Callable[[str, str], str], show_people: bool = True) -> dict[str, PageText]:
    """The title, lead and duty texts of every role, department and process page, by docname."""
    out: dict[str, PageText] = {}
    for rid, role in hb.roles.items():
        names = tuple(s for h in hb.holders.get(rid, ()) for s in texts_of(h.person.name)) if show_people else ()
        out[docname_for("role", rid)] = PageText(
            tuple(texts_of(role.title)),
            tuple(_all(_duties(role.responsibilities))),
            tuple(texts_of(role.code)),
            names,
            tuple(_all([role.purpose, *_groups(role.responsibilities)])),
        )
    for did, dept in hb.departments.items():
        out[docname_for("department", did)] = PageText(
            tuple(texts_of(dept.name)),
            tuple(_all(_duties(dept.functions))),
            tuple(texts_of(dept.code)),
            (),
            tuple(_all([dept.purpose, *_groups(dept.functions)])),
        )
    for pid, proc in hb.processes.items():
        out[docname_for("process", pid)] = PageText(
            tuple(texts_of(proc.name)),
            tuple(_all([proc.trigger, *(s.action for s in proc.steps)])),
            (),
            (),
            tuple(texts_of(proc.purpose)),
        )
    return out


#: the fields of a page a key can be in: its title, its duties, anywhere (Sphinx's index),
#: its lead (purpose, duty group headings) — in this order in a shard's "T|D|O|L" value
TITLE, DUTY, OTHER, LEAD = 0, 1, 2, 3


@dataclass
class Index:
    """The split index: what ``index.js`` says and the shards' contents."""

    docnames: list[str]
    titles: list[str]
    groups: dict[str, int]  # group -> shard number
    shards: list[dict[str, str]]  # key -> "title|duty|other|lead" postings
    size: int = 0  # bytes of all shards

    def postings(self, key: str) -> tuple[list[int], ...]:
        """The pages holding ``key`` in their title, duties, anywhere else and lead (each page
        in its best field), decoded, for tests."""
        shard = self.groups.get(group_of(key))
        fields = (self.shards[shard].get(key, "") if shard is not None else "").split("|")
        fields += [""] * (4 - len(fields))
        return tuple(decode_postings(f.lstrip("*")) for f in fields)

    def is_word(self, key: str) -> bool:
        """Whether ``key`` is a word of Sphinx's index (not only a pair of characters)."""
        shard = self.groups.get(group_of(key))
        fields = (self.shards[shard].get(key, "") if shard is not None else "").split("|")
        return len(fields) > 2 and fields[2].startswith("*")


def build_index(
    docnames: Sequence[str],
    titles: Sequence[str],
    other: dict[str, Iterable[int]],
    fields: dict[int, tuple[set[str], ...]],
    shard_bytes: int = 64_000,
) -> Index:
    """Postings of every key, packed into shards of about ``shard_bytes``.

    ``other``: key -> pages (Sphinx's terms and title terms); ``fields``: page -> (title
    keys, duty keys, lead keys). A key's value is ``"T|D|O|L"``; a page is listed in its best
    field only (title > lead > duty > anywhere), which is all the ranking needs, and ``O``
    starts with ``*`` when the key is a word of Sphinx's index (the browser joins pieces of
    a query into such words). A shard holds whole groups (all keys starting with one
    Chinese character, or with the same two Latin characters), so the browser can tell from
    a query which shards to load.
    """
    size = len(docnames)
    # key -> pages per field (TITLE, DUTY, OTHER, LEAD); the commonest case inline: this runs
    # for every key of every page
    postings: dict[str, list[set[int]]] = {key: [set(), set(), set(pages), set()] for key, pages in other.items()}
    get = postings.get
    for page, keysets in fields.items():
        for n, keys in zip((TITLE, DUTY, LEAD), keysets, strict=False):
            for key in keys:
                p = get(key)
                if p is None:
                    p = postings[key] = [set(), set(), set(), set()]
                p[n].add(page)
    encoded: dict[str, dict[str, str]] = {}
    sizes: dict[str, int] = {}
    for key in sorted(postings):
        t, d, o, lead = postings[key]
        # each page in its best field only (title > lead > duty > anywhere): what ranking needs
        lead -= t
        d -= t | lead
        o -= t | lead | d
        o_text = ("*" if key in other else "") + encode_postings(o, size)
        value = "|".join(
            (encode_postings(t, size), encode_postings(d, size), o_text, encode_postings(lead, size))
        ).rstrip("|")
        group = group_of(key)
        encoded.setdefault(group, {})[key] = value
        sizes[group] = sizes.get(group, 0) + len(key.encode()) + len(value) + 6
    # first fit, largest groups first: shards of about shard_bytes, a large group alone
    shard_sizes: list[int] = []
    groups: dict[str, int] = {}
    for group in sorted(sizes, key=lambda g: (-sizes[g], g)):
        for n, used in enumerate(shard_sizes):  # noqa: B007 - n is the shard found, used after the loop
            if used + sizes[group] <= shard_bytes:
                break
        else:
            n = len(shard_sizes)
            shard_sizes.append(0)
        shard_sizes[n] += sizes[group]
        groups[group] = n
    shards: list[dict[str, str]] = [{} for _ in shard_sizes]
    for group, n in groups.items():
        shards[n].update(encoded[group])
    return Index(list(docnames), list(titles), groups, [dict(sorted(s.items())) for s in shards], sum(shard_sizes))

"""The generator's random source and the texts it writes: duties, KPIs, authority, qualifications, names.

``Texts`` holds the generator's state (the arguments, the seeded ``random.Random``, the
counters that keep names unique and cycle the hostile fragments) and the small helpers
every part draws with (``pick``, ``chance``, ``uniq``, ``date``, ``hostilize``,
``_odd_ids``).  On top of them, the texts of a department or a role: duty lists (with
groups, KPIs and frequencies), authority, KPI lists, qualifications and people's names.
The structure (departments and roles, people and processes) lives in ``organisation``
and ``people_processes``, which build on this class.  Every draw goes through
``self.rng`` in a fixed order: the output is a pure function of the arguments.
"""

from __future__ import annotations

import datetime as dt
import random

from bench.make_org.hostile import HOSTILE_FRAGMENTS, HOSTILE_NAME_FRAGMENTS, hostile_ids
from bench.make_org.vocabulary import (
    ACTS_EN,
    ACTS_ZH,
    AUTH_TPL_EN,
    AUTH_TPL_ZH,
    CERTS_EN,
    CERTS_ZH,
    DUTY_TPL_EN,
    DUTY_TPL_ZH,
    EDU_EN,
    EDU_ZH,
    EXP_EN,
    EXP_ZH,
    FIRST_EN,
    FREQ_EN,
    FREQ_ZH,
    GIVEN_ZH,
    GOALS_EN,
    GOALS_ZH,
    GROUP_TPL_EN,
    GROUP_TPL_ZH,
    KPI_TPL_EN,
    KPI_TPL_ZH,
    LAST_EN,
    ORDINALS_ZH,
    ROOT_OBJ_EN,
    ROOT_OBJ_ZH,
    SKILLS_EN,
    SKILLS_ZH,
    SUPS_EN,
    SUPS_ZH,
    SURNAMES_ZH,
    TRAIN_EN,
    TRAIN_ZH,
)


class Texts:
    """The random source, the drawing helpers and the texts of departments and roles."""

    def __init__(self, n: int, seed: int, hostile: bool, lang: str, depth: int):
        self.n = n
        self.seed = seed
        self.hostile = hostile
        self.lang = lang
        self.zh = lang == "zh"
        self.depth = depth
        self.rng = random.Random(f"make_org:{n}:{seed}:{int(hostile)}:{lang}:{depth}")
        self.used_dept_names: dict[str, int] = {}
        self.used_person_names: set[str] = set()
        self.frag_i = 0
        self.name_frag_i = 0

    # -- small helpers ------------------------------------------------------

    def pick(self, seq):
        return seq[int(self.rng.random() * len(seq))]

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def uniq(self, base: str, used: dict[str, int]) -> str:
        """Label unique within *used*: 采购专员, 采购专员 2, 采购专员 3, ..."""
        k = used.get(base, 0) + 1
        used[base] = k
        if k == 1:
            return base
        return f"{base} {k}"

    def hostilize(self, text: str, p: float = 0.15, name: bool = False) -> str:
        """Maybe weave an adversarial fragment into *text* (hostile mode only)."""
        if not self.hostile or not self.chance(p):
            return text
        if name:
            frag = HOSTILE_NAME_FRAGMENTS[self.name_frag_i % len(HOSTILE_NAME_FRAGMENTS)]
            self.name_frag_i += 1
        else:
            frag = HOSTILE_FRAGMENTS[self.frag_i % len(HOSTILE_FRAGMENTS)]
            self.frag_i += 1
        where = self.rng.random()
        if where < 0.4:
            return f"{text} {frag}"
        if where < 0.7:
            return f"{frag} {text}"
        cut = 1 + int(self.rng.random() * max(1, len(text) - 1))
        return f"{text[:cut]}{frag}{text[cut:]}"

    def date(self, start: dt.date, end: dt.date) -> dt.date:
        return start + dt.timedelta(days=int(self.rng.random() * ((end - start).days + 1)))

    def _odd_ids(self, items: list[dict], kind: str) -> None:
        """Give about one item in eight an odd but valid id (hostile mode: departments, roles, people, processes)."""
        pool = hostile_ids(kind)
        k = min(len(pool), max(1, len(items) // 8))
        idxs = sorted(self.rng.sample(range(len(items)), min(k, len(items))))
        for j, i in enumerate(idxs):
            items[i]["id"] = pool[j]

    # -- texts ----------------------------------------------------------------

    def objs(self, dom) -> list[str]:
        if dom is None:
            return ROOT_OBJ_ZH if self.zh else ROOT_OBJ_EN
        return dom[7] if self.zh else dom[8]

    def duty_text(self, objs: list[str]) -> str:
        tpl = self.pick(DUTY_TPL_ZH if self.zh else DUTY_TPL_EN)
        acts = ACTS_ZH if self.zh else ACTS_EN
        text = tpl.format(
            o=self.pick(objs),
            a=self.pick(acts),
            a2=self.pick(acts),
            g=self.pick(GOALS_ZH if self.zh else GOALS_EN),
            s=self.pick(SUPS_ZH if self.zh else SUPS_EN),
        )
        return self.hostilize(text)

    def kpi_text(self, objs: list[str]) -> str:
        tpl = self.pick(KPI_TPL_ZH if self.zh else KPI_TPL_EN)
        o = self.pick(objs)
        if not self.zh:
            o = o[:1].upper() + o[1:]
        return self.hostilize(
            tpl.format(
                o=o,
                r=self.pick([90, 95, 98, 99]),
                x=self.pick([0.5, 1, 2, 3]),
                h=self.pick([2, 4, 8, 24, 48]),
                sc=self.pick([85, 90, 95]),
            ),
            p=0.08,
        )

    def duty_item(self, objs: list[str]):
        text = self.duty_text(objs)
        r = self.rng.random()
        if r < 0.2:
            return {"text": text, "kpi": self.kpi_text(objs), "frequency": self.pick(FREQ_ZH if self.zh else FREQ_EN)}
        if r < 0.3:
            return {"text": text, "kpi": self.kpi_text(objs)}
        if r < 0.35:
            return {"text": text, "frequency": self.pick(FREQ_ZH if self.zh else FREQ_EN)}
        return text

    def group_title(self, idx: int, objs: list[str]) -> str:
        if self.zh:
            n = ORDINALS_ZH[idx] if idx < len(ORDINALS_ZH) else str(idx + 1)
            tpl = self.pick(GROUP_TPL_ZH)
            text = tpl.format(n=n, o=self.pick(objs), o2=self.pick(objs), a=self.pick(ACTS_ZH))
        else:
            tpl = self.pick(GROUP_TPL_EN)
            o = self.pick(objs)
            a = self.pick(ACTS_EN)
            text = tpl.format(n=idx + 1, o=o, O=o[:1].upper() + o[1:], o2=self.pick(objs), A=a[:1].upper() + a[1:])
        return self.hostilize(text, p=0.2)

    def distinct(self, make, count: int, seen: set[str] | None = None) -> list:
        """*count* items from *make()* whose texts differ (a few retries each)."""
        seen = set() if seen is None else seen
        out: list = []
        for _ in range(count):
            for _attempt in range(6):
                item = make()
                key = item["text"] if isinstance(item, dict) else item
                if key not in seen:
                    break
            else:
                continue
            seen.add(key)
            out.append(item)
        return out

    def duty_list(self, objs: list[str], lo: int, hi: int, groups: float = 0.0) -> list:
        count = lo + int(self.rng.random() * (hi - lo + 1))
        make = lambda: self.duty_item(objs)  # noqa: E731
        seen: set[str] = set()
        if count >= 4 and self.chance(groups):
            # Some loose items first, then 2-4 groups holding the rest.
            loose = int(self.rng.random() * 3) if self.chance(0.5) else 0
            out: list = self.distinct(make, loose, seen)
            rest = count - loose
            ng = min(rest // 2, 2 + int(self.rng.random() * 3))
            sizes = [rest // ng + (1 if i < rest % ng else 0) for i in range(ng)]
            titles: set[str] = set()
            for gi, size in enumerate(sizes):
                title = self.distinct(lambda gi=gi: self.group_title(gi, objs), 1, titles)
                items = self.distinct(make, size, seen)
                if title and items:
                    out.append({"title": title[0], "items": items})
                else:
                    out.extend(items)
            return out or self.distinct(make, 1)
        return self.distinct(make, count, seen) or self.distinct(make, 1)

    def auth_list(self, objs: list[str]) -> list:
        tpls = AUTH_TPL_ZH if self.zh else AUTH_TPL_EN
        count = 2 + int(self.rng.random() * 4)
        return self.distinct(lambda: self.hostilize(self.pick(tpls).format(o=self.pick(objs)), p=0.08), count)

    def kpi_list(self, objs: list[str], lo: int = 2, hi: int = 5) -> list:
        count = lo + int(self.rng.random() * (hi - lo + 1))

        def make():
            if self.chance(0.5):
                return self.kpi_text(objs)
            return {"text": self.kpi_text(objs), "frequency": self.pick(FREQ_ZH if self.zh else FREQ_EN)}

        return self.distinct(make, count)

    def qualifications(self, senior: bool):
        zh = self.zh
        y = 1 + int(self.rng.random() * 5) + (3 if senior else 0)
        exps = EXP_ZH if zh else EXP_EN
        exp = self.pick(exps[:2] if senior else exps).format(y=y, y2=max(1, y - 3))
        if self.chance(0.35):
            return [
                self.hostilize(self.pick(EDU_ZH if zh else EDU_EN), p=0.1),
                exp,
                self.pick(SKILLS_ZH if zh else SKILLS_EN),
            ]
        q = {
            "education": self.pick(EDU_ZH if zh else EDU_EN),
            "experience": self.hostilize(exp, p=0.1),
            "skills": self.rng.sample(SKILLS_ZH if zh else SKILLS_EN, 2 + int(self.rng.random() * 3)),
        }
        if self.chance(0.4):
            q["certificates"] = self.rng.sample(CERTS_ZH if zh else CERTS_EN, 1 + int(self.rng.random() * 2))
        if self.chance(0.5):
            q["training"] = self.rng.sample(TRAIN_ZH if zh else TRAIN_EN, 1 + int(self.rng.random() * 2))
        return q

    def person_name(self) -> str:
        for attempt in range(50):
            if self.zh:
                name = self.pick(SURNAMES_ZH) + self.pick(GIVEN_ZH)
                if self.chance(0.6):
                    name += self.pick(GIVEN_ZH)
            else:
                name = f"{self.pick(FIRST_EN)} {self.pick(LAST_EN)}"
                if attempt > 0 or self.chance(0.3):
                    name = f"{self.pick(FIRST_EN)} {chr(65 + int(self.rng.random() * 26))}. {self.pick(LAST_EN)}"
            if attempt > 10:
                name = f"{name}{attempt}"
            if name not in self.used_person_names:
                break
        self.used_person_names.add(name)
        return self.hostilize(name, p=0.05, name=True)

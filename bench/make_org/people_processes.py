"""People and processes: who holds which role, and the processes the roles carry out.

People fill roles up to their headcount (about 80%, so there are vacancies), some hold a
second role concurrently (兼任), vacant single posts (heads, deputies, leads) often get an
acting holder (代理); people get ids in order.  Processes (about N/50) belong to a
department: 4-12 steps done by its roles and a few others, branches with labels (some
sending back), records, and a RACI table with exactly one A per row.  Finally a role that
works in a process but that nobody holds gets an acting holder, without a random draw.
Built on ``texts`` (random source and texts) and on the department and role records of
``organisation``; ``generator`` calls these in order.
"""

from __future__ import annotations

import datetime as dt

from bench.make_org.hostile import hostile_ids
from bench.make_org.texts import Texts
from bench.make_org.vocabulary import BRANCH_EN, BRANCH_ZH, PROC_TPL_EN, PROC_TPL_ZH, STEP_ACT_EN, STEP_ACT_ZH


class PeopleProcesses(Texts):
    """The people (assignments: primary, concurrent, acting) and the processes (steps, branches, RACI)."""

    def _make_people(self, order, roles, ceo) -> list[dict]:
        rng = self.rng
        start, end = dt.date(2010, 1, 1), dt.date(2024, 12, 31)
        filled = {id(r): 0 for r in roles}
        persons: list[dict] = []  # {"name", "assign": [(role, type, since)], "primary"}

        for r in roles:
            mx = r["hc_max"]
            if r is ceo:
                k = 1
            else:
                p = 0.85 if r["kind"] in ("head", "deputy", "lead") else 0.8
                k = sum(1 for _ in range(mx) if rng.random() < p)
            for _ in range(k):
                persons.append(
                    {"name": self.person_name(), "primary": r, "assign": [(r, "primary", self.date(start, end))]}
                )
            filled[id(r)] = k

        # Concurrent assignments (兼任) into roles with spare headcount.
        spare = [r for r in roles if filled[id(r)] < r["hc_max"]]
        if spare and persons:
            for _ in range(max(1, len(persons) // 25)):
                pe = self.pick(persons)
                r = self.pick(spare)
                if filled[id(r)] >= r["hc_max"]:
                    continue
                if any(a[0] is r for a in pe["assign"]):
                    continue
                since = self.date(pe["assign"][0][2], end)
                pe["assign"].append((r, "concurrent", since))
                filled[id(r)] += 1

        # Acting holders (代理) for vacant single posts (heads, deputies, team leads),
        # from the same or the parent department.  Acting does not fill a post.
        by_dept: dict[int, list[dict]] = {}
        for pe in persons:
            by_dept.setdefault(pe["primary"]["dept"]["idx"], []).append(pe)
        for head in roles:
            if head["kind"] not in ("head", "deputy", "lead") or filled[id(head)] > 0 or not self.chance(0.8):
                continue
            d = head["dept"]
            cands = by_dept.get(d["idx"]) or (by_dept.get(d["parent"]["idx"]) if d["parent"] is not None else None)
            if not cands:
                continue
            pe = self.pick(cands)
            if any(a[0] is head for a in pe["assign"]):
                continue
            pe["assign"].append((head, "acting", self.date(dt.date(2023, 1, 1), end)))

        pwidth = max(5, len(str(len(persons))))
        out: list[dict] = []
        for i, pe in enumerate(persons):
            item: dict = {"id": f"p-{i + 1:0{pwidth}d}", "name": pe["name"]}
            assigns = []
            for r, typ, since in pe["assign"]:
                a = {"role": r["id"]}
                if typ != "primary" or self.chance(0.5):
                    a["type"] = typ
                a["since"] = since
                assigns.append(a)
            item["assignments"] = assigns
            if self.chance(0.05):
                item["extra"] = {"employee_no": f"E{i + 1:06d}"}
            out.append(item)
        if self.hostile:
            self._odd_ids(out, "person")
            # keep key order id, name, ...
        return out

    def _make_processes(self, order, roles, root) -> list[dict]:
        rng = self.rng
        zh = self.zh
        n_proc = max(1, round(self.n / 50))
        cands = [d for d in order if d is not root] or [root]
        used_names: dict[str, int] = {}
        out: list[dict] = []
        pids = [f"proc-{i + 1:04d}" for i in range(n_proc)]
        if self.hostile:
            items = [{"id": p} for p in pids]
            self._odd_ids(items, "process")
            pids = [it["id"] for it in items]
        for pi in range(n_proc):
            d = self.pick(cands)
            objs = self.objs(d["dom"])
            participants = list(d["roles"])
            if d["parent"] is not None:
                participants += d["parent"]["roles"][:2]
            participants += [self.pick(roles) for _ in range(3)]
            participants.append(root["roles"][0])
            seen: dict[int, dict] = {}
            for r in participants:
                seen.setdefault(id(r), r)
            participants = list(seen.values())
            o = self.pick(objs)
            tpl = self.pick(PROC_TPL_ZH if zh else PROC_TPL_EN)
            name = tpl.format(o=o, O=o[:1].upper() + o[1:])
            name = self.hostilize(self.uniq(name, used_names), p=0.3, name=True)
            k = 4 + int(rng.random() * 9)
            sids = [f"s{j + 1:02d}" for j in range(k)]
            if self.hostile:
                pool = hostile_ids("step")
                for j in rng.sample(range(k), min(k, 2 + int(rng.random() * 3))):
                    sids[j] = pool[int(rng.random() * len(pool))]
                # ensure unique within the process
                seen_s: list[str] = []
                for j, s in enumerate(sids):
                    if s in seen_s:
                        s = f"s{j + 1:02d}"
                    seen_s.append(s)
                    sids[j] = s
            steps = []
            for j in range(k):
                st: dict = {"id": sids[j]}
                st["role"] = self.pick(participants)["id"]
                act = self.pick(STEP_ACT_ZH if zh else STEP_ACT_EN).format(o=self.pick(objs))
                if self.hostile and self.chance(0.05):
                    act = self.pick(["end", "subgraph", "click", "style", "graph TD", "%%"])
                st["action"] = self.hostilize(act, p=0.25)
                if j < k - 1:
                    nxt: list = [sids[j + 1]]
                    if j <= k - 3 and self.chance(0.3):
                        yes, no = self.pick(BRANCH_ZH if zh else BRANCH_EN)
                        if self.chance(0.3) and j > 0:
                            target = sids[int(rng.random() * j)]  # send back
                        else:
                            target = sids[j + 2 + int(rng.random() * (k - j - 2))]
                        if self.chance(0.8):
                            first = {"to": sids[j + 1], "label": self.hostilize(yes, p=0.3, name=True)}
                        else:
                            first = sids[j + 1]
                        nxt = [first, {"to": target, "label": self.hostilize(no, p=0.3, name=True)}]
                    st["next"] = nxt
                if self.chance(0.4):
                    rec = f"《{self.pick(objs)}记录表》" if zh else f"{self.pick(objs)} record"
                    st["record"] = self.hostilize(rec, p=0.1)
                steps.append(st)
            raci = []
            for _ in range(2 + int(rng.random() * 5)):
                pool_r = rng.sample(participants, min(len(participants), 6))
                acc, rest = pool_r[0], pool_r[1:]
                row: dict = {
                    "activity": self.hostilize(
                        self.pick(STEP_ACT_ZH if zh else STEP_ACT_EN).format(o=self.pick(objs)), p=0.15
                    )
                }
                if rest:
                    nr = 1 + int(rng.random() * min(2, len(rest)))
                    rs, rest = rest[:nr], rest[nr:]
                    row["R"] = rs[0]["id"] if len(rs) == 1 and self.chance(0.5) else [r["id"] for r in rs]
                else:
                    row["R"] = acc["id"]  # single participant: A is also R
                row["A"] = acc["id"]
                if rest and self.chance(0.6):
                    nc = 1 + int(rng.random() * min(2, len(rest)))
                    cs, rest = rest[:nc], rest[nc:]
                    row["C"] = [r["id"] for r in cs]
                if rest and self.chance(0.6):
                    row["I"] = rest[0]["id"] if self.chance(0.5) else [r["id"] for r in rest[:2]]
                raci.append(row)
            proc: dict = {"id": pids[pi], "name": name, "owner": d["roles"][0]["id"]}
            if zh:
                proc["purpose"] = self.hostilize(f"规范{o}工作，提高工作效率。", p=0.2)
                proc["trigger"] = self.pick([f"收到{o}申请", "每月初", "客户来电", "系统预警", "年度计划下达"])
            else:
                proc["purpose"] = self.hostilize(f"Standardise the handling of {o}.", p=0.2)
                proc["trigger"] = self.pick(
                    [
                        f"A {o} request arrives",
                        "Start of each month",
                        "A customer calls",
                        "A system alert",
                        "The annual plan is issued",
                    ]
                )
            proc["steps"] = steps
            proc["raci"] = raci
            proc["order"] = (pi + 1) * 10
            out.append(proc)
        return out

    @staticmethod
    def _cover_performers(roles, people: list[dict], processes: list[dict]) -> None:
        """A post nobody holds that does a step or is R/A in a RACI row gets an acting holder
        from its department (or the first person), as a real company would: no random draw."""

        def ids(v) -> list[str]:
            return [v] if isinstance(v, str) else list(v or ())

        working = {st["role"] for p in processes for st in p["steps"] if "role" in st}
        working |= {r for p in processes for row in p["raci"] for k in ("R", "A") for r in ids(row.get(k))}
        held = {a["role"] for pe in people for a in pe["assignments"]}
        dept_of = {r["id"]: r["dept"]["idx"] for r in roles}
        first_in: dict[int, dict] = {}
        for pe in people:
            first_in.setdefault(dept_of.get(pe["assignments"][0]["role"], -1), pe)
        for r in roles:
            if r["id"] in working and r["id"] not in held and people:
                pe = first_in.get(r["dept"]["idx"], people[0])
                pe["assignments"].append({"role": r["id"], "type": "acting", "since": dt.date(2024, 1, 1)})

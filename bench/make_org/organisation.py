"""The organisation: the department tree, its roles and reporting lines, and their YAML records.

The tree has about N/8 departments: a root (the CEO's office), roughly sqrt(N/8) top-level
departments, one chain reaching ``--depth``, a few wide departments (15+ children) away
from it, the rest attached at random; ids follow pre-order, which is also file order.
Roles are spread over the departments (a head first, team leads in big departments,
then staff); heads report to the parent department's head, others to their head or a
lead, with a few dotted lines; headcounts are numbers or ranges.  ``_emit_dept`` and
``_emit_role`` turn the internal records into the data format's mappings.  People and
processes are ``people_processes``'s; the texts and the random source are ``texts``'s.
"""

from __future__ import annotations

from bench.make_org.texts import Texts
from bench.make_org.vocabulary import (
    AUTH_TPL_EN,
    AUTH_TPL_ZH,
    DOMAINS,
    ENV_EN,
    ENV_ZH,
    EXT_REL_EN,
    EXT_REL_ZH,
    GRADES,
    HEAD_EN,
    HEAD_ZH,
    ORDINALS_ZH,
    REGIONS_EN,
    REGIONS_ZH,
    ROOT_EN,
    ROOT_ZH,
)


def subtree(top: dict) -> list[dict]:
    """*top* and its descendants in pre-order (iterative: --depth may be large)."""
    out: list[dict] = []
    stack = [top]
    while stack:
        d = stack.pop()
        out.append(d)
        stack.extend(reversed(d["children"]))
    return out


class Organisation(Texts):
    """Departments and roles: the tree, the roles in it, reporting lines, headcounts, and their records."""

    def _department_tree(self, m: int) -> tuple[dict, list[dict], list[dict]]:
        """*m* departments: (the root, the top-level departments with the root first, all in pre-order)."""
        rng = self.rng
        D = self.depth
        depts: list[dict] = []  # internal records

        def new_dept(parent):
            d = {
                "idx": len(depts),
                "parent": parent,
                "children": [],
                "depth": 1 if parent is None else parent["depth"] + 1,
                "roles": [],
            }
            if parent is not None:
                parent["children"].append(d)
            depts.append(d)
            return d

        root = new_dept(None)
        if D == 1:
            tops_n = m
        else:
            tops_n = min(m, max(2, round(m**0.5)))
        tops = [root] + [new_dept(None) for _ in range(tops_n - 1)]
        remaining = m - tops_n
        eligible = [d for d in tops[1:] if d["depth"] < D]

        def add_child(parent):
            c = new_dept(parent)
            if c["depth"] < D:
                eligible.append(c)
            return c

        # One deep chain, reaching --depth.
        chain: list[dict] = []
        if remaining > 0 and len(tops) > 1 and D > 1:
            cur = tops[1]
            while remaining > 0 and cur["depth"] < D:
                cur = add_child(cur)
                chain.append(cur)
                remaining -= 1
        # Wide departments (15+ children), away from the chain.
        n_hubs = (1 if m >= 24 else 0) + m // 150
        for _ in range(n_hubs):
            hubs = [d for d in eligible if not any(d is c for c in chain) and d is not tops[1]] or eligible
            if remaining < 15 or not hubs:
                break
            hub = self.pick(hubs)
            k = min(remaining, 15 + int(rng.random() * 8))
            for _ in range(k):
                add_child(hub)
            remaining -= k
        # The rest: attach at random.
        while remaining > 0 and eligible:
            add_child(self.pick(eligible))
            remaining -= 1

        # Pre-order: ids follow file order.
        order: list[dict] = [d for t in tops for d in subtree(t)]

        # Domains: top departments cycle through shuffled domains; children mostly
        # inherit theirs.
        doms = list(DOMAINS)
        rng.shuffle(doms)
        for i, t in enumerate(tops[1:]):
            t["dom"] = doms[i % len(doms)]
        root["dom"] = None
        for d in order:
            if d["parent"] is not None:
                d["dom"] = d["parent"]["dom"] if self.chance(0.85) else self.pick(DOMAINS)

        # Ids.
        width = max(4, len(str(m)))
        for i, d in enumerate(order):
            d["id"] = f"dept-{i + 1:0{width}d}"
            d["pos"] = i
        if self.hostile:
            self._odd_ids(order, "department")

        # Names.
        for d in order:
            d["base_name"], d["kind"] = self._dept_base_name(d)
            d["name"] = self.hostilize(self.uniq(d["base_name"], self.used_dept_names), p=0.15, name=True)
        self._all_dept_names = [d["name"] for d in order]
        return root, tops, order

    def _roles(self, order: list[dict], root: dict, m: int) -> list[dict]:
        """The roles of every department, with ids, reporting lines and headcounts, in file order."""
        rng = self.rng
        n = self.n
        counts = {d["idx"]: 1 for d in order}
        extra = n - m
        root_extra = min(extra, 3 + int(rng.random() * 6))
        counts[root["idx"]] += root_extra
        extra -= root_extra
        if extra > 0:
            others = [d for d in order if d is not root] or [root]
            cw: list[float] = []
            acc = 0.0
            for d in others:
                acc += 0.2 + rng.random() * 1.8 + (1.0 if d["depth"] <= 2 else 0.0)
                cw.append(acc)
            for d in rng.choices(others, cum_weights=cw, k=extra):
                counts[d["idx"]] += 1

        roles: list[dict] = []
        rwidth = max(5, len(str(n)))
        for d in order:
            self._make_roles(d, counts[d["idx"]], roles)
        for i, r in enumerate(roles):
            r["id"] = f"role-{i + 1:0{rwidth}d}"
            r["code"] = f"GW-{i + 1:0{rwidth}d}"
        if self.hostile:
            self._odd_ids(roles, "role")
        self._reporting_lines(order, roles, root)
        self._headcounts(roles)
        return roles

    def _reporting_lines(self, order: list[dict], roles: list[dict], root: dict) -> None:
        """reports_to (department head -> parent head; top heads -> CEO; others -> their lead) and dotted lines."""
        ceo = root["roles"][0]
        for d in order:
            head = d["roles"][0]
            d["head"] = head
            if d is root:
                head["reports_to"] = None
            elif d["parent"] is None:
                head["reports_to"] = ceo
            else:
                head["reports_to"] = d["parent"]["roles"][0]
        for r in roles:
            if r.get("lead_of") is not None:
                r["reports_to"] = r["lead_of"]
        heads = [d["roles"][0] for d in order]
        deputies = [r for r in root["roles"][1:] if r["kind"] == "deputy"]
        for d in order:
            for r in d["roles"][1:]:
                # dotted lines: to a head elsewhere, or top heads to a deputy.
                if r["kind"] == "staff" and self.chance(0.08) and len(heads) > 1:
                    t = self.pick(heads)
                    if t is not d["roles"][0] and t is not r["reports_to"]:
                        r["dotted"] = [t]
                        if self.chance(0.2):
                            t2 = self.pick(heads)
                            if t2 is not t and t2 is not d["roles"][0] and t2 is not r["reports_to"]:
                                r["dotted"].append(t2)
            head = d["roles"][0]
            if d["parent"] is None and d is not root and deputies and self.chance(0.4):
                head["dotted"] = [self.pick(deputies)]

    def _headcounts(self, roles: list[dict]) -> None:
        """Each role's headcount (a number or a range) and its maximum, ``hc_max``."""
        rng = self.rng
        for r in roles:
            if r["kind"] in ("ceo", "head", "deputy"):
                hc = 1
            elif r["kind"] == "lead":
                hc = 1 + (1 if self.chance(0.2) else 0)
            elif self.chance(0.5):
                hc = 1 + int(rng.random() * 6)
                if self.hostile and self.chance(0.03):
                    hc = 0
            else:
                a = 1 + int(rng.random() * 4)
                b = a + 1 + int(rng.random() * 5)
                hc = f"{a}-{b}"
                if self.hostile:
                    v = rng.random()
                    if v < 0.1:
                        hc = f"{a}-{b}人"
                    elif v < 0.2:
                        hc = f"{a}~{b}"
                r["hc_max"] = b
            r["headcount"] = hc
            if "hc_max" not in r:
                r["hc_max"] = hc

    def _dept_base_name(self, d) -> tuple[str, str]:
        """(name before numbering, unit kind) for department *d*."""
        dom = d["dom"]
        zh = self.zh
        if dom is None:
            return (ROOT_ZH[0], "办") if zh else (ROOT_EN[0], "Office")
        stem = dom[1] if zh else dom[2]
        depth = d["depth"]
        r = self.rng.random()
        if zh:
            if depth == 1:
                kind = self.pick(["部", "部", "中心", "管理部"])
                return stem + kind, kind
            kind = self.pick(
                ["部", "科", "处"] if depth == 2 else ["科", "组", "室"] if depth == 3 else ["组", "室", "班"]
            )
            if r < 0.35:
                return f"{self.pick(REGIONS_ZH)}{stem}{kind}", kind
            if r < 0.6:
                return f"{stem}{self.pick(ORDINALS_ZH)}{kind}", kind
            return f"{self.pick(dom[7])}{kind}", kind
        if depth == 1:
            kind = self.pick(["Department", "Division", "Centre"])
            return f"{stem} {kind}", kind
        kind = self.pick(
            ["Section", "Unit", "Office"]
            if depth == 2
            else ["Team", "Unit", "Group"]
            if depth == 3
            else ["Team", "Desk", "Cell"]
        )
        if r < 0.35:
            return f"{self.pick(REGIONS_EN)} {stem} {kind}", kind
        if r < 0.6:
            return f"{stem} {kind} {1 + int(self.rng.random() * 9)}", kind
        o = self.pick(dom[8])
        if o.startswith("the "):
            o = o[4:]
        o = " ".join(w[:1].upper() + w[1:] for w in o.split())
        return f"{o} {kind}", kind

    def _title(self, base: str, used: dict[str, int]) -> str:
        """Titles are unique within a department (会计, 会计 2); departments share titles."""
        return self.hostilize(self.uniq(base, used), p=0.12, name=True)

    def _make_roles(self, d, count: int, roles: list[dict]) -> None:
        zh = self.zh
        dom = d["dom"]
        objs = self.objs(dom)
        base_name = d["base_name"]
        out: list[dict] = []
        used: dict[str, int] = {}

        def role(kind, base_title):
            r = {
                "kind": kind,
                "dept": d,
                "title": self._title(base_title, used),
                "objs": objs,
                "lead_of": None,
                "dotted": [],
            }
            out.append(r)
            return r

        if dom is None:
            role("ceo", "总经理" if zh else "Chief Executive Officer")
            n_dep = min(count - 1, 1 + int(self.rng.random() * 3))
            deps = (
                ["常务副总经理", "副总经理（生产）", "副总经理（营销）", "副总经理（技术）"]
                if zh
                else ["Executive Deputy GM", "Deputy GM, Operations", "Deputy GM, Sales", "Deputy GM, Technology"]
            )
            for i in range(n_dep):
                role("deputy", deps[i])
            titles = (ROOT_ZH if zh else ROOT_EN)[1][1:]
            for i in range(count - 1 - n_dep):
                role("staff", titles[i % len(titles)])
            for r in out[1:]:
                r["lead_of"] = out[0]
        else:
            if zh:
                head_title = base_name + self.pick(HEAD_ZH[d["kind"]])
            else:
                head_title = f"{self.pick(HEAD_EN[d['kind']])} {base_name}"
            head = role("head", head_title)
            n_leads = 0
            if count >= 7:
                n_leads = 1 + (count >= 14) + (count >= 24)
            stem = dom[1] if zh else dom[2]
            leads = []
            for i in range(n_leads):
                t = (
                    (f"{stem}主管" if i % 2 == 0 else f"高级{self.pick(dom[5])}")
                    if zh
                    else (f"{stem} Supervisor" if i % 2 == 0 else f"Senior {self.pick(dom[6])}")
                )
                lr = role("lead", t)
                lr["lead_of"] = head
                leads.append(lr)
            staff_titles = list(dom[5] if zh else dom[6])
            self.rng.shuffle(staff_titles)
            extra_titles = (
                [f"{stem}专员", f"{stem}助理", f"{stem}文员", f"{stem}分析员"]
                if zh
                else [f"{stem} Officer", f"{stem} Assistant", f"{stem} Clerk", f"{stem} Analyst"]
            )
            staff_titles += extra_titles
            for i in range(count - 1 - n_leads):
                r = role("staff", staff_titles[i % len(staff_titles)])
                r["lead_of"] = self.pick(leads) if leads and self.chance(0.6) else head
        d["roles"] = out
        roles.extend(out)

    def _emit_dept(self, d, sibling_index: int) -> dict:
        zh = self.zh
        objs = self.objs(d["dom"])
        dom = d["dom"]
        out: dict = {"id": d["id"], "name": d["name"]}
        out["code"] = f"D{d['pos'] + 1:04d}"
        if d["parent"] is not None:
            out["parent"] = d["parent"]["id"]
        if dom is None:
            out["category"] = "管理类" if zh else "Management"
        else:
            out["category"] = dom[3] if zh else dom[4]
        out["head"] = d["head"]["id"]
        if zh:
            purpose = f"负责公司{self.pick(objs)}及{self.pick(objs)}等方面的管理工作。"
        else:
            purpose = f"Manages {self.pick(objs)} and {self.pick(objs)} for the company."
        out["purpose"] = self.hostilize(purpose)
        out["functions"] = self.duty_list(objs, 5, 15, groups=0.3)
        if self.chance(0.7):
            out["authority"] = self.auth_list(objs)
        if self.chance(0.6):
            out["goals"] = self.duty_list(objs, 2, 4)
        if self.chance(0.6):
            out["kpis"] = self.kpi_list(objs)
        if d["parent"] is None or self.chance(0.3):
            out["order"] = (d["idx"] + 1) * 10
        if self.chance(0.1):
            out["extra"] = {"cost_center": f"CC{d['idx'] + 1:05d}", "established": 2000 + int(self.rng.random() * 24)}
        return out

    def _emit_role(self, r) -> dict:
        zh = self.zh
        objs = r["objs"]
        senior = r["kind"] in ("ceo", "head", "deputy", "lead")
        out: dict = {"id": r["id"], "title": r["title"], "department": r["dept"]["id"]}
        out["code"] = r["code"]
        if r["reports_to"] is not None:
            out["reports_to"] = r["reports_to"]["id"]
        if r["dotted"]:
            out["dotted_line_to"] = [t["id"] for t in r["dotted"]]
        out["headcount"] = r["headcount"]
        out["grade"] = self.pick(GRADES[:5]) if senior else self.pick(GRADES[5:])
        if zh:
            purpose = f"保障{self.pick(objs)}工作高效、有序开展。"
        else:
            purpose = f"Keeps {self.pick(objs)} running efficiently."
        out["purpose"] = self.hostilize(purpose)
        out["responsibilities"] = self.duty_list(objs, 5, 25, groups=0.3)
        if self.chance(0.75):
            out["authority"] = self.auth_list(objs)
        else:  # every role states its authority (ISO 9001 5.3); no random draw, so the rest stays the same
            out["authority"] = [(AUTH_TPL_ZH if zh else AUTH_TPL_EN)[1].format(o=objs[0])]
        out["qualifications"] = self.qualifications(senior)
        if self.chance(0.7):
            out["kpis"] = self.kpi_list(objs)
        if self.chance(0.6):
            internal = []
            if r["reports_to"] is not None:
                internal.append(r["reports_to"]["dept"]["name"])
            internal.append(self.pick(self._all_dept_names))
            rel = {"internal": internal}
            if self.chance(0.7):
                rel["external"] = self.rng.sample(EXT_REL_ZH if zh else EXT_REL_EN, 1 + int(self.rng.random() * 3))
            out["relations"] = rel
        if self.chance(0.5):
            out["work_environment"] = self.pick(ENV_ZH if zh else ENV_EN)
        if self.chance(0.05):
            out["extra"] = {"legacy_code": f"OLD-{self.rng.randrange(10000):04d}", "remote": self.chance(0.5)}
        return out

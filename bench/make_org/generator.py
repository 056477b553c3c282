"""The generator: builds the whole data set, file by file, from (N, seed, options).

``Gen`` puts the parts together: the department tree and its roles (``organisation``),
the people and processes (``people_processes``), the company record with its controlled
document header and revision history (here), and the files of the data folder
(docs/data-format.md): ``company.yaml``, one ``dept-NNNN.yaml`` per top-level department
subtree (the department, its sub-departments and all their roles), ``people.yaml`` and
``processes.yaml``.  ``build()`` returns them as plain data; ``files`` writes them.
The order of the steps is the order of the random draws: reordering them changes the
output.
"""

from __future__ import annotations

import datetime as dt

from bench.make_org.hostile import HOSTILE_FRAGMENTS, HOSTILE_NAME_FRAGMENTS
from bench.make_org.organisation import Organisation, subtree
from bench.make_org.people_processes import PeopleProcesses
from bench.make_org.vocabulary import COMPANY_EN, COMPANY_ZH, GIVEN_ZH, SURNAMES_ZH


class Gen(Organisation, PeopleProcesses):
    """The synthetic handbook for ``Gen(n, seed, hostile, lang, depth).build()``: file name -> data."""

    def build(self) -> dict:
        n = self.n
        # ---- departments and roles ------------------------------------------
        m = max(1, min(n, round(n / 8)))
        root, tops, order = self._department_tree(m)
        roles = self._roles(order, root, m)
        ceo = root["roles"][0]

        # ---- people ----------------------------------------------------------
        people = self._make_people(order, roles, ceo)

        # ---- processes -------------------------------------------------------
        processes = self._make_processes(order, roles, root)
        self._cover_performers(roles, people, processes)

        # ---- emit ------------------------------------------------------------
        files: dict[str, dict] = {}
        files["company.yaml"] = {"company": self._company(order)}
        for i, t in enumerate(tops):
            sub = subtree(t)
            files[f"dept-{i + 1:04d}.yaml"] = {
                "departments": [self._emit_dept(d, si) for si, d in enumerate(sub)],
                "roles": [self._emit_role(r) for d in sub for r in d["roles"]],
            }
        files["people.yaml"] = {"people": people}
        files["processes.yaml"] = {"processes": processes}
        self.stats = {
            "files": len(files),
            "departments": len(order),
            "roles": len(roles),
            "people": len(people),
            "processes": len(processes),
        }
        return files

    def _company(self, order) -> dict:
        zh = self.zh
        rng = self.rng
        # The texts below (and "generator" in extra) still name bench/make_org.py, the script
        # this package was: the same arguments keep giving the same bytes.
        if zh:
            name, short, en = self.pick(COMPANY_ZH)
            comp: dict = {"name": {"zh_CN": name, "en": en}, "short_name": short}
            desc = "一家从事研发、生产与销售的综合性企业（本数据由 bench/make_org.py 合成）。"
        else:
            name, short = self.pick(COMPANY_EN)
            comp = {"name": name, "short_name": short}
            desc = "A diversified manufacturer (synthetic data from bench/make_org.py)."
        if self.hostile:
            # Guarantee every adversarial fragment appears at least once.
            desc = desc + "\n" + " ".join(HOSTILE_FRAGMENTS + HOSTILE_NAME_FRAGMENTS)
        comp["description"] = desc
        effective = dt.date(2024, 1, 1) + dt.timedelta(days=int(rng.random() * 300))

        def people_pick():
            return self.person_name() if not zh else self.pick(SURNAMES_ZH) + self.pick(GIVEN_ZH) + self.pick(GIVEN_ZH)

        hist = []
        revs = ["A/0", "A/1", "B/0", "B/1", "C/0", "C/1"]
        nh = 3 + int(rng.random() * 3)
        day = dt.date(2018, 3, 1)
        for i in range(nh):
            day = day + dt.timedelta(days=200 + int(rng.random() * 300))
            if i == nh - 1:
                day = effective
            summary = (
                (
                    "首次发布"
                    if i == 0
                    else self.pick(
                        ["调整部门设置", "更新岗位职责", "新增工作流程", "修订考核指标", "机构改革后全面修订"]
                    )
                )
                if zh
                else (
                    "First issue"
                    if i == 0
                    else self.pick(
                        [
                            "Department changes",
                            "Updated responsibilities",
                            "New processes",
                            "Revised KPIs",
                            "Full revision after reorganisation",
                        ]
                    )
                )
            )
            hist.append(
                {
                    "revision": revs[i],
                    "date": day,
                    "author": people_pick(),
                    "approved_by": people_pick(),
                    "summary": self.hostilize(summary, p=0.5),
                }
            )
        doc = {
            "number": "QM-ORG-001",
            "title": "组织机构与岗位职责手册" if zh else "Organisation and Job Descriptions Manual",
            "revision": revs[nh - 1],
            "status": "受控" if zh else "controlled",
            "effective": effective,
            "review_due": effective.replace(year=effective.year + 3),  # not overdue when the benchmarks build
            "prepared_by": {
                "name": people_pick(),
                "title": "人力资源部经理" if zh else "HR Manager",
                "date": effective - dt.timedelta(days=20),
            },
            "reviewed_by": {
                "name": people_pick(),
                "title": "管理者代表" if zh else "Management Representative",
                "date": effective - dt.timedelta(days=10),
            },
            "approved_by": {
                "name": people_pick(),
                "title": "总经理" if zh else "CEO",
                "date": effective - dt.timedelta(days=5),
            },
            "distribution": [d["name"] for d in order if d["parent"] is None][:12],
            "history": hist,
        }
        comp["document"] = doc
        comp["extra"] = {"generator": "bench/make_org.py", "roles": self.n, "seed": self.seed}
        return comp

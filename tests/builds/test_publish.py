"""The HTML build publishes handbook.json and the JSON Schema beside the site."""

from __future__ import annotations

import json


def test_the_site_publishes_handbook_json_and_the_schema(site):
    app = site("basic")
    d = json.loads((app.outdir / "handbook.json").read_text(encoding="utf-8"))
    assert d["schema_version"] == 1
    assert d["roles"] and d["people"]
    for kind in ("departments", "roles", "processes"):
        for obj in d[kind]:
            assert (app.outdir / obj["url"]).is_file(), obj["url"]  # every page URL is a page of the site
    assert any(r.get("holders") for r in d["roles"])
    # one line per object: a diff of two revisions' files names the objects that changed
    lines = (app.outdir / "handbook.json").read_text(encoding="utf-8").splitlines()
    for kind in ("departments", "roles", "processes", "people"):
        for obj in d[kind]:
            line = json.dumps(obj, ensure_ascii=False)
            assert f"    {line}," in lines or f"    {line}" in lines, obj
    schema = json.loads((app.outdir / "handbook.schema.json").read_text(encoding="utf-8"))
    assert schema["$defs"]["role"]["additionalProperties"] is False


def test_no_names_without_people_and_none_when_turned_off(site):
    app = site("basic", handbook_show_people=False)
    text = (app.outdir / "handbook.json").read_text(encoding="utf-8")
    d = json.loads(text)
    assert "people" not in d and all("holders" not in r for r in d["roles"])
    assert "王小明" not in text and "李四" not in text  # (approvers of the document stay, as on the site)
    assert all(r["staffing"]["filled"] >= 0 for r in d["roles"])  # the counts stay
    app = site("basic", handbook_publish_json=False)
    assert not (app.outdir / "handbook.json").exists()
    assert (app.outdir / "handbook.schema.json").exists()

"""Publishing the data beside the HTML site: ``handbook.json`` and ``handbook.schema.json``.

At ``build-finished`` of an HTML build the site gets ``handbook.json`` (every object with
its derived relations and page URLs, :func:`handbook.export.json_data`; without people's
names when ``handbook_show_people = False``; none when ``handbook_publish_json = False``)
and ``handbook.schema.json`` (the JSON Schema of a data file, which the
``# yaml-language-server: $schema=`` line of the data files points to). A file is only
rewritten when its text changes.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx

from handbook.exchange.exporting import dumps_json
from handbook.exchange.json_schema import dumps as schema_text
from handbook.files import write_if_changed

JSON_NAME = "handbook.json"
SCHEMA_NAME = "handbook.schema.json"


def publish(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html" or app.builder.name == "handbookpdf":
        return
    out = Path(app.outdir)
    write_if_changed(out / SCHEMA_NAME, schema_text())
    target = out / JSON_NAME
    domain = app.env.domains["org"]
    if domain.data_unchanged and app.config.handbook_publish_json and target.exists():
        return  # the same data and settings: the file is current (its links are the pages' addresses)
    handbook = domain.handbook  # type: ignore[attr-defined]
    if not app.config.handbook_publish_json or handbook is None:
        if target.exists():
            target.unlink()  # turned off: do not leave an old copy with names in it
        return
    write_if_changed(
        target,
        dumps_json(
            handbook,
            show_people=app.config.handbook_show_people,
            url=lambda docname: app.builder.get_target_uri(docname),
        ),
    )


def setup_publish(app: Sphinx) -> None:
    app.connect("build-finished", publish)

"""`handbook serve` serves the site and nothing else; `handbook pdf --role` takes role ids only (issue 28)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from handbook.cli import main


@pytest.fixture
def served(tmp_path):
    site = tmp_path / "site"
    (site / "_static").mkdir(parents=True)
    (site / "index.html").write_text("<p>home</p>", encoding="utf-8")
    (site / "_static" / "app.js").write_text("ok()", encoding="utf-8")
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "key.txt").write_text("SECRET", encoding="utf-8")
    (site / "out").symlink_to(secret)  # a link out of the site
    (site / "passwd.html").symlink_to(secret / "key.txt")
    (site / "inside.html").symlink_to(site / "index.html")  # a link within it is fine
    proc = subprocess.Popen(
        [sys.executable, "-m", "handbook", "serve", str(site), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = proc.stdout.readline()
        url = re.search(r"(http://127\.0\.0\.1:\d+/)", line).group(1)
        yield url
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=30)


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, ""


def test_serve_lists_no_folder_and_follows_no_link_out_of_the_site(served):
    assert _get(served) == (200, "<p>home</p>")
    assert _get(served + "_static/app.js") == (200, "ok()")
    assert _get(served + "inside.html") == (200, "<p>home</p>")
    assert _get(served + "_static/")[0] == 404  # no listing
    assert _get(served + "out/key.txt")[0] == 404
    assert _get(served + "passwd.html")[0] == 404
    assert _get(served + "out/")[0] == 404
    assert _get(served + "../secret/key.txt")[0] == 404


@pytest.mark.parametrize("role", ["../../x/evil", "Bad Id", "a/b"])
def test_pdf_role_that_is_no_id_exits_2_before_building(role, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    started = time.monotonic()
    assert main(["pdf", "--role", role]) == 2
    err = capsys.readouterr().err
    assert err == (
        f"handbook pdf: --role {role!r} is not a role id (ids are lower-case letters, digits, - and _, "
        "e.g. --role general-manager)\n"
    )
    assert time.monotonic() - started < 5 and not os.listdir(tmp_path)  # nothing built

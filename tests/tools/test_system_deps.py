"""scripts/install-system-deps.sh: installs only what is missing.

Run with stand-ins for the system's commands (fc-list, ldconfig, chromium, pdftotext,
apt-get, id) on the PATH, so the test does not depend on what this machine has and
never installs anything. The stand-in fc-list writes its match first and then a long
list, as on a machine with many fonts: `fc-list | grep -q` stopped reading at the match,
fc-list died of SIGPIPE, and under `pipefail` the fonts counted as missing on every run.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "install-system-deps.sh"
MANY_FONTS = (
    'echo "Noto Sans CJK SC,Noto Sans CJK SC Regular"\nfor i in $(seq 1 20000); do echo "DejaVu Sans $i"; done\n'
)


def stand_ins(tmp_path: Path, present: set[str]) -> tuple[Path, Path]:
    """A bin folder with the commands; apt-get and sudo log their arguments and fail (no network)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "apt.log"
    scripts = {
        "id": "echo 0",
        "apt-get": f'echo "apt-get $*" >> {log}\nexit 1',
        "fc-list": MANY_FONTS if "fonts" in present else 'for i in $(seq 1 20000); do echo "DejaVu Sans $i"; done',
        "ldconfig": (
            'echo "\tlibpangoft2-1.0.so.0 (libc6,x86-64) => /usr/lib/libpangoft2-1.0.so.0"\n'
            'for i in $(seq 1 20000); do echo "\tlibx$i.so"; done'
        )
        if "pango" in present
        else "exit 0",
        "chromium": "exit 0",
        "pdftotext": "exit 0",
        "seq": f'exec {shutil.which("seq")} "$@"',
    }
    for name, body in scripts.items():
        if name in ("chromium", "pdftotext") and name not in present:
            continue
        path = bin_dir / name
        path.write_text("#!" + shutil.which("bash") + "\n" + body + "\n")
        path.chmod(0o755)
    return bin_dir, log


def run(bin_dir: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [shutil.which("bash"), str(SCRIPT)], env={"PATH": str(bin_dir)}, capture_output=True, text=True, timeout=120
    )


def test_nothing_is_installed_when_everything_is_there(tmp_path):
    bin_dir, log = stand_ins(tmp_path, {"fonts", "pango", "chromium", "pdftotext"})
    proc = run(bin_dir)
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "", "")
    assert not log.exists()  # apt-get never ran: no root or network needed


@pytest.mark.parametrize(
    "present, packages",
    [
        ({"pango", "chromium", "pdftotext"}, "fonts-noto-cjk"),
        ({"fonts", "chromium", "pdftotext"}, "libpango-1.0-0 libpangoft2-1.0-0"),
        ({"fonts", "pango", "pdftotext"}, "chromium"),
        ({"fonts", "pango", "chromium"}, "poppler-utils"),
    ],
)
def test_only_what_is_missing_is_installed(tmp_path, present, packages):
    bin_dir, log = stand_ins(tmp_path, present)
    proc = run(bin_dir)
    assert proc.returncode == 1  # the stand-in apt-get fails, as without a network
    assert proc.stdout == f"Installing system packages: {packages}\n"
    assert log.read_text().splitlines() == ["apt-get update -qq"]

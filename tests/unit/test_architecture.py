"""The package's layout holds: the pure layers import no Sphinx, imports flow one way, modules stay small.

The pure packages are imported in a fresh interpreter in which ``sphinx`` and
``docutils`` cannot be imported: any import of either, direct or through another
module, fails the test with the chain that pulled it in.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "handbook"

#: the vocabulary modules at the top of the package and the pure packages (every module in them)
PURE_TOP = ("model", "schema", "problems", "status", "errors", "i18n", "pages", "view", "files")
PURE_PACKAGES = ("validate", "exchange", "audit", "charts")
#: the search's pure modules (its Sphinx side: chinese, passages, data_files, sphinx_, language_check)
PURE_SEARCH = ("keys", "postings", "index", "suggestions")
#: no module grows past one job: beyond this many lines it becomes a package of parts
MAX_LINES = 600


def modules_in(package: str) -> list[str]:
    folder = PACKAGE / package
    return sorted(
        "handbook." + ".".join(p.relative_to(PACKAGE).with_suffix("").parts).removesuffix(".__init__")
        for p in folder.rglob("*.py")
    )


def pure_modules() -> list[str]:
    names = [f"handbook.{m}" for m in PURE_TOP]
    for package in PURE_PACKAGES:
        names += modules_in(package)
    return names + [f"handbook.search.{m}" for m in PURE_SEARCH]


def all_modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts).removesuffix(".__init__")
        out[name] = path
    return out


BLOCKER = """
import importlib, sys, traceback
class Blocker:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("sphinx", "docutils"):
            raise ImportError(f"{name} imported by a pure module")
        return None
sys.meta_path.insert(0, Blocker())
failed = []
for name in sys.argv[1:]:
    try:
        importlib.import_module(name)
    except ImportError as exc:
        failed.append(f"{name}: {exc} <- " + " <- ".join(
            f.filename.split("handbook/", 1)[-1] for f in reversed(traceback.extract_tb(exc.__traceback__))
            if "/handbook/" in f.filename))
print("\\n".join(failed))
sys.exit(1 if failed else 0)
"""


def test_the_pure_packages_import_without_sphinx_or_docutils():
    names = pure_modules()
    assert "handbook.validate.pipeline" in names and "handbook.charts.svg" in names
    run = subprocess.run([sys.executable, "-c", BLOCKER, *names], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stdout + run.stderr


def test_the_blocker_catches_a_sphinx_import():
    """The check above can fail: a Sphinx-side module is refused the same way."""
    run = subprocess.run(
        [sys.executable, "-c", BLOCKER, "handbook.site.domain"], capture_output=True, text=True, cwd=ROOT
    )
    assert run.returncode == 1
    assert "handbook.site.domain: " in run.stdout and "imported by a pure module" in run.stdout


def _imports(path: Path, module: str, top_level_only: bool) -> set[str]:
    """The handbook modules ``module`` imports (``top_level_only``: not those inside functions)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    found: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 and node.module.startswith("handbook"):
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("handbook"))
    return found


def test_imports_are_absolute():
    relative = []
    for _name, path in all_modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level:
                relative.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert relative == []


def test_no_import_cycles():
    """Module-level imports between handbook's modules form no cycle."""
    modules = all_modules()
    graph = {
        name: {m for m in _imports(path, name, top_level_only=True) if m in modules and m != name}
        for name, path in modules.items()
    }
    # a package's __init__ re-exporting its parts is not a cycle with those parts
    for name in graph:
        graph[name] = {m for m in graph[name] if not (name.startswith(m + ".") and modules[m].name == "__init__.py")}
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append([*stack[stack.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt, stack)
        stack.pop()
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [])
    assert cycles == []


@pytest.mark.parametrize("folder", ["handbook"])
def test_no_module_is_over_the_size_of_one_job(folder):
    too_long = {
        str(p.relative_to(ROOT)): n
        for p in (ROOT / folder).rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert too_long == {}

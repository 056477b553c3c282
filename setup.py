"""The wheel and the sdist carry Mermaid and its ELK layout, copied from ``node_modules``
(``npm ci``) by ``scripts/vendor_js.py`` into ``handbook/charts/vendor/`` of the build, not of
the clone (the files are not in git). An sdist carries the copy, so a wheel built from it
needs no ``node_modules``. Everything else is in pyproject.toml."""

import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.command.sdist import sdist

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "scripts"))

import vendor_js  # noqa: E402


def vendor_into(package_root: Path) -> None:
    """Copy the JavaScript into ``package_root/handbook/charts/vendor`` (from an sdist's
    copy when there is no node_modules)."""
    dest = package_root / vendor_js.PACKAGE_DIR
    node_modules = vendor_js.find_node_modules(ROOT)
    shipped = ROOT / vendor_js.PACKAGE_DIR
    if node_modules is not None:
        vendor_js.vendor(node_modules, dest)
    elif (shipped / "mermaid" / "dist" / "mermaid.esm.min.mjs").is_file():  # building from an sdist
        if shipped.resolve() != dest.resolve():
            import shutil

            shutil.copytree(shipped, dest, dirs_exist_ok=True)
    else:
        raise SystemExit(
            "handbook: node_modules/mermaid is missing, and the package must carry Mermaid: "
            "run `npm ci` in the clone (or set HANDBOOK_NODE_MODULES) before building the wheel"
        )


class BuildPy(build_py):
    def run(self) -> None:
        super().run()
        if not getattr(self, "editable_mode", False):  # an editable install finds the clone's node_modules
            vendor_into(Path(self.build_lib))


class Sdist(sdist):
    def make_release_tree(self, base_dir, files) -> None:
        super().make_release_tree(base_dir, files)
        vendor_into(Path(base_dir))


setup(cmdclass={"build_py": BuildPy, "sdist": Sdist})

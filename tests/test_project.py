"""What the package declares and ships: dependencies, version, typing marker, licence."""
import ast
import re
import sys
from importlib import metadata, resources
from pathlib import Path

import framing

from conftest import REPO

# Import name -> distribution name, where they differ.
_DISTRIBUTIONS = {"sklearn": "scikit-learn"}


def _imported_top_level_names(package_dir: Path) -> set:
    names = set()
    for path in package_dir.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return names - set(sys.stdlib_module_names) - {"framing", "__future__"}


def test_every_imported_package_is_declared():
    declared = {re.split(r"[\s\[<>=!;~]", requirement, maxsplit=1)[0].lower()
                for requirement in metadata.requires("framing") or []}
    package_dir = Path(framing.__file__).parent
    missing = {name for name in _imported_top_level_names(package_dir)
               if _DISTRIBUTIONS.get(name, name).lower() not in declared}
    assert not missing, f"imported but not declared in pyproject.toml: {sorted(missing)}"


def test_the_version_is_written_in_one_place():
    assert metadata.version("framing") == framing.__version__
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert not re.search(r'^version\s*=\s*"', pyproject, flags=re.M)  # no literal version there
    assert 'version = { attr = "framing.__version__" }' in pyproject


def test_typing_marker_and_model_are_shipped():
    files = resources.files("framing")
    assert files.joinpath("py.typed").is_file()
    assert files.joinpath("models", "framing.npz").is_file() and files.joinpath("models", "framing.json").is_file()


def test_licence_and_citation():
    assert metadata.metadata("framing")["License"] == "MIT"
    assert (REPO / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    citation = (REPO / "CITATION.cff").read_text(encoding="utf-8")
    assert "cff-version:" in citation and "license: MIT" in citation
    assert f"## {framing.__version__}" in (REPO / "CHANGELOG.md").read_text(encoding="utf-8")

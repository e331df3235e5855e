"""The declared dependencies: what runs the site is in `dependencies`, what only tests use is in [dev]."""
import ast
import re
import tomllib
from pathlib import Path

import renkei

ROOT = Path(renkei.__file__).parent
PROJECT = tomllib.loads((ROOT.parent / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def _names(requirements):
    return {req.split(">")[0].split("<")[0].split("=")[0].split("[")[0].strip().lower() for req in requirements}


def test_fhir_resources_is_a_test_dependency_only():
    assert "fhir.resources" not in _names(PROJECT["dependencies"])
    assert "fhir.resources" in _names(PROJECT["optional-dependencies"]["dev"])


def test_no_module_of_the_site_imports_fhir_resources():
    importers = []
    for path in ROOT.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            absolute = isinstance(node, ast.ImportFrom) and node.level == 0  # not "from .fhir import ..."
            modules = [node.module or ""] if absolute else (
                [alias.name for alias in node.names] if isinstance(node, ast.Import) else [])
            if any(module.split(".")[0] == "fhir" for module in modules):
                importers.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert importers == []


def test_the_lock_files_pin_every_declared_dependency_with_hashes():
    for lock, groups in (("requirements.lock", ["dependencies"]), ("requirements-dev.lock", ["dependencies", "dev"])):
        text = (ROOT.parent / lock).read_text(encoding="utf-8").lower()
        wanted = _names(PROJECT["dependencies"]) | (
            _names(PROJECT["optional-dependencies"]["dev"]) if "dev" in groups else set())
        for name in wanted:
            assert f"\n{re.sub(r'[-_.]+', '-', name)}==" in text, (lock, name)
        assert "--hash=sha256:" in text

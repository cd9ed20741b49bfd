"""The domain stays pure: no web framework and no database in corep_drafts/domain."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import corep_drafts.domain

DOMAIN = Path(corep_drafts.domain.__file__).resolve().parent
TEXT_ENGINE_MAY_IMPORT = {"diff_match_patch", "fast_diff_match_patch", "markupsafe", "corep_drafts"}


def imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def test_no_domain_module_imports_flask_or_sqlalchemy():
    modules = sorted(DOMAIN.rglob("*.py"))
    assert DOMAIN / "text" / "merging.py" in modules
    offenders = {
        str(path.relative_to(DOMAIN)): sorted(
            root
            for root in imported_roots(path)
            if root in {"flask", "sqlalchemy"} or root.startswith(("flask_", "sqlalchemy_"))
        )
        for path in modules
    }
    assert {path: roots for path, roots in offenders.items() if roots} == {}


def test_the_text_engine_imports_only_the_standard_library_and_its_three_libraries():
    for path in sorted((DOMAIN / "text").rglob("*.py")):
        foreign = imported_roots(path) - set(sys.stdlib_module_names) - TEXT_ENGINE_MAY_IMPORT
        assert not foreign, f"{path.name} imports {sorted(foreign)}"

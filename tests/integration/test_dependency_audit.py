"""`make audit`'s verdict on pip-audit's report: a known vulnerability fails, an accepted one
(with its reason) passes, and packages it could not ask about are NOT a pass."""

import importlib.util
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / ".ci" / "audit_dependencies.py"


@pytest.fixture(scope="module")
def audit():
    spec = importlib.util.spec_from_file_location("audit_dependencies", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


VULNERABLE = {"name": "flask", "version": "0.1", "vulns": [{"id": "PYSEC-1", "aliases": []}]}
CLEAN = {"name": "markupsafe", "version": "3.0.4", "vulns": []}
SKIPPED = {"name": "nh3", "skip_reason": "Dependency not found on PyPI and could not be audited"}


def test_a_known_vulnerability_fails_the_audit(audit, capsys):
    assert audit.judge({"dependencies": [CLEAN, VULNERABLE]}, []) == 1
    assert "VULNERABLE flask 0.1: PYSEC-1" in capsys.readouterr().out


def test_a_clean_report_passes(audit):
    assert audit.judge({"dependencies": [CLEAN]}, []) == 0


def test_packages_that_could_not_be_audited_are_not_a_pass(audit, capsys, monkeypatch):
    monkeypatch.delenv("COREP_AUDIT_UNREACHABLE", raising=False)
    assert audit.judge({"dependencies": [CLEAN, SKIPPED]}, []) == 2
    assert "NOT AUDITED" in capsys.readouterr().out
    monkeypatch.setenv("COREP_AUDIT_UNREACHABLE", "warn")
    assert audit.judge({"dependencies": [CLEAN, SKIPPED]}, []) == 0
    assert "WITHOUT the dependency audit" in capsys.readouterr().out


def test_an_accepted_exception_needs_its_reason(audit, tmp_path):
    accepted = tmp_path / "accepted.txt"
    accepted.write_text("# comment\n\nPYSEC-1  # not reachable from our code, 2026-11-29, lead\n")
    assert audit.accepted_ids(accepted) == ["PYSEC-1"]
    accepted.write_text("GHSA-aaaa-bbbb-cccc\n")
    with pytest.raises(SystemExit, match="reason"):
        audit.accepted_ids(accepted)


def test_the_shipped_list_of_accepted_exceptions_is_well_formed(audit):
    assert isinstance(audit.accepted_ids(), list)

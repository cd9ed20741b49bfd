"""pip-audit of the installed environment (every pinned dependency and what they pull in), with
the accepted exceptions of .ci/pip-audit-accepted.txt. Run by `make audit`.

Exit 0: every package audited, no known vulnerability left but the accepted ones.
Exit 1: a known vulnerability (listed), or a malformed accepted-exceptions file.
Exit 2: NOT AUDITED: the vulnerability service could not be asked about some packages (no
        network, or a mirror without PyPI's per-version JSON API). This is not a pass. On a
        machine that cannot reach the service, COREP_AUDIT_UNREACHABLE=warn turns it into a
        warning (exit 0) so the rest of CI runs; the warning says what was not audited.
"""

from __future__ import annotations

import json
import os
import re
import subprocess  # nosec B404  # runs pip-audit from this venv, fixed arguments, no shell
import sys
from pathlib import Path

ACCEPTED = Path(__file__).with_name("pip-audit-accepted.txt")
# One accepted vulnerability a line: its id, then `# reason, date, who`.
ACCEPTED_LINE = re.compile(r"^(?P<id>[A-Za-z0-9][A-Za-z0-9_.:-]*)\s+#\s*(?P<why>\S.*)$")
TIMEOUT_SECONDS = 120


def accepted_ids(path: Path = ACCEPTED) -> list[str]:
    ids = []
    for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        match = ACCEPTED_LINE.match(line)
        if not match:
            sys.exit(
                f"{path}:{number}: write `ID  # reason, date, who` "
                "(an exception without its reason is not accepted)"
            )
        ids.append(match["id"])
    return ids


def main() -> int:
    accepted = accepted_ids()
    command = [
        str(Path(sys.executable).with_name("pip-audit")),
        "--skip-editable",  # corep-drafts itself is not on PyPI
        "--progress-spinner=off",
        "--format=json",
        f"--timeout={30}",
        *(f"--ignore-vuln={vulnerability}" for vulnerability in accepted),
    ]
    try:
        finished = subprocess.run(  # nosec B603  # fixed arguments, no shell
            command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False
        )
    except subprocess.TimeoutExpired:
        return not_audited(f"pip-audit took longer than {TIMEOUT_SECONDS} s")
    try:
        report = json.loads(finished.stdout)
    except json.JSONDecodeError:
        lines = [line for line in finished.stderr.splitlines() if line.strip()]
        return not_audited(lines[-1] if lines else f"pip-audit exited {finished.returncode}")
    return judge(report, accepted)


def judge(report: dict, accepted: list[str]) -> int:
    """The exit code for pip-audit's JSON report, printing why."""
    audited = [d for d in report["dependencies"] if "skip_reason" not in d]
    skipped = [d for d in report["dependencies"] if "skip_reason" in d]
    vulnerable = [d for d in audited if d.get("vulns")]
    for dependency in vulnerable:
        for vulnerability in dependency["vulns"]:
            fixed = ", ".join(vulnerability.get("fix_versions") or []) or "no fixed version"
            print(
                f"VULNERABLE {dependency['name']} {dependency['version']}: {vulnerability['id']} "
                f"({', '.join(vulnerability.get('aliases') or [])}; fixed in {fixed})"
            )
    if vulnerable:
        print(
            f"pip-audit: {len(vulnerable)} package(s) with a known vulnerability. Upgrade the pin "
            f"in setup.cfg, or accept it in {ACCEPTED.name} as `ID  # reason, date, who`."
        )
        return 1
    if skipped:
        names = ", ".join(f"{d['name']}" for d in skipped[:8]) + (
            " ..." if len(skipped) > 8 else ""
        )
        return not_audited(
            f"{len(skipped)} of {len(skipped) + len(audited)} packages could not be audited "
            f"({names}): {skipped[0]['skip_reason']}"
        )
    print(
        f"pip-audit: {len(audited)} packages audited, no known vulnerability "
        f"({len(accepted)} accepted in {ACCEPTED.name})."
    )
    return 0


def not_audited(why: str) -> int:
    print(f"pip-audit: NOT AUDITED: {why}")
    print(
        "  The vulnerability service (PyPI's JSON API per version, https://pypi.org/pypi/NAME/"
        "VERSION/json) did not answer for these packages; nothing is known about them."
    )
    if os.environ.get("COREP_AUDIT_UNREACHABLE") == "warn":
        print("  COREP_AUDIT_UNREACHABLE=warn: going on WITHOUT the dependency audit.")
        return 0
    print("  Run it where PyPI answers, or set COREP_AUDIT_UNREACHABLE=warn to go on without it.")
    return 2


if __name__ == "__main__":
    sys.exit(main())

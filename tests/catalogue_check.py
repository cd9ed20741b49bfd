"""What is wrong with a translation catalogue: untranslated or fuzzy entries, placeholders that
differ from the msgid, missing plural forms, entries the template does not have.

    python tests/catalogue_check.py tr        # one language, against messages.pot
    python tests/catalogue_check.py            # every language

Exit 0 when every catalogue is complete; the tests use :func:`problems` directly.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "corep_drafts" / "translations"
LANGUAGES = ("en", "es", "de", "fr", "tr", "eo")

_PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|%[sd]")


def placeholders(text: str) -> set[str]:
    return {match.group(0) for match in _PLACEHOLDER.finditer(text)}


def _read(path: Path, locale: str | None = None):
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def template_ids() -> set:
    return {
        message.id if isinstance(message.id, str) else tuple(message.id)
        for message in _read(TRANSLATIONS / "messages.pot")
        if message.id
    }


def problems(language: str) -> list[str]:
    """Everything that keeps the catalogue of ``language`` from being complete and correct."""
    path = TRANSLATIONS / language / "LC_MESSAGES" / "messages.po"
    if not path.exists():
        return [f"{path} is missing"]
    catalog = _read(path, language)
    found: list[str] = []
    wanted = template_ids()
    present = set()
    for message in catalog:
        if not message.id:
            continue
        key = message.id if isinstance(message.id, str) else tuple(message.id)
        present.add(key)
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        label = repr(ids[0])[:90]
        if message.fuzzy:
            found.append(f"{language}: fuzzy: {label}")
        if not all(s.strip() for s in strings):
            found.append(f"{language}: untranslated: {label}")
            continue
        if len(ids) == 2 and len(strings) != catalog.num_plurals:
            found.append(
                f"{language}: {len(strings)} plural forms, {catalog.num_plurals} wanted: {label}"
            )
        known = placeholders(ids[0]) | placeholders(ids[-1])
        for index, string in enumerate(strings):
            # Each form needs the placeholders of its English form; a singular may name its
            # number in words ("one amendment") and drop %(num)d.
            english = ids[0] if index == 0 else ids[-1]
            missing = (
                placeholders(english)
                - placeholders(string)
                - ({"%(num)d"} if index == 0 and len(ids) == 2 else set())
            )
            extra = placeholders(string) - known
            if missing or extra:
                found.append(
                    f"{language}: placeholders {sorted(missing)} missing, {sorted(extra)} "
                    f"unknown in {string!r:.90}"
                )
        if language == "en" and strings[0] != ids[0]:
            found.append(f"en: msgstr differs from msgid: {label}")
    for key in sorted(wanted - present, key=str):
        found.append(f"{language}: not in the catalogue: {str(key)[:90]!r}")
    for key in sorted(present - wanted, key=str):
        found.append(f"{language}: not in the template any more (obsolete): {str(key)[:90]!r}")
    return found


def fill_english() -> None:
    """The English catalogue says what the msgids say (they are written in English)."""
    from babel.messages.pofile import write_po

    path = TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po"
    catalog = _read(path, "en")
    for message in catalog:
        if message.id:
            message.string = message.id if isinstance(message.id, str) else tuple(message.id)
            message.flags.discard("fuzzy")
    with path.open("wb") as handle:
        write_po(handle, catalog, width=100, omit_header=False)


def main(argv: list[str]) -> int:
    if argv == ["--fill-english"]:
        fill_english()
        return 0
    languages = argv or list(LANGUAGES)
    all_problems = [problem for language in languages for problem in problems(language)]
    for problem in all_problems:
        print(problem)
    print(f"{len(all_problems)} problem(s) in {', '.join(languages)}")
    return 1 if all_problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

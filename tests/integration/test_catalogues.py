"""The six catalogues are complete, and every string a person reads is marked for translation."""

import ast
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from catalogue_check import LANGUAGES, TRANSLATIONS, problems

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_catalogue_translates_every_message_without_fuzzy_entries(language):
    assert problems(language) == []


def test_the_catalogue_template_holds_exactly_the_messages_the_code_marks(tmp_path):
    """A string marked since the last `make translations` (or one no longer used) fails here."""
    extracted = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from babel.messages.frontend import main; sys.exit(main())",
            "extract",
            "--mapping",
            str(ROOT / "babel.cfg"),
            "--keywords",
            "_l",
            "--keywords",
            "lazy_pgettext:1c,2",
            "--output",
            str(extracted),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )

    def ids(path):
        with path.open("rb") as handle:
            return {
                (m.context, m.id if isinstance(m.id, str) else tuple(m.id))
                for m in read_po(handle)
                if m.id
            }

    code, template = ids(extracted), ids(TRANSLATIONS / "messages.pot")
    assert code - template == set(), (
        "marked in the code, missing from messages.pot: run make translations"
    )
    assert template - code == set(), "in messages.pot, no longer in the code: run make translations"


# --- templates ----------------------------------------------------------------------------------

_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
_BLOCK_WITH_CLASSES = re.compile(r"\{%\s*block main_class\s*%\}.*?\{%\s*endblock\s*%\}", re.S)
_READ_ATTRIBUTES = {"title", "alt", "placeholder", "aria-label", "label", "aria-description"}
# What may stand in a template untranslated: the product's name and its brand mark.
_ALLOWED = {"corep", "drafts", "sha"}
_EXAMPLES = re.compile(r"^[a-z]{2}(-[A-Z]{2})?(, [a-z]{2}(-[A-Z]{2})?)*$")  # "ar, he, pt-BR": codes


class _Unmarked(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        self.hidden += tag in ("script", "style")
        for name, value in attrs:
            if name in _READ_ATTRIBUTES and value and not _EXAMPLES.match(value.strip()):
                self._check(value)

    def handle_endtag(self, tag):
        self.hidden -= tag in ("script", "style")

    def handle_data(self, data):
        if not self.hidden:
            self._check(data)

    def _check(self, text):
        words = [
            w
            for w in re.findall(r"[^\W\d_]{2,}", text.replace("\u2063", " "))
            if w.lower() not in _ALLOWED
        ]
        if words:
            self.found.append((self.getpos()[0], " ".join(words)))


def unmarked_in_template(source: str) -> list[tuple[int, str]]:
    """Words a template shows that no `_()` call produces."""
    source = _BLOCK_WITH_CLASSES.sub("", source)
    source = _JINJA.sub(
        lambda m: "\u2063" if m.group().startswith("{{") else "\n" * m.group().count("\n"), source
    )
    parser = _Unmarked()
    parser.feed(source)
    return parser.found


def test_no_template_shows_a_word_that_is_not_marked_for_translation():
    found = {
        str(path.relative_to(ROOT)): unmarked_in_template(path.read_text("utf-8"))
        for path in sorted((ROOT / "templates").rglob("*.html"))
    }
    assert {path: words for path, words in found.items() if words} == {}


def test_the_template_check_finds_an_unmarked_word():
    assert unmarked_in_template('<p title="Hello there">{{ _("Fine") }} Not fine</p>') == [
        (1, "Hello there"),
        (1, "Not fine"),
    ]


# --- Python: flashed messages and refusals ---------------------------------------------------

_REFUSALS = {
    "InvalidInput",
    "NotFound",
    "NotAllowed",
    "StateConflict",
    "ServiceError",
    "MalformedRequest",
    "Unauthenticated",
}


def _literal(node) -> bool:
    return (
        isinstance(node, ast.JoinedStr)
        or (isinstance(node, ast.Constant) and isinstance(node.value, str))
        or (isinstance(node, ast.BinOp) and (_literal(node.left) or _literal(node.right)))
    )


def unmarked_in_python(source: str) -> list[int]:
    """Lines where a flashed message, a refusal or a JSON error is a bare English string."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
        message = node.args[1] if name == "_json_error" and len(node.args) > 1 else node.args[0]
        if name in _REFUSALS | {"flash", "_json_error"} and _literal(message):
            lines.append(node.lineno)
    return lines


def test_no_flashed_message_or_refusal_is_an_unmarked_string():
    found = {
        str(path.relative_to(ROOT)): unmarked_in_python(path.read_text("utf-8"))
        for path in sorted((ROOT / "corep_drafts").rglob("*.py"))
    }
    assert {path: lines for path, lines in found.items() if lines} == {}


def test_the_python_check_finds_an_unmarked_message():
    source = (
        'flash("Saved.")\nflash(_("Saved."))\n'
        'raise InvalidInput(f"No {x}.")\nraise NotFound(_("No."))\n'
    )
    assert unmarked_in_python(source) == [1, 3]

"""Fixtures for the domain tests: the shared corpus of real, public texts."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The corpus folder (``../shared/corpus`` from the repository root)."""
    if not CORPUS.is_dir():
        pytest.skip(f"the shared corpus is not at {CORPUS}")
    return CORPUS


@dataclass(frozen=True)
class VersionHistory:
    """Versions of one document, in order, with the metadata gathered beside them."""

    folder: Path
    meta: dict
    texts: dict[str, str]

    def text(self, name: str) -> str:
        return self.texts[name]

    @property
    def names(self) -> list[str]:
        return list(self.texts)

    def read(self, relative: str) -> str:
        return (self.folder / relative).read_text(encoding="utf-8")


def _history(folder: Path, version_files: list[str]) -> VersionHistory:
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    texts = {name: (folder / name).read_text(encoding="utf-8") for name in version_files}
    return VersionHistory(folder, meta, texts)


@pytest.fixture(scope="session")
def team_mirai(corpus: Path) -> VersionHistory:
    folder = corpus / "team-mirai-policy"
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    return _history(folder, [version["file"] for version in meta["versions"]])


@pytest.fixture(scope="session")
def covenant(corpus: Path) -> VersionHistory:
    folder = corpus / "contributor-covenant"
    files = sorted(path.name for path in (folder / "en-versions").glob("v*.md"))
    return _history(folder, [f"en-versions/{name}" for name in files])


@pytest.fixture(scope="session")
def heilmittelwerbegesetz(corpus: Path) -> VersionHistory:
    folder = corpus / "gesetze-heilmwerbg"
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    return _history(folder, [version["file"] for version in meta["versions"]])


@pytest.fixture(scope="session")
def antragsgruen_motion_002(corpus: Path) -> dict:
    path = corpus / "antragsgruen-testdata" / "motions" / "motion-002.json"
    return json.loads(path.read_text(encoding="utf-8"))

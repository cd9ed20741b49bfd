"""The reading view keeps its passages with their provenance between requests, under the
declaration's audit chain head: an unchanged page is rendered once per worker, and any recorded
change, a section renamed, another language or time zone shows at once."""

import pytest
from corep_testing import adopt_a_declaration

from corep_drafts.services import accounts, declarations, record


@pytest.fixture
def adopted(people):
    declaration, _amendments = adopt_a_declaration(people)
    return declaration


@pytest.fixture
def renders(monkeypatch):
    """How many times the provenance (the costly part of the kept passages) was read."""
    calls = []
    original = record.provenance_by_paragraph

    def counted(*args, **kwargs):
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(record, "provenance_by_paragraph", counted)
    return calls


def passage_three(page: str) -> str:
    return page.split('id="p3"')[1].split('id="p4"')[0]


def test_an_unchanged_reading_view_is_rendered_once_and_served_again_the_same(
    client, auth, adopted, renders
):
    auth.login("member@example.org")
    first = client.get(f"/read/{adopted.id}").get_data(as_text=True)
    second = client.get(f"/read/{adopted.id}").get_data(as_text=True)
    assert len(renders) == 1
    assert passage_three(first) == passage_three(second)
    assert "How this passage came to be" in passage_three(second)


def test_a_recorded_change_renders_the_passages_again(client, auth, people, adopted, renders):
    auth.login("member@example.org")
    client.get(f"/read/{adopted.id}")
    declarations.transition(people["executive"], adopted.id, "published")
    page = client.get(f"/read/{adopted.id}").get_data(as_text=True)
    assert len(renders) == 2
    assert "Permalink:" in page  # shown once published


def test_a_renamed_section_shows_in_the_provenance_at_once(client, auth, sections, adopted):
    auth.login("member@example.org")
    assert "proposed by Argentina" in passage_three(client.get(f"/read/{adopted.id}").text)
    argentina = sections["A"]
    accounts.update_section(argentina.id, "Argentina (PTS)", argentina.language, argentina.weight)
    assert "proposed by Argentina (PTS)" in passage_three(client.get(f"/read/{adopted.id}").text)


def test_each_language_gets_its_own_passages(client, auth, adopted, renders):
    auth.login("member@example.org")
    english = client.get(f"/read/{adopted.id}", headers={"Accept-Language": "en"}).text
    spanish = client.get(f"/read/{adopted.id}", headers={"Accept-Language": "es"}).text
    assert "How this passage came to be" in passage_three(english)
    assert "How this passage came to be" not in passage_three(spanish)
    assert len(renders) == 2


def test_an_earlier_version_has_passages_of_its_own(client, auth, adopted):
    auth.login("member@example.org")
    current = client.get(f"/read/{adopted.id}").text
    first = client.get(f"/read/{adopted.id}/v/1").text
    assert "Work stops above 30 °C." in current
    assert "Work stops above 30 °C." not in first

"""The amendment list API works out the competing pairs once per state of the declaration: an
unchanged list reuses them, a new amendment shows its rivals at once."""

import pytest

from corep_drafts.services import amendments, declarations

TEXT = "Work stops above a set temperature.\n\nBreaks in the shade are paid.\n"


@pytest.fixture
def amending(people):
    declaration = declarations.create_declaration("On heat", TEXT, created_by=people["executive"])
    return declarations.transition(people["executive"], declaration.id, "amending")


@pytest.fixture
def workings(monkeypatch):
    calls = []
    original = amendments.competing_groups

    def counted(found):
        calls.append(len(found))
        return original(found)

    monkeypatch.setattr(amendments, "competing_groups", counted)
    return calls


def propose(api, role, declaration, text):
    body = {"base_version": 1, "text": text, "rationale": ""}
    response = api(role, "POST", f"/declarations/{declaration.id}/amendments", body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def competing(api, declaration) -> dict[int, list[int]]:
    response = api("delegate_a", "GET", f"/declarations/{declaration.id}/amendments")
    assert response.status_code == 200
    return {a["id"]: a["competing_with"] for a in response.get_json()}


def test_an_unchanged_list_reuses_its_competing_pairs(api, amending, workings):
    first = propose(api, "delegate_a", amending, TEXT.replace("a set", "a fixed"))
    assert competing(api, amending) == {first: []}
    assert competing(api, amending) == {first: []}
    assert workings == [1]


def test_a_new_rival_shows_in_the_list_at_once(api, amending, workings):
    first = propose(api, "delegate_a", amending, TEXT.replace("a set", "a fixed"))
    assert competing(api, amending) == {first: []}
    second = propose(api, "delegate_b", amending, TEXT.replace("a set", "an agreed"))
    assert competing(api, amending) == {first: [second], second: [first]}
    assert workings == [1, 2]


def test_a_withdrawn_rival_leaves_the_list_of_competitors_at_once(api, amending, workings):
    first = propose(api, "delegate_a", amending, TEXT.replace("a set", "a fixed"))
    second = propose(api, "delegate_b", amending, TEXT.replace("a set", "an agreed"))
    assert competing(api, amending) == {first: [second], second: [first]}
    assert api("delegate_b", "POST", f"/amendments/{second}/withdraw").status_code == 200
    assert competing(api, amending) == {first: [], second: []}

"""Translations over the API (CONTRACT.md): written against a version, outdated by an adoption
with the source's changes listed, current again once saved against the current version."""

import pytest

from corep_drafts.services import amendments, declarations, votes

SPANISH = (
    "# Sobre el calor\n\n"
    "El trabajo se detiene por encima de una temperatura fijada.\n\n"
    "Las pausas a la sombra se pagan.\n"
)
GERMAN = (
    "# Über die Hitze\n\n"
    "Die Arbeit endet oberhalb einer festgelegten Temperatur.\n\n"
    "Die Pausen im Schatten werden bezahlt.\n"
)


@pytest.fixture
def draft(people):
    declaration = declarations.create_declaration(
        "Sobre el calor", SPANISH, language="es", created_by=people["executive"]
    )
    return declarations.transition(people["executive"], declaration.id, "amending")


def adopt(people, draft, old, new):
    """Adopt an amendment to the draft (``old`` replaced by ``new``): a new current version."""
    draft = declarations.get_visible_declaration(people["executive"], draft.id)
    amendment = amendments.propose(
        people["delegate_a"],
        draft.id,
        draft.current_version.number,
        draft.current_version.text.replace(old, new),
        "",
    )
    vote = votes.open_amendment_vote(people["executive"], amendment.id)
    votes.cast_ballot(people["delegate_a"], vote.id, "yes")
    votes.cast_ballot(people["delegate_b"], vote.id, "yes")
    votes.close_vote(people["executive"], vote.id)


def put(api, role, draft, language, version, text, **kwargs):
    return api(
        role,
        "PUT",
        f"/declarations/{draft.id}/translations/{language}",
        {"version": version, "text": text},
        **kwargs,
    )


def test_a_first_translation_is_created_with_201_and_an_update_answers_200(api, draft):
    first = put(api, "delegate_b", draft, "de", 1, GERMAN)
    assert first.status_code == 201
    body = first.get_json()
    assert body == {
        "language": "de",
        "version": 1,
        "status": "current",
        "updated_at": body["updated_at"],
        "text": GERMAN,
        "source_changes": [],
    }
    assert (
        put(api, "executive", draft, "de", 1, GERMAN.replace("bezahlt", "voll bezahlt")).status_code
        == 200
    )
    assert (
        api("member", "GET", f"/declarations/{draft.id}/translations").status_code == 404
    )  # a draft


def test_the_list_gives_each_language_its_version_and_state(api, people, draft):
    put(api, "delegate_b", draft, "de", 1, GERMAN)
    put(api, "delegate_a", draft, "en", 1, GERMAN.replace("Über die Hitze", "On heat"))
    listed = api("delegate_a", "GET", f"/declarations/{draft.id}/translations").get_json()
    assert [(t["language"], t["version"], t["status"]) for t in listed] == [
        ("de", 1, "current"),
        ("en", 1, "current"),
    ]


def test_an_adoption_makes_the_translation_outdated_and_lists_what_changed_in_the_source(
    api, people, draft
):
    put(api, "delegate_b", draft, "de", 1, GERMAN)
    adopt(people, draft, "se pagan", "se pagan por completo")
    body = api("delegate_b", "GET", f"/declarations/{draft.id}/translations/de").get_json()
    assert body["status"] == "outdated" and body["version"] == 1
    assert body["source_changes"] == [
        {
            "paragraph": 3,
            "old_paragraph": 3,
            "kind": "changed",
            "diff": [[0, "Las pausas a la sombra se "], [-1, "pagan."], [1, "pagan por completo."]],
        }
    ]
    listed = api("delegate_b", "GET", f"/declarations/{draft.id}/translations").get_json()
    assert listed[0]["status"] == "outdated"


def test_saving_against_the_current_version_makes_the_translation_current_again(api, people, draft):
    put(api, "delegate_b", draft, "de", 1, GERMAN)
    adopt(people, draft, "se pagan", "se pagan por completo")
    updated = put(
        api, "delegate_b", draft, "de", 2, GERMAN.replace("bezahlt", "vollständig bezahlt")
    )
    assert updated.status_code == 200
    assert updated.get_json()["status"] == "current" and updated.get_json()["source_changes"] == []


def test_a_translation_whose_paragraphs_do_not_align_is_refused_with_both_counts(api, draft):
    response = put(
        api,
        "delegate_b",
        draft,
        "de",
        1,
        GERMAN + "\nEin Absatz zu viel.\n",
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "translation_misaligned"
    assert "3 paragraphs" in error["message"] and "4" in error["message"]


def test_the_authoritative_language_is_not_a_translation(api, draft):
    response = put(api, "delegate_b", draft, "es", 1, SPANISH)
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "invalid_input"


@pytest.mark.parametrize(
    "path_language, version, status", [("de", 9, 404), ("d e", 1, 422), ("deutsch", 1, 422)]
)
def test_an_unknown_version_is_404_and_a_bad_language_code_422(
    api, draft, path_language, version, status
):
    assert put(api, "delegate_b", draft, path_language, version, GERMAN).status_code == status


def test_an_unknown_declaration_or_translation_is_404(api, draft):
    assert (
        api(
            "delegate_b", "PUT", "/declarations/999/translations/de", {"version": 1, "text": GERMAN}
        ).status_code
        == 404
    )
    assert api("delegate_b", "GET", f"/declarations/{draft.id}/translations/fr").status_code == 404


@pytest.mark.parametrize(
    "body", [{"text": GERMAN}, {"version": "1", "text": GERMAN}, {"version": 1, "text": 5}]
)
def test_a_malformed_body_is_400(api, draft, body):
    response = api("delegate_b", "PUT", f"/declarations/{draft.id}/translations/de", body)
    assert response.status_code == 400


@pytest.mark.parametrize("role, status", [("member", 403), (None, 401)])
def test_only_delegates_and_the_executive_write_translations(api, draft, role, status):
    assert put(api, role, draft, "de", 1, GERMAN).status_code == status


def test_every_save_is_kept_with_who_when_and_which_version(api, people, draft):
    from corep_drafts.services import translations

    put(api, "delegate_b", draft, "de", 1, GERMAN)
    adopt(people, draft, "se pagan", "se pagan por completo")
    put(api, "delegate_a", draft, "de", 2, GERMAN.replace("bezahlt", "vollständig bezahlt"))
    state = translations.get_translation(people["executive"], draft.id, "de")
    history = [(r.number, r.version.number, r.author.email) for r in state.translation.revisions]
    assert history == [(1, 1, "delegate.b@example.org"), (2, 2, "delegate.a@example.org")]


def test_a_right_to_left_translation_keeps_its_text_byte_for_byte(api, draft):
    arabic = "# عن الحرارة\n\nيتوقف العمل فوق درجة حرارة محددة.\n\nتُدفع فترات الراحة في الظل.\n"
    assert put(api, "delegate_b", draft, "ar", 1, arabic).status_code == 201
    assert (
        api("delegate_b", "GET", f"/declarations/{draft.id}/translations/ar").get_json()["text"]
        == arabic
    )


def test_error_messages_follow_the_requests_language(api, draft):
    response = put(
        api,
        "delegate_b",
        draft,
        "de",
        1,
        GERMAN + "\nEin Absatz zu viel.\n",
        headers={"Accept-Language": "tr-TR, en;q=0.5"},
    )
    english = put(
        api,
        "delegate_b",
        draft,
        "de",
        1,
        GERMAN + "\nEin Absatz zu viel.\n",
        headers={"Accept-Language": "en"},
    )
    turkish, english = (
        response.get_json()["error"]["message"],
        english.get_json()["error"]["message"],
    )
    assert turkish != english and "3" in turkish and "4" in turkish


@pytest.mark.corpus
def test_a_real_translation_is_outdated_by_a_real_revision_and_brought_up_to_date(
    api, people, corpus_dir
):
    """The Contributor Covenant 2.0 in English with its German translation; version 2.1 adopted as
    an amendment; the source's 13 changed paragraphs listed; the German 2.1 makes it current."""
    covenant = corpus_dir / "contributor-covenant"
    v20, v21 = (
        (covenant / "en-versions" / name).read_text("utf-8") for name in ("v05.md", "v06.md")
    )
    declaration = declarations.create_declaration(
        "Contributor Covenant", v20, created_by=people["executive"]
    )
    declarations.transition(people["executive"], declaration.id, "amending")
    german_20 = (covenant / "translations" / "2.0" / "de.md").read_text("utf-8")
    turkish_20 = (covenant / "translations" / "2.0" / "tr.md").read_text("utf-8")
    assert put(api, "delegate_b", declaration, "de", 1, german_20).status_code == 201
    assert put(api, "delegate_a", declaration, "tr", 1, turkish_20).status_code == 201
    adopt(people, declaration, v20, v21)

    body = api("delegate_b", "GET", f"/declarations/{declaration.id}/translations/de").get_json()
    assert body["status"] == "outdated"
    changed = [change["paragraph"] for change in body["source_changes"]]
    assert changed == [1, 4, 12, 14, 17, 33, 34, 39, 40, 42, 43, 44, 45]
    assert all(change["kind"] == "changed" for change in body["source_changes"])

    german_21 = (covenant / "translations" / "2.1" / "de.md").read_text("utf-8")
    assert put(api, "delegate_b", declaration, "de", 2, german_21).status_code == 200
    listed = api("member", "GET", f"/declarations/{declaration.id}/translations")
    states = {
        t["language"]: t["status"]
        for t in api("delegate_a", "GET", f"/declarations/{declaration.id}/translations").get_json()
    }
    assert states == {"de": "current", "tr": "outdated"} and listed.status_code == 404  # a draft


@pytest.mark.corpus
def test_the_real_arabic_translation_with_a_paragraph_too_many_is_refused(api, people, corpus_dir):
    covenant = corpus_dir / "contributor-covenant"
    v21 = (covenant / "en-versions" / "v06.md").read_text("utf-8")
    declaration = declarations.create_declaration(
        "Contributor Covenant", v21, created_by=people["executive"]
    )
    arabic = (covenant / "translations" / "2.1" / "ar.md").read_text("utf-8")
    response = put(
        api, "delegate_b", declaration, "ar", 1, arabic, headers={"Accept-Language": "en"}
    )
    assert response.status_code == 422
    assert response.get_json()["error"]["message"].startswith(
        "The source has 45 paragraphs and the translation 46"
    )

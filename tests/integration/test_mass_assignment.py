"""Mass assignment (issue 10, item 4): fields nobody may set by posting them (role, roles,
section, status, proposer, user, is_admin...) are ignored or refused in every form and API
body; the stored values do not change."""

from __future__ import annotations

import pytest
from access_support import PRIVILEGED_FIELDS, TEXT, build_objects, signed_in
from corep_testing import PASSWORD, AuthActions
from sqlalchemy import select

from corep_drafts.extensions import db
from corep_drafts.models import (
    Amendment,
    Ballot,
    Declaration,
    Translation,
    TranslationRevision,
    User,
    Vote,
)
from corep_drafts.services import accounts


@pytest.fixture
def objects(app, people, sections, make_user):
    return build_objects(people, sections, make_user)


def stored_person(person_id: int) -> tuple:
    user = db.session.get(User, person_id)
    return (user.email, user.name, sorted(user.roles), user.section_id, user.active)


def test_profile_forms_ignore_roles_section_and_identity_fields(app, people):
    a = people["delegate_a"]
    client = signed_in(app, a)
    before = {p.id: stored_person(p.id) for p in people.values()}
    auth = AuthActions(client)
    for path, fields in (
        ("/profile/preferences", {"preferred_language": "de", "time_zone": "Europe/Vienna"}),
        ("/profile/tokens", {"name": "mine"}),
        ("/profile/password", {"current_password": PASSWORD, "new_password": PASSWORD + "!"}),
    ):
        response = auth.post(path, {**PRIVILEGED_FIELDS, "user_id": people["admin"].id, **fields})
        assert response.status_code in (200, 302, 422), path
    assert {p.id: stored_person(p.id) for p in people.values()} == before
    assert "mine" in [t.name for t in db.session.get(User, a.id).tokens]
    assert db.session.get(User, people["admin"].id).tokens == []


def test_an_admin_form_posted_by_a_non_admin_changes_nobody(app, people):
    target = people["delegate_b"]
    before = stored_person(target.id)
    for who in ("executive", "delegate_a", "member"):
        client = signed_in(app, people[who])
        response = AuthActions(client).post(
            f"/admin/users/{target.id}",
            {
                **PRIVILEGED_FIELDS,
                "email": "taken@example.org",
                "name": "Taken",
                "roles": ["admin", "executive"],
                "section": "",
            },
        )
        assert response.status_code == 403
        response = AuthActions(client).post(
            "/admin/users/new",
            {"email": "new@example.org", "name": "New", "roles": "admin", "password": PASSWORD},
        )
        assert response.status_code == 403
    assert stored_person(target.id) == before
    assert accounts.find_user_by_email("new@example.org") is None


def newest_amendment() -> Amendment:
    return db.session.scalars(select(Amendment).order_by(Amendment.id.desc())).first()


def test_proposing_and_revising_on_the_page_ignore_status_proposer_and_section(
    app, people, objects
):
    a, b = people["delegate_a"], people["delegate_b"]
    client = signed_in(app, a)
    auth = AuthActions(client)
    declaration_id = objects["declaration_id"]
    response = auth.post(
        f"/declarations/{declaration_id}/amendments/new",
        {
            **PRIVILEGED_FIELDS,
            "proposer_id": b.id,
            "section_id": b.section_id,
            "base_version": 1,
            "paragraph": "",
            "text": TEXT.replace("Third", "Middle"),
            "rationale": "mine",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:400]
    made = newest_amendment()
    assert (made.proposer_id, made.section_id, made.status) == (a.id, a.section_id, "submitted")
    assert made.number != 99

    response = auth.post(
        f"/amendments/{made.id}/revise",
        {
            **PRIVILEGED_FIELDS,
            "proposer_id": b.id,
            "base_version": 1,
            "start": "",
            "end": "",
            "text": TEXT.replace("Third", "Central"),
            "rationale": "still mine",
        },
    )
    assert response.status_code in (302, 422)
    db.session.expire_all()
    made = db.session.get(Amendment, made.id)
    assert (made.proposer_id, made.section_id, made.status) == (a.id, a.section_id, "submitted")


def test_the_api_ignores_or_refuses_status_proposer_and_section_in_bodies(
    app, people, objects, api
):
    a, b = people["delegate_a"], people["delegate_b"]
    body = {
        **PRIVILEGED_FIELDS,
        "proposer_id": b.id,
        "section_id": b.section_id,
        "section": "Austria",
        "proposer": {"id": b.id},
        "base_version": 1,
        "text": TEXT.replace("Third", "Middle"),
        "rationale": "mine",
    }
    created = api(
        "delegate_a", "POST", f"/declarations/{objects['declaration_id']}/amendments", body
    )
    if created.status_code == 201:
        made = db.session.get(Amendment, created.get_json()["id"])
        assert (made.proposer_id, made.section_id, made.status) == (a.id, a.section_id, "submitted")
        revised = api("delegate_a", "PUT", f"/amendments/{made.id}", body)
        assert revised.status_code in (200, 400, 422)
        db.session.expire_all()
        made = db.session.get(Amendment, made.id)
        assert (made.proposer_id, made.status) == (a.id, "submitted")
    else:
        assert created.status_code in (400, 422)

    moved = api(
        "executive",
        "POST",
        f"/declarations/{objects['declaration_id']}/transitions",
        {"to": "voting", "status": "published"},
    )
    assert moved.status_code in (200, 400, 409, 422)
    assert db.session.get(Declaration, objects["declaration_id"]).status in ("amending", "voting")


def ballots_of(vote_id: int) -> dict:
    return {
        (ballot.delegate_id, ballot.section_id): ballot.choice
        for ballot in db.session.scalars(select(Ballot).where(Ballot.vote_id == vote_id))
    }


def test_a_ballot_is_always_the_senders_own_for_their_own_section(app, people, objects, api):
    """Ballots are addressed by vote, never by section or delegate: whatever names another
    section or delegate, a delegate changes only their own ballot for their own section."""
    a, b = people["delegate_a"], people["delegate_b"]
    vote_id = objects["vote_id"]
    assert ballots_of(vote_id) == {(b.id, b.section_id): "no"}
    client = signed_in(app, a)
    response = AuthActions(client).post(
        f"/votes/{vote_id}/ballot",
        {**PRIVILEGED_FIELDS, "choice": "yes", "section_id": b.section_id, "delegate_id": b.id},
    )
    assert response.status_code == 302
    answer = api(
        "delegate_a",
        "POST",
        f"/votes/{vote_id}/ballots",
        {"choice": "abstain", "section": "Austria", "section_id": b.section_id, "delegate": b.id},
    )
    assert answer.status_code in (200, 400, 422)
    expected = {(b.id, b.section_id): "no"}
    expected[(a.id, a.section_id)] = "abstain" if answer.status_code == 200 else "yes"
    assert ballots_of(vote_id) == expected


def test_a_translation_saved_over_the_api_is_its_senders_in_the_language_of_its_address(
    app, people, objects, api
):
    b = people["delegate_b"]
    answer = api(
        "delegate_b",
        "PUT",
        f"/declarations/{objects['declaration_id']}/translations/de",
        {
            **PRIVILEGED_FIELDS,
            "version": 1,
            "text": TEXT.replace("paragraph", "Absatz"),
            "language": "tr",
            "author_id": people["executive"].id,
            "status": "outdated",
            "declaration_id": 999,
        },
    )
    assert answer.status_code == 201, answer.get_json()
    assert answer.get_json()["language"] == "de" and answer.get_json()["status"] == "current"
    saved = db.session.scalars(
        select(TranslationRevision).join(Translation).where(Translation.language == "de")
    ).one()
    assert saved.author_id == b.id and saved.translation.declaration_id == objects["declaration_id"]
    assert db.session.scalars(select(Translation).where(Translation.language == "tr")).all() == []


def test_opening_a_vote_over_the_api_takes_its_subject_from_the_address_only(
    app, people, objects, api
):
    """A body naming another amendment, declaration, rule or state opens the vote the address
    names, open, under the declaration's own rule."""
    other_amendment = objects["amendment_id"] + 1  # C's amendment, not the one addressed
    answer = api(
        "executive",
        "POST",
        f"/amendments/{objects['amendment_id']}/vote",
        {
            **PRIVILEGED_FIELDS,
            "mode": "roll_call",
            "amendment_id": other_amendment,
            "declaration_id": 999,
            "state": "closed",
            "rule": "unanimity",
            "quorum": 99,
            "opened_by_id": people["delegate_a"].id,
        },
    )
    assert answer.status_code == 201, answer.get_json()
    vote = db.session.get(Vote, answer.get_json()["vote_id"])
    assert (vote.amendment_id, vote.declaration_id) == (
        objects["amendment_id"],
        objects["declaration_id"],
    )
    assert (vote.state, vote.rule, vote.quorum) == ("open", "majority", None)
    assert vote.opened_by_id == people["executive"].id

"""Where tools like this one broke: the peers' security advisories, one regression test each
(issue 10). Each docstring names the advisory and what it means here."""

from __future__ import annotations

import threading
import traceback

import pytest
from corep_testing import PASSWORD, AuthActions
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from xss_corpus import APP_PAYLOADS, live_markup

from corep_drafts.domain.text import render_inline, render_side_by_side
from corep_drafts.extensions import db
from corep_drafts.models import Amendment, Cosponsorship, Declaration, Version
from corep_drafts.services import accounts, amendments, compromises, declarations, votes
from corep_drafts.services.errors import ServiceError

TEXT = "First paragraph.\n\nSecond paragraph.\n\nThird paragraph.\n"


@pytest.fixture
def amending(people):
    declaration = declarations.create_declaration("Draft", TEXT, created_by=people["executive"])
    declarations.transition(people["executive"], declaration.id, "amending")
    return declaration


def amendment_status(amendment_id: int) -> str:
    db.session.expire_all()
    return db.session.get(Amendment, amendment_id).status


def version_count(declaration_id: int) -> int:
    return db.session.scalar(
        select(func.count()).select_from(Version).where(Version.declaration_id == declaration_id)
    )


def test_cve_2026_40869_only_the_executive_adopts_an_amendment_and_only_through_a_vote(
    app, people, amending, make_user, sections
):
    """Decidim CVE-2026-40869: anyone could accept an amendment. Here an amendment is adopted
    only when the executive closes a vote that adopts it: its proposer, another delegate, a
    member or an admin cannot adopt, accept or merge it through any route, web or API."""
    a, b = people["delegate_a"], people["delegate_b"]
    own = amendments.propose(a, amending.id, 1, TEXT.replace("First", "Opening"), "")
    others = amendments.propose(b, amending.id, 1, TEXT.replace("Third", "Closing"), "")
    vote = votes.open_amendment_vote(people["executive"], own.id)
    votes.cast_ballot(a, vote.id, "yes")
    votes.cast_ballot(b, vote.id, "yes")
    ids = {
        "declaration_id": amending.id,
        "amendment_id": own.id,
        "vote_id": vote.id,
        "proposal_id": 1,
        "number": 1,
        "language": "eo",
    }
    adopting_bodies = {
        "to": "adopted",
        "status": "adopted",
        "choice": "yes",
        "amendments": [own.id, others.id],
        "text": TEXT.replace("First", "Opening").replace("Third", "Closing"),
        "base_version": 1,
        "version": 1,
    }
    for who in ("delegate_a", "delegate_b", "member", "admin"):
        client = app.test_client()
        assert AuthActions(client).login(people[who].email).status_code == 302
        token = accounts.create_token(people[who])
        for rule in app.url_map.iter_rules():
            names = set(rule.arguments)
            methods = rule.methods & {"POST", "PUT"}
            if not methods or not names or not names <= set(ids):
                continue
            with app.test_request_context():
                path = app.url_for(rule.endpoint, **{k: ids[k] for k in rule.arguments})
            for method in methods:
                if path.startswith("/api/"):
                    client.open(
                        path,
                        method=method,
                        json=adopting_bodies,
                        headers={"Authorization": f"Bearer {token}"},
                    )
                else:
                    csrf = AuthActions(client).csrf_token("/profile")
                    data = {**adopting_bodies, "csrf_token": csrf}
                    data["amendments"] = [str(own.id), str(others.id)]
                    client.open(path, method=method, data=data)
                assert amendment_status(own.id) == "voting", (who, method, path)
                assert amendment_status(others.id) == "submitted", (who, method, path)
                assert version_count(amending.id) == 1, (who, method, path)
    for who in ("delegate_a", "delegate_b", "member", "admin"):
        with pytest.raises(ServiceError):
            votes.close_vote(people[who], vote.id)
        with pytest.raises(ServiceError):
            compromises.compromise(people[who], amending.id, [own.id, others.id])
    assert amendment_status(own.id) == "voting" and version_count(amending.id) == 1

    votes.close_vote(people["executive"], vote.id)  # the one way: the executive closes the vote
    assert amendment_status(own.id) == "adopted" and version_count(amending.id) == 2


def cosponsorships(amendment_id: int, section_id: int) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(Cosponsorship)
        .where(Cosponsorship.amendment_id == amendment_id, Cosponsorship.section_id == section_id)
    )


def test_cve_2023_47634_a_section_cosponsors_an_amendment_once_however_it_asks(
    app, people, amending, make_user, sections
):
    """Decidim CVE-2023-47634: endorsing twice through a race. Here a section co-sponsors an
    amendment once: twice in a row, by two of its delegates, through two requests at once, or
    straight into the table past the service, there is one co-sponsorship."""
    a, b = people["delegate_a"], people["delegate_b"]
    b2 = make_user("delegate", section=sections["B"], email="delegate.b2@example.org")
    amendment = amendments.propose(a, amending.id, 1, TEXT.replace("First", "Opening"), "")

    amendments.cosponsor(b, amendment.id)
    for again in (b, b2):
        with pytest.raises(ServiceError):
            amendments.cosponsor(again, amendment.id)
    assert cosponsorships(amendment.id, b.section_id) == 1

    # Two requests at once, after the co-sponsorship was withdrawn: both pass the door together.
    amendments.withdraw_cosponsorship(b, amendment.id)
    clients = []
    for person in (b, b2):
        client = app.test_client()
        assert AuthActions(client).login(person.email, PASSWORD).status_code == 302
        clients.append((client, AuthActions(client).csrf_token("/profile")))
    path = f"/amendments/{amendment.id}/cosponsor"
    start = threading.Barrier(len(clients), timeout=10)
    statuses = []

    def cosponsor(client, csrf):
        start.wait()
        try:
            response = client.post(path, data={"csrf_token": csrf})
            statuses.append(response.status_code)
        except Exception:  # noqa: BLE001 - shown in the assertion below
            statuses.append(traceback.format_exc())

    threads = [threading.Thread(target=cosponsor, args=pair) for pair in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
    assert statuses == [302, 302]
    assert cosponsorships(amendment.id, b.section_id) == 1

    # The last line of defence is the database's, not the service's check.
    db.session.add(Cosponsorship(amendment_id=amendment.id, section_id=b.section_id, user=b2))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    assert cosponsorships(amendment.id, b.section_id) == 1


SPLIT_TAGS = [
    ("<scr ipt>alert(1)</script>", "<script>alert(1)</script>"),
    ("<img src=x title=a>", "<img src=x onerror=alert(1)>"),
    ("<a href=x>link</a>", "<a href=javascript:alert(1)>link</a>"),
    ("a <svg x=1> b", "a <svg onload=alert(1)> b"),
    ('" title="x', '" onmouseover="alert(1)'),
    ("</del><del>", "</ins><script>alert(1)</script><ins>"),
    ("<", "<script>alert(1)</script>"),
    ("alert(1)</script>", "<script>alert(1)</script>"),
]


def test_cve_2024_41673_a_payload_split_across_diff_operations_renders_inert(app, people, amending):
    """CVE-2024-41673: XSS on a diff page. A tag split between unchanged text, a deletion and an
    insertion must not come together as markup: in the text engine's inline and side-by-side
    diffs, on the amendment's page, its revision, the history and the live preview."""
    for base_words, amended_words in SPLIT_TAGS + [(p, p[::-1]) for p in APP_PAYLOADS]:
        base = f"Before {base_words} after.\n\nSecond.\n"
        amended = f"Before {amended_words} after.\n\nSecond.\n"
        for render in (render_inline, render_side_by_side):
            assert live_markup(str(render(base, amended))) == [], (render, amended_words)
            assert live_markup(str(render(amended, base))) == [], (render, base_words)

    a = people["delegate_a"]
    base = "\n\n".join(b for b, _ in SPLIT_TAGS) + "\n"
    declaration = declarations.create_declaration("Split", base, created_by=people["executive"])
    declarations.transition(people["executive"], declaration.id, "amending")
    amended = "\n\n".join(m for _, m in SPLIT_TAGS) + "\n"
    amendment = amendments.propose(a, declaration.id, 1, amended, "")
    amendments.revise(a, amendment.id, 1, amended.replace("alert(1)", "alert(2)"), "")
    client = app.test_client()
    assert AuthActions(client).login(people["executive"].email).status_code == 302
    for path in (
        f"/amendments/{amendment.id}",
        f"/amendments/{amendment.id}?view=side",
        f"/amendments/{amendment.id}/revisions/1",
        f"/amendments/{amendment.id}/revisions/2?view=side",
        f"/declarations/{declaration.id}",
    ):
        page = client.get(path)
        assert page.status_code == 200
        assert live_markup(page.get_data(as_text=True)) == [], path
        shown = page.get_data(as_text=True)
        if path.startswith("/amendments/"):  # the payload is kept, as text
            assert "&lt;img src=x" in shown and "onerror=alert(" in shown, path
    vote = votes.open_amendment_vote(people["executive"], amendment.id)
    for person in (a, people["delegate_b"]):
        votes.cast_ballot(person, vote.id, "yes")
    votes.close_vote(people["executive"], vote.id)
    for view in ("inline", "side"):
        history = client.get(f"/declarations/{declaration.id}/history?from=1&to=2&view={view}")
        assert history.status_code == 200
        assert live_markup(history.get_data(as_text=True)) == []

    delegate = app.test_client()
    assert AuthActions(delegate).login(a.email).status_code == 302
    preview = delegate.post(
        f"/declarations/{amending.id}/amendments/preview",
        json={"base_version": 1, "paragraph": 1, "text": "First <scr" + "ipt>alert(1)</script>"},
        headers={"X-CSRFToken": AuthActions(delegate).csrf_token("/profile")},
    )
    assert preview.status_code == 200
    assert live_markup(preview.get_json()["html"]) == []


@pytest.mark.parametrize("ending", ["signing out", "changing the password"])
def test_a_session_copied_before_it_ended_is_refused_afterwards(app, people, ending):
    """The advisories of session handling (a session alive after logout, OWASP ASVS 3.3.1 and
    3.3.3): a cookie copied while signed in is refused after signing out, and after a password
    change, on the pages and for every write; the account's API tokens are another matter."""
    client = app.test_client()
    auth = AuthActions(client)
    assert auth.login(people["delegate_a"].email).status_code == 302
    copied = client.get_cookie("session").value
    if ending == "signing out":
        assert auth.logout().status_code == 302
    else:
        changed = auth.post(
            "/profile/password",
            {
                "current_password": PASSWORD,
                "new_password": "another long passphrase",
                "confirm_password": "another long passphrase",
            },
        )
        assert changed.status_code == 302

    replay = app.test_client()
    replay.set_cookie("session", copied)
    for path in ("/profile", "/"):
        response = replay.get(path)
        assert response.status_code in (200, 302)
        assert "delegate.a@example.org" not in response.get_data(as_text=True)
    assert replay.get("/profile").headers["Location"].startswith("/login")
    declaration = declarations.create_declaration("Draft", TEXT, created_by=people["executive"])
    declarations.transition(people["executive"], declaration.id, "amending")
    # The copied cookie also carries a CSRF secret: a write with it is still refused.
    app.config["WTF_CSRF_ENABLED"] = False
    response = replay.post(
        f"/declarations/{declaration.id}/amendments/new",
        data={"base_version": 1, "text": TEXT.replace("First", "Sneaked"), "rationale": ""},
    )
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert db.session.scalar(select(func.count()).select_from(Amendment)) == 0
    assert db.session.get(Declaration, declaration.id).status == "amending"

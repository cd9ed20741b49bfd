"""What proposing and closing cost as a congress grows: competing amendments found from the
stored touched ranges give the same pairs as comparing every pending amendment's edits, a
proposal runs as many statements with many pending as with few, and a close that carries many
pending amendments keeps the audit and version chains intact."""

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import event, select

from corep_drafts.extensions import db
from corep_drafts.models import Amendment, AuditEvent
from corep_drafts.services import amendments, declarations, record, votes

WORDS = [
    "the",
    "sections",
    "agree",
    "on",
    "a",
    "joint",
    "text",
    "for",
    "fair",
    "wages",
    "and",
    "safe",
    "work",
    "in",
    "every",
    "summer",
]
TEXT = " ".join(WORDS[i % len(WORDS)] for i in range(40)) + ".\n\nA second paragraph ends here.\n"

word_edit = st.tuples(
    st.sampled_from(["replace", "insert", "delete"]),
    st.integers(min_value=0, max_value=45),
    st.sampled_from(["strike", "now", "the", "sections"]),
)


def amended(edits) -> str:
    words = TEXT.split(" ")
    for kind, at, word in edits:
        at %= len(words)
        if kind == "replace":
            words[at] = word
        elif kind == "insert":
            words.insert(at, word)
        elif len(words) > 1:
            del words[at]
    return " ".join(words)


def amending_declaration(people):
    declaration = declarations.create_declaration("Costs", TEXT, created_by=people["executive"])
    return declarations.transition(people["executive"], declaration.id, "amending")


def propose_all(people, declaration, texts) -> list[Amendment]:
    proposed = []
    for number, text in enumerate(texts):
        if text == TEXT:
            continue
        proposer = people["delegate_a" if number % 2 else "delegate_b"]
        proposed.append(amendments.propose(proposer, declaration.id, 1, text, ""))
    return proposed


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(st.lists(word_edit, min_size=1, max_size=3), min_size=2, max_size=8))
def test_the_touched_range_index_finds_the_same_rivals_as_comparing_every_amendment(
    people, edit_lists
):
    declaration = amending_declaration(people)
    proposed = propose_all(people, declaration, [amended(edits) for edits in edit_lists])
    everyone = list(
        db.session.scalars(select(Amendment).where(Amendment.declaration == declaration))
    )
    expected = amendments.competing_groups(everyone)
    for amendment in proposed:
        assert amendments.competing_with(amendment) == expected.get(amendment.id, [])


def statements_while(action) -> int:
    count = 0

    def counted(*_):
        nonlocal count
        count += 1

    event.listen(db.engine, "before_cursor_execute", counted)
    try:
        action()
    finally:
        event.remove(db.engine, "before_cursor_execute", counted)
    return count


def test_proposing_runs_as_many_statements_with_forty_pending_as_with_two(api, people):
    declaration = amending_declaration(people)
    rng = random.Random(11)

    def one_more():
        text = amended([("insert", rng.randrange(40), "strike")])
        response = api(
            "delegate_a",
            "POST",
            f"/declarations/{declaration.id}/amendments",
            {"base_version": 1, "text": text, "rationale": ""},
        )
        assert response.status_code == 201

    one_more()
    one_more()
    with_two = statements_while(one_more)
    for _ in range(40):
        one_more()
    assert statements_while(one_more) == with_two


def test_a_close_that_carries_many_pending_amendments_keeps_every_chain(people):
    declaration = amending_declaration(people)
    rng = random.Random(5)
    adopted = amendments.propose(
        people["delegate_a"], declaration.id, 1, TEXT.replace("second", "last"), ""
    )
    edit_lists = [
        [(rng.choice(["replace", "insert", "delete"]), rng.randrange(30), "now")] for _ in range(60)
    ]
    others = propose_all(people, declaration, [amended(edits) for edits in edit_lists])
    vote = votes.open_amendment_vote(people["executive"], adopted.id)
    votes.cast_ballot(people["delegate_a"], vote.id, "yes")
    votes.cast_ballot(people["delegate_b"], vote.id, "yes")
    votes.close_vote(people["executive"], vote.id)
    db.session.expire_all()
    current = declaration.current_version
    assert current.number == 2 and current.text == TEXT.replace("second", "last")
    assert record.verify_declaration(declaration.id).ok
    carried = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "amendment.carried")
    ).all()
    assert sorted(event.object_id for event in carried) == sorted(a.id for a in others)
    for amendment in others:
        db.session.refresh(amendment)
        assert amendment.status == "submitted" and amendment.base_version_id == current.id
        assert amendment.text == amended_onto(amendment, current.text)
        assert [r.kind for r in amendment.revisions] == ["proposed", "rebased"]
        assert amendments.stored_edits(amendment) == amendments.engine.edits_between(
            current.text, amendment.text
        )
    everyone = list(
        db.session.scalars(select(Amendment).where(Amendment.declaration == declaration))
    )
    expected = amendments.competing_groups(everyone)
    assert any(expected.values())  # some of the carried amendments still compete
    for amendment in others:
        assert amendments.competing_with(amendment) == expected.get(amendment.id, [])


def amended_onto(amendment, current_text) -> str:
    proposed = amendment.revisions[0].text
    return proposed.replace("second", "last", 1)

from datetime import UTC, datetime, timedelta, timezone
from itertools import product

import pytest

from corep_drafts.domain.errors import AdoptionNeedsFinalVote, DomainError, IllegalTransition
from corep_drafts.domain.workflow import (
    AmendmentStatus,
    DeclarationStatus,
    VoteState,
    can_edit_text,
    is_pending,
    manual_declaration_targets,
    require_amendment_period_open,
    transition_amendment,
    transition_declaration,
    transition_declaration_manually,
    transition_vote,
)

# The graphs as DESIGN.md draws them, written out again here so that a slip in the module's own
# tables shows up as a failing test instead of being copied into the expectation.
DECLARATION_EDGES = {
    ("draft", "amending"),
    ("amending", "voting"),
    ("voting", "adopted"),
    ("adopted", "published"),
    ("draft", "withdrawn"),
    ("amending", "withdrawn"),
    ("voting", "withdrawn"),
}
AMENDMENT_EDGES = {
    ("submitted", "withdrawn"),
    ("submitted", "voting"),
    ("submitted", "conflicted"),
    ("submitted", "superseded"),
    ("conflicted", "submitted"),
    ("conflicted", "withdrawn"),
    ("voting", "adopted"),
    ("voting", "rejected"),
}
VOTE_EDGES = {("open", "closed")}

DECLARATION_PAIRS = list(product([s.value for s in DeclarationStatus], repeat=2))
AMENDMENT_PAIRS = list(product([s.value for s in AmendmentStatus], repeat=2))
VOTE_PAIRS = list(product([s.value for s in VoteState], repeat=2))


def test_the_status_vocabularies_are_those_of_the_contract():
    assert [s.value for s in DeclarationStatus] == [
        "draft",
        "amending",
        "voting",
        "adopted",
        "published",
        "withdrawn",
    ]
    assert [s.value for s in AmendmentStatus] == [
        "submitted",
        "conflicted",
        "withdrawn",
        "voting",
        "adopted",
        "rejected",
        "superseded",
    ]
    assert [s.value for s in VoteState] == ["open", "closed"]


@pytest.mark.parametrize(("current", "target"), DECLARATION_PAIRS)
def test_a_declaration_moves_only_along_the_designed_edges(current, target):
    if (current, target) in DECLARATION_EDGES:
        assert transition_declaration(current, target) is DeclarationStatus(target)
    else:
        with pytest.raises(IllegalTransition):
            transition_declaration(current, target)


@pytest.mark.parametrize(("current", "target"), AMENDMENT_PAIRS)
def test_an_amendment_moves_only_along_the_designed_edges(current, target):
    if (current, target) in AMENDMENT_EDGES:
        assert transition_amendment(current, target) is AmendmentStatus(target)
    else:
        with pytest.raises(IllegalTransition):
            transition_amendment(current, target)


@pytest.mark.parametrize(("current", "target"), VOTE_PAIRS)
def test_a_vote_moves_only_from_open_to_closed(current, target):
    if (current, target) in VOTE_EDGES:
        assert transition_vote(current, target) is VoteState(target)
    else:
        with pytest.raises(IllegalTransition):
            transition_vote(current, target)


@pytest.mark.parametrize(("current", "target"), DECLARATION_PAIRS)
def test_the_executive_may_make_every_designed_move_by_hand_except_adoption(current, target):
    if target == "adopted":
        with pytest.raises(AdoptionNeedsFinalVote):
            transition_declaration_manually(current, target)
    elif (current, target) in DECLARATION_EDGES:
        assert transition_declaration_manually(current, target) is DeclarationStatus(target)
    else:
        with pytest.raises(IllegalTransition) as refused:
            transition_declaration_manually(current, target)
        assert refused.type is IllegalTransition


def test_adopting_by_hand_is_refused_with_a_message_pointing_to_the_final_vote():
    with pytest.raises(IllegalTransition) as refused:
        transition_declaration_manually(DeclarationStatus.VOTING, DeclarationStatus.ADOPTED)

    assert refused.value.code == "adoption_needs_final_vote"
    assert "final vote" in refused.value.message
    assert refused.value.params == {"kind": "declaration", "current": "voting", "target": "adopted"}


def test_the_manual_targets_offered_exclude_adoption_and_follow_the_life_cycle():
    assert manual_declaration_targets("draft") == (
        DeclarationStatus.AMENDING,
        DeclarationStatus.WITHDRAWN,
    )
    assert manual_declaration_targets("voting") == (DeclarationStatus.WITHDRAWN,)
    assert manual_declaration_targets("adopted") == (DeclarationStatus.PUBLISHED,)
    assert manual_declaration_targets("published") == ()


def test_an_illegal_transition_names_the_kind_both_states_and_the_allowed_ones():
    with pytest.raises(IllegalTransition) as refused:
        transition_declaration("draft", "voting")

    error = refused.value
    assert str(error) == (
        "A declaration in state 'draft' cannot move to 'voting'; allowed: amending, withdrawn."
    )
    assert error.code == "illegal_transition"
    assert error.params == {
        "kind": "declaration",
        "current": "draft",
        "target": "voting",
        "allowed": ["amending", "withdrawn"],
    }


def test_an_illegal_transition_from_a_final_state_says_it_is_final():
    with pytest.raises(IllegalTransition) as refused:
        transition_amendment("rejected", "voting")

    assert str(refused.value) == (
        "An amendment in state 'rejected' cannot move to 'voting'; 'rejected' is final."
    )
    assert refused.value.params["allowed"] == []


def test_an_illegal_transition_is_a_domain_error():
    with pytest.raises(DomainError):
        transition_vote("closed", "open")


def test_an_unknown_state_is_refused_with_the_known_ones_listed():
    with pytest.raises(DomainError) as refused:
        transition_declaration_manually("draft", "finished")

    assert refused.value.code == "unknown_state"
    assert str(refused.value) == (
        "'finished' is not a declaration state; "
        "known states: draft, amending, voting, adopted, published, withdrawn."
    )


DEADLINE = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def test_an_amending_declaration_without_deadline_accepts_amendments():
    require_amendment_period_open("amending", None, datetime(2031, 1, 1, tzinfo=UTC))


def test_an_amendment_before_the_deadline_is_accepted():
    require_amendment_period_open("amending", DEADLINE, DEADLINE - timedelta(hours=1))


def test_an_amendment_at_the_deadline_instant_is_still_accepted():
    require_amendment_period_open("amending", DEADLINE, DEADLINE)


def test_an_amendment_just_after_the_deadline_is_refused():
    with pytest.raises(DomainError) as refused:
        require_amendment_period_open("amending", DEADLINE, DEADLINE + timedelta(microseconds=1))

    assert refused.value.code == "deadline_passed"
    assert "2025-03-01T12:00:00+00:00" in refused.value.message
    assert refused.value.params["deadline"] == "2025-03-01T12:00:00+00:00"


def test_the_deadline_compares_instants_not_wall_clock_times():
    buenos_aires = timezone(timedelta(hours=-3))
    nine_in_buenos_aires_is_noon_utc = datetime(2025, 3, 1, 9, 0, 1, tzinfo=buenos_aires)

    with pytest.raises(DomainError) as refused:
        require_amendment_period_open("amending", DEADLINE, nine_in_buenos_aires_is_noon_utc)

    assert refused.value.code == "deadline_passed"


@pytest.mark.parametrize("status", [s for s in DeclarationStatus if s != "amending"])
def test_amendments_are_refused_outside_the_amendment_period(status):
    before_deadline = DEADLINE - timedelta(days=1)

    with pytest.raises(DomainError) as refused:
        require_amendment_period_open(status, DEADLINE, before_deadline)

    assert refused.value.code == "amendment_period_closed"
    assert f"'{status}'" in refused.value.message
    assert refused.value.params == {"status": status.value}


def test_a_naive_datetime_is_a_programming_error_not_a_refusal():
    with pytest.raises(ValueError, match="timezone-aware"):
        require_amendment_period_open("amending", DEADLINE, datetime(2025, 3, 1, 11, 0))


@pytest.mark.parametrize("status", list(DeclarationStatus))
def test_only_a_draft_text_may_be_edited_directly(status):
    assert can_edit_text(status) == (status == "draft")


@pytest.mark.parametrize("status", list(AmendmentStatus))
def test_only_submitted_and_conflicted_amendments_are_pending(status):
    assert is_pending(status) == (status in {"submitted", "conflicted"})

import json
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from corep_drafts.domain.errors import DomainError
from corep_drafts.domain.tally import Ballot, Result, SectionInfo, tally

RULES = ["majority", "two-thirds", "unanimity"]
CHOICES = ["yes", "no", "abstain"]
SECTION_NAMES = ["Argentina", "Austria", "France", "Spanish State", "Türkiye", "Esperanto"]
CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
UN_ROLL_CALLS = CORPUS / "un-ga-votes-sample" / "roll-calls.json"


def sections(*names, **weights):
    return [SectionInfo(name, weights.get(name, 1)) for name in names]


def ballots_from(choices_by_section):
    """Ballots from {"A": "yes no"}; delegates are numbered in the order written."""
    ballots = []
    for section, choices in choices_by_section.items():
        for choice in choices.split():
            ballots.append(Ballot(len(ballots) + 1, section, choice))
    return ballots


def position_of(result, name):
    return next(s.position for s in result.sections if s.name == name)


@st.composite
def elections(draw):
    names = draw(st.lists(st.sampled_from(SECTION_NAMES), max_size=5, unique=True))
    section_infos = [SectionInfo(name, draw(st.integers(1, 3))) for name in names]
    if not names:
        return section_infos, []
    # A small alphabet keeps Hypothesis from building its whole Unicode table on first use.
    any_delegate_id = st.one_of(st.integers(0, 99), st.text("abcé", max_size=3))
    delegate_ids = draw(st.lists(any_delegate_id, max_size=12, unique=True))
    ballots = [
        Ballot(delegate_id, draw(st.sampled_from(names)), draw(st.sampled_from(CHOICES)))
        for delegate_id in delegate_ids
    ]
    return section_infos, ballots


quorums = st.one_of(st.none(), st.integers(1, 6))


# --- a section's position ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "choices", ["yes no", "yes no abstain", "yes yes no no abstain", "no abstain"]
)
def test_a_tie_for_the_most_ballots_makes_the_section_abstain(choices):
    result = tally(ballots_from({"A": choices}), sections("A"), "majority")

    assert position_of(result, "A") == "abstain"


def test_the_choice_with_strictly_most_ballots_is_the_position_even_without_half():
    result = tally(ballots_from({"A": "yes yes no abstain"}), sections("A"), "majority")

    assert position_of(result, "A") == "yes"


def test_a_section_without_ballots_is_absent_and_does_not_count_as_voting():
    result = tally(ballots_from({"A": "yes"}), sections("A", "B", "C"), "majority")

    assert [s.position for s in result.sections] == ["yes", "absent", "absent"]
    assert result.voting_weight == 1
    assert result.outcome == "adopted"


def test_each_section_lists_its_delegates_ballots_sorted_by_delegate():
    ballots = [Ballot("zoe", "A", "no"), Ballot(10, "A", "yes"), Ballot(9, "A", "yes")]

    (section,) = tally(ballots, sections("A"), "majority").sections

    assert section.ballots == ((9, "yes"), (10, "yes"), ("zoe", "no"))
    assert (section.yes, section.no, section.abstain) == (2, 1, 0)


# --- the rules ----------------------------------------------------------------------------------


def test_majority_needs_more_than_half_of_the_sections_voting():
    two_of_four = ballots_from({"A": "yes", "B": "yes", "C": "no", "D": "no"})
    three_of_four = ballots_from({"A": "yes", "B": "yes", "C": "yes", "D": "no"})

    assert tally(two_of_four, sections(*"ABCD"), "majority").outcome == "rejected"
    assert tally(three_of_four, sections(*"ABCD"), "majority").outcome == "adopted"


def test_abstaining_sections_do_not_count_against_a_majority():
    ballots = ballots_from({"A": "yes", "B": "abstain", "C": "abstain", "D": "abstain"})

    result = tally(ballots, sections(*"ABCD"), "majority")

    assert result.outcome == "adopted"
    assert (result.voting_weight, result.abstain_weight) == (1, 3)


def test_two_thirds_is_reached_exactly_at_two_of_three_sections_voting():
    two_of_three = ballots_from({"A": "yes", "B": "yes", "C": "no"})
    three_of_five = ballots_from({"A": "yes", "B": "yes", "C": "yes", "D": "no", "E": "no"})

    assert tally(two_of_three, sections(*"ABC"), "two-thirds").outcome == "adopted"
    assert tally(three_of_five, sections(*"ABCDE"), "two-thirds").outcome == "rejected"


def test_an_abstaining_section_blocks_unanimity_but_an_absent_one_does_not():
    with_abstention = ballots_from({"A": "yes", "B": "yes", "C": "abstain"})
    with_absence = ballots_from({"A": "yes", "B": "yes"})

    assert tally(with_abstention, sections(*"ABC"), "unanimity").outcome == "rejected"
    assert tally(with_absence, sections(*"ABC"), "unanimity").outcome == "adopted"


@pytest.mark.parametrize("rule", RULES)
def test_a_vote_where_no_section_says_yes_or_no_is_rejected(rule):
    ballots = ballots_from({"A": "abstain", "B": "yes no"})

    result = tally(ballots, sections("A", "B", "C"), rule)

    assert result.outcome == "rejected"
    assert result.voting_weight == 0


def test_a_heavy_section_can_outweigh_two_light_ones():
    ballots = ballots_from({"A": "yes", "B": "no", "C": "no"})

    unweighted = tally(ballots, sections(*"ABC"), "majority")
    weighted = tally(ballots, sections(*"ABC", A=3), "majority")

    assert unweighted.outcome == "rejected"
    assert weighted.outcome == "adopted"
    assert (weighted.yes_weight, weighted.no_weight, weighted.needed) == (3, 2, 3)


def test_a_quorum_counts_sections_present_not_their_weight():
    ballots = ballots_from({"A": "yes", "B": "abstain"})

    result = tally(ballots, sections(*"ABC", A=5), "majority", quorum=3)

    assert result.quorum_met is False
    assert result.outcome == "rejected"


def test_an_abstaining_section_counts_towards_the_quorum():
    ballots = ballots_from({"A": "yes", "B": "abstain", "C": "yes no"})

    result = tally(ballots, sections(*"ABCD"), "majority", quorum=3)

    assert result.quorum_met is True
    assert result.outcome == "adopted"


# --- explanations -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("choices", "rule", "quorum", "weights", "explanation"),
    [
        (
            {"A": "yes", "B": "yes", "C": "yes", "D": "no"},
            "majority",
            None,
            {},
            "Adopted: 3 of 4 sections voting said yes; majority needed 3.",
        ),
        (
            {"A": "yes", "B": "yes", "C": "abstain"},
            "unanimity",
            None,
            {},
            "Rejected: 2 of 3 sections present said yes; unanimity needed 3.",
        ),
        (
            {"A": "yes"},
            "two-thirds",
            None,
            {},
            "Adopted: 1 of 1 section voting said yes; two-thirds needed 1.",
        ),
        (
            {"A": "yes", "B": "yes", "C": "yes"},
            "majority",
            4,
            {},
            "Rejected: quorum of 4 sections not met (3 present).",
        ),
        (
            {"A": "yes", "B": "no", "C": "no", "D": "yes"},
            "two-thirds",
            None,
            {"A": 3},
            "Adopted: sections weighing 4 of a voting weight of 6 said yes; two-thirds needed 4.",
        ),
        ({"A": "abstain"}, "majority", None, {}, "Rejected: no section voted yes or no."),
        ({}, "unanimity", None, {}, "Rejected: no section was present."),
    ],
)
def test_the_result_explains_itself_in_one_sentence(choices, rule, quorum, weights, explanation):
    result = tally(ballots_from(choices), sections(*"ABCD", **weights), rule, quorum=quorum)

    assert result.explanation == explanation


# --- refusals -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ballots", "reason"),
    [
        ([Ballot(1, "Atlantis", "yes")], "unknown_section"),
        ([Ballot(1, "A", "maybe")], "unknown_choice"),
        ([Ballot(1, "A", "yes"), Ballot(1, "B", "no")], "duplicate_delegate"),
        ([Ballot(None, "A", "yes")], "invalid_delegate_id"),
    ],
)
def test_an_invalid_ballot_is_refused_with_its_reason(ballots, reason):
    with pytest.raises(DomainError) as refused:
        tally(ballots, sections("A", "B"), "majority")

    assert refused.value.code == "invalid_ballot"
    assert refused.value.params["reason"] == reason


def test_an_invalid_ballot_message_names_the_delegate_and_the_problem():
    with pytest.raises(DomainError) as refused:
        tally([Ballot(9, "Atlantis", "yes")], sections("A"), "majority")

    assert str(refused.value) == (
        "Invalid ballot from delegate 9 for section 'Atlantis': there is no section 'Atlantis'."
    )


@pytest.mark.parametrize(
    ("section_infos", "rule", "quorum"),
    [
        ([SectionInfo("A"), SectionInfo("A")], "majority", None),
        ([SectionInfo("A", 0)], "majority", None),
        ([SectionInfo("A")], "plurality", None),
        ([SectionInfo("A")], "majority", 0),
    ],
)
def test_a_bad_configuration_is_a_programming_error(section_infos, rule, quorum):
    with pytest.raises(ValueError):
        tally([], section_infos, rule, quorum=quorum)


# --- snapshots ----------------------------------------------------------------------------------


def test_the_snapshot_lists_sections_by_name_with_a_fixed_key_order():
    ballots = ballots_from({"B": "yes", "A": "no"})

    snapshot = tally(ballots, sections("B", "A"), "majority").to_dict()

    assert list(snapshot) == [
        "outcome",
        "rule",
        "quorum",
        "quorum_met",
        "yes_weight",
        "no_weight",
        "abstain_weight",
        "voting_weight",
        "needed",
        "explanation",
        "sections",
    ]
    assert [s["name"] for s in snapshot["sections"]] == ["A", "B"]
    assert snapshot["sections"][0] == {
        "name": "A",
        "position": "no",
        "yes": 0,
        "no": 1,
        "abstain": 0,
        "weight": 1,
        "ballots": [{"delegate_id": 2, "choice": "no"}],
    }


@given(elections(), st.sampled_from(RULES), quorums)
def test_a_result_survives_a_round_trip_through_json(election, rule, quorum):
    section_infos, ballots = election
    result = tally(ballots, section_infos, rule, quorum=quorum)

    stored = json.dumps(result.to_dict())
    restored = Result.from_dict(json.loads(stored))

    assert restored == result
    assert restored.to_dict() == result.to_dict()


# --- properties ---------------------------------------------------------------------------------


@given(st.data(), elections(), st.sampled_from(RULES), quorums)
def test_the_order_of_ballots_and_sections_does_not_change_the_result(data, election, rule, quorum):
    section_infos, ballots = election
    shuffled_ballots = data.draw(st.permutations(ballots))
    shuffled_sections = data.draw(st.permutations(section_infos))

    assert tally(shuffled_ballots, shuffled_sections, rule, quorum=quorum) == tally(
        ballots, section_infos, rule, quorum=quorum
    )


@given(st.data(), elections(), st.sampled_from(RULES), quorums)
def test_turning_a_no_into_a_yes_never_turns_adoption_into_rejection(data, election, rule, quorum):
    section_infos, ballots = election
    no_ballots = [i for i, ballot in enumerate(ballots) if ballot.choice == "no"]
    assume(no_ballots)
    changed = data.draw(st.sampled_from(no_ballots))
    ballots_after = list(ballots)
    ballots_after[changed] = Ballot(ballots[changed].delegate_id, ballots[changed].section, "yes")

    before = tally(ballots, section_infos, rule, quorum=quorum)
    after = tally(ballots_after, section_infos, rule, quorum=quorum)

    assert not (before.outcome == "adopted" and after.outcome == "rejected")


@given(st.data(), elections(), st.sampled_from(RULES), quorums)
def test_a_late_yes_from_a_new_delegate_never_turns_adoption_into_rejection(
    data, election, rule, quorum
):
    section_infos, ballots = election
    assume(section_infos)
    section = data.draw(st.sampled_from([s.name for s in section_infos]))
    # Longer than any id `elections` draws, so this delegate has not voted yet.
    late_yes = Ballot("late delegate", section, "yes")

    before = tally(ballots, section_infos, rule, quorum=quorum)
    after = tally([*ballots, late_yes], section_infos, rule, quorum=quorum)

    assert not (before.outcome == "adopted" and after.outcome == "rejected")


@pytest.mark.parametrize("rule", ["majority", "two-thirds"])
def test_an_abstainer_switching_to_yes_can_hand_their_section_to_no(rule):
    # Not monotone, by the definition of a position: two no against two abstain is a tie, but
    # two no against one abstain and one yes is a plurality for no.
    before = ballots_from({"A": "yes", "B": "no no abstain abstain"})
    after = ballots_from({"A": "yes", "B": "no no abstain yes"})

    assert tally(before, sections("A", "B"), rule).outcome == "adopted"
    assert tally(after, sections("A", "B"), rule).outcome == "rejected"


@given(elections(), quorums)
def test_unanimity_implies_two_thirds_and_two_thirds_implies_majority(election, quorum):
    section_infos, ballots = election
    adopted = {rule: tally(ballots, section_infos, rule, quorum=quorum).adopted for rule in RULES}

    assert not adopted["unanimity"] or adopted["two-thirds"]
    assert not adopted["two-thirds"] or adopted["majority"]


@given(elections(), st.sampled_from(RULES), st.integers(1, 6))
def test_a_vote_without_quorum_is_never_adopted(election, rule, quorum):
    section_infos, ballots = election
    result = tally(ballots, section_infos, rule, quorum=quorum)

    present = sum(1 for s in result.sections if s.position != "absent")
    assert result.quorum_met == (present >= quorum)
    if not result.quorum_met:
        assert result.outcome == "rejected"


@given(elections())
def test_with_equal_weights_majority_and_two_thirds_compare_yes_and_no_sections(election):
    section_infos, ballots = election
    equal_weights = [SectionInfo(s.name) for s in section_infos]
    positions = [s.position for s in tally(ballots, equal_weights, "majority").sections]
    yes, no = positions.count("yes"), positions.count("no")

    majority = tally(ballots, equal_weights, "majority")
    two_thirds = tally(ballots, equal_weights, "two-thirds")

    assert (majority.outcome == "adopted") == (yes > no)
    assert (two_thirds.outcome == "adopted") == (yes >= 1 and yes >= 2 * no)


@given(elections())
def test_the_totals_are_the_weights_of_the_sections_in_each_position(election):
    section_infos, ballots = election
    result = tally(ballots, section_infos, "majority")

    def weight_of(position):
        return sum(s.weight for s in result.sections if s.position == position)

    assert result.yes_weight == weight_of("yes")
    assert result.no_weight == weight_of("no")
    assert result.abstain_weight == weight_of("abstain")
    assert result.voting_weight == result.yes_weight + result.no_weight
    assert sum(len(s.ballots) for s in result.sections) == len(ballots)


# --- a real case: UN General Assembly roll calls ------------------------------------------------


@pytest.fixture(scope="module")
def un_roll_calls():
    if not UN_ROLL_CALLS.exists():
        pytest.skip(f"the UN roll-call corpus is not at {UN_ROLL_CALLS}")
    roll_calls = json.loads(UN_ROLL_CALLS.read_text(encoding="utf-8"))["roll_calls"]
    return {roll_call["rcid"]: roll_call for roll_call in roll_calls}


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("rcid", "majority", "two_thirds"),
    [
        (5974, "rejected", "rejected"),  # amendment to R/71/249: 1 yes, 116 no, 4 abstain
        (5971, "rejected", "rejected"),  # amendment to R/71/174: 76 yes, 84 no, 17 abstain
        (9108, "adopted", "adopted"),  # A/RES/74/89: 157 yes, 9 no, 13 abstain
        (9111, "adopted", "adopted"),  # A/RES/74/168 (Crimea): 65 yes, 23 no, 83 abstain
        (9112, "adopted", "adopted"),  # A/RES/74/159: 136 yes, 55 no, no abstentions
    ],
)
def test_a_un_roll_call_tallied_one_state_per_section_matches_the_record(
    un_roll_calls, rcid, majority, two_thirds
):
    roll_call = un_roll_calls[rcid]
    states = [SectionInfo(vote["country_code"]) for vote in roll_call["votes"]]
    ballots = [
        Ballot(vote["country_code"], vote["country_code"], vote["vote"])
        for vote in roll_call["votes"]
    ]
    recorded = roll_call["tally"]

    by_majority = tally(ballots, states, "majority")
    by_two_thirds = tally(ballots, states, "two-thirds")

    assert (by_majority.yes_weight, by_majority.no_weight, by_majority.abstain_weight) == (
        recorded["yes"],
        recorded["no"],
        recorded.get("abstain", 0),
    )
    assert by_majority.explanation.startswith(
        f"{majority.capitalize()}: {recorded['yes']} of {recorded['yes'] + recorded['no']} "
        f"sections voting said yes"
    )
    assert (by_majority.outcome, by_two_thirds.outcome) == (majority, two_thirds)

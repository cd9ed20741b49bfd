"""The words for what the domain reports as codes: vote explanations, conflicts, refusals."""

import json

from flask_babel import force_locale
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corep_drafts import wording
from corep_drafts.domain import tally
from corep_drafts.domain.errors import IllegalTransition
from corep_drafts.domain.text import rebase, rebase_across

SECTIONS = ("Argentina", "Austria", "France", "Spanish State", "Türkiye")
ballots = st.lists(
    st.tuples(st.sampled_from(SECTIONS), st.sampled_from(["yes", "no", "abstain"])), max_size=12
)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    cast=ballots,
    rule=st.sampled_from(["majority", "two-thirds", "unanimity"]),
    quorum=st.none() | st.integers(1, 5),
    weights=st.lists(st.integers(1, 3), min_size=5, max_size=5),
)
def test_in_english_the_worded_explanation_is_the_sentence_the_result_stored(
    app, cast, rule, quorum, weights
):
    sections = [
        tally.SectionInfo(name, weight) for name, weight in zip(SECTIONS, weights, strict=True)
    ]
    result = tally.tally(
        [tally.Ballot(i, s, c) for i, (s, c) in enumerate(cast)], sections, rule, quorum=quorum
    )
    with app.test_request_context(), force_locale("en"):
        assert wording.vote_explanation(result) == result.explanation


def test_a_vote_explanation_is_worded_in_each_interface_language(app):
    result = tally.tally(
        [tally.Ballot(1, "Argentina", "yes"), tally.Ballot(2, "Austria", "no")],
        [tally.SectionInfo(s) for s in SECTIONS[:3]],
        "majority",
    )
    with app.test_request_context():
        worded = set()
        for language in ("en", "es", "de", "fr", "tr", "eo"):
            with force_locale(language):
                worded.add(wording.vote_explanation(result))
    assert len(worded) == 6 and all("1" in sentence and "2" in sentence for sentence in worded)


def test_a_conflict_is_kept_as_a_code_and_worded_when_shown(app):
    base = "We meet in spring.\n"
    result = rebase(base, base.replace("spring", "summer"), base.replace("spring", "autumn"))
    stored = wording.conflict_of(result)
    assert json.loads(stored) == {"code": "changed_by_adoption", "passages": 1}
    with app.test_request_context(), force_locale("en"):
        assert (
            wording.conflict_message(stored)
            == "The adopted text also changed the passage this amendment changes."
        )
    with app.test_request_context(), force_locale("de"):
        assert wording.conflict_message(stored) not in ("", stored, None)


def test_a_conflict_found_in_a_later_version_names_that_version(app):
    v1 = "Article one. Article two. Article three.\n"
    v2 = "Preamble added here. " + v1
    v3 = v2.replace("Article three.", "Article 3.")
    result = rebase_across([v1, v2, v3], v1.replace("three.", "three, revised."))
    with app.test_request_context(), force_locale("en"):
        message = wording.conflict_message(wording.conflict_of(result, base_number=1))
    assert message == (
        "Of the 2 versions adopted since this amendment was written, version 3 also changed "
        "the passage this amendment changes."
    )


def test_a_conflict_stored_in_words_before_codes_is_shown_as_it_was(app):
    with app.test_request_context():
        assert (
            wording.conflict_message("Something the old code said.")
            == "Something the old code said."
        )


def test_an_illegal_transition_is_worded_with_the_states_names(app):
    error = IllegalTransition("declaration", "draft", "published", ["amending", "withdrawn"])
    with app.test_request_context(), force_locale("en"):
        assert wording.domain_error(error) == (
            "This cannot go from “draft” to “published”; from here it can "
            "become: open for amendments, withdrawn."
        )

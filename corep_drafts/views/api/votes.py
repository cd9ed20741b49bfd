"""Votes over the API (CONTRACT.md): open, final vote, ballots, close, read."""

from flask_login import current_user

from corep_drafts.services import votes
from corep_drafts.views.api import bodies, schemas
from corep_drafts.views.api.operations import operation


def opening_options(body: bodies.VoteOpening) -> dict:
    return {"mode": str(body.mode), "closes_at": body.closes_at}


@operation(
    "POST",
    "/amendments/<int:amendment_id>/vote",
    summary="Open the vote on an amendment (executive; declaration amending or voting)",
    body=bodies.VoteOpening,
    body_required=False,
    answers={201: schemas.VoteCreated},
)
def open_amendment_vote(amendment_id: int, body: bodies.VoteOpening):
    vote = votes.open_amendment_vote(current_user, amendment_id, **opening_options(body))
    return schemas.VoteCreated(vote_id=vote.id)


@operation(
    "POST",
    "/declarations/<int:declaration_id>/final-vote",
    summary="Open the final vote on the whole text (executive; declaration voting, no vote open)",
    body=bodies.VoteOpening,
    body_required=False,
    answers={201: schemas.VoteCreated},
)
def open_final_vote(declaration_id: int, body: bodies.VoteOpening):
    vote = votes.open_final_vote(current_user, declaration_id, **opening_options(body))
    return schemas.VoteCreated(vote_id=vote.id)


@operation(
    "POST",
    "/votes/<int:vote_id>/ballots",
    summary="Cast or change your ballot (delegate, for your own section, while the vote is open): "
    "201 the first time, 200 when changed",
    body=bodies.BallotInput,
    answers={201: schemas.BallotCounted, 200: schemas.BallotCounted},
)
def cast_ballot(vote_id: int, body: bodies.BallotInput):
    choice = str(body.choice)
    created = votes.cast_ballot(current_user, vote_id, choice)
    # The choice sent is the one stored: reading it from the ballot would load it again.
    return schemas.BallotCounted(vote_id=vote_id, choice=choice), 201 if created else 200


@operation(
    "POST",
    "/votes/<int:vote_id>/close",
    summary="Close a vote (executive): the result, and on adoption the new version, in one step",
    answers={200: schemas.Vote},
)
def close_vote(vote_id: int):
    return schemas.Vote.of(votes.close_vote(current_user, vote_id), current_user)


@operation(
    "GET",
    "/votes/<int:vote_id>",
    summary="A vote with its turnout (by section: the executive while it is open, everyone once "
    "closed), and its result once closed (ballots only for roll-call votes)",
    answers={200: schemas.Vote},
)
def get_vote(vote_id: int):
    return schemas.Vote.of(votes.get_visible_vote(current_user, vote_id), current_user)

"""Votes over the API (CONTRACT.md): open, final vote, ballots, close, read."""

from datetime import datetime

from flask import jsonify, request
from flask_babel import gettext as _
from flask_login import current_user

from corep_drafts.services import votes
from corep_drafts.views.api import bp, schemas
from corep_drafts.views.api.parsing import MalformedRequest, optional_string


def opening_options() -> dict:
    """Optional body {"mode": "secret" | "roll_call", "closes_at": ISO 8601 with offset}."""
    if not request.get_data():
        return {}
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise MalformedRequest(_("The body must be a JSON object (or empty)."))
    options = {}
    if "mode" in body:
        options["mode"] = optional_string(body, "mode")
    if body.get("closes_at") is not None:
        try:
            options["closes_at"] = datetime.fromisoformat(
                optional_string(body, "closes_at").replace("Z", "+00:00")
            )
        except ValueError:
            raise MalformedRequest(
                _("%(field)s must be an ISO 8601 date and time.", field="closes_at")
            ) from None
    return options


@bp.post("/amendments/<int:amendment_id>/vote")
def open_amendment_vote(amendment_id: int):
    """Open the vote on an amendment (executive)."""
    vote = votes.open_amendment_vote(current_user, amendment_id, **opening_options())
    return jsonify({"vote_id": vote.id}), 201


@bp.post("/declarations/<int:declaration_id>/final-vote")
def open_final_vote(declaration_id: int):
    """Open the final vote on the whole text (executive; declaration voting, no vote open)."""
    vote = votes.open_final_vote(current_user, declaration_id, **opening_options())
    return jsonify({"vote_id": vote.id}), 201


@bp.post("/votes/<int:vote_id>/ballots")
def cast_ballot(vote_id: int):
    """Cast or change one's ballot: 201 the first time, 200 when changed."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or "choice" not in body:
        raise MalformedRequest(
            _("The body must be %(shape)s.", shape='{"choice": "yes" | "no" | "abstain"}')
        )
    ballot, created = votes.cast_ballot(current_user, vote_id, optional_string(body, "choice"))
    return jsonify({"vote_id": vote_id, "choice": ballot.choice}), 201 if created else 200


@bp.post("/votes/<int:vote_id>/close")
def close_vote(vote_id: int):
    """Close a vote (executive) and answer with the vote and its result."""
    vote = votes.close_vote(current_user, vote_id)
    return jsonify(schemas.vote_detail(vote, current_user))


@bp.get("/votes/<int:vote_id>")
def get_vote(vote_id: int):
    """A vote: its state, and its result once closed (ballots only for roll-call votes)."""
    return jsonify(schemas.vote_detail(votes.get_visible_vote(current_user, vote_id), current_user))

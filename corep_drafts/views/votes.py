"""Meeting mode: the live vote page, the projector view, ballots, and the executive's buttons."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from corep_drafts import permissions, wording
from corep_drafts.domain import workflow
from corep_drafts.domain.workflow import VoteMode
from corep_drafts.services import amendments, declarations, input_checks, votes
from corep_drafts.views.forms_support import attempt, me

bp = Blueprint("votes", __name__)


def _closing_time(raw: str | None) -> datetime | None:
    """An ISO time with offset (the page's script adds the browser's offset), or nothing."""
    if not raw:
        return None
    return input_checks.moment_from_text(raw, "closes_at")


def live_state(vote, user) -> dict:
    """What the live pages need to refresh themselves: never a ballot while the vote is open, and
    which sections have voted only for whom may see it (the executive, until the close)."""
    progress = votes.turnout(vote)
    result = votes.result_of(vote)
    state = {
        "state": vote.state,
        "turnout": progress.summary,
        "outcome": str(result.outcome) if result else None,
        "explanation": wording.vote_explanation(result) if result else None,
    }
    if permissions.can_see_turnout_by_section(user, vote):
        state["voted"] = list(progress.voted)
        state["waiting"] = list(progress.waiting)
    return state


@bp.get("/declarations/<int:declaration_id>/votes")
def index(declaration_id: int):
    """The votes of a declaration, and for the executive the amendments ready to be voted on."""
    declaration = declarations.get_visible_declaration(current_user, declaration_id)
    all_amendments = amendments.list_amendments(current_user, declaration.id)
    return render_template(
        "votes/index.html",
        declaration=declaration,
        votes=votes.votes_of(declaration.id),
        ready=[
            a
            for a in all_amendments
            if workflow.is_ready(a.status, a.base_version_id == declaration.current_version.id)
        ],
        can_manage=permissions.can_manage_declaration(current_user),
    )


def _open_vote(opening, declaration_id: int, opened_message):
    """Open a vote from the form's mode and closing time; a refusal goes back to the votes page."""
    vote, refusal = attempt(
        lambda: opening(
            me(),
            mode=request.form.get("mode", VoteMode.SECRET),
            closes_at=_closing_time(request.form.get("closes_at")),
        )
    )
    if refusal is not None:
        return redirect(url_for("votes.index", declaration_id=declaration_id))
    flash(opened_message(vote), "success")
    return redirect(url_for("votes.show", vote_id=vote.id))


@bp.post("/amendments/<int:amendment_id>/vote")
def open_amendment(amendment_id: int):
    """The executive opens the vote on an amendment."""
    amendment = amendments.get_visible_amendment(current_user, amendment_id)
    return _open_vote(
        lambda user, **options: votes.open_amendment_vote(user, amendment_id, **options),
        amendment.declaration_id,
        lambda vote: _("The vote on %(label)s is open.", label=vote.amendment.label),
    )


@bp.post("/declarations/<int:declaration_id>/final-vote")
def open_final(declaration_id: int):
    """The executive opens the final vote on the whole text."""
    return _open_vote(
        lambda user, **options: votes.open_final_vote(user, declaration_id, **options),
        declaration_id,
        lambda vote: _("The final vote is open."),
    )


@bp.get("/votes/<int:vote_id>")
def show(vote_id: int):
    """The live vote page: turnout while open, the result once closed."""
    vote = votes.get_visible_vote(current_user, vote_id)
    return render_template(
        "votes/show.html",
        vote=vote,
        live=live_state(vote, current_user),
        result=votes.result_of(vote),
        own_ballot=votes.own_ballot(current_user, vote),
        can_vote=permissions.can_vote(current_user),
        can_manage=permissions.can_manage_declaration(current_user),
        delegate_names={b.delegate_id: b.delegate.name for b in vote.ballots},
    )


@bp.get("/votes/<int:vote_id>/projector")
def projector(vote_id: int):
    """The same vote in large type, for a screen in the meeting room."""
    vote = votes.get_visible_vote(current_user, vote_id)
    return render_template(
        "votes/projector.html",
        vote=vote,
        live=live_state(vote, current_user),
        result=votes.result_of(vote),
    )


@bp.get("/votes/<int:vote_id>/live")
def live(vote_id: int):
    """Polled by the live pages every few seconds; it reads the database, so any worker answers."""
    response = jsonify(live_state(votes.get_visible_vote(current_user, vote_id), current_user))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/votes/<int:vote_id>/ballot")
def ballot(vote_id: int):
    """A delegate casts or changes the ballot of their section's delegate."""
    cast, refusal = attempt(votes.cast_ballot, me(), vote_id, request.form.get("choice", ""))
    if refusal is None:
        _ballot, created = cast
        flash(
            _("Your ballot was counted.") if created else _("Your ballot was changed."), "success"
        )
    return redirect(url_for("votes.show", vote_id=vote_id))


@bp.post("/votes/<int:vote_id>/close")
def close(vote_id: int):
    """The executive closes the vote; an adopted amendment becomes the new version at once."""
    vote, refusal = attempt(votes.close_vote, me(), vote_id)
    if refusal is None:
        flash(wording.vote_explanation(votes.result_of(vote)), "success")
    return redirect(url_for("votes.show", vote_id=vote_id))

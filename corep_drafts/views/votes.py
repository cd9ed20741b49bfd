"""Meeting mode: the live vote page, the projector view, ballots, and the executive's buttons."""

from __future__ import annotations

import json
import time
from datetime import datetime

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_login import AnonymousUserMixin, current_user

from corep_drafts import live_updates, permissions, wording
from corep_drafts.domain import workflow
from corep_drafts.domain.workflow import VoteMode
from corep_drafts.extensions import db
from corep_drafts.services import accounts, amendments, declarations, input_checks, votes
from corep_drafts.services.errors import NotFound
from corep_drafts.views.forms_support import attempt, me

bp = Blueprint("votes", __name__)

# A stream ends after this long and the browser's EventSource reconnects (after RETRY), so a
# signed-out or deactivated account, or a server being replaced, never holds one for ever.
STREAM_SECONDS = 300
RETRY_MILLISECONDS = 3000
# A comment line this often keeps proxies from closing an idle stream and finds gone clients.
HEARTBEAT_SECONDS = 15
# A burst of ballots is read once per this interval, not once per ballot, by each stream.
EVENT_INTERVAL_SECONDS = 0.25


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
        delegate_names=votes.delegate_names(vote),
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
    """The live state as JSON: polled by the live pages where the event stream is not available;
    it reads the database, so any worker answers."""
    response = jsonify(live_state(votes.get_visible_vote(current_user, vote_id), current_user))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/votes/<int:vote_id>/events")
def events(vote_id: int):
    """Server-Sent Events: the state `live` answers, sent again whenever a ballot is cast or
    changed and when the vote closes (then the stream ends), with a heartbeat in between."""
    votes.get_visible_vote(current_user, vote_id)  # 404 before the stream starts
    if live_updates.open_streams() >= current_app.config["COREP_LIVE_STREAMS_PER_WORKER"]:
        # The page's script then polls `live` instead (EventSource gives up on a 503).
        return Response(status=503, headers={"Retry-After": str(RETRY_MILLISECONDS // 1000)})
    stream = _vote_events(
        current_app._get_current_object(),
        vote_id,
        current_user.get_id() if current_user.is_authenticated else None,
        str(get_locale()),
    )
    return Response(
        stream,
        mimetype="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


def _current_state(app, vote_id: int, session_token: str | None, locale: str) -> dict | None:
    """The vote's live state as its reader may see it now, read in an app context (and database
    session) of its own; None once the reader may no longer see it or is signed out."""
    with app.app_context(), force_locale(locale):
        reader = AnonymousUserMixin()
        if session_token is not None:
            reader = accounts.find_user_by_session_token(session_token)
            if reader is None or not reader.is_active:
                return None
        try:
            return live_state(votes.get_visible_vote(reader, vote_id), reader)
        except NotFound:
            return None
        finally:
            db.session.remove()  # no database connection is held while the stream waits


def _vote_events(app, vote_id: int, session_token: str | None, locale: str):
    with app.app_context():
        database_url = db.engine.url
    subscription = live_updates.subscribe(vote_id, database_url)
    try:
        yield f"retry: {RETRY_MILLISECONDS}\n\n"
        ends_at = time.monotonic() + STREAM_SECONDS
        announced, sent, sent_at = True, None, 0.0
        while True:
            state = _current_state(app, vote_id, session_token, locale)
            if state is None:
                return
            data = json.dumps(state, ensure_ascii=False)
            # Sent only when it changed: a wake-up may be for another vote or another change (on
            # SQLite, any commit to the file), and the state is read again at each heartbeat too.
            if data != sent:
                yield f"data: {data}\n\n"
                sent, sent_at = data, time.monotonic()
            remaining = ends_at - time.monotonic()
            if state["state"] != workflow.VoteState.OPEN or remaining <= 0:
                return
            announced = subscription.wait(min(HEARTBEAT_SECONDS, remaining))
            if not announced:
                yield ": heartbeat\n\n"
                continue
            pause = sent_at + EVENT_INTERVAL_SECONDS - time.monotonic()
            if pause > 0:
                time.sleep(pause)
    finally:
        subscription.close()


@bp.post("/votes/<int:vote_id>/ballot")
def ballot(vote_id: int):
    """A delegate casts or changes the ballot of their section's delegate."""
    created, refusal = attempt(votes.cast_ballot, me(), vote_id, request.form.get("choice", ""))
    if refusal is None:
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

"""The person's notifications on the site: the list, newest first, and marking them read."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, get_timezone, ngettext
from flask_login import current_user

from corep_drafts.services import notification_texts, notifications

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.get("")
def index():
    """Each notification in the reader's language and zone, with a link straight to its
    amendment or vote."""
    language, zone = str(get_locale()), get_timezone()
    shown = []
    for notification in notifications.notifications_of(current_user.id):
        words = notification_texts.words_for(notification, language, zone)
        shown.append((notification, words, notification_texts.link_path(words)))
    return render_template("notifications/index.html", shown=shown)


def _back():
    return redirect(url_for("notifications.index", _anchor=request.form.get("anchor") or None))


@bp.post("/<int:notification_id>/read")
def mark_read(notification_id: int):
    if not notifications.mark_read(current_user.id, notification_id):
        abort(404)
    return _back()


@bp.post("/read")
def mark_all_read():
    count = notifications.mark_all_read(current_user.id)
    flash(
        ngettext(
            "Marked %(num)d notification as read.", "Marked %(num)d notifications as read.", count
        ),
        "success",
    )
    return redirect(url_for("notifications.index"))

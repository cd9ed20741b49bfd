"""Putting a service's refusal where the person will see it: beside its field, or flashed; and
who is asking, as the services want them."""

from collections.abc import Callable
from typing import TypeVar

from flask import flash
from flask_login import current_user
from flask_wtf import FlaskForm

from corep_drafts.services.errors import ServiceError

Result = TypeVar("Result")


def me():
    """The signed-in person (or the anonymous one) as an object, not the request-bound proxy:
    services keep it, compare it and store it."""
    return current_user._get_current_object()


def show_error_on_form(form: FlaskForm, error: ServiceError) -> None:
    field = form._fields.get(error.field) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        flash(error.message, "error")


def attempt(
    call: Callable[..., Result], *args, form: FlaskForm | None = None, **kwargs
) -> tuple[Result | None, ServiceError | None]:
    """Run one service call for a page. A refusal goes beside its field of ``form`` (or is
    flashed) and is returned for the page to answer with its status; "not found" stays a 404,
    since a page cannot show what one may not know exists."""
    try:
        return call(*args, **kwargs), None
    except ServiceError as error:
        if error.status == 404:
            raise
        if form is not None:
            show_error_on_form(form, error)
        else:
            flash(error.message, "error")
        return None, error

"""Putting a service's refusal where the person will see it: beside its field, or flashed."""
from flask import flash
from flask_wtf import FlaskForm

from corep_drafts.services.errors import ServiceError


def show_error_on_form(form: FlaskForm, error: ServiceError) -> None:
    field = form._fields.get(error.field) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        flash(error.message, "error")

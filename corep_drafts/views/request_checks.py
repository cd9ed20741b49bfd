"""A check every page request passes before its view: no lone surrogate in what it sent.

Werkzeug keeps invalid UTF-8 in a query or form as its percent-escapes, but Flask-WTF also reads a
JSON body as a form, and JSON can spell a lone surrogate (``"\\ud800"``). A page that shows the
posted text again (the editor, a refused form) could then not even be encoded as UTF-8 (500).
Such a request is malformed: 400. The API is left to its services, which refuse the same text
with `invalid_text` (422), as they refuse NUL.
"""

from __future__ import annotations

from flask import Flask, request

from corep_drafts import wording
from corep_drafts.domain.text_input import InvalidText, check_text
from corep_drafts.services.errors import ServiceError


class UnencodableRequest(ServiceError):
    status = 400
    code = "invalid_text"


def _strings(value):
    """Every string in a parsed JSON value (keys too), without recursion."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)


def refuse_lone_surrogates() -> None:
    if request.path.startswith("/api/"):
        return
    sent = [*request.args.keys(), *request.args.values()]
    if request.method in ("POST", "PUT", "PATCH"):
        sent += [*request.form.keys(), *request.form.values()]
        if request.is_json:
            sent += list(_strings(request.get_json(silent=True)))
    for text in sent:
        try:
            check_text(text.replace("\x00", ""))  # NUL is each field's own refusal
        except InvalidText as error:
            raise UnencodableRequest(wording.domain_error(error)) from None


def register(app: Flask) -> None:
    app.before_request(refuse_lone_surrogates)

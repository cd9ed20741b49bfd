"""Bad input never answers 500: every route of `app.url_map`, walked as every role with hostile
path values, query strings, form posts and JSON bodies (issue 10, item 11).

A path id no INTEGER column can hold is 404 (the app's `int` converter); anything else may be
refused as the route sees fit (400, 403, 404, 409, 422...) but never with a 5xx or an exception.
The targeted refusals, with "nothing changed", are in test_bad_input_refusals.py.
"""

from __future__ import annotations

import re
from urllib.parse import quote, unquote

import pytest
from corep_testing import PASSWORD, adopt_a_declaration
from hypothesis import given
from hypothesis import strategies as st
from werkzeug.exceptions import HTTPException, NotFound

from corep_drafts.domain.limits import MAX_ID
from corep_drafts.services import (
    accounts,
    amendments,
    declarations,
    invitations,
    translations,
    votes,
)
from corep_drafts.views.converters import digits_up_to

ROLES = ("anonymous", "member", "delegate_a", "executive", "admin")

TOO_LARGE = ("9223372036854775808", "2147483648", "1" * 30)
NOT_AN_ID = ("-1", "1e400", "Infinity")
# Raw (already percent-encoded) path and query values: NUL, a lone surrogate as the invalid
# UTF-8 a browser would send (ED A0 80), a right-to-left override, a line break.
HOSTILE_TEXT = ("%00", "%ED%A0%80", "%E2%80%AE", "x%0D%0Ay")

NUMBER_PARAMETERS = (
    "declaration",
    "actor",
    "section",
    "from",
    "to",
    "paragraph",
    "page",
    "tz_offset",
    "version",
    "number",
)
TEXT_PARAMETERS = ("language", "beside", "q", "status", "view", "other", "next", "action", "whole")
QUERY_NUMBERS = ("9223372036854775808", "-1", "1e400", "1" * 30, "900")

TEXT_FIELDS = (
    "text",
    "rationale",
    "body",
    "title",
    "name",
    "email",
    "language",
    "choice",
    "mode",
    "to",
    "next",
    "section",
    "preferred_language",
    "time_zone",
    "current_password",
    "new_password",
    "confirm_password",
    "password",
    "roles",
)
NUMBER_FIELDS = (
    "quorum",
    "weight",
    "version",
    "paragraphs",
    "paragraph-1",
    "base_version",
    "paragraph",
    "start",
    "end",
    "tz_offset",
    "amendments",
    "active",
)


def _form(text: str, number: str, deadline: str, iso: str, offset: str) -> dict:
    return {
        **dict.fromkeys(TEXT_FIELDS, text),
        **dict.fromkeys(NUMBER_FIELDS, number),
        "deadline": deadline,
        "deadline_iso": iso,
        "closes_at": iso,
        "tz_offset": offset,
    }


HOSTILE_FORMS = (
    _form("x\x00y", "1" * 30, "9999-12-31T23:59", "9999-12-31T23:59:00-05:00", "900"),
    _form("\u202eevil", "-1", "0001-01-01T00:00", "0001-01-01T00:00:00+05:00", "-900"),
    _form("Infinity", "9223372036854775808", "1e400", "Infinity", "NaN"),
)
# Invalid UTF-8 in a form post (what a lone surrogate becomes on the way).
RAW_FORM = "&".join(f"{name}=%ED%A0%80x" for name in (*TEXT_FIELDS, *NUMBER_FIELDS)).encode()

HOSTILE_JSON = (
    {
        "base_version": 2**63,
        "version": 2**63,
        "text": "x\ud800y",
        "rationale": "x\ud800y",
        "choice": "yes\x00",
        "to": "amending\x00",
        "mode": "\x00",
        "closes_at": "9999-12-31T23:59:59-05:00",
        "paragraph": 2**63,
    },
    {
        "base_version": "1" * 30,
        "version": -1,
        "text": "a\x00b",
        "rationale": "\u202e",
        "closes_at": "0001-01-01T00:00:00+05:00",
        "start": 2**63,
        "end": -(2**63),
    },
)
RAW_JSON = (
    "[" * 100_000 + "]" * 100_000,
    '{"base_version": 1e400, "version": Infinity, "text": "a", "paragraph": NaN}',
    '{"base_version": 1, "text": "x\\ud800y", "rationale": "\\udfff", "paragraph": 1e400}',
)


@pytest.fixture
def world(app, people, make_user):
    """Objects of every kind, so that valid path values reach the views: a published declaration
    with a translation, a draft in its amendment period with an amendment and an open vote."""
    executive = people["executive"]
    adopted, _labels = adopt_a_declaration(people)
    declarations.transition(executive, adopted.id, "published")
    translations.save(
        executive,
        adopted.id,
        "de",
        adopted.current_version.number,
        adopted.current_version.text.replace("work", "Arbeit"),
    )
    draft = declarations.create_declaration(
        "Draft", "Some text.\n\nMore text.\n", created_by=executive
    )
    declarations.transition(executive, draft.id, "amending")
    amendment = amendments.propose(
        people["delegate_a"], draft.id, 1, "Some text.\n\nBetter text.\n", "why"
    )
    voted_on = amendments.propose(
        people["delegate_b"], draft.id, 1, "Other text.\n\nMore text.\n", "why"
    )
    vote = votes.open_amendment_vote(executive, voted_on.id)
    target = make_user("member", email="target@example.org")
    accounts.create_token(target, "someone's")
    _invited, invitation_token = invitations.invite_user(
        "invited@example.org", "Invited", ["member"]
    )
    return {
        "declaration_id": draft.id,
        "amendment_id": amendment.id,
        "vote_id": vote.id,
        "number": 1,
        "user_id": target.id,
        "section_id": accounts.list_sections()[0].id,
        "token_id": target.tokens[0].id,
        "filename": "css/app.css",
        "fmt": "md",
        "proposal_id": 1,
        "notification_id": 1,
        "language": "de",
        "published_id": adopted.id,
        "token": invitation_token,  # a live invitation: hostile forms reach its password page
    }


ARGUMENT = re.compile(r"<(?:(?P<converter>[a-z]+)(?:\([^)]*\))?:)?(?P<name>[a-z_]+)>")


def path_of(rule, values: dict, hostile: tuple[str, str] | None = None, largest_ids=()) -> str:
    """The rule's path with valid values, one argument replaced by a raw hostile value, or every
    numeric one by the largest id (which names nothing)."""

    def value(match):
        name = match.group("name")
        if hostile and name == hostile[0]:
            return hostile[1]
        if largest_ids and largest_ids.get(name) == "int":
            return str(MAX_ID)
        if name == "declaration_id" and rule.endpoint.startswith("record."):
            return str(values["published_id"])
        return quote(str(values[name]))

    return ARGUMENT.sub(value, rule.rule)


def walked_rules(app):
    # Signing out would end the walk's session; everything else is walked.
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint != "auth.logout"]


class Walk:
    """Requests as one role; every answer of 500 or more, or exception, is kept as a failure."""

    def __init__(self, app, people, role):
        app.config["WTF_CSRF_ENABLED"] = False  # so that the bodies reach the views
        self.client = app.test_client()
        self.headers = {}
        self.failures: list[str] = []
        self.count = 0
        if role != "anonymous":
            signed_in = self.client.post(
                "/login", data={"email": people[role].email, "password": PASSWORD}
            )
            assert signed_in.status_code == 302, "could not sign in"
            self.headers = {"Authorization": "Bearer " + accounts.create_token(people[role])}

    def request(self, method: str, path: str, expect: int | None = None, **kwargs):
        self.count += 1
        headers = self.headers if path.startswith("/api/") else {}
        try:
            response = self.client.open(path, method=method, headers=headers, **kwargs)
        except Exception as error:  # noqa: BLE001 - an exception is the failure being looked for
            self.failures.append(f"{method} {path}: {type(error).__name__}: {error}"[:300])
            return
        if response.status_code >= 500 or (expect and response.status_code != expect):
            self.failures.append(f"{method} {path}: {response.status_code}")


def methods_of(rule) -> list[str]:
    return sorted(rule.methods - {"HEAD", "OPTIONS"})


def test_every_path_id_that_no_column_can_hold_is_404_on_every_route_and_method(app):
    """Decided by routing, before any view or permission: matched here without requests, every
    rule and method with every hostile value in each of its numeric arguments."""
    adapter = app.url_map.bind("localhost")
    failures = []
    for rule in app.url_map.iter_rules():
        converters = {m["name"]: m["converter"] for m in ARGUMENT.finditer(rule.rule)}
        for name in (name for name, converter in converters.items() if converter == "int"):
            for value in (*TOO_LARGE, *NOT_AN_ID, "9223372036854775807", *HOSTILE_TEXT):
                path = ARGUMENT.sub(
                    lambda m, name=name, value=value: value if m["name"] == name else "1",
                    rule.rule,
                )
                for method in methods_of(rule):
                    try:
                        adapter.match(unquote(path), method=method)
                        failures.append(f"{method} {path} matched")
                    except NotFound:
                        pass
                    except HTTPException as error:
                        failures.append(f"{method} {path}: {error.code}")
    assert failures == []


@pytest.mark.parametrize("role", ROLES)
def test_the_examples_of_the_issue_answer_404_to_every_role(app, people, role):
    walk = Walk(app, people, role)
    for path in (
        "/read/9223372036854775808",
        "/api/v1/declarations/9223372036854775808",
        "/declarations/2147483648/amendments/new",
        "/votes/111111111111111111111111111111/live",
    ):
        walk.request("GET", path, expect=404)
    walk.request("POST", "/api/v1/amendments/9223372036854775808/withdraw", expect=404)
    walk.request("PUT", "/api/v1/amendments/2147483648", expect=404, json={})
    assert walk.failures == []


QUERY_STRINGS = (
    "&".join(f"{name}=9223372036854775808" for name in NUMBER_PARAMETERS),
    "&".join(
        f"{name}={value}"
        for name, value in zip(
            NUMBER_PARAMETERS, ("-1", "1e400", "1" * 30, "900", "Infinity") * 2, strict=True
        )
    ),
    "&".join(f"{name}=x%00y" for name in TEXT_PARAMETERS),
    "&".join(
        f"{name}={value}"
        for name, value in zip(TEXT_PARAMETERS, ("%ED%A0%80", "%E2%80%AE", "%00") * 3, strict=True)
    ),
)
TEXT_PATH_VALUES = (*HOSTILE_TEXT, "9223372036854775808", "-1", "1e400")


@pytest.mark.parametrize("role", ROLES)
def test_no_route_answers_5xx_to_hostile_values_as_any_role(app, people, world, role):
    """Every route and method: the largest id in every numeric argument, hostile text in every
    other one, hostile query strings on every page, hostile forms and JSON bodies on every
    POST and PUT."""
    walk = Walk(app, people, role)
    for rule in walked_rules(app):
        converters = {m["name"]: m["converter"] for m in ARGUMENT.finditer(rule.rule)}
        for method in methods_of(rule):
            if any(converter == "int" for converter in converters.values()):
                walk.request(method, path_of(rule, world, largest_ids=converters))
            for name in (name for name, converter in converters.items() if converter != "int"):
                for value in TEXT_PATH_VALUES:
                    walk.request(method, path_of(rule, world, (name, value)))
            path = path_of(rule, world)
            if method == "GET":
                for query in QUERY_STRINGS if rule.endpoint != "static" else ():
                    walk.request("GET", f"{path}?{query}")
                continue
            api = path.startswith("/api/")
            if not api:
                for form in HOSTILE_FORMS:
                    walk.request(method, path, data=form)
                walk.request(
                    method, path, data=RAW_FORM, content_type="application/x-www-form-urlencoded"
                )
            # Pages read JSON too (the live preview; Flask-WTF takes a JSON body as the form).
            for body in HOSTILE_JSON if api else HOSTILE_JSON[:1]:
                walk.request(method, path, json=body)
            for raw in RAW_JSON if api else RAW_JSON[:2]:
                walk.request(method, path, data=raw, content_type="application/json")
    assert walk.failures == [], f"{len(walk.failures)} of {walk.count}:\n" + "\n".join(
        walk.failures[:40]
    )


@given(st.integers(min_value=0, max_value=10**12))
def test_the_id_converter_matches_exactly_the_numbers_up_to_max_id(number):
    pattern = re.compile(digits_up_to(MAX_ID))
    assert bool(pattern.fullmatch(str(number))) == (number <= MAX_ID)


@pytest.mark.parametrize("maximum", [0, 1, 9, 10, 99, 100, 709, 2**31 - 1])
def test_the_id_pattern_holds_at_every_boundary(maximum):
    pattern = re.compile(digits_up_to(maximum))
    for number in {0, 1, maximum - 1, maximum, maximum + 1, maximum * 10, 10 ** len(str(maximum))}:
        if number >= 0:
            assert bool(pattern.fullmatch(str(number))) == (number <= maximum), number
    assert not pattern.fullmatch("٣") and not pattern.fullmatch("-1")

"""Schemathesis against the served /api/v1/openapi.json, in-process (WSGI), with a valid token for
each role on a seeded database: no answer is a 5xx, and every answer is one the document declares
for that operation, with the body and headers its schema gives.

Bounded and reproducible: a fixed number of examples per operation and role, derandomized, no
deadline, no example database. Path ids are drawn half the time from the seeded objects, so the
requests reach real declarations, amendments and votes rather than only 404s. A share of the
requests is negative (schemathesis breaks the document's rules on purpose).
"""

from __future__ import annotations

import contextvars
from collections import Counter

import pytest
import schemathesis
from corep_testing import adopt_a_declaration
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from corep_drafts.services import accounts, amendments, declarations, translations, votes
from corep_drafts.views.api.operations import OPERATIONS

ROLES = {"member": "member", "delegate": "delegate_a", "executive": "executive", "admin": "admin"}
# Per operation and role: requests the document allows, and requests it forbids (a wrong type, a
# missing field, a value out of range), which must get a documented answer, never a 5xx. With 18
# operations and 4 roles: 792 + 288 = 1,080 requests.
EXAMPLES = {GenerationMode.POSITIVE: 11, GenerationMode.NEGATIVE: 4}
MINIMUM_REQUESTS = 1_000
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]

TEXT = "# Heat\n\nWork stops above a set temperature.\n\nBreaks in the shade are paid.\n"
GERMAN = "# Hitze\n\nDie Arbeit endet über einer Temperatur.\n\nPausen im Schatten sind bezahlt.\n"


def seed(people) -> dict[str, list]:
    """Declarations in several states, amendments of both proposers, open and closed votes, a
    translation; returns the ids a path may name."""
    executive, a, b = people["executive"], people["delegate_a"], people["delegate_b"]
    adopted, by_label = adopt_a_declaration(people)
    amending = declarations.create_declaration("Open for amendments", TEXT, created_by=executive)
    declarations.transition(executive, amending.id, "amending")
    first = amendments.propose(a, amending.id, 1, TEXT.replace("paid", "paid in full"), "why")
    second = amendments.propose(b, amending.id, 1, TEXT.replace("set", "legal"), "")
    open_vote = votes.open_amendment_vote(executive, second.id)
    votes.cast_ballot(a, open_vote.id, "yes")
    translations.save(b, amending.id, "de", 1, GERMAN)
    draft = declarations.create_declaration("A draft", TEXT, created_by=executive)
    voting = declarations.create_declaration("Voting", TEXT, created_by=executive)
    declarations.transition(executive, voting.id, "amending")
    declarations.transition(executive, voting.id, "voting")
    final = votes.open_final_vote(executive, voting.id, mode="roll_call")
    votes.cast_ballot(b, final.id, "no")
    closed = [v.id for v in votes.votes_of(adopted.id)]
    return {
        "declaration_id": [adopted.id, amending.id, draft.id, voting.id],
        "amendment_id": [first.id, second.id, *(a.id for a in by_label.values())],
        "vote_id": [open_vote.id, final.id, *closed],
        "number": [1, 2, 3],
        "language": ["de", "es", "en"],
    }


@pytest.fixture
def schema(app):
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


def fuzz(operation, mode, token: str, known: dict[str, list], sent: Counter) -> None:
    names = [p.name for p in operation.path_parameters]
    known_paths = st.fixed_dictionaries({name: st.sampled_from(known[name]) for name in names})

    @settings(
        max_examples=EXAMPLES[mode],
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(
        case=operation.as_strategy(generation_mode=mode), use_known=st.booleans(), path=known_paths
    )
    def run(case, use_known, path):
        for name in names:
            if use_known:
                case.path_parameters[name] = path[name]
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {token}"}
        # Each request in a context of its own, as in a server: no `g` or session carried over.
        response = contextvars.Context().run(case.call)
        sent[operation.label] += 1
        sent[response.status_code] += 1
        case.validate_response(response, checks=CHECKS)

    run()


@pytest.mark.parametrize("role", list(ROLES))
def test_the_api_answers_every_generated_request_as_its_document_says(app, people, schema, role):
    known = seed(people)
    token = accounts.create_token(people[ROLES[role]])
    sent: Counter = Counter()
    for result in schema.get_all_operations():
        for mode in EXAMPLES:
            fuzz(result.ok(), mode, token, known, sent)
    by_operation = {key: n for key, n in sent.items() if isinstance(key, str)}
    by_status = {key: n for key, n in sent.items() if isinstance(key, int)}
    assert len(by_operation) == len(OPERATIONS), sorted(by_operation)  # every operation tried
    # Four roles, each at least a quarter of the total promised.
    assert sum(by_operation.values()) >= MINIMUM_REQUESTS / len(ROLES)
    # Not only 404s: real objects were read, and (for who may write) bodies were refused.
    assert by_status.get(200, 0) >= 20, by_status
    if role in ("delegate", "executive"):
        assert by_status.get(400, 0) + by_status.get(422, 0) >= 5, by_status

"""The JSON API skeleton: bearer tokens, the error object, declarations and versions, OpenAPI."""

import re

import pytest

from corep_drafts.domain.record import GENESIS_HASH, chain_hash
from corep_drafts.extensions import db
from corep_drafts.services import accounts, declarations


@pytest.fixture
def draft(people):
    return declarations.create_declaration(
        "Draft", "First.\n\nSecond.\n", created_by=people["executive"]
    )


def set_status(declaration, status):
    declaration.status = status
    db.session.commit()


def test_without_a_token_the_api_answers_401_with_the_error_object(api, people):
    response = api(None, "GET", "/declarations")
    assert response.status_code == 401
    assert response.get_json() == {
        "error": {"code": "unauthenticated", "message": response.get_json()["error"]["message"]}
    }


def test_a_malformed_or_unknown_token_is_401(api, client, people):
    for header in ("Bearer", "Bearer nope", "Basic abc", "Bearer cdt_unknown"):
        response = client.get("/api/v1/declarations", headers={"Authorization": header})
        assert response.status_code == 401
        assert response.is_json


def test_the_session_cookie_does_not_authenticate_api_calls(client, auth, people):
    auth.login("executive@example.org")
    assert client.get("/api/v1/declarations").status_code == 401


def test_unknown_paths_and_wrong_methods_under_the_api_answer_json(api, people):
    missing = api("member", "GET", "/nothing-here")
    assert missing.status_code == 404 and missing.get_json()["error"]["code"] == "not_found"
    wrong = api("member", "DELETE", "/declarations")
    assert wrong.status_code == 405 and wrong.get_json()["error"]["code"] == "method_not_allowed"


def test_declarations_are_listed_by_visibility(api, draft, people):
    assert api("executive", "GET", "/declarations").get_json() == [
        {"id": draft.id, "title": "Draft", "status": "draft"}
    ]
    assert api("delegate_a", "GET", "/declarations").get_json() == [
        {"id": draft.id, "title": "Draft", "status": "draft"}
    ]
    assert api("member", "GET", "/declarations").get_json() == []
    set_status(draft, "adopted")
    assert [d["id"] for d in api("member", "GET", "/declarations").get_json()] == [draft.id]


def test_a_draft_is_404_for_a_member_as_if_it_did_not_exist(api, draft):
    response = api("member", "GET", f"/declarations/{draft.id}")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"
    assert api("member", "GET", f"/declarations/{draft.id}/versions").status_code == 404


def test_a_declaration_is_returned_with_its_current_version(api, draft):
    body = api("delegate_b", "GET", f"/declarations/{draft.id}").get_json()
    assert body == {
        "id": draft.id,
        "title": "Draft",
        "status": "draft",
        "rule": "majority",
        "quorum": None,
        "language": "en",
        "amendment_deadline": None,
        "current_version": {
            "number": 1,
            "text": "First.\n\nSecond.\n",
            "hash": chain_hash(GENESIS_HASH, "First.\n\nSecond.\n"),
        },
    }


def test_versions_carry_the_hash_chain(api, draft):
    versions = api("executive", "GET", f"/declarations/{draft.id}/versions").get_json()
    assert len(versions) == 1
    first = versions[0]
    assert (
        first["number"] == 1 and first["prev_hash"] == GENESIS_HASH and first["cause"] == "initial"
    )
    assert first["hash"] == chain_hash(first["prev_hash"], "First.\n\nSecond.\n")
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", first["created_at"]) and first[
        "created_at"
    ].endswith("Z")
    one = api("executive", "GET", f"/declarations/{draft.id}/versions/1").get_json()
    assert one["text"] == "First.\n\nSecond.\n"
    assert api("executive", "GET", f"/declarations/{draft.id}/versions/2").status_code == 404


def test_using_a_token_records_when_it_was_last_used(api, people):
    token = accounts.create_token(people["member"])
    assert people["member"].tokens[0].last_used_at is None
    api(None, "GET", "/declarations", headers={"Authorization": f"Bearer {token}"})
    assert people["member"].tokens[0].last_used_at is not None


def flask_path_to_openapi(rule: str) -> str:
    return re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule.removeprefix("/api/v1"))


def test_every_api_route_is_in_the_openapi_document_and_every_documented_path_exists(app, client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.")
    routes = {}
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api.") and rule.endpoint != "api.openapi":
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                routes.setdefault(flask_path_to_openapi(rule.rule), set()).add(method.lower())
    documented = {path: set(ops) for path, ops in document["paths"].items()}
    assert routes == documented
    for path, operations in document["paths"].items():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                assert "{" + parameter["name"] + "}" in path


def test_the_openapi_document_references_only_defined_schemas(client):
    document = client.get("/api/v1/openapi.json").get_json()
    text = str(document)
    for ref in re.findall(r"#/components/(\w+)/(\w+)", text):
        assert ref[1] in document["components"][ref[0]], ref


def test_the_document_gives_each_write_its_errors_and_who_may_call_it(client):
    document = client.get("/api/v1/openapi.json").get_json()
    create = document["paths"]["/declarations/{declaration_id}/amendments"]["post"]
    assert create["x-roles"] == ["delegate"]
    assert set(create["responses"]) == {
        "201", "400", "401", "403", "404", "409", "413", "422", "429"
    }  # fmt: skip
    limited = document["components"]["responses"]["RateLimited"]
    assert "Retry-After" in limited["headers"]
    error = document["components"]["schemas"]["Error"]
    assert error["required"] == ["error"]
    body = document["components"]["schemas"]["AmendmentInput"]
    assert body["required"] == ["base_version", "text"]
    assert body["properties"]["base_version"]["maximum"] == 2**31 - 1
    assert "role" not in body["properties"] and "status" not in body["properties"]
    ballot = document["paths"]["/votes/{vote_id}/ballots"]["post"]
    assert document["components"]["schemas"]["Choice"]["enum"] == ["yes", "no", "abstain"]
    assert ballot["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/BallotInput"
    }

"""Bad input refused clearly, with nothing changed (issue 10, item 11): dates out of range,
numbers no column holds, NUL in every text field of every form, direction overrides in names,
and absolute links that never take the request's Host header."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from corep_testing import PASSWORD, adopt_a_declaration
from sqlalchemy import select

from corep_drafts.extensions import db
from corep_drafts.models import Declaration
from corep_drafts.services import accounts, amendments, declarations, translations

THIRTY_DIGITS = "1" * 30
TEXT = "Some text.\n\nMore text.\n"


def database_rows() -> dict[str, list[tuple]]:
    """Every row of every table: equal before and after means nothing changed."""
    rows = {}
    for table in db.metadata.sorted_tables:
        with db.engine.connect() as connection:
            rows[table.name] = sorted(
                (tuple(map(repr, row)) for row in connection.execute(table.select())),
            )
    return rows


@pytest.fixture
def signed_in(app, client, people):
    """Sign in as one of `people` (CSRF off: these tests are about the values, not the form)."""
    app.config["WTF_CSRF_ENABLED"] = False

    def sign_in(role: str):
        response = client.post("/login", data={"email": people[role].email, "password": PASSWORD})
        assert response.status_code == 302
        return client

    return sign_in


@pytest.fixture
def draft(people):
    declaration = declarations.create_declaration("Draft", TEXT, created_by=people["executive"])
    declarations.transition(people["executive"], declaration.id, "amending")
    return declaration


def refused(response) -> bool:
    """A clear refusal: 400 or 422, or the form page again with the reason flashed (a redirect
    for the buttons that answer with one)."""
    return response.status_code in (302, 400, 422)


# --- dates and numbers ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fields",
    [
        {"deadline_iso": "9999-12-31T23:59:00-05:00"},
        {"deadline_iso": "0001-01-01T00:00:00+05:00"},
        {"deadline": "9999-12-31T23:59", "tz_offset": "-840"},
        {"deadline": "0001-01-01T00:00", "tz_offset": "720"},
        {"deadline": "2030-05-01T12:00", "tz_offset": "900"},
        {"deadline": "2030-05-01T12:00", "tz_offset": "9223372036854775808"},
        {"deadline_iso": "1e400"},
    ],
)
def test_a_deadline_no_time_zone_can_show_is_refused_and_nothing_changes(
    client, signed_in, draft, fields
):
    signed_in("executive")
    before = database_rows()
    response = client.post(f"/declarations/{draft.id}/deadline", data=fields)
    assert response.status_code == 302
    page = client.get(f"/declarations/{draft.id}").get_data(as_text=True)
    assert "date and time between the years 1970 and 2999" in page or "whole number" in page
    assert database_rows() == before


def test_a_closing_time_at_year_9999_is_refused_on_the_page_and_by_the_api(
    client, signed_in, api, people, draft
):
    amendment = amendments.propose(people["delegate_a"], draft.id, 1, "Other.\n\nMore text.\n")
    before = database_rows()
    signed_in("executive")
    response = client.post(
        f"/amendments/{amendment.id}/vote", data={"closes_at": "9999-12-31T23:59:00-05:00"}
    )
    assert response.status_code == 302
    answer = api(
        "executive",
        "POST",
        f"/amendments/{amendment.id}/vote",
        json={"closes_at": "9999-12-31T23:59:59-05:00"},
    )
    assert answer.status_code in (400, 422) and "error" in answer.get_json()
    rows = database_rows()
    rows.pop("api_token"), before.pop("api_token")  # the API call made and used a token
    assert rows == before


@pytest.mark.parametrize("quorum", [THIRTY_DIGITS, "9223372036854775808", "1e400", "Infinity"])
def test_a_quorum_no_column_holds_is_a_form_error(client, signed_in, quorum):
    signed_in("executive")
    before = database_rows()
    response = client.post(
        "/declarations/new",
        data={"title": "T", "text": TEXT, "rule": "majority", "quorum": quorum, "language": "en"},
    )
    assert response.status_code == 422
    assert "whole number from 1 to 2147483647" in response.get_data(
        as_text=True
    ) or "Not a valid integer value" in response.get_data(as_text=True)
    assert database_rows() == before


@pytest.mark.parametrize("weight", [THIRTY_DIGITS, "2147483648", "1e400", "NaN"])
def test_a_section_weight_no_column_holds_is_a_form_error(client, signed_in, sections, weight):
    signed_in("admin")
    before = database_rows()
    for path in ("/admin/sections/new", f"/admin/sections/{sections['A'].id}"):
        response = client.post(path, data={"name": "Chile", "language": "es", "weight": weight})
        assert response.status_code == 422
    assert database_rows() == before


def test_numbers_in_query_strings_beyond_any_id_answer_400_naming_the_parameter(
    client, signed_in, draft
):
    signed_in("executive")
    for path, name in (
        ("/audit?declaration=9223372036854775808", "declaration"),
        ("/audit?actor=-1", "actor"),
        (f"/declarations/{draft.id}/history?from=1e400", "from"),
        (f"/declarations/{draft.id}?section=" + THIRTY_DIGITS, "section"),
    ):
        response = client.get(path)
        assert response.status_code == 400, path
        assert f"The parameter {name} is not valid" in response.get_data(as_text=True)
    assert client.get("/audit?declaration=").status_code == 200  # empty: no filter
    client.post("/logout")
    signed_in("delegate_a")
    response = client.get(f"/declarations/{draft.id}/amendments/new?paragraph=Infinity")
    assert response.status_code == 400
    assert "The parameter paragraph is not valid" in response.get_data(as_text=True)


def test_the_live_preview_refuses_numbers_json_cannot_hold(client, signed_in, draft):
    signed_in("delegate_a")
    path = f"/declarations/{draft.id}/amendments/preview"
    for body in (
        '{"base_version": Infinity, "text": "x"}',
        '{"base_version": 1e400, "text": "x"}',
        '{"base_version": 1, "paragraph": 1e400, "text": "x"}',
        '{"base_version": 1, "paragraph": 9223372036854775808, "text": "x"}',
        "[" * 100_000 + "]" * 100_000,
    ):
        response = client.post(path, data=body, content_type="application/json")
        assert response.status_code in (400, 404), body[:40]
        assert response.get_json()["error"]["message"]


def test_the_api_refuses_lone_surrogates_nul_and_deep_json_and_stores_nothing(api, people, draft):
    before = database_rows()
    path = f"/declarations/{draft.id}/amendments"
    for body in (
        {"base_version": 1, "text": "Some x\ud800y.\n\nMore text.\n", "rationale": "r"},
        {"base_version": 1, "text": "Other.\n\nMore text.\n", "rationale": "x\udfffy"},
        {"base_version": 1, "text": "Other.\n\nMore text.\n", "rationale": "x\x00y"},
        {"base_version": 2**63, "text": "Other.\n\nMore text.\n"},
    ):
        answer = api("delegate_a", "POST", path, json=body)
        assert answer.status_code in (400, 422), body
        assert answer.get_json()["error"]["code"]
    answer = api(
        "delegate_a",
        "POST",
        path,
        data="[" * 100_000 + "]" * 100_000,
        content_type="application/json",
    )
    assert answer.status_code in (400, 422)
    rows = database_rows()
    rows.pop("api_token"), before.pop("api_token")
    assert rows == before


def test_the_api_names_the_refused_text_invalid_text(api, people, draft):
    answer = api(
        "delegate_a",
        "POST",
        f"/declarations/{draft.id}/amendments",
        json={"base_version": 1, "text": "Other.\n\nMore text.\n", "rationale": "a\x00b"},
    )
    assert answer.status_code == 422
    assert answer.get_json()["error"]["code"] == "invalid_text"


# --- text: NUL everywhere, direction controls in names ----------------------------------------


def forms(world) -> list[tuple[str, str, dict, str]]:
    """(role, path, a valid form, the text fields to spoil) for every form that stores text."""
    draft, amendment, other, adopted, section, user = world
    paragraphs = len(translations.aligned.blocks(adopted.current_version.text))
    return [
        (
            "executive",
            "/declarations/new",
            {"title": "T", "text": TEXT, "rule": "majority", "language": "en"},
            "title text",
        ),
        ("delegate_a", f"/amendments/{amendment.id}/comments", {"body": "A word."}, "body"),
        (
            "delegate_a",
            f"/declarations/{draft.id}/amendments/new",
            {"base_version": "1", "paragraph": "2", "text": "Less text.", "rationale": "R"},
            "text rationale",
        ),
        (
            "delegate_a",
            f"/amendments/{amendment.id}/revise",
            {"base_version": "1", "text": "Some text.\n\nOther text.\n", "rationale": "R"},
            "text rationale",
        ),
        (
            "executive",
            f"/declarations/{draft.id}/compromise",
            {
                "amendments": [str(amendment.id), str(other.id)],
                "text": "Some.\n\nMore.\n",
                "rationale": "R",
            },
            "text rationale",
        ),
        (
            "executive",
            f"/declarations/{adopted.id}/translations/fr",
            {
                "version": str(adopted.current_version.number),
                "paragraphs": str(paragraphs),
                **{f"paragraph-{n}": f"Traduction {n}" for n in range(1, paragraphs + 1)},
            },
            "paragraph-1",
        ),
        (
            "admin",
            "/admin/users/new",
            {
                "email": "new@example.org",
                "name": "New",
                "roles": "member",
                "preferred_language": "",
            },
            "email name",
        ),
        (
            "admin",
            f"/admin/users/{user.id}",
            {"email": user.email, "name": "Renamed", "roles": "member", "preferred_language": ""},
            "email name",
        ),
        (
            "admin",
            "/admin/sections/new",
            {"name": "Chile", "language": "es", "weight": "1"},
            "name language",
        ),
        (
            "admin",
            f"/admin/sections/{section.id}",
            {"name": "Renamed", "language": "es", "weight": "1"},
            "name language",
        ),
        ("member", "/profile/tokens", {"name": "a label"}, "name"),
        (
            "member",
            "/profile/password",
            {
                "current_password": PASSWORD,
                "new_password": "a new long password",
                "confirm_password": "a new long password",
            },
            "new_password confirm_password",
        ),
    ]


@pytest.fixture
def world(people, draft):
    amendment = amendments.propose(people["delegate_a"], draft.id, 1, "Some.\n\nMore text.\n")
    other = amendments.propose(people["delegate_b"], draft.id, 1, "Some text.\n\nMore.\n")
    adopted, _labels = adopt_a_declaration(people)
    section = accounts.list_sections()[0]
    user = people["member"]
    return draft, amendment, other, adopted, section, user


def test_nul_is_refused_in_every_text_field_of_every_form_and_nothing_changes(
    app, client, signed_in, world
):
    for role, path, valid, fields in forms(world):
        signed_in(role)
        for field in fields.split():
            before = database_rows()
            spoiled = {**valid, field: valid[field][:1] + "\x00" + valid[field][1:]}
            response = client.post(path, data=spoiled)
            assert refused(response), f"{path} {field}: {response.status_code}"
            assert database_rows() == before, f"{path} {field} changed something"
        client.post("/logout")


def test_every_form_in_that_list_stores_its_valid_values(app, client, signed_in, world):
    """The check above is worth something only if the same forms, unspoiled, do store."""
    for role, path, valid, _fields in forms(world):
        signed_in(role)
        before = database_rows()
        response = client.post(path, data=valid)
        assert response.status_code in (200, 302), f"{path}: {response.status_code}"
        assert database_rows() != before, f"{path} stored nothing"
        client.post("/logout")


@pytest.mark.parametrize("control", ["\u202e", "\u202a", "\u2066", "\u2069"])
def test_direction_controls_are_refused_in_names_of_people_and_sections(
    client, signed_in, sections, control
):
    signed_in("admin")
    before = database_rows()
    for path, data, field_message in (
        ("/admin/sections/new", {"name": f"Chi{control}le", "language": "es"}, "name"),
        (
            "/admin/users/new",
            {
                "email": "x@example.org",
                "name": f"Ana{control}",
                "roles": "member",
                "preferred_language": "",
            },
            "name",
        ),
    ):
        response = client.post(path, data=data)
        assert response.status_code == 422, field_message
        assert "change the direction of the text" in response.get_data(as_text=True)
    assert database_rows() == before


def test_direction_controls_stay_allowed_in_a_declarations_text(people, draft):
    hebrew = "Some text.\n\n\u2067שלום\u2069 more text.\n"
    amendment = amendments.propose(people["delegate_a"], draft.id, 1, hebrew, "\u202bRTL\u202c")
    assert amendment.text == hebrew


def test_the_services_refuse_the_same_text_for_the_command_line_and_the_api(app, people):
    from corep_drafts.services.errors import InvalidInput

    for call in (
        lambda: accounts.add_section("Bad\x00name"),
        lambda: accounts.add_section("Bad\u202ename"),
        lambda: accounts.add_section("Bad\udcffname"),  # invalid UTF-8 in argv, surrogateescaped
        lambda: accounts.add_section("Fine", weight=2**31),
        lambda: declarations.create_declaration("T", TEXT, quorum=10**30),
        lambda: declarations.create_declaration("T\x00", TEXT),
    ):
        with pytest.raises(InvalidInput):
            call()
    assert db.session.scalar(select(Declaration).where(Declaration.title == "T")) is None


# --- the command line -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "arguments",
    [
        ["sections", "add", "Chile", "--weight", THIRTY_DIGITS],
        ["sections", "add", "Chile", "--weight", "Infinity"],
        ["sections", "add", "Chile", "--weight", "1e400"],
        ["sections", "add", "Chi\u202ele"],
        ["declarations", "import", "FILE", "--title", "T", "--quorum", THIRTY_DIGITS],
        ["declarations", "import", "FILE", "--title", "T", "--quorum", "NaN"],
        ["declarations", "verify", "9223372036854775808"],
        ["declarations", "export", THIRTY_DIGITS, "--format", "md", "--out", "OUT"],
    ],
)
def test_the_command_line_refuses_numbers_no_column_holds_in_one_line(
    app, runner, tmp_path, arguments
):
    source = tmp_path / "draft.md"
    source.write_text(TEXT)
    arguments = [
        str(source) if a == "FILE" else str(tmp_path / "out.md") if a == "OUT" else a
        for a in arguments
    ]
    before = database_rows()
    result = runner.invoke(args=arguments)
    assert result.exit_code != 0
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error:"), result.output
    assert database_rows() == before
    assert not (tmp_path / "out.md").exists()


# --- absolute links ---------------------------------------------------------------------------


@pytest.fixture
def published(people):
    declaration, _labels = adopt_a_declaration(people)
    declarations.transition(people["executive"], declaration.id, "published")
    return declaration


def feed_links(response) -> list[str]:
    atom = "{http://www.w3.org/2005/Atom}"
    root = ET.fromstring(response.data)
    return [link.get("href") for link in root.iter(f"{atom}link")] + [
        element.text for element in root.iter(f"{atom}id")
    ]


def test_a_forged_host_header_never_reaches_the_feeds_links(app, client, published):
    response = client.get("/feed.atom", headers={"Host": "evil.example"})
    assert response.status_code == 200
    assert "evil.example" not in response.get_data(as_text=True)
    assert any(link.endswith(f"/read/{published.id}") for link in feed_links(response))
    page = client.get(f"/read/{published.id}", headers={"Host": "evil.example"})
    assert "evil.example" not in page.get_data(as_text=True)


def test_the_feeds_links_come_from_the_public_url_when_it_is_set(
    app, client, published, monkeypatch
):
    monkeypatch.setitem(app.config, "COREP_PUBLIC_URL", "https://drafts.example.org/")
    response = client.get("/feed.atom", headers={"Host": "evil.example"})
    links = feed_links(response)
    assert f"https://drafts.example.org/read/{published.id}" in links
    assert all(link.startswith("https://drafts.example.org/") for link in links)


def test_with_trusted_hosts_another_host_is_refused_and_a_trusted_one_links_to_itself(
    app, client, published, monkeypatch
):
    monkeypatch.setitem(app.config, "TRUSTED_HOSTS", ["drafts.example.org"])
    assert client.get("/feed.atom", headers={"Host": "evil.example"}).status_code == 400
    response = client.get("/feed.atom", headers={"Host": "drafts.example.org"})
    assert f"http://drafts.example.org/read/{published.id}" in feed_links(response)


def test_trusted_hosts_come_from_the_environment(monkeypatch, tmp_path):
    from corep_drafts.config import settings_from_environment

    monkeypatch.setenv("SECRET_KEY", "k" * 32)
    monkeypatch.setenv("COREP_TRUSTED_HOSTS", "drafts.example.org, .example.net")
    assert settings_from_environment(str(tmp_path))["TRUSTED_HOSTS"] == [
        "drafts.example.org",
        ".example.net",
    ]
    monkeypatch.delenv("COREP_TRUSTED_HOSTS")
    assert settings_from_environment(str(tmp_path))["TRUSTED_HOSTS"] is None


@pytest.mark.parametrize(
    "target", ["/x%0D%0ALocation:%20https://evil.example", "/x%00y", "/%5Cevil.example", "/\\evil"]
)
def test_a_next_address_with_a_control_character_or_a_backslash_leads_home(
    client, signed_in, people, target
):
    response = client.post(
        f"/login?next={target}", data={"email": people["member"].email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("count", [THIRTY_DIGITS, "1000000", "-1"])
def test_a_paragraph_count_beyond_the_fields_sent_is_refused_at_once(
    client, signed_in, people, count
):
    """It was read as a range to loop over: thirty digits never ended."""
    adopted, _labels = adopt_a_declaration(people)
    signed_in("executive")
    before = database_rows()
    response = client.post(
        f"/declarations/{adopted.id}/translations/fr",
        data={"version": "1", "paragraphs": count, "paragraph-1": "Un."},
    )
    assert response.status_code == 400
    assert "The parameter paragraphs is not valid" in response.get_data(as_text=True)
    assert database_rows() == before

"""The interface in en, es, de, fr, tr and eo: which language a person gets, dates and numbers
in it, plural forms, and no page left in English."""

import gettext
from datetime import UTC, datetime

import pytest
from babel.messages.plurals import get_plural
from corep_testing import PASSWORD
from flask_babel import force_locale, ngettext
from language_support import catalogue, english_left

from corep_drafts.services import accounts, amendments, declarations, translations, votes

LANGUAGES = ("en", "es", "de", "fr", "tr", "eo")


def html_lang(page: str) -> str:
    start = page.index('<html lang="') + len('<html lang="')
    return page[start : page.index('"', start)]


# --- which language -----------------------------------------------------------------------------


def test_without_any_choice_the_interface_is_english(client):
    assert html_lang(client.get("/").get_data(as_text=True)) == "en"


def test_the_browsers_language_comes_before_english(client):
    assert (
        html_lang(
            client.get("/", headers={"Accept-Language": "fr-FR,fr;q=0.9"}).get_data(as_text=True)
        )
        == "fr"
    )
    assert (
        html_lang(
            client.get("/", headers={"Accept-Language": "it, eo;q=0.5"}).get_data(as_text=True)
        )
        == "eo"
    )
    # A regional tag asks for its language before a plain tag of lower quality does for another.
    assert (
        html_lang(
            client.get("/", headers={"Accept-Language": "tr-TR, en;q=0.5"}).get_data(as_text=True)
        )
        == "tr"
    )
    assert (
        html_lang(
            client.get("/", headers={"Accept-Language": "de-AT;q=0.4, es-AR"}).get_data(
                as_text=True
            )
        )
        == "es"
    )


def test_the_accounts_preference_comes_before_the_browsers(client, auth, people):
    accounts.update_user(
        people["member"].id, "member@example.org", "Member", ["member"], preferred_language="tr"
    )
    auth.login("member@example.org")
    assert (
        html_lang(client.get("/", headers={"Accept-Language": "de"}).get_data(as_text=True)) == "tr"
    )


def test_the_language_chosen_in_the_footer_comes_before_everything(client, auth, people):
    accounts.update_user(
        people["member"].id, "member@example.org", "Member", ["member"], preferred_language="tr"
    )
    auth.login("member@example.org")
    auth.post("/language", {"language": "eo", "next": "/"})
    assert (
        html_lang(client.get("/", headers={"Accept-Language": "de"}).get_data(as_text=True)) == "eo"
    )


def test_the_language_chosen_before_signing_in_is_kept_after(client, auth, people):
    accounts.update_user(
        people["member"].id, "member@example.org", "Member", ["member"], preferred_language="de"
    )
    auth.post("/language", {"language": "tr", "next": "/login"}, token_page="/login")
    auth.login("member@example.org")
    assert html_lang(client.get("/").get_data(as_text=True)) == "tr"


def test_an_unknown_language_in_the_footer_is_ignored(client, auth):
    auth.post("/language", {"language": "xx", "next": "/"}, token_page="/login")
    assert html_lang(client.get("/").get_data(as_text=True)) == "en"


def test_the_page_declares_its_direction(client):
    page = client.get("/", headers={"Accept-Language": "tr"}).get_data(as_text=True)
    assert '<html lang="tr" dir="ltr">' in page


def test_the_api_answers_in_the_requests_language_then_the_token_holders(api, people):
    accounts.update_user(
        people["member"].id, "member@example.org", "Member", ["member"], preferred_language="de"
    )
    english = api(
        "member", "GET", "/declarations/999", headers={"Accept-Language": "en"}
    ).get_json()
    spanish = api(
        "member", "GET", "/declarations/999", headers={"Accept-Language": "es"}
    ).get_json()
    german = api("member", "GET", "/declarations/999").get_json()
    assert english["error"]["message"] == "No such declaration."
    assert (
        len({english["error"]["message"], spanish["error"]["message"], german["error"]["message"]})
        == 3
    )
    assert english["error"]["code"] == spanish["error"]["code"] == "not_found"


def test_a_wtforms_message_speaks_esperanto_too(client):
    client.get("/login")
    page = client.post(
        "/login", data={"email": "", "password": ""}, headers={"Accept-Language": "eo"}
    ).get_data(as_text=True)
    assert "This field is required." not in page


# --- dates, times and numbers ---------------------------------------------------------------------


def test_a_time_is_written_in_the_interface_language_and_the_readers_zone_with_its_name(
    app, client, auth, people
):
    accounts.update_preferences(people["executive"], "tr", "Europe/Istanbul")
    auth.login("executive@example.org")
    declaration = declarations.create_declaration(
        "Sıcak", "Metin.\n", created_by=people["executive"]
    )
    declarations.transition(people["executive"], declaration.id, "amending")
    declarations.set_amendment_deadline(
        people["executive"], declaration.id, datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
    )
    page = client.get(f"/declarations/{declaration.id}").get_data(as_text=True)
    assert "1 Aralık 2026 Salı 12:30 (Türkiye Standart Saati)" in page


def test_without_a_zone_of_its_own_the_page_uses_the_one_the_browser_reported(client, auth, people):
    accounts.update_preferences(people["executive"], "es", None)
    auth.login("executive@example.org")
    client.set_cookie("tz", "America%2FArgentina%2FBuenos_Aires")
    declaration = declarations.create_declaration(
        "Calor", "Texto.\n", created_by=people["executive"]
    )
    declarations.transition(people["executive"], declaration.id, "amending")
    declarations.set_amendment_deadline(
        people["executive"], declaration.id, datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
    )
    page = client.get(f"/declarations/{declaration.id}").get_data(as_text=True)
    assert "6:30 (hora estándar de Argentina)" in page and 'data-zone-known="yes"' in page


def test_the_profile_saves_a_language_and_a_time_zone_and_refuses_an_unknown_zone(
    client, auth, people
):
    auth.login("member@example.org")
    response = auth.post(
        "/profile/preferences", {"preferred_language": "eo", "time_zone": "Europe/Vienna"}
    )
    assert response.status_code == 302
    assert (people["member"].preferred_language, people["member"].time_zone) == (
        "eo",
        "Europe/Vienna",
    )
    refused = auth.post(
        "/profile/preferences", {"preferred_language": "eo", "time_zone": "Mars/Olympus"}
    )
    assert refused.status_code == 422 and people["member"].time_zone == "Europe/Vienna"


# --- plural forms -------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_plural_forms_follow_each_languages_own_rule(app, language):
    """The compiled catalogue picks the form CLDR says for each count (French: 0 is singular;
    Spanish and French: a form of their own for round millions)."""
    catalog = catalogue(language)
    message = catalog.get(("%(num)d pending amendment", "%(num)d pending amendments"))
    assert (
        catalog.plural_expr == get_plural(language).plural_expr
    )  # the catalogue says what CLDR says
    form_for = gettext.c2py(catalog.plural_expr)
    with app.test_request_context(), force_locale(language):
        for count in (0, 1, 2, 5, 21, 1_000_000):
            expected = message.string[form_for(count)] % {"num": count}
            assert (
                ngettext("%(num)d pending amendment", "%(num)d pending amendments", count)
                == expected
            )
            assert str(count) in expected


def test_french_counts_nought_as_singular_and_turkish_keeps_the_noun_singular(app):
    with app.test_request_context():
        with force_locale("fr"):
            zero, one = (
                ngettext("%(num)d pending amendment", "%(num)d pending amendments", n)
                for n in (0, 1)
            )
            assert zero.replace("0", "1") == one
        with force_locale("tr"):
            one, many = (
                ngettext("%(num)d pending amendment", "%(num)d pending amendments", n)
                for n in (1, 7)
            )
            assert one.replace("1", "7") == many


# --- Unicode: Turkish i in e-mail addresses -----------------------------------------------------


def test_a_turkish_capital_i_in_the_email_signs_in_to_the_same_account(client, make_user, sections):
    make_user("member", email="ilknur@example.org")
    response = client.post(
        "/login",
        data={"email": "İLKNUR@example.org", "password": PASSWORD, "csrf_token": _csrf(client)},
    )
    assert response.status_code == 302


def test_an_email_differing_only_by_a_turkish_i_is_the_same_address(make_user, sections):
    from corep_drafts.services.errors import InvalidInput

    make_user("member", email="ilknur@example.org")
    with pytest.raises(InvalidInput):
        accounts.add_user("İlknur@example.org", "Another", ["member"], PASSWORD)


def test_searching_the_declarations_ignores_case_with_turkish_i_and_esperanto_letters(
    client, people
):
    declarations.create_declaration("İzmir'de Grev Hakkı", "Ĉiu sekcio ŝanĝas.\n")
    declarations.create_declaration("Heat", "Nothing here.\n")
    client.post(
        "/login",
        data={"email": "delegate.a@example.org", "password": PASSWORD, "csrf_token": _csrf(client)},
    )
    found = client.get("/?q=izmir").get_data(as_text=True)
    assert "İzmir&#39;de Grev Hakkı" in found and "Heat" not in found
    assert "İzmir&#39;de Grev Hakkı" in client.get("/?q=ŜANĜAS").get_data(as_text=True)


def _csrf(client):
    from corep_testing import csrf_token_from

    return csrf_token_from(client.get("/login").get_data(as_text=True))


# --- no English left ----------------------------------------------------------------------------


@pytest.fixture
def everything(people):
    """A declaration with an amendment and an open vote, and an adopted one with a translation."""
    executive, a, b = people["executive"], people["delegate_a"], people["delegate_b"]
    draft = declarations.create_declaration(
        "Sıcakta çalışma", "Metin.\n\nİkinci paragraf.\n", language="tr", created_by=executive
    )
    declarations.transition(executive, draft.id, "amending")
    amendment = amendments.propose(
        a, draft.id, 1, "Metin.\n\nİkinci paragraf, değişti.\n", "Neden."
    )
    other = amendments.propose(b, draft.id, 1, "Metin değişti.\n\nİkinci paragraf.\n", "")
    vote = votes.open_amendment_vote(executive, amendment.id)
    votes.cast_ballot(a, vote.id, "yes")
    adopted = declarations.create_declaration(
        "Toplanma", "Bir.\n\nİki.\n", language="tr", created_by=executive
    )
    declarations.transition(executive, adopted.id, "amending")
    translations.save(b, adopted.id, "de", 1, "Eins.\n\nZwei.\n")
    declarations.transition(executive, adopted.id, "voting")
    final = votes.open_final_vote(executive, adopted.id)
    votes.cast_ballot(a, final.id, "yes")
    votes.cast_ballot(b, final.id, "yes")
    votes.close_vote(executive, final.id)
    return {
        "draft": draft.id,
        "amendment": amendment.id,
        "other": other.id,
        "vote": vote.id,
        "adopted": adopted.id,
        "final": final.id,
    }


@pytest.mark.parametrize("language", ["tr", "eo"])
def test_no_page_of_the_main_journeys_is_left_in_english(
    client, auth, people, everything, language
):
    accounts.update_user(
        people["executive"].id,
        "executive@example.org",
        "Executive",
        ["executive", "delegate"],
        section_name="Argentina",
        preferred_language=language,
    )
    auth.login("executive@example.org")
    ids = everything
    pages = [
        "/",
        "/profile",
        f"/declarations/{ids['draft']}",
        f"/declarations/{ids['draft']}/amendments/new",
        f"/amendments/{ids['amendment']}",
        f"/amendments/{ids['amendment']}?view=side",
        f"/declarations/{ids['draft']}/votes",
        f"/votes/{ids['vote']}",
        f"/votes/{ids['vote']}/projector",
        f"/votes/{ids['final']}",
        f"/read/{ids['adopted']}",
        f"/read/{ids['adopted']}?language=de",
        f"/read/{ids['adopted']}?language=de&beside=tr",
        f"/declarations/{ids['adopted']}/history",
        f"/declarations/{ids['adopted']}/translations",
        f"/declarations/{ids['adopted']}/translations/de",
        f"/declarations/{ids['adopted']}/translations/eo",
        "/audit",
        f"/declarations/{ids['draft']}/compromise",
    ]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        assert english_left(response.get_data(as_text=True), language) == [], path


@pytest.mark.parametrize("language", ["tr", "eo"])
def test_the_admin_pages_are_not_left_in_english(client, auth, people, language):
    accounts.update_user(
        people["admin"].id, "admin@example.org", "Admin", ["admin"], preferred_language=language
    )
    auth.login("admin@example.org")
    for path in (
        "/admin/users",
        "/admin/users/new",
        "/admin/sections",
        "/admin/sections/new",
        "/nowhere",
    ):
        page = client.get(path).get_data(as_text=True)
        assert english_left(page, language) == [], path


def test_english_left_on_a_page_is_found(client):
    """The check above can fail: an English page in place of a Turkish one is caught."""
    page = client.get("/login", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert english_left(page, "tr")

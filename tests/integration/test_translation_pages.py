"""The translator's page, the reading view in other languages and side by side, and exports of
a translation (web and command line)."""

import re

import pytest

from corep_drafts.services import amendments, declarations, translations, votes

SPANISH = (
    "# Sobre la libertad de reunión\n\n"
    "## Lo que defendemos\n\n"
    "La libertad de reunirse sin permiso previo.\n\n"
    "La libertad de hacer huelga.\n"
)
GERMAN = (
    "# Über die Versammlungsfreiheit\n\n"
    "## Was wir verteidigen\n\n"
    "Die Freiheit, sich ohne vorherige Genehmigung zu versammeln.\n\n"
    "Die Freiheit zu streiken.\n"
)
ESPERANTO_V2 = (
    "# Pri la libereco kunveni\n\n"
    "## Kion ni defendas\n\n"
    "La liberecon kunveni sen antaŭa permeso.\n\n"
    "La liberecon striki kaj starigi strikgardojn.\n"
)
ARABIC_V2 = (
    "# عن حرية التجمع\n\n"
    "## ما ندافع عنه\n\n"
    "حرية التجمع دون إذن مسبق.\n\n"
    "حرية الإضراب وتنظيم الاعتصامات.\n"
)


@pytest.fixture
def adopted(people):
    """A Spanish declaration: German translated at version 1, then an amendment adopted (version
    2), Esperanto and Arabic translated at version 2, then the final vote."""
    executive, a, b = people["executive"], people["delegate_a"], people["delegate_b"]
    declaration = declarations.create_declaration(
        "Sobre la libertad de reunión", SPANISH, language="es", created_by=executive
    )
    declarations.transition(executive, declaration.id, "amending")
    translations.save(b, declaration.id, "de", 1, GERMAN)
    amendment = amendments.propose(
        a, declaration.id, 1, SPANISH.replace("hacer huelga.", "hacer huelga y piquetes."), ""
    )
    vote = votes.open_amendment_vote(executive, amendment.id)
    for delegate in (a, b):
        votes.cast_ballot(delegate, vote.id, "yes")
    votes.close_vote(executive, vote.id)
    translations.save(a, declaration.id, "eo", 2, ESPERANTO_V2)
    translations.save(a, declaration.id, "ar", 2, ARABIC_V2)
    declarations.transition(executive, declaration.id, "voting")
    final = votes.open_final_vote(executive, declaration.id)
    for delegate in (a, b):
        votes.cast_ballot(delegate, final.id, "yes")
    votes.close_vote(executive, final.id)
    return declaration


def test_the_translations_page_lists_each_language_with_its_state(client, auth, people, adopted):
    auth.login("member@example.org")
    page = client.get(f"/declarations/{adopted.id}/translations").get_data(as_text=True)
    rows = re.findall(
        r'<th scope="row" data-language="([a-z]+)">.*?<span class="badge translation-(\w+)">',
        page,
        re.S,
    )
    assert rows == [
        ("es", "authoritative"),
        ("ar", "current"),
        ("de", "outdated"),
        ("eo", "current"),
    ]
    assert "Start a translation" not in page  # members read, delegates and the executive translate


def test_the_translator_sees_what_changed_in_the_source_with_the_unchanged_translation_kept(
    client, auth, people, adopted
):
    auth.login("delegate.b@example.org")
    page = client.get(f"/declarations/{adopted.id}/translations/de").get_data(as_text=True)
    assert page.count('class="translation-row needs-work change-changed"') == 1
    assert "<ins>huelga y piquetes.</ins>" in page and "<del>huelga.</del>" in page
    assert ">Die Freiheit, sich ohne vorherige Genehmigung zu versammeln.</textarea>" in page
    assert ">Die Freiheit zu streiken.</textarea>" in page  # kept as the starting point


def test_saving_from_the_translators_page_makes_the_translation_current(
    client, auth, people, adopted
):
    auth.login("delegate.b@example.org")
    form = {
        "version": 2,
        "paragraphs": 4,
        "paragraph-1": "Über die Versammlungsfreiheit",
        "paragraph-2": "Was wir verteidigen",
        "paragraph-3": "Die Freiheit, sich ohne vorherige Genehmigung zu versammeln.",
        "paragraph-4": "Die Freiheit zu streiken und Streikposten zu stehen.",
    }
    response = auth.post(
        f"/declarations/{adopted.id}/translations/de",
        form,
        token_page=f"/declarations/{adopted.id}/translations/de",
    )
    assert response.status_code == 302
    state = translations.get_translation(people["executive"], adopted.id, "de")
    assert state.status == "current"
    assert state.text == GERMAN.replace("zu streiken.", "zu streiken und Streikposten zu stehen.")


def test_an_untranslated_paragraph_is_refused_naming_it_and_nothing_is_saved(
    client, auth, people, adopted
):
    auth.login("delegate.b@example.org")
    form = {
        "version": 2,
        "paragraphs": 4,
        "paragraph-1": "Titel",
        "paragraph-2": "Kopf",
        "paragraph-3": "Eins.",
        "paragraph-4": "  ",
    }
    response = auth.post(
        f"/declarations/{adopted.id}/translations/de",
        form,
        token_page=f"/declarations/{adopted.id}/translations/de",
    )
    assert response.status_code == 422
    assert "Paragraph 4 is not translated yet." in response.get_data(as_text=True)
    assert ">Eins.</textarea>" in response.get_data(as_text=True)  # what was typed is still there
    assert translations.get_translation(people["executive"], adopted.id, "de").version.number == 1


def test_a_reader_opens_a_current_translation_with_the_record_in_the_interface_language(
    client, auth, adopted
):
    auth.login("member@example.org")
    page = client.get(f"/read/{adopted.id}?language=eo").get_data(as_text=True)
    assert '<article class="declaration reading-text" lang="eo" dir="ltr">' in page
    assert "<h1>Pri la libereco kunveni</h1>" in page
    assert "La liberecon striki kaj starigi strikgardojn." in page
    assert "How this passage came to be" in page  # the record, in the interface language
    assert "alert-warning" not in page


def test_an_outdated_translation_is_shown_under_a_warning_linking_the_authoritative_text(
    client, auth, adopted
):
    auth.login("member@example.org")
    page = client.get(f"/read/{adopted.id}?language=de").get_data(as_text=True)
    assert "Die Freiheit zu streiken." in page
    assert "This translation follows version 1" in page
    assert f'<a href="/read/{adopted.id}">Read the authoritative text (Spanish)</a>' in page


def test_two_languages_side_by_side_pair_each_paragraph(client, auth, adopted):
    auth.login("member@example.org")
    page = client.get(f"/read/{adopted.id}?language=eo&beside=es").get_data(as_text=True)
    rows = re.findall(r'<tr id="p(\d+)">(.*?)</tr>', page, re.S)
    assert [number for number, _ in rows] == [
        "2",
        "3",
        "4",
    ]  # the title heading is the page's title
    last = rows[-1][1]
    assert 'lang="eo"' in last and "La liberecon striki kaj starigi strikgardojn." in last
    assert 'lang="es"' in last and "La libertad de hacer huelga y piquetes." in last


def test_an_outdated_translation_beside_the_original_marks_the_changed_passage(
    client, auth, adopted
):
    auth.login("member@example.org")
    page = client.get(f"/read/{adopted.id}?language=de&beside=es").get_data(as_text=True)
    assert page.count('class="cell-outdated"') == 1
    assert page.count("alert-warning") == 1  # one warning, naming the outdated column
    (changed,) = re.findall(r'<td class="cell-outdated"[^>]*>(.*?)</td>', page, re.S)
    assert "Die Freiheit zu streiken." in changed


def test_a_right_to_left_translation_is_shown_right_to_left(client, auth, adopted):
    auth.login("member@example.org")
    alone = client.get(f"/read/{adopted.id}?language=ar").get_data(as_text=True)
    assert '<article class="declaration reading-text" lang="ar" dir="rtl">' in alone
    beside = client.get(f"/read/{adopted.id}?language=es&beside=ar").get_data(as_text=True)
    assert (
        '<td class="cell-ok" lang="ar" dir="rtl">' in beside
        and '<td class="cell-ok" lang="es" dir="ltr">' in beside
    )


def test_an_unknown_translation_is_404(client, auth, adopted):
    auth.login("member@example.org")
    assert client.get(f"/read/{adopted.id}?language=fr").status_code == 404


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_an_export_of_a_translation_names_its_language_and_state(client, auth, adopted, fmt):
    auth.login("member@example.org")
    response = client.get(f"/declarations/{adopted.id}/export.{fmt}?language=de")
    assert response.status_code == 200
    assert (
        f'filename="declaration-{adopted.id}-de.{fmt}"' in response.headers["Content-Disposition"]
    )
    body = response.get_data(as_text=True)
    assert "Die Freiheit zu streiken." in body
    assert "Translation into German of version 1 (Spanish original); it is outdated" in body


def test_the_command_line_exports_a_translation_with_its_record_in_that_language(
    runner, adopted, tmp_path
):
    out = tmp_path / "eo.md"
    result = runner.invoke(
        args=[
            "declarations",
            "export",
            str(adopted.id),
            "--format",
            "md",
            "--language",
            "eo",
            "--out",
            str(out),
        ]
    )
    assert result.exit_code == 0, result.output
    text = out.read_text("utf-8")
    assert text.startswith(ESPERANTO_V2)
    assert "Esperanto (eo)" in text
    assert "## Record" not in text  # the record is worded in Esperanto


def test_the_command_line_refuses_a_missing_translation_in_one_line(runner, adopted, tmp_path):
    result = runner.invoke(
        args=[
            "declarations",
            "export",
            str(adopted.id),
            "--format",
            "md",
            "--language",
            "fr",
            "--out",
            str(tmp_path / "fr.md"),
        ]
    )
    assert result.exit_code == 1
    assert result.output.strip().count("\n") == 0 and "fr" in result.output
    assert not (tmp_path / "fr.md").exists()


def test_a_turkish_reader_downloads_the_esperanto_translation_as_pdf_and_odt(client, auth, adopted):
    import io
    import zipfile

    from pypdf import PdfReader

    auth.login("member@example.org")
    client.post(
        "/language", data={"language": "tr", "next": "/", "csrf_token": auth.csrf_token("/profile")}
    )
    pdf = client.get(f"/declarations/{adopted.id}/export.pdf?language=eo")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "La liberecon striki kaj starigi strikgardojn." in " ".join(text.split())
    assert "Esperanto (eo)" in text
    odt = client.get(f"/declarations/{adopted.id}/export.odt?language=eo")
    content = zipfile.ZipFile(io.BytesIO(odt.data)).read("content.xml").decode()
    assert "La liberecon striki kaj starigi strikgardojn." in content
    assert "<text:tracked-changes" not in content or "<text:changed-region" not in content
    styles = zipfile.ZipFile(io.BytesIO(odt.data)).read("styles.xml").decode()
    assert 'fo:language="eo"' in styles


TURKISH_V2 = (
    "# Toplanma özgürlüğü üzerine\n\n"
    "## Neyi savunuyoruz\n\n"
    "Önceden izin almadan toplanma özgürlüğü.\n\n"
    "Grev ve grev gözcülüğü özgürlüğü.\n"
)


@pytest.mark.parametrize("fmt", ["md", "html", "odt"])
def test_an_export_in_turkish_has_the_turkish_text_and_a_turkish_record(
    runner, people, adopted, tmp_path, fmt
):
    import zipfile

    from flask_babel import force_locale, gettext

    translations.save(people["delegate_a"], adopted.id, "tr", 2, TURKISH_V2)
    out = tmp_path / f"tr.{fmt}"
    result = runner.invoke(
        args=[
            "declarations",
            "export",
            str(adopted.id),
            "--format",
            fmt,
            "--language",
            "tr",
            "--out",
            str(out),
        ]
    )
    assert result.exit_code == 0, result.output
    body = (
        zipfile.ZipFile(out).read("content.xml").decode()
        if fmt == "odt"
        else out.read_text("utf-8")
    )
    with force_locale("tr"):
        record, state = gettext("Record"), gettext("Text of this document")
    assert record != "Record" and record in body and state in body
    assert "Grev ve grev gözcülüğü özgürlüğü." in body
    assert "İspanyolca" in body  # the authoritative language, named in Turkish

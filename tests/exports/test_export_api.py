import pytest

from corep_drafts.exports import FILE_EXTENSIONS, FORMATS, MEDIA_TYPES, UnknownFormat, export


def test_every_format_has_a_media_type_and_a_file_extension():
    assert set(MEDIA_TYPES) == set(FILE_EXTENSIONS) == set(FORMATS) == {"md", "html", "pdf", "odt"}
    assert MEDIA_TYPES["odt"] == "application/vnd.oasis.opendocument.text"
    assert all(extension == "." + fmt for fmt, extension in FILE_EXTENSIONS.items())


@pytest.mark.parametrize(
    "fmt, magic",
    [
        ("md", b"# Joint Declaration"),
        ("html", b"<!doctype html>"),
        ("pdf", b"%PDF-"),
        ("odt", b"PK\x03\x04"),
    ],
)
def test_export_returns_the_bytes_of_the_asked_format(record, fmt, magic):
    assert export(record, fmt).startswith(magic)


def test_an_unknown_format_is_refused_by_name(record):
    with pytest.raises(UnknownFormat, match="docx"):
        export(record, "docx")


def test_labels_go_through_the_translation_function_given(record):
    german = {
        "Record": "Protokoll",
        "Version %(number)d": "Fassung %(number)d",
        "Amendments": "Änderungsanträge",
    }
    translate = lambda message: german.get(message, message)  # noqa: E731
    markdown = export(record, "md", _=translate).decode()
    html = export(record, "html", _=translate, ui_language="de").decode()
    assert "## Protokoll" in markdown and "first draft" in markdown
    assert "Fassung 6" in html and "Änderungsanträge" in html
    assert '<section class="record" aria-labelledby="record-title" lang="de" dir="ltr">' in html


def test_statuses_causes_and_positions_are_worded_in_the_current_interface_language(app, record):
    from flask_babel import force_locale, gettext, pgettext

    with app.test_request_context(), force_locale("tr"):
        markdown = export(record, "md", _=gettext).decode()
        cause, status = gettext("first draft"), pgettext("amendment status", "rejected")
    assert cause != "first draft" and status != "rejected"
    assert cause in markdown and status in markdown

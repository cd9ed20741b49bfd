import io

import pypdf
import pytest

from corep_drafts.exports import export


@pytest.fixture
def pdf(record):
    return pypdf.PdfReader(io.BytesIO(export(record, "pdf")))


def test_pdf_is_a4_with_the_text_and_the_record(record, pdf):
    first = pdf.pages[0]
    assert (round(float(first.mediabox.width)), round(float(first.mediabox.height))) == (595, 842)
    text = "\n".join(page.extract_text() for page in pdf.pages)
    flat = " ".join(text.split())
    assert record.title in first.extract_text()
    assert "The sections commit to campaign together until the next congress." in flat
    assert "a thirty-two hour working week for all workers without loss of pay;" in flat
    assert "ı, İ, ĉ, ŭ" in flat
    for amendment in record.amendments:
        assert f"{amendment.label} — " in flat
    assert "Rejected: 1 of 4 sections voting said yes; majority needed 3." in flat
    assert "<script>alert('pwned')</script>" in flat  # shown as text, never run


def test_pdf_pages_carry_numbers_in_the_footer_and_the_title_in_the_header(record, pdf):
    count = len(pdf.pages)
    assert count >= 2
    for number, page in enumerate(pdf.pages, start=1):
        lines = page.extract_text().splitlines()
        assert lines[-1].strip() == f"{number} / {count}"
        if number > 1:
            assert record.title in lines[-2]
    assert pdf.pages[1].extract_text().lstrip().startswith("Record")  # the record on its own page
    assert pdf.metadata.title == record.title


def test_pdf_layout_never_fetches_anything():
    from corep_drafts.exports.pdf import _refusing_fetcher

    fetcher = _refusing_fetcher()
    for url in ("file:///etc/passwd", "https://example.org/x.png", "data:text/plain,x"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)

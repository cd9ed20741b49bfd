import dataclasses
import re
from html.parser import HTMLParser

from corep_drafts.exports import export


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.attributes, self.text = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes.extend((tag, name, value or "") for name, value in attrs)

    def handle_data(self, data):
        self.text.append(data)


def parse(html: str) -> _Collector:
    collector = _Collector()
    collector.feed(html)
    return collector


def test_html_is_one_standalone_file_without_scripts_or_external_assets(record):
    html = export(record, "html").decode()
    page = parse(html)
    assert html.startswith("<!doctype html>")
    assert "script" not in page.tags and "link" not in page.tags
    assert not [a for a in page.attributes if a[1] in ("src", "srcset") or a[1].startswith("on")]
    style = re.search(r"<style>(.*?)</style>", html, re.S).group(1)
    assert "url(" not in style and "@import" not in style
    assert "@media print" in style and "size: A4" in style
    # The only http(s) addresses are links a reader may follow, never something to load.
    assert {a[0] for a in page.attributes if re.match(r"https?:", a[2])} <= {"a"}


def test_html_is_in_the_texts_language_and_the_record_in_the_readers(record):
    html = export(record, "html", ui_language="tr").decode()
    assert '<html lang="en" dir="ltr">' in html
    assert 'class="record" aria-labelledby="record-title" lang="tr"' in html


def test_user_text_is_escaped_everywhere(record):
    hostile = "<img src=x onerror=alert(1)> & Co"
    amendment = dataclasses.replace(record.amendments[1], section=hostile, cosponsors=(hostile,))
    record = dataclasses.replace(
        record, title="Title <b>bold</b> & more", amendments=(record.amendments[0], amendment)
    )
    html = export(record, "html").decode()
    page = parse(html)
    assert "img" not in page.tags and "b" not in page.tags and "script" not in page.tags
    assert "<title>Title &lt;b&gt;bold&lt;/b&gt; &amp; more</title>" in html
    assert "&lt;img src=x onerror=alert(1)&gt; &amp; Co" in html
    assert (
        "&lt;script&gt;alert(&#39;pwned&#39;)&lt;/script&gt;" in html
        or "&lt;script&gt;alert('pwned')&lt;/script&gt;" in html
    )


def test_html_shows_every_amendment_with_its_outcome_rationale_and_vote(record):
    html = export(record, "html").decode()
    text = " ".join(parse(html).text)
    for amendment in record.amendments:
        assert f'id="amendment-{amendment.label}"' in html
        assert f"outcome-{amendment.status}" in html
        if amendment.vote:
            assert amendment.vote.explanation in text
    assert record.final_vote.explanation in text
    assert "<strong>Yes</strong>" in html  # the rationale's Markdown, rendered
    for expected in (
        "withdrawn",
        "superseded",
        "rejected",
        "Esperanujo",
        "Abstain",
        record.version.hash,
        "2025-03-07 18:00 UTC",
    ):
        assert expected in text


def test_html_numbers_paragraphs_as_the_site_does_and_keeps_headings_and_lists(record):
    html = export(record, "html").decode()
    assert re.search(r'<span class="para-number title-number"[^>]*>1</span>', html)
    assert re.findall(r'<section class="para para-[a-z-]+" id="p(\d+)"', html) == [
        str(n) for n in range(2, 11)
    ]
    # The text's headings go one level down, under the export's <h1> title, as on the site.
    assert '<section class="para para-heading" id="p2">' in html and "<h3>Preamble</h3>" in html
    assert html.count('class="para para-list-item"') == 3
    assert "<li>a thirty-two hour working week for all workers without loss of pay;</li>" in html
    for letters in ("İzmir", "ĉiuj", "ı, İ, ĉ, ŭ"):
        assert letters in html

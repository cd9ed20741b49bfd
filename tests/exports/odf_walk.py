"""Reading an exported .odt the way a word processor does, independently of the exporter:
ODF whitespace rules, and what "accept all" and "reject all" tracked changes leave."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
import zipfile

NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "dc": "http://purl.org/dc/elements/1.1/",
    "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
    "manifest": "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0",
}


def q(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{NS[prefix]}}}{local}"


PARAGRAPHS = (q("text:p"), q("text:h"))


def read(data: bytes) -> dict[str, ET.Element]:
    with zipfile.ZipFile(__import__("io").BytesIO(data)) as package:
        return {
            name: ET.fromstring(package.read(name))
            for name in ("content.xml", "styles.xml", "meta.xml", "META-INF/manifest.xml")
        }


def _paragraph_events(paragraph: ET.Element) -> list[tuple]:
    """A paragraph's text and change marks, with ODF's white-space rules applied: literal white
    space collapses, and is dropped at the start and end of the paragraph; text:s is kept."""
    items: list[tuple] = []  # ("lit" | "s", char) or ("mark", kind, id)

    def walk(element: ET.Element) -> None:
        if element.text:
            items.extend(("lit", c) for c in element.text)
        for child in element:
            if child.tag == q("text:s"):
                items.extend(("s", " ") for _ in range(int(child.get(q("text:c"), "1"))))
            elif child.tag in (q("text:tab"), q("text:line-break")):
                items.append(("s", " "))
            elif child.tag == q("text:change-start"):
                items.append(("mark", "start", child.get(q("text:change-id"))))
            elif child.tag == q("text:change-end"):
                items.append(("mark", "end", child.get(q("text:change-id"))))
            elif child.tag == q("text:change"):
                items.append(("mark", "del", child.get(q("text:change-id"))))
            else:
                walk(child)
            if child.tail:
                items.extend(("lit", c) for c in child.tail)

    walk(paragraph)
    kept: list[tuple] = []
    previous_space = True  # the start of the paragraph drops white space
    for item in items:
        if item[0] == "mark":
            kept.append(item)
            continue
        is_space = item[1] in " \t\r\n"
        if item[0] == "lit" and is_space and previous_space:
            continue
        kept.append(("text", " " if is_space else item[1], item[0]))
        previous_space = is_space
    for n in range(len(kept) - 1, -1, -1):  # trailing literal white space goes too
        if kept[n][0] == "mark":
            continue
        if kept[n][0] == "text" and kept[n][2] == "lit" and kept[n][1] == " ":
            kept[n] = ("text", "", "lit")
            continue
        break
    return [("text", item[1]) if item[0] == "text" else item[1:] for item in kept]


def body_events(container: ET.Element) -> list[tuple]:
    """Paragraphs in document order, each followed by a ("break",)."""
    events: list[tuple] = []
    for child in container:
        if child.tag in PARAGRAPHS:
            events.extend(_paragraph_events(child))
            events.append(("break",))
        elif child.tag != q("text:tracked-changes"):
            events.extend(body_events(child))
    return events


def section(content: ET.Element, name: str) -> ET.Element:
    for element in content.iter(q("text:section")):
        if element.get(q("text:name")) == name:
            return element
    raise AssertionError(f"no text:section named {name}")


def regions(content: ET.Element) -> dict[str, ET.Element]:
    return {r.get(q("text:id")): r for r in content.iter(q("text:changed-region"))}


def _paragraphs(events: list[tuple]) -> list[str]:
    """The paragraphs' texts, white space normalised (runs of spaces read as one)."""
    out, current = [], []
    for event in events:
        if event[0] == "break":
            out.append(normalise("".join(current)))
            current = []
        else:
            current.append(event[1])
    if current:
        out.append(normalise("".join(current)))
    return out


def accept_all(content: ET.Element, section_name: str = "Declaration") -> list[str]:
    events = body_events(section(content, section_name))
    return _paragraphs([e for e in events if e[0] in ("text", "break")])


def reject_all(content: ET.Element, section_name: str = "Declaration") -> list[str]:
    """Insertions go, with the paragraph breaks inside them (paragraphs merge); each deletion
    comes back at its mark, its first paragraph merging with the text before the mark and its
    last with the text after."""
    by_id = regions(content)
    out: list[tuple] = []
    inside: set[str] = set()
    for event in body_events(section(content, section_name)):
        if event[0] == "start":
            assert by_id[event[1]].find(q("text:insertion")) is not None
            inside.add(event[1])
        elif event[0] == "end":
            inside.discard(event[1])
        elif event[0] == "del":
            if inside:
                continue
            deletion = by_id[event[1]].find(q("text:deletion"))
            assert deletion is not None
            deleted = [p for p in deletion if p.tag in PARAGRAPHS]
            for n, paragraph in enumerate(deleted):
                if n:
                    out.append(("break",))
                out.extend(e for e in _paragraph_events(paragraph) if e[0] == "text")
        elif not inside:
            out.append(event)
    return _paragraphs(out)


_HEADING = re.compile(r"^ {0,3}#{1,6}(?:[ \t]+|$)")
_LIST = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]+|$)")


def normalise(paragraph: str) -> str:
    return " ".join(paragraph.split())


def markdown_paragraphs(text: str) -> list[str]:
    """What a reader of the Markdown sees, paragraph by paragraph: block markers stripped."""
    from corep_drafts.domain.text import split_paragraphs

    out = []
    for paragraph in split_paragraphs(text):
        raw = text[paragraph.start : paragraph.end]
        if paragraph.kind == "heading":
            raw = re.sub(r"[ \t]+#+[ \t]*$", "", _HEADING.sub("", raw, count=1))
        elif paragraph.kind == "list_item":
            raw = _LIST.sub("", raw, count=1)
        out.append(normalise(raw))
    return out

"""The XSS corpus and the checks run on what the app sends back.

The corpus is a bounded selection of the Big List of Naughty Strings (tests/data/blns.json, see
tests/data/README.md) plus payloads aimed at this app: Markdown links and images, attribute and
element breakers, template syntax, entity-encoded schemes, feed and ODT breakers, bidi controls.

What is checked, on a page parsed as a browser parses it (html5lib follows the HTML5 algorithm):
no <script> but the app's own (a /static/js/ file, no inline code), no event-handler attribute,
no javascript:/vbscript:/data:text/html URL in any URL attribute, no <iframe>/<object>/<embed>/
<base>/<frame>/<meta http-equiv>, no srcdoc, no script URL in a style, and no evaluated template
(``{{ 7*7777 }}`` would print 54439).
"""

from __future__ import annotations

import json
import re
import zipfile
from io import BytesIO
from pathlib import Path
from xml.etree import ElementTree

import html5lib
import pypdf

BLNS_PATH = Path(__file__).resolve().parent.parent / "data" / "blns.json"

# Evaluated by a template engine, these print 54439; the number appears nowhere else.
TEMPLATE_PAYLOADS = ["{{ 7*7777 }}", "{% print(7*7777) %}", "${7*7777}", "#{7*7777}", "{{7*7777}}"]
EVALUATED_TEMPLATE = "54439"

APP_PAYLOADS = [
    "<script>alert('corep')</script>",
    "[link](javascript:alert(1))",
    "[link](JaVaScRiPt:alert(1))",
    "[link](javascript&#58;alert(1))",
    "[link](&#106;avascript:alert(1))",
    "[link](java\tscript:alert(1))",
    "[link]( javascript:alert(1) )",
    "[link](vbscript:msgbox(1))",
    "[link](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[link][ref]\n\n[ref]: javascript:alert(1)",
    "<javascript:alert(1)>",
    "![image](javascript:alert(1))",
    "![image](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    '![image](x" onerror="alert(1))',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<math><a xlink:href=javascript:alert(1)>x</a></math>",
    "<img src=x onerror=alert(1)>",
    '" onmouseover="alert(1)',
    "' onmouseover='alert(1)",
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "</script><script>alert(1)</script>",
    "</style><script>alert(1)</script>",
    "<!--<script>alert(1)--><script>alert(1)</script>",
    "<iframe src=javascript:alert(1)></iframe>",
    "<object data=javascript:alert(1)></object>",
    "<embed src=javascript:alert(1)>",
    "<base href=javascript:alert(1)//>",
    "<meta http-equiv=refresh content='0;url=javascript:alert(1)'>",
    '<a href="javascript&#58;alert(1)">entity</a>',
    '<a href="http://example.org" onclick="alert(1)">x</a>',
    "<form action=javascript:alert(1)><button>x</button></form>",
    "<button formaction=javascript:alert(1)>x</button>",
    "<style>*{background:url(javascript:alert(1))}</style>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<details open ontoggle=alert(1)>",
    "<<script>alert(1)//<</script>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "javascript:alert(1)",
    "]]></summary><script>alert(1)</script><summary><![CDATA[",
    "</text:p><office:script>alert(1)</office:script><text:p>",
    '<text:a xlink:href="javascript:alert(1)">x</text:a>',
    "\u202eevil\u202c <script>alert(1)</script>",
    "\u2066<img src=x onerror=alert(1)>\u2069",
    "abc\u202egnp.exe",
    "| cell | <script>alert(1)</script> |",
    *TEMPLATE_PAYLOADS,
]


def blns_selection() -> list[str]:
    """Every naughty string that could make markup (<, >, quotes, a script scheme, an on...=),
    and every sixth of the others: about 300 strings, bounded so that a run stays under a
    minute per database. NUL is left out (refused at the write, item 11 of issue 10)."""
    strings = [s for s in json.loads(BLNS_PATH.read_text(encoding="utf-8")) if s.strip()]
    markup = re.compile(r"[<>\"']|javascript|vbscript|\bon\w+\s*=", re.IGNORECASE)
    chosen = [s for s in strings if markup.search(s)]
    others = [s for s in strings if not markup.search(s)]
    chosen += others[::6]
    return [s for s in chosen if "\x00" not in s]


def corpus() -> list[str]:
    seen, result = set(), []
    for payload in APP_PAYLOADS + blns_selection():
        if payload not in seen:
            seen.add(payload)
            result.append(payload)
    return result


def batches(payloads: list[str], size: int) -> list[list[str]]:
    return [payloads[i : i + size] for i in range(0, len(payloads), size)]


# --- checking HTML ----------------------------------------------------------------------------

_URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "data",
    "poster",
    "background",
    "ping",
    "codebase",
    "cite",
    "xlink:href",
    "{http://www.w3.org/1999/xlink}href",
}
_FORBIDDEN_ELEMENTS = {"iframe", "object", "embed", "base", "frame", "frameset", "applet"}
_SCRIPT_SCHEMES = ("javascript:", "vbscript:", "data:text/html", "data:image/svg")
_IGNORED_IN_URLS = re.compile(r"[\x00-\x20\x7f]+")


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def is_script_url(value: str) -> bool:
    """As a browser reads a URL: control characters and spaces gone, case ignored."""
    return _IGNORED_IN_URLS.sub("", value).lower().startswith(_SCRIPT_SCHEMES)


def live_markup(html: str) -> list[str]:
    """What in this HTML would run script in a browser, described; [] when nothing would."""
    found = []
    if EVALUATED_TEMPLATE in html:
        found.append("a template expression from input was evaluated")
    tree = html5lib.parse(html, treebuilder="etree", namespaceHTMLElements=False)
    for element in tree.iter():
        tag = _local(element.tag)
        if not tag:
            continue
        attributes = {str(k).lower(): v for k, v in element.attrib.items()}
        if tag == "script":
            src = attributes.get("src", "")
            if not src.startswith("/static/js/") or (element.text or "").strip():
                found.append(f"<script> element: {src!r} {(element.text or '')[:60]!r}")
        if tag in _FORBIDDEN_ELEMENTS:
            found.append(f"<{tag}> element")
        if tag == "meta" and "http-equiv" in attributes:
            found.append("<meta http-equiv>")
        if tag == "style" and re.search(r"javascript:|expression\(", element.text or "", re.I):
            found.append("<style> with script")
        for name, value in attributes.items():
            local_name = _local(name) if name.startswith("{") else name
            if local_name.startswith("on"):
                found.append(f"event handler {name}= on <{tag}>")
            if local_name == "srcdoc":
                found.append(f"srcdoc on <{tag}>")
            if (name in _URL_ATTRIBUTES or local_name == "href") and is_script_url(value):
                found.append(f"script URL in {name} of <{tag}>: {value[:60]!r}")
            if name == "style" and re.search(r"javascript:|expression\(", value, re.I):
                found.append(f"script in style of <{tag}>")
    return found


# --- checking XML (Atom feed, OpenDocument) ----------------------------------------------------

ATOM = "{http://www.w3.org/2005/Atom}"
# The feed's own extension: each entry carries the audit chain's head (item 10 of issue 10).
COREP_RECORD = "{urn:corep-drafts:record}"


def live_in_feed(xml: bytes) -> list[str]:
    """The feed must be well-formed Atom whose every element is Atom's (or the record's own
    chain-head extension) and every text plain."""
    root = ElementTree.fromstring(xml)  # raises on a payload that broke the XML
    found = []
    for element in root.iter():
        if not str(element.tag).startswith((ATOM, COREP_RECORD)):
            found.append(f"foreign element {element.tag} in the feed")
        if element.get("type") not in (None, "text"):
            found.append(f"{element.tag} of type {element.get('type')} (a reader renders it)")
        href = element.get("href")
        if href is not None and is_script_url(href):
            found.append(f"script URL in the feed: {href[:60]!r}")
    return found


def live_in_odt(data: bytes) -> list[str]:
    """content.xml must be well-formed, with no script, event listener or script link."""
    with zipfile.ZipFile(BytesIO(data)) as package:
        content = package.read("content.xml")
    root = ElementTree.fromstring(content)
    found = []
    for element in root.iter():
        tag = _local(element.tag)
        if tag in ("script", "scripts", "event-listener", "event-listeners"):
            found.append(f"<{element.tag}> in content.xml")
        for name, value in element.attrib.items():
            if _local(name) == "href" and is_script_url(value):
                found.append(f"script URL in content.xml: {value[:60]!r}")
    return found


def text_of_odt(data: bytes) -> str:
    with zipfile.ZipFile(BytesIO(data)) as package:
        root = ElementTree.fromstring(package.read("content.xml"))
    return "".join(root.itertext())


def live_in_pdf(data: bytes) -> list[str]:
    """No document or page action, no JavaScript, and no link to a script URL."""
    reader = pypdf.PdfReader(BytesIO(data))
    found = []
    catalog = reader.trailer["/Root"]
    for key in ("/OpenAction", "/AA", "/JavaScript"):
        if key in catalog or key in catalog.get("/Names", {}):
            found.append(f"{key} in the document")
    for number, page in enumerate(reader.pages, start=1):
        if "/AA" in page:
            found.append(f"/AA on page {number}")
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action is None:
                continue
            action = action.get_object()
            if action.get("/S") in ("/JavaScript", "/Launch"):
                found.append(f"{action.get('/S')} action on page {number}")
            if is_script_url(str(action.get("/URI", ""))):
                found.append(f"script link on page {number}: {str(action['/URI'])[:60]!r}")
    return found

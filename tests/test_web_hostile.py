"""Hostile input through ingest -> store -> every page, every API answer and the offline briefs:
markup in article text, titles, outlet names, authors, URLs and file names must stay text (issue 8).

The corpus is built here (fictional outlets and events).  Pages are parsed with lxml and checked
structurally, so a test fails on any injected element, event handler or unsafe link, however it
got through; the strings are also checked to be shown literally, so nothing is lost.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import lxml.html
import pytest
from fastapi.testclient import TestClient

from newscollate.render import render_html, render_markdown
from newscollate.render.html import CONTROL_PICTURES, PAGE_SCRIPT, brief_css
from newscollate.web import WebSettings, create_app
from newscollate.web.security import CONTENT_SECURITY_POLICY

RLO, LRI, RLI, FSI, PDI, RLM = "\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\u200f"
BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
RAW_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
LONG_WORD = "Quarrystone" * 4546  # one 50,006-character token
LONG_URL = "https://long.example/" + "p" * 5000
MARKUP = (
    '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">'
    "<svg onload=window.__pwned=3></svg><a href='javascript:window.__pwned=4'>x</a>"
    "</textarea></title><!-- --><![CDATA[ ]]> {{7*7}} {% raw %}{% endraw %}"
)
MARKDOWN_INJECTION = (
    "[click](javascript:alert(1)) [phish](https://evil.example/login) ![img](data:text/html,x) "
    "<b onclick=alert(1)>raw</b> [ref]: javascript:x"
)
BAD_URLS = [
    "javascript:window.__pwned=5",
    " JaVaScRiPt:alert(1)",
    "java\tscript:alert(1)",
    "&#106;avascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "//evil.example/x",
]
OUTLET = f"Kestrel <b>Wire</b> {RLO}lanruoJ{PDI} {LRI}"
TITLE = f'Footbridge reopens {MARKUP} {RLO}gnp.exe {MARKDOWN_INJECTION} =HYPERLINK("http://x") \u200b\u200d'
AUTHOR = f'<i onmouseover="alert(1)">Mara Vell</i> {RLI}{RLM}'
FILE_NAME = f"<svg onload=alert(1)>{RLO}txt.exe"

# Three reports of one fictional event, so the brief has claims, excerpts and discrepancies.
BASE_TEXT = (
    "The Quarry Lane footbridge in Dunmore reopened on Monday after repairs costing {cost} pounds, the council said.\n"
    "Engineers replaced {planks} rotten planks and repainted the railings, council engineer Tarn Holloway said.\n"
    "\"The bridge is safe for walkers again,\" said Holloway, who led the work for six weeks.\n"
    "{hostile}\n"
    "The bridge was built in 1911 and carries about 3,000 walkers a day, according to the council.\n"
)
SHORT_HOSTILE_LINE = (
    f"{MARKUP} {MARKDOWN_INJECTION} {' '.join(BAD_URLS)} =cmd|' /C calc'!A0 @SUM(1) "
    f"{RLO}Holloway said{PDI} {FSI}x{LRI}y \u200b\u200c\u200d\ufeff \x00\x01\x07\x1b[31m"
)
HOSTILE_LINE = f"{SHORT_HOSTILE_LINE} {LONG_WORD}"


def hostile_records() -> list[dict]:
    """Reports of one event: the first three carry the 50,000-letter word; each has a URL to refuse
    (but the third, whose 5,000-character https URL must be linked)."""
    urls = [*BAD_URLS[:2], LONG_URL, *BAD_URLS[2:]]
    records = []
    for n, url in enumerate(urls):
        records.append({
            "text": BASE_TEXT.format(cost=("90,000", "95,000")[n % 2], planks=14 + n % 3,
                                     hostile=HOSTILE_LINE if n < 3 else SHORT_HOSTILE_LINE),
            "title": TITLE if n == 0 else f"Dunmore footbridge {n} {MARKUP}",
            "source": OUTLET if n == 0 else f"Outlet {n} {RLO}<b>bold</b>",
            "author": AUTHOR, "url": url, "published": f"2026-04-{n + 6:02d}",
            "path": FILE_NAME if n == 0 else f"report-{n}.txt",
        })  # fmt: skip
    return records


ALLOWED_TAGS = {
    "html", "head", "body", "meta", "title", "link", "script", "style", "nav", "main", "header", "footer", "a", "p",
    "h1", "h2", "h3", "h4", "form", "label", "input", "select", "option", "button", "ol", "ul", "li", "span", "time",
    "code", "strong", "em", "article", "section", "details", "summary", "blockquote", "mark", "cite", "figure",
    "figcaption", "div", "table", "thead", "tbody", "tr", "th", "td", "dl", "dt", "dd", "meter", "del", "bdi", "br",
    "hr",
}  # fmt: skip
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "poster", "srcset", "data", "xlink:href", "background")


def assert_inert(
    page: str, where: str, script_src: str | None = "/static/web.js", inline: tuple[str, str] | None = None
) -> lxml.html.HtmlElement:
    """No element, attribute or link in ``page`` that hostile input could have made.  The page's own
    script is ``script_src``, or else ``inline``: the text of its one ``<script>`` and ``<style>``."""
    assert not RAW_CONTROLS.search(page), f"{where}: a control character, which a browser drops unseen"
    tree = lxml.html.document_fromstring(page)
    for element in tree.iter():
        if not isinstance(element.tag, str):  # comments and processing instructions
            assert not isinstance(element, lxml.html.HtmlComment), f"{where}: an HTML comment got through"
            continue
        assert element.tag in ALLOWED_TAGS, f"{where}: element <{element.tag}>"
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), f"{where}: <{element.tag} {name}=...>"
            assert name.lower() != "style", f"{where}: a style attribute on <{element.tag}>"
            if name.lower() in URL_ATTRIBUTES:
                assert safe_link(value), f"{where}: <{element.tag} {name}={value[:80]!r}>"
        if element.tag in ("script", "style"):
            body = (element.text or "").strip()
            if inline:
                own = body == inline[element.tag == "style"].strip()
            else:
                own = element.tag == "script" and element.get("src") == script_src and not body
            assert own, f"{where}: a <{element.tag}> of its own"
        if element.tag == "meta":
            assert element.get("http-equiv", "").lower() in ("", "content-security-policy"), where
    return tree


def safe_link(url: str) -> bool:
    """Same origin (a path, not ``//host``), a fragment, or a plain http(s) URL."""
    if any(ch.isspace() or ord(ch) < 32 for ch in url):
        return False
    if url.startswith("#") or (url.startswith("/") and not url.startswith(("//", "/\\"))):  # browsers read /\ as //
        return True
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


INLINE_TAGS = {"a", "mark", "span", "del", "code", "strong", "em", "cite", "time"}


def assert_bidi_isolated(tree: lxml.html.HtmlElement, where: str) -> None:
    """A bidi control in shown text is inside a <bdi>, or alone in its block (a heading, a cell,
    an option), so it cannot reorder the page's own words around it; the tab title carries none."""
    assert not BIDI_CONTROLS.search(tree.findtext(".//title") or ""), f"{where}: bidi control in <title>"
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        for text, container in ((element.text, element), (element.tail, element.getparent())):
            if text and container is not None and BIDI_CONTROLS.search(text):
                assert _isolated(container, text), f"{where}: bidi control in <{container.tag}>: {text[:60]!r}"


def _isolated(container: lxml.html.HtmlElement, text: str) -> bool:
    while container.tag in INLINE_TAGS:
        container = container.getparent()
    return container.tag == "bdi" or container.text_content().strip() == text.strip()


def shown(tree: lxml.html.HtmlElement) -> str:
    return tree.text_content()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A client over a store holding only the hostile corpus; and what the API said when adding it."""
    path: Path = tmp_path_factory.mktemp("hostile") / "store.db"
    with TestClient(create_app(WebSettings(store=path, max_upload_bytes=2_000_000))) as client:
        answer = client.post("/api/documents", json={"documents": hostile_records()})
        assert answer.status_code == 201, answer.text
        report = answer.json()
        assert len(report["added"]) == len(BAD_URLS) + 1 and report["events_changed"], report
        yield client, report


def form_token(client: TestClient) -> str:
    form = lxml.html.document_fromstring(client.get("/upload").text)
    [token] = form.xpath("//form[@action='/upload']//input[@name='form_token']/@value")
    return token


def test_every_page_shows_hostile_input_as_text(site):
    client, report = site
    doc_id, event_id = report["added"][0], report["events_changed"][0]
    pages = {
        "/": None, "/outlets": None, "/upload": None, f"/events/{event_id}": TITLE,
        f"/documents/{doc_id}?start=0&end=60#highlight": TITLE,
        f"/documents/{report['added'][2]}": LONG_WORD,
        "/?" + urlencode({"q": MARKUP}): None, "/?" + urlencode({"outlet": OUTLET}): OUTLET,
    }  # fmt: skip
    for path, literal in pages.items():
        answer = client.get(path)
        assert answer.status_code == 200 and answer.headers["content-type"] == "text/html; charset=utf-8", path
        tree = assert_inert(answer.text, path)
        assert_bidi_isolated(tree, path)
        if literal:
            assert literal in shown(tree), path
    event = lxml.html.document_fromstring(client.get(f"/events/{event_id}").text)
    assert len(event.xpath("//table[@class='sources']/tbody/tr")) == len(hostile_records())
    assert {href for href in event.xpath("//a/@href") if not href.startswith(("/", "#"))} == {LONG_URL}
    document = lxml.html.document_fromstring(client.get(f"/documents/{doc_id}").text)
    # the text as read, every character of it, in the article's <bdi> runs (segment marks are outside
    # them); control characters shown as their symbols, since a browser would drop a NUL unseen
    read = client.get(f"/api/documents/{doc_id}").json()["text"]
    assert "".join(document.xpath("//article//bdi/text()")) == read.translate(CONTROL_PICTURES)
    assert "\u2400\u2401\u2407\u241b[31m" in shown(document)
    stored_path = client.get(f"/api/documents/{doc_id}").json()["path"]  # uploads.py may tidy a name
    assert AUTHOR in shown(document) and "<svg onload=alert(1)>" in stored_path and stored_path in shown(document)
    assert not document.xpath("//a[text()='original page']")  # its URL is javascript:, so no link at all
    long_link = lxml.html.document_fromstring(client.get(f"/documents/{report['added'][2]}").text)
    assert long_link.xpath("//a[text()='original page']/@href") == [LONG_URL]


def test_reflected_query_strings_and_error_messages_are_escaped(site):
    client, _ = site
    searched = lxml.html.document_fromstring(client.get("/", params={"q": MARKUP}).text)
    assert searched.xpath("//input[@name='q']/@value") == [MARKUP]
    errors = {
        "/?" + urlencode({"since": MARKUP}): 400,
        "/documents/" + "%3Cscript%3Ewindow.__pwned%3D1%3C%2Fscript%3E": 404,
        "/events/%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E": 404,
        "/no/%3Csvg%20onload%3Dalert(1)%3E": 404,
        "/documents/x?start=%3Cb%3E&end=1": 422,
    }
    for path, status in errors.items():
        answer = client.get(path, headers={"accept": "text/html"})
        assert answer.status_code == status and answer.headers["content-type"].startswith("text/html"), path
        tree = assert_inert(answer.text, path)
        assert tree.xpath("//h1") and not tree.xpath("//h1//*[not(self::bdi)]"), path  # the message is text only
        assert_bidi_isolated(tree, path)
    reflected = lxml.html.document_fromstring(client.get("/events/%3Cscript%3E", headers={"accept": "text/html"}).text)
    assert "<script>" in reflected.xpath("string(//h1)")
    # a control character in a reflected value is shown, as in every other page, not dropped unseen
    controlled = client.get("/no/a%1Bb", headers={"accept": "text/html"})
    assert controlled.status_code == 404 and "\x1b" not in controlled.text and "a\u241bb" in controlled.text


def test_upload_result_page_with_hostile_file_names_and_content(site):
    client, _ = site
    page = (
        "<html><head><title>Page <script>alert(1)</script></title></head><body><p onclick=alert(1)>"
        + HOSTILE_LINE.replace("\x00", "")
        + "</p></body></html>"
    )
    text = RLO + BASE_TEXT.format(cost="1", planks="2", hostile=MARKUP)
    files = [
        ("files", (FILE_NAME + ".html", page.encode(), "text/html")),
        ("files", ("<img src=x onerror=alert(1)>.txt", b"", "text/plain")),
        ("files", (f"{RLO}fdp.js", text.encode(), "text/plain")),
    ]
    answer = client.post("/upload", files=files, data={"form_token": form_token(client)})
    assert answer.status_code == 200, answer.text
    tree = assert_inert(answer.text, "POST /upload")
    assert_bidi_isolated(tree, "POST /upload")
    errors = tree.xpath("//ul[@class='errors']/li")
    assert [li.xpath("string(.//code)") for li in errors] == ["<img src=x onerror=alert(1)>.txt"]


def test_api_answers_are_json_and_give_the_text_back_exactly(site):
    client, report = site
    records = hostile_records()
    paths = ["/api/events", "/api/outlets", f"/api/events/{report['events_changed'][0]}"]
    paths += ["/api/events?" + urlencode({"q": MARKUP, "outlet": OUTLET})]
    paths += [f"/api/documents/{doc_id}" for doc_id in report["added"]]
    for path in paths:
        answer = client.get(path)
        assert answer.status_code == 200 and answer.headers["content-type"] == "application/json", path
        assert answer.headers["x-content-type-options"] == "nosniff", path  # never sniffed into a page
        json.loads(answer.text)
    for doc_id, record in zip(report["added"], records):
        stored = client.get(f"/api/documents/{doc_id}").json()
        assert stored["text"] == record["text"]  # nothing lost, nothing rewritten
        assert [stored[k] for k in ("title", "source", "author")] == [record[k] for k in ("title", "source", "author")]
    refused = client.get("/api/documents/%3Cscript%3E")
    assert refused.status_code == 404 and refused.headers["content-type"] == "application/json"
    assert "<script>" in refused.json()["error"]


def test_offline_html_brief_is_inert(site):
    client, report = site
    brief = client.get(f"/api/events/{report['events_changed'][0]}").json()
    texts = {doc["id"]: client.get(f"/api/documents/{doc['id']}").json()["text"] for doc in brief["documents"]}
    page = render_html(brief, texts)
    tree = assert_inert(page, "brief.html", script_src=None, inline=(PAGE_SCRIPT, brief_css()))
    assert_bidi_isolated(tree, "brief.html")
    assert len(tree.xpath("//script")) == 1 and len(tree.xpath("//style")) == 1
    assert "Kestrel <b>Wire</b>" in shown(tree) and MARKUP in shown(tree)
    assert LONG_URL in tree.xpath("//a/@href")


def test_markdown_brief_neutralises_links_and_html(site):
    markdown_it = pytest.importorskip("markdown_it")
    client, report = site
    brief = client.get(f"/api/events/{report['events_changed'][0]}").json()
    texts = {doc["id"]: client.get(f"/api/documents/{doc['id']}").json()["text"] for doc in brief["documents"]}
    markdown = render_markdown(brief, texts)
    # a terminal showing it gets no escape sequence, and no override reorders the text after it
    assert not RAW_CONTROLS.search(markdown) and not BIDI_CONTROLS.search(markdown)
    # How GitHub and most viewers read it: CommonMark with raw HTML allowed, plus tables.
    html = markdown_it.MarkdownIt("commonmark", {"html": True}).enable("table").render(markdown)
    html = re.sub(r' style="text-align:(left|right|center)"', "", html)  # the table's own column alignment
    tree = assert_inert(f"<html><body>{html}</body></html>", "brief.md", script_src=None)
    assert not tree.xpath("//img") and not tree.xpath("//*[@onclick]")
    assert tree.xpath("//a/@href") == [LONG_URL], "links only from http(s) source URLs"
    text = shown(tree)
    for literal in ("[click](javascript:alert(1))", "<script>window.__pwned=1</script>", "<b onclick=alert(1)>raw</b>"):
        assert literal in text, literal
    assert "⟦U+202E⟧" in markdown and "\u241b\\[31m" in markdown


def test_security_headers_on_every_kind_of_response(site):
    client, report = site
    token = form_token(client)
    event = f"/events/{report['events_changed'][0]}"
    responses = {
        "page": client.get("/"), "event": client.get(event),
        "304": client.get(event, headers={"if-none-match": client.get(event).headers["etag"]}),
        "json": client.get("/api/events"), "script": client.get("/static/web.js"), "css": client.get("/static/web.css"),
        "brief css": client.get("/static/brief.css"), "404 page": client.get("/nope", headers={"accept": "text/html"}),
        "404 json": client.get("/api/events/nope"), "400": client.get("/?since=soon"), "422": client.get("/?page=0"),
        "421": client.get("/", headers={"host": "evil.example"}),
        "403": client.post("/upload", headers={"sec-fetch-site": "cross-site"}),
        "upload": client.post("/upload", files=[("files", ("e.txt", b"", "text/plain"))], data={"form_token": token}),
    }  # fmt: skip
    statuses = {kind: answer.status_code for kind, answer in responses.items()}
    assert statuses == {**dict.fromkeys(responses, 200), **{k: int(k[:3]) for k in responses if k[:3].isdigit()},
                        "upload": 400}  # fmt: skip
    expected = {
        "content-security-policy": CONTENT_SECURITY_POLICY,
        "x-content-type-options": "nosniff",
        "x-frame-options": "DENY",
        "referrer-policy": "no-referrer",
        "cross-origin-opener-policy": "same-origin",
        "cross-origin-resource-policy": "same-origin",
        "permissions-policy": "camera=(), microphone=(), geolocation=()",
    }
    assert CONTENT_SECURITY_POLICY == (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    )
    for kind, answer in responses.items():
        for name, value in expected.items():
            assert answer.headers.get(name) == value, f"{kind} ({answer.status_code}): {name}"
        assert len(answer.headers.get_list("content-security-policy")) == 1, kind


def test_cross_site_posts_are_refused_and_same_site_ones_accepted(site):
    client, _ = site
    token = form_token(client)

    def upload(headers: dict[str, str], token: str | None = token, path: str = "/upload"):
        fields = {"form_token": token} if token is not None else {}
        return client.post(path, files=[("files", ("f.txt", b"", "text/plain"))], data=fields, headers=headers)

    for headers in (
        {"sec-fetch-site": "cross-site"}, {"sec-fetch-site": "same-site"}, {"origin": "https://evil.example"},
        {"origin": "null"}, {"origin": "http://testserver.evil.example"}, {"origin": "http://testserver:8080"},
        {"sec-fetch-site": "cross-site", "origin": "http://testserver"},
    ):  # fmt: skip
        for path in ("/upload", "/api/documents"):
            assert upload(headers, path=path).status_code == 403, (path, headers)
    # a form post whose browser sent neither header must carry the form's token
    assert upload({}, token=None).status_code == 403
    assert upload({}, token="forged").status_code == 403
    assert upload({}).status_code == 400  # accepted: the one empty file is reported, not refused
    assert upload({"sec-fetch-site": "same-origin", "origin": "http://testserver"}, token=None).status_code == 400
    assert upload({"origin": "http://testserver"}, token=None).status_code == 400
    # programs (curl) send neither header to the API
    assert upload({}, token=None, path="/api/documents").status_code == 400

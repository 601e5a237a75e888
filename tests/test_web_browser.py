"""Browser tests: Playwright drives Debian's Chromium (headless) against a real ``newscollate``
web server holding the fictional corpus in examples/.

The server runs in a subprocess that first ingests examples/ into a temporary store (so spaCy
loads once, in the process that also ingests the uploads), then serves it on a free loopback
port.  Set ``NEWSCOLLATE_SCREENSHOTS=1`` to write docs/screenshots/event-page.png.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import textwrap
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (.ci/run does)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is missing: pip install -e '.[test]'")

REPO = Path(__file__).resolve().parents[1]
SCREENSHOT = REPO / "docs" / "screenshots" / "event-page.png"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",  # without these Chromium tries to reach the (closed) network
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 900}
SERVER_START_TIMEOUT = 90  # seconds: ingesting examples/ loads spaCy first

SERVE = textwrap.dedent(
    """
    import sys
    from pathlib import Path

    import uvicorn

    from newscollate.ingest import InputError, iter_documents
    from newscollate.store import Store
    from newscollate.store.stream import stream_into_events
    from newscollate.web import WebSettings, create_app

    store_path, corpus, port = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    with Store.open(store_path) as store:
        added = store.add_documents(d for d in iter_documents([corpus]) if not isinstance(d, InputError))
        stream_into_events(store, added.added_ids, parallel=False)
    uvicorn.run(create_app(WebSettings(store=store_path)), host="127.0.0.1", port=port, log_level="warning")
    """
)

HOSTILE_TITLE = "<script>window.__pwned=1</script><img src=x onerror=window.__pwned=2>"
HOSTILE_SOURCE = "Evil <b>Outlet</b>"
HOSTILE_TEXT = (
    "The Quillmere borough council voted on Wednesday to repaint the Tarrow Street footbridge "
    "in its original green after residents of the fictional town of Quillmere collected 900 signatures.\n"
    "Councillor Ember Vosk said the work would start in May and cost 41,000 dollars, "
    "paid from the borough's heritage fund.\n"
    "<script>window.__pwned=3</script> The footbridge, built in 1911, was last painted in 1987."
)
UPLOAD_TEXT = (
    "Title: Orchard cooperative in Vellmoor opens a cider press\n\n"
    "Growers in the fictional valley town of Vellmoor opened a shared cider press on Saturday, "
    "the Vellmoor Orchard Cooperative said.\n"
    "The press can take 3 tonnes of apples a day and was paid for by 58 member farms.\n"
    "Cooperative chair Idris Fallowby said the first bottles would be sold at the autumn market.\n"
)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The base URL of a server over a store built from examples/."""
    folder = tmp_path_factory.mktemp("web-browser")
    port = _free_port()
    log = (folder / "server.log").open("w+b")
    process = subprocess.Popen(
        [sys.executable, "-c", SERVE, str(folder / "store.db"), "examples", str(port)],
        cwd=REPO, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never through an http_proxy
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while True:
            if process.poll() is not None:
                log.seek(0)
                output = log.read().decode(errors="replace")[-3000:]
                pytest.fail(f"the server exited with {process.returncode}:\n{output}")
            try:
                with direct.open(f"{base}/api/events?limit=1", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"the server did not answer within {SERVER_START_TIMEOUT} s")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


class Console:
    """Console errors and uncaught page errors seen by a page."""

    def __init__(self, page) -> None:
        self.errors: list[str] = []
        page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        page.on("pageerror", lambda error: self.errors.append(f"uncaught: {error}"))

    def csp_violations(self) -> list[str]:
        return [e for e in self.errors if "Content Security Policy" in e or "Content-Security-Policy" in e]


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport=VIEWPORT, base_url=server)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def console(page) -> Console:
    return Console(page)


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _first_event_with_claims(page) -> str:
    """The events list's first event whose brief has a claim with a source link; returns its URL."""
    page.goto("/")
    for href in page.locator("a.event-title").evaluate_all("links => links.map(a => a.getAttribute('href'))"):
        page.goto(href)
        if page.locator("details.claim a.source-link").count():
            return href
    pytest.fail("no event in the store has a claim with a source link")


def test_events_list_loads(page, console):
    page.goto("/")
    titles = [_squash(t) for t in page.locator("a.event-title").all_inner_texts()]
    stored = page.request.get("/api/events?limit=500").json()["events"]
    assert len(stored) >= 4  # ferry, factory, festival, night ferry (and the factory page's teasers)
    assert titles == [_squash(e["title"] or e["id"]) for e in stored]
    assert any("Aldmere" in t for t in titles), titles
    assert _squash(page.locator("h1").inner_text()) == f"{len(stored)} events"
    assert console.errors == []


def test_claim_opens_highlighted_source_span(page, console):
    event_url = _first_event_with_claims(page)
    claim = page.locator("details.claim").filter(has=page.locator("a.source-link")).first
    assert claim.get_attribute("open") is None
    claim.locator("summary").click()
    assert claim.get_attribute("open") is not None
    excerpt = claim.locator("blockquote.excerpt").first
    link = excerpt.locator("p a.source-link").first
    assert link.is_visible()
    marked = excerpt.locator("p mark")
    expected = _squash(marked.first.inner_text() if marked.count() else link.inner_text())
    href = link.get_attribute("href")

    link.click()
    page.wait_for_url(re.compile(r"/documents/[^/?#]+\?start=\d+&end=\d+#highlight$"))
    assert re.search(r"[?&]start=\d+", page.url) and re.search(r"[?&]end=\d+", page.url)
    assert page.url.endswith(href)
    highlight = page.locator("#highlight")
    assert highlight.is_visible()
    # the highlighted span is scrolled into the window (web.js centres it)
    page.wait_for_function(
        """() => { const r = document.getElementById('highlight').getBoundingClientRect();
                   return r.top >= 0 && r.bottom <= window.innerHeight
                          && r.left >= 0 && r.right <= window.innerWidth; }"""
    )
    # the span may be cut into several marks by a removed passage or segment; #highlight is the first
    marks = page.locator("article.source-text mark")
    assert _squash(highlight.inner_text()) == _squash(marks.first.inner_text())
    assert _squash("".join(marks.all_inner_texts())) == expected
    if marks.count() == 1:
        assert _squash(highlight.inner_text()) == expected
    assert console.errors == [], f"console errors after {event_url} -> {href}"


def test_content_security_policy_holds(page, console):
    event_url = _first_event_with_claims(page)
    response = page.goto(event_url)
    assert "script-src 'self'" in response.headers["content-security-policy"]
    # web.js ran under the CSP: it unhides the expand controls and they work
    controls = page.locator("#expand-controls")
    controls.wait_for(state="visible")
    controls.locator("[data-expand=open]").click()
    assert page.locator("details.claim:not([open])").count() == 0
    controls.locator("[data-expand=close]").click()
    assert page.locator("details.claim[open]").count() == 0
    page.locator("details.claim a.source-link").first.evaluate("a => a.click()")
    page.wait_for_url(re.compile(r"/documents/"))
    page.locator("#highlight").wait_for(state="visible")
    assert console.csp_violations() == []
    assert console.errors == []


def test_hostile_document_is_shown_literally(page, console, server):
    answer = page.request.post(
        f"{server}/api/documents",
        data=json.dumps({"documents": [{"text": HOSTILE_TEXT, "title": HOSTILE_TITLE, "source": HOSTILE_SOURCE,
                                        "published": "2026-04-02"}]}),
        headers={"content-type": "application/json"},
    )  # fmt: skip
    assert answer.status == 201, answer.text()
    report = answer.json()
    [doc_id] = report["added"]
    assert report["events_changed"]

    page.goto("/")
    for event_id in report["events_changed"]:
        assert page.locator(f"a.event-title[href='/events/{event_id}']").count() == 1
    for url in ["/", f"/documents/{doc_id}", *(f"/events/{e}" for e in report["events_changed"])]:
        page.goto(url)
        assert page.evaluate("typeof window.__pwned") == "undefined", url
        assert page.locator("script:not([src='/static/web.js']), img[src=x], .chip b").count() == 0, url
        shown = page.locator("main").text_content()  # as in the DOM (CSS upper-cases some labels)
        assert HOSTILE_SOURCE in shown, url  # outlet chip, literally
        if url != "/":
            assert HOSTILE_TITLE in shown, url  # document heading or the event's sources table
    page.goto(f"/documents/{doc_id}")
    assert _squash(page.locator("h1").inner_text()) == HOSTILE_TITLE
    assert page.title().startswith(HOSTILE_TITLE)
    assert "<script>window.__pwned=3</script>" in page.locator("article.source-text").inner_text()
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert console.csp_violations() == []


LONG_TOKEN = "Tarrowbridge" * 4167  # a 50,004-character word
RLO = "\u202e"
LAYOUT_TEXT = (
    "The Wenlow ferry pier in the fictional port of Saltmarrow reopened on Thursday after a storm tore off its deck, "
    "the harbour board said.\n"
    f"Divers found the old piles sound, harbour master Oriel Prask said. {LONG_TOKEN}\n"
    '<img src=x onerror="window.__pwned=4;alert(4)"><svg onload="window.__pwned=5;confirm(5)"></svg>'
    "<a href=\"javascript:window.__pwned=6\">pier</a> The pier carries 400 passengers a day.\n"
)


def test_long_tokens_and_bidi_overrides_do_not_break_the_layout(page, console, server):
    """A 50,000-letter word stays inside the page, an unclosed right-to-left override in the author
    stays inside its name, and nothing in the document runs a script or opens a dialog."""
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    document = {
        "text": LAYOUT_TEXT, "title": "Pier " + LONG_TOKEN[:3000] + "<script>alert(7)</script>",
        "source": "Saltmarrow " + LONG_TOKEN[:400], "author": f"Ann {RLO}Tell", "published": "2026-05-02",
        "url": "https://pier.example/" + "q" * 5000,
    }  # fmt: skip
    answer = page.request.post(f"{server}/api/documents", data=json.dumps([document]), headers={"content-type": "application/json"})
    assert answer.status == 201, answer.text()
    [doc_id] = answer.json()["added"]
    [event_id] = answer.json()["events_changed"]
    start = LAYOUT_TEXT.index(LONG_TOKEN)
    for url in ["/", f"/events/{event_id}", f"/documents/{doc_id}?start={start}&end={start + len(LONG_TOKEN)}#highlight"]:
        page.goto(url)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{url} is {overflow} px wider than the window"
        assert page.evaluate("typeof window.__pwned") == "undefined", url
    # the words after the author keep their order: the override ends with the <bdi> around the name
    left_of = """([selector, word]) => {
        const walker = document.createTreeWalker(document.querySelector(selector), NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const at = node.data.indexOf(word);
            if (at >= 0) { const range = document.createRange(); range.setStart(node, at);
                           range.setEnd(node, at + word.length); return range.getBoundingClientRect().left; }
        }
        return null; }"""
    stats = "p.meta.stats"
    assert page.evaluate(left_of, [stats, "characters"]) < page.evaluate(left_of, [stats, "segment"])
    assert page.evaluate(left_of, [stats, "Ann"]) < page.evaluate(left_of, [stats, "Tell"])  # the name itself as written
    assert dialogs == []
    assert console.csp_violations() == []


def test_upload_form_reports_added_and_rejected_files(page, console, tmp_path):
    good = tmp_path / "vellmoor-cider.txt"
    good.write_text(UPLOAD_TEXT, encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "noise.bin"
    binary.write_bytes(bytes(range(256)) * 8)

    page.goto("/upload")
    page.locator("input[type=file][name=files]").set_input_files([good, empty, binary])
    with page.expect_navigation():
        page.locator("form.upload button[type=submit]").click()
    report = page.locator("section.report")
    assert _squash(report.locator("h2").inner_text()) == "1 document added"
    errors = {}
    for item in report.locator("ul.errors li").all_inner_texts():
        name, _, reason = item.partition(": ")
        errors[name.strip()] = reason.strip()
    assert set(errors) == {"empty.txt", "noise.bin"}, errors
    assert all(errors.values()), errors
    assert report.locator("a[href^='/events/']").count() >= 1
    assert console.errors == []


def test_event_page_screenshot(page):
    """Writes docs/screenshots/event-page.png when NEWSCOLLATE_SCREENSHOTS=1."""
    # the event with the most documents (the ferry collision), however the other tests grew the store
    events = page.request.get("/api/events?limit=500").json()["events"]
    biggest = max(events, key=lambda e: (e["documents"], e["claims"] or 0))
    page.goto("/")
    page.locator(f"a.event-title[href='/events/{biggest['id']}']").click()
    page.wait_for_url(re.compile(r"/events/"))
    page.locator("#expand-controls").wait_for(state="visible")
    claim = page.locator("details.claim").first
    claim.locator("summary").click()
    assert claim.get_attribute("open") is not None
    if os.environ.get("NEWSCOLLATE_SCREENSHOTS") != "1":
        return
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(SCREENSHOT), full_page=False)
    assert SCREENSHOT.stat().st_size > 10_000

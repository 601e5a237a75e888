"""The web application through its HTTP interface (FastAPI's TestClient, no browser):
the JSON API, the pages, and the safety rules of newscollate.web."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from newscollate.ingest import iter_documents
from newscollate.render import validate_brief
from newscollate.store import Store
from newscollate.store.stream import stream_into_events
from newscollate.web import WebSettings, create_app

REPO = Path(__file__).resolve().parents[1]
HOSTILE_TITLE = '<script>alert("t")</script><img src=x onerror=alert(1)>'
HOSTILE_TEXT = (
    "The Quarry Lane footbridge in Dunmore reopened on Monday after repairs costing 90,000 pounds, the council said.\n"
    '<a href="javascript:alert(2)">Click</a> <svg onload=alert(3)> Engineers replaced 14 rotten planks.\n'
)


@pytest.fixture(scope="module")
def store_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("web") / "store.db"
    with Store.open(path) as store:
        added = store.add_documents(d for d in iter_documents([str(REPO / "examples")]) if not isinstance(d, Exception))
        stream_into_events(store, added.added_ids, parallel=False)
    return path


@pytest.fixture()
def client(store_path, tmp_path) -> TestClient:
    """A client over a private copy of the examples store (tests may add documents)."""
    copy = tmp_path / "store.db"
    shutil.copy(store_path, copy)
    with TestClient(create_app(WebSettings(store=copy, max_upload_bytes=200_000))) as c:
        yield c


def event_ids(client: TestClient) -> list[str]:
    return [e["id"] for e in client.get("/api/events", params={"limit": 500}).json()["events"]]


# --- JSON API -------------------------------------------------------------------------------


def test_events_list_newest_first_with_counts_and_outlets(client):
    body = client.get("/api/events").json()
    events = body["events"]
    assert body["total"] == len(events) > 1
    newest = [e["last_published"] or "" for e in events]
    assert newest == sorted(newest, reverse=True)
    biggest = max(events, key=lambda e: e["documents"])
    assert biggest["documents"] > 1 and 1 <= biggest["independent_sources"] <= biggest["documents"]
    assert len(biggest["outlets"]) > 1 and biggest["brief"] == f"/api/events/{biggest['id']}"


def test_events_filters_search_outlet_dates_and_pages(client):
    events = client.get("/api/events").json()["events"]
    target = max(events, key=lambda e: e["documents"])
    word = max(target["title"].split(), key=len)
    found = client.get("/api/events", params={"q": word.upper()}).json()["events"]
    assert target["id"] in [e["id"] for e in found] and len(found) < len(events)
    outlet = target["outlets"][-1]
    by_outlet = client.get("/api/events", params={"outlet": outlet}).json()["events"]
    assert target["id"] in [e["id"] for e in by_outlet] and all(outlet in e["outlets"] for e in by_outlet)
    after = client.get("/api/events", params={"since": "2100-01-01"}).json()
    assert after["total"] == 0 and after["events"] == []
    window = client.get("/api/events", params={"since": target["first_published"], "until": target["first_published"]})
    assert target["id"] in [e["id"] for e in window.json()["events"]]
    first, second = (client.get("/api/events", params={"limit": 1, "offset": n}).json() for n in (0, 1))
    assert first["total"] == len(events) and first["events"][0]["id"] != second["events"][0]["id"]


def test_a_bad_filter_is_a_clear_400(client):
    response = client.get("/api/events", params={"since": "last tuesday"})
    assert response.status_code == 400
    assert "since must be a date written YYYY-MM-DD" in response.json()["error"]
    assert client.get("/api/events", params={"limit": 0}).status_code == 422


def test_event_is_its_stored_brief_and_follows_the_contract(client, store_path):
    event_id = event_ids(client)[0]
    brief = client.get(f"/api/events/{event_id}").json()
    validate_brief(brief)
    with Store.open(store_path) as store:
        assert brief == store.brief(event_id)
    assert client.get("/api/events/nope").status_code == 404


def test_document_with_its_removed_junk_and_segments(client):
    brief = client.get(f"/api/events/{event_ids(client)[0]}").json()
    removed = brief["removed"][0]
    doc = client.get(f"/api/documents/{removed['doc']}").json()
    assert len(doc["text"]) == doc["chars"]
    assert any((r["start"], r["end"], r["label"]) == (removed["start"], removed["end"], removed["reason"]) for r in doc["removed"])
    assert doc["segments"] and brief["events"][0]["id"] in doc["events"]
    missing = client.get("/api/documents/d000")
    assert missing.status_code == 404 and "no document" in missing.json()["error"]


def test_outlets_count_lineage_roles(client):
    outlets = client.get("/api/outlets").json()
    assert outlets and all(o["original"] + o["copy"] + o["rewrite"] >= o["events"] for o in outlets)
    assert sum(o["documents"] for o in outlets) == 12


def test_post_json_documents_adds_and_groups_them(client):
    docs = [
        {"text": HOSTILE_TEXT, "title": "Dunmore footbridge reopens", "source": "Dunmore Weekly", "published": "2026-04-06"},
        {"title": "no text here"},
    ]
    response = client.post("/api/documents", json={"documents": docs})
    assert response.status_code == 201
    report = response.json()
    assert len(report["added"]) == 1 and report["events_changed"]
    assert report["errors"] == [{"input": "api#2", "error": report["errors"][0]["error"]}]
    assert "no text field" in report["errors"][0]["error"]
    again = client.post("/api/documents", json=docs[:1])
    assert again.status_code == 200 and again.json()["already_stored"] == report["added"]
    assert report["events_changed"][0] in event_ids(client)


def test_post_with_nothing_usable_is_a_400_naming_each_problem(client):
    response = client.post("/api/documents", json={"documents": [{"text": "   "}, 7]})
    assert response.status_code == 400
    assert [e["input"] for e in response.json()["errors"]] == ["api#1", "api#2"]
    bad_json = client.post("/api/documents", content=b"{nope", headers={"content-type": "application/json"})
    assert bad_json.status_code == 400 and "not valid JSON" in bad_json.json()["error"]
    wrong_type = client.post("/api/documents", content=b"text", headers={"content-type": "text/plain"})
    assert wrong_type.status_code == 415


def test_multipart_upload_reads_any_format_and_names_bad_files(client):
    files = [
        ("files", ("dunmore.txt", HOSTILE_TEXT.encode(), "text/plain")),
        ("files", ("empty.txt", b"", "text/plain")),
        ("files", ("picture.png", b"\x89PNG\r\n\x1a\n" + bytes(64), "image/png")),
    ]
    response = client.post("/api/documents", files=files)
    assert response.status_code == 201
    report = response.json()
    assert len(report["added"]) == 1
    assert {e["input"] for e in report["errors"]} == {"empty.txt", "picture.png"}


def test_uploads_over_the_size_limit_are_refused(client):
    response = client.post("/api/documents", files=[("files", ("big.txt", b"word " * 50_000, "text/plain"))])
    assert response.status_code == 413 and "over the limit of 200,000 bytes" in response.json()["error"]


# --- safety -----------------------------------------------------------------------------------


def test_security_headers_on_pages_api_and_errors(client):
    for path in ("/", "/api/events", "/static/web.js", "/nope"):
        headers = client.get(path).headers
        csp = headers["content-security-policy"]
        assert "default-src 'none'" in csp and "script-src 'self'" in csp and "'unsafe-inline'" not in csp
        assert headers["x-content-type-options"] == "nosniff" and headers["x-frame-options"] == "DENY"
        assert headers["referrer-policy"] == "no-referrer"


def test_only_loopback_host_names_are_answered(client):
    assert client.get("/", headers={"host": "attacker.example"}).status_code == 421
    assert client.get("/", headers={"host": "127.0.0.1:8000"}).status_code == 200
    assert client.get("/", headers={"host": "localhost"}).status_code == 200


def test_cross_site_posts_are_refused(client):
    files = [("files", ("a.txt", HOSTILE_TEXT.encode(), "text/plain"))]
    forged = client.post("/upload", files=files, headers={"origin": "https://attacker.example"})
    assert forged.status_code == 403
    fetched = client.post("/upload", files=files, headers={"sec-fetch-site": "cross-site"})
    assert fetched.status_code == 403
    same = client.post("/upload", files=files, headers={"origin": "http://testserver", "sec-fetch-site": "same-origin"})
    assert same.status_code == 200


def test_hostile_article_text_is_inert_on_every_page(client):
    report = client.post(
        "/api/documents", json=[{"text": HOSTILE_TEXT, "title": HOSTILE_TITLE, "source": "Evil <b>Outlet</b>"}]
    ).json()
    doc_id, event_id = report["added"][0], report["events_changed"][0]
    pages = [client.get(p).text for p in ("/", f"/events/{event_id}", f"/documents/{doc_id}", "/outlets")]
    for page in pages:
        assert "<script>alert" not in page and "<img src=x" not in page and "<svg onload" not in page
        assert "<b>Outlet</b>" not in page and 'href="javascript:' not in page
        assert not re.search(r"<[a-z]+[^>]*\son\w+=", page), "an event handler attribute got through"
    assert HOSTILE_TITLE in html.unescape(pages[2])  # shown as text, not lost
    assert "Evil &lt;b&gt;Outlet&lt;/b&gt;" in pages[3]


# --- pages --------------------------------------------------------------------------------------


def test_event_page_links_every_excerpt_to_its_source_span(client):
    event_id = event_ids(client)[0]
    page = client.get(f"/events/{event_id}")
    assert page.status_code == 200 and page.headers["etag"]
    links = re.findall(r'href="(/documents/[^"]+)"', page.text)
    assert links
    target = html.unescape(links[0])
    start, end = map(int, re.search(r"start=(\d+)&end=(\d+)", target).groups())
    doc_id = target.split("/documents/")[1].split("?")[0]
    text = client.get(f"/api/documents/{doc_id}").json()["text"]
    document = client.get(target).text
    marked = re.search(r'<mark id="highlight">(.*?)</mark>', document, re.S).group(1)
    assert html.unescape(re.sub(r"<[^>]+>", "", marked)) == text[start:end]
    assert client.get(f"/events/{event_id}", headers={"if-none-match": page.headers["etag"]}).status_code == 304


def test_event_page_marks_the_words_that_differ(client):
    for event_id in event_ids(client):
        page = client.get(f"/events/{event_id}").text
        if '<div class="discrepancy">' in page:
            assert '<mark class="differs">' in page
            return
    pytest.fail("no event of the examples has a discrepancy")


def test_document_page_strikes_removed_junk_with_its_reason_and_marks_segments(client):
    brief = client.get(f"/api/events/{event_ids(client)[0]}").json()
    removed = brief["removed"][0]
    page = client.get(f"/documents/{removed['doc']}").text
    assert f'title="removed: {removed["reason"]}"' in page
    assert 'class="segment-mark"' in page
    outside = client.get(f"/documents/{removed['doc']}", params={"start": 10**9, "end": 10**9 + 5}).text
    assert "not inside this document" in outside


def test_events_page_filters_and_outlets_page(client):
    listing = client.get("/", params={"q": "ferry"}).text
    assert "event-title" in listing and "found" in listing
    assert "No event matches" in client.get("/", params={"q": "zzzqqq"}).text
    bad = client.get("/", params={"until": "soon"})
    assert bad.status_code == 400 and "until must be a date" in bad.text and bad.headers["content-type"].startswith("text/html")
    outlets = client.get("/outlets").text
    assert "Original" in outlets and "% original" in outlets


def test_upload_page_reports_added_and_rejected_files(client):
    files = [("files", ("story.txt", HOSTILE_TEXT.encode(), "text/plain")), ("files", ("empty.txt", b"", "text/plain"))]
    page = client.post("/upload", files=files, headers={"sec-fetch-site": "same-origin"})  # what a browser sends from the form
    assert page.status_code == 200
    assert "1 document added" in page.text and "empty.txt" in page.text and "empty file" in page.text
    nothing = client.post("/upload", files=[("files", ("empty.txt", b"", "text/plain"))], headers={"sec-fetch-site": "same-origin"})
    assert nothing.status_code == 400 and "Nothing could be added" in nothing.text


def test_event_page_follows_an_update_of_its_event(client):
    event_id = max(client.get("/api/events").json()["events"], key=lambda e: e["documents"])["id"]
    before = client.get(f"/events/{event_id}").headers["etag"]
    brief = client.get(f"/api/events/{event_id}").json()
    first = client.get(f"/api/documents/{brief['documents'][0]['id']}").json()
    rewrite = first["text"].replace("the", "that", 3) + "\nA late addition: the harbour office said more later.\n"
    added = client.post("/api/documents", json=[{"text": rewrite, "source": "Late Desk", "published": first["published"]}]).json()
    assert event_id in added["events_changed"]
    assert client.get(f"/events/{event_id}").headers["etag"] != before


# --- OpenAPI --------------------------------------------------------------------------------------


def test_openapi_documents_the_brief_contract(client):
    spec = client.get("/api/openapi.json").json()
    schemas = spec["components"]["schemas"]
    assert {"Brief", "DocumentsIn", "EventListOut"} <= set(schemas)
    event = spec["paths"]["/api/events/{event_id}"]["get"]["responses"]["200"]["content"]["application/json"]
    assert event["schema"] == {"$ref": "#/components/schemas/Brief"}
    body = spec["paths"]["/api/documents"]["post"]["requestBody"]["content"]
    assert {"application/json", "multipart/form-data"} <= set(body)
    refs = set(re.findall(r'"\$ref": "#/components/schemas/([^"]+)"', client.get("/api/openapi.json").text))
    assert refs <= set(schemas), refs - set(schemas)
    assert client.get("/docs").status_code == 404  # no CDN-loaded Swagger page


def test_a_browser_gets_refusals_as_a_page(client):
    refused = client.get("/", headers={"host": "attacker.example", "accept": "text/html,*/*"})
    assert refused.status_code == 421 and refused.headers["content-type"].startswith("text/html")
    assert "this server answers only to" in refused.text


def test_events_page_shows_a_new_event_at_once(client):
    before = client.get("/").text
    count = int(re.search(r"<h1>(\d+) events?</h1>", before).group(1))
    client.post("/api/documents", json=[{"text": HOSTILE_TEXT, "title": "Dunmore footbridge", "published": "2099-01-01"}])
    after = client.get("/").text
    assert f"<h1>{count + 1} events</h1>" in after
    first_listed = after.split('class="event-title"')[1].split("</a>")[0]
    assert "Dunmore" in first_listed  # newest first

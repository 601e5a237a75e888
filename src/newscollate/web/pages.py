"""The HTML pages: events list, event, document, outlets, upload.  Server-rendered with the
brief's own templates (``render/templates/brief_parts.html.j2``); every value escaped."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response
from starlette.exceptions import HTTPException

from ..render.view import Excerpt, build_view, outlet_for, safe_http_url
from ..store import EventFilter
from .document_view import pieces
from .uploads import MAX_FILES, Upload

router = APIRouter(include_in_schema=False)
HTML = "text/html; charset=utf-8"


def parse_day(value: str | None, name: str) -> date | None:
    """A ``YYYY-MM-DD`` query value; empty means no filter (what an empty form field sends)."""
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise HTTPException(400, f"{name} must be a date written YYYY-MM-DD, not {value!r}") from None


def event_filter(q: str | None, since: str | None, until: str | None, outlet: str | None) -> EventFilter:
    return EventFilter(text=q or None, since=parse_day(since, "since"), until=parse_day(until, "until"), outlet=outlet or None)


def document_link(excerpt: Excerpt) -> str:
    """Where an excerpt opens: its document, scrolled to the span."""
    return f"/documents/{excerpt.source.id}?{urlencode({'start': excerpt.start, 'end': excerpt.end})}#highlight"


def _render(request: Request, template: str, status: int = 200, **values: Any) -> HTMLResponse:
    page = request.app.state.templates.get_template(template).render(outlet_for=outlet_for, **values)
    return HTMLResponse(page, status_code=status)


@router.get("/", response_class=HTMLResponse)
async def events_page(
    request: Request,
    q: str | None = None,
    since: str | None = None,
    until: str | None = None,
    outlet: str | None = None,
    page: int = Query(1, ge=1, le=100_000),
) -> Response:
    store = request.app.state.store
    size = request.app.state.settings.page_size
    where = event_filter(q, since, until, outlet)
    query = {k: v for k, v in {"q": q, "since": since, "until": until, "outlet": outlet}.items() if v}

    def render() -> str:
        found = store.list_events(where, limit=size, offset=(page - 1) * size)
        template = request.app.state.templates.get_template("events.html.j2")
        return template.render(
            found=found, where=where, outlets=store.outlets(), page=page, pages=max(1, -(-found.total // size)),
            page_link=lambda n: "/?" + urlencode({**query, "page": n}), filtered=bool(query), outlet_for=outlet_for,
        )  # fmt: skip

    body = request.app.state.cache.get(("events", where, page, store.version()), render)
    return Response(body, media_type=HTML)


@router.get("/events/{event_id}")
async def event_page(request: Request, event_id: str) -> Response:
    store = request.app.state.store
    version = store.event_version(event_id)
    if version is None:
        raise HTTPException(404, f"no event {event_id!r} in this store")

    def render() -> str:
        brief = store.brief(event_id)
        if brief is None:
            raise HTTPException(404, f"event {event_id!r} has no brief yet; run newscollate ingest again")
        view = build_view(brief, store.texts(doc["id"] for doc in brief["documents"]))
        template = request.app.state.templates.get_template("event.html.j2")
        return template.render(view=view, event=view.events[0], event_id=event_id, document_link=document_link)

    etag = f'"{event_id}-{version.timestamp():.6f}"'
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers={"etag": etag})
    body = request.app.state.cache.get(("event", event_id, version), render)
    return Response(body, media_type=HTML, headers={"etag": etag, "cache-control": "no-cache"})


@router.get("/documents/{doc_id}", response_class=HTMLResponse)
async def document_page(
    request: Request, doc_id: str, start: int | None = Query(None, ge=0), end: int | None = Query(None, ge=0)
) -> HTMLResponse:
    store = request.app.state.store
    try:
        doc = next(store.documents([doc_id], layers=("removed", "segments", "title")))
    except KeyError:
        raise HTTPException(404, f"no document {doc_id!r} in this store") from None
    highlight = (start, end) if start is not None and end is not None else None
    parts = pieces(doc, highlight)
    return _render(
        request, "document.html.j2", doc=doc, pieces=parts, url=safe_http_url(doc.meta.url),
        outlet=outlet_for(doc.meta.outlet or doc.id), events=store.document_events(doc_id),
        removed=len(doc.spans("removed")), segments=len(doc.spans("segments")),
        highlighted=any(p.highlighted for p in parts), asked_highlight=highlight is not None,
    )  # fmt: skip


@router.get("/outlets", response_class=HTMLResponse)
async def outlets_page(request: Request) -> HTMLResponse:
    return _render(request, "outlets.html.j2", outlets=request.app.state.store.outlet_roles())


@router.get("/upload", response_class=HTMLResponse)
async def upload_form(request: Request) -> HTMLResponse:
    return _render(request, "upload.html.j2", report=None, limit=request.app.state.settings.max_upload_bytes, max_files=MAX_FILES)


@router.post("/upload", response_class=HTMLResponse)
async def upload(request: Request) -> HTMLResponse:
    uploads = await read_multipart(request)
    report = await run_in_threadpool(request.app.state.ingester.files, uploads)
    status = 200 if report.added or report.already_stored else 400
    return _render(
        request, "upload.html.j2", status=status, report=report, limit=request.app.state.settings.max_upload_bytes,
        max_files=MAX_FILES,
    )  # fmt: skip


async def read_multipart(request: Request) -> list[Upload]:
    """The files of a ``multipart/form-data`` request (field ``files``, or any file field)."""
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise HTTPException(415, "send the files as multipart/form-data (an HTML form with enctype=multipart/form-data)")
    try:
        form = await request.form(max_files=MAX_FILES, max_fields=50)
    except HTTPException:
        raise
    except Exception as exc:  # noqa: BLE001 - the multipart parser's errors vary by version
        raise HTTPException(400, f"the upload could not be read as multipart/form-data: {exc}") from None
    uploads = []
    for _, value in form.multi_items():
        if hasattr(value, "read") and hasattr(value, "filename"):
            uploads.append(Upload(value.filename or "upload", await value.read(), value.content_type))
    await form.close()
    if not uploads:
        raise HTTPException(400, "no file in the upload; choose at least one file")
    return uploads

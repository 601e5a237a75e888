"""The HTML pages: events list, event, document, outlets, upload.  Server-rendered with the
brief's own templates (``render/templates/brief_parts.html.j2``); every value escaped."""

from __future__ import annotations

import hmac
import secrets
from datetime import date
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response
from starlette.exceptions import HTTPException

from ..render.html import visible_controls
from ..render.view import Excerpt, build_view, outlet_for, safe_http_url
from ..store import EventFilter
from .document_view import pieces
from .security import browser_vouches_same_origin
from .uploads import Upload

router = APIRouter(include_in_schema=False)
HTML = "text/html; charset=utf-8"
FORM_TOKEN = secrets.token_urlsafe(32)
"""Sent in the upload form and required back when the browser sends neither ``Sec-Fetch-Site`` nor
``Origin`` (an old one): a page of another site cannot read it, so cannot forge the post.  New on
every start, so a form left open across a restart asks to be loaded again."""
FORM_REFUSED = (
    "this upload did not come from this server's upload form (or the server restarted since the form was "
    "opened): open /upload again and send the files from there"
)


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


def render_page(request: Request, template: str, **values: Any) -> str:
    """The page ``template`` makes of ``values``, with the control characters of its source
    text shown as symbols (:func:`~newscollate.render.html.visible_controls`): every page goes
    through here."""
    return visible_controls(request.app.state.templates.get_template(template).render(**values))


def _render(request: Request, template: str, status: int = 200, **values: Any) -> HTMLResponse:
    return HTMLResponse(render_page(request, template, **values), status_code=status)


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
        return render_page(
            request, "events.html.j2", found=found, where=where, outlets=store.outlets(), page=page,
            pages=max(1, -(-found.total // size)), page_link=lambda n: "/?" + urlencode({**query, "page": n}),
            filtered=bool(query),
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
        return render_page(request, "event.html.j2", view=view, event=view.events[0], event_id=event_id, document_link=document_link)

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
    return _render(
        request, "upload.html.j2", report=None, limit=request.app.state.settings.max_upload_bytes,
        max_files=request.app.state.settings.max_files, form_token=FORM_TOKEN,
    )  # fmt: skip


@router.post("/upload", response_class=HTMLResponse)
async def upload(request: Request) -> HTMLResponse:
    uploads, fields = await read_form(request)
    # Guard has refused what a browser marks cross-site; a post it does not mark must prove its form.
    if not browser_vouches_same_origin(request.headers) and not hmac.compare_digest(
        fields.get("form_token", "").encode(), FORM_TOKEN.encode()
    ):
        raise HTTPException(403, FORM_REFUSED)
    report = await run_in_threadpool(request.app.state.ingester.files, uploads)
    status = 200 if report.added or report.already_stored else 400
    return _render(
        request, "upload.html.j2", status=status, report=report, limit=request.app.state.settings.max_upload_bytes,
        max_files=request.app.state.settings.max_files, form_token=FORM_TOKEN,
    )  # fmt: skip


async def read_multipart(request: Request) -> list[Upload]:
    """The files of a ``multipart/form-data`` request (field ``files``, or any file field)."""
    uploads, _ = await read_form(request)
    return uploads


async def read_form(request: Request) -> tuple[list[Upload], dict[str, str]]:
    """The files and the text fields of a ``multipart/form-data`` request."""
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise HTTPException(415, "send the files as multipart/form-data (an HTML form with enctype=multipart/form-data)")
    most = request.app.state.settings.max_files
    try:
        form = await request.form(max_files=most, max_fields=50)
    except HTTPException as exc:
        if "Too many files" in str(exc.detail):  # starlette's words; say which limit and how to raise it
            raise HTTPException(413, f"more than {most:,} files in one upload; send them in several, or raise "
                                "the limit with newscollate serve --max-files (WebSettings.max_files)") from None
        raise
    except Exception as exc:  # noqa: BLE001 - the multipart parser's errors vary by version
        raise HTTPException(400, f"the upload could not be read as multipart/form-data: {exc}") from None
    uploads, fields = [], {}
    for name, value in form.multi_items():
        if hasattr(value, "read") and hasattr(value, "filename"):
            uploads.append(Upload(value.filename or "upload", await value.read(), value.content_type))
        elif isinstance(value, str):
            fields[name] = value
    await form.close()
    if not uploads:
        raise HTTPException(400, "no file in the upload; choose at least one file")
    return uploads, fields

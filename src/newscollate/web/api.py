"""The JSON API: the same store as the pages, for programs.  ``GET /api/events/{id}`` returns
the event's brief exactly as stored, a ``newscollate.brief/1`` document (its JSON Schema is in
the OpenAPI document, ``/api/openapi.json``, as ``Brief``)."""

from __future__ import annotations

import copy
import json
from datetime import date, datetime
from typing import Any

from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException

from ..render import load_schema
from .pages import event_filter, read_multipart
from .uploads import MAX_FILES, MAX_REQUEST_RECORDS

router = APIRouter(prefix="/api", tags=["api"])


class EventOut(BaseModel):
    id: str
    title: str | None
    documents: int = Field(description="Distinct documents reporting the event.")
    independent_sources: int | None = Field(description="As the event's brief counts them (copies of one report count once).")
    claims: int | None
    first_published: date | None
    last_published: date | None
    updated_at: datetime = Field(description="When the event and its brief were last saved (UTC).")
    outlets: list[str]
    brief: str = Field(description="Path of the event's brief (newscollate.brief/1).")


class EventListOut(BaseModel):
    events: list[EventOut] = Field(description="Newest first: latest publication date, then latest update.")
    total: int = Field(description="Events matching the filters, over all pages.")
    limit: int
    offset: int


class SpanOut(BaseModel):
    start: int = Field(description="Character offset into text (Python str index, code points).")
    end: int
    label: str = Field(description="For a removed passage, why the clean stage removed it.")


class DocumentOut(BaseModel):
    id: str
    path: str
    title: str | None
    source: str | None
    url: str | None
    published: date | None
    author: str | None
    chars: int
    text: str = Field(description="The text exactly as read; every offset refers to it.")
    removed: list[SpanOut]
    segments: list[SpanOut] = Field(description="The stories the document holds (a page may glue several).")
    events: list[str] = Field(description="Ids of the events the document reports.")


class OutletOut(BaseModel):
    outlet: str = Field(description="The documents' source name; empty for documents that name none.")
    documents: int
    events: int
    original: int = Field(description="Documents the lineage of their event makes an original report.")
    copy_: int = Field(alias="copy", description="Documents that copy another's report.")
    rewrite: int = Field(description="Documents that reword another's report.")


class DocumentIn(BaseModel):
    text: str
    title: str | None = None
    source: str | None = Field(None, description="The outlet.")
    url: str | None = None
    published: str | None = Field(None, description="Publication date, YYYY-MM-DD (or any form dateparser reads).")
    author: str | None = None
    path: str | None = Field(None, description="Where it came from; names it in errors. Default api#N.")


class DocumentsIn(BaseModel):
    documents: list[DocumentIn] = Field(
        description=f"At most WebSettings.max_request_records (serve --max-request-records, default {MAX_REQUEST_RECORDS:,})."
    )


class IngestOut(BaseModel):
    added: list[str]
    already_stored: list[str]
    errors: list[dict[str, str]] = Field(description='{"input": name, "error": reason} per file or record not used.')
    warnings: list[str]
    events_changed: list[str]


class ErrorOut(BaseModel):
    error: str


ERRORS: dict[int | str, dict[str, Any]] = {404: {"model": ErrorOut}, 400: {"model": ErrorOut}, 422: {"model": ErrorOut}}


@router.get("/events", response_model=EventListOut, responses=ERRORS)
async def list_events(
    request: Request,
    q: str | None = Query(None, description="Words that must all appear in the event's or a document's title."),
    since: str | None = Query(None, description="Only events with a document published on or after YYYY-MM-DD."),
    until: str | None = Query(None, description="Only events with a document published on or before YYYY-MM-DD."),
    outlet: str | None = Query(None, description="Only events an outlet of this exact name reports."),
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0),
) -> dict:
    found = request.app.state.store.list_events(event_filter(q, since, until, outlet), limit=limit, offset=offset)
    events = [{**event.__dict__, "brief": f"/api/events/{event.id}"} for event in found.events]
    return {"events": events, "total": found.total, "limit": found.limit, "offset": found.offset}


@router.get(
    "/events/{event_id}",
    responses={200: {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Brief"}}}}, **ERRORS},
    response_class=Response,
)
async def get_event(request: Request, event_id: str) -> Response:
    """The event's brief, a ``newscollate.brief/1`` document, exactly as stored."""
    body = request.app.state.store.brief_text(event_id)
    if body is None:
        raise HTTPException(404, f"no event {event_id!r} with a brief in this store")
    return Response(body, media_type="application/json")


@router.get("/documents/{doc_id}", response_model=DocumentOut, responses=ERRORS)
async def get_document(request: Request, doc_id: str) -> dict:
    store = request.app.state.store
    try:
        doc = next(store.documents([doc_id], layers=("removed", "segments")))
    except KeyError:
        raise HTTPException(404, f"no document {doc_id!r} in this store") from None

    def spans(layer: str) -> list[dict]:
        return [{"start": s.start, "end": s.end, "label": s.label} for s in doc.spans(layer)]

    meta = doc.meta
    return {
        "id": doc.id, "path": doc.path, "title": meta.title, "source": meta.source, "url": meta.url,
        "published": meta.published, "author": meta.author, "chars": len(doc.text), "text": doc.text,
        "removed": spans("removed"), "segments": spans("segments"),
        "events": [event_id for event_id, _ in store.document_events(doc_id)],
    }  # fmt: skip


@router.get("/outlets", response_model=list[OutletOut], response_model_by_alias=True)
async def list_outlets(request: Request) -> list[dict]:
    return [{**o.__dict__, "copy": o.copy} for o in request.app.state.store.outlet_roles()]


@router.post(
    "/documents",
    response_model=IngestOut,
    status_code=201,
    responses={200: {"model": IngestOut, "description": "Nothing new: every document was stored already."}, **ERRORS,
               413: {"model": ErrorOut}, 415: {"model": ErrorOut}},  # fmt: skip
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/DocumentsIn"}},
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {"files": {"type": "array", "items": {"type": "string", "format": "binary"}}},
                        "description": (
                            f"Files in any format newscollate ingest reads: at most WebSettings.max_files "
                            f"(default {MAX_FILES}) files and max_request_records (default {MAX_REQUEST_RECORDS:,}) "
                            "records together."
                        ),
                    }
                },
            },
        }
    },
)
async def add_documents(request: Request) -> Response:
    """Add documents and stream them into the store's events: JSON records or uploaded files.
    201 when something was added; 400, with the reasons, when nothing could be used."""
    ingester = request.app.state.ingester
    if request.headers.get("content-type", "").startswith("application/json"):
        records = await _json_documents(request)
        report = await run_in_threadpool(ingester.records, records)
    else:
        report = await run_in_threadpool(ingester.files, await read_multipart(request))
    status = 201 if report.added else 200 if report.already_stored else 400
    return JSONResponse(report.as_json(), status_code=status)


async def _json_documents(request: Request) -> list[Any]:
    try:
        body = json.loads(await request.body())
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise HTTPException(400, f"the body is not valid JSON: {exc}") from None
    except RecursionError:  # [[[[...]]]]: no request of documents nests this deep
        raise HTTPException(400, "the body is JSON nested too deeply (over about 1,000 levels)") from None
    if isinstance(body, list):
        body = {"documents": body}
    if not isinstance(body, dict) or not isinstance(body.get("documents"), list):
        raise HTTPException(400, 'send {"documents": [{"text": ..., "title": ..., "source": ..., "published": ...}]}')
    return body["documents"]


def document_openapi(app: FastAPI) -> None:
    """Put the brief's JSON Schema into the OpenAPI document as ``Brief`` (its ``$defs`` as
    ``Brief_<name>``), and the JSON body of ``POST /api/documents`` as ``DocumentsIn``."""

    def openapi() -> dict:
        if app.openapi_schema:
            return app.openapi_schema
        spec = get_openapi(title=app.title, version=app.version, summary=app.summary, routes=app.routes)
        schemas = spec.setdefault("components", {}).setdefault("schemas", {})
        brief = load_schema()
        for name, definition in brief.pop("$defs", {}).items():
            schemas[f"Brief_{name}"] = _refs_to_components(definition)
        for key in ("$schema", "$id"):
            brief.pop(key, None)
        schemas["Brief"] = _refs_to_components(brief)
        documents_in = DocumentsIn.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas.update(documents_in.pop("$defs", {}))
        schemas["DocumentsIn"] = documents_in
        app.openapi_schema = spec
        return spec

    app.openapi = openapi  # type: ignore[method-assign]


def _refs_to_components(schema: Any) -> Any:
    if isinstance(schema, dict):
        out = {}
        for key, value in schema.items():
            if key == "$ref" and isinstance(value, str) and value.startswith("#/$defs/"):
                out[key] = "#/components/schemas/Brief_" + value.removeprefix("#/$defs/")
            else:
                out[key] = _refs_to_components(value)
        return out
    if isinstance(schema, list):
        return [_refs_to_components(v) for v in schema]
    return copy.copy(schema)

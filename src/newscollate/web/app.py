"""The application: one store, its pages and its API, behind :class:`~.security.Guard`."""

from __future__ import annotations

import json
from collections import OrderedDict
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, Callable

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import ChoiceLoader, Environment, PackageLoader, StrictUndefined
from starlette.exceptions import HTTPException

from .. import __version__
from ..ingest import ReadOptions
from ..render.html import brief_css, tab_title
from ..render.view import ENTITY_GROUPS, outlet_for, plural
from ..store import Store, StoreTarget
from .pages import render_page
from .security import LOOPBACK_HOSTS, Guard
from .uploads import MAX_FILES, MAX_REQUEST_RECORDS, Ingester, TooManyRecords

MB = 1024 * 1024


@dataclass(frozen=True)
class WebSettings:
    """How :func:`create_app` serves a store."""

    store: StoreTarget
    """The store's file name or ``postgresql://`` URL (see :meth:`Store.open`)."""
    max_upload_bytes: int = 50 * MB
    """Largest request body (all files of one upload together)."""
    max_files: int = MAX_FILES
    """Most files in one upload."""
    max_request_records: int = MAX_REQUEST_RECORDS
    """Most records in one request: JSON documents, or the records of all uploaded files together
    (a WARC record, a JSONL line, a feed item, a whole page each).  A request over it is refused
    whole (413) and nothing of it is stored."""
    page_size: int = 50
    """Events per page of the events list."""
    cache_bytes: int = 64 * MB
    """Memory for rendered event pages (an event's page is rendered again only when it changes)."""
    public: bool = False
    """Answer to any Host header: only for a server bound to a non-loopback address on purpose."""


class PageCache:
    """Rendered pages by key, least recently used dropped first once ``limit`` bytes are held."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.size = 0
        self._pages: OrderedDict[tuple, bytes] = OrderedDict()

    def get(self, key: tuple, render: Callable[[], str]) -> bytes:
        page = self._pages.get(key)
        if page is not None:
            self._pages.move_to_end(key)
            return page
        page = render().encode("utf-8")
        if len(page) <= self.limit:
            self._pages[key] = page
            self.size += len(page)
            while self.size > self.limit:
                _, dropped = self._pages.popitem(last=False)
                self.size -= len(dropped)
        return page


def create_app(settings: WebSettings) -> FastAPI:
    """The web application over ``settings.store`` (created if missing)."""
    from . import api, pages

    Store.open(settings.store).close()  # fail now, with the store's own message, not at the first request

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        # reads run in the event loop's thread on one connection; an ingest opens its own
        app.state.store = Store.open(settings.store)
        try:
            yield
        finally:
            app.state.store.close()

    app = FastAPI(
        title="newscollate",
        version=__version__,
        summary="Briefs of news events collated from many outlets, with the source span of every claim.",
        lifespan=lifespan,
        docs_url=None,  # the Swagger and ReDoc pages load scripts from a CDN, which the CSP (and no network) forbid
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.settings = settings
    # One file can be no larger than the request, nor hold more records than it may.
    limits = ReadOptions(max_bytes=settings.max_upload_bytes, max_records=settings.max_request_records)
    app.state.ingester = Ingester(settings.store, limits, settings.max_request_records)
    app.state.cache = PageCache(settings.cache_bytes)
    app.state.templates = _templates()
    app.include_router(pages.router)
    app.include_router(api.router)
    app.add_api_route("/static/brief.css", _brief_css, include_in_schema=False)  # before the mount, which would hide it
    app.mount("/static", StaticFiles(packages=[("newscollate.web", "static")]), name="static")
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(TooManyRecords, _too_many_records)
    api.document_openapi(app)
    hosts = None if settings.public else LOOPBACK_HOSTS
    app.add_middleware(Guard, allowed_hosts=hosts, max_body_bytes=settings.max_upload_bytes)
    return app


def _templates() -> Environment:
    environment = Environment(
        loader=ChoiceLoader([PackageLoader("newscollate.web", "templates"), PackageLoader("newscollate.render", "templates")]),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.globals.update(
        plural=plural, known_entity_types=set(ENTITY_GROUPS), version=__version__, outlet_for=outlet_for, tab_title=tab_title
    )
    return environment


async def _brief_css() -> Response:
    return Response(brief_css(), media_type="text/css", headers={"cache-control": "public, max-age=3600"})


def wants_html(request: Request) -> bool:
    """Errors of the pages are pages, unless the client asks for JSON; the API's are JSON."""
    return not request.url.path.startswith("/api/") and "application/json" not in request.headers.get("accept", "")


def error_page(request: Request, status: int, message: str) -> Response:
    """An error as a page for a browser, as ``{"error": ...}`` for a program."""
    if wants_html(request):
        return HTMLResponse(render_page(request, "error.html.j2", status=status, message=message), status_code=status)
    return JSONResponse({"error": message}, status_code=status)


async def _http_error(request: Request, exc: Any) -> Response:
    message = exc.detail if isinstance(exc.detail, str) else json.dumps(exc.detail)
    if exc.status_code == 404 and message == "Not Found":
        message = f"nothing at {request.url.path}"
    return error_page(request, exc.status_code, message)


async def _too_many_records(request: Request, exc: TooManyRecords) -> Response:
    return error_page(request, 413, str(exc))


async def _validation_error(request: Request, exc: RequestValidationError) -> Response:
    problems = "; ".join(
        f"{'.'.join(str(p) for p in error.get('loc', ()) if p != 'body') or 'request'}: {error.get('msg')}"
        for error in exc.errors()[:5]
    )
    return error_page(request, 422, f"bad request: {problems}")

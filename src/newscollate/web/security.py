"""What keeps the local web UI safe by default: security headers on every response, a host
check against DNS rebinding, an origin check against cross-site form posts, and a cap on
request bodies.  One pure ASGI middleware, so it also guards errors and static files.
"""

from __future__ import annotations

import html
import json
from typing import Any, Awaitable, Callable, Mapping

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    ]
)
SECURITY_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]", "testserver"})
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class BodyTooLarge(Exception):
    """A request body went past the limit while it was being read."""


class Guard:
    """ASGI middleware: see the module docstring.

    ``allowed_hosts`` are the host names the ``Host`` header may carry (None: any, for a
    server bound to a public address on purpose); ``max_body_bytes`` caps every request body,
    whether or not it declares its length.
    """

    def __init__(self, app: ASGIApp, allowed_hosts: frozenset[str] | None, max_body_bytes: int) -> None:
        self.app = app
        self.allowed_hosts = allowed_hosts
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        host = headers.get("host", "")
        if self.allowed_hosts is not None and _host_name(host) not in self.allowed_hosts:
            await _refuse(send, 421, f"this server answers only to {', '.join(sorted(self.allowed_hosts - {'testserver'}))}", headers)
            return
        if scope["method"] in UNSAFE_METHODS and _cross_site(headers, host):
            await _refuse(send, 403, "cross-site request refused: post from a page of this server", headers)
            return
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_body_bytes:
            await _refuse(send, 413, _too_large(self.max_body_bytes), headers)
            return
        started = False
        received = 0

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:
                    raise BodyTooLarge
            return message

        async def secured_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                names = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in SECURITY_HEADERS if k not in names]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        try:
            await self.app(scope, counted_receive, secured_send)
        except BodyTooLarge:
            if not started:
                await _refuse(send, 413, _too_large(self.max_body_bytes), headers)


def _host_name(host: str) -> str:
    if host.startswith("["):
        return host[: host.find("]") + 1] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _cross_site(headers: dict[str, str], host: str) -> bool:
    """A browser's request sent by a page of another site (a form post from a web page to
    this local server), judged by ``Sec-Fetch-Site`` or else ``Origin``; programs send neither."""
    site = headers.get("sec-fetch-site")
    if site is not None:
        return site not in ("same-origin", "none")
    origin = headers.get("origin")
    if origin is None:
        return False
    return origin == "null" or origin.split("://", 1)[-1].rstrip("/") != host


def browser_vouches_same_origin(headers: Mapping[str, str]) -> bool:
    """Whether a browser said where the request comes from (``Sec-Fetch-Site`` or ``Origin``).  Guard
    refuses one that names another site first, so a request that gets past it carrying either
    header comes from a page of this server (or from the user, ``Sec-Fetch-Site: none``)."""
    return "sec-fetch-site" in headers or "origin" in headers


def _too_large(limit: int) -> str:
    return f"request body over the limit of {limit:,} bytes; send fewer or smaller files (serve --max-upload-mb raises it)"


async def _refuse(send: Send, status: int, message: str, request_headers: dict[str, str]) -> None:
    """A refusal as ``{"error": ...}``, or as a small page for a browser (one that accepts HTML)."""
    if "text/html" in request_headers.get("accept", ""):
        page = f"<!DOCTYPE html><title>Error {status}</title><h1>Error {status}</h1><p>{html.escape(message)}</p><p><a href=\"/\">Back</a></p>"
        body, kind = page.encode(), b"text/html; charset=utf-8"
    else:
        body, kind = json.dumps({"error": message}).encode(), b"application/json"
    headers = [(b"content-type", kind), (b"content-length", str(len(body)).encode()), *SECURITY_HEADERS]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})

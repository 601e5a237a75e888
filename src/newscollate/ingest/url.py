"""Fetching ``http(s)://`` inputs without letting a URL reach inside the network.

Every hop (the URL given and each redirect target) is resolved with
``socket.getaddrinfo`` and refused if ANY of its addresses is private,
loopback, link-local, multicast, reserved or otherwise not public, unless
``ReadOptions.allow_private`` is set.  The connection then goes to the address
that was checked (the host name is still sent as ``Host`` and TLS SNI, and the
certificate is verified against it), so a DNS answer that changes between the
check and the connection cannot redirect it.  Proxy settings from the
environment are ignored for the same reason.

Addresses embedding an IPv4 one (IPv4-mapped, 6to4, Teredo) are judged by
it, and numeric spellings (``2130706433``, ``0x7f.1``, ``127.1``) are what
``getaddrinfo`` makes of them, so they are refused like ``127.0.0.1``.

Responses are streamed and cut off at ``max_bytes`` (after decompression),
redirects are followed by hand up to ``max_redirects``, a host name must
resolve within ``connect_timeout`` (``getaddrinfo`` has no timeout of its
own), and a whole fetch may take at most ``fetch_timeout`` seconds.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
import threading
import time
import zlib
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx

from .errors import InputError
from .options import ReadOptions, limit_error

__all__ = ["Fetched", "fetch", "refusal", "is_url"]

_ACCEPT = (
    "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
    "application/xml;q=0.9,text/plain;q=0.8,*/*;q=0.5"
)


@dataclass(frozen=True, slots=True)
class Fetched:
    """A fetched response: ``url`` after redirects, the body, and its declared media type and charset."""

    url: str
    data: bytes
    content_type: str | None
    charset: str | None


def is_url(value: str) -> bool:
    """Whether an input names a URL (``scheme://...``) rather than a path."""
    scheme, sep, _ = value.partition("://")
    return bool(sep) and scheme.isascii() and scheme[:1].isalpha() and all(c.isalnum() or c in "+.-" for c in scheme)


def refusal(address: str) -> str | None:
    """Why an IP address must not be fetched from (``"loopback"``, ``"private"``, ...), or ``None`` if it is public."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone ("fe80::1%eth0")
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is not None:
            ip = embedded
    for reason in ("loopback", "link_local", "multicast", "unspecified", "reserved", "private"):
        if getattr(ip, f"is_{reason}"):
            return reason.replace("_", "-")
    return None if ip.is_global else "special-purpose (not public)"


def fetch(url: str, options: ReadOptions | None = None, *, verify: ssl.SSLContext | bool = True) -> Fetched:
    """GET ``url`` under the address policy and limits of ``options``.

    ``verify`` is passed to httpx: ``True`` checks certificates against the
    system/certifi roots; an :class:`ssl.SSLContext` trusts what it trusts.
    Raises :class:`InputError` naming ``url`` with what went wrong and what to do.
    """
    options = options or ReadOptions()
    deadline = time.monotonic() + options.fetch_timeout
    headers = {"User-Agent": options.user_agent, "Accept": _ACCEPT, "Accept-Encoding": "gzip, deflate"}
    current = url
    client = httpx.Client(follow_redirects=False, trust_env=False, verify=verify, headers=headers)
    with client:
        for _ in range(options.max_redirects + 1):
            # No wait may outlast the whole fetch's deadline: a slow redirect chain ends on time too.
            left = deadline - time.monotonic()
            if left <= 0:
                raise _too_slow(url, options)
            target, host_header, extensions = _pin(current, url, options, min(options.connect_timeout, left))
            left = deadline - time.monotonic()
            timeout = httpx.Timeout(min(options.read_timeout, left), connect=min(options.connect_timeout, left))
            try:
                with client.stream(
                    "GET", target, headers={"Host": host_header}, extensions=extensions, timeout=timeout
                ) as response:
                    if response.is_redirect:
                        current = urljoin(current, response.headers["Location"])
                        continue
                    if not response.is_success:
                        where = "" if current == url else f" (from {current})"
                        raise InputError(url, f"HTTP {response.status_code} {response.reason_phrase}{where}")
                    data = _read_body(response, url, options, deadline)
                    media_type, charset = _content_type(response.headers.get("Content-Type", ""))
                    return Fetched(current, data, media_type, charset)
            except httpx.TimeoutException as exc:
                if time.monotonic() >= deadline:
                    raise _too_slow(url, options) from None
                if isinstance(exc, httpx.ConnectTimeout):
                    reason = f"no connection within {options.connect_timeout:g} s; raise --connect-timeout if it is slow"
                else:
                    reason = f"the server sent nothing for {options.read_timeout:g} s; raise --read-timeout if it is slow"
                raise InputError(url, reason) from None
            except httpx.HTTPError as exc:
                raise InputError(url, f"cannot fetch: {exc or type(exc).__name__}") from None
    last = f"the last to {current}"
    raise InputError(url, f"more than {options.max_redirects} redirects ({last}); raise --max-redirects to follow more")


def _too_slow(url: str, options: ReadOptions) -> InputError:
    return InputError(url, f"the fetch took longer than {options.fetch_timeout:g} s; raise --fetch-timeout if it is slow")


def _content_type(value: str) -> tuple[str | None, str | None]:
    """``("text/html", "utf-8")`` from ``text/html; charset="UTF-8"``."""
    media_type, _, params = value.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, found = param.partition("=")
        if key.strip().lower() == "charset":
            charset = found.strip(" \"'").lower() or None
    return media_type.strip().lower() or None, charset


def _pin(url: str, given: str, options: ReadOptions, seconds: float) -> tuple[str, str, dict]:
    """``(URL with the checked address as host, Host header, httpx extensions)`` for one hop;
    the host name must resolve within ``seconds``."""
    parts = urlsplit(url)
    via = "" if url == given else f" (redirected to {url})"
    if parts.scheme not in ("http", "https"):
        raise InputError(given, f"only http and https URLs are read, not {parts.scheme}:{via}")
    if not parts.hostname:
        raise InputError(given, f"the URL has no host name{via}")
    try:
        host = parts.hostname.encode("idna").decode("ascii")
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except (UnicodeError, ValueError) as exc:
        raise InputError(given, f"invalid host or port in the URL{via}: {exc}") from None
    try:
        addresses = list(dict.fromkeys(info[4][0] for info in _resolve(host, port, seconds)))
    except (socket.gaierror, UnicodeError) as exc:
        raise InputError(given, f"cannot resolve host {host}{via}: {exc}") from None
    except TimeoutError:
        reason = f"the name {host}{via} did not resolve within {seconds:g} s; raise --connect-timeout if DNS is slow"
        raise InputError(given, reason) from None
    if not options.allow_private:
        for address in addresses:
            reason = refusal(address)
            if reason:
                raise InputError(
                    given,
                    f"refused: {host} resolves to {address}, {'an' if reason[0] in 'aeiou' else 'a'} {reason} address{via}; "
                    "pass --allow-private (ReadOptions.allow_private) to fetch from your own network",
                )
    address = addresses[0]
    literal = f"[{address.split('%', 1)[0]}]" if ":" in address else address
    target = urlunsplit((parts.scheme, f"{literal}:{port}", parts.path or "/", parts.query, ""))
    shown_host = f"[{host}]" if ":" in host else host
    host_header = shown_host if parts.port in (None, 80 if parts.scheme == "http" else 443) else f"{shown_host}:{port}"
    is_literal = _is_ip(host)
    extensions = {"sni_hostname": host} if parts.scheme == "https" and not is_literal else {}
    return target, host_header, extensions


def _resolve(host: str, port: int, seconds: float) -> list:
    """``getaddrinfo`` within ``seconds``: it has no timeout of its own, so it runs in a daemon
    thread that is left behind (and ends when the resolver gives up) if it takes too long."""
    answer: list = []

    def lookup() -> None:
        try:
            answer.append(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
        except Exception as exc:  # noqa: BLE001 - handed to the caller's thread below
            answer.append(exc)

    worker = threading.Thread(target=lookup, name=f"resolve {host}", daemon=True)
    worker.start()
    worker.join(seconds)
    if not answer:
        raise TimeoutError(host)
    if isinstance(answer[0], Exception):
        raise answer[0]
    return answer[0]


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _read_body(response: httpx.Response, given: str, options: ReadOptions, deadline: float) -> bytes:
    """The body, decompressed, at most ``max_bytes``; stops reading as soon as a limit is passed."""
    limit = options.max_bytes
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limit:
        raise limit_error(given, "max_bytes", limit, f"response of {int(declared):,} bytes")
    encoding = response.headers.get("Content-Encoding", "identity").strip().lower()
    if encoding not in ("identity", "gzip", "x-gzip", "deflate", ""):
        raise InputError(given, f"the server sent an unsupported content encoding {encoding!r}")
    inflater = None
    chunks, total = [], 0
    for raw in response.iter_raw():
        if time.monotonic() > deadline:
            raise _too_slow(given, options)
        if encoding in ("identity", ""):
            chunk = raw
        else:
            if inflater is None:  # gzip or zlib (47), or raw deflate that some servers send as "deflate"
                inflater = zlib.decompressobj(wbits=47 if raw[:1] in (b"\x1f", b"\x78") else -15)
            try:
                chunk = inflater.decompress(raw, limit - total + 1)
            except zlib.error as exc:
                raise InputError(given, f"the {encoding} response body is corrupt: {exc}") from None
        total += len(chunk)
        if total > limit:
            raise limit_error(given, "max_bytes", limit, "response")
        chunks.append(chunk)
    return b"".join(chunks)

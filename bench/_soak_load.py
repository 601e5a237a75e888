"""The requests of bench/soak.py: what the store holds (a catalog read once), and a weighted mix
of reads, bad requests and uploads drawn from it."""

from __future__ import annotations

import http.client
import json
import random
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode

#: Kind of request and its share of the reads (uploads come from their own client, at their own pace).
WEIGHTS = {
    "event page": 30,
    "events list": 10,
    "document page": 12,
    "outlets page": 3,
    "API list": 8,
    "API brief": 12,
    "API document": 8,
    "not found": 8,
    "malformed": 9,
}
JSON_HEADERS = {"content-type": "application/json"}
#: An upload of a new event is ingested in the request: on a busy 2-core machine that can take a minute.
UPLOAD_TIMEOUT_S = 600
#: uvicorn closes a keep-alive connection idle for 5 s; the uploader waits longer between posts.
KEEP_ALIVE_S = 4


@dataclass(frozen=True)
class Call:
    """One request and the statuses it should get (a 5xx is never one of them)."""

    kind: str
    method: str
    path: str
    expect: frozenset[int]
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)
    cached: bool = False
    """The server keeps its answer in the page cache (event pages, events-list pages)."""


@dataclass
class Catalog:
    """What the served store holds, enough to ask for all of it."""

    event_ids: list[str]
    documents: list[tuple[str, int]]
    """(id, characters) of every document."""
    words: list[str]
    """Words of event titles, for searches."""
    outlets: list[str]
    stored: list[dict]
    """A sample of stored documents as upload records: posting one again adds nothing."""
    seed: int = 1
    first_new_event: int = 0
    """Number of the first generated event the store does not hold (see _web_corpus.generate_event)."""


def build_catalog(store: Path, first_new_event: int, seed: int, rng: random.Random, sample: int = 200) -> Catalog:
    from newscollate.store import Store

    with Store.open(store) as db:
        rows = db.events()
        docs = list(db.documents(layers=()))
        outlets = db.outlets()
    words = sorted({w.lower() for row in rows for w in re.findall(r"[A-Za-z]{4,}", row.title or "")})
    stored = [{"text": d.text, "title": d.meta.title, "source": d.meta.source,
               "published": d.meta.published.isoformat() if d.meta.published else None}
              for d in rng.sample(docs, min(sample, len(docs)))]  # fmt: skip
    return Catalog([r.id for r in rows], [(d.id, len(d.text)) for d in docs], words, outlets, stored, seed,
                   first_new_event)  # fmt: skip


def _filters(catalog: Catalog, rng: random.Random) -> dict[str, str]:
    """Some of: a search (one or two words), an outlet, a date range."""
    query: dict[str, str] = {}
    if rng.random() < 0.6:
        query["q"] = " ".join(rng.sample(catalog.words, rng.choice([1, 1, 2])))
    if rng.random() < 0.3:
        query["outlet"] = rng.choice(catalog.outlets)
    if rng.random() < 0.2:
        year = rng.randint(2025, 2040)
        query["since"], query["until"] = f"{year}-01-01", f"{year}-{rng.randint(1, 12):02d}-28"
    return query


def _missing_id(rng: random.Random) -> str:
    return "d" + "".join(rng.choice("0123456789abcdef") for _ in range(16))


def _bad_request(catalog: Catalog, rng: random.Random) -> Call:
    doc_id, _ = rng.choice(catalog.documents)
    bad = frozenset(range(400, 500))
    paths = [
        "/?page=0", "/?page=many", f"/?since={quote('last week')}", "/?until=2025-13-45", "/api/events?limit=0",
        "/api/events?limit=100000", "/api/events?offset=-1", "/api/events?since=yesterday",
        f"/documents/{doc_id}?start=-5&end=10", f"/documents/{doc_id}?start=ten&end=20",
        f"/events/{quote('../../etc/passwd', safe='')}", "/api/events/%00", f"/api/documents/{'x' * 300}",
    ]  # fmt: skip
    bodies = [
        (b"{not json", JSON_HEADERS), (b"[]", JSON_HEADERS), (b'{"documents": [{"title": "no text"}]}', JSON_HEADERS),
        (b'{"documents": "a string"}', JSON_HEADERS), (b"text=hello", {"content-type": "text/plain"}),
    ]  # fmt: skip
    if rng.random() < 0.3:
        body, headers = rng.choice(bodies)
        return Call("malformed", "POST", "/api/documents", bad, body, headers)
    return Call("malformed", "GET", rng.choice(paths), bad)


def next_call(catalog: Catalog, rng: random.Random) -> Call:
    """One read (or a bad request), kinds drawn by :data:`WEIGHTS`."""
    kind = rng.choices(list(WEIGHTS), weights=list(WEIGHTS.values()))[0]
    ok = frozenset({200})
    if kind == "event page":
        return Call(kind, "GET", f"/events/{rng.choice(catalog.event_ids)}", ok, cached=True)
    if kind == "events list":
        query = _filters(catalog, rng) | ({"page": str(rng.randint(2, 21))} if rng.random() < 0.3 else {})
        return Call(kind, "GET", "/?" + urlencode(query), ok, cached=True)
    if kind in ("document page", "API document"):
        doc_id, chars = rng.choice(catalog.documents)
        if kind == "API document":
            return Call(kind, "GET", f"/api/documents/{doc_id}", ok)
        start = rng.randrange(chars)
        end = min(chars, start + rng.randint(1, 200))
        return Call(kind, "GET", f"/documents/{doc_id}?{urlencode({'start': start, 'end': end})}", ok)
    if kind == "outlets page":
        return Call(kind, "GET", "/outlets", ok)
    if kind == "API list":
        query = _filters(catalog, rng) | {"limit": str(rng.choice([10, 50, 200])), "offset": str(rng.randint(0, 900))}
        return Call(kind, "GET", "/api/events?" + urlencode(query), ok)
    if kind == "API brief":
        return Call(kind, "GET", f"/api/events/{rng.choice(catalog.event_ids)}", ok)
    if kind == "not found":
        paths = [f"/events/e{_missing_id(rng)[1:]}", f"/api/events/e{_missing_id(rng)[1:]}",
                 f"/documents/{_missing_id(rng)}", f"/api/documents/{_missing_id(rng)}", "/no/such/page",
                 "/static/no-such.css"]  # fmt: skip
        return Call(kind, "GET", rng.choice(paths), frozenset({404}))
    return _bad_request(catalog, rng)


def upload_call(catalog: Catalog, rng: random.Random, new_event: int | None) -> Call:
    """``POST /api/documents``: the reports of new generated event number ``new_event`` (201), or,
    with None, one document the store holds already (200, nothing added)."""
    from _web_corpus import generate_event

    if new_event is None:
        body = {"documents": [rng.choice(catalog.stored)]}
        return Call("upload, stored", "POST", "/api/documents", frozenset({200}), json.dumps(body).encode(), JSON_HEADERS)
    event = generate_event(catalog.first_new_event + new_event, catalog.seed)
    records = [{"text": r.text, "title": r.title, "source": r.outlet, "published": r.published.isoformat(),
                "path": r.path} for r in event.reports]  # fmt: skip
    body = json.dumps({"documents": records}).encode()
    return Call("upload, new event", "POST", "/api/documents", frozenset({201}), body, JSON_HEADERS)


# ---------------------------------------------------------------------------------------------
# The clients


@dataclass
class Tally:
    """Answers of one phase by kind of route: latencies (ms), statuses, surprises."""

    latencies: dict[str, list[float]] = field(default_factory=dict)
    statuses: dict[str, Counter] = field(default_factory=dict)
    unexpected: Counter = field(default_factory=Counter)
    lost: Counter = field(default_factory=Counter)
    cacheable: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, call: Call, status: int, ms: float, size: int) -> None:
        with self.lock:
            self.latencies.setdefault(call.kind, []).append(ms)
            self.statuses.setdefault(call.kind, Counter())[status] += 1
            if status not in call.expect and status < 500:
                self.unexpected[f"{call.method} {call.path.split('?')[0]} {status}"] += 1
            if call.cached and status == 200:
                self.cacheable[call.path] = size

    def server_errors(self) -> int:
        return sum(n for counts in self.statuses.values() for status, n in counts.items() if status >= 500)

    def requests(self) -> int:
        return sum(sum(counts.values()) for counts in self.statuses.values())


def send(conn: http.client.HTTPConnection, call: Call) -> tuple[int, int]:
    conn.request(call.method, call.path, body=call.body, headers=call.headers)
    response = conn.getresponse()
    return response.status, len(response.read())


def _client(base: str, tally: Tally, calls, until: float) -> None:
    """One keep-alive connection sending ``calls()`` until the clock passes ``until``."""
    host, port = base.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=UPLOAD_TIMEOUT_S)
    answered = time.monotonic()
    for call in calls():
        if time.monotonic() >= until:
            break
        if time.monotonic() - answered > KEEP_ALIVE_S:
            conn.close()  # the server has closed it (or is about to): the next request opens a new one
        started = time.perf_counter()
        try:
            status, size = send(conn, call)
        except (OSError, http.client.HTTPException) as error:
            with tally.lock:
                tally.lost[call.kind] += 1
                tally.unexpected[f"{call.method} {call.path.split('?')[0]}: {type(error).__name__}"] += 1
            conn.close()
            conn = http.client.HTTPConnection(host, int(port), timeout=UPLOAD_TIMEOUT_S)
            continue
        tally.add(call, status, (time.perf_counter() - started) * 1e3, size)
        answered = time.monotonic()
    conn.close()


def drive(base: str, catalog: Catalog, seconds: float, connections: int, upload_every: float,
          new_events: list[int], rng: random.Random) -> Tally:  # fmt: skip
    """The mixed load for ``seconds``, with the uploads spread over it (new events evenly)."""
    tally = Tally()
    until = time.monotonic() + seconds
    seeds = [rng.random() for _ in range(connections)]

    def reads(seed: float):
        mine = random.Random(seed)
        while True:
            yield next_call(catalog, mine)

    def uploads():
        mine = random.Random(seeds[0] + 1)
        start, step = time.monotonic(), seconds / max(len(new_events), 1)
        due = [start + (i + 0.5) * step for i in range(len(new_events))]
        pending = list(new_events)
        while True:
            if pending and time.monotonic() >= due[len(new_events) - len(pending)]:
                yield upload_call(catalog, mine, pending.pop(0))
            else:
                yield upload_call(catalog, mine, None)
            time.sleep(max(0.0, min(upload_every, until - time.monotonic())))

    threads = [threading.Thread(target=_client, args=(base, tally, (lambda s=s: reads(s)), until)) for s in seeds]
    threads.append(threading.Thread(target=_client, args=(base, tally, uploads, until)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tally

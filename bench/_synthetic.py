"""Fictional news pages in a Common Crawl style WARC, for ingest benchmarks.

Everything is invented from word lists with a seeded generator (outlets on the
reserved ``.example`` domain, made-up towns and people), so the same seed gives
the same pages.  The pages vary the way crawled news does: four page layouts,
3-8 KB each, navigation, related links, newsletter boxes, JSON-LD and Open
Graph metadata; some are sent gzip-encoded or as windows-1252; a few responses
are not articles (robots.txt, images, redirects, 404 pages).  Each response
follows its request record, after one warcinfo record, as in Common Crawl.
"""

from __future__ import annotations

import gzip
import html
import json
import random
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from io import BytesIO
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

OUTLETS = [
    ("The Marrowby Courier", "marrowby-courier"), ("Eastfold Daily", "eastfold-daily"),
    ("Port Emmerich Tribune", "pe-tribune"), ("Halvard Valley Post", "halvardpost"),
    ("The Quillon Ledger", "quillon-ledger"), ("Northbrae Evening News", "northbrae-news"),
    ("Caskwell Observer", "caskwell-observer"), ("Tessaly Wire", "tessalywire"),
]  # fmt: skip
TOWNS = ["Marrowby", "Port Emmerich", "Halvard", "Quillon", "Northbrae", "Caskwell", "Tessaly", "Eastfold",
         "Lindqvist Bay", "Orrin Falls", "Saltmere", "Vennick", "Brackenholt", "Dunmoral"]  # fmt: skip
FIRST = ["Amara", "Tomas", "Ines", "Kofi", "Greta", "Ravi", "Lucia", "Oskar", "Mei", "Daniel", "Fatima", "Henrik",
         "Selin", "Joaquín", "Noor", "Pieter", "Zofia", "Emeka"]  # fmt: skip
LAST = ["Hallow", "Brenner", "Okafor", "Lindgren", "Vasquez", "Teller", "Ashdown", "Marlowe", "Quist", "Renner",
        "Sato", "Delacroix", "Fenwick", "Ibarra", "Kowal", "Mbeki"]  # fmt: skip
ROLES = ["mayor", "council spokesperson", "fire chief", "harbour master", "school board chair", "union leader",
         "hospital director", "transport minister", "police inspector", "university economist"]  # fmt: skip
BODIES = ["the town council", "the regional water board", "the Harbour Authority", "the county court",
          "the transit agency", "the chamber of commerce", "the teachers' union", "the health trust"]  # fmt: skip
TOPICS = [
    ("flood defences", "rose", "river levels"), ("the ferry timetable", "dropped", "passenger numbers"),
    ("a bridge closure", "climbed", "traffic delays"), ("school funding", "grew", "class sizes"),
    ("the harbour expansion", "slipped", "shipping volumes"), ("bus fares", "fell", "ridership"),
    ("a wildfire near the ridge", "doubled", "evacuation orders"), ("the grain market", "fell", "export prices"),
]  # fmt: skip
NUMBERS = ["12", "40", "3.5", "250", "1,200", "17", "68", "9,400", "two", "seven", "a dozen"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
SENTENCES = [
    "{body_cap} said on {day} that it would review {topic} after {number} residents wrote to complain.",
    "“We have listened carefully and we will act,” said {person}, the {role} of {town}.",
    "According to figures published by {body}, {measure} {verb} by {number} per cent over the past year.",
    "{person}, who has served as {role} since {year}, told reporters the decision was “long overdue”.",
    "Critics in {town} argue that {topic} has been neglected for more than {number} years.",
    "The plan, first proposed in {year}, is expected to cost about {number} million crowns.",
    "Residents of {town} queued outside the town hall on {day} morning to register their objections.",
    "{body_cap} will meet again on {day} to review {measure} and decide on further steps.",
    "Officials in {town} said {measure} {verb} sharply in the spring, though they expected a recovery.",
    "“Nobody here remembers anything quite like it,” said {person}, a shopkeeper in {town}.",
    "A report by {body} warned that {measure} could fall further unless {topic} is addressed.",
    "{person} said the {role}'s office had received {number} letters about {topic} in a single week.",
    "Local businesses — from cafés to the ferry operators — said the uncertainty was costing them trade.",
    "The decision follows {number} months of consultation with {body} and neighbouring towns.",
]  # fmt: skip
SUBHEADS = ["What happens next", "How we got here", "Reaction in {town}", "The numbers", "A long dispute"]


@dataclass(frozen=True)
class Mix:
    """Shares (0-1) of the responses of each kind; the rest are UTF-8 articles sent as is."""

    gzip_encoded: float = 0.05
    cp1252: float = 0.05
    robots: float = 0.01
    image: float = 0.01
    redirect: float = 0.01
    not_found: float = 0.01


@dataclass
class WarcStats:
    responses: int = 0
    articles: int = 0
    records: int = 0
    bytes_by_file: dict[str, int] = field(default_factory=dict)


def _fill(rng: random.Random, template: str, town: str) -> str:
    topic, verb, measure = rng.choice(TOPICS)
    body = rng.choice(BODIES)
    return template.format(
        body=body, body_cap=body[0].upper() + body[1:], day=rng.choice(DAYS), topic=topic, verb=verb,
        measure=measure, number=rng.choice(NUMBERS), person=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
        role=rng.choice(ROLES), town=town, year=rng.randint(1998, 2025),
    )  # fmt: skip


def _paragraph(rng: random.Random, town: str) -> str:
    return " ".join(_fill(rng, rng.choice(SENTENCES), town) for _ in range(rng.randint(1, 4)))


def _headline(rng: random.Random, town: str) -> str:
    topic, verb, measure = rng.choice(TOPICS)
    return rng.choice([
        f"{town} weighs {topic} plan as {measure} worry residents",
        f"{rng.choice(BODIES).capitalize()} under pressure over {topic} in {town}",
        f"What the {topic} decision means for {town}",
        f"{town}: {measure} {verb} for a {rng.choice(['second', 'third', 'fourth'])} month",
    ])  # fmt: skip


def article_page(rng: random.Random, index: int, published: datetime) -> tuple[str, str]:
    """``(url, html)`` of one fictional article page of 3-8 KB."""
    outlet, slug = rng.choice(OUTLETS)
    town = rng.choice(TOWNS)
    title = _headline(rng, town)
    author = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    url = f"https://www.{slug}.example/{published:%Y/%m/%d}/story-{index}"
    e = html.escape
    nav = "".join(f'<li><a href="/{s.lower()}">{s}</a></li>' for s in rng.sample(
        ["News", "Local", "Politics", "Business", "Sport", "Weather", "Culture", "Opinion", "Travel", "Obituaries"],
        rng.randint(5, 9)))  # fmt: skip
    related = "".join(
        f'<li><a href="/story-{rng.randint(1, 99999)}">{e(_headline(rng, rng.choice(TOWNS)))}</a></li>'
        for _ in range(rng.randint(3, 6))
    )
    head = (
        f"<!DOCTYPE html><html lang='en'><head><meta charset='{{charset}}'><title>{e(title)} | {e(outlet)}</title>"
        f'<meta property="og:title" content="{e(title)}"><meta property="og:site_name" content="{e(outlet)}">'
        f'<meta name="author" content="{e(author)}">'
        f'<meta property="article:published_time" content="{published.isoformat()}">'
        f'<link rel="canonical" href="{url}"><script type="application/ld+json">'
        + json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": title,
                      "datePublished": published.isoformat(), "author": {"@type": "Person", "name": author},
                      "publisher": {"@type": "Organization", "name": outlet}})
        + "</script><style>body{font-family:serif}.ad{display:none}</style></head><body>"
        f'<header><a class="logo" href="/">{e(outlet)}</a><nav><ul>{nav}</ul></nav></header>'
    )
    foot = (
        f'<aside class="related"><h3>More from {e(outlet)}</h3><ul>{related}</ul></aside>'
        '<div class="newsletter"><p>Get the morning briefing in your inbox.</p>'
        '<form><input type="email" placeholder="Email"><button>Sign up</button></form></div>'
        f"<footer><p>© {published.year} {e(outlet)}. All rights reserved.</p>"
        '<a href="/privacy">Privacy</a> <a href="/terms">Terms</a></footer>'
        '<script>window.dataLayer=window.dataLayer||[];dataLayer.push({"page":"article"});</script></body></html>'
    )
    byline = f'<p class="byline">By {e(author)} · {published:%d %B %Y}</p>'
    layout = index % 4

    def wrap(body: list[str]) -> str:
        if layout == 0:
            return f"<main><article><h1>{e(title)}</h1>{byline}{''.join(body)}</article></main>"
        if layout == 1:
            return f'<div id="content"><div class="story"><h1 class="headline">{e(title)}</h1>{byline}' \
                   f'<div class="story-body">{"".join(body)}</div></div></div>'  # fmt: skip
        if layout == 2:
            half = len(body) // 2
            return (f"<main><h1>{e(title)}</h1>{byline}<section>{''.join(body[:half])}</section>"
                    '<div class="ad">Advertisement</div>'
                    f"<section>{''.join(body[half:])}</section></main>")  # fmt: skip
        return f'<table width="100%"><tr><td class="sidebar"><ul>{nav}</ul></td><td class="text">' \
               f'<h1>{e(title)}</h1>{byline}{"".join(body)}</td></tr></table>'  # fmt: skip

    # Paragraphs are added until the whole page reaches a size drawn from 3-8 KB.
    room = rng.randint(3000, 7800) - len(head) - len(foot) - len(wrap([]))
    body: list[str] = []
    while room > 0 or len(body) < 3:
        if len(body) > 4 and rng.random() < 0.1:
            part = f"<h2>{e(rng.choice(SUBHEADS).format(town=town))}</h2>"
        else:
            part = f"<p>{e(_paragraph(rng, town))}</p>"
        body.append(part)
        room -= len(part)
    return url, head + wrap(body) + foot


@dataclass
class Response:
    url: str
    status: str
    headers: list[tuple[str, str]]
    payload: bytes
    article: bool


def response(rng: random.Random, index: int, published: datetime, mix: Mix) -> Response:
    roll, kind = rng.random(), "article"
    for share, other in ((mix.robots, "robots"), (mix.image, "image"), (mix.redirect, "redirect"),
                         (mix.not_found, "404")):  # fmt: skip
        if roll < share:
            kind = other
            break
        roll -= share
    host = f"https://www.{rng.choice(OUTLETS)[1]}.example"
    if kind == "robots":
        return Response(f"{host}/robots.txt", "200 OK", [("Content-Type", "text/plain")],
                        b"User-agent: *\nDisallow: /search\n", False)  # fmt: skip
    if kind == "image":
        data = rng.randbytes(rng.randint(2000, 5000))
        return Response(f"{host}/img/{index}.jpg", "200 OK", [("Content-Type", "image/jpeg")], data, False)
    if kind == "redirect":
        return Response(f"{host}/s/{index}", "301 Moved Permanently",
                        [("Location", f"{host}/story-{index}"), ("Content-Type", "text/html")], b"", False)  # fmt: skip
    url, page = article_page(rng, index, published)
    if kind == "404":
        page = "<html><head><title>Page not found</title></head><body><h1>404</h1><p>Sorry.</p></body></html>"
        return Response(url, "404 Not Found", [("Content-Type", "text/html; charset=utf-8")], page.encode(), False)
    charset = "windows-1252" if rng.random() < mix.cp1252 else "utf-8"
    data = page.replace("{charset}", charset).encode(charset, errors="xmlcharrefreplace")
    headers = [("Content-Type", f"text/html; charset={charset}")]
    if rng.random() < mix.gzip_encoded:
        data = gzip.compress(data, mtime=0)
        headers.append(("Content-Encoding", "gzip"))
    return Response(url, "200 OK", headers, data, True)


def write_warcs(sizes: list[int], folder: Path, seed: int = 1, mix: Mix = Mix()) -> tuple[dict[int, Path], WarcStats]:
    """One ``.warc.gz`` per size in ``folder``; each holds the first SIZE responses of the same sequence.

    Returns the paths by size and, for the largest, what it holds.
    """
    rng = random.Random(seed)
    start = datetime(2026, 3, 2, 6, 0, tzinfo=timezone.utc)
    folder.mkdir(parents=True, exist_ok=True)
    paths = {n: folder / f"synthetic-{n}.warc.gz" for n in sizes}
    handles = {n: paths[n].open("wb") for n in sizes}
    writers = {n: WARCWriter(handles[n], gzip=True) for n in sizes}
    stats = WarcStats()

    def record_id() -> str:
        return f"<urn:uuid:{uuid.UUID(int=rng.getrandbits(128), version=4)}>"

    try:
        for n, writer in writers.items():
            info = writer.create_warcinfo_record(paths[n].name, {"software": "newscollate bench", "seed": str(seed)})
            info.rec_headers.replace_header("WARC-Record-ID", f"<urn:uuid:{uuid.UUID(int=seed, version=4)}>")
            info.rec_headers.replace_header("WARC-Date", start.strftime("%Y-%m-%dT%H:%M:%SZ"))
            writer.write_record(info)
        for index in range(max(sizes)):
            when = start + timedelta(seconds=7 * index)
            reply = response(rng, index, when - timedelta(hours=rng.randint(1, 72)), mix)
            date = when.strftime("%Y-%m-%dT%H:%M:%SZ")
            request_id, response_id = record_id(), record_id()
            host = reply.url.split("/")[2]
            request_headers = StatusAndHeaders(f"GET /{reply.url.split('/', 3)[3]} HTTP/1.1",
                                               [("Host", host), ("User-Agent", "bench-crawler/1.0")],
                                               is_http_request=True)  # fmt: skip
            headers = [*reply.headers, ("Content-Length", str(len(reply.payload)))]
            http = StatusAndHeaders(reply.status, headers, protocol="HTTP/1.1")
            for n, writer in writers.items():
                if index >= n:
                    continue
                writer.write_record(writer.create_warc_record(
                    reply.url, "request", http_headers=request_headers,
                    warc_headers_dict={"WARC-Record-ID": request_id, "WARC-Date": date}))  # fmt: skip
                writer.write_record(writer.create_warc_record(
                    reply.url, "response", payload=BytesIO(reply.payload), http_headers=http,
                    warc_headers_dict={"WARC-Record-ID": response_id, "WARC-Date": date,
                                       "WARC-Concurrent-To": request_id}))  # fmt: skip
            stats.responses += 1
            stats.articles += reply.article
        stats.records = 1 + 2 * stats.responses
    finally:
        for handle in handles.values():
            handle.close()
    stats.bytes_by_file = {str(p): p.stat().st_size for p in paths.values()}
    return paths, stats

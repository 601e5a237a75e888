"""What the renderers show, worked out once from a brief and the document texts.

Both the HTML and the Markdown renderer read this view rather than the raw
brief so that ordering, outlet naming, excerpt slicing and the handling of
missing or mismatched texts are decided in one place and cannot drift apart.
Nothing here escapes anything: values are plain text, and each renderer
escapes for its own output format.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Iterable, Mapping
from urllib.parse import urlsplit

from .words import differing_words

EXCERPT_LIMIT = 1000
"""Excerpts longer than this are shortened; claims cite sentences, segments may be long."""
REMOVED_LIMIT = 300
"""Removed junk is shown only so a reader can check the cleaner; a glimpse is enough."""
CONTEXT_LIMIT = 200
"""How far an excerpt reaches into the sentence around its span, each way."""
SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*(?=\s|$)|\n")

# spaCy labels shown under a plain heading; any other type is listed under "Other" with its label.
ENTITY_GROUPS = {
    "PERSON": "People", "ORG": "Organisations", "GPE": "Places", "LOC": "Places", "FAC": "Places",
    "NORP": "Groups", "EVENT": "Events",
}  # fmt: skip
ROLES_SHOWN = 3
"""Roles shown per entity; a much-reported person collects many ways of saying one role."""
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True)
class Outlet:
    name: str
    hue: int
    """A stable colour per outlet so a reader can follow one outlet across sections."""


@dataclass
class Source:
    """One document as the reader sees it."""

    id: str
    outlet: Outlet
    title: str | None
    published: str | None
    path: str
    chars: int | None
    url: str | None
    """Only ever an http(s) URL; anything else is dropped so no renderer can link it."""

    @property
    def label(self) -> str:
        return self.title or file_name(self.path) or self.id


@dataclass
class Excerpt:
    """A supporting span, with the rest of its sentence around it.

    Spans are often a single word (a variant's "Twelve"); the sentence around
    it is what lets a reader judge it, so renderers show ``before``, the span
    itself highlighted, then ``after``.
    """

    source: Source
    start: int
    end: int
    text: str | None
    """``None`` when the document's text is missing or does not match the brief."""
    before: str = ""
    after: str = ""


@dataclass
class Claim:
    id: str
    anchor: str
    text: str
    documents: int
    independent_sources: int
    outlets: list[Outlet]
    excerpts: list[Excerpt]


@dataclass
class Variant:
    value: str
    outlets: list[Outlet]
    excerpts: list[Excerpt]
    words: list[tuple[str, bool]] = field(default_factory=list)
    """``value`` cut into pieces, each marked True where it differs from another variant (:func:`differing_words`)."""


@dataclass
class Discrepancy:
    kind: str
    subject: str
    claim: Claim | None
    variants: list[Variant]


@dataclass
class Quote:
    speaker: str | None
    text: str
    verbatim: bool
    outlets: list[Outlet]
    excerpts: list[Excerpt]


@dataclass
class TimelineEntry:
    date: str | None
    date_label: str | None
    expression: str | None
    reference: str | None
    resolved: bool
    text: str
    outlets: list[Outlet]
    excerpts: list[Excerpt]


@dataclass
class EntityRole:
    """A role a source gives an entity ("foreign minister"), with the outlets that write it."""

    text: str
    outlets: list[Outlet]


@dataclass
class Entity:
    name: str
    type: str
    mentions: int
    roles: list[EntityRole] = field(default_factory=list)
    """The best-supported roles, at most :data:`ROLES_SHOWN`."""


@dataclass
class Event:
    number: int
    anchor: str
    title: str
    document_count: int
    independent_sources: int
    outlets: list[Outlet]
    sources: list[Source]
    lineage: dict[str, str]
    """Document id -> where its report comes from, in words ("original", "rewrite of ...")."""
    wires: list[str]
    lede: list[Claim]
    """The claims the brief opens with (the brief's ``lede``), most important first."""
    claims: list[Claim]
    discrepancies: list[Discrepancy]
    quotes: list[Quote]
    timeline: list[TimelineEntry]
    entity_groups: list[tuple[str, list[Entity]]]


@dataclass
class Removal:
    reason: str
    excerpt: Excerpt


@dataclass
class BriefView:
    generator: str
    events: list[Event]
    documents: list[Source]
    unassigned: list[Source]
    """Documents that belong to no event."""
    removed: list[tuple[Source, list[Removal]]]
    removed_count: int
    unreadable: list[Source] = field(default_factory=list)
    """Documents whose excerpts cannot be shown (text missing or of another length)."""


def build_view(brief: Mapping[str, Any], texts: Mapping[str, str]) -> BriefView:
    """Order, name and slice everything a renderer needs from ``brief``."""
    sources = {doc["id"]: _source(doc) for doc in brief.get("documents", [])}
    usable = {
        doc_id: texts[doc_id]
        for doc_id, source in sources.items()
        if doc_id in texts and (source.chars is None or len(texts[doc_id]) == source.chars)
    }
    removed_spans: dict[str, list[tuple[int, int]]] = {}
    for item in brief.get("removed", []):
        removed_spans.setdefault(item["doc"], []).append((item["start"], item["end"]))
    builder = _Builder(sources, usable, removed_spans)

    # Sorted here too (stable) because the page must read largest-first even if a producer forgot.
    raw_events = sorted(brief.get("events", []), key=lambda ev: -len(_event_doc_ids(ev)))
    events = [builder.event(number, raw) for number, raw in enumerate(raw_events, start=1)]
    in_events = {source.id for event in events for source in event.sources}

    # Grouped per document, in the brief's document order, each in reading order.
    order = {doc_id: index for index, doc_id in enumerate(sources)}
    removed: dict[str, list[Removal]] = {}
    for item in sorted(brief.get("removed", []), key=lambda r: (order.get(r["doc"], len(order)), r["start"])):
        excerpt = builder.excerpt(item, limit=REMOVED_LIMIT, context=False)
        removed.setdefault(item["doc"], []).append(Removal(str(item.get("reason", "")), excerpt))
    removed_groups = [(builder.source(doc_id), items) for doc_id, items in removed.items()]

    generator = brief.get("generator") or {}
    return BriefView(
        generator=" ".join(str(generator[k]) for k in ("name", "version") if generator.get(k)) or "newscollate",
        events=events,
        documents=list(sources.values()),
        unassigned=[s for s in sources.values() if s.id not in in_events],
        removed=removed_groups,
        removed_count=sum(len(items) for _, items in removed_groups),
        unreadable=[s for s in sources.values() if s.id not in usable],
    )


class _Builder:
    def __init__(self, sources: dict[str, Source], texts: Mapping[str, str], removed: dict[str, list]) -> None:
        self.sources = dict(sources)  # a copy: placeholders for unknown ids must not join the document list
        self.texts = texts
        self.removed = removed

    def source(self, doc_id: str) -> Source:
        # A brief rendered without validation may name documents it does not list; show the id.
        if doc_id not in self.sources:
            self.sources[doc_id] = Source(doc_id, outlet_for(doc_id), None, None, "", None, None)
        return self.sources[doc_id]

    def excerpt(self, ref: Mapping[str, Any], limit: int = EXCERPT_LIMIT, context: bool = True) -> Excerpt:
        source = self.source(ref["doc"])
        start, end = ref["start"], ref["end"]
        text = self.texts.get(source.id)
        if text is None or not 0 <= start <= end <= len(text):
            return Excerpt(source, start, end, None)
        shown = shorten(_squeeze(text[start:end]).strip(), limit)
        if not context:
            return Excerpt(source, start, end, shown)
        # Context never reaches into junk the clean stage removed (a byline on the same line, an ad).
        lower = max((e for s, e in self.removed.get(source.id, []) if e <= start), default=0)
        upper = min((s for s, e in self.removed.get(source.id, []) if s >= end), default=len(text))
        before, after = sentence_context(text[:upper], start, end, lower=lower)
        return Excerpt(source, start, end, shown, _squeeze(before).lstrip(), _squeeze(after).rstrip())

    def excerpts(self, support: Iterable[Mapping[str, Any]]) -> list[Excerpt]:
        return [self.excerpt(ref) for ref in support]

    def event(self, number: int, raw: Mapping[str, Any]) -> Event:
        anchor = f"event-{number}"
        sources = [self.source(doc_id) for doc_id in _event_doc_ids(raw)]
        claims = [self.claim(f"{anchor}-claim-{i}", c) for i, c in enumerate(_by_support(raw.get("claims", [])), 1)]
        claims_by_id = {claim.id: claim for claim in claims}
        lede = [claims_by_id[c] for c in raw.get("lede", []) if isinstance(c, str) and c in claims_by_id]
        independent = raw.get("independent_sources")
        by_id = {source.id: source for source in sources}
        lineage = {
            str(entry["doc"]): _derivation(entry, by_id)
            for entry in raw.get("lineage", [])
            if isinstance(entry, Mapping) and entry.get("doc") in by_id
        }
        return Event(
            number=number,
            anchor=anchor,
            title=str(raw.get("title", "")),
            document_count=len(sources),
            # Optional in the contract; a brief without it counts every document as independent.
            independent_sources=independent if isinstance(independent, int) else len(sources),
            outlets=distinct_outlets(sources),
            sources=sources,
            lineage=lineage,
            wires=[str(w) for w in raw.get("wires", [])],
            lede=lede,
            claims=claims,
            discrepancies=[self.discrepancy(d, claims_by_id) for d in raw.get("discrepancies", [])],
            quotes=[self.quote(q) for q in raw.get("quotes", [])],
            timeline=_chronological([self.timeline_entry(t) for t in raw.get("timeline", [])]),
            entity_groups=self.entity_groups(raw.get("entities", [])),
        )

    def claim(self, anchor: str, raw: Mapping[str, Any]) -> Claim:
        excerpts = self.excerpts(raw.get("support", []))
        return Claim(
            id=str(raw.get("id", "")),
            anchor=anchor,
            text=str(raw.get("text", "")),
            documents=int(raw.get("documents", len({e.source.id for e in excerpts}))),
            independent_sources=int(raw.get("independent_sources", 0)),
            outlets=distinct_outlets(e.source for e in excerpts),
            excerpts=excerpts,
        )

    def discrepancy(self, raw: Mapping[str, Any], claims: Mapping[str, Claim]) -> Discrepancy:
        variants = []
        for variant in raw.get("variants", []):
            excerpts = self.excerpts(variant.get("support", []))
            outlets = distinct_outlets(e.source for e in excerpts)
            variants.append(Variant(str(variant.get("value", "")), outlets, excerpts))
        for variant, words in zip(variants, differing_words([v.value for v in variants])):
            variant.words = words
        claim = claims.get(raw["claim"]) if isinstance(raw.get("claim"), str) else None
        return Discrepancy(str(raw.get("kind", "")), str(raw.get("subject", "")), claim, variants)

    def entity_groups(self, entities: list[Mapping[str, Any]]) -> list[tuple[str, list[Entity]]]:
        groups: dict[str, list[Entity]] = {}
        for raw in sorted(entities, key=lambda e: -int(e.get("mentions", 0))):
            # the brief lists roles best-supported first; only the first few are shown
            roles = [
                EntityRole(str(role["text"]), distinct_outlets(self.source(str(s["doc"])) for s in _refs(role)))
                for role in raw.get("roles", [])[:ROLES_SHOWN]
                if isinstance(role, Mapping) and role.get("text")
            ]
            entity = Entity(str(raw.get("name", "")), str(raw.get("type", "")), int(raw.get("mentions", 0)), roles)
            groups.setdefault(ENTITY_GROUPS.get(entity.type, "Other"), []).append(entity)
        order = [*dict.fromkeys(ENTITY_GROUPS.values()), "Other"]
        return sorted(groups.items(), key=lambda item: order.index(item[0]))

    def quote(self, raw: Mapping[str, Any]) -> Quote:
        excerpts = self.excerpts(raw.get("support", []))
        return Quote(
            speaker=raw.get("speaker") or None,
            text=str(raw.get("text", "")),
            verbatim=bool(raw.get("verbatim", True)),
            outlets=distinct_outlets(e.source for e in excerpts),
            excerpts=excerpts,
        )

    def timeline_entry(self, raw: Mapping[str, Any]) -> TimelineEntry:
        excerpts = self.excerpts(raw.get("support", []))
        when, end = raw.get("date") or None, raw.get("end") or None
        label = date_label(when) if when else None
        return TimelineEntry(
            date=when,
            date_label=f"{label} – {date_label(end)}" if label and isinstance(end, str) else label,
            expression=raw.get("expression") or None,
            reference=raw.get("reference") or None,
            resolved=bool(raw.get("resolved", when is not None)),
            text=str(raw.get("text", "")),
            outlets=distinct_outlets(e.source for e in excerpts),
            excerpts=excerpts,
        )


def _derivation(entry: Mapping[str, Any], sources: Mapping[str, Source]) -> str:
    role = str(entry.get("role", "original"))
    if role == "original":
        return "original"
    parent = sources.get(str(entry.get("derives_from")))
    wire = entry.get("wire")
    if parent is not None:
        said = f"{role} of {parent.label} ({parent.outlet.name})"
        return f"{said}, from {wire}" if wire else said
    return f"{role} of a {wire} report" if wire else role


def _source(doc: Mapping[str, Any]) -> Source:
    path = str(doc.get("path") or "")
    url = safe_http_url(doc.get("url"))
    # Who published it: the source name, else the URL's host (as Metadata.outlet does), else the file name.
    name = doc.get("source") or None
    if not name and url:
        name = (urlsplit(url).hostname or "").removeprefix("www.") or None
    outlet = outlet_for(str(name or file_name(path) or doc["id"]))
    chars = doc.get("chars")
    return Source(
        id=str(doc["id"]),
        outlet=outlet,
        title=doc.get("title") or None,
        published=doc.get("published") or None,
        path=path,
        chars=chars if isinstance(chars, int) else None,
        url=url,
    )


def _event_doc_ids(event: Mapping[str, Any]) -> list[str]:
    """The event's documents, in the brief's order; from its segments when not listed."""
    listed = event.get("documents") or [segment["doc"] for segment in event.get("segments", [])]
    return list(dict.fromkeys(listed))


def _by_support(claims: list[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    return sorted(
        claims,
        key=lambda c: (-int(c.get("documents", 0)), -int(c.get("independent_sources", 0)), -len(c.get("support", []))),
    )


def _chronological(entries: list[TimelineEntry]) -> list[TimelineEntry]:
    # ISO prefixes sort chronologically as strings ("2026-03" before "2026-03-12");
    # entries without a date keep their order and come last, shown as written.
    dated = sorted((e for e in entries if e.date), key=lambda e: e.date or "")
    return dated + [e for e in entries if not e.date]




def _refs(item: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """An item's support spans that name a document (a brief rendered unvalidated may hold others)."""
    return [s for s in item.get("support", []) if isinstance(s, Mapping) and "doc" in s]


def outlet_for(name: str) -> Outlet:
    digest = hashlib.blake2b(name.casefold().encode("utf-8"), digest_size=2).digest()
    return Outlet(name, int.from_bytes(digest, "big") % 360)


def distinct_outlets(sources: Iterable[Source]) -> list[Outlet]:
    return list(dict.fromkeys(source.outlet for source in sources))


def file_name(path: str) -> str:
    return re.split(r"[\\/]", path.rstrip("\\/"))[-1]


def safe_http_url(url: object) -> str | None:
    """``url`` if it is a plain http(s) URL with a host, else ``None``.

    Whitespace and control characters are refused outright because browsers
    strip some of them before parsing, which is how ``java\\tscript:`` tricks work.
    """
    if not isinstance(url, str) or not url or any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return url


def date_label(value: str) -> str:
    """``2026-02-17`` -> ``Tue 17 Feb 2026``; partial dates stay partial (``Mar 2026``, ``2026``)."""
    parts = value.split("-")
    try:
        if len(parts) == 3:
            day = date(int(parts[0]), int(parts[1]), int(parts[2]))
            return f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]} {day.year}"
        if len(parts) == 2:
            return f"{MONTHS[int(parts[1]) - 1]} {int(parts[0])}"
    except (ValueError, IndexError):
        pass
    return value


def sentence_context(text: str, start: int, end: int, limit: int = CONTEXT_LIMIT, lower: int = 0) -> tuple[str, str]:
    """The rest of the sentence (or line) before ``start`` and after ``end``.

    Stops at a sentence end or line break, at ``lower`` and the end of
    ``text``, and at ``limit`` characters, where an ellipsis shows that the
    sentence goes on.
    """
    lo = max(lower, start - limit)
    window = text[lo:start]
    ends = [m.end() for m in SENTENCE_END.finditer(window)]
    if ends:
        before = window[ends[-1] :]
    else:
        before = window if lo == lower else "…" + window.split(" ", 1)[-1]

    if _ends_sentence(text[start:end]):
        return before, ""
    window = text[end : end + limit]
    match = SENTENCE_END.search(window)
    if match:
        after = window[: match.start()] if match.group() == "\n" else window[: match.end()]
    else:
        after = window if end + limit >= len(text) else window.rsplit(" ", 1)[0] + "…"
    return before, after


def _ends_sentence(span: str) -> bool:
    """Whether a span already reaches the end of its sentence or line (so no "after" is needed)."""
    if not span.strip() or span.rstrip(" \t").endswith(("\n", "\r")):
        return True
    return span.rstrip().rstrip("\"'”’)]").endswith((".", "!", "?"))


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count} {word if count == 1 else many or word + 's'}"

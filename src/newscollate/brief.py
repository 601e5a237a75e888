"""The brief: a collated corpus as the ``newscollate.brief/1`` JSON contract.

See ``docs/brief-schema.md``.  Every text in the brief (titles, claims,
quotes, variant values, speakers, entity names) is a slice of a source
document, and every ``support`` entry says which slice.
"""

from __future__ import annotations

from typing import Any

from . import __version__
from .collate.entities import Entity
from .collate.quotes import Quote, Statement
from .group import Event, Lineage, independent_sources
from .pipeline import Corpus

SCHEMA_ID = "newscollate.brief/1"


def build_brief(corpus: Corpus) -> dict[str, Any]:
    docs = corpus.by_id()
    return {
        "schema": SCHEMA_ID,
        "generator": {"name": "newscollate", "version": __version__},
        "documents": [
            {
                "id": doc.id,
                "path": doc.path,
                "title": doc.title,
                "published": doc.meta.published.isoformat() if doc.meta.published else None,
                "chars": len(doc.text),
                "source": doc.meta.outlet,
                "url": doc.meta.url,
                "author": doc.meta.author,
            }
            for doc in corpus.documents
        ],
        "removed": [
            {"doc": doc.id, "start": s.start, "end": s.end, "reason": s.label}
            for doc in corpus.documents
            for s in sorted(doc.spans("removed"), key=lambda s: s.start)
        ],
        "events": [_event(event, docs) for event in corpus.events],
    }


def _event(event: Event, docs) -> dict[str, Any]:
    collation = event.data["collation"]
    claims = collation.claims
    claim_ids = {id(claim): f"{event.id}-c{i + 1}" for i, claim in enumerate(claims)}
    title = collation.title
    lineage: dict[str, Lineage] = event.data.get("lineage", {})
    sources, wires = independent_sources(lineage, event.document_ids)
    return {
        "id": event.id,
        "title": docs[title.doc].slice(title) if title else None,
        "title_support": title.ref() if title else None,
        "documents": event.document_ids,
        "independent_sources": sources,
        "wires": wires,
        "lineage": [_lineage(doc_id, lineage[doc_id]) for doc_id in event.document_ids if doc_id in lineage],
        "segments": [s.ref() for s in event.segments],
        "lede": [claim_ids[id(claim)] for claim in collation.lede],
        "claims": [_claim(claim_ids[id(claim)], claim, lineage) for claim in claims],
        "discrepancies": [
            {
                "kind": d.kind,
                "subject": d.subject,
                "claim": claim_ids.get(id(d.claim)) if d.claim else None,
                "variants": [{"value": v.value, "support": [s.ref() for s in v.support]} for v in d.variants],
            }
            for d in collation.discrepancies
        ],
        "quotes": [_quote(statement, version) for statement in collation.statements for version in statement.versions],
        "timeline": [
            {
                "date": entry.value,
                "end": entry.end,
                "expression": entry.expression,
                "reference": entry.reference.isoformat() if entry.reference else None,
                "resolved": entry.resolved,
                "text": entry.text,
                "support": [s.ref() for s in entry.support],
            }
            for entry in collation.timeline
        ],
        "entities": [_entity(e) for e in collation.entities],
    }


def _claim(claim_id: str, claim, lineage: dict[str, Lineage]) -> dict[str, Any]:
    doc_ids = list(dict.fromkeys(s.span.doc for s in claim.sentences))
    sources, wires = independent_sources(lineage, doc_ids)
    return {
        "id": claim_id,
        "text": claim.representative.text,
        "support": [s.span.ref() for s in claim.sentences],
        "documents": len(doc_ids),
        "independent_sources": sources,
        "wires": wires,
    }


def _lineage(doc_id: str, found: Lineage) -> dict[str, Any]:
    return {
        "doc": doc_id,
        "role": found.role,
        "derives_from": found.derives_from,
        "wire": found.wire,
        "similarity": round(found.similarity, 4),
        "evidence": found.evidence,
    }


def _entity(entity: Entity) -> dict[str, Any]:
    out: dict[str, Any] = {"name": entity.name, "type": entity.type, "mentions": entity.mentions}
    if entity.roles:
        out["roles"] = [{"text": role.text, "support": [s.ref() for s in role.support]} for role in entity.roles]
    return out


def _quote(statement: Statement, version: list[Quote]) -> dict[str, Any]:
    first = statement.representative(version)
    speaker = first if first.speaker else next((q for q in version if q.speaker), None)
    return {
        "speaker": speaker.speaker_name if speaker else None,
        "text": first.text,
        "verbatim": statement.verbatim(version),
        "support": [first.span.ref()] + [q.span.ref() for q in version if q is not first],
        "speaker_support": speaker.speaker.ref() if speaker else None,
    }

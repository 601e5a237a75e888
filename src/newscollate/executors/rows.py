"""Documents and segment readings as plain rows: what travels between Ray tasks.

A :class:`~newscollate.model.Document` row holds its text, metadata and
layers (JSON); ``Document.cache`` is never serialised, so the group stage's
readings (:mod:`newscollate.group.readings`) travel in their own column
(``readings``: pickled, see :func:`readings_blob`) and, for grouping, as one
row per segment (:func:`segment_rows`).

Only what the clean stage adds is expected in a row (``removed``, ``title``,
``paragraphs``, ``segments``); span data must be JSON (ints, strings): the NLP
layers hold spaCy objects and are never put in a row.
"""

from __future__ import annotations

import json
import pickle
from datetime import date
from typing import Any

import numpy as np

from ..group.readings import _CACHE_KEY, Reading, reading
from ..model import Document, Metadata, Span


def to_row(doc: Document, order: int = 0) -> dict[str, Any]:
    """The document as a row; ``order`` is its position in the run's input order."""
    meta = doc.meta
    layers = {
        name: [[s.start, s.end, s.label, s.data] if s.data else [s.start, s.end, s.label] for s in spans]
        for name, spans in doc.layers.items()
    }
    return {
        "id": doc.id,
        "path": doc.path,
        "text": doc.text,
        "title": meta.title,
        "source": meta.source,
        "url": meta.url,
        "published": ordinal(meta.published),
        "author": meta.author,
        "layers": json.dumps(layers, ensure_ascii=False, separators=(",", ":")),
        "order": order,
    }


def from_row(row: dict[str, Any]) -> Document:
    """The document a :func:`to_row` row holds, with its readings back in its cache if the row has them."""
    published = int(row["published"] or 0)
    meta = Metadata(
        title=row["title"], source=row["source"], url=row["url"],
        published=date.fromordinal(published) if published else None, author=row["author"],
    )
    doc = Document(row["id"], row["path"], row["text"], meta)
    for name, spans in json.loads(row["layers"]).items():
        doc.layers[name] = [Span(doc.id, s[0], s[1], s[2], s[3] if len(s) > 3 else {}) for s in spans]
    blob = row.get("readings")
    if blob:
        doc.cache[_CACHE_KEY] = {(start, end): found for start, end, found in pickle.loads(blob)}
    return doc


def ordinal(day: date | None) -> int:
    """A publication date as its proleptic ordinal, 0 when unknown."""
    return day.toordinal() if day else 0


def readings_blob(doc: Document) -> bytes:
    """The readings of ``doc``'s segments, pickled as ``[(start, end, Reading), ...]`` (read now if missing)."""
    return pickle.dumps([(s.start, s.end, reading(doc, s)) for s in doc.spans("segments")], pickle.HIGHEST_PROTOCOL)


def segment_rows(row: dict[str, Any], first: int) -> list[dict[str, Any]]:
    """One row per segment of a cleaned document row, for grouping (the ``ray_group`` contract).

    ``first`` is the position of the document's first segment among all
    segments of the run (documents in input order, then segment order);
    ``signature`` holds the 64 MinHash values, ``feature_ids`` and
    ``feature_counts`` the hashed event features, ``unit`` the pickled
    lineage anchors.
    """
    rows = []
    for k, (start, end, found) in enumerate(pickle.loads(row["readings"])):
        rows.append({
            "doc": row["id"],
            "start": start,
            "end": end,
            "published": int(row["published"] or 0),
            "order": first + k,
            "signature": np.asarray(found.signature, np.uint32),
            "feature_ids": np.asarray(found.feature_ids, np.int32),
            "feature_counts": np.asarray(found.feature_counts, np.float64),
            "unit": pickle.dumps(found.unit, pickle.HIGHEST_PROTOCOL),
        })
    return rows


def reading_of(row: dict[str, Any]) -> Reading:
    """The :class:`Reading` a segment row holds."""
    return Reading(
        pickle.loads(row["unit"]),
        np.asarray(row["signature"], np.uint32),
        np.asarray(row["feature_ids"], np.int32),
        np.asarray(row["feature_counts"], np.float64),
    )

"""The stages as both executors run them, so that a local and a Ray run give the same results.

* Clean: documents in input order, in batches of ``clean_batch``
  (:func:`clean`): the repeats cleaner compares an outlet's documents and the
  segmenter weighs words and matches paragraphs across the documents it is
  given, so a batch is the unit of cleaning whatever runs it.  With a batch at
  least as large as the input this is the clean stage of ``newscollate collate``.
* Group: all segments at once (:func:`group`), :class:`~newscollate.group.EventGrouper`
  in batch mode; :func:`group_segment_rows` does the same from segment rows.
* Lineage, NLP and collation: per event, over the event's documents alone
  (:func:`collate_event`).  Events are independent, so lineage and collation
  are exactly those of a whole-corpus run; the Annotator's person-label
  harmonisation sees the event's documents only (``collate`` harmonises across
  the whole input, so a brief may label a rare name differently).
"""

from __future__ import annotations

from typing import Any, Iterable

from ..group import Event, EventGrouper, GroupConfig, LineageAssigner
from ..group.readings import _CACHE_KEY as _READINGS_KEY
from ..model import Document, Metadata, Span
from ..pipeline import Corpus, cleaned_batches

CLEAN_BATCH = 1000
"""Documents cleaned together by default (the clean stage's time grows faster than linearly with it)."""


def clean(docs: list[Document]) -> list[Document]:
    """One clean batch: the clean stage and the group stage's reading of each segment."""
    return next(cleaned_batches([docs], background=False))


def group(docs: list[Document], config: GroupConfig | None = None) -> list[Event]:
    """The events of ``docs`` (in input order, cleaned and read), as ``EventGrouper`` in batch mode sets them."""
    corpus = Corpus(docs)
    EventGrouper(config)(corpus)
    return corpus.events


def group_segment_rows(rows: Iterable[dict[str, Any]], config: GroupConfig | None = None) -> list[Event]:
    """:func:`group` from segment rows (:func:`~.rows.segment_rows`) without the documents' texts.

    Grouping reads only a segment's reading, offsets, document id and
    publication date (the embedding, which reads text, is off by default and
    not supported here), so stand-in documents carrying those are enough.
    """
    from datetime import date

    from .rows import reading_of

    stand_ins: dict[str, Document] = {}
    for row in sorted(rows, key=lambda r: r["order"]):
        doc = stand_ins.get(row["doc"])
        if doc is None:
            published = int(row["published"])
            meta = Metadata(published=date.fromordinal(published) if published else None)
            doc = stand_ins[row["doc"]] = Document(row["doc"], "", "", meta)
        start, end = int(row["start"]), int(row["end"])
        # set_layer would check the offsets against the (absent) text
        doc.layers.setdefault("segments", []).append(Span(doc.id, start, end))
        doc.cache.setdefault(_READINGS_KEY, {})[(start, end)] = reading_of(row)
    return group(list(stand_ins.values()), config)


def collate_event(event: Event, docs: list[Document]) -> dict[str, Any]:
    """The brief of ``event`` (one event, a complete ``newscollate.brief/1`` document).

    ``docs`` are the event's documents in input order, cleaned, with their
    readings; they are not changed (the NLP layers go on copies).
    """
    from ..brief import build_brief
    from ..collate import Collator
    from ..nlp import Annotator
    from ..store.briefs import brief_for_event

    copies = [Document(d.id, d.path, d.text, d.meta, {k: list(v) for k, v in d.layers.items()}, d.cache) for d in docs]
    corpus = Corpus(copies, events=[Event(event.id, list(event.segments))])
    # one event is small: parsing in worker processes would cost more than it saves
    for component in (LineageAssigner(), Annotator(n_process=1), Collator()):
        component(corpus)
    return brief_for_event(build_brief(corpus), event.id)

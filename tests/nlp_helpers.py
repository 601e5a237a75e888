"""Build small annotated documents for the group and collate unit tests.

Every text used with these helpers is invented for the tests: fictional
outlets, people and places.  Documents get a ``paragraphs`` layer (one span
per non-empty line) and a ``segments`` layer (one span covering all
paragraphs), then the spaCy :class:`~newscollate.nlp.Annotator` runs over them
(the model is loaded once per process and cached).
"""

from __future__ import annotations

from datetime import date

from dataclasses import dataclass

from newscollate.collate import CollateConfig, sentence_dates, sentence_quantities, stated_persons
from newscollate.collate.claims import Claim, Sentence, align, event_sentences, similarity_matrix
from newscollate.model import Document, Metadata, iter_lines, strip_offsets
from newscollate.nlp import Annotator
from newscollate.pipeline import Corpus

DEFAULT_DAY = date(2026, 3, 11)  # a Wednesday


def make_doc(
    text: str,
    source: str = "Testfield Courier",
    published: date | None = DEFAULT_DAY,
    path: str | None = None,
    split_segments: bool = False,
) -> Document:
    """A document with ``paragraphs`` (one per non-empty line) and ``segments``.

    By default one segment covers all paragraphs; with ``split_segments`` each
    block of lines between blank lines is its own segment (a page that glues
    several stories together).
    """
    doc = Document.from_text(text, path or f"{source.lower().replace(' ', '-')}.txt", Metadata(source=source, published=published))
    blocks: list[list[tuple[int, int]]] = [[]]
    for start, end in iter_lines(text):
        start, end = strip_offsets(text, start, end)
        if start < end:
            doc.add("paragraphs", start, end)
            blocks[-1].append((start, end))
        elif blocks[-1]:
            blocks.append([])
    blocks = [b for b in blocks if b]
    if not split_segments and blocks:
        blocks = [[blocks[0][0], blocks[-1][-1]]]
    for block in blocks:
        doc.add("segments", block[0][0], block[-1][1])
    return doc


def annotate(*docs: Document) -> Corpus:
    """Run the spaCy annotator over the documents and return their corpus."""
    corpus = Corpus(list(docs))
    Annotator()(corpus)
    return corpus


def annotated(*items, published: date | None = DEFAULT_DAY) -> list[Document]:
    """Annotated documents from ``text`` or ``(text, source)`` or ``(text, source, published)`` items.

    Items without a source get outlets named "Outlet A", "Outlet B", ...
    """
    docs = []
    for n, item in enumerate(items):
        if isinstance(item, str):
            item = (item,)
        text, source, day = (*item, None, None)[:3]
        docs.append(make_doc(text, source or f"Outlet {chr(65 + n)}", day or published, path=f"doc{n}.txt"))
    annotate(*docs)
    return docs


def one_sentence(text: str, published: date | None = DEFAULT_DAY):
    """``(doc, sentence span)`` for a text that spaCy reads as one sentence."""
    (doc,) = annotated(text, published=published)
    spans = doc.spans("sentences")
    assert len(spans) == 1, [doc.slice(s) for s in spans]
    return doc, spans[0]


def segments_of(docs: list[Document]):
    return [seg for doc in docs for seg in doc.spans("segments")]


def sentences_of(docs: list[Document]) -> tuple[list[Sentence], object]:
    """The event's claim-like sentences across ``docs`` and their similarity matrix."""
    by_id = {doc.id: doc for doc in docs}
    sentences = event_sentences(by_id, segments_of(docs))
    return sentences, similarity_matrix(sentences)


@dataclass
class EventParts:
    """What the collate stage derives for an event, before the discrepancy checks."""

    docs: list[Document]
    sentences: list[Sentence]
    similarity: object
    claims: list[Claim]

    def text_of(self, span) -> str:
        return {d.id: d for d in self.docs}[span.doc].slice(span)

    @property
    def quantities(self):
        return {id(s): sentence_quantities(s) for s in self.sentences}

    @property
    def dates(self):
        return {id(s): sentence_dates(s) for s in self.sentences}

    @property
    def persons(self):
        return {id(s): stated_persons(s) for s in self.sentences}

    def claim_of(self, fragment: str) -> Claim:
        """The claim holding the sentence that contains ``fragment``."""
        found = [c for c in self.claims if any(fragment in s.text for s in c.sentences)]
        assert len(found) == 1, (fragment, [[s.text for s in c.sentences] for c in self.claims])
        return found[0]


def event_parts(*items, published: date | None = DEFAULT_DAY, config: CollateConfig | None = None) -> EventParts:
    """Annotate documents (see :func:`annotated`), treat them as one event and align its claims."""
    config = config or CollateConfig()
    docs = annotated(*items, published=published)
    sentences, similarity = sentences_of(docs)
    claims = align(sentences, similarity, config.align_threshold, config.group_threshold)
    return EventParts(docs, sentences, similarity, claims)

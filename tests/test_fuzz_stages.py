"""Properties of the clean and collate stages on generated documents (see tests/fuzz_inputs.py).

Documents come from news-like generated texts, from any text hypothesis makes, and from what
the readers make of generated and mutated inputs.  Quick profile by default;
``NEWSCOLLATE_FUZZ_EXAMPLES`` raises every property's example count.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newscollate.brief import build_brief
from newscollate.clean import default_cleaners, reset
from newscollate.ingest import ReadOptions, ReadStats, read_bytes
from newscollate.model import Document
from newscollate.pipeline import run
from newscollate.render import validate_brief

from .fuzz_inputs import article_text, examples, inputs, provenance_problems, span_problems

QUICK = settings(deadline=None, max_examples=examples(20), suppress_health_check=[HealthCheck.too_slow])


def generated_text(max_paragraphs: int) -> st.SearchStrategy[str]:
    news_like = st.integers(0, 2**64 - 1).map(lambda seed: article_text(random.Random(seed), max_paragraphs))
    return st.one_of(news_like, st.text(max_size=400))


def corpus_of(texts: list[str]) -> list[Document]:
    """One document per distinct non-blank text (the readers never make a blank one; ingest keeps
    identical texts once)."""
    distinct = dict.fromkeys(text for text in texts if text.strip())
    return [Document.from_text(text, f"doc{i}.txt") for i, text in enumerate(distinct)]


def read_documents(sources) -> list[Document]:
    items = [item for source in sources for item in read_bytes(source.name, source.data, ReadOptions(), ReadStats())]
    return list({item.id: item for item in items if isinstance(item, Document)}.values())


def layers_of(docs: list[Document]) -> list[dict]:
    # reset leaves an emptied layer where the first run had none: the same absence
    return [{name: [(s.start, s.end, s.label) for s in spans] for name, spans in doc.layers.items() if spans} for doc in docs]


def assert_cleaned_well(docs: list[Document]) -> None:
    for doc in docs:
        assert span_problems(doc) == []
        assert len(doc.spans("title")) <= 1
        for layer in ("paragraphs", "segments"):
            spans = doc.spans(layer)
            assert all(a.end <= b.start for a, b in zip(spans, spans[1:])), (layer, spans)
        for segment in doc.spans("segments"):
            assert segment.start < segment.end and doc.slice(segment).strip()


@QUICK
@given(texts=st.lists(generated_text(8), min_size=1, max_size=6))
def test_clean_keeps_spans_inside_segments_apart_and_is_idempotent(texts):
    docs = corpus_of(texts)
    run(docs, default_cleaners())
    assert_cleaned_well(docs)
    first = layers_of(docs)
    for doc in docs:
        reset(doc)
    run(docs, default_cleaners())
    assert layers_of(docs) == first


@QUICK
@given(sources=st.lists(inputs(), min_size=1, max_size=4))
def test_clean_on_what_the_readers_make_of_fuzzed_inputs(sources):
    docs = read_documents(sources)
    run(docs, default_cleaners())
    assert_cleaned_well(docs)


@pytest.fixture(scope="module", autouse=True)
def spacy_model():
    """Load the model once, outside any example's time."""
    from newscollate.nlp import load_model

    load_model()


@settings(QUICK, max_examples=examples(8))
@given(texts=st.lists(generated_text(5), min_size=1, max_size=4))
def test_collate_gives_a_valid_brief_whose_texts_are_the_sources_at_their_spans(texts):
    docs = corpus_of(texts)
    if not docs:
        return
    brief = build_brief(run(docs))
    validate_brief(brief)
    assert provenance_problems(brief, {doc.id: doc.text for doc in docs}) == []
    for doc in docs:
        assert span_problems(doc) == []

"""The spaCy annotator: identical layers however the parsing is spread out."""

from __future__ import annotations

from .nlp_helpers import make_doc

from newscollate.nlp import Annotator
from newscollate.pipeline import Corpus

WIRE = "Ferry operator Calder Line cancelled 14 crossings on Tuesday.\nHarbour master Ines Voll said the gale would ease by Thursday.\n"
REWRITE = "Calder Line called off 14 sailings on Tuesday.\nThe gale should ease by Thursday, harbour master Ines Voll said.\n"


def _layers(docs):
    return [
        [(s.start, s.end) for s in d.spans("sentences")] + [(e.start, e.end, e.label) for e in d.spans("entities")]
        for d in docs
    ]


def test_a_paragraph_shared_by_copies_is_parsed_once_and_placed_in_each():
    docs = [make_doc(WIRE, "Outlet A"), make_doc(WIRE, "Outlet B"), make_doc(REWRITE, "Outlet C")]
    Annotator(n_process=1)(Corpus(docs))
    first, copy = docs[0].spans("sentences"), docs[1].spans("sentences")
    assert [(s.start, s.end) for s in first] == [(s.start, s.end) for s in copy]
    assert first[0].data["sent"].doc is copy[0].data["sent"].doc
    assert docs[0].slice(first[1]).startswith("Harbour master")


def test_two_worker_processes_give_the_same_layers_as_one():
    def docs():
        return [make_doc(WIRE, "Outlet A"), make_doc(REWRITE, "Outlet C", path="c.txt")]

    serial, parallel = docs(), docs()
    Annotator(n_process=1)(Corpus(serial))
    Annotator(n_process=2)(Corpus(parallel))
    assert _layers(serial) == _layers(parallel)
    assert [t.lemma_ for t in parallel[1].spans("sentences")[0].data["sent"]] == [
        t.lemma_ for t in serial[1].spans("sentences")[0].data["sent"]
    ]


def test_few_paragraphs_are_parsed_in_this_process():
    assert Annotator()._processes(Annotator.PARALLEL_FROM - 1) == 1
    assert Annotator(n_process=3)._processes(1) == 3

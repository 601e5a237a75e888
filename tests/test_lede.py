"""The lede: which claims a brief opens with (collate.lede).

Texts are invented: fictional outlets, people and places.
"""

from __future__ import annotations

import numpy as np

from newscollate.collate.claims import Claim, Sentence
from newscollate.collate.lede import lede_claims, stands_alone
from newscollate.group.lineage import Lineage
from newscollate.model import Document, Span


def _sentence(doc_id: str, text: str, order: int = 0) -> Sentence:
    doc = Document(doc_id, f"{doc_id}.txt", text)
    return Sentence(doc, Span(doc_id, 0, len(text)), order)


def test_a_claim_of_more_independent_sources_leads_even_if_fewer_documents_carry_it():
    wire = "The Brenn levee broke overnight and flooded forty homes in Marlow Vale."
    copies = [_sentence(d, wire) for d in ("a", "b", "c")]  # three rewrites of one wire report
    independent = [_sentence(d, "Rescue boats carried 120 residents of Marlow Vale to the old mill school.") for d in ("x", "y")]
    lineage = {"a": Lineage("rewrite", None, "Reuters"), "b": Lineage("rewrite", None, "Reuters"), "c": Lineage("rewrite", None, "Reuters")}
    claims = [Claim(copies), Claim(independent)]
    sentences = copies + independent
    lede = lede_claims(claims, sentences, np.eye(len(sentences)), lineage, size=2)
    assert [c.sentences for c in lede] == [independent, copies]


def test_among_equally_supported_claims_the_central_and_early_one_leads():
    first = [_sentence("a", "The council of Marlow Vale voted to rebuild the Brenn levee by spring.", order=0)]
    late = [_sentence("a", "The council also renamed a footpath near the old mill after a local poet.", order=12)]
    similarity = np.array([[1.0, 0.1], [0.1, 1.0]])
    lede = lede_claims([Claim(late), Claim(first)], first + late, similarity, {}, size=1)
    assert lede[0].sentences == first


def test_a_sentence_that_cannot_stand_alone_is_passed_over_while_others_remain():
    dependent = [_sentence(d, "She said the council would meet again on Friday to discuss the levee.") for d in ("a", "b")]
    standalone = [_sentence("c", "The mayor of Marlow Vale said the council would meet again on Friday.")]
    sentences = dependent + standalone
    lede = lede_claims([Claim(dependent), Claim(standalone)], sentences, np.eye(3), {}, size=2)
    assert [c.sentences for c in lede] == [standalone, dependent]


def test_stands_alone():
    assert stands_alone("The Brenn levee broke overnight and flooded forty homes in Marlow Vale.")
    assert not stands_alone("“We will rebuild,” the mayor of Marlow Vale told the crowd on Friday.")
    assert not stands_alone("They had warned about the levee for years, residents of the town said.")
    assert not stands_alone("The levee broke.")


def test_an_aside_cut_from_its_sentence_is_passed_over_while_others_remain():
    text = "Marlow Vale Water, which supplies 40,000 homes in the valley, said the levee would hold."
    aside_end = text.index(", said")
    asides = []
    for d in ("a", "b"):
        doc = Document(d, f"{d}.txt", text)
        asides.append(Sentence(doc, Span(d, 0, aside_end, data={"aside_of": (0, len(text))}), 0))
    standalone = [_sentence("c", "The mayor of Marlow Vale said the council would meet again on Friday.")]
    sentences = asides + standalone
    lede = lede_claims([Claim(asides), Claim(standalone)], sentences, np.eye(3), {}, size=2)
    assert [c.sentences for c in lede] == [standalone, asides]

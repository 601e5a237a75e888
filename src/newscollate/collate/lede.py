"""The lede: the claims a brief opens with, chosen among the claims, never written.

A claim leads when more independent sources make it (lineage roots: four
rewrites of one wire report count once), then when more documents carry it,
then when it is more central to the event: its sentences resemble the event's
other sentences (mean TF-IDF cosine) and come early in their documents (news
states the main fact first).  A claim whose sentence cannot stand alone at the
top of a brief is passed over while enough others remain: one that opens with
a pronoun ("She said...") or a quotation mark (a quote cut from its speaker),
is shorter than ``MIN_LEDE_WORDS``, or is an aside cut from its sentence ("Northwind
Freight, which employs 3,000 people": :func:`.claims.asides`).
"""

from __future__ import annotations

import re

import numpy as np

from ..group.lineage import Lineage, independent_sources
from .claims import Claim, Sentence

MIN_LEDE_WORDS = 8
EARLY_SENTENCES = 10.0
"""A sentence's position weight is 1 / (1 + order / EARLY_SENTENCES): the first sentence weighs 1, the
tenth 0.5."""
_DEPENDENT_OPENING = re.compile(r"^(?:[\"'“‘«]|(?:he|she|they|it|this|that|these|those|his|her|their|its)\b)", re.IGNORECASE)


def lede_claims(
    claims: list[Claim], sentences: list[Sentence], similarity: np.ndarray, lineage: dict[str, Lineage], size: int
) -> list[Claim]:
    """The ``size`` claims to open the event's brief with, most important first."""
    if not claims:
        return []
    index = {id(s): i for i, s in enumerate(sentences)}
    n = len(sentences)
    related = (similarity.sum(axis=1) - np.diag(similarity)) / max(n - 1, 1) if n else np.zeros(0)

    def centrality(claim: Claim) -> float:
        rows = [index[id(s)] for s in claim.sentences]
        return float(np.mean([related[r] / (1 + sentences[r].order / EARLY_SENTENCES) for r in rows]))

    def importance(claim: Claim) -> tuple:
        doc_ids = list(dict.fromkeys(claim.document_ids))
        return (independent_sources(lineage, doc_ids)[0], len(doc_ids), centrality(claim))

    ranked = sorted(claims, key=importance, reverse=True)
    standalone = [
        c for c in ranked if stands_alone(c.representative.text) and "aside_of" not in c.representative.span.data
    ]
    return (standalone + [c for c in ranked if c not in standalone])[:size]


def stands_alone(text: str) -> bool:
    """Whether a sentence reads on its own at the top of a brief."""
    return len(text.split()) >= MIN_LEDE_WORDS and not _DEPENDENT_OPENING.match(text.lstrip())

"""Claims: sentences of an event, aligned across documents.

A claim is a set of sentences from different documents that state the same
fact, each sentence kept as a span of its source.  Alignment uses TF-IDF
cosine similarity over content lemmas, entities and numbers, fitted on the
event's own sentences so that words every outlet repeats weigh less than the
words that tell facts apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from ..clean.segment import DATELINE
from ..model import Document, Span
from ..nlp import content_lemmas
from .numbers import quantities
from .quotes import SAY_LEMMAS

MIN_CLAIM_WORDS = 5
_TERMINAL = re.compile(r"[.!?…][\"'”’)\]]*$|[\"”’]$")
_QUOTE_MARK = re.compile("[\"“”«»]")


@dataclass
class Sentence:
    """One sentence of an event's segment, with what alignment needs."""

    doc: Document
    span: Span
    order: int
    """Position of the sentence in its document (0 = first)."""
    features: list[str] = field(default_factory=list)

    @property
    def sent(self):
        return self.span.data["sent"]

    @property
    def text(self) -> str:
        return self.doc.slice(self.span)

    def states(self, start: int) -> bool:
        """Whether what starts at document offset ``start`` is part of the sentence's fact:
        inside its span and not in an aside that is a claim of its own (see :func:`asides`)."""
        asides = self.span.data.get("asides", ())
        return self.span.start <= start < self.span.end and not any(a <= start < b for a, b in asides)


@dataclass
class Claim:
    sentences: list[Sentence]
    """At most one sentence per document, in document order of the event."""
    centrality: list[float] = field(default_factory=list)

    @property
    def representative(self) -> Sentence:
        """The sentence most similar to the others: its text is the claim's text."""
        if not self.centrality:
            return self.sentences[0]
        return self.sentences[int(np.argmax(self.centrality))]

    @property
    def document_ids(self) -> list[str]:
        return [s.doc.id for s in self.sentences]


def event_sentences(docs: dict[str, Document], segments: list[Span]) -> list[Sentence]:
    """Body sentences of the segments that can carry a claim, each cut into its clauses
    (see :func:`clauses`), with the asides that carry a number apart (see :func:`asides`)."""
    out: list[Sentence] = []
    for seg in segments:
        doc = docs[seg.doc]
        sentences = doc.spans("sentences")
        for order, span in enumerate(sentences):
            if not seg.contains(span.start, span.end) or span.data.get("title"):
                continue
            if is_claim_like(doc, span, seg):
                span = without_dateline(doc, span)
                parts = [part for clause in clauses(doc, span) for part in asides(doc, clause)]
                out += [Sentence(doc, part, order, features(doc, part)) for part in parts]
    return out


def clauses(doc: Document, span: Span) -> list[Span]:
    """A sentence that states several facts, as one span per fact: main clauses joined by
    "and", "but" or a semicolon, each with a subject and a verb of its own and at least
    ``MIN_CLAIM_WORDS`` words ("Police arrested two men on Monday, and the mayor closed the
    bridge").  Otherwise the sentence itself.  Sentences with quotation marks stay whole, and
    a clause of saying is not cut off ("..., the ministry announced"): a statement and its
    source belong together."""
    sent, offset = span.data["sent"], span.data["offset"]
    if _QUOTE_MARK.search(doc.slice(span)):
        return [span]
    cuts = [(t.i, t.i + 1) for t in sent if t.text == ";"]
    for verb in sent:
        if verb.dep_ != "conj" or verb.pos_ not in ("VERB", "AUX") or verb.head.dep_ != "ROOT":
            continue
        if not any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in verb.children):
            continue
        if bare_attribution(verb):
            continue
        start = verb.left_edge.i
        joiner = start - 1
        while joiner > sent.start and sent.doc[joiner].dep_ in ("cc", "punct"):
            joiner -= 1
        cuts.append((joiner + 1, start))
    parts, begin = [], sent.start
    for end, next_begin in [*sorted(set(cuts)), (sent.end, sent.end)]:
        tokens = sent.doc[begin:end]
        if sum(t.is_alpha for t in tokens) < MIN_CLAIM_WORDS or not any(t.pos_ in ("VERB", "AUX") for t in tokens):
            return [span]
        parts.append(tokens)
        begin = next_begin
    if len(parts) == 1:
        return [span]
    return [
        Span(doc.id, offset + part[0].idx, offset + part[-1].idx + len(part[-1].text), span.label, {**span.data, "sent": part})
        for part in parts
    ]


ASIDE_DEPS = ("appos", "relcl", "acl")
"""Dependencies of an aside on a noun: "Northwind Freight, a haulier with 3,000 staff," "...,
which employs 3,000 people," "the bridge, built at a cost of 40,000 crowns,"."""
_DASHES = {"-", "\u2013", "\u2014"}
_ASIDE_CLOSE = {",": {",", ";", ":", ".", "!", "?"}, "(": {")"}, **{dash: _DASHES for dash in _DASHES}}
"""What may end an aside, by what opens it: an aside opened with a comma ends with a comma or
the clause; one in brackets or between dashes ends where they close."""


def asides(doc: Document, span: Span) -> list[Span]:
    """A sentence (or clause) whose noun carries an aside with a quantity ("Northwind Freight,
    which employs 3,000 people, said it would close the depot"; "..., a town of 12,000
    residents, ...") as the sentence and one claim per aside; otherwise the sentence alone.

    The aside is a fact of its own, which another outlet may state in a sentence of its own
    ("The company employs 3,200 people nationwide."), so it is a claim of its own: the span
    from its noun phrase to the end of the aside ("Northwind Freight, which employs 3,000
    people"), a contiguous piece of the source as every claim is.  The sentence keeps its whole span (its
    fact cannot be cut out of the source without the aside) and lists the asides' offsets in
    ``data["asides"]``: what is written there is not part of its fact (:meth:`Sentence.states`),
    so the aside's words do not align it and its numbers, dates and names are compared once,
    with the aside's claim.  An aside's span has the offsets of its sentence in
    ``data["aside_of"]`` (it is no sentence to open a brief with: :mod:`.lede`).

    An aside is a non-restrictive ``appos``, ``relcl`` or ``acl`` of a noun, set off by commas,
    a pair of dashes or brackets, with a quantity in it (:func:`.numbers.quantities`: not a
    year, a date or an age, which the model tags as a date).  Both the aside's claim and the rest of the
    sentence need ``MIN_CLAIM_WORDS`` words: "Lars Eid, 54, said ..." and "Dunmore, a town of
    12,000 residents, flooded" stay whole.  Sentences with quotation marks stay whole."""
    sent, offset = span.data["sent"], span.data["offset"]
    if _QUOTE_MARK.search(doc.slice(span)):
        return [span]
    numbers = [q.start for q in quantities(doc, span)]
    if not numbers:
        return [span]
    found: list[tuple[int, int, int]] = []  # noun phrase start, aside start, aside end (token indices)
    for token in sent:
        head = token.head
        if token.dep_ not in ASIDE_DEPS or head.pos_ not in ("NOUN", "PROPN") or head.i >= token.i:
            continue
        first, last = token.left_edge.i, token.right_edge.i
        if first <= sent.start or last >= sent.end or first <= head.i:
            continue
        after = sent.doc[last + 1].text if last + 1 < sent.end else "."
        if after not in _ASIDE_CLOSE.get(sent.doc[first - 1].text, ()):
            continue
        if after == ")":
            last += 1  # the closing bracket is part of the aside
        begin, end = offset + sent.doc[first].idx, offset + sent.doc[last].idx + len(sent.doc[last].text)
        if not any(begin <= n < end for n in numbers) or any(first <= f[2] and f[1] <= last for f in found):
            continue
        found.append((head.left_edge.i, first, last))
    parts, cut = [], set()
    for noun, first, last in found:
        tokens = sent.doc[noun : last + 1]
        if noun < sent.start or sum(t.is_alpha for t in tokens) < MIN_CLAIM_WORDS:
            continue
        parts.append(tokens)
        cut.update(range(first, last + 1))
    rest = [t for t in sent if t.i not in cut]
    if not parts or sum(t.is_alpha for t in rest) < MIN_CLAIM_WORDS:
        return [span]
    if not any(t.pos_ in ("VERB", "AUX") for t in rest):
        return [span]
    ranges = [
        (offset + sent.doc[first].idx, offset + sent.doc[last].idx + len(sent.doc[last].text))
        for noun, first, last in found if first in cut
    ]
    main = Span(span.doc, span.start, span.end, span.label, {**span.data, "asides": ranges})
    return [main, *(
        Span(
            doc.id, offset + part[0].idx, offset + part[-1].idx + len(part[-1].text), span.label,
            {**span.data, "sent": part, "aside_of": (span.start, span.end)},
        )
        for part in parts
    )]


def without_dateline(doc: Document, span: Span) -> Span:
    """The sentence without the dateline a wire story opens with ("PORT ALDMERE (Meridian
    Press) — A ferry ..."): where and by whom it was filed is no part of the claim."""
    found = DATELINE.match(doc.slice(span))
    if not found:
        return span
    sent, offset = span.data["sent"], span.data["offset"]
    start = span.start + found.end() - 1
    rest = [t for t in sent if offset + t.idx >= start]
    if sum(t.is_alpha for t in rest) < MIN_CLAIM_WORDS:
        return span
    return Span(span.doc, offset + rest[0].idx, span.end, span.label, {**span.data, "sent": sent.doc[rest[0].i : sent.end]})


def is_claim_like(doc: Document, span: Span, segment: Span) -> bool:
    """Whether a sentence states something: long enough, has a verb, not a heading
    or a sentence cut off where a page truncated the story."""
    sent = span.data["sent"]
    words = [t for t in sent if t.is_alpha]
    if len(words) < MIN_CLAIM_WORDS or not any(t.pos_ in ("VERB", "AUX") for t in sent):
        return False
    text = doc.slice(span)
    if text.endswith(":"):
        return False
    truncated = span.end == segment.end and not _TERMINAL.search(text)
    return not truncated


def bare_attribution(verb) -> bool:
    """A verb of saying with nothing said after it ("..., the ministry announced on Wednesday"):
    the source of the sentence's statement, not a statement of its own."""
    return verb.lemma_.lower() in SAY_LEMMAS and not any(c.dep_ in ("ccomp", "xcomp", "dobj", "parataxis") for c in verb.children)


def features(doc: Document, span: Span) -> list[str]:
    """Content lemmas and entities of what a sentence states.

    The attribution frame ("Mayor X said", "according to Y") is left out: two
    different facts told by one speaker are not one claim; so are the asides that are
    claims of their own (:func:`asides`).
    """
    sent, offset = span.data["sent"], span.data["offset"]
    aside = [range(a, b) for a, b in span.data.get("asides", ())]
    frame = attribution_tokens(sent) | {t.i for t in sent if any(offset + t.idx in r for r in aside)}
    bag = content_lemmas([t for t in sent if t.i not in frame])
    framed = {offset + sent.doc[i].idx for i in frame}
    for ent in doc.spans("entities"):
        if span.contains(ent.start, ent.end) and ent.start not in framed:
            bag.append("ENT:" + doc.slice(ent).lower())
    return bag


def attribution_tokens(sent) -> set[int]:
    """Token indices of verbs of saying and their subjects ("Mayor X said")."""
    frame: set[int] = set()
    for token in sent:
        if token.pos_ == "VERB" and token.lemma_.lower() in SAY_LEMMAS:
            frame.add(token.i)
            for child in token.children:
                if child.dep_ in ("nsubj", "nsubjpass"):
                    frame.update(t.i for t in child.subtree)
        elif token.lower_ == "according" and any(c.lower_ == "to" for c in token.children):
            frame.update(t.i for t in token.subtree)
    return frame


def similarity_matrix(sentences: list[Sentence]) -> np.ndarray:
    """Cosine similarity of every pair of sentences (TF-IDF over their features)."""
    if not sentences:
        return np.zeros((0, 0))
    bags = [s.features or ["<empty>"] for s in sentences]
    vectors = TfidfVectorizer(analyzer=lambda bag: bag, sublinear_tf=True).fit_transform(bags)
    return (vectors @ vectors.T).toarray()


def align(sentences: list[Sentence], similarity: np.ndarray, threshold: float, group_threshold: float) -> list[Claim]:
    """Group sentences into claims: greedy best-pair-first merging.

    A pair at least ``threshold`` similar joins its two groups when the cross
    pairs of the groups are similar on average above ``group_threshold`` and no
    document would contribute two sentences: a claim is one fact, which an
    outlet states once.  The lower group bar lets a rewrite that is close to one
    version but further from another still join them.
    """
    n = len(sentences)
    group_of = list(range(n))
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    pairs = [
        (similarity[i, j], i, j)
        for i in range(n)
        for j in range(i + 1, n)
        if similarity[i, j] >= threshold and sentences[i].doc.id != sentences[j].doc.id
    ]
    for _, i, j in sorted(pairs, reverse=True):
        a, b = group_of[i], group_of[j]
        if a == b:
            continue
        if {sentences[k].doc.id for k in members[a]} & {sentences[k].doc.id for k in members[b]}:
            continue
        if similarity[np.ix_(members[a], members[b])].mean() < group_threshold:
            continue
        members[a].extend(members.pop(b))
        for k in members[a]:
            group_of[k] = a
    claims = []
    for idx in members.values():
        idx.sort(key=lambda k: (sentences[k].doc.meta.published or date.max, sentences[k].doc.path, sentences[k].order))
        sub = similarity[np.ix_(idx, idx)]
        centrality = list(sub.sum(axis=1) - 1.0) if len(idx) > 1 else []
        claims.append(Claim([sentences[k] for k in idx], centrality))
    claims.sort(key=lambda c: (-len(c.sentences), min(s.order for s in c.sentences)))
    return claims


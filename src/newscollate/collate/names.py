"""Who stands where: the people two aligned sentences name, matched slot by slot.

Two sentences of one claim name the same person when one writes a surname the
other writes too ("Ilka Brandt" / "Brandt", "Mr Brandt"), whether or not the
model tagged it there as a person.  Of the people left without a counterpart,
one in each sentence at the same place of the statement is "a different
person in the same slot" (:func:`differing_people`): the two sentences,
person names set aside, line up word for word around both names (an
alignment of their token sequences in which the two names fall in one
stretch of matching words).  That leaves alone the victim one outlet names
and the suspect another names elsewhere in its sentence, a role against a
name ("the mayor" / "Lindqvist"), and a person one source adds.

The people a sentence gives as the source of its statement ("X said", "according
to X") are compared with the other sentence's person in the same slot only when
both are given the same role ("hospital spokeswoman X" / "hospital spokeswoman
Y"): outlets legitimately cite different sources, but not two people for one
spokeswoman's words.

The model tags a name it does not know as a place or an organisation, or not
at all, so a capitalised proper noun standing exactly where the other sentence
names a person (the words right before and right after it matched) counts as a
name too: "Varga's stubbornness" against "Olsen's stubbornness".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from difflib import SequenceMatcher

from ..model import Document, Span
from .claims import Sentence
from .quotes import MIN_WORDS
from .roles import TITLE_WORDS, find_roles

NAME_SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}
"""Words after a surname that do not tell people apart ("Martin Lowe Jr.")."""
HONORIFICS = {"mr", "mrs", "ms", "miss", "mx", "sir", "dame", "lord", "lady"}
"""With :data:`.roles.TITLE_WORDS`: words that alone are no name ("Sgt." cut off from the name after it)."""
SAME_WORDS = 0.5
"""People are compared only between sentences whose other words, names set aside, are at least
this much the same words in the same order (:func:`likeness`): one report and its rewrite, where
a different name is a different account, not two outlets telling different parts of the story."""
NOT_NAMES = {"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL", "NORP", "LANGUAGE", "GPE", "LOC", "FAC"}
"""Entity types of capitalised words that are never a person's name the model missed."""
MAX_UNTAGGED_WORDS = 3
PERSON = "\x00person"
"""What a name without a counterpart is written as in the aligned token sequences:
any two line up, so that the alignment shows which of them stand in the same place."""
QUOTATION = re.compile(r"[\"“«]([^\"“”«»]+)(?:[\"”»]|$)")
"""A quotation in a sentence; one left open runs to the sentence's end (the quote goes on after it)."""
BOUNDARY = "\x00boundary"
"""The start and the end of a sentence: a name that opens both sentences stands in one place."""


@dataclass(frozen=True)
class Named:
    """One mention of a person in a sentence."""

    span: Span
    surname: str
    tokens: range
    """Indices of its tokens in the spaCy document."""
    source: bool = False
    """Given as the source of the sentence's statement ("X said"), not as part of its fact."""
    tagged: bool = True
    """Tagged as a person by the model; else capitalised words where the other sentence names one."""
    also: frozenset[str] = frozenset()
    """For a first name written alone ("Alice"), the surnames of the event's people of that first name."""

    @property
    def keys(self) -> frozenset[str]:
        return self.also | {self.surname}


def surname(name: str) -> str:
    """The last word of a name, lower-case, accents, possessive and "Jr." dropped: what tells two people apart."""
    words = [w for w in re.findall(r"[\w'’-]+", _folded(name)) if any(c.isalpha() for c in w)]
    while len(words) > 1 and words[-1].rstrip(".") in NAME_SUFFIXES:
        words.pop()
    if not words:
        return ""
    return re.sub(r"['’](s)?$", "", words[-1].replace("’", "'"))


def differing_people(a: Sentence, people_a: list[Named], b: Sentence, people_b: list[Named], roles) -> list[tuple[Named, Named]]:
    """Pairs ``(person of a, person of b)`` standing in the same slot of two sentences that
    otherwise say the same, each with no counterpart in the other sentence.

    ``people_a`` and ``people_b`` are the sentences' people (:func:`people_in`); ``roles``
    is a :class:`Roles`.
    """
    alone_a = [p for p in people_a if not _writes(b, p.keys)]
    alone_b = [p for p in people_b if not _writes(a, p.keys)]
    if not alone_a and not alone_b or likeness(a, people_a, b, people_b) < SAME_WORDS:
        return []
    # a name the model missed counts only against a person it tagged in the other sentence
    if alone_b:
        alone_a += [p for p in _untagged_names(a, people_a) if not _writes(b, p.keys)]
    if alone_a:
        alone_b += [p for p in _untagged_names(b, people_b) if not _writes(a, p.keys)]
    pairs = []
    for pa, pb, both_sides in _same_slot(a, alone_a, b, alone_b):
        if _one_name(pa, pb) or not (pa.tagged or pb.tagged):
            continue
        if not (pa.tagged and pb.tagged) and not both_sides:
            continue  # capitalised words are taken for a name only where nothing else differs around them
        if (pa.source or pb.source) and (roles(a, pa) is None or roles(a, pa) != roles(b, pb)):
            continue  # a source against anyone but a source of the same role
        if pa.source and pb.source and _quotes(a) and _quotes(b):
            continue  # two speakers of a quotation: the speaker check compares them (speaker_discrepancies)
        pairs.append((pa, pb))
    return pairs


def people_in(sentence: Sentence, stated: list[Span]) -> list[Named]:
    """Every person the sentence names (a PERSON entity that is more than a title), each marked
    as a source of its statement unless ``stated`` (the people of its fact) holds it."""
    stated_starts = {p.start for p in stated}
    found = []
    for entity in sentence.doc.spans("entities"):
        if entity.label == "PERSON" and sentence.span.contains(entity.start, entity.end):
            tokens = _tokens(sentence, entity)
            name = sentence.doc.slice(entity)
            key = surname(name)
            if key and tokens and not _only_titles(name):
                found.append(Named(entity, key, tokens, entity.start not in stated_starts))
    return found


def likeness(a: Sentence, people_a: list[Named], b: Sentence, people_b: list[Named]) -> float:
    """How much two sentences are the same words in the same order, their people's names set
    aside (difflib's ratio over the lower-case words)."""

    def words(sentence: Sentence, people: list[Named]) -> list[str]:
        named = {i for p in people for i in p.tokens}
        return [t.lower_ for t in sentence.sent if t.is_alpha and t.i not in named]

    return SequenceMatcher(None, words(a, people_a), words(b, people_b), autojunk=False).ratio()


def _quotes(sentence: Sentence) -> bool:
    """Whether the sentence carries a quotation long enough to be read as one (:data:`.quotes.MIN_WORDS`)."""
    return any(len(m.group(1).split()) >= MIN_WORDS for m in QUOTATION.finditer(sentence.text))


def _one_name(a: Named, b: Named) -> bool:
    """A surname (or a first name's surname) both share, or one word in the singular and the plural
    ("Oscar" / "Oscars": not a person)."""
    return any(ka == kb or ka + "s" == kb or kb + "s" == ka for ka in a.keys for kb in b.keys)


def first_names(names: Iterable[str]) -> dict[str, frozenset[str]]:
    """First name -> surnames of the full names (two words or more) among ``names``."""
    found: dict[str, set[str]] = {}
    for name in names:
        words = re.findall(r"[\w'’-]+", _folded(name))
        if len(words) > 1:
            found.setdefault(words[0], set()).add(surname(name))
    return {first: frozenset(surnames) for first, surnames in found.items()}


def known_by_first_name(people: list[Named], by_first_name: dict[str, frozenset[str]]) -> list[Named]:
    """``people``, a first name written alone ("Alice") also known by the surnames of the event's
    people of that first name ("Alice McMeekin" named elsewhere): "Alice" / "Mrs McMeekin" is one person."""
    return [replace(p, also=by_first_name.get(p.surname, frozenset())) if len(p.tokens) == 1 else p for p in people]


def _only_titles(name: str) -> bool:
    words = [w.rstrip(".").lower() for w in name.split()]
    return all(w in TITLE_WORDS or w in HONORIFICS for w in words)


def _untagged_names(sentence: Sentence, people: list[Named]) -> list[Named]:
    """Runs of capitalised proper nouns outside the sentence's ``people`` ("Varga" tagged as
    an organisation): at most :data:`MAX_UNTAGGED_WORDS` words, no title ("Mayor") among them."""
    sent, offset = sentence.sent, sentence.span.data["offset"]
    tagged = {i for p in people for i in p.tokens}
    found, run = [], []
    for token in [*sent, None]:
        if token is not None and token.i not in tagged and _could_be_name(token):
            run.append(token)
            continue
        if run and len(run) <= MAX_UNTAGGED_WORDS:
            span = Span(sentence.doc.id, offset + run[0].idx, offset + run[-1].idx + len(run[-1].text), "PERSON")
            found.append(Named(span, surname(run[-1].text), range(run[0].i, run[-1].i + 1), tagged=False))
        run = []
    return found


def _could_be_name(token) -> bool:
    return (
        token.pos_ == "PROPN"
        and token.text[:1].isupper()
        and token.text.replace("'", "").replace("’", "").replace("-", "").isalpha()
        and token.ent_type_ not in NOT_NAMES
        and token.lower_.rstrip(".") not in TITLE_WORDS
    )


def _tokens(sentence: Sentence, span: Span) -> range | None:
    """Indices in the spaCy document of the tokens covering ``span``."""
    offset = sentence.span.data["offset"]
    inside = [t.i for t in sentence.sent if span.start <= offset + t.idx < span.end]
    return range(inside[0], inside[-1] + 1) if inside else None


def _writes(sentence: Sentence, keys: Iterable[str]) -> bool:
    """Whether the sentence writes one of the surnames as a word of its own, tagged or not."""
    text = _folded(sentence.text)
    # a word of its own, or the first part of a compound ("the Varga-era rules" writes Varga)
    return any(re.search(rf"(?<![\w-]){re.escape(key)}(?!\w)", text) for key in keys)


def _folded(text: str) -> str:
    """Lower-case, accents dropped, one apostrophe: "Vendôme" and "Vendome" are written alike."""
    decomposed = unicodedata.normalize("NFKD", text.lower().replace("’", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _same_slot(a: Sentence, alone_a: list[Named], b: Sentence, alone_b: list[Named]) -> list[tuple[Named, Named, bool]]:
    """``(person of a, person of b, matched on both sides)`` for the unmatched people that the
    token alignment of the two sentences puts in one place.

    One stretch of matching tokens, the name placeholders included, must hold both, and
    beside them in it a matched word, or the two play the same part in their sentences (the
    same dependency on heads the alignment matches, or on the main verbs: "Varga stopped" /
    "Olsen halted").  "On both sides" when the tokens right before and right after them matched.
    """
    seq_a, at_a = _sequence(a, alone_a)
    seq_b, at_b = _sequence(b, alone_b)
    blocks = SequenceMatcher(None, seq_a, seq_b, autojunk=False).get_matching_blocks()
    partner = {at_a[i + k]: at_b[j + k] for i, j, size in blocks for k in range(size) if isinstance(at_a[i + k], int)}
    pairs = []
    for i, j, size in blocks:
        for k in range(size):
            if seq_a[i + k] != PERSON:
                continue
            pa, pb = at_a[i + k], at_b[j + k]
            beside = [seq_a[i + k + step] for step in (-1, 1) if 0 <= k + step < size]
            if any(_is_word(item) for item in beside) or _same_part(a, pa, b, pb, partner):
                pairs.append((pa, pb, 0 < k < size - 1))
    return pairs


def _is_word(item: str) -> bool:
    return item not in (PERSON, BOUNDARY) and any(c.isalpha() for c in item)


def _same_part(a: Sentence, pa: Named, b: Sentence, pb: Named, partner: dict[int, object]) -> bool:
    """Whether two names hang off their sentences by the same dependency, on heads the alignment
    matched (``partner``: token of a -> token of b) or on each sentence's root."""
    root_a, root_b = _name_root(a, pa), _name_root(b, pb)
    if root_a.dep_ != root_b.dep_:
        return False
    if root_a.dep_ == "ROOT":
        return True
    return partner.get(root_a.head.i) == root_b.head.i or (root_a.head.dep_ == root_b.head.dep_ == "ROOT")


def _name_root(sentence: Sentence, named: Named):
    """The token of the name that the rest of the sentence attaches to."""
    doc = sentence.sent.doc
    return next((doc[i] for i in named.tokens if doc[i].head.i not in named.tokens or doc[i].head.i == i), doc[named.tokens[-1]])


def _sequence(sentence: Sentence, alone: list[Named]) -> tuple[list[str], list[object]]:
    """The sentence's tokens, lower-case, with each unmatched person as one :data:`PERSON`
    item; and what stands at each item: the token's index, the person, or None at a boundary."""
    first = {p.tokens[0]: p for p in alone}
    inside = {i for p in alone for i in p.tokens}
    items, at = [BOUNDARY], [None]
    for token in sentence.sent:
        if token.i in first:
            items.append(PERSON)
            at.append(first[token.i])
        elif token.i not in inside:
            items.append(token.lower_)
            at.append(token.i)
    items.append(BOUNDARY)
    at.append(None)
    return items, at


class Roles:
    """The role a document writes next to a person's name (its head word, see :mod:`.roles`),
    read once per document."""

    def __init__(self) -> None:
        self._by_doc: dict[str, dict[tuple[int, int], str]] = {}

    def __call__(self, sentence: Sentence, named: Named) -> str | None:
        doc = sentence.doc
        if doc.id not in self._by_doc:
            self._by_doc[doc.id] = self._read(doc)
        return self._by_doc[doc.id].get((named.span.start, named.span.end))

    @staticmethod
    def _read(doc: Document) -> dict[tuple[int, int], str]:
        whole = Span(doc.id, 0, len(doc.text))
        return {(m.entity.start, m.entity.end): m.head for m in find_roles(doc, whole)}

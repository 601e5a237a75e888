"""Who stands where: the people two sentences of different sources name, matched slot by slot.

Two sentences name the same person when one writes a surname the other writes
too ("Ilka Brandt" / "Brandt" / "Mr Brandt"), tagged by the model or not, or
when one writes a first name alone that is the first name of a person of the
same surname named elsewhere in the event ("Ilka" / "Ms Brandt").  Of the people
left without a counterpart, one in each sentence at the same place of the
statement is "a different person in the same slot" (:func:`differing_people`):
an alignment of the two sentences' tokens, each unmatched name one placeholder,
puts both names in one stretch of matching tokens, with a matched word beside
them or the two names hanging off their sentences by the same dependencies
("Varga stopped ..." / "Olsen halted ...").  Only sentences that are, names
aside, mostly the same words in the same order are compared (:func:`alike`):
a report and its rewrite, not two outlets telling different parts of a story.
That leaves alone the victim one outlet names where another names the suspect
elsewhere in its sentence, a role against a name ("the mayor" / "Lindqvist"),
and a person only one source adds.

The people a sentence gives as the source of its statement ("X said",
"according to X") are compared only with the same role on both sides
("hospital spokeswoman X" / "hospital spokeswoman Y"), or as the speakers of one
quotation: outlets legitimately cite different sources, but not two people for
one spokeswoman's or one speaker's words.

The model tags a name it does not know as a place or an organisation, or not at
all, so a capitalised proper noun standing exactly where the other sentence
names a person (the tokens right before and right after it matched) counts as
a name too: "Varga's stubbornness" against "Olsen's stubbornness".
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import TypeVar

from ..model import Span
from .claims import Sentence, attribution_tokens
from .quotes import MIN_WORDS, SAY_LEMMAS
from .roles import TITLE_WORDS, find_roles

SAME_WORDS = 0.5
"""People of two aligned sentences are compared when the sentences' other words are at
least this much the same words in the same order (:func:`alike`)."""
UNALIGNED_SAME_WORDS = 0.7
"""The same for two sentences alignment left apart (a changed name weighs on their similarity):
with no alignment vouching that they state one fact, only near copies are compared."""
NAME_SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}
"""Words after a surname that do not tell people apart ("Martin Lowe Jr.")."""
NO_NAME_WORDS = {"mr", "mrs", "ms", "miss", "mx", "sir", "dame", "lord", "lady", "dr", "prof", "rev", "sgt", "cpl",
                 "lt", "capt", "maj", "col", "gen", "det", "supt", "gov", "sen", "rep"}  # fmt: skip
"""Honorifics and short titles: words that alone are no name ("Sgt." cut off from the name after
it); a title written out alone may be a surname ("King", "Major")."""
NOT_NAMES = {"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL", "NORP", "LANGUAGE"}
"""Entity types of capitalised words never taken for a name the model missed."""
MAX_UNTAGGED_WORDS = 3
"""Most capitalised words in a row taken for one name the model missed: a longer run is a title
or an organisation's name."""
MAX_DEPENDENCY_STEPS = 3
"""How far up the parse :func:`_same_part` follows two names to tokens the alignment matched."""
QUOTATION = re.compile(r"[\"“«]([^\"“”«»]+)(?:[\"”»]|$)")
"""A quotation in a sentence; one left open runs to the sentence's end (the quote goes on after it)."""
PERSON = "\x00person"
"""What a name without a counterpart is written as in the aligned token sequences:
any two line up, so that the alignment shows which of them stand in the same place."""
BOUNDARY = "\x00boundary"
"""The start and the end of a sentence: a name that opens both sentences stands in one place."""

T = TypeVar("T")


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
    """For a first name written alone ("Ilka"), the surnames of the event's people of that first name."""

    @property
    def keys(self) -> frozenset[str]:
        return self.also | {self.surname}


def surname(name: str) -> str:
    """The last word of a name, lower-case, accents, possessive and "Jr." dropped: what tells two people apart."""
    words = [w for w in re.findall(r"[\w'-]+", _folded(name)) if any(c.isalpha() for c in w)]
    while len(words) > 1 and words[-1].rstrip(".") in NAME_SUFFIXES:
        words.pop()
    return re.sub(r"'s?$", "", words[-1]) if words else ""


def first_names(names: Iterable[str]) -> dict[str, frozenset[str]]:
    """First name -> surnames of the full names (two words or more) among ``names``."""
    found: dict[str, set[str]] = {}
    for name in names:
        words = re.findall(r"[\w'-]+", _folded(name))
        if len(words) > 1:
            found.setdefault(words[0], set()).add(surname(name))
    return {first: frozenset(surnames) for first, surnames in found.items()}


class EventNames:
    """What the name check reads of an event's sentences, each sentence read once.

    ``persons`` gives the people each sentence names as part of its fact (the
    :func:`~newscollate.collate.stated_persons` of every sentence of the event): any other
    person a sentence names is the source of its statement, and the full names among them
    tell whose first name a first name written alone is.
    """

    def __init__(self, persons: dict[int, list[Span]], text_of: Callable[[Span], str]) -> None:
        self._stated = persons
        self._by_first_name = first_names(text_of(p) for spans in persons.values() for p in spans)
        self._people: dict[int, list[Named]] = {}
        self._untagged: dict[int, list[Named]] = {}
        self._words: dict[int, list[str]] = {}
        self._folded: dict[int, str] = {}
        self._roles: dict[str, dict[tuple[int, int], str]] = {}

    def people(self, sentence: Sentence) -> list[Named]:
        """Every person the sentence names (a PERSON entity that is more than a title)."""
        return _once(self._people, sentence, self._read_people)

    def untagged(self, sentence: Sentence) -> list[Named]:
        """Runs of capitalised proper nouns outside the sentence's people ("Varga" tagged as an
        organisation): at most :data:`MAX_UNTAGGED_WORDS` words, no title ("Mayor") among them."""
        return _once(self._untagged, sentence, self._read_untagged)

    def other_words(self, sentence: Sentence) -> list[str]:
        """The sentence's words, lower-case, its people's names left out."""
        return _once(self._words, sentence, self._read_other_words)

    def writes(self, sentence: Sentence, keys: Iterable[str]) -> bool:
        """Whether the sentence writes one of the surnames as a word of its own, tagged or not."""
        text = _once(self._folded, sentence, lambda s: _folded(s.text))
        # the first part of a compound counts too ("the Varga-era rules" writes Varga)
        return any(re.search(rf"(?<![\w-]){re.escape(key)}(?!\w)", text) for key in keys)

    def role(self, sentence: Sentence, named: Named) -> str | None:
        """The head word of the role the source writes next to the name (see :mod:`.roles`)."""
        doc = sentence.doc
        if doc.id not in self._roles:
            whole = Span(doc.id, 0, len(doc.text))
            self._roles[doc.id] = {(m.entity.start, m.entity.end): m.head for m in find_roles(doc, whole)}
        return self._roles[doc.id].get((named.span.start, named.span.end))

    def _read_people(self, sentence: Sentence) -> list[Named]:
        stated = {p.start for p in self._stated.get(id(sentence), [])}
        found = []
        for entity in sentence.doc.spans("entities"):
            if entity.label != "PERSON" or not sentence.span.contains(entity.start, entity.end):
                continue
            if not sentence.states(entity.start):  # an aside is a claim of its own
                continue
            name = sentence.doc.slice(entity)
            key, tokens = surname(name), _tokens(sentence, entity)
            if key and tokens and not _only_titles(name):
                also = self._by_first_name.get(key, frozenset()) if len(tokens) == 1 else frozenset()
                found.append(Named(entity, key, tokens, source=entity.start not in stated, also=also))
        return found

    def _read_other_words(self, sentence: Sentence) -> list[str]:
        named = {i for p in self.people(sentence) for i in p.tokens}
        offset = sentence.span.data["offset"]
        return [t.lower_ for t in sentence.sent if t.is_alpha and t.i not in named and sentence.states(offset + t.idx)]

    def _read_untagged(self, sentence: Sentence) -> list[Named]:
        sent, offset = sentence.sent, sentence.span.data["offset"]
        tagged = {i for p in self.people(sentence) for i in p.tokens}
        attribution = attribution_tokens(sent)
        found, run = [], []
        for token in [*sent, None]:
            if token is not None and token.i not in tagged and _could_be_name(token) and sentence.states(offset + token.idx):
                run.append(token)
                continue
            if run and len(run) <= MAX_UNTAGGED_WORDS:
                span = Span(sentence.doc.id, offset + run[0].idx, offset + run[-1].idx + len(run[-1].text), "PERSON")
                source = any(t.i in attribution for t in run)
                tokens = range(run[0].i, run[-1].i + 1)
                found.append(Named(span, surname(run[-1].text), tokens, source=source, tagged=False))
            run = []
        return found


def differing_people(
    a: Sentence, b: Sentence, names: EventNames, same_words: float = SAME_WORDS
) -> list[tuple[Named, Named]]:
    """Pairs ``(person of a, person of b)`` standing in the same slot of two sentences that are,
    names aside, at least ``same_words`` alike (:func:`alike`), each with no counterpart in
    the other sentence."""
    alone_a = [p for p in names.people(a) if not names.writes(b, p.keys)]
    alone_b = [p for p in names.people(b) if not names.writes(a, p.keys)]
    if not (alone_a or alone_b) or not alike(names.other_words(a), names.other_words(b), same_words):
        return []
    # a name the model missed counts only against a person it tagged in the other sentence
    if alone_b:
        alone_a += [p for p in names.untagged(a) if not names.writes(b, p.keys)]
    if alone_a:
        alone_b += [p for p in names.untagged(b) if not names.writes(a, p.keys)]
    pairs = []
    for slot in _same_slot(a, alone_a, b, alone_b):
        pa, pb = slot.a, slot.b
        if _one_name(pa, pb) or not (pa.tagged or pb.tagged):
            continue
        if not (pa.tagged and pb.tagged) and not slot.both_sides:
            continue  # capitalised words are taken for a name only where nothing else differs around them
        if pa.source or pb.source:
            role = names.role(a, pa)
            same_role = role is not None and role == names.role(b, pb)
            if not same_role and not (pa.source and pb.source and _one_quotation(a, b)):
                continue  # outlets cite different sources
        pairs.append((pa, pb))
    return pairs


def unaligned_pairs(sentences: list[Sentence], names: EventNames) -> Iterator[tuple[Sentence, Sentence]]:
    """Pairs of ``sentences`` (each in no claim with another) of different documents, at least one
    naming a person, that may be :data:`UNALIGNED_SAME_WORDS` alike: the share of words they
    have in common (in any order, an upper bound of what :func:`alike` measures) is that high."""
    words = {id(s): Counter(names.other_words(s)) for s in sentences}
    sizes = {id(s): len(names.other_words(s)) for s in sentences}
    for i, a in enumerate(sentences):
        for b in sentences[i + 1 :]:
            if a.doc.id == b.doc.id or not (names.people(a) or names.people(b)):
                continue
            total = sizes[id(a)] + sizes[id(b)]
            if total and 2 * min(sizes[id(a)], sizes[id(b)]) >= UNALIGNED_SAME_WORDS * total:
                if 2 * sum((words[id(a)] & words[id(b)]).values()) >= UNALIGNED_SAME_WORDS * total:
                    yield a, b


def acting_subjects(sentence: Sentence) -> set[int]:
    """Token indices of the subjects of verbs of saying that report nothing but act on a thing
    named: an object, and no clause or quotation of what was said ("X announced major changes")."""
    if QUOTATION.search(sentence.text):
        return set()  # "X described the building as a 'total loss'" reports X's words
    acting: set[int] = set()
    for verb in sentence.sent:
        deps = {c.dep_ for c in verb.children}
        if verb.lemma_.lower() in SAY_LEMMAS and "dobj" in deps and not deps & {"ccomp", "parataxis"}:
            for child in verb.children:
                if child.dep_ in ("nsubj", "nsubjpass"):
                    acting.update(t.i for t in child.subtree)
    return acting


def alike(words_a: list[str], words_b: list[str], at_least: float) -> bool:
    """Whether two sentences' words (their people's names set aside) are at least ``at_least``
    the same words in the same order (difflib's ratio, its cheap upper bounds tried first)."""
    matcher = SequenceMatcher(None, words_a, words_b, autojunk=False)
    return matcher.real_quick_ratio() >= at_least and matcher.quick_ratio() >= at_least and matcher.ratio() >= at_least


def _one_name(a: Named, b: Named) -> bool:
    """A surname (or a first name's surname) both share, or one word in the singular and the plural
    ("Oscar" / "Oscars": not a person)."""
    return any(ka == kb or ka + "s" == kb or kb + "s" == ka for ka in a.keys for kb in b.keys)


def _one_quotation(a: Sentence, b: Sentence) -> bool:
    """Whether both sentences quote the same words (one quotation holds the other), at least
    :data:`.quotes.MIN_WORDS` of them."""

    def quotations(sentence: Sentence) -> list[str]:
        found = (" ".join(re.findall(r"\w+", _folded(m.group(1)))) for m in QUOTATION.finditer(sentence.text))
        return [q for q in found if len(q.split()) >= MIN_WORDS]

    return any(f" {qa} " in f" {qb} " or f" {qb} " in f" {qa} " for qa in quotations(a) for qb in quotations(b))


def _only_titles(name: str) -> bool:
    """"Sgt.", "Mr", "Chief Inspector": a title the model tagged as a person, no name in it (a title
    written out alone may be a surname: "King")."""
    words = [w.rstrip(".").lower() for w in name.split()]
    return all(w in NO_NAME_WORDS for w in words) or (
        len(words) > 1 and all(w in TITLE_WORDS or w in NO_NAME_WORDS for w in words)
    )


def _could_be_name(token) -> bool:
    """A capitalised proper noun that may be a name the model missed: no acronym, number, date or title."""
    return (
        token.pos_ == "PROPN"
        and token.text[:1].isupper()
        and not (len(token.text) > 1 and token.text.isupper())  # "A MAN has been charged", "NASA"
        and token.text.replace("'", "").replace("’", "").replace("-", "").isalpha()
        and token.ent_type_ not in NOT_NAMES
        and token.lower_.rstrip(".") not in TITLE_WORDS
    )


def _tokens(sentence: Sentence, span: Span) -> range | None:
    """Indices in the spaCy document of the tokens covering ``span``."""
    offset = sentence.span.data["offset"]
    tokens = sentence.sent.doc.char_span(span.start - offset, span.end - offset, alignment_mode="expand")
    return range(tokens.start, tokens.end) if tokens is not None and len(tokens) else None


def _once(cache: dict[int, T], sentence: Sentence, read: Callable[[Sentence], T]) -> T:
    """``read(sentence)``, read once per sentence of the event."""
    if id(sentence) not in cache:
        cache[id(sentence)] = read(sentence)
    return cache[id(sentence)]


def _folded(text: str) -> str:
    """Lower-case, accents dropped, one apostrophe: "Vendôme" and "Vendome" are written alike."""
    decomposed = unicodedata.normalize("NFKD", text.lower().replace("’", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass(frozen=True)
class _Slot:
    """Two unmatched names the token alignment puts in one place, and what anchors them there."""

    a: Named
    b: Named
    both_sides: bool
    """The tokens right before and right after the names matched."""


def _same_slot(a: Sentence, alone_a: list[Named], b: Sentence, alone_b: list[Named]) -> list[_Slot]:
    """The unmatched people that the token alignment of the two sentences puts in one place: one
    stretch of matching tokens, the name placeholders included, holds both, and beside them in it
    a matched word, or the two play the same part in their sentences ("Varga stopped" / "Olsen halted")."""
    seq_a, at_a = _sequence(a, alone_a)
    seq_b, at_b = _sequence(b, alone_b)
    blocks = SequenceMatcher(None, seq_a, seq_b, autojunk=False).get_matching_blocks()
    partner = {at_a[i + k]: at_b[j + k] for i, j, size in blocks for k in range(size) if isinstance(at_a[i + k], int)}
    slots = []
    for i, j, size in blocks:
        for k in range(size):
            if seq_a[i + k] != PERSON:
                continue
            pa, pb = at_a[i + k], at_b[j + k]
            beside = [seq_a[i + k + step] for step in (-1, 1) if 0 <= k + step < size]
            if any(_is_word(item) for item in beside) or _same_part(a, pa, b, pb, partner):
                slots.append(_Slot(pa, pb, both_sides=0 < k < size - 1))
    return slots


def _is_word(item: str) -> bool:
    return item not in (PERSON, BOUNDARY) and any(c.isalpha() for c in item)


def _same_part(a: Sentence, pa: Named, b: Sentence, pb: Named, partner: dict[int, object]) -> bool:
    """Whether two names hang off their sentences by the same chain of dependencies up to tokens
    the alignment matched (``partner``: token of a -> what stands against it in b), or up to each
    sentence's root: the subject of the main verb in both, the object of the matched verb.
    A name in apposition stands for its phrase ("his sister, Ilka Brandt")."""
    token_a, token_b = _name_root(a, pa), _name_root(b, pb)
    for _ in range(MAX_DEPENDENCY_STEPS):
        if token_a.dep_ != token_b.dep_:
            return False
        if token_a.dep_ == "ROOT":
            return True
        token_a, token_b = token_a.head, token_b.head
        if partner.get(token_a.i) == token_b.i:
            return True
    return False


def _name_root(sentence: Sentence, named: Named):
    """The token of the name that the rest of the sentence attaches to; for a name in apposition,
    the head of its phrase."""
    doc = sentence.sent.doc
    attached = (doc[i] for i in named.tokens if doc[i].head.i not in named.tokens or doc[i].head.i == i)
    root = next(attached, doc[named.tokens[-1]])
    return root.head if root.dep_ == "appos" else root


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

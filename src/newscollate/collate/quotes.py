"""Quotations and their speakers (whether outlets quote the same words: :mod:`.statements`).

A quotation is text between quotation marks within a paragraph (an unclosed
quotation runs to the paragraph's end, as a quote continued in the next
paragraph does).  Its speaker is the subject of a verb of saying in the
sentence around it ("X said", "said X", "according to X", and the small
model's misreadings of "..., stated the official" and "A man stated, ...");
a pronoun subject resolves to the last person named before it, and a role
("the minister said") to the person of the document the sources give that
role (see :mod:`.roles`).  A quotation standing as sentences of its own takes
the speaker of the sentence before it in its paragraph.  Short quoted phrases
with no speaker are scare quotes, not quotations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Document, Span
from ..nlp import RELABELLED_AS_PERSON
from .roles import RoleMention, find_roles, role_word
from .statements import Statement, group_quotes, speaker_key

__all__ = ["Quote", "Statement", "find_quotes", "group_quotes", "speaker_key"]

SAY_LEMMAS = {
    "say", "state", "tell", "add", "note", "stress", "emphasize", "emphasise", "announce", "declare", "write",
    "explain", "insist", "warn", "confirm", "argue", "claim", "remark", "comment", "reply", "respond", "ask",
    "continue", "conclude", "acknowledge", "admit", "recall", "suggest", "describe", "call", "quote",
    "yell", "shout", "scream", "exclaim", "whisper",
}
ADDRESSED_LEMMAS = {"tell", "ask", "call", "describe", "quote"}
"""Verbs of saying whose object is whom or what is spoken to or of ("told reporters"), never the speaker."""
PRONOUNS = {"he", "she", "they", "i", "we"}
UNTYPED_PERSON_TYPES = {""} | (RELABELLED_AS_PERSON - {"ORG", "FAC"})
"""Entity types the small model gives a person's name it does not know ("Ines Calder"
as a PRODUCT); organisations and buildings are left out, being subjects in their own right."""
QUOTE_PAIRS = re.compile(r"“([^”\n]+)(?:”|$)|\"([^\"\n]+)(?:\"|$)|«([^»\n]+)(?:»|$)|‘([^’\n]{12,})’", re.MULTILINE)
PRONOUN_READING = "pronoun"
"""Key of a speaker span's ``data`` set when the name was found for a pronoun."""
MIN_WORDS_WITHOUT_SPEAKER = 6
MIN_WORDS = 3


@dataclass
class Quote:
    doc: Document
    span: Span
    """The quoted words, without the quotation marks."""
    speaker: Span | None
    """Where the speaker's name is written (a pronoun or a role already resolved to a
    name), else the role phrase the source attributes the quotation to."""

    @property
    def text(self) -> str:
        return self.doc.slice(self.span)

    @property
    def speaker_from_pronoun(self) -> bool:
        """The source says "he said": the name is the person this collation takes "he" to mean."""
        return bool(self.speaker and self.speaker.data.get(PRONOUN_READING))

    def names_before(self, surnames: set[str]) -> bool:
        """Whether the document writes one of ``surnames`` (lower case) before the quotation."""
        before = self.doc.text[: self.span.start].lower()
        return any(re.search(rf"(?<!\w){re.escape(name)}(?!\w)", before) for name in surnames)

    @property
    def speaker_name(self) -> str | None:
        return self.doc.slice(self.speaker) if self.speaker else None


def find_quotes(doc: Document, segment: Span) -> list[Quote]:
    """Quotations inside the kept paragraphs of one story segment."""
    sentences = [s for s in doc.spans("sentences") if segment.contains(s.start, s.end)]
    roles = find_roles(doc, segment)
    # a title the model took into a name ("Sergeant Ivo Brandt") is not part of the speaker's name
    names = {m.entity: m.name for m in roles}
    persons = [
        names.get(e, e) for e in doc.spans("entities") if e.label == "PERSON" and segment.contains(e.start, e.end)
    ]
    context = _Context(doc, segment, sentences, persons, roles)
    quotes: list[Quote] = []
    for para in doc.spans("paragraphs"):
        if not segment.contains(para.start, para.end):
            continue
        text = doc.slice(para)
        for m in QUOTE_PAIRS.finditer(text):
            group = next(i for i in range(1, 5) if m.group(i) is not None)
            start, end = para.start + m.start(group), para.start + m.end(group)
            start, end = _trim_quote(doc.text, start, end)
            words = len(doc.text[start:end].split())
            if words < MIN_WORDS:
                continue
            speaker = _speaker(context, start, end, para)
            if speaker is None and quotes and (quotes[-1].span.start >= para.start or _continues(doc, quotes[-1], start)):
                speaker = quotes[-1].speaker
            if speaker is None and words < MIN_WORDS_WITHOUT_SPEAKER:
                continue
            quotes.append(Quote(doc, Span(doc.id, start, end, "quote"), speaker))
    return quotes


def _trim_quote(text: str, start: int, end: int) -> tuple[int, int]:
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;"):
        end -= 1
    while start < end and text[start].isspace():
        start += 1
    return start, end


def _continues(doc: Document, previous: Quote, start: int) -> bool:
    """A quotation opening the paragraph after another's, with nothing but quotation
    marks and space between: the convention for a quote that goes on."""
    between = doc.text[previous.span.end : start]
    return len(between) <= 6 and not any(c.isalpha() for c in between)


@dataclass
class _Context:
    """What speaker resolution needs from one story segment."""

    doc: Document
    segment: Span
    sentences: list[Span]
    persons: list[Span]
    roles: list[RoleMention]


def _speaker(context: _Context, start: int, end: int, paragraph: Span) -> Span | None:
    """Who the sentences around the quotation say spoke it.  A quotation that is
    sentences of its own, with no verb of saying, is the speaker's of the sentence
    before it in the paragraph ("X told the council the work was on schedule.
    "The bridge will reopen in spring.""), the order reporters write it in."""
    around = [s for s in context.sentences if s.start < end and start < s.end]
    for sentence in around:
        attributed, speaker = _sentence_speaker(context, sentence, start, end)
        if attributed:
            return speaker
    if not around or any(c.isalnum() for c in context.doc.text[around[0].start : start]):
        return None
    before = [s for s in context.sentences if paragraph.start <= s.start and s.end <= around[0].start]
    return _sentence_speaker(context, before[-1], start, end)[1] if before else None


def _sentence_speaker(context: _Context, sentence: Span, start: int, end: int) -> tuple[bool, Span | None]:
    """``(whether a verb of saying of the sentence has a subject outside the
    quotation start:end, the speaker that subject names)``."""
    doc, sentences, persons = context.doc, context.sentences, context.persons
    sent, offset = sentence.data["sent"], sentence.data["offset"]
    verbs = [t for t in sent if _is_say(t) and not start <= offset + t.idx < end]
    verbs.sort(key=lambda t: min(abs(offset + t.idx - start), abs(offset + t.idx - end)))
    for verb in verbs:
        subject = _subject(verb)
        if subject is None or start <= offset + subject.idx < end:
            continue
        if subject.lower_ in PRONOUNS:
            # the quotation itself names people too; the pronoun's person comes before it
            person = _last_subject_before(doc, sentences, persons, min(start, offset + subject.idx))
            if person is None:
                return True, None
            person = _fullest(doc, persons, person)
            # a copy (the entity's span is shared) that says the name is the collation's reading
            return True, Span(person.doc, person.start, person.end, person.label, {PRONOUN_READING: True})
        phrase = _phrase(subject, offset, doc.id)
        named = _named(doc, persons, phrase)
        if named is not phrase:
            return True, named
        # "the company's chief executive, Ada Brelk, said": the name is the subject's appositive
        for child in subject.children:
            inside = [p for p in persons if child.dep_ == "appos" and p.start <= offset + child.idx < p.end]
            if inside:
                return True, _fullest(doc, persons, inside[0])
        # a singular common noun; the small model tags some lower-case roles as proper nouns ("prime minister")
        if subject.tag_ == "NN" or (subject.tag_ == "NNP" and not subject.ent_type_):
            person = _holder_of_role(context, subject, min(start, phrase.start))
            if person:
                return True, person
        return True, phrase
    return False, None


def _holder_of_role(context: _Context, subject, position: int) -> Span | None:
    """The person a role subject ("the minister", "a police spokesman") refers to.

    Candidates are the people (and organisations: "the carmaker said") whose role,
    as some sentence of the document writes it, has the same head noun; those
    whose role also has the phrase's other words ("prime" of "the prime
    minister") are preferred.  Of these, the one named last before the
    quotation, else the only one in the document.  "A minister" is not one
    named before (a reporter would write "the minister"): an indefinite role
    only finds a person the document names after the quotation.
    """
    doc = context.doc
    head = role_word(subject.text)
    modifiers = {role_word(t.text) for t in subject.lefts if t.dep_ in ("amod", "compound", "nmod")}
    matches = [m for m in context.roles if m.head == head]
    closer = [m for m in matches if modifiers <= set(m.words)]
    # one person per surname (an organisation: per last word) as the document writes it
    holders = {doc.slice(m.name).split()[-1]: m.name for m in (closer or matches)}
    if not holders:
        return None
    before = doc.text[context.segment.start : position]
    # the last place each name is written, tagged by the model or not ("Farran left early.")
    last_named = {
        surname: max((m.start() for m in re.finditer(rf"(?<!\w){re.escape(surname)}(?!\w)", before)), default=-1)
        for surname in holders
    }
    indefinite = any(t.dep_ == "det" and t.lower_ in ("a", "an") for t in subject.lefts)
    if indefinite:
        later = [surname for surname, at in last_named.items() if at < 0]
        return _fullest(doc, context.persons, holders[later[0]]) if len(later) == 1 else None
    surname = max(last_named, key=last_named.get)
    if last_named[surname] < 0:
        if len(holders) > 1:
            return None
        [surname] = holders
    return _fullest(doc, context.persons, holders[surname])


def _is_say(token) -> bool:
    return (token.pos_ == "VERB" and token.lemma_.lower() in SAY_LEMMAS) or (
        token.lower_ == "according" and any(c.lower_ == "to" for c in token.children)
    )


def _subject(verb):
    if verb.lower_ == "according":
        for to in verb.children:
            for obj in to.children:
                if obj.dep_ == "pobj":
                    return obj
        return None
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass"):
            # "engineer X, who added that ...": the speaker is the relative clause's antecedent
            if child.tag_ in ("WP", "WDT") and verb.dep_ == "relcl":
                return verb.head
            return child
    if verb.dep_ == "conj":  # "who followed her in and yelled": the first verb's subject
        return _subject(verb.head)
    # the small model's readings of two common orders: "..., stated the official" (the speaker
    # as the verb's object) and "An elderly man stated simply, ..." (the verb as the noun's
    # modifier; not "a letter written by X")
    if verb.lemma_.lower() not in ADDRESSED_LEMMAS:
        for child in verb.rights:
            if child.dep_ in ("dobj", "attr") and child.pos_ in ("NOUN", "PROPN"):
                return child
    head = verb.head
    if verb.dep_ == "acl" and verb.i == head.i + 1 and head.pos_ in ("NOUN", "PROPN"):
        if not any(c.dep_ == "agent" for c in verb.children):
            return head
    return None


def _phrase(head, offset: int, doc_id: str) -> Span:
    """The head noun with its name parts, titles, adjectives and possessor:
    "Foreign Minister X", "the company's spokeswoman" (the head's own article left out)."""
    keep = {"compound", "amod", "flat", "det", "poss", "nmod", "case"}
    doc, left = head.doc, head.i
    while left > 0:
        token = doc[left - 1]
        # attached to the words already taken, or the "'s" of the possessor before it
        attached = left <= token.head.i <= head.i or (token.dep_ == "case" and token.head.i == token.i - 1)
        if not attached or token.dep_ not in keep:
            break
        left -= 1
    if doc[left].dep_ == "det" and doc[left].head.i == head.i and left < head.i:
        left += 1
    first = doc[left]
    return Span(doc_id, offset + first.idx, offset + head.idx + len(head.text), "speaker")


def _named(doc: Document, persons: list[Span], phrase: Span) -> Span:
    """A speaker phrase that names a person becomes the fullest form of that name."""
    inside = [p for p in persons if phrase.start <= p.start and p.end <= phrase.end]
    return _fullest(doc, persons, inside[-1]) if inside else phrase


def _last_subject_before(doc: Document, sentences: list[Span], persons: list[Span], position: int) -> Span | None:
    """The person a pronoun most likely means: the last person named before it.
    A proper-noun subject the model left without an entity type ("Lisgard
    said"), or took for a product or the like, counts as a named person too;
    so does one of any type that is the surname of a person the document names
    (the model tags one word differently from one sentence to the next)."""
    candidates = [p for p in persons if p.end <= position]
    surnames = {doc.slice(p).split()[-1] for p in persons}
    for sentence in sentences:
        if sentence.start >= position:
            break
        offset = sentence.data["offset"]
        for token in sentence.data["sent"]:
            start = offset + token.idx
            if (
                token.dep_ in ("nsubj", "nsubjpass")
                and token.pos_ == "PROPN"
                and (token.ent_type_ in UNTYPED_PERSON_TYPES or token.text in surnames)
                and start < position
            ):
                candidates.append(_phrase(token, offset, doc.id))
    return max(candidates, key=lambda p: p.end, default=None)


def _fullest(doc: Document, persons: list[Span], person: Span) -> Span:
    surname = doc.slice(person).split()[-1]
    same = [p for p in persons if doc.slice(p).split()[-1] == surname]
    return max([person, *same], key=lambda p: (len(doc.slice(p).split()), -p.start))

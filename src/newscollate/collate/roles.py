"""Roles and titles the articles attach to names.

Reporters say who someone is right next to the name: a title before it
("Foreign Minister Tavish Orrin", "Sergeant Ivo Brandt"), a lower-case role
before it ("striker Lena Holt", "the carmaker Velora"), or an appositive
after or before it ("Orrin, Merovia's foreign minister, said",
"the company's chief executive, Ada Brelk").  :func:`find_roles` reads these
from spaCy's dependency parse of each sentence and returns each role as a span
of the source, so that whatever shows a role can point at where it was written.

Only common nouns, and capitalised words that are titles (:data:`TITLE_WORDS`),
head a role: a proper noun before a name is usually part of the name the
model cut short ("Tavish" of "Tavish Orrin"), and an honorific ("Mr") is not
a role.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Document, Span

ROLE_TYPES = {"PERSON", "ORG"}
"""Entity types a role is read for: people, and organisations described by what
they are ("the carmaker Velora").  Places are left out: the small model tags too
few of them for an appositive to be told from a list of places."""

TITLE_WORDS = {
    "minister", "president", "premier", "chancellor", "secretary", "senator", "sen", "representative", "rep",
    "congressman", "congresswoman", "governor", "gov", "mayor", "councillor", "councilor", "ambassador", "envoy",
    "commissioner", "speaker", "judge", "justice", "magistrate", "prosecutor", "attorney", "sheriff",
    "general", "gen", "admiral", "colonel", "col", "major", "maj", "captain", "capt", "lieutenant", "lt",
    "sergeant", "sgt", "corporal", "cpl", "commander", "officer", "constable", "detective", "det", "inspector",
    "superintendent", "supt", "chief", "director", "chairman", "chairwoman", "chairperson", "chair", "executive",
    "ceo", "founder", "professor", "prof", "doctor", "dr", "dean", "king", "queen", "prince", "princess",
    "emperor", "pope", "bishop", "archbishop", "cardinal", "rabbi", "imam", "reverend", "rev", "father",
    "coach", "manager", "striker", "goalkeeper", "defender", "midfielder", "skipper",
}  # fmt: skip
"""Capitalised words that make the words before a name a title ("Health Secretary X").
A capitalised word not listed here before a name is read as part of the name."""

PRE_NAME_DEPS = {"compound", "amod", "nmod", "poss", "case", "nummod", "flat"}
"""Dependencies of the words a title or a role before a name is made of."""
CLAUSE_DEPS = {"relcl", "acl", "advcl", "appos", "ccomp", "xcomp", "parataxis"}
"""Where an appositive role ends: "a former nurse | who founded the firm"."""
MAX_ROLE_TOKENS = 12
"""A longer appositive is a description, not a role; only its head phrase is kept."""


@dataclass(frozen=True)
class RoleMention:
    """A role written next to one mention of a name."""

    entity: Span
    """The entity span as the model tagged it."""
    name: Span
    """The name: the entity span, less a title the model took into it ("Sergeant Ivo Brandt")."""
    role: Span
    """The role as written, without a leading article: "Merovia's foreign minister"."""
    words: tuple[str, ...]
    """The role's words, lower-case and with gendered forms folded (see :func:`role_word`)."""
    head: str
    """The role's head noun, folded like ``words``: "minister"."""


def find_roles(doc: Document, segment: Span) -> list[RoleMention]:
    """Roles written next to the people and organisations of one story segment."""
    entities = [e for e in doc.spans("entities") if e.label in ROLE_TYPES and segment.contains(e.start, e.end)]
    found: dict[tuple[int, int, int, int], RoleMention] = {}
    for sentence in doc.spans("sentences"):
        inside = [e for e in entities if sentence.contains(e.start, e.end)]
        if not inside or not segment.contains(sentence.start, sentence.end):
            continue
        sent, offset = sentence.data["sent"], sentence.data["offset"]
        for entity in inside:
            tokens = sent.doc.char_span(entity.start - offset, entity.end - offset, alignment_mode="expand")
            if tokens is None or len(tokens) == 0:
                continue
            name, title = _split_title(tokens, entity.label)
            name_span = _span(doc, offset, name, entity.label)
            for role in ([title] if title else []) + list(_written_roles(name, sent)):
                mention = _mention(doc, offset, entity, name_span, role)
                if mention:
                    found.setdefault((name_span.start, name_span.end, mention.role.start, mention.role.end), mention)
    return sorted(found.values(), key=lambda m: (m.name.start, m.role.start))


def role_word(word: str) -> str:
    """A role word for matching: lower-case, without a final dot, and with "-woman"
    and "-person" folded into "-man", so "the spokeswoman" finds "a spokesman"."""
    word = word.lower().rstrip(".").replace("’", "'")
    return re.sub(r"(?<=\w{3})(woman|person)$", "man", word)


def _split_title(tokens, label: str):
    """``(name tokens, title tokens or None)``: the model sometimes takes a title
    into a person's entity ("Sergeant Ivo Brandt").  Only cut when two name words
    remain, since titles are also first names and surnames ("Dean Holt")."""
    if label != "PERSON":
        return tokens, None
    last_title = max((t.i for t in tokens[:-2] if _is_title(t)), default=None)
    if last_title is None or not all(t.text[:1].isupper() for t in tokens if t.i <= last_title):
        return tokens, None
    cut = last_title + 1 - tokens.start
    return tokens[cut:], tokens[:cut]


def _written_roles(name, sent):
    """Token spans of the roles written around the name tokens ``name``."""
    root = name.root
    doc = sent.doc
    before = _pre_name(name, sent)
    if before is not None:
        yield before
    for child in root.children:
        # "Orrin, Merovia's foreign minister," / "Brelk, 52, a former nurse"
        if child.dep_ == "appos" and child.i > root.i and _heads_role(child) and not _starts_clause(child):
            yield _appositive(child, sent)
    if root.dep_ == "appos" and root.head.i < name.start and _heads_role(root.head):
        # "the company's chief executive, Ada Brelk": the role comes first and the name is its appositive
        head = root.head
        start = _after_last_punct(doc, head.left_edge.i, head.i)
        end = head.i
        for t in doc[head.i + 1 : name.start]:
            if _is_boundary(t) or _in_clause(t, head):
                break
            end = t.i
        yield doc[start : end + 1]


def _pre_name(name, sent):
    """Title or role words right before the name and attached to it: "Foreign
    Minister", "striker", "the company's chief executive" (without a comma)."""
    doc = sent.doc
    start = name.start
    while start > sent.start:
        token = doc[start - 1]
        # attached to the words already taken or the name, or the "'s" of a possessor before it
        attached = start <= token.head.i < name.end or (token.dep_ == "case" and token.head.i == token.i - 1)
        possessor_article = token.dep_ == "det" and token.head.dep_ == "poss"
        if token.is_punct or not attached or not (token.dep_ in PRE_NAME_DEPS or possessor_article):
            break
        if token.tag_ in ("VBN", "VBD"):
            # "the newly elected Prime Minister X": what happened to the person, not the role
            # (other verb forms are titles the model misreads: "Managing director", "Harbour master")
            break
        start -= 1
    if start == name.start or not _heads_role(doc[name.start - 1]):
        return None
    return doc[start : name.start]


def _appositive(head, sent):
    """The appositive's words up to its first comma or clause, at most
    :data:`MAX_ROLE_TOKENS` (else the head with the words before it)."""
    doc = sent.doc
    start = _after_last_punct(doc, head.left_edge.i, head.i)
    end = head.i
    previous = doc[head.i - 1] if head.i > start else None
    if head.lower_.endswith("ing") and list(head.rights) and previous is not None and previous.pos_ == "NOUN":
        # "a Brisk Line vessel sailing in from Ostmark": the model took the participle
        # for the head noun; the role ends with the noun before it
        return doc[start : head.i]
    for t in doc[head.i + 1 : head.right_edge.i + 1]:
        if _is_boundary(t) or _in_clause(t, head):
            break
        end = t.i
    if end + 1 - start > MAX_ROLE_TOKENS:
        end = head.i
    return doc[start : end + 1]


def _starts_clause(head) -> bool:
    """Whether a seeming appositive is the subject of a clause of its own: "taken to
    St. Ives Hospital, the ambulance service confirmed" has a finite verb with no
    relative pronoun ("a nurse who founded ...") where an appositive would end."""
    return any(
        child.dep_ in ("acl", "relcl")
        and child.tag_ in ("VBD", "VBZ", "VBP")
        and not any(w.tag_ in ("WDT", "WP", "WP$") for w in child.children)
        for child in head.rights
    )


def _is_boundary(token) -> bool:
    """Punctuation that ends a phrase; not a hyphen inside a word ("34-year-old", "four-vessel")."""
    if not token.is_punct:
        return False
    glued = token.i > 0 and not token.doc[token.i - 1].whitespace_ and not token.whitespace_
    return not (glued and token.text in "-‐‑")


def _after_last_punct(doc, start: int, end: int) -> int:
    for i in range(end, start - 1, -1):
        if _is_boundary(doc[i]):
            return i + 1
    return start


def _in_clause(token, head) -> bool:
    """Whether ``token`` belongs to a clause or a second appositive hanging off ``head``'s phrase."""
    while token.i != head.i and token.head.i != token.i:
        if token.dep_ in CLAUSE_DEPS or token.dep_ == "cc" and token.head.i == head.i:
            return True
        token = token.head
    return False


def _heads_role(token) -> bool:
    """A common noun, or a capitalised title word; never a name, number or honorific."""
    if token.ent_type_ in ("PERSON", "GPE", "DATE", "CARDINAL", "ORDINAL", "QUANTITY", "MONEY"):
        return False
    return token.pos_ == "NOUN" or (token.pos_ == "PROPN" and _is_title(token))


def _is_title(token) -> bool:
    return token.text.lower().rstrip(".") in TITLE_WORDS


def _mention(doc: Document, offset: int, entity: Span, name: Span, tokens) -> RoleMention | None:
    # a leading article belongs to the sentence, not to the role: "a former nurse" -> "former nurse"
    while len(tokens) and tokens[0].dep_ == "det" and tokens[0].head.dep_ != "poss":
        tokens = tokens[1:]
    if not len(tokens):
        return None
    head = tokens.root
    words = tuple(role_word(t.text) for t in tokens if any(c.isalnum() for c in t.text))
    return RoleMention(entity, name, _span(doc, offset, tokens, "role"), words, role_word(head.text))


def _span(doc: Document, offset: int, tokens, label: str) -> Span:
    start = offset + tokens[0].idx
    end = offset + tokens[-1].idx + len(tokens[-1].text)
    return Span(doc.id, start, end, label)

"""Entities of an event: people, organisations and places with mention counts.

Mentions are merged when they name the same thing: a person's surname alone
("Motegi") joins the full name ("Toshimitsu Motegi") when exactly one full
name in the event ends with it, and an acronym joins the
name it abbreviates ("US" and "United States", "APEC").  The name shown is the
fullest form a source wrote.

Each entity also carries the roles the sources give it ("Foreign Minister",
"the company's chief executive", "carmaker"; see :mod:`.roles`), every one a
span of a source, gathered over all the mentions merged into it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import Document, Span
from .roles import find_roles

TYPES = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT"}


@dataclass
class Role:
    """One role a source gives an entity, and every place a source writes it."""

    text: str
    """The role as the first of ``support`` writes it."""
    support: list[Span]


@dataclass
class Entity:
    name: str
    type: str
    mentions: int
    roles: list[Role] = field(default_factory=list)
    """Distinct roles (same words, ignoring case), given by most documents first."""


def collect_entities(docs: dict[str, Document], segments: list[Span]) -> list[Entity]:
    groups: dict[tuple[str, str], list[Span]] = {}
    roles: dict[tuple[str, int, int], list[Span]] = {}
    for seg in segments:
        doc = docs[seg.doc]
        # a title the model took into the name ("Sergeant Ivo Brandt") is a role, not part of the name
        names: dict[Span, Span] = {}
        for mention in find_roles(doc, seg):
            names[mention.entity] = mention.name
            roles.setdefault((doc.id, mention.name.start, mention.name.end), []).append(mention.role)
        for ent in doc.spans("entities"):
            if ent.label in TYPES and seg.contains(ent.start, ent.end):
                mention = names.get(ent, ent)
                name = _clean(doc.slice(mention))
                if name:
                    groups.setdefault((ent.label, _key(name, ent.label)), []).append(mention)
    _merge_surnames(groups)
    _merge_aliases(groups)
    entities = []
    for (label, _), mentions in groups.items():
        names = [_clean(docs[m.doc].slice(m)) for m in mentions]
        name = max(names, key=lambda n: (len(n.split()), names.count(n)))
        written = [role for m in mentions for role in roles.get((m.doc, m.start, m.end), [])]
        entities.append(Entity(name, label, len(mentions), _distinct_roles(docs, written)))
    return sorted(entities, key=lambda e: (-e.mentions, e.name))


def _distinct_roles(docs: dict[str, Document], written: list[Span]) -> list[Role]:
    """Roles with the same words (case and a leading article aside) merged; the text
    shown is the form most often written, and roles given by more documents come first."""
    by_key: dict[str, list[Span]] = {}
    for span in written:
        by_key.setdefault(_role_key(docs[span.doc].slice(span)), []).append(span)
    roles = []
    for spans in by_key.values():
        forms = [docs[s.doc].slice(s) for s in spans]
        best = max(range(len(spans)), key=lambda i: (forms.count(forms[i]), -i))
        support = [spans[best]] + [s for i, s in enumerate(spans) if i != best]
        roles.append(Role(forms[best], support))
    roles.sort(key=lambda r: (-len({s.doc for s in r.support}), -len(r.support)))
    return roles


def _role_key(text: str) -> str:
    """Same words, case, a leading article and abbreviation dots aside ("U.S. President", "US president")."""
    text = re.sub(r"^(the|a|an)\s+", "", text.strip(), flags=re.IGNORECASE)
    return " ".join(re.findall(r"[\w']+", text.replace("’", "'").replace(".", "").lower()))


def _clean(name: str) -> str:
    name = re.sub(r"^(the|The)\s+", "", name.strip())
    return re.sub(r"[’']s$", "", name)


def _key(name: str, label: str) -> str:
    return " ".join(re.findall(r"\w+", name.replace(".", "").lower()))


def _merge_surnames(groups: dict[tuple[str, str], list[str]]) -> None:
    """Fold a bare surname into the one full name ending with it; two people
    sharing a surname ("Anna X", "Piotr X") leave the bare surname on its own."""
    for label, key in [k for k in groups if k[0] == "PERSON" and " " not in k[1]]:
        full = [k for k in groups if k[0] == "PERSON" and " " in k[1] and k[1].split()[-1] == key]
        if len(full) == 1:
            groups[full[0]].extend(groups.pop((label, key)))


def _initials(key: str) -> str:
    return "".join(w[0] for w in re.split(r"[\s-]+", key) if w)


def _merge_aliases(groups: dict[tuple[str, str], list[str]]) -> None:
    """Fold acronym groups ("us") into the group they abbreviate ("united states")."""
    for label, key in list(groups):
        if " " in key or len(key) < 2:
            continue
        for other_label, other in list(groups):
            if other != key and " " in other and _initials(other) == key and (label, key) in groups:
                target = (other_label, other)
                groups[target].extend(groups.pop((label, key)))
                break

"""Entities of an event: people, organisations and places with mention counts.

Mentions are merged when they name the same thing: a person's surname alone
("Motegi") joins the full name ("Toshimitsu Motegi") when exactly one full
name in the event ends with it, and an acronym joins the
name it abbreviates ("US" and "United States", "APEC").  The name shown is the
fullest form a source wrote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Document, Span

TYPES = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT"}


@dataclass
class Entity:
    name: str
    type: str
    mentions: int


def collect_entities(docs: dict[str, Document], segments: list[Span]) -> list[Entity]:
    groups: dict[tuple[str, str], list[str]] = {}
    for seg in segments:
        doc = docs[seg.doc]
        for ent in doc.spans("entities"):
            if ent.label in TYPES and seg.contains(ent.start, ent.end):
                name = _clean(doc.slice(ent))
                if name:
                    groups.setdefault((ent.label, _key(name, ent.label)), []).append(name)
    _merge_surnames(groups)
    _merge_aliases(groups)
    entities = [Entity(max(names, key=lambda n: (len(n.split()), names.count(n))), label, len(names)) for (label, _), names in groups.items()]
    return sorted(entities, key=lambda e: (-e.mentions, e.name))


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

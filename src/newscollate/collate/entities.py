"""Entities of an event: people, organisations and places with mention counts.

Mentions are merged when they name the same thing: a person's surname alone
("Motegi") joins the full name ("Toshimitsu Motegi"), and an acronym joins the
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
    _merge_aliases(groups)
    entities = [Entity(max(names, key=lambda n: (len(n.split()), names.count(n))), label, len(names)) for (label, _), names in groups.items()]
    return sorted(entities, key=lambda e: (-e.mentions, e.name))


def _clean(name: str) -> str:
    name = re.sub(r"^(the|The)\s+", "", name.strip())
    return re.sub(r"[’']s$", "", name)


def _key(name: str, label: str) -> str:
    words = re.findall(r"\w+", name.replace(".", "").lower())
    if label == "PERSON" and words:
        return words[-1]
    return " ".join(words)


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

"""Timeline: the dated statements of an event, in date order.

Each entry is a claim's sentence with one date expression in it, resolved
against the publication date of the document that wrote it.  The same claim
dated the same way by several outlets is one entry with several supports.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ..model import Span
from .claims import Claim
from .dates import DateMention


@dataclass
class TimelineEntry:
    value: str | None
    expression: str
    reference: date | None
    text: str
    support: list[Span] = field(default_factory=list)

    @property
    def resolved(self) -> bool:
        return self.value is not None


def build_timeline(claims: list[Claim], dates: dict[int, list[DateMention]]) -> list[TimelineEntry]:
    entries: dict[tuple, TimelineEntry] = {}
    for index, claim in enumerate(claims):
        for sentence in claim.sentences:
            for mention in dates[id(sentence)]:
                key = (index, mention.value or mention.expression.lower())
                entry = entries.get(key)
                if entry is None:
                    entry = entries[key] = TimelineEntry(
                        mention.value, mention.expression, sentence.doc.meta.published, sentence.text
                    )
                entry.support.append(sentence.span)
    return sorted(entries.values(), key=_order)


def _order(entry: TimelineEntry) -> tuple:
    """Entries with a known year by the first day they cover; the rest after them."""
    first = first_day(entry.value) if entry.value else None
    return (0, first, entry.expression) if first else (1, entry.value or "~", entry.expression)


def first_day(value: str) -> date | None:
    """The first day an ISO date, week, month or year covers; None without a year."""
    if value.startswith("--"):
        return None
    if "-W" in value:
        year, week = value.split("-W")
        return date.fromisocalendar(int(year), int(week), 1)
    parts = [int(p) for p in value.split("-")]
    return date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)

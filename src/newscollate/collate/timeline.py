"""Timeline: the dated statements of an event, in date order.

Each entry is a claim's sentence with one date expression in it, resolved
against the publication date of the document that wrote it (``reference``), the
expression kept as written.  A stretch of days ("October 27 to 29", "Monday and
the following day") is one entry from its first day (``value``) to its last
(``end``).  The same claim dated the same way by several outlets is one entry
with several supports.  Dates of the reporting ("said on Tuesday") stay in: they
are when the news was told.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ..model import Span
from .claims import Claim
from .date_ranges import first_day
from .dates import DateMention


@dataclass
class TimelineEntry:
    value: str | None
    """ISO date (the first day of a stretch), None when unresolved."""
    expression: str
    """The date words as the first supporting sentence writes them."""
    reference: date | None
    """The publication date the expression was resolved against."""
    text: str
    support: list[Span] = field(default_factory=list)
    end: str | None = None
    """ISO last day of a stretch of days; None for a single day, week, month or year."""

    @property
    def resolved(self) -> bool:
        return self.value is not None


def build_timeline(claims: list[Claim], dates: dict[int, list[DateMention]]) -> list[TimelineEntry]:
    entries: dict[tuple, TimelineEntry] = {}
    for index, claim in enumerate(claims):
        for sentence in claim.sentences:
            for mention in dates[id(sentence)]:
                key = (index, mention.value or mention.expression.lower(), mention.end_value)
                entry = entries.get(key)
                if entry is None:
                    entry = entries[key] = TimelineEntry(
                        mention.value, mention.expression, sentence.doc.meta.published, sentence.text,
                        end=mention.end_value,
                    )
                entry.support.append(sentence.span)
    return sorted(entries.values(), key=_order)


def _order(entry: TimelineEntry) -> tuple:
    """Entries with a known year by the first day they cover (a day before the stretch it
    starts); the rest after them."""
    first = first_day(entry.value) if entry.value else None
    if first:
        return (0, first, entry.end or "", entry.expression)
    return (1, entry.value or "~", entry.end or "", entry.expression)

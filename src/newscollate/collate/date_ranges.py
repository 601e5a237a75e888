"""Several days as one date, and whether two outlets' dates of one fact disagree.

Joining (for :func:`.dates.find_dates`): "Tuesday, October 27" is one mention,
the date with its weekday as written; a day counted from the date written just
before it in the sentence ("arrive on Monday and depart the following day",
"two days later", "the day before") makes that date a stretch of days.

Comparing: two outlets date a fact in whatever terms they have: a resolved day
or stretch of days, a date without a year (``--10-27``, no publication date to
take it from), a bare weekday (no publication date to count it from), a week.
Each pair is compared on the most precise footing both share:

- both days known, with their years (written, or counted from the publication
  date: "on Monday", "yesterday"): the days themselves;
- else both months and days known: the dates on the calendar (a year that is
  neither written nor counted, "October 27" taken to be of the publication
  date's year, is a guess that may be years off);
- else both weekdays known: the day of the week ("Tuesday" against "October 27"
  of a known year, a Tuesday; the week itself is unknown, so two weekdays agree
  when any week makes them agree);
- else nothing about the start: only two stretches of several days can still
  differ, in length ("October 27 to 29", three days, against "Monday and the
  following day", two).

A bare weekday ("on Monday") is placed before or after the publication date by
the tense of its clause, the least reliable step: between documents published
the same day, it also agrees with the day a week off, where the other tense
would have put it ("expected on Monday" read as past in one wording and as
future in another).  Between documents published on different days the days
count as resolved: "Thursday" written a week apart is two Thursdays.

The days named agree when they are the same, or when one outlet gives a single
day that is one of the other's (a day of a longer visit).  A week, or days
given as alternatives ("Monday or Wednesday"), disagree only with days outside
them.  Months and years compare by value, a month by its month alone when
either year is a guess ("in June" of an old story).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # dates imports this module to join its mentions
    from .dates import DateMention

LEAP_YEAR = 2000
"""Calendar arithmetic on dates without a year ("October 27 to 29" is three
days) uses a leap year, so that February 29 exists."""

SUBJECTS = ("day", "weekday", "duration", "month", "year")
"""What a disagreement is about, most telling first: ``day`` (the fact put on
different days), ``weekday`` (different days of the week, or a weekday that does
not fall on the date written with it), ``duration`` (stretches of days of
different lengths), ``month``, ``year``."""

# --- joining ------------------------------------------------------------------------------------

_COUNT = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
          "nine": 9, "ten": 10}  # fmt: skip
_COUNT_WORD = r"(?:an?|one|two|three|four|five|six|seven|eight|nine|ten|\d{1,2})"
# "the day after" is a date of its own only when nothing follows ("the day after the vote" counts from the vote).
_ENDS_PHRASE = r"(?=\s*(?:[,.;:)!?]|$|\s+(?:and|but|when|as)\b))"
COUNTED_DAY_PATTERN = re.compile(
    rf"(?P<next>\b(?:the\s+)?(?:following|next)\s+(?:day|morning|afternoon|evening|night)\b"
    rf"|\bthe\s+(?:day|morning|night)\s+after\b{_ENDS_PHRASE})"
    rf"|(?P<previous>\b(?:the\s+)?(?:previous|preceding)\s+(?:day|morning|afternoon|evening|night)\b"
    rf"|\bthe\s+(?:day|morning|evening|night)\s+before\b{_ENDS_PHRASE})"
    rf"|\b(?P<later>{_COUNT_WORD})\s+days?\s+later\b"
    rf"|\b(?P<earlier>{_COUNT_WORD})\s+days?\s+(?:earlier\b|before\b{_ENDS_PHRASE})",
    re.IGNORECASE,
)
MAX_COUNTED_DAY_GAP = 60
"""Characters between a date and the day counted from it ("on Monday and depart
the following day"): further away, or across a semicolon, the count may start
from something else."""


def weekday_with_date(text: str, found: list[tuple[DateMention, str]]) -> list[DateMention]:
    """Mentions of a sentence with "Tuesday, October 27" made one: the date, and the weekday
    as written (which may contradict the date: the comparison checks it).  ``found`` pairs
    each mention with its kind: ``weekday`` (a weekday alone), ``calendar`` (a written
    date) or ``other``."""
    merged: list[DateMention] = []
    pending: DateMention | None = None
    for mention, kind in found:
        if pending is not None and kind == "calendar" and re.fullmatch(r",?\s*\(?", text[pending.end : mention.start]):
            expression = text[pending.start : mention.end]
            merged[-1] = replace(mention, start=pending.start, expression=expression, weekday=pending.weekday)
            pending = None
            continue
        merged.append(mention)
        pending = mention if kind == "weekday" else None
    return merged


def count_following_days(text: str, mentions: list[DateMention]) -> list[DateMention]:
    """``mentions`` with each day counted from the date written just before it ("arrive on
    Monday and depart the following day", "two days later", "the day before") joined to
    that date into one stretch of days, written from the date to the count."""
    mentions = list(mentions)
    for m in COUNTED_DAY_PATTERN.finditer(text):
        before = [(i, x) for i, x in enumerate(mentions) if x.end <= m.start()]
        if not before or any(x.start < m.end() and m.start() < x.end for x in mentions):
            continue
        i, anchor = before[-1]
        gap = text[anchor.end : m.start()]
        if anchor.days != 1 or len(gap) > MAX_COUNTED_DAY_GAP or re.search(r"[;:.!?]", gap):
            continue
        count = m.group("later") or m.group("earlier")
        step = (int(count) if count.isdigit() else _COUNT[count.lower()]) if count else 1
        if not step:  # "0 days later"
            continue
        if m.group("previous") or m.group("earlier"):
            step = -step
        mentions[i] = _stretch(anchor, step, text[anchor.start : m.end()], m.end())
    return mentions


def _stretch(anchor: DateMention, step: int, expression: str, end: int) -> DateMention:
    """``anchor`` and the day ``step`` days from it (before it when negative), as one stretch."""
    weekday = anchor.weekday if step > 0 or anchor.weekday is None else (anchor.weekday + step) % 7
    first = last = None
    if anchor.value:
        yearless = anchor.value.startswith("--")
        day = date.fromisoformat(f"{LEAP_YEAR}{anchor.value[1:]}" if yearless else anchor.value)
        first, last = sorted((day, day + timedelta(days=step)))
        first, last = (f"--{d.isoformat()[5:]}" if yearless else d.isoformat() for d in (first, last))
    granularity = "day" if first else anchor.granularity
    return replace(
        anchor, end=end, expression=expression, value=first, granularity=granularity, weekday=weekday, end_value=last,
        days=abs(step) + 1, joined="through",
    )


def first_day(value: str) -> date | None:
    """The first day an ISO date, week, month or year covers; None without a year."""
    if value.startswith("--"):
        return None
    if "-W" in value:
        year, week = value.split("-W")
        return date.fromisocalendar(int(year), int(week), 1)
    parts = [int(p) for p in value.split("-")]
    return date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


# --- comparing ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DayRun:
    """What a mention tells about the days of a fact, as far as it is known."""

    first: date | None
    """The first day, when its year is known."""
    month_day: tuple[int, int] | None
    """Month and day of the first day, when known (with or without a year)."""
    weekday: int | None
    """Day of week of the first day (as the text writes it, when it writes one)."""
    days: frozenset[int]
    """The days named, counted from the first (0): a stretch of three is {0, 1, 2}."""
    within: bool
    """The fact is on some of ``days``, not on all: a week, "Monday or Wednesday"."""
    week_from_tense: bool = False
    """A bare weekday whose week the tense chose (see :attr:`.DateMention.week_from_tense`)."""
    year_guessed: bool = False
    """The year was taken from the publication date, not written: compare on the calendar."""

    @classmethod
    def of(cls, mention: DateMention) -> DayRun:
        value = mention.value
        if value and "-W" in value:  # a week: its seven days, none of them in particular
            monday = first_day(value)
            return cls(monday, (monday.month, monday.day), None, frozenset(range(7)), True)
        first = first_day(value) if value and value[:1].isdigit() else None
        month_day = None
        if value and len(value) >= 7 and value.count("-") >= 2:
            month_day = tuple(int(p) for p in value.rsplit("-", 2)[-2:])
        weekday = mention.weekday if mention.weekday is not None else first.weekday() if first else None
        length = mention.days or 1
        days = frozenset(range(length)) if mention.joined == "through" else frozenset({0, length - 1})
        return cls(
            first, month_day, weekday, days, mention.joined == "or", mention.week_from_tense and first is not None,
            mention.year_from_reference,
        )

    @property
    def stretch(self) -> bool:
        """Several days in a row, all of them the fact's."""
        return len(self.days) > 1 and not self.within and self.days == frozenset(range(len(self.days)))


def reading(mention: DateMention) -> tuple:
    """A key equal for mentions that say the same (a resolved "on Monday" and "March 9"):
    the variants of a discrepancy group by it."""
    if date_level(mention) != "day":
        return (mention.value,)
    run = DayRun.of(mention)
    where = run.first or run.month_day or (run.weekday if run.weekday is not None else mention.expression.lower())
    return (where, run.weekday, run.days, run.within)


def date_level(mention: DateMention) -> str:
    """Weekdays and weeks compare with days; months and years among themselves."""
    return {"weekday": "day", "week": "day"}.get(mention.granularity, mention.granularity)


def disagreement(a: DateMention, b: DateMention, same_reference: bool = False) -> str | None:
    """What two mentions of one fact's date disagree on (one of :data:`SUBJECTS`), or
    None when they agree or cannot be compared.  ``same_reference``: both were resolved
    against the same publication date."""
    level = date_level(a)
    if level != date_level(b):
        return None
    if level == "day":
        return _day_disagreement(DayRun.of(a), DayRun.of(b), same_reference)
    if a.value is None or b.value is None:
        return None
    guessed_year = any(m.value.startswith("--") or m.year_from_reference for m in (a, b))
    if level == "month" and guessed_year:
        return "month" if a.value[-2:] != b.value[-2:] else None
    return level if a.value != b.value else None


def _day_disagreement(a: DayRun, b: DayRun, same_reference: bool) -> str | None:
    if a.first and b.first and not (a.year_guessed or b.year_guessed):
        offset = (b.first - a.first).days
        subject, offsets = "day", [offset]
        if same_reference and (a.week_from_tense or b.week_from_tense):
            offsets += [offset - 7, offset + 7]  # the other tense's reading of the bare weekday
    elif a.month_day and b.month_day:
        subject, offsets = "day", [_calendar_offset(a.month_day, b.month_day)]
    elif a.weekday is not None and b.weekday is not None:
        # the weeks are unknown: b may start this many days after a, or a week earlier
        forward = (b.weekday - a.weekday) % 7
        subject, offsets = "weekday", [forward, forward - 7]
    else:
        return "duration" if _different_lengths(a, b) else None
    verdicts = [_compare_at(a, b, offset, subject) for offset in offsets]
    return None if None in verdicts else verdicts[0]


def _compare_at(a: DayRun, b: DayRun, offset: int, subject: str) -> str | None:
    """Compare the days named where ``b``'s first is ``offset`` days after ``a``'s."""
    if offset == 0 and a.weekday is not None and b.weekday is not None and a.weekday != b.weekday:
        return "weekday"  # the same date, written with different weekdays
    a_days, b_days = a.days, frozenset(d + offset for d in b.days)
    if a.within or b.within:
        return None if a_days & b_days else subject
    if a_days == b_days or (len(a_days) == 1 and a_days <= b_days) or (len(b_days) == 1 and b_days <= a_days):
        return None  # the same days, or one day of the other's
    return "duration" if offset == 0 and _different_lengths(a, b) else subject


def _different_lengths(a: DayRun, b: DayRun) -> bool:
    """Both state a stretch of several days, and not of the same length."""
    return a.stretch and b.stretch and len(a.days) != len(b.days)


def _calendar_offset(a: tuple[int, int], b: tuple[int, int]) -> int:
    """Days from month-day ``a`` to month-day ``b``, the nearer way round the year."""
    days = (date(LEAP_YEAR, *b) - date(LEAP_YEAR, *a)).days
    return days - 366 if days > 183 else days + 366 if days < -183 else days

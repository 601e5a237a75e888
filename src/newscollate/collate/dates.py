"""Date expressions: found in a sentence, resolved against a reference date.

The reference is the document's publication date.  Absolute dates resolve
without one ("October 27, 2025"; "October 27" becomes ``--10-27`` when no year
is known); relative ones ("yesterday", "on Monday", "next week", "last month")
resolve only with one, and a weekday's direction comes from the sentence's
tense: "said on Tuesday" looks back, "will meet on Monday" looks ahead.  The
tense also picks the year of a date written without one near the turn of a year
("will open on January 8" written on December 20 is next year's).

Several days written as one are one mention with a first day (``value``), a
last day (``end_value``) and a length (``days``, known even when the days are
not): "October 27 to 29", "Oct. 27-29", "between March 3 and March 5", "from
Monday to Wednesday", "Monday and Tuesday next week", and, joined by
:mod:`.date_ranges`, "arrive on Monday and depart the following day".
"Tuesday, October 27" is one mention: the date, with the weekday as written.
Values are ISO 8601: a day ``2025-10-27``, a week ``2025-W44``, a month
``2025-10``, a year ``2025``.

:func:`reporting_date` tells the date of the telling ("officials said on
Tuesday") from the date of what is told.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta

from .date_ranges import LEAP_YEAR, count_following_days, weekday_with_date

MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
         ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
         ("december", "dec")]
    )
    for m in names
}
WEEKDAYS = {d: i for i, d in enumerate(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])}

_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)"
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?\b"
_YEAR = r"(?:1[89]\d\d|20\d\d)"
_REL_UNIT = r"(?:week|month|year)"
_PART_OF_DAY = r"(?:\s+(?:morning|afternoon|evening|night))?"
_JOIN = r"(?:\s*[-–—]\s*|\s+(?:to|through|thru|until|till|and|or)\s+)"
# A second number after "October 27 and" that is followed by a noun counts something
# ("on October 27 and 14 people ..."): only these words may follow the last day of a range.
_AFTER_RANGE = (
    r"(?!\s+(?!(?:in|at|on|and|or|to|of|for|with|when|while|after|before|until|the|this|that|next|last|by|from|as"
    r"|during|is|was|were|are|will|would|has|had|have|respectively)\b)(?-i:[a-z]))"
)
DATE_PATTERN = re.compile(
    rf"(?P<md>\b(?P<md_month>{_MONTH})\s+(?P<md_day>{_DAY})"
    rf"(?:(?P<md_join>{_JOIN})(?:(?P<md_month2>{_MONTH})\s+)?(?P<md_day2>{_DAY}){_AFTER_RANGE})?"
    rf"(?:,?\s+(?P<md_year>{_YEAR}))?\b)"
    rf"|(?P<dm>\b(?:(?P<dm_day1>{_DAY})(?:\s+(?P<dm_month1>{_MONTH}))?(?P<dm_join>{_JOIN}))?"
    rf"(?P<dm_day>{_DAY})\s+(?P<dm_month>{_MONTH})(?:,?\s+(?P<dm_year>{_YEAR}))?\b)"
    rf"|(?P<my>\b(?:(?:early|mid|late)[\s-]+)?(?P<my_month>{_MONTH})\s+(?P<my_year>{_YEAR})\b)"
    rf"|(?P<wd>\b(?:(?P<wd_mod>last|next|this|on)\s+)?(?P<wd_day>{_WEEKDAY}){_PART_OF_DAY}"
    rf"(?:(?P<wd_join>{_JOIN})(?P<wd_day2>{_WEEKDAY}){_PART_OF_DAY})?(?:,?\s+(?P<wd_week>next|last|this)\s+week)?\b)"
    rf"|(?P<rel>\b(?:yesterday|today|tomorrow|tonight|last\s+night)\b)"
    rf"|(?P<relunit>\b(?P<ru_mod>last|next|this|earlier\s+this|later\s+this)\s+(?P<ru_unit>{_REL_UNIT})\b)"
    # a month after "in", "by" ... unless a day or year follows ("by December 15", "in December 2008")
    rf"|(?P<mo>\b(?P<mo_mod>in|since|last|this|next|early|late|until|by)\s+"
    rf"(?P<mo_month>January|February|March|April|June|July|August|September|October|November|December)\b"
    rf"(?!,?\s+(?:{_DAY}|{_YEAR}\b)))"
    rf"|(?P<yr>\b(?P<yr_mod>in|since|for|by|until|from|of|through|before|after|to)\s+(?P<yr_year>{_YEAR})\b)",
    re.IGNORECASE,
)
_BETWEEN = re.compile(r"\bbetween\s+$", re.IGNORECASE)
_WEEK_OF = re.compile(r"\bweek\s+(?:of|beginning|starting|commencing)\s+(?:the\s+)?$", re.IGNORECASE)
# A weekday that recurs ("every Tuesday", "the second Tuesday of each month") or names a day of the
# calendar ("Good Friday", "Super Tuesday", "Black Friday") is no date counted from the publication date.
_RECURRING_BEFORE = re.compile(r"\b(?:every|each|first|second|third|fourth|fifth)\s+$", re.IGNORECASE)
_RECURRING_AFTER = re.compile(r"\s+of\s+(?:each|every|the)\s+month\b", re.IGNORECASE)
_NAMED_DAY_BEFORE = re.compile(
    r"\b(?:Ash|Black|Bloody|Bowl|Cyber|Easter|Giving|Good|Holy|Maundy|Palm|Patch|Shrove|Super|Whit)\s+$"
)


@dataclass(frozen=True)
class DateMention:
    start: int
    """Offsets of the expression inside the sentence text."""
    end: int
    expression: str
    value: str | None
    """ISO value (the first day of several), or None when it could not be resolved."""
    granularity: str
    """``day``, ``week``, ``month``, ``year`` or ``weekday`` (unresolved day of week)."""
    weekday: int | None = None
    """Day of week (0 = Monday) the expression names (as written, when it writes one), or
    that its first day falls on."""
    end_value: str | None = None
    """ISO value of the last day when the expression names several ("October 27 to 29":
    ``2026-10-29``, or ``--10-29`` without a year); None for one day or when unresolved."""
    days: int | None = None
    """Days from the first to the last named, both counted: 1 for a day, 3 for "October 27
    to 29" or "Monday to Wednesday"; None for weeks, months and years."""
    joined: str = "through"
    """How the first and last day make the days: ``through`` every day from one to the
    other ("October 27 to 29", "Monday and Tuesday"), ``and`` those two days only ("March 3
    and March 5"), ``or`` one of the two ("Monday or Wednesday")."""
    week_from_tense: bool = False
    """A bare weekday ("on Monday") that the clause's tense put in the days before or after
    the reference: read with the other tense, it is a week off."""
    year_from_reference: bool = False
    """The year is not written but taken from the reference ("October 27", "in September"
    written in 2026): a guess, wrong for a fact years old."""


def find_dates(text: str, reference: date | None, future=None) -> list[DateMention]:
    """Date expressions of a sentence.  ``future`` tells the tense: a bool (or None,
    unknown) for the whole sentence, or a function from a character offset in
    ``text`` to the tense of the clause there."""
    found: list[tuple[DateMention, str]] = []
    for m in DATE_PATTERN.finditer(text):
        if m.group("wd") and not _weekday_is_a_date(text, m):
            continue
        mention = _resolve(m, reference, future(m.start()) if callable(future) else future)
        if mention is not None:
            found.append((mention, _kind(m)))
    return count_following_days(text, weekday_with_date(text, found))


def _weekday_is_a_date(text: str, m: re.Match) -> bool:
    before, after = text[: m.start("wd_day")], text[m.end() :]
    return not (_RECURRING_BEFORE.search(before) or _NAMED_DAY_BEFORE.search(before) or _RECURRING_AFTER.match(after))


def _kind(m: re.Match) -> str:
    """``calendar`` for a written date ("October 27"), ``weekday`` for a weekday alone
    ("Tuesday", "on Tuesday evening": it may be the weekday of a date written after it),
    else ``other``."""
    if m.group("md") or m.group("dm"):
        return "calendar"
    plain = not m.group("wd_day2") and not m.group("wd_week") and (m.group("wd_mod") or "on").lower() == "on"
    return "weekday" if m.group("wd") and plain else "other"


def _resolve(m: re.Match, ref: date | None, future: bool | None) -> DateMention | None:
    expr = m.group(0)
    span = (m.start(), m.end())

    def make(value, granularity, weekday=None, start=span[0]):
        days = 1 if granularity in ("day", "weekday") else None
        return DateMention(start, span[1], m.string[start : span[1]], value, granularity, weekday, days=days)

    if m.group("md") or m.group("dm"):
        return _calendar_dates(m, ref, future)
    if m.group("my"):
        return make(f"{int(m.group('my_year')):04d}-{_month(m.group('my_month')):02d}", "month")
    if m.group("wd"):
        return _weekdays(m, ref, future)
    if m.group("rel"):
        word = " ".join(expr.lower().split())
        if ref is None:
            return make(None, "day")
        offset = {"yesterday": -1, "last night": -1, "today": 0, "tonight": 0, "tomorrow": 1}[word]
        day = ref + timedelta(days=offset)
        return make(day.isoformat(), "day", day.weekday())
    if m.group("relunit"):
        modifier = " ".join(m.group("ru_mod").lower().split())
        unit = m.group("ru_unit").lower()
        if ref is None:
            return make(None, unit)
        step = {"last": -1, "next": 1}.get(modifier, 0)
        return make(_shift(ref, unit, step), unit)
    if m.group("mo"):
        month = _month(m.group("mo_month"))
        modifier = m.group("mo_mod").lower()
        start = m.start("mo_month") if modifier in ("in", "since", "until", "by") else m.start("mo_mod")
        if ref is None:
            return make(f"--{month:02d}", "month", None, start)
        direction = {"next": 1, "last": -1, "since": -1}.get(modifier, {True: 1, False: -1}.get(future, 0))
        year = ref.year
        if direction > 0 and (month < ref.month or (modifier == "next" and month == ref.month)):
            year += 1
        elif direction < 0 and (month > ref.month or (modifier in ("last", "since") and month == ref.month)):
            year -= 1
        return replace(make(f"{year:04d}-{month:02d}", "month", None, start), year_from_reference=True)
    if m.group("yr"):
        return make(m.group("yr_year"), "year", None, m.start("yr_year"))
    return None


def _calendar_dates(m: re.Match, ref: date | None, future: bool | None) -> DateMention | None:
    """A month and day ("October 27", "27 October 2025"), or two ("October 27 to 29",
    "30 October to 2 November", "between March 3 and March 5")."""
    start, end = m.start(), m.end()
    if m.group("md"):
        first = (_month(m.group("md_month")), _number(m.group("md_day")))
        last = None
        if m.group("md_day2"):
            last = (_month(m.group("md_month2") or m.group("md_month")), _number(m.group("md_day2")))
        join, year = m.group("md_join"), m.group("md_year")
        if last and not _after(first, last):  # "October 27 and 14": the second number is no date
            last, end, year = None, m.end("md_day"), None
    else:
        last = (_month(m.group("dm_month")), _number(m.group("dm_day")))
        first = None
        if m.group("dm_day1"):
            first = (_month(m.group("dm_month1") or m.group("dm_month")), _number(m.group("dm_day1")))
        join, year = m.group("dm_join"), m.group("dm_year")
        if first is None or not _after(first, last):
            first, last, start = last, None, m.start("dm_day")
    crosses_year = last is not None and last[0] < first[0]
    try:
        if year:
            first_year = int(year) - crosses_year if last else int(year)
        elif ref is not None:
            first_year = _year_near(first, ref, future)
        else:
            first_year = None
        first_day = date(first_year or LEAP_YEAR, *first)
        last_day = date((first_year or LEAP_YEAR) + crosses_year, *last) if last else first_day
    except ValueError:  # "February 30"
        return None

    week_of = _WEEK_OF.search(m.string[:start])
    if week_of and first_year and not last:  # "the week of March 9": the week, not the day
        iso_year, week, _ = first_day.isocalendar()
        return DateMention(week_of.start(), end, m.string[week_of.start() : end], f"{iso_year:04d}-W{week:02d}", "week")

    def iso(day: date) -> str:
        return day.isoformat() if first_year else f"--{day.month:02d}-{day.day:02d}"

    days = (last_day - first_day).days + 1
    return DateMention(
        start, end, m.string[start:end], iso(first_day), "day", first_day.weekday() if first_year else None,
        end_value=iso(last_day) if last else None, days=days,
        joined=_joined(join, days, m.string[:start]) if last else "through",
        year_from_reference=bool(first_year) and not year,
    )


def _weekdays(m: re.Match, ref: date | None, future: bool | None) -> DateMention:
    """A weekday ("on Monday", "next Tuesday") or two ("Monday to Wednesday", "Monday and
    Tuesday next week")."""
    weekday = WEEKDAYS[m.group("wd_day").lower()]
    modifier = (m.group("wd_mod") or "").lower()
    week = (m.group("wd_week") or "").lower()
    start = m.start("wd_mod") if modifier and modifier != "on" else m.start("wd_day")
    extra = (WEEKDAYS[m.group("wd_day2").lower()] - weekday) % 7 if m.group("wd_day2") else 0
    joined = _joined(m.group("wd_join"), extra + 1, m.string[: m.start()]) if extra else "through"

    def make(first: date | None, week_from_tense: bool = False) -> DateMention:
        last = first + timedelta(days=extra) if first and extra else None
        return DateMention(
            start, m.end(), m.string[start : m.end()], first.isoformat() if first else None,
            "day" if first else "weekday", weekday, last.isoformat() if last else None, extra + 1, joined,
            week_from_tense,
        )

    if ref is None:
        return make(None)
    if week or modifier in ("next", "last"):
        shift = {"next": 7, "last": -7, "this": 0}[week or modifier]
        monday = ref - timedelta(days=ref.weekday()) + timedelta(days=shift)
        return make(monday + timedelta(days=weekday))
    delta = (weekday - ref.weekday()) % 7
    if future is True:
        return make(ref + timedelta(days=delta or 7), True)
    if future is False:
        return make(ref - timedelta(days=(ref.weekday() - weekday) % 7), True)
    return make(ref + timedelta(days=delta) if delta <= 3 else ref - timedelta(days=7 - delta), True)


def _joined(join: str | None, days: int, before: str) -> str:
    """What two days joined by the word ``join`` make (see :attr:`DateMention.joined`):
    "Monday or Tuesday" one of them, "March 3 and March 5" those two days, but "between
    March 3 and March 5", "Monday and Tuesday" (two days in a row) and "October 27 to 29"
    every day from the first to the last."""
    word = (join or "").strip().lower()
    if word == "or":
        return "or"
    return "and" if word == "and" and days > 2 and not _BETWEEN.search(before) else "through"


def _after(first: tuple[int, int], last: tuple[int, int]) -> bool:
    """Whether ``last`` can end a stretch of days that ``first`` starts (the next year's
    early months follow the late ones: "December 30 to January 2")."""
    return last[0] > first[0] or (last[0] == first[0] and last[1] > first[1]) or (first[0] >= 11 and last[0] <= 2)


NEAR_TURN_OF_YEAR = 60
"""Days a date given without a year may lie on the wrong side of the publication date
for its tense before it is taken to be in the neighbouring year: "will open on March 5"
written on March 11 is more likely a slip than next year's March."""
FAR_FROM_REFERENCE = 300
"""With no tense to go by, a date without a year is taken to be in the neighbouring
year only when that puts it this much closer ("January 4" written on December 28)."""


def _year_near(month_day: tuple[int, int], ref: date, future: bool | None) -> int:
    """The year of a date written without one in a text published on ``ref``."""
    year = ref.year
    try:
        gap = (date(year, *month_day) - ref).days
    except ValueError:  # February 29 of a common year: the nearest leap year
        return min((y for y in range(year - 3, year + 4) if y % 4 == 0), key=lambda y: abs(y - year))
    if future is True and gap < -NEAR_TURN_OF_YEAR:
        return year + 1
    if future is False and gap > NEAR_TURN_OF_YEAR:
        return year - 1
    if future is None and abs(gap) > FAR_FROM_REFERENCE:
        return year + 1 if gap < 0 else year - 1
    return year


def _month(word: str) -> int:
    word = word.rstrip(".").lower()
    return MONTHS.get(word, MONTHS.get(word[:3], 0))


def _number(day: str) -> int:
    return int(re.match(r"\d+", day).group(0))


def _shift(ref: date, unit: str, step: int) -> str:
    if unit == "week":
        year, week, _ = (ref + timedelta(weeks=step)).isocalendar()
        return f"{year:04d}-W{week:02d}"
    if unit == "month":
        index = ref.year * 12 + ref.month - 1 + step
        return f"{index // 12:04d}-{index % 12 + 1:02d}"
    return f"{ref.year + step:04d}"


FUTURE_WORDS = {"will", "'ll", "shall", "would", "scheduled", "expected", "upcoming", "due", "next", "plan", "set"}


def _token_at(sent, char_offset: int):
    return next((t for t in sent if t.idx <= char_offset < t.idx + len(t.text)), None)


def _clause_verb(token):
    """The verb of the clause holding ``token`` (the root when none is above it), and the
    dependency labels on the way up to it."""
    verb, path = token, set()
    # spaCy makes a new Token object on every access: compare positions, not identity
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        path.add(verb.dep_)
        verb = verb.head
    return verb, path


def clause_tense(sent, char_offset: int) -> bool | None:
    """Tense of the clause holding the token at ``char_offset`` (relative to the
    spaCy document): True for the future ("will meet", "would open", "is due to
    begin", "is scheduled for"), False for the past, None if unclear.  The
    clause, not the sentence, decides: in "said it would open on Thursday" the
    saying is past, the opening future."""
    token = _token_at(sent, char_offset)
    if token is None:
        return None
    verb, _ = _clause_verb(token)
    for v in (verb, *[a for a in verb.ancestors if a.pos_ in ("VERB", "AUX", "ADJ")][:2]):
        words = {c.lower_ for c in v.children if c.dep_ in ("aux", "auxpass", "acomp", "xcomp", "advmod", "amod")} | {v.lower_}
        infinitive = any(c.lower_ == "to" and c.dep_ == "aux" for c in v.children)
        # "was allowed to sail" is past; "is due to sail", "was scheduled to sail" look ahead.
        past_governor = v.dep_ == "xcomp" and v.head.tag_ in ("VBD", "VBN") and v.head.lower_ not in FUTURE_WORDS
        if words & FUTURE_WORDS or v.lemma_ in FUTURE_WORDS or (infinitive and not past_governor):
            return True
        if v.tag_ in ("VBD", "VBN"):
            return False
    return None


REPORTING_VERBS = {
    "say", "tell", "announce", "state", "confirm", "report", "add", "note", "declare", "reveal", "disclose",
    "insist", "warn", "explain", "acknowledge", "admit", "deny", "claim", "write", "comment", "stress",
    "publish", "update",
}  # fmt: skip
"""Verbs whose date is when something was told ("said on Tuesday"; a page's "last updated
Tuesday"), not when what is told happened ("respond" and "reply" are left out: "police
responded to the crash on Friday" is the fact)."""
_CLAUSE_DEPS = {"ccomp", "xcomp", "advcl", "parataxis", "relcl", "acl", "conj", "csubj"}
"""Links that lead out of a clause: a date under one belongs to that clause, not to the verb above."""


def reporting_date(sent, char_offset: int) -> bool:
    """Whether the date at ``char_offset`` (relative to the spaCy document) dates the
    telling of the fact rather than the fact: "officials said on Tuesday", "the ministry
    announced Wednesday that ...", "X told reporters on Friday that ...".  Outlets that
    report one fact on different days give different reporting dates and agree.

    A verb of telling with an object and no clause ("the council announced a plan on
    Tuesday") is the fact itself, unless the date follows the verb at once ("announced
    Wednesday a plan"), the common way of writing the reporting date."""
    token = _token_at(sent, char_offset)
    if token is None or any(c.dep_ == "case" for c in token.children):
        return False  # "said Thursday's vote": the date of a thing told about
    previous = token.i - 1
    if previous >= sent.start and sent.doc[previous].lower_ == "on":
        previous -= 1
    if previous >= sent.start and _is_reporting_verb(sent.doc[previous]):
        return True
    verb, path = _clause_verb(token)
    if not _is_reporting_verb(verb) or path & _CLAUSE_DEPS:
        return False  # a date inside the clause told ("hosts" misread as a noun) is the fact's
    deps = {c.dep_ for c in verb.children}
    return bool(deps & {"ccomp", "parataxis"}) or not deps & {"dobj", "attr", "oprd", "xcomp"}



def _is_reporting_verb(token) -> bool:
    return token.pos_ == "VERB" and token.lemma_.lower() in REPORTING_VERBS

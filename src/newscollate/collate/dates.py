"""Date expressions: found in a sentence, resolved against a reference date.

The reference is the document's publication date.  Absolute dates resolve
without one ("October 27, 2025"; "October 27" becomes ``--10-27`` when no year
is known); relative ones ("yesterday", "on Monday", "next week", "last month")
resolve only with one, and a weekday's direction comes from the sentence's
tense: "said on Tuesday" looks back, "will meet on Monday" looks ahead.
Values are ISO 8601: a day ``2025-10-27``, a week ``2025-W44``, a month
``2025-10``, a year ``2025``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

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
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[89]\d\d|20\d\d)"
_REL_UNIT = r"(?:week|month|year)"
DATE_PATTERN = re.compile(
    rf"(?P<md>\b{_MONTH}\s+(?P<md_day>{_DAY})(?:\s*(?:-|–|to|through|and)\s*(?P<md_day2>{_DAY}))?(?:,?\s+(?P<md_year>{_YEAR}))?\b)"
    rf"|(?P<dm>\b(?P<dm_day>{_DAY})\s+{_MONTH}(?:,?\s+(?P<dm_year>{_YEAR}))?\b)"
    rf"|(?P<my>\b(?:(?:early|mid|late)[\s-]+)?{_MONTH}\s+(?P<my_year>{_YEAR})\b)"
    rf"|(?P<wd>\b(?:(?P<wd_mod>last|next|this|on)\s+)?(?P<wd_day>{_WEEKDAY})(?:\s+(?:morning|afternoon|evening|night))?(?:\s+(?:and|or|to)\s+(?P<wd_day2>{_WEEKDAY}))?(?:,?\s+(?P<wd_week>next|last|this)\s+week)?\b)"
    rf"|(?P<rel>\b(?:yesterday|today|tomorrow|tonight|last\s+night)\b)"
    rf"|(?P<relunit>\b(?P<ru_mod>last|next|this|earlier\s+this|later\s+this)\s+(?P<ru_unit>{_REL_UNIT})\b)"
    rf"|(?P<mo>\b(?P<mo_mod>in|since|last|this|next|early|late|until|by)\s+(?P<mo_month>January|February|March|April|June|July|August|September|October|November|December)\b)"
    rf"|(?P<yr>\b(?P<yr_mod>in|since|for|by|until|from|of|through|before|after|to)\s+(?P<yr_year>{_YEAR})\b)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DateMention:
    start: int
    """Offsets of the expression inside the sentence text."""
    end: int
    expression: str
    value: str | None
    """ISO value, or None when it could not be resolved."""
    granularity: str
    """``day``, ``week``, ``month``, ``year`` or ``weekday`` (unresolved day of week)."""
    weekday: int | None = None
    """Day of week (0 = Monday) the expression names, when it names one."""


def find_dates(text: str, reference: date | None, future=None) -> list[DateMention]:
    """Date expressions of a sentence.  ``future`` tells the tense: a bool (or None,
    unknown) for the whole sentence, or a function from a character offset in
    ``text`` to the tense of the clause there."""
    mentions = []
    for m in DATE_PATTERN.finditer(text):
        mention = _resolve(m, reference, future(m.start()) if callable(future) else future)
        if mention is not None:
            mentions.append(mention)
    return mentions


def _resolve(m: re.Match, ref: date | None, future: bool | None) -> DateMention | None:
    expr = m.group(0)
    span = (m.start(), m.end())

    def make(value, granularity, weekday=None, start=span[0]):
        return DateMention(start, span[1], m.string[start : span[1]], value, granularity, weekday)

    if m.group("md") or m.group("dm"):
        kind = "md" if m.group("md") else "dm"
        month = _month_in(expr)
        day = int(re.match(r"\d+", m.group(f"{kind}_day")).group(0))
        year = m.group(f"{kind}_year")
        try:
            if year:
                return make(date(int(year), month, day).isoformat(), "day", date(int(year), month, day).weekday())
            if ref:
                return make(date(ref.year, month, day).isoformat(), "day", date(ref.year, month, day).weekday())
            return make(f"--{month:02d}-{day:02d}", "day")
        except ValueError:
            return None
    if m.group("my"):
        return make(f"{int(m.group('my_year')):04d}-{_month_in(expr):02d}", "month")
    if m.group("wd"):
        weekday = WEEKDAYS[m.group("wd_day").lower()]
        modifier = (m.group("wd_mod") or "").lower()
        week = (m.group("wd_week") or "").lower()
        start = m.start("wd_mod") if modifier and modifier != "on" else m.start("wd_day")
        if ref is None:
            return make(None, "weekday", weekday, start)
        if week or modifier in ("next", "last"):
            shift = {"next": 7, "last": -7, "this": 0}[week or modifier]
            monday = ref - timedelta(days=ref.weekday()) + timedelta(days=shift)
            return make((monday + timedelta(days=weekday)).isoformat(), "day", weekday, start)
        delta = (weekday - ref.weekday()) % 7
        if future is True:
            day = ref + timedelta(days=delta or 7)
        elif future is False:
            day = ref - timedelta(days=(ref.weekday() - weekday) % 7)
        else:
            day = ref + timedelta(days=delta) if delta <= 3 else ref - timedelta(days=7 - delta)
        return make(day.isoformat(), "day", weekday, start)
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
        month = _month_in(m.group("mo_month"))
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
        return make(f"{year:04d}-{month:02d}", "month", None, start)
    if m.group("yr"):
        return make(m.group("yr_year"), "year", None, m.start("yr_year"))
    return None


def _month_in(text: str) -> int:
    word = re.search(r"[A-Za-z]+", text.split()[0] if not text[0].isdigit() else text.split()[1]).group(0).lower()
    if word in ("early", "mid", "late"):
        word = re.findall(r"[A-Za-z]+", text)[1].lower()
    return MONTHS.get(word, MONTHS.get(word[:3], 0))


def _shift(ref: date, unit: str, step: int) -> str:
    if unit == "week":
        year, week, _ = (ref + timedelta(weeks=step)).isocalendar()
        return f"{year:04d}-W{week:02d}"
    if unit == "month":
        index = ref.year * 12 + ref.month - 1 + step
        return f"{index // 12:04d}-{index % 12 + 1:02d}"
    return f"{ref.year + step:04d}"


FUTURE_WORDS = {"will", "'ll", "shall", "would", "scheduled", "expected", "upcoming", "due", "next", "plan", "set"}


def clause_tense(sent, char_offset: int) -> bool | None:
    """Tense of the clause holding the token at ``char_offset`` (relative to the
    spaCy document): True for the future ("will meet", "would open", "is due to
    begin", "is scheduled for"), False for the past, None if unclear.  The
    clause, not the sentence, decides: in "said it would open on Thursday" the
    saying is past, the opening future."""
    token = next((t for t in sent if t.idx <= char_offset < t.idx + len(t.text)), None)
    if token is None:
        return None
    verb = token
    # spaCy makes a new Token object on every access: compare positions, not identity
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
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

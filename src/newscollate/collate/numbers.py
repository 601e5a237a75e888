"""Quantities in sentences: value, unit and what they measure.

"US$550 billion" and "$550 billion" are the same quantity (value 5.5e11, unit
``money:USD``); "2%" and "2 percent" too; "twenty-five", "a dozen" and "three
hundred" are numbers as surely as "25", "12" and "300" ("dozens" and
"hundreds" are not: they give no value).  What a quantity measures is the noun
phrase it counts ("14 people" -> ``people``, "seven AK-47 assault rifles" ->
``ak-47 assault rifle``) or, for shares, the noun after "of" ("70% of its
soybean imports" -> ``import``); two outlets giving the same share of
different things disagree as surely as two giving different shares.

Not quantities: years, day numbers of dates ("March 12"), ordinals ("5th"),
times of day ("5:00pm", "1100 hrs"), ages and lengths of time the model tags
as dates ("36-year-old", "three days"), numbers that are part of a name or
code ("AK-47", "G20"), and "one" standing alone ("one of the", "no one").  A
rank ("the No. 1 Tar Heels") is a quantity of its own unit, ``rank``.
How two sentences' quantities are compared: :mod:`.number_conflicts`.
"""

from __future__ import annotations

import re
from functools import lru_cache
from dataclasses import dataclass

from ..model import Document, Span

SCALES = {
    "thousand": 1e3, "k": 1e3, "million": 1e6, "mn": 1e6, "m": 1e6, "mln": 1e6,
    "billion": 1e9, "bn": 1e9, "b": 1e9, "trillion": 1e12, "tn": 1e12,
}
CURRENCY_SYMBOLS = {
    "us$": "USD", "usd": "USD", "$": "USD", "€": "EUR", "eur": "EUR", "£": "GBP", "gbp": "GBP",
    "¥": "JPY", "jpy": "JPY", "yen": "JPY", "dollars": "USD", "dollar": "USD", "euros": "EUR", "euro": "EUR",
    "pounds": "GBP", "a$": "AUD", "c$": "CAD", "hk$": "HKD", "nt$": "TWD",
}
UNIT_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
TENS_WORDS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}
NUMBER_WORDS = {**UNIT_WORDS, **TENS_WORDS, "hundred": 100, "dozen": 12}
"""Number words alone; compounds of them ("twenty-five", "three hundred") are read by :func:`word_number_value`."""

TIME_UNITS = {"year", "month", "week", "day", "night", "hour", "minute", "second", "decade", "century", "weekend"}
"""Nouns that make a date-tagged number a length of time or an age, not a count."""
CLOCK_WORDS = {"gmt", "utc", "hrs", "ist", "est", "edt", "pst", "pdt", "cet", "bst", "a.m.", "p.m.", "am", "pm"}
"""Nouns that make a number a time of day ("1100 hrs IST", "1336 GMT")."""

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_UNIT_WORD = "|".join(sorted(UNIT_WORDS, key=len, reverse=True))  # "seventeen" before "seven"
_TENS_WORD = "|".join(TENS_WORDS)
_SMALL_WORD = rf"(?:(?:{_TENS_WORD})(?:[-\s](?:one|two|three|four|five|six|seven|eight|nine)\b)?|(?:{_UNIT_WORD}))"
_WORD_NUM = (
    rf"(?:(?:{_SMALL_WORD}|a)\s+hundred(?:\s+(?:and\s+)?{_SMALL_WORD})?"  # "three hundred and twenty"
    rf"|(?:{_SMALL_WORD}|a)\s+dozen|{_SMALL_WORD}|hundred|dozen)"
)
_SCALE = r"(?:trillion|billion|million|thousand|bn|mn|mln|tn)\b"
_PREFIX_CUR = r"(?:[A-Z]{0,2}\$|US\$|USD|EUR|GBP|JPY|€|£|¥)"
_SUFFIX_CUR = r"(?:dollars?|euros?|pounds|yen)\b"
QUANTITY = re.compile(
    rf"(?P<cur>{_PREFIX_CUR})\s?(?P<num>{_NUM})(?:\s?(?P<scale>{_SCALE}|[mbk]\b))?"
    rf"|(?P<num2>{_NUM}|\b{_WORD_NUM}\b)(?:[\s-]?(?P<scale2>{_SCALE}))?"
    rf"(?:\s?(?P<pct>%|percent\b|per cent\b|percentage points?\b)|\s(?P<cur2>{_SUFFIX_CUR}))?",
    re.IGNORECASE,
)
DIGITS = re.compile(_NUM)
"""A number written in digits: "3.2", "2,500"."""
_YEAR = re.compile(r"^(1[89]\d\d|20\d\d)$")
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\b"
)
_MONTH_BEFORE = re.compile(rf"\b{_MONTH}\.?\s*$")
_MONTH_AFTER = re.compile(rf"^\s*(?:of\s+)?{_MONTH}")
_PART_OF_A_NAME = re.compile(r"(?:[A-Za-z]-?|[#/]|\d:)$")
"""What before a number makes it part of a name, a code or a time: "AK-47", "G20", "#3", "17:06"."""
_SPLIT_BEFORE = re.compile(r"\d\.\s$")
_SPLIT_THOUSANDS_BEFORE = re.compile(r"\d,\s$")
_SPLIT_AFTER = re.compile(r",\s\d{3}\b|\.\s\d")
_RANK = re.compile(r"\bNo\.\s?$")
"""A rank: "the No. 1 Tar Heels"."""


@dataclass(frozen=True)
class Quantity:
    doc: str
    start: int
    end: int
    """The number with its currency, scale and unit: ``US$550 billion``."""
    phrase_end: int
    """End of the phrase including what is measured: ``70% of its soybean imports``."""
    value: float
    unit: str
    """``percent``, ``money:USD``, ``count``, ``rank``, or for the size of a thing the unit
    joined to the number ("an 86-yard run": ``-yard``; "a 5.6-magnitude quake": ``-magnitude``)."""
    measure: frozenset[str] | None
    """Lemmas of the counted or measured noun phrase ("GDP target" -> {gdp, target})."""

    def phrase(self) -> Span:
        return Span(self.doc, self.start, self.phrase_end, "quantity")


def share_or_amount(q: Quantity) -> bool:
    """A percentage or a sum of money: what it measures is written after it ("70% of imports",
    "$5 million in aid"), not counted by it, and one figure can measure different things."""
    return q.unit in ("percent", "percentage-points") or q.unit.startswith("money:")


def quantities(doc: Document, sentence: Span) -> list[Quantity]:
    """Every quantity in a sentence; years, dates, times, ages and ordinals are left to the date code."""
    sent = sentence.data["sent"]
    offset = sentence.data["offset"]
    text = doc.slice(sentence)
    found = []
    for m in QUANTITY.finditer(text):
        raw = m.group("num") or m.group("num2")
        if not raw or _glued(text, m.start("num") if m.group("num") else m.start("num2"), m.end()):
            continue
        start, end = sentence.start + m.start(), sentence.start + m.end()
        spelled_out = not raw[0].isdigit()
        scale = m.group("scale") or m.group("scale2") or _range_scale(text, m.end())
        value = _value(raw) * SCALES.get(scale.lower(), 1.0)
        currency = m.group("cur") or m.group("cur2")
        if m.group("pct"):
            unit = "percent" if "point" not in m.group("pct").lower() else "percentage-points"
        elif currency:
            unit = "money:" + CURRENCY_SYMBOLS.get(currency.lower(), currency.upper())
        else:
            if _YEAR.match(raw) or _is_part_of_date(text, m.start(), m.end()):
                continue
            unit = "rank" if _RANK.search(text[: m.start()]) else "count"
        tokens = [t for t in sent if start <= offset + t.idx < end]
        if not tokens:
            continue
        measure, phrase_end = _measured(tokens, unit, offset, end)
        if unit == "count" and not _a_count(tokens, measure, spelled_out, value):
            continue
        if unit == "count":
            unit = _hyphenated_unit(tokens[-1]) or unit
        found.append(Quantity(doc.id, start, end, phrase_end, value, unit, measure))
    return found


_RANGE_END = re.compile(rf"\s*(?:-|–|to|and)\s*{_PREFIX_CUR}?\s?(?:{_NUM})\s?(?P<scale>{_SCALE})", re.IGNORECASE)


def _range_scale(text: str, end: int) -> str:
    """The scale a range writes once, at its second end: "$140 to $150 million" is $140 million to ..."""
    m = _RANGE_END.match(text, end)
    return m.group("scale") if m else ""


def _a_count(tokens, measure: frozenset[str] | None, spelled_out: bool, value: float) -> bool:
    """Whether a number without currency or percent counts something.

    Not a time of day, an ordinal, an age or a length of time.  The model tags
    some counts as dates ("Forty possible gang members", "its next 14 games",
    "the 3400 block"): a date-tagged number stays a count when it measures a
    noun that is not a unit of time.  A number word measuring nothing is
    compared where it stands for what was just named ("the two worked
    together", "the toll rose to seven"), except "one" ("one who", "no one").
    """
    labels = {t.ent_type_ for t in tokens}
    if labels & {"TIME", "ORDINAL"} or measure is not None and measure & CLOCK_WORDS:
        return False
    if "DATE" in labels and (measure is None or measure & TIME_UNITS):
        return False
    if measure is not None or not spelled_out:
        return True
    return value >= 2 and tokens[-1].dep_ in _NOMINAL


_NOMINAL = {"nsubj", "nsubjpass", "dobj", "pobj", "attr"}
"""Dependencies of a number that stands for what was named: "the two worked", "the remaining
three", "killing two of them".  Not an apposition: "fourteen were injured, three of them
seriously" tells a detail of the fourteen."""


@lru_cache(maxsize=4096)
def number_mentions(text: str) -> tuple[tuple[int, int, float], ...]:
    """``(start, end, value)`` of every number written in a text, with or without a unit; not
    the pieces of ordinals, codes and times ("5th", "AK-47", "5:00pm" write no 5 or 47).
    Cached: the number checks ask again for each sentence a sentence is compared with."""
    return tuple(
        (m.start(), m.end(), _value(m.group(0))) for m in _ANY_NUMBER.finditer(text)
        if not _glued(text, m.start(), m.end())
    )


_ANY_NUMBER = re.compile(rf"{_NUM}|\b{_WORD_NUM}\b", re.IGNORECASE)


def _value(raw: str) -> float:
    if raw[0].isdigit():
        return float(raw.replace(",", ""))
    return word_number_value(raw)


def word_number_value(words: str) -> float:
    """The value of a number in words: "twenty-five" 25, "three hundred and ten" 310, "a dozen" 12."""
    value = 0.0
    for word in re.split(r"[\s-]+", words.lower()):
        if word == "a":
            value = 1.0
        elif word in ("hundred", "dozen"):
            value = max(value, 1.0) * NUMBER_WORDS[word]
        elif word in NUMBER_WORDS:
            value += NUMBER_WORDS[word]  # "and" of "three hundred and ten" adds nothing
    return value


def _glued(text: str, number_start: int, end: int) -> bool:
    """A number written against letters is no quantity of its own: an ordinal ("5th"), a
    decade ("1990s"), a name or code ("AK-47", "G20", "#3"); nor is a time ("5:00pm"), a
    piece of a number that a text split ("10, 000", "6. 0": both pieces) or a number written
    with a leading zero ("the '09 season")."""
    if not text[number_start].isdigit():
        return False
    after = text[end : end + 2]
    glued_after = after[:1].isalpha() and not text[end - 1].isalpha() or after[:1] == ":" and after[1:].isdigit()
    before = text[max(0, number_start - 4) : number_start]
    three_digits = re.fullmatch(r"\d{3}", text[number_start:end]) is not None
    piece = (
        _SPLIT_BEFORE.search(before) or three_digits and _SPLIT_THOUSANDS_BEFORE.search(before)
        or _SPLIT_AFTER.match(text, end)
    )
    leading_zero = text[number_start] == "0" and text[number_start + 1 : number_start + 2].isdigit()
    return glued_after or bool(_PART_OF_A_NAME.search(before) or piece or leading_zero)


def _is_part_of_date(text: str, start: int, end: int) -> bool:
    """``October 27``, ``27 October``, ``Aug. 2``: day numbers belong to dates (month names
    as written, capitalised: "separate", "may" and "decided" are no months)."""
    return bool(_MONTH_BEFORE.search(text[max(0, start - 12) : start]) or _MONTH_AFTER.match(text[end : end + 16]))


_MODIFIERS = {"ADJ", "ADV", "DET"}
_NOUNS = {"NOUN", "PROPN"}


def _measured(tokens, unit: str, offset: int, end: int) -> tuple[frozenset[str] | None, int]:
    """The noun phrase a quantity measures and where that phrase ends (document offset)."""
    last = tokens[-1]
    if unit in ("percent", "percentage-points"):
        for right in last.doc[last.i + 1 : last.i + 3]:
            if right.lower_ == "of":
                for obj in right.children:
                    if obj.dep_ == "pobj" and obj.pos_ in _NOUNS:
                        return _noun_phrase(obj), offset + obj.idx + len(obj.text)
        return None, end
    if unit in ("count", "rank"):
        nouns = _counted_nouns(last) or _partitive(last)
        if nouns:
            return frozenset(t.lemma_.lower() for t in nouns), offset + nouns[-1].idx + len(nouns[-1].text)
    return None, end


def _partitive(number) -> list:
    """What "two of the victims" or "18 of its next 23 games" counts a part of: the noun after
    "of".  Not "one of the": as often a superlative ("one of the worst storms") as a count."""
    after = number.doc[number.i + 1] if number.i + 1 < number.sent.end else None
    if after is None or after.lower_ != "of" or number.lower_ in ("one", "1"):
        return []
    objects = [c for c in after.children if c.dep_ == "pobj" and c.pos_ in _NOUNS]
    return [*(c for c in objects[0].children if c.dep_ == "compound"), objects[0]] if objects else []


MAX_MODIFIERS = 3
"""Words a count may stand from its noun ("13 fully loaded magazines")."""


def _counted_nouns(number) -> list:
    """The run of nouns right after a count ("seven AK-47 assault rifles" -> AK-47, assault,
    rifles), past a few modifiers ("two separate demonstrations", "13 fully loaded
    magazines") but not past a preposition, a conjunction, another number or a verb ("one
    of the victims" counts nothing; in "58-3 with 51 knockouts" the knockouts are 51's).
    A unit joined to the number by a hyphen is left out where a noun follows it: "an
    86-yard touchdown run" measures a run (its unit is ``-yard``: :func:`_hyphenated_unit`)."""
    nouns, skipped = [], 0
    for t in number.doc[number.i + 1 : number.sent.end]:
        if (t.pos_ in _NOUNS or _a_name_tagged_as_number(t)) and any(c.isalpha() for c in t.text):
            nouns.append(t)
        elif nouns and (t.tag_ == "HYPH" or t.text == "-") and t.i + 1 < t.sent.end and t.nbor().pos_ in _NOUNS:
            continue  # "co-workers"
        elif nouns or skipped == MAX_MODIFIERS:
            break
        elif t.pos_ in _MODIFIERS or t.dep_ == "amod" or t.tag_ == "HYPH":
            skipped += 1
        else:
            break
    unit = _hyphenated_unit_token(number)
    return [t for t in nouns if t.i != unit.i] if unit is not None and len(nouns) > 1 else nouns


def _hyphenated_unit_token(number):
    """The unit a hyphen joins to a number ("yard" of "86-yard"), or None."""
    after = number.doc[number.i + 1 : number.i + 3]
    if len(after) == 2 and after[0].tag_ == "HYPH" and after[1].is_alpha:
        return after[1]
    if len(after) >= 1 and after[0].text.startswith("-") and after[0].text[1:].isalpha():
        return after[0]  # written apart: "5.6 -magnitude"
    return None


def _hyphenated_unit(number) -> str | None:
    """``-yard`` for "an 86-yard run": the number sizes the run; it counts no yards."""
    unit = _hyphenated_unit_token(number)
    return "-" + unit.lemma_.lower().lstrip("-") if unit is not None else None


def _a_name_tagged_as_number(token) -> bool:
    """A model name the tagger reads as a number: "AK-47", "F-16"."""
    return token.pos_ == "NUM" and not token.like_num and any(c.isalpha() for c in token.text)


def _noun_phrase(head) -> frozenset[str]:
    """Lemmas of a noun and the nouns compounding it: "soybean imports" -> {soybean, import}."""
    parts = [c for c in head.children if c.dep_ == "compound" and c.pos_ in _NOUNS]
    return frozenset(t.lemma_.lower() for t in [*parts, head])

"""Quantities in sentences: value, unit and what they measure.

"US$550 billion" and "$550 billion" are the same quantity (value 5.5e11, unit
``money:USD``); "2%" and "2 percent" too.  What a quantity measures is the
noun it counts ("14 people" -> ``people``) or, for shares, the noun after "of"
("70% of its soybean imports" -> ``import``); two outlets giving the same share
of different things disagree as surely as two giving different shares.
"""

from __future__ import annotations

import re
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
NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "hundred": 100, "dozen": 12,
}
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_WORD_NUM = "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
_SCALE = r"(?:trillion|billion|million|thousand|bn|mn|mln|tn)\b"
_PREFIX_CUR = r"(?:[A-Z]{0,2}\$|US\$|USD|EUR|GBP|JPY|€|£|¥)"
_SUFFIX_CUR = r"(?:dollars?|euros?|pounds|yen)\b"
QUANTITY = re.compile(
    rf"(?P<cur>{_PREFIX_CUR})\s?(?P<num>{_NUM})(?:\s?(?P<scale>{_SCALE}|[mbk]\b))?"
    rf"|(?P<num2>{_NUM}|\b(?:{_WORD_NUM})\b)(?:[\s-](?P<scale2>{_SCALE}))?"
    rf"(?:\s?(?P<pct>%|percent\b|per cent\b|percentage points?\b)|\s(?P<cur2>{_SUFFIX_CUR}))?",
    re.IGNORECASE,
)
_YEAR = re.compile(r"^(1[89]\d\d|20\d\d)$")


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
    """``percent``, ``money:USD``, ... or ``count``."""
    measure: frozenset[str] | None
    """Lemmas of the counted or measured noun phrase ("GDP target" -> {gdp, target})."""

    def phrase(self) -> Span:
        return Span(self.doc, self.start, self.phrase_end, "quantity")


def quantities(doc: Document, sentence: Span) -> list[Quantity]:
    """Every quantity in a sentence; years and ordinals are left to the date code."""
    sent = sentence.data["sent"]
    offset = sentence.data["offset"]
    text = doc.slice(sentence)
    found = []
    for m in QUANTITY.finditer(text):
        raw = m.group("num") or m.group("num2")
        if not raw:
            continue
        start, end = sentence.start + m.start(), sentence.start + m.end()
        spelled_out = (m.group("num2") or "").lower() in NUMBER_WORDS
        value = _value(raw)
        scale = (m.group("scale") or m.group("scale2") or "").lower()
        value *= SCALES.get(scale, 1.0)
        currency = m.group("cur") or m.group("cur2")
        if m.group("pct"):
            unit = "percent" if "point" not in m.group("pct").lower() else "percentage-points"
        elif currency:
            unit = "money:" + CURRENCY_SYMBOLS.get(currency.lower(), currency.upper())
        else:
            if _YEAR.match(raw) or _is_part_of_date(text, m.start(), m.end()):
                continue
            unit = "count"
        tokens = [t for t in sent if start <= offset + t.idx < end]
        if not tokens or (unit == "count" and any(t.ent_type_ in ("DATE", "TIME", "ORDINAL") for t in tokens)):
            continue
        measure, phrase_end = _measured(tokens, unit, offset, end)
        if unit == "count" and measure is None and spelled_out:
            continue
        found.append(Quantity(doc.id, start, end, phrase_end, value, unit, measure))
    return found


_ANY_NUMBER = re.compile(rf"{_NUM}|\b(?:{_WORD_NUM})\b", re.IGNORECASE)


def mentioned_values(text: str) -> set[float]:
    """Every number written in a text, with or without a unit."""
    return {_value(m.group(0)) for m in _ANY_NUMBER.finditer(text)}


def _value(raw: str) -> float:
    lowered = raw.lower()
    if lowered in NUMBER_WORDS:
        return float(NUMBER_WORDS[lowered])
    return float(raw.replace(",", ""))


def _is_part_of_date(text: str, start: int, end: int) -> bool:
    """``October 27``, ``27 October``, ``27-29``: day numbers belong to dates."""
    before = text[max(0, start - 12) : start].lower()
    after = text[end : end + 12].lower()
    months = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
    return before.rstrip(" .").endswith(months) or after.lstrip().startswith(months)


def _measured(tokens, unit: str, offset: int, end: int) -> tuple[frozenset[str] | None, int]:
    """The noun phrase a quantity measures and where that phrase ends (document offset)."""
    last = tokens[-1]
    if unit in ("percent", "percentage-points"):
        for right in last.doc[last.i + 1 : last.i + 3]:
            if right.lower_ == "of":
                for obj in right.children:
                    if obj.dep_ == "pobj" and obj.pos_ in ("NOUN", "PROPN"):
                        return _noun_phrase(obj), offset + obj.idx + len(obj.text)
        return None, end
    if unit == "count":
        for t in last.doc[last.i + 1 : last.i + 4]:
            if t.pos_ in ("NOUN", "PROPN"):
                head = t if t.dep_ != "compound" else t.head
                return _noun_phrase(head), offset + head.idx + len(head.text)
    return None, end


def _noun_phrase(head) -> frozenset[str]:
    """Lemmas of a noun and the nouns compounding it: "soybean imports" -> {soybean, import}."""
    parts = [c for c in head.children if c.dep_ == "compound" and c.pos_ in ("NOUN", "PROPN")]
    return frozenset(t.lemma_.lower() for t in [*parts, head])

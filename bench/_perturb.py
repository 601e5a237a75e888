"""Controlled changes of one fact in a news text, for bench/collate.py.

:func:`find_targets` lists every candidate change (:class:`_rewrite.Target`) of
four kinds, only in sentences that state something (6+ words, ending as a
sentence does); ``bench/_rewrite.py`` renders a fact-preserving rewrite with
one of them.

* ``number``: a numeral of a count, amount, share or measure (a spaCy
  CARDINAL, MONEY, PERCENT or QUANTITY entity; not a year, a time, an end of
  a range, a piece of a number the tokeniser split, or a number inside a
  quotation) gets another value of the same form: digits stay digits with as
  many of them, their separators and decimals, a number word becomes another
  number word; the unit is kept ("$5 million" -> "$7 million").  The new value
  is written nowhere else in the sentence.
* ``date``: a weekday becomes another weekday ("Black Friday" and other named
  days are left alone), or the day of a month-day date another day.  Not the
  date of a report ("said on Friday": a verb of saying governs it): outlets
  writing on different days legitimately differ there, and the brief does not
  flag it.
* ``name``: a person (spaCy PERSON: a full name, or a surname the text also
  gives as part of a full name) becomes a person of another story: the full
  name where the full name is written, the surname where only it is, for every
  mention of that person in that one sentence.  Not the source of reported
  speech ("X said the fire started at noon", "according to X"): outlets cite
  different sources, and the brief compares the people of the fact, not its
  sources; the speaker of a quotation is renamed (the brief compares who is
  quoted).
* ``quote``: 1-3 lower-case words of a quotation that a verb of saying
  attributes ("said", "told", "according to" outside the quotation, on its
  line) become thesaurus synonyms that start differently.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Iterator

from _paraphrase import STOP, THESAURUS
from _rewrite import MONTH_DAY, NUMERIC_LABELS, QUOTATION, WEEKDAY, WEEKDAYS, Parsed, Target

KINDS = ("number", "date", "name", "quote")
NUMBER_WORDS = ["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
                "twenty", "thirty", "forty", "fifty"]  # fmt: skip
NUMERAL = re.compile(
    r"(?<![\w.,/:#-])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|(?i:" + "|".join(NUMBER_WORDS) + r"))"
    r"(?![\w/:]|-\d|[.,]\d)"
)
"""A number of its own: not part of a range written "9-14", a time, a code or a larger number."""
SPLIT_BEFORE = re.compile(r"\d\.\s$")
SPLIT_THOUSANDS_BEFORE = re.compile(r"\d,?\s$")
SPLIT_AFTER = re.compile(r",?\s\d{3}\b|\.\s\d")
_SCALE = r"(?:\s(?:thousand|million|billion|trillion|percent|per cent))?"
RANGE_BEFORE = re.compile(
    rf"(?:\d[\d,.]*{_SCALE}\s*(?:-|–|to)|between|between\s[$£€]?\d[\d,.]*{_SCALE}\sand)\s*[$£€]?$"
)
RANGE_AFTER = re.compile(rf"{_SCALE}\s*(?:-|–|to)\s*[$£€]?\d")
SAYING = re.compile(r"\b(?:said|says|say|told|tells|added|adds|stated|states|explained|noted|insisted|declared|"
                    r"announced|wrote|warned|confirmed|according to)\b", re.IGNORECASE)  # fmt: skip
SENTENCE_END = re.compile(r"[.!?][\"”’')]*$")
NAME = re.compile(r"[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*){0,2}")
SURNAME = re.compile(r"[A-Z][A-Za-z'’-]*[a-z]")
LOWER_WORD = re.compile(r"(?<![\w-])[a-z]{3,}(?![\w-])")


def find_targets(text: str, parsed: Parsed, rng: random.Random, names: list[str]) -> dict[str, list[Target]]:
    """Every candidate change of each kind in ``text``; ``names`` are full names of people of other stories."""
    quotes = [m.span() for m in QUOTATION.finditer(text)]
    facts = [(a, b) for a, b in parsed.sentences if is_fact(text[a:b])]

    def outside_quotes(a: int, b: int) -> bool:
        return not any(qa <= a and b <= qb for qa, qb in quotes)

    def sentence_of(a: int, b: int) -> tuple[int, int] | None:
        return next((s for s in facts if s[0] <= a and b <= s[1]), None)

    persons = [(a, b) for a, b, label in parsed.entities if label == "PERSON"]
    # a one-word "person" is a surname only where the text also gives the full name ("Oscar ceremony" is none)
    surnames = {text[a:b].split()[-1] for a, b in persons if " " in text[a:b]}
    found: dict[str, list[Target]] = {kind: [] for kind in KINDS}
    for a, b, label in parsed.entities:
        sentence = sentence_of(a, b)
        if sentence is None or not outside_quotes(a, b):
            continue
        if label in NUMERIC_LABELS:
            found["number"] += renumbered(text, (a, b), sentence, rng)
        elif label == "PERSON" and NAME.fullmatch(text[a:b]) and (" " in text[a:b] or text[a:b] in surnames):
            quoted = any(sentence[0] <= qa < sentence[1] for qa, _ in quotes)
            if _overlap([(a, b)], parsed.sources) and not quoted:
                continue  # the source of reported speech
            people = {text[pa:pb].split()[-1] for pa, pb in persons if sentence[0] <= pa < sentence[1]}
            case = "one person in the sentence" if len(people) == 1 else "more people in the sentence"
            target = renamed(text, (a, b), sentence, rng, names, case)
            if target and not any(_overlap(target.spans, t.spans) for t in found["name"]):
                found["name"].append(target)  # one change per person and sentence
    for sentence in facts:
        found["date"] += [
            t for t in redated(text, sentence, rng)
            if outside_quotes(*t.spans[0]) and not _overlap(t.spans, parsed.reporting)
        ]  # fmt: skip
    for qa, qb in quotes:
        sentence = sentence_of(qa, qb) or next((s for s in facts if s[0] <= qa < s[1]), None)
        if sentence is not None and len(text[qa:qb].split()) >= 3 and _attributed(text, qa, qb):
            target = requoted(text, (qa, qb), sentence, rng)
            if target:
                found["quote"].append(target)
    return found


def is_fact(sentence: str) -> bool:
    """A sentence that states something: six words or more, ending as a sentence does."""
    return len(sentence.split()) >= 6 and bool(SENTENCE_END.search(sentence.strip())) and not sentence.isupper()


def _within(pattern: re.Pattern, text: str, start: int, end: int) -> Iterator[re.Match]:
    """Matches lying in ``text[start:end]``, their look-arounds seeing the whole text (``endpos`` would
    hide what follows: "43" of "43-39" would pass for a number of its own)."""
    for m in pattern.finditer(text, start):
        if m.end() > end:
            return
        yield m


def _overlap(spans: Iterable[tuple[int, int]], others: Iterable[tuple[int, int]]) -> bool:
    return any(a < d and c < b for a, b in spans for c, d in others)


# --- numbers ------------------------------------------------------------------------------------------


def renumbered(text: str, entity: tuple[int, int], sentence: tuple[int, int], rng: random.Random) -> list[Target]:
    """Each number of a numeric entity given another value."""
    found = []
    for m in standalone_numbers(text, *entity):
        new = other_number(m.group(), written_numbers(text[sentence[0] : sentence[1]]), rng)
        if new is not None:
            case = "digits" if m.group()[0].isdigit() else "number word"
            found.append(Target("number", (m.span(),), (new,), sentence, case))
    return found


def standalone_numbers(text: str, start: int, end: int) -> Iterator[re.Match]:
    """Numerals in ``text[start:end]`` that are a value of their own: not a piece of a number the
    tokeniser split ("100, 000", "6. 7", "10 000"), nor an end of a range ("$145 million to $175
    million", "10 to 12 films", "between 5 and 7"), where a change may only reorder the ends."""
    for m in _within(NUMERAL, text, start, end):
        before = text[max(0, m.start() - 20) : m.start()]
        digits = m.group().isdigit()
        split = digits and (
            SPLIT_BEFORE.search(before) or (len(m.group()) == 3 and SPLIT_THOUSANDS_BEFORE.search(before))
        )
        in_range = RANGE_BEFORE.search(before) or RANGE_AFTER.match(text, m.end())
        if not (split or SPLIT_AFTER.match(text, m.end()) or in_range):
            yield m


def written_numbers(text: str) -> set[float]:
    return {_number_value(m.group()) for m in NUMERAL.finditer(text)}


def other_number(raw: str, forbidden: set[float], rng: random.Random) -> str | None:
    """Another value written like ``raw`` (as many digits, the same separators and decimals, or a
    number word), not in ``forbidden``; None for a year."""
    if raw.lower() in NUMBER_WORDS:
        new = rng.choice([w for w in NUMBER_WORDS if _number_value(w) not in forbidden and w != raw.lower()])
        return new.capitalize() if raw[0].isupper() else new
    value = _number_value(raw)
    if raw.isdigit() and len(raw) == 4 and 1800 <= value <= 2099:
        return None
    decimals = len(raw.split(".")[1]) if "." in raw else 0
    unit = 10.0**-decimals
    steps = value / unit
    for _ in range(20):
        if steps <= 10:
            new = unit * rng.randint(1, 12)
        else:
            new = value + unit * rng.choice([-1, 1]) * rng.randint(1, max(2, round(steps * 0.4)))
        new = round(new, decimals)
        same_width = len(str(int(new))) == len(str(int(value))) or steps <= 10  # "1,200" stays a thousands figure
        if new > 0 and new != value and new not in forbidden and same_width:
            return f"{new:,.{decimals}f}" if "," in raw else f"{new:.{decimals}f}"
    return None


def _number_value(raw: str) -> float:
    lowered = raw.lower()
    if lowered in NUMBER_WORDS:
        index = NUMBER_WORDS.index(lowered)
        return float(index + 2 if index < 11 else (index - 9) * 10)  # two..twelve, then twenty..fifty
    return float(raw.replace(",", ""))


# --- dates, names, quotations -------------------------------------------------------------------------


def redated(text: str, sentence: tuple[int, int], rng: random.Random) -> list[Target]:
    """Weekdays and month-day dates of a sentence, each moved to another day."""
    a, b = sentence
    found = []
    named = {d for d in WEEKDAYS if d in text[a:b]}
    for m in _within(WEEKDAY, text, a, b):
        before = text[max(a, m.start() - 20) : m.start()].split()
        if before and before[-1][:1].isupper() and not SENTENCE_END.search(before[-1]):
            continue  # a named day: Black Friday, Super Tuesday
        new = rng.choice([d for d in WEEKDAYS if d not in named])
        found.append(Target("date", (m.span(),), (new,), sentence, "weekday"))
    for m in _within(MONTH_DAY, text, a, b):
        group = 1 if m.group(1) else 2
        day = int(m.group(group))
        if 1 <= day <= 31:
            new = str(rng.choice([d for d in range(1, 29) if abs(d - day) > 1]))
            found.append(Target("date", (m.span(group),), (new,), sentence, "day of a month"))
    return found


def renamed(
    text: str, mention: tuple[int, int], sentence: tuple[int, int], rng: random.Random, names: list[str], case: str
) -> Target | None:
    """Every mention in ``sentence`` of the person at ``mention`` given another person's name."""
    person = re.sub(r"['’]s$", "", text[mention[0] : mention[1]])
    surname = person.split()[-1]
    words = set(re.findall(r"\w+", text.lower()))
    choices = [n for n in names if not set(n.lower().split()) & words]
    if not choices or not SURNAME.fullmatch(surname) or surname.lower() in STOP:
        return None  # "Jr.", an initial, a lower-case word the model took for a name
    new = rng.choice(choices)
    changes: dict[tuple[int, int], str] = {}
    if " " in person:
        for m in _within(re.compile(rf"(?<![\w-]){re.escape(person)}(?![\w-])"), text, *sentence):
            changes[m.span()] = new
    for m in _within(re.compile(rf"(?<![\w-]){re.escape(surname)}(?![\w-])"), text, *sentence):
        if not any(a <= m.start() < b for a, b in changes):
            changes[m.span()] = new.split()[-1]
    if not changes:
        return None  # written against a word ("Horton-who"): no mention to change cleanly
    spans = sorted(changes)
    return Target("name", tuple(spans), tuple(changes[s] for s in spans), sentence, case)


def requoted(text: str, quote: tuple[int, int], sentence: tuple[int, int], rng: random.Random) -> Target | None:
    """1-3 lower-case words of the quotation (not names) replaced by synonyms that do not start like them."""
    words = [m for m in _within(LOWER_WORD, text, *quote) if m.group() not in STOP and _synonym(m.group())]
    if not words:
        return None
    chosen = sorted(rng.sample(words, min(len(words), rng.randint(1, 3))), key=lambda m: m.start())
    case = "quotation of 20+ words" if len(text[quote[0] : quote[1]].split()) >= 20 else "quotation under 20 words"
    return Target("quote", tuple(m.span() for m in chosen), tuple(_synonym(m.group()) for m in chosen), sentence, case)


def _synonym(word: str) -> str | None:
    new = THESAURUS.get(word)
    if new is None or new.replace(" ", "")[:5] == word[:5]:
        return None  # "hours" -> "hours of time", "percent" -> "per cent": the same words
    return new


def _attributed(text: str, start: int, end: int) -> bool:
    """A verb of saying outside the quotation, on its line."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    return bool(SAYING.search(text[line_start:start] + " " + text[end:line_end]))

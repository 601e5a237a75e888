"""Explicit wire-agency credits in a text: "told Reuters", "(AP) —", "Kyodo News reported".

A credit says that the text's facts come from a news agency's report.  A
wire's name alone is not one: a photo credit ("Photo: AFP", "AFP/Getty
Images") says where a picture came from, and a sentence about the agency
("Reuters journalists were detained") makes it the subject of the news.  So
a name counts only inside a construction that attributes reporting to it:

* a dateline: ``WASHINGTON (Reuters) -``, ``(AP) —``;
* the agency as source of words or facts: ``told Reuters``, ``according to
  AFP``, ``cited by Xinhua``, ``in an interview with Bloomberg``, ``via AP``;
* the agency reporting: ``Reuters reported``, ``Kyodo News has learned``,
  ``Yonhap news agency said``, ``a Reuters report``, ``a Reuters tally``;
* a contribution line: ``The Associated Press contributed to this report``,
  ``with inputs from PTI``.

Any of these is dropped when it sits in a photo credit (a credit word such as
"Photo", "Image" or "Getty" just before it on the same line, or the name
glued to a slash as in ``X/AFP``) or overlaps a range the caller skips
(lines the clean stage removed).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

WIRES: dict[str, tuple[str, ...]] = {
    "Reuters": ("Thomson Reuters", "Reuters"),
    "AP": ("The Associated Press", "Associated Press", "AP"),
    "AFP": ("Agence France-Presse", "Agence France Presse", "AFP"),
    "Bloomberg": ("Bloomberg News", "Bloomberg"),
    "Kyodo": ("Kyodo News", "Kyodo"),
    "Jiji": ("Jiji Press", "Jiji"),
    "Xinhua": ("Xinhua News Agency", "Xinhua"),
    "Yonhap": ("Yonhap News Agency", "Yonhap"),
    "dpa": ("Deutsche Presse-Agentur", "dpa", "DPA"),
    "ANI": ("Asian News International", "ANI"),
    "PTI": ("Press Trust of India", "PTI"),
    "IANS": ("IANS",),
    "ANSA": ("ANSA",),
    "EFE": ("EFE",),
    "TASS": ("TASS", "Tass"),
    "Interfax": ("Interfax",),
    "RIA Novosti": ("RIA Novosti",),
    "UPI": ("United Press International", "UPI"),
    "Bernama": ("Bernama",),
    "Antara": ("Antara",),
    "PA Media": ("PA Media", "Press Association"),
    "AAP": ("Australian Associated Press", "AAP"),
    "Anadolu": ("Anadolu Agency", "Anadolu"),
    "Dow Jones": ("Dow Jones Newswires", "Dow Jones"),
}
"""Canonical wire name -> the names it is written as (longest first)."""

_CANONICAL = {alias: wire for wire, aliases in WIRES.items() for alias in aliases}
_NAME = r"(?<![\w/])(?P<name>" + "|".join(re.escape(a) for a in sorted(_CANONICAL, key=len, reverse=True)) + r")(?![\w/-])"
_AGENCY = r"(?:\s+(?i:news\s+agency|news\s+service|news\s+agency's|wire\s+service))?"
_THE = r"(?:(?i:the|state(?:-run|-owned)?|official|state\s+news\s+agency)\s+)*"

_PATTERNS = [
    # WASHINGTON (Reuters) -   /   (AP) —   /   (AFP):
    rf"\({_NAME}\)\s*[-–—:]",
    # told Reuters / according to AFP / cited by Xinhua / in an interview with Bloomberg
    r"(?i:\b(?:told|telling|tells|according\s+to|cited\s+by|quoted\s+by|reported\s+by|confirmed\s+to|"
    r"said\s+to|speaking\s+to|spoke\s+to|interview\s+with|interviewed\s+by|statement\s+to|comments\s+to|via|"
    r"inputs?\s+from|files\s+from|(?:^|(?<=[(\[—–-]))\s*with)\s+)" + _THE + _NAME + _AGENCY,
    # Reuters reported / Kyodo News has learned / Yonhap news agency said / AP quoted
    _NAME + _AGENCY + r"(?i:\s+(?:has\s+|had\s+|also\s+|earlier\s+|later\s+)?"
    r"(?:reported|reports|quoted|quotes|cited|cites|learned|learnt|calculated|found|contributed|"
    r"said,?\s+(?:citing|quoting)))\b",
    # a Reuters report / an AFP tally / in Reuters' reporting
    r"(?i:\b(?:a|an|the|in|by)\s+)" + _NAME + r"(?:'s?)?" + _AGENCY
    + r"(?i:\s+(?:report|reporting|dispatch|tally|count|calculation|analysis|investigation|interview|survey|poll)s?)\b",
]
# The agency named as a news agency needs no verb: "the Xinhua news agency said".
_PATTERNS.append(_NAME + r"(?i:\s+(?:news\s+agency|news\s+service))\s+(?i:said|says|added|noted|wrote)\b")
_CREDIT = re.compile("|".join(f"(?:{p})" for p in _PATTERNS).replace("(?P<name>", "(?:"))
_NAMES = re.compile(_NAME)
_WINDOW = 60  # characters: the longest construction before or after a name fits

_PHOTO_WORDS = re.compile(
    r"(?i:\b(?:photos?|photograph|picture|pic|images?|credits?|getty|courtesy|file|footage|video|graphic|"
    r"illustration|screenshot|screengrab)(?:\s+(?:by|of|from|via|credit|courtesy(?:\s+of)?))?)"
    r"\s*[:|(\[–—-]?\s*(?:[A-Z][\w.'-]*\s+){0,4}$"
)
_AFTER_PHOTO = re.compile(r"(?i:\s*(?:photo|photos|images|pictures|graphics?)\b|/)")
_VIA_GETTY = re.compile(r"(?i:\s+via\s+getty)")


@dataclass(frozen=True, slots=True)
class WireCredit:
    """``text[start:end]`` credits wire agency ``wire`` (canonical name, a key of :data:`WIRES`)."""

    wire: str
    start: int
    end: int

    def ref(self, doc: str, offset: int = 0) -> dict:
        """The credit as a ``{"doc", "start", "end"}`` reference; ``offset`` shifts it into the document."""
        return {"doc": doc, "start": self.start + offset, "end": self.end + offset}


def find_credits(text: str, skip: Iterable[tuple[int, int]] = ()) -> list[WireCredit]:
    """Every explicit wire credit in ``text``, in order; ranges in ``skip`` (start, end) are ignored."""
    skip = list(skip)
    credits = []
    for match in _matches(text):
        start, end = match.span()
        if any(s < end and start < e for s, e in skip):
            continue
        name = _NAMES.search(text, start, end)
        if name is None or _in_photo_credit(text, name.start(), name.end()):
            continue
        credits.append(WireCredit(_CANONICAL[name.group("name")], start, end))
    return credits


def _matches(text: str):
    """Credit matches, looked for only in windows around a wire's name (the full pattern is slow), and
    only in texts holding a wire's name at all (substring tests are much faster than the name pattern)."""
    if not any(alias in text for alias in _CANONICAL):
        return
    last = -1
    for name in _NAMES.finditer(text):
        window_start = max(name.start() - _WINDOW, last)
        for match in _CREDIT.finditer(text, window_start, min(len(text), name.end() + _WINDOW)):
            if match.start() >= last and match.start() <= name.start() < match.end():
                last = match.end()
                yield match


def _in_photo_credit(text: str, start: int, end: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    before = text[max(line_start, start - 60) : start]
    if before.endswith("/") or _PHOTO_WORDS.search(before):
        return True
    return bool(_AFTER_PHOTO.match(text, end) or _VIA_GETTY.match(text, end))

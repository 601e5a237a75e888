"""Line helpers shared by the clean stage's components."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..model import Document

TERMINAL = ".!?…"
"""Characters that end a sentence."""

WRAP_MAX_CHARS = 100
"""Longest line of a hard-wrapped paragraph: wrapping is at 60-80 columns,
while extractors put a whole paragraph, often hundreds of characters, on a line."""

WRAP_MIN_CHARS = 35
"""Shortest line of a wrapped paragraph but its last: a wrap falls near the column limit,
while stacked labels ("By Jane Doe", "5 min read") are short."""

WRAP_MIN_OPEN = 0.6
"""Share of a wrapped block's lines (all but the last) that stop mid-sentence."""

_CLOSERS = "\"'”’)]»"
_BULLET = re.compile(r"^(?:[-*•·▪►]|\d{1,2}[.)])\s")
WORD = re.compile(r"[^\W_]++(?:['’.-][^\W_]++)*+")
"""A word token: letters/digits, with inner apostrophes, dots and hyphens (U.S., F-150, don't).
Its quantifiers are possessive: a token is never backtracked into shorter ones, and re scans faster."""

Block = list[tuple[int, int]]


def kept_lines(doc: Document) -> Iterator[tuple[int, int]]:
    """Offsets of each non-blank line with no removed character, whitespace-stripped."""
    for block in kept_blocks(doc):
        yield from block


def kept_blocks(doc: Document) -> Iterator[Block]:
    """Runs of kept lines (as in :func:`kept_lines`) that blank or removed lines separate."""
    # Same lines and offsets as model.iter_lines + strip_offsets, at C speed: str.strip drops exactly
    # the characters str.isspace accepts (a line's "\r" too), and a final empty line is blank anyway.
    # Removed spans are read per line, as before, so a caller may add spans between blocks.
    block: Block = []
    pos = 0
    for raw in doc.text.split("\n"):
        body = raw.strip()
        if body:
            start = pos + len(raw) - len(raw.lstrip())
            end = start + len(body)
        if body and not (doc.spans("removed") and doc.is_removed(start, end)):
            block.append((start, end))
        elif block:
            yield block
            block = []
        pos += len(raw) + 1
    if block:
        yield block


def is_wrapped(
    texts: list[str], max_chars: int = WRAP_MAX_CHARS, min_chars: int = WRAP_MIN_CHARS, min_open: float = WRAP_MIN_OPEN
) -> bool:
    """Whether consecutive lines are one hard-wrapped paragraph.

    All lines are short but, except the last, not very short; most of them
    (all but the last) stop mid-sentence; and they are not a bulleted list.
    A block of short complete sentences is several one-line paragraphs.
    """
    if len(texts) < 2 or any(len(t) > max_chars for t in texts) or any(len(t) < min_chars for t in texts[:-1]):
        return False
    if sum(bool(_BULLET.match(t)) for t in texts) > 1:
        return False
    return sum(not ends_sentence(t) for t in texts[:-1]) >= min_open * (len(texts) - 1)


def ends_sentence(text: str) -> bool:
    """Whether ``text`` ends with terminal punctuation (closing quotes/brackets ignored)."""
    text = text.rstrip().rstrip(_CLOSERS)
    return bool(text) and text[-1] in TERMINAL


def words(text: str) -> list[str]:
    return WORD.findall(text)

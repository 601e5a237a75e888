"""Which words of a discrepancy's variants differ, so a reader sees the difference at a glance."""

from __future__ import annotations

import re

_PIECES = re.compile(r"\w+(?:[.,:/'’-]\w+)*|\W+", re.UNICODE)


def differing_words(values: list[str]) -> list[list[tuple[str, bool]]]:
    """Each value cut into pieces (words and the text between them), each piece with whether it
    differs: a word is marked when some other value lacks it (case-insensitive).  Joining a
    value's pieces gives the value back unchanged.

    >>> differing_words(["14 people", "12 people"])
    [[('14', True), (' ', False), ('people', False)], [('12', True), (' ', False), ('people', False)]]
    """
    pieces = [_PIECES.findall(value) for value in values]
    words = [{p.lower() for p in value if _is_word(p)} for value in pieces]
    marked = []
    for i, value in enumerate(pieces):
        others = [w for j, w in enumerate(words) if j != i]
        marked.append([(p, _is_word(p) and any(p.lower() not in other for other in others)) for p in value])
    return marked


def _is_word(piece: str) -> bool:
    return piece[:1].isalnum() or piece[:1] == "_"

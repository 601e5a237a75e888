"""Boilerplate that an outlet repeats on every page (CCNet-style line deduplication).

A line is normalised (lowercase, every digit -> ``0``, runs of punctuation and
whitespace -> one space) so that "Updated 10:42" and "Updated 09:15" are the
same line, and counted once per document.  A line found in at least
``min_docs`` documents of the same outlet is boilerplate the junk rules did
not know: a slogan, a section footer, a standing correction policy.

Outlets also reuse *background* in follow-up stories: "The storm killed 14
people across the region last week, according to officials." can open two
articles in a row, and it is content.  So a repeated line is removed only
when it looks like boilerplate: it is short (``max_chars``; page furniture
is rarely longer than a sentence or two), or it recurs in many documents of
the outlet (``min_docs_long``; real background is copied into the next story
or two, a footer into all of them).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ..model import Document
from .lines import kept_lines

REPEATED_REASON = "repeated-in-source"

# The most characters _SEPARATED remembers (a bound on memory); any others are mapped each time.
_SEPARATED_SIZE = 1 << 16


class _Separated(dict):
    """A ``str.translate`` table, filled as characters turn up: a digit (what ``\\d`` matches)
    becomes 0, any other character that ``\\w`` matches but ``_`` stays, and the rest (what
    ``[\\W_]`` matches, whitespace among it) becomes a space."""

    def __missing__(self, code: int) -> int:
        char = chr(code)
        mapped = ord("0") if char.isdecimal() else code if char.isalnum() else ord(" ")
        if len(self) < _SEPARATED_SIZE:
            self[code] = mapped
        return mapped


_SEPARATED = _Separated()


@dataclass(frozen=True)
class RepeatConfig:
    """Settings of :class:`RepeatedLineRemover`.

    ``min_docs``: documents of one outlet a line must occur in (2: any
    repetition across pages is page furniture, for short lines).
    ``max_chars``: lines up to this long (about two sentences) are removed on
    ``min_docs``.  ``min_docs_long``: a longer line must occur in this many
    of the outlet's documents.
    """

    min_docs: int = 2
    max_chars: int = 200
    min_docs_long: int = 3


def normalise(line: str) -> str:
    """Lowercase, digits to 0, punctuation and whitespace runs to one space."""
    # Several times faster than the two substitutions by regular expression that it stands for
    # (r"\d" -> "0", r"[\W_]+" -> " ", then strip): after the table only spaces are whitespace, so
    # split() splits at exactly the runs of them and drops those at either end.
    return " ".join(line.lower().translate(_SEPARATED).split())


class RepeatedLineRemover:
    """Removes lines an outlet repeats across its documents (reason ``repeated-in-source``).

    Documents without an outlet (``doc.meta.outlet``) are skipped; the span's
    ``data["docs"]`` is the number of the outlet's documents with the line.
    """

    name = "repeats"

    def __init__(self, config: RepeatConfig = RepeatConfig()) -> None:
        self.config = config

    def __call__(self, corpus) -> None:
        by_outlet: dict[str, list[Document]] = defaultdict(list)
        for doc in corpus.documents:
            if doc.meta.outlet:
                by_outlet[doc.meta.outlet].append(doc)
        for docs in by_outlet.values():
            if len(docs) >= self.config.min_docs:
                self._dedupe(docs)

    def _dedupe(self, docs: list[Document]) -> None:
        lines: list[tuple[Document, int, int, str]] = []
        doc_count: dict[str, int] = defaultdict(int)
        for doc in docs:
            seen: set[str] = set()
            for start, end in kept_lines(doc):
                key = normalise(doc.text[start:end])
                # Punctuation-only lines (rules, bullets) say nothing about boilerplate.
                if key:
                    lines.append((doc, start, end, key))
                    seen.add(key)
            for key in seen:
                doc_count[key] += 1
        cfg = self.config
        for doc, start, end, key in lines:
            n = doc_count[key]
            if n >= cfg.min_docs and (end - start <= cfg.max_chars or n >= cfg.min_docs_long):
                doc.add("removed", start, end, REPEATED_REASON, docs=n)

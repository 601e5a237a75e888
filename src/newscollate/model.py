"""The document model shared by every stage.

A :class:`Document` owns the text exactly as it was decoded from its input and
never changes it.  Stages describe what they found by adding :class:`Span`
objects to named *layers* of the document (``removed``, ``paragraphs``,
``segments``, ``sentences``, ...).  A span is a pair of Python string offsets
into ``Document.text`` (``end`` exclusive) with a label and optional data, so
everything any stage reports can be traced back to the exact characters of a
source.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Iterator


@dataclass(frozen=True, slots=True)
class Span:
    """Characters ``text[start:end]`` of document ``doc`` with a ``label``.

    ``data`` carries stage-specific attributes (a removal reason's details, a
    sentence's entity list, ...); it is excluded from equality and hashing so
    that two stages naming the same characters name the same span.
    """

    doc: str
    start: int
    end: int
    label: str = ""
    data: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad span offsets {self.start}:{self.end}")

    def __len__(self) -> int:
        return self.end - self.start

    def contains(self, start: int, end: int) -> bool:
        return self.start <= start and end <= self.end

    def ref(self) -> dict[str, Any]:
        """The span as the brief's ``{"doc", "start", "end"}`` reference."""
        return {"doc": self.doc, "start": self.start, "end": self.end}


@dataclass(slots=True)
class Metadata:
    """What is known about a document besides its text; every field optional."""

    title: str | None = None
    source: str | None = None
    url: str | None = None
    published: date | None = None
    author: str | None = None

    @property
    def outlet(self) -> str | None:
        """Who published it: the source name, else the URL's host."""
        if self.source:
            return self.source
        if self.url:
            from urllib.parse import urlsplit

            try:
                host = urlsplit(self.url).hostname or ""
            except ValueError:  # a URL as an input wrote it, with an unbalanced "[" or "]" in its host
                return None
            return host.removeprefix("www.") or None
        return None


@dataclass(slots=True)
class Document:
    """One input text and the layers of spans the stages add to it."""

    id: str
    path: str
    text: str
    meta: Metadata = field(default_factory=Metadata)
    layers: dict[str, list[Span]] = field(default_factory=dict)
    cache: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    """What a stage derived from the text and layers and may reuse (e.g. the group stage's
    readings of each segment, see :mod:`newscollate.group.readings`); never stored."""

    @classmethod
    def from_text(cls, text: str, path: str, meta: Metadata | None = None) -> Document:
        """A document whose id is derived from its content: same text, same id."""
        return cls(id=content_id(text), path=path, text=text, meta=meta or Metadata())

    def add(self, layer: str, start: int, end: int, label: str = "", **data: Any) -> Span:
        if end > len(self.text):
            raise ValueError(f"span {start}:{end} outside document {self.id} ({len(self.text)} chars)")
        span = Span(self.id, start, end, label, data)
        self.layers.setdefault(layer, []).append(span)
        return span

    def spans(self, layer: str) -> list[Span]:
        return self.layers.get(layer, [])

    def set_layer(self, layer: str, spans: list[Span]) -> None:
        for span in spans:
            if span.doc != self.id or span.end > len(self.text):
                raise ValueError(f"span {span} does not belong to document {self.id}")
        self.layers[layer] = sorted(spans, key=lambda s: (s.start, s.end))

    def slice(self, span: Span) -> str:
        return self.text[span.start : span.end]

    def is_removed(self, start: int, end: int) -> bool:
        """Whether any character of ``start:end`` lies in a removed span."""
        return any(s.start < end and start < s.end for s in self.spans("removed"))

    @property
    def title(self) -> str | None:
        if self.meta.title:
            return self.meta.title
        for span in self.spans("title"):
            return self.slice(span)
        return None


def content_id(text: str) -> str:
    """A short stable id for a text: documents with the same text share it."""
    return "d" + hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest()


def iter_lines(text: str) -> Iterator[tuple[int, int]]:
    """Offsets ``(start, end)`` of each line, without its line break."""
    pos = 0
    length = len(text)
    while pos < length:
        nl = text.find("\n", pos)
        end = length if nl < 0 else nl
        line_end = end - 1 if end > pos and text[end - 1] == "\r" else end
        yield pos, line_end
        pos = end + 1


def strip_offsets(text: str, start: int, end: int) -> tuple[int, int]:
    """Narrow ``start:end`` so that it neither begins nor ends with whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end

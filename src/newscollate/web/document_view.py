"""A stored document as the document page shows it: its text cut into pieces at every
boundary of a removed passage, a segment and the highlighted span."""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Document, Span


@dataclass(frozen=True)
class Piece:
    """A run of the text with one look: removed (struck through, with the cleaner's reason) or
    kept, highlighted or not.  ``segment`` is the number (from 1) of the segment that starts
    here, if one does; ``segment_end`` whether one ends here."""

    text: str
    removed: str | None = None
    highlighted: bool = False
    segment: int | None = None
    segment_end: bool = False


def pieces(doc: Document, highlight: tuple[int, int] | None = None) -> list[Piece]:
    """``doc.text`` in pieces; joining their texts gives the text back exactly.

    ``highlight`` is a ``(start, end)`` span to mark, ignored when it is not inside the text.
    """
    text = doc.text
    if highlight and not (0 <= highlight[0] < highlight[1] <= len(text)):
        highlight = None
    removed = sorted(doc.spans("removed"), key=lambda s: s.start)
    segments = sorted(doc.spans("segments"), key=lambda s: s.start)
    starts = {s.start: n for n, s in enumerate(segments, 1)}
    ends = {s.end for s in segments}
    cuts = {0, len(text), *starts, *ends}
    for span in removed:
        cuts.update((span.start, span.end))
    if highlight:
        cuts.update(highlight)
    bounds = sorted(c for c in cuts if 0 <= c <= len(text))
    out = []
    for start, end in zip(bounds, bounds[1:]):
        out.append(
            Piece(
                text[start:end],
                removed=_reason(removed, start),
                highlighted=bool(highlight and highlight[0] <= start and end <= highlight[1]),
                segment=starts.get(start),
                segment_end=end in ends,
            )
        )
    return out


def _reason(removed: list[Span], offset: int) -> str | None:
    for span in removed:
        if span.start <= offset < span.end:
            return span.label or "removed"
        if span.start > offset:
            break
    return None

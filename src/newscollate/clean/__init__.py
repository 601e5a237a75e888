"""The clean stage: find page junk, paragraphs and glued stories in each document.

Nothing here changes a document's text; each component adds layers:

* :class:`JunkLineRemover` (``junk``): ``removed`` spans labelled ``ad``,
  ``promo``, ``disclaimer``, ``byline``, ``read-time``, ``photo-credit`` or
  ``sign-off`` (``data["rule"]`` names the rule that fired).
* :class:`RepeatedLineRemover` (``repeats``): ``removed`` spans labelled
  ``repeated-in-source`` for boilerplate an outlet repeats across documents.
* :class:`ParagraphSplitter` (``paragraphs``): layers ``title`` (at most one
  span) and ``paragraphs`` (kept body paragraphs; label ``heading`` for
  subheadings).
* :class:`StorySegmenter` (``segments``): layer ``segments``, consecutive
  paragraphs that tell one story (``data["index"]``; segment 0 is the
  document's main story, later ones are glued teasers).
"""

from __future__ import annotations

from ..model import Document
from ..pipeline import Component
from .junk import RULES, JunkConfig, JunkLineRemover
from .paragraphs import ParagraphConfig, ParagraphSplitter
from .repeats import REPEATED_REASON, RepeatConfig, RepeatedLineRemover
from .segment import SegmentConfig, StorySegmenter

__all__ = [
    "JunkConfig",
    "JunkLineRemover",
    "ParagraphConfig",
    "ParagraphSplitter",
    "RepeatConfig",
    "RepeatedLineRemover",
    "SegmentConfig",
    "StorySegmenter",
    "REASONS",
    "default_cleaners",
    "reset",
]


REASONS = frozenset({rule.reason for rule in RULES} | {REPEATED_REASON})
"""Every ``removed`` label the clean stage gives (readers add others, such as ``front-matter``)."""
LAYERS = ("title", "paragraphs", "segments")
"""The layers the clean stage adds besides ``removed``."""


def reset(doc: Document) -> None:
    """Drop what the clean stage added to ``doc``, keeping what its reader found,
    so that a stored document can be cleaned again with the rest of a corpus."""
    for layer in LAYERS:
        doc.layers.pop(layer, None)
    doc.set_layer("removed", [s for s in doc.spans("removed") if s.label not in REASONS])


def default_cleaners() -> list[Component]:
    """The clean stage's components, in the order they must run, with default settings."""
    return [JunkLineRemover(), RepeatedLineRemover(), ParagraphSplitter(), StorySegmenter()]

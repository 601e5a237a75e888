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

from ..pipeline import Component
from .junk import JunkConfig, JunkLineRemover
from .paragraphs import ParagraphConfig, ParagraphSplitter
from .repeats import RepeatConfig, RepeatedLineRemover
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
    "default_cleaners",
]


def default_cleaners() -> list[Component]:
    """The clean stage's components, in the order they must run, with default settings."""
    return [JunkLineRemover(), RepeatedLineRemover(), ParagraphSplitter(), StorySegmenter()]

"""Title and body paragraphs of each document, as spans over its kept lines.

Two layouts occur in scraped text: one paragraph per line (the usual output
of extractors), and hard-wrapped text (e-mail, wire copy, terminals) where a
paragraph is a blank-line-separated block of lines broken at about 60-80
characters.  A block is treated as wrapped when its lines are all short and
most of them (all but the last) stop mid-sentence; anything else is read one
paragraph per line, so a block of short complete sentences stays several
paragraphs.  Removed lines split blocks: no paragraph covers junk.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Document, Span
from .features import words_ahead
from .lines import WRAP_MAX_CHARS, WRAP_MIN_CHARS, WRAP_MIN_OPEN, Block, ends_sentence, is_wrapped, kept_blocks, words

_NORMAL = re.compile(r"\W+")


@dataclass(frozen=True)
class ParagraphConfig:
    """Settings of :class:`ParagraphSplitter`.

    ``title_max_words``: longest headline (headlines run 6-15 words; 20
    leaves room for long ones).  ``body_min_words``: a line this long and
    ending a sentence is "clearly body", so a headline can sit directly above
    it without a blank line.  ``wrap_max_chars`` and ``wrap_min_open``: see
    :func:`newscollate.clean.lines.is_wrapped`.  ``heading_max_words``: a
    kept line this short that does not end a sentence is labelled
    ``heading`` (a subheading such as "What happens next").
    """

    title_max_words: int = 20
    body_min_words: int = 15
    wrap_max_chars: int = WRAP_MAX_CHARS
    wrap_min_chars: int = WRAP_MIN_CHARS
    wrap_min_open: float = WRAP_MIN_OPEN
    heading_max_words: int = 12


class ParagraphSplitter:
    """Adds layers ``title`` (at most one span) and ``paragraphs`` (kept body paragraphs).

    Paragraph spans are whitespace-stripped, never overlap a removed span and
    never include the title.  Their label is ``heading`` for a subheading
    line and empty for body text.
    """

    name = "paragraphs"

    def __init__(self, config: ParagraphConfig = ParagraphConfig()) -> None:
        self.config = config

    def __call__(self, corpus) -> None:
        for doc in corpus.documents:
            self.split(doc)

    def split(self, doc: Document) -> None:
        blocks = list(kept_blocks(doc))
        title = self._title(doc, blocks)
        if title is not None:
            blocks[0] = blocks[0][1:]
        doc.set_layer("title", [Span(doc.id, *title, "title")] if title is not None else [])
        doc.set_layer("paragraphs", [span for block in blocks for span in self._block(doc, block)])

    def _title(self, doc: Document, blocks: list[Block]) -> tuple[int, int] | None:
        """Offsets of the title: the first kept line, when it reads as a headline.

        Junk and front matter before it are skipped: scraped pages often put
        an ad marker or a section label above the headline.
        """
        if not blocks:
            return None
        first = blocks[0][0]
        text = doc.text[first[0] : first[1]]
        if (
            doc.meta.title
            and _NORMAL.sub(" ", doc.meta.title).strip().lower() == _NORMAL.sub(" ", text).strip().lower()
        ):
            return first
        n = len(words(text))
        if not 0 < n <= self.config.title_max_words or text.rstrip("\"'”’)").endswith((".", ",", ";", ":")):
            return None
        if not (text[0].isupper() or text[0].isdigit() or text[0] in "\"'“‘"):
            return None
        if len(blocks[0]) == 1:
            # A headline stands alone: the next line is blank, junk or the end.
            return first
        body = doc.text[blocks[0][1][0] : blocks[0][1][1]]
        clearly_body = len(words(body)) >= max(self.config.body_min_words, 2 * n) and ends_sentence(body)
        return first if clearly_body and not self._wrapped([text, body]) else None

    def _wrapped(self, texts: list[str]) -> bool:
        cfg = self.config
        return is_wrapped(texts, cfg.wrap_max_chars, cfg.wrap_min_chars, cfg.wrap_min_open)

    def _block(self, doc: Document, block: Block) -> list[Span]:
        if not block:
            return []
        if len(block) > 1 and self._wrapped([doc.text[start:end] for start, end in block]):  # one line is not wrapped
            return [Span(doc.id, block[0][0], block[-1][1])]
        return [Span(doc.id, start, end, self._label(doc.text[start:end])) for start, end in block]

    def _label(self, text: str) -> str:
        if ends_sentence(text):
            return ""
        # Counting stops once the line is too long for a heading.
        return "" if words_ahead(self.config.heading_max_words + 1).match(text) else "heading"

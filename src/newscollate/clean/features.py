"""The features of one line that the junk rules share, computed only as far as they are needed.

Nearly every line of a page is an article paragraph that no rule accepts, so
what decides the cost is how fast each rule can say no: features are computed
on first use (:class:`Line`), word counts stop at the limit a rule asks about
(:meth:`Line.at_most`), and case-insensitive patterns get a prefilter that
searches a lowercased copy of the line case-sensitively (:func:`folded`),
which re does much faster.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from .lines import WORD, words

_REPORTING = re.compile(
    r"\b(?:said|says|told|tells|according to|announced|stated|added|reported|confirmed|explained|wrote|"
    r"warned|insisted|argued|claimed|recalled|admitted|acknowledged|estimated|predicted)\b",
    re.I,
)
_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"")


def _has_quotes(text: str) -> bool:
    """Whether _QUOTED can match: without its opening marks, unquoting changes nothing."""
    return '"' in text or "“" in text


class _lazy:
    """An attribute computed on first use and then stored on the instance (a
    ``functools.cached_property`` without the lock that makes 3.11's slow)."""

    def __init__(self, compute: Callable) -> None:
        self.compute = compute
        self.name = compute.__name__

    def __get__(self, line, owner=None):
        if line is None:
            return self
        value = line.__dict__[self.name] = self.compute(line)
        return value


class Line:
    """One stripped line and the features the rules share, each computed when a rule first asks."""

    def __init__(self, text: str) -> None:
        self.text = text
        # What at_most has learnt so far: the first _counted words end by offset _counted_to,
        # and n < _fewer_than (at the start: every word takes at least one character).
        self._counted = 0
        self._counted_to = 0
        self._fewer_than = len(text) + 1
        # Not lazy: nearly every line gets as far as the rules that need it.
        self.folded = folded(text)

    @_lazy
    def words(self) -> list[str]:
        return words(self.text)

    @_lazy
    def n(self) -> int:
        return len(self.words)

    @_lazy
    def first_word(self) -> str | None:
        """``self.words[0]`` (``None`` for no words), without splitting the whole line."""
        if "words" in self.__dict__:
            return self.words[0] if self.words else None
        m = WORD.search(self.text)
        return m.group() if m else None

    @_lazy
    def reporting(self) -> bool:
        return bool(_REPORTING.search(self.text))

    @_lazy
    def unquoted(self) -> str:
        # Quoted speech is the source talking, not the page: address features ignore it.
        text = self.text
        return _QUOTED.sub(" ", text) if _has_quotes(text) else text

    @_lazy
    def unquoted_folded(self) -> str | None:
        # Unquoting the folded text gives the same as folding the unquoted one: lowering keeps
        # every character's place (see _FOLD_TRAPS) and makes or unmakes no quotation mark.
        text = self.folded
        return text if text is None or not _has_quotes(self.text) else _QUOTED.sub(" ", text)

    def surely_longer_than(self, k: int) -> bool:
        """A quick test that says ``self.n > k`` for most long lines; ``False`` says nothing."""
        if k < 0:
            return True
        # k + 1 words take 2k + 1 characters at least.
        return len(self.text) > 2 * k and _chunks_ahead(k + 1).match(self.text) is not None

    def at_most(self, k: int) -> bool:
        """``self.n <= k``, counting on from what earlier calls counted and stopping at ``k + 1``
        words: most rules only ask whether a line is short, and most lines are long."""
        if "n" in self.__dict__:
            return self.n <= k
        if k < self._counted:
            return False
        if k + 1 >= self._fewer_than:
            return True
        more = words_ahead(k + 1 - self._counted).match(self.text, self._counted_to)
        if more is None:
            self._fewer_than = k + 1
            return True
        self._counted, self._counted_to = k + 1, more.end()
        return False


@lru_cache(maxsize=None)
def words_ahead(count: int) -> re.Pattern[str]:
    """Matches ``count`` :data:`WORD` tokens from a token boundary (the line start, a token's end).

    Each token is exactly the one ``WORD.findall`` takes (WORD's quantifiers are possessive, so it
    is never backtracked into two shorter ones), and ``[\\W_]*+`` skips what findall skips, so
    ``match`` succeeds iff at least ``count`` more words follow.
    """
    return re.compile(r"(?:[\W_]*+%s){%d}" % (WORD.pattern, count))


@lru_cache(maxsize=None)
def _chunks_ahead(count: int) -> re.Pattern[str]:
    """Matches ``count`` whitespace-separated chunks that hold a letter or digit, so at least
    ``count`` :data:`WORD` tokens: each holds one, and a token never spans whitespace.  Fewer
    steps than :func:`words_ahead` (a chunk is usually one token), but a lower bound only."""
    return re.compile(r"(?:[\W_]*+[^\W_]\S*+){%d}" % count)


# re.IGNORECASE matches these to ASCII letters (i, s) that str.lower() does not turn them into
# ("İ" even lowers to two characters).  Checked over every code point (Python 3.11): any other
# character it matches to an ASCII letter lowers to that letter (the Kelvin sign to k), it
# matches a symbol (ASCII, ’, —, –) only to itself, and lowering changes no character's length
# or its membership of \w, \s and \d (so \b and $ hold where they held).
_FOLD_TRAPS = ("İ", "ı", "ſ")


def folded(text: str) -> str | None:
    """``text.lower()`` for prefilters, or ``None`` where it could hide a match.

    A pattern whose letters are lowercase that matches ``text`` under re.IGNORECASE also
    matches ``folded(text)`` without it, at the same place; so a case-sensitive search on the
    folded text is a necessary condition, and much faster (re skips impossible branches only
    when it need not fold case).
    """
    if not text.isascii() and any(trap in text for trap in _FOLD_TRAPS):
        return None
    return text.lower()


def folded_pattern(pattern: str) -> re.Pattern[str]:
    """``pattern`` compiled case-sensitively to search :func:`folded` text; so that a match of
    ``re.compile(pattern, re.I)`` implies one here, its letters must be lowercase."""
    if any(c.isupper() for c in re.sub(r"\\.", "", pattern)):
        raise ValueError(f"folded pattern with an uppercase letter: {pattern!r}")
    return re.compile(pattern)

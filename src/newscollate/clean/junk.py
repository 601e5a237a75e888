"""Page junk: lines a scraper kept that are not part of the article.

Each line of a document is tested against a list of named rules; the first
that fires removes the line as a ``removed`` span whose label is the reason
(``ad``, ``promo``, ``disclaimer``, ``byline``, ``read-time``,
``photo-credit``, ``sign-off``) and whose ``data["rule"]`` names the rule.

The rules generalise by looking at a line's *shape* as well as its words:
junk is short and label-like (``Photo: AFP``, ``5 min read``), or it addresses
the reader (imperatives such as *subscribe*, *follow us*, second person
*you/your*, the outlet's *we/our*), and it never reports (no *said*, *told*,
*according to*).  An article sentence that merely mentions a cue word
("The council urged residents to subscribe to flood alerts, officials said.")
has the wrong shape and survives.  Nothing here names an outlet.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from ..model import Document
from .features import Line
from .lines import Block, ends_sentence, is_wrapped, kept_blocks, words
from .promo import (
    disclaimer_cues,
    disclaimer_label,
    promo_cta,
    promo_label,
    promo_redirect,
    promo_share,
)

@dataclass(frozen=True)
class JunkConfig:
    """Settings of :class:`JunkLineRemover`.

    ``short_words``: a line of at most this many words is "short"; label-like
    junk (bylines, ad markers, read times) must be short, and shortness adds
    one point to the promo score.  ``label_max_words``: longest line that
    starts with a label ("Read more: <headline>", a captioned credit, wire
    credits, a copyright notice).  ``promo_threshold``: points a line needs to be
    promo (an imperative call to action is 2, addressing the reader as
    you/your 1, the outlet as we/our 1, promo nouns such as newsletter or app
    1-2, a reporting verb -3, every ``promo_words_per_point`` words -1); 3
    means a call to action plus one more sign.
    ``disclaimer_threshold``: distinct risk/advice cues a line needs (a
    reporting verb costs 2); two cues together are never an article's
    sentence, one often is.  ``disabled``: rule names to skip.
    """

    short_words: int = 12
    label_max_words: int = 30
    promo_threshold: int = 3
    promo_words_per_point: int = 40
    disclaimer_threshold: int = 2
    disabled: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # Any collection of names will do; a tuple keeps the settings hashable (see _rules_by_length).
        object.__setattr__(self, "disabled", tuple(self.disabled))


_CONNECTORS = frozenset("and of the de da del der van von la le al bin in via".split())


def _name_like(text: str, max_words: int = 8) -> bool:
    """A short run of capitalised words ("Jane Doe", "Staff Reporter", "AFP/Getty Images")."""
    tokens = words(text)
    if not 0 < len(tokens) <= max_words:
        return False
    capitals = [t for t in tokens if t[0].isupper() or t[0].isdigit()]
    return bool(capitals) and all(t[0].isupper() or t[0].isdigit() or t.lower() in _CONNECTORS for t in tokens)


# --- ad ---------------------------------------------------------------------------------------------------

_AD_CORE = frozenset(
    """
    ad ads advert adverts advertisement advertisements advertising advertorial sponsored sponsor
    promoted
    """.split()
)
_AD_FILLER = frozenset(
    """
    image images content story article text continues continue below after this the scroll to reading
    partner partners paid post from our by feature skip close banner here links link for and a an video
    """.split()
)


_AD_WORDS = _AD_CORE | _AD_FILLER
_CAMEL_JOIN = re.compile(r"([a-z])([A-Z])")


def _ad_marker(line: Line, cfg: JunkConfig) -> bool:
    """Only ad vocabulary: "- Advertisement -", "Story continues below advertisement", "Ad imageAd image"."""
    if not line.at_most(cfg.short_words):
        return False
    # Cheap necessary conditions first.  The first token (below) must be ad vocabulary: it is the
    # line's first word, cut after its first lower-to-upper join if it has one.
    first = line.first_word
    if first is None:
        return False
    join = _CAMEL_JOIN.search(first)
    if (first[: join.start() + 1] if join else first).lower() not in _AD_WORDS:
        return False
    # Every word of _AD_CORE contains one of these (its lowercase form is part of the line's).
    text = line.folded
    if text is not None and not ("ad" in text or "sponsor" in text or "promoted" in text):
        return False
    # Scraped image alt texts run together ("Ad imageAd image"): split at lower-to-upper joins.
    tokens = [t.lower() for t in words(_CAMEL_JOIN.sub(r"\1 \2", line.text))]
    return (
        len(tokens) <= cfg.short_words
        and any(t in _AD_CORE for t in tokens)
        and all(t in _AD_CORE or t in _AD_FILLER for t in tokens)
    )


_SPONSOR = re.compile(r"^(?:sponsored by|paid for by|presented by|brought to you by|in partnership with)\s+(.+)$", re.I)


def _ad_sponsor(line: Line, cfg: JunkConfig) -> bool:
    """A sponsor credit: "Sponsored by Acme Bank"."""
    m = _SPONSOR.match(line.text)
    return bool(m) and _name_like(m.group(1).rstrip("."), cfg.short_words)


# --- byline -----------------------------------------------------------------------------------------------

_BY = re.compile(r"^(?:by|written by|words by|story by|text by|posted by|compiled by|edited by)\s+(.+)$", re.I)
# "By Tuesday, ...", "By Contrast" and "By Design" open sentences and headings, not bylines.
_NOT_NAMES = frozenset(
    """
    monday tuesday wednesday thursday friday saturday sunday january february march april may june july
    august september october november december then now contrast comparison far law default design
    mistake chance
    """.split()
)


_NAME_END = re.compile(r"\s*(?:[|•·,;–—]|\s-\s)\s*")


def _byline_name(line: Line, cfg: JunkConfig) -> bool:
    """An author line: "By Jane Doe", "By STAFF REPORTER | Updated 10:42", "By News Desk"."""
    m = _BY.match(line.text)
    if not m or not line.at_most(cfg.short_words):
        return False
    # What follows the name (a role, an outlet, a date) comes after a separator.
    name = _NAME_END.split(m.group(1).strip())[0].rstrip(".")
    return _name_like(name) and words(name)[0].lower() not in _NOT_NAMES


_CREDITS = re.compile(
    r"^\(?(?:additional )?(?:reporting|writing|editing|research|graphics|production) by\s+[A-Z]", re.I
)


def _byline_credits(line: Line, cfg: JunkConfig) -> bool:
    """Wire credits: "Reporting by Jane Doe in Lisbon; Editing by John Roe"."""
    m = _CREDITS.match(line.text)
    # The name must be capitalised: "Reporting by local outlets ..." is a sentence.
    return (
        bool(m)
        and line.text[m.end() - 1].isupper()
        and line.at_most(cfg.label_max_words)
        and not line.reporting
    )


# --- read-time --------------------------------------------------------------------------------------------

_READ_TIME = re.compile(
    r"\b\d+\s*[- ]?min(?:ute)?s?\.?\s+(?:read|reading)(?![\w-])"
    r"|\b(?:reading|read) time\s*[:-]?\s*(?:about |approx\.? )?\d+",
    re.I,
)


def _read_time(line: Line, cfg: JunkConfig) -> bool:
    """Reading-time labels: "5 Min Read", "Reading time: 3 minutes", "Updated 09:12 · 4 min read"."""
    if not line.at_most(cfg.short_words):
        return False
    text = line.folded  # both branches of _READ_TIME contain "read"
    if text is not None and "read" not in text:
        return False
    return not ends_sentence(line.text) and bool(_READ_TIME.search(line.text))


# --- photo-credit -----------------------------------------------------------------------------------------

_CREDIT_LABEL = re.compile(
    r"^\(?\s*(?:file |handout |stock )?(?:photo|photos|photograph|image|images|picture|pic|illustration|graphic|video)"
    r"( credit| courtesy| source)?s?\s*(?:[:|/]|by)\s*(.+?)\s*\)?\.?$",
    re.I,
)
_CREDIT_SUFFIX = re.compile(
    r"[.(]\s*\(?\s*(?:photo|image|picture|photograph)(?: credit)?\s*:\s*([^.:()]{1,60})\)?\.?$", re.I
)
_PICTURE_WORDS = ("photo", "image", "picture")  # one is in every _CREDIT_SUFFIX match
_FILE_PHOTO = re.compile(
    r"^\(?\s*(?:file|stock|representational|representative|illustrative|archive|handout)\s+(?:photo|image|picture|pic)s?"
    r"\s*\)?\.?(?:\s*[/|:]\s*.{1,60})?$",
    re.I,
)


def _photo_credit(line: Line, cfg: JunkConfig) -> bool:
    """A credit line: "Photo: AFP", "(Photo: Getty Images)", "Image credit: city archive"."""
    m = _CREDIT_LABEL.match(line.text)
    if not m or not line.at_most(cfg.short_words):
        return False
    # "Image credit:" says what follows; after a bare "Photo:" it must start like a name, not a sentence.
    credit = m.group(2)
    return bool(m.group(1)) or credit[0].isupper() or credit[0].isdigit()


def _photo_file(line: Line, cfg: JunkConfig) -> bool:
    """A bare picture label: "File photo", "Representational image"."""
    return bool(_FILE_PHOTO.match(line.text)) and line.at_most(cfg.short_words)


def _photo_caption(line: Line, cfg: JunkConfig) -> bool:
    """A caption ending in its credit: "Crews clear the road on Tuesday. Photo: Jane Doe"."""
    # Cheap necessary parts of a match first: its colon and its picture word (in lowercase).
    text = line.folded
    if ":" not in line.text or (text is not None and not any(map(text.__contains__, _PICTURE_WORDS))):
        return False
    m = _CREDIT_SUFFIX.search(line.text)
    return bool(m) and line.at_most(cfg.label_max_words) and _name_like(m.group(1).replace("/", " "))


# --- sign-off ---------------------------------------------------------------------------------------------

_DOMAIN = re.compile(r"^[-–—•]?\s*(?:https?://)?(?:www\.)?(?:[A-Za-z0-9][A-Za-z0-9-]*\.)+[a-z]{2,24}(?:/\S*)?$")
_COPYRIGHT = re.compile(r"^(?:©|\(c\)|copyright\s*(?:©|\(c\)|\d{4}))|\ball rights reserved\W*$", re.I)
_END_MARK = re.compile(r"^(?:#{3,}|-30-|\(?ends?\)?|[-–—]+\s*end\s*[-–—]+)\.?$", re.I)


def _signoff_domain(line: Line, cfg: JunkConfig) -> bool:
    """The outlet's address alone on a line: "example.com", "www.example.co.uk"."""
    return bool(_DOMAIN.match(line.text))


def _signoff_copyright(line: Line, cfg: JunkConfig) -> bool:
    """A copyright notice: "© 2026 Example Media. All rights reserved."."""
    if not line.at_most(cfg.label_max_words):
        return False
    # _COPYRIGHT's two branches: a notice opening the line, or one ending it.
    text = line.folded
    if text is not None and not (text.startswith(("©", "(c)", "copyright")) or "all rights reserved" in text):
        return False
    return bool(_COPYRIGHT.search(line.text))


def _signoff_end(line: Line, cfg: JunkConfig) -> bool:
    """An end-of-copy mark: "###", "-30-", "(Ends)"."""
    return bool(_END_MARK.match(line.text))


@dataclass(frozen=True)
class Rule:
    """A named test of one line; lines it accepts are removed with ``reason``.

    ``word_limit`` names the :class:`JunkConfig` field (``short_words`` or
    ``label_max_words``) above which ``test`` itself rejects every line, or is
    ``None``; :func:`classify` uses it only to skip tests that cannot accept a
    long line, so it must never claim a limit the test does not enforce.
    """

    name: str
    reason: str
    test: Callable[[Line, JunkConfig], bool]
    word_limit: str | None = None


_SHORT, _LABEL = "short_words", "label_max_words"
RULES: tuple[Rule, ...] = (
    Rule("ad-marker", "ad", _ad_marker, _SHORT),
    Rule("ad-sponsor", "ad", _ad_sponsor),  # its name is short, the line need not be
    Rule("read-time", "read-time", _read_time, _SHORT),
    Rule("byline-name", "byline", _byline_name, _SHORT),
    Rule("byline-credits", "byline", _byline_credits, _LABEL),
    Rule("photo-credit", "photo-credit", _photo_credit, _SHORT),
    Rule("photo-file", "photo-credit", _photo_file, _SHORT),
    Rule("photo-caption", "photo-credit", _photo_caption, _LABEL),
    Rule("sign-off-domain", "sign-off", _signoff_domain),
    Rule("sign-off-copyright", "sign-off", _signoff_copyright, _LABEL),
    Rule("sign-off-end", "sign-off", _signoff_end),
    Rule("disclaimer-label", "disclaimer", disclaimer_label),
    Rule("disclaimer-cues", "disclaimer", disclaimer_cues),
    Rule("promo-label", "promo", promo_label, _LABEL),
    Rule("promo-redirect", "promo", promo_redirect, _LABEL),
    Rule("promo-share", "promo", promo_share, _SHORT),
    Rule("promo-cta", "promo", promo_cta),
)
"""Every rule, in the order they are tried: the first that accepts a line decides its reason."""

_Tiers = tuple[tuple[int, tuple[Rule, ...]], ...]


@lru_cache(maxsize=64)
def _rules_by_length(config: JunkConfig) -> _Tiers:
    """The enabled rules that can accept a line of at most so many words, for each word limit in
    ``config`` (smallest first), then for any length (``-1``), each in the order of :data:`RULES`."""
    enabled = [rule for rule in RULES if rule.name not in config.disabled]
    limits = sorted({config.short_words, config.label_max_words})
    tiers = [
        (k, tuple(r for r in enabled if r.word_limit is None or getattr(config, r.word_limit) >= k)) for k in limits
    ]
    return (*tiers, (-1, tuple(r for r in enabled if r.word_limit is None)))


def classify(text: str, config: JunkConfig = JunkConfig()) -> Rule | None:
    """The rule that makes one (stripped) line junk, or ``None`` for an article line."""
    return _classify(text, config, _rules_by_length(config))


def _classify(text: str, config: JunkConfig, tiers: _Tiers) -> Rule | None:
    line = Line(text)
    # Most lines are article paragraphs, longer than any label: only a few rules can take them.
    # A quick lower bound on the word count settles most; the others are counted, the smaller
    # limit first so that one incremental count answers every limit.
    rules = tiers[-1][1]
    if not line.surely_longer_than(tiers[-2][0]):
        for k, tier in tiers[:-1]:
            if line.at_most(k):
                rules = tier
                break
    for rule in rules:
        if rule.test(line, config):
            return rule
    return None


class JunkLineRemover:
    """Removes page-junk lines (ads, promos, disclaimers, bylines, credits, sign-offs).

    Adds ``removed`` spans labelled with the reason, ``data["rule"]`` = rule
    name; lines already removed by an earlier stage are left alone.  A
    hard-wrapped paragraph is first judged whole (its lines alone are
    fragments of a sentence), then every remaining line on its own.
    """

    name = "junk"

    def __init__(self, config: JunkConfig = JunkConfig()) -> None:
        self.config = config
        self._tiers = _rules_by_length(config)

    def __call__(self, corpus) -> None:
        # Pages of one outlet share their junk, and copies of a story share its lines: each distinct
        # line of the corpus is classified once.
        verdicts: dict[str, Rule | None] = {}
        for doc in corpus.documents:
            self._clean(doc, verdicts)

    def clean(self, doc: Document) -> None:
        self._clean(doc, {})

    def _clean(self, doc: Document, verdicts: dict[str, Rule | None]) -> None:
        """Judges ``doc``'s lines, looking each text's rule up in ``verdicts`` or recording it there."""
        left: list[Block] = []
        for block in list(kept_blocks(doc)):
            if len(block) > 1:  # a single line is no wrapped paragraph
                texts = [doc.text[start:end] for start, end in block]
                if is_wrapped(texts) and self._judge(doc, block[0][0], block[-1][1], " ".join(texts), verdicts):
                    continue
            left.append(block)
        # The lines still kept are those of the blocks left: a block's span meets no other block's line.
        for block in left:
            for start, end in block:
                self._judge(doc, start, end, doc.text[start:end], verdicts)

    def _judge(self, doc: Document, start: int, end: int, text: str, verdicts: dict[str, Rule | None]) -> bool:
        """Removes ``start:end`` if ``text`` is junk; whether it was."""
        if text in verdicts:
            rule = verdicts[text]
        else:
            rule = verdicts[text] = _classify(text, self.config, self._tiers)
        if rule is not None:
            doc.add("removed", start, end, rule.reason, rule=rule.name)
        return rule is not None

"""Rules for junk that addresses the reader: promos and disclaimers.

Unlike label-like junk, these lines can be long (a promo paragraph, a
multi-sentence risk warning), so they are scored: calls to action, second
person, the outlet's "we", promo nouns and risk cues add points; reporting
verbs and length take them away.  Used by :mod:`newscollate.clean.junk`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .features import folded_pattern

if TYPE_CHECKING:
    from .features import Line
    from .junk import JunkConfig

# --- promo ------------------------------------------------------------------------------------------------

_PROMO_LABEL = re.compile(
    r"^(?:read more|read also|also read|also see|see also|related|related (?:stories|articles|coverage|news|reading)|"
    r"recommended(?: stories| for you)?|more (?:from|on) [\w ]{1,30}|more stories|trending(?: now)?|watch(?: now)?|"
    r"listen(?: now)?|explore more|you (?:may|might) also like|don['’]t miss|editor['’]?s picks?|top stories|"
    r"latest news|must read)\s*(?:[:|»>–—]|-\s|$)",
    re.I,
)


def promo_label(line: Line, cfg: JunkConfig) -> bool:
    """A link to another story: "Read more: ...", "Also read: ...", "Related: ..."."""
    return bool(_PROMO_LABEL.match(line.text)) and line.at_most(cfg.label_max_words)


_REDIRECT = re.compile(
    r"^for (?:[\w-]+ ){0,4}?(?:stories|news|updates|coverage|information|info|articles|reports|analysis|content|"
    r"videos)\b.{0,80}?[,:]\s*(?:please\s+)?(?:visit|follow|see|go to|head to|log on to|check out|click|tap|"
    r"subscribe|read|download|join)\b",
    re.I,
)


def promo_redirect(line: Line, cfg: JunkConfig) -> bool:
    """A pointer elsewhere: "For more business news, visit: ...", "For full coverage, follow us on ..."."""
    return bool(_REDIRECT.match(line.text)) and line.at_most(cfg.label_max_words) and not line.reporting


_SHARE = re.compile(
    r"^(?:share (?:this|on|via|article|story|post)|share\s*[:|]|share$|click to share|"
    r"tweet this|email this|print this|copy link)",
    re.I,
)
_SOCIAL = frozenset(
    """
    facebook twitter x whatsapp email e-mail linkedin telegram pinterest reddit print copy link share
    messenger instagram tiktok youtube bluesky threads
    """.split()
)


def promo_share(line: Line, cfg: JunkConfig) -> bool:
    """Share buttons: "Share this article", "Facebook Twitter WhatsApp Email"."""
    if not line.at_most(cfg.short_words):
        return False
    if _SHARE.match(line.text):
        return True
    # Icons: every word is a network's name, so the first one is (a cheap test before splitting).
    first = line.first_word
    if first is None or first.lower() not in _SOCIAL:
        return False
    return line.n >= 2 and all(w.lower() in _SOCIAL for w in line.words)


# Where an imperative can stand: the start of the line, a sentence or a clause.
_ADVERB = r"(?:please |also |now |just |simply |be sure to |don['’]t forget to |remember to )?"
_IMPERATIVE_AT = r"(?:^|[.!?:;,|—–]\s*)" + _ADVERB
# Calls to action, each with the objects that make it one ("Follow us", not "Follow the money").
_CTA_PHRASE = (
    r"(?:subscribe|sign up|log in|click|tap|stay (?:updated|tuned|informed|connected|ahead|in the loop)"
    r"|register (?:now|today|here|for (?:free|our))"
    r"|(?:download|install) (?:(?:the|our|this) )?(?:\w+ )?(?:app|podcast|e-?paper)"
    r"|(?:download|install) (?:now|today|here|for free)|follow (?:us|our|me|@|on\b)"
    r"|visit (?:us|our|the \w* ?(?:website|site|page)|www\.)"
    r"|join (?:us|our|the conversation|the discussion)|like us|share (?:this|your (?:thoughts|views|story))"
    r"|get (?:the latest|our|breaking|daily|unlimited|full access)|(?:don['’]t|never) miss"
    r"|check out (?:our|the latest|more)"
    r"|(?:watch|listen) (?:now|live|here|more|the full|our)|read (?:more|the full|our|the latest)"
    r"|support (?:us|our|independent|quality)|have your say|let us know|tell us|leave a comment|contact us|email us"
    r"|send us|write to us)\b"
)
_CTA = re.compile(_IMPERATIVE_AT + _CTA_PHRASE, re.I)
# First-person-plural CTAs are the outlet talking wherever they stand ("... follow or visit our website").
_OUR_CTA = re.compile(r"\b(?:visit|follow|join|support|subscribe to|download|read) (?:us|our)\b", re.I)
_YOU = re.compile(r"\b(?:you|your|yours)\b", re.I)
_WE = re.compile(r"\b(?:we|our|us)\b", re.I)
_PROMO_NOUN = re.compile(
    r"\b(?:newsletters?|websites?|apps?|inbox|channels?|podcasts?|e-?paper|subscriptions?|subscribers?|"
    r"breaking news|latest news|alerts|headlines|stories|coverage|updates|journalism|exclusives?|"
    r"facebook|twitter|instagram|whatsapp|telegram|youtube|tiktok|linkedin)\b|@\w+|\b\w+\.(?:com|org|net|co)\b",
    re.I,
)


# Prefilter: a line none of these match has no call to action (promo_score 0).  They are _CTA and
# _OUR_CTA run case-sensitively on the folded text (see features.folded), _CTA split at its
# "(?:^|punctuation)" so that re jumps from one punctuation mark to the next instead of trying
# every position; and _OUR_CTA's every match contains " us" or " our".
_CTA_FIRST = folded_pattern(_ADVERB + _CTA_PHRASE)
_CTA_AFTER = folded_pattern(r"[.!?:;,|—–]\s*" + _ADVERB + _CTA_PHRASE)
_OUR_CTA_FOLDED = folded_pattern(_OUR_CTA.pattern)


def _may_call_to_action(line: Line) -> bool:
    text = line.unquoted_folded
    return (
        text is None
        or bool(_CTA_FIRST.match(text) or _CTA_AFTER.search(text))
        or ((" us" in text or " our" in text) and bool(_OUR_CTA_FOLDED.search(text)))
    )


def promo_score(line: Line, cfg: JunkConfig) -> int:
    """Points for a line addressing the reader; see :class:`JunkConfig` for the weights."""
    if not _may_call_to_action(line):
        return 0
    text = line.unquoted
    ctas = len(_CTA.findall(text)) + len(_OUR_CTA.findall(text))
    if not ctas:
        # Without a call to action, you/our/newsletter is an explainer or a quote, not promo.
        return 0
    nouns = len({m.lower() for m in _PROMO_NOUN.findall(text)})
    return (
        2 * min(ctas, 2)
        + bool(_YOU.search(text))
        + bool(_WE.search(text))
        + min(nouns, 2)
        + (line.n <= cfg.short_words)
        - 3 * line.reporting
        # A long paragraph must be promo throughout, not an article paragraph ending "visit www.x.com".
        - line.n // cfg.promo_words_per_point
    )


def promo_cta(line: Line, cfg: JunkConfig) -> bool:
    """Calls to action, however long: "Subscribe now", "Stay updated with ... visit our website."."""
    return promo_score(line, cfg) >= cfg.promo_threshold


# --- disclaimer -------------------------------------------------------------------------------------------

_DISCLAIMER_LABEL = re.compile(r"^(?:disclaimer|risk warning|risk disclosure|disclosure|legal notice)\s*[:–—]", re.I)
_CUE_PATTERNS = (
    r"\brisk warning\b",
    r"\b(?:investment|financial|trading|legal|tax) advice\b",
    r"\bnot (?:constitute|be (?:construed|considered|taken) as|intended (?:as|to be)|meant as)\b",
    r"\bfor (?:informational|informative|information|reference|educational|general information) purposes only\b"
    r"|\bfor reference only\b",
    r"\bpast performance\b",
    r"\bcfds?\b|\bspread bets?\b|\bcontracts? for difference\b",
    r"\bcapital (?:loss|at risk)\b|\blose (?:some|all|more than)\b.{0,30}\b(?:capital|investment|money)\b",
    r"\b(?:high|significant) (?:degree of |level of )?risk\b",
    r"\b(?:do|conduct) your own research\b|\bdyor\b",
    r"\bconsult (?:a|an|your) (?:\w+ )?(?:financial|investment|tax) (?:adviser|advisor|professional)\b",
    r"\b(?:views|opinions) expressed\b|\bauthor['’]?s? (?:own )?views\b"
    r"|\bnot (?:necessarily )?(?:represent|reflect) the (?:views|stance|opinion|position)\b",
    r"\baffiliate (?:links?|commissions?)\b",
    r"\bretail (?:investors?|clients?)\b",
)
_DISCLAIMER_CUES = tuple(re.compile(p, re.I) for p in _CUE_PATTERNS)
# Prefilter keys, one entry per cue above: every match of the cue, lowercased, contains one of
# its keys, so only the cues with a key in the line's folded text (see features.folded) are run.
# Substring tests, because re tries an alternation such as a cue's at every position of a line.
_CUE_KEYS = (
    ("risk warning",),
    ("advice",),
    ("not ",),
    ("purposes only", "reference only"),
    ("past performance",),
    ("cfd", "spread bet", "for difference"),
    ("capital loss", "capital at risk", "lose "),
    ("risk",),
    ("your own research", "dyor"),
    ("consult ",),
    ("expressed", "author", "not "),
    ("affiliate ",),
    ("retail ",),
)
# The first test, which nearly every line fails: all keys, less those that contain another
# ("risk warning"), and with "not ", which is in most paragraphs, narrowed to what follows it
# in cues 3 and 11.
_NOT_CUE = folded_pattern("not (?:constitute|be |intended|meant|necessarily|represent|reflect)")
_ALL_KEYS = {key for keys in _CUE_KEYS for key in keys} - {"not "}
_FIRST_KEYS = tuple(sorted(key for key in _ALL_KEYS if not any(k != key and k in key for k in _ALL_KEYS)))


def disclaimer_label(line: Line, cfg: JunkConfig) -> bool:
    """A line introduced as one: "Disclaimer: ...", "Risk warning: ..."."""
    return bool(_DISCLAIMER_LABEL.match(line.text))


def disclaimer_cues(line: Line, cfg: JunkConfig) -> bool:
    """Risk and not-advice boilerplate: two or more distinct cues ("CFDs", "capital loss", ...)."""
    text = line.folded
    if text is None:
        patterns = _DISCLAIMER_CUES
    elif not (any(map(text.__contains__, _FIRST_KEYS)) or _NOT_CUE.search(text)):
        return False
    else:
        patterns = [p for p, keys in zip(_DISCLAIMER_CUES, _CUE_KEYS) if any(map(text.__contains__, keys))]
    # The cues left out cannot match, so this is the number of distinct cues in the line.
    cues = sum(bool(p.search(line.text)) for p in patterns)
    return cues > 0 and cues - 2 * line.reporting >= cfg.disclaimer_threshold

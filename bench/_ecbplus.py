"""Reading the ECB+ corpus (Cybulska and Vossen, 2014) as plain-text documents with gold events.

A folder in the ECB+ layout holds one sub-folder per topic, named by its number,
with files ``<topic>_<n>ecb.xml`` and ``<topic>_<n>ecbplus.xml``.  Each file is
tokenised text in ``<token t_id=.. sentence=.. number=..>word</token>``
elements followed by stand-off markup: ``<Markables>`` (mentions of actions,
times, places and participants, each ``m_id`` anchored to tokens) and
``<Relations>``, whose ``CROSS_DOC_COREF`` elements join mentions to an
instance (``instance_id``) shared across documents; instances starting ``ACT``
are events.  Of that markup only the cross-document mentions are kept, as
character spans of the text (:attr:`EcbDoc.mentions`).  Within a topic
the ``ecb`` and the ``ecbplus`` documents report two different real events of
the same kind, so a document's gold event is its topic and half
(``"12ecbplus"``).

The ``ecbplus`` files start with the URL the text was found at, tokenised as
sentence 0; it is kept apart in :attr:`EcbDoc.url`, not in the text (the
``ecb`` half has none, so leaving it in would hand every system a feature that
tells the halves apart).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

FILE_NAME = re.compile(r"(\d+)_(\d+)(ecb|ecbplus)\.xml")

#: Tokens written against the word before them.
_ATTACH_LEFT = {",", ".", ";", ":", "!", "?", "%", ")", "]", "}", "...", "'s", "'S", "n't", "N'T",
                "'re", "'m", "'ve", "'d", "'ll", "’s", "’re", "’m", "’ve", "’d", "’ll"}  # fmt: skip
#: Tokens written against the word after them.
_ATTACH_RIGHT = {"(", "[", "{", "$", "#"}
_OPENING_QUOTES = {"``", "“", "‘"}
_CLOSING_QUOTES = {"''", "”", "’"}


class EcbLayoutError(ValueError):
    """The folder or one of its files is not in the ECB+ layout."""


@dataclass(frozen=True)
class Mention:
    """A mention with a cross-document instance, as characters of the document's text."""

    instance: str
    """The instance id, e.g. ``ACT16236402809085484`` (an event) or ``HUM...`` (a participant)."""
    start: int
    end: int
    """From the first anchored token's start to the last one's end (a mention may skip words)."""
    line: int
    """Index of the line (sentence) of the text holding the first token."""


@dataclass(frozen=True)
class EcbDoc:
    name: str
    """The file name without ``.xml``, e.g. ``12_3ecbplus``."""
    topic: int
    half: str
    """``"ecb"`` or ``"ecbplus"``: which of the topic's two events the document reports."""
    number: int
    text: str
    """The detokenised text, one sentence a line."""
    url: str | None = None
    """Where an ``ecbplus`` text was found (its sentence 0), else ``None``."""
    lines: tuple[tuple[int, int], ...] = ()
    """Character span of each line (sentence) of :attr:`text`, in order."""
    mentions: tuple[Mention, ...] = ()
    """Mentions that a ``CROSS_DOC_COREF`` relation gives an instance, in text order."""

    @property
    def gold(self) -> str:
        """The document's gold event, e.g. ``"12ecbplus"``."""
        return f"{self.topic}{self.half}"


def load_ecbplus(folder: Path | str, topics: Iterable[int] | None = None) -> list[EcbDoc]:
    """Every document of the ECB+ ``folder`` (only ``topics`` when given), sorted by topic, half and number.

    Raises :class:`EcbLayoutError` naming the folder or file when the layout is wrong.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise EcbLayoutError(f"{folder} is not a folder")
    wanted = None if topics is None else set(topics)
    docs = []
    for topic_dir in folder.iterdir():
        if not (topic_dir.is_dir() and topic_dir.name.isdigit()):
            continue
        topic = int(topic_dir.name)
        if wanted is not None and topic not in wanted:
            continue
        for path in topic_dir.glob("*.xml"):
            match = FILE_NAME.fullmatch(path.name)
            if not match:
                raise EcbLayoutError(f"{path}: not named <topic>_<n>ecb.xml or <topic>_<n>ecbplus.xml")
            if int(match[1]) != topic:
                raise EcbLayoutError(f"{path}: topic {match[1]} in the name, but it lies in folder {topic_dir.name}")
            docs.append(read_document(path, topic, match[3], int(match[2])))
    if not docs:
        which = "" if wanted is None else f" of topics {', '.join(map(str, sorted(wanted)))}"
        raise EcbLayoutError(
            f"{folder} holds no ECB+ documents{which}: expected <topic>/<topic>_<n>ecb.xml and "
            "<topic>_<n>ecbplus.xml files, e.g. 1/1_10ecb.xml"
        )
    docs.sort(key=lambda d: (d.topic, d.half, d.number))
    return docs


def read_document(path: Path, topic: int, half: str, number: int) -> EcbDoc:
    sentences: dict[str, list[tuple[str, str]]] = {}  # sentence -> (t_id, word)
    markup = _Markup()
    try:
        for _event, element in ET.iterparse(path):
            if element.tag == "token":
                sentence = element.get("sentence")
                if sentence is None:
                    raise EcbLayoutError(f"{path}: a <token> without a sentence attribute")
                sentences.setdefault(sentence, []).append((element.get("t_id", ""), element.text or ""))
            else:
                markup.read(element)
            element.clear()
    except ET.ParseError as exc:
        raise EcbLayoutError(f"{path}: not well-formed XML ({exc})") from None
    if not sentences:
        raise EcbLayoutError(f"{path}: no <token> elements")
    url = None
    first = next(iter(sentences))
    if half == "ecbplus" and sentences[first] and sentences[first][0][1].lower() in ("http", "https"):
        url = "".join(word for _, word in sentences.pop(first))
    words = [[word for _, word in tokens] for tokens in sentences.values()]
    # The ecbplus half was tokenised by a tool that splits hyphenated words; in the ecb half a lone "-" is a dash.
    splits_hyphens = half == "ecbplus" and not any(re.search(r"\w-\w", t) for ts in words for t in ts)
    quote_open = {'"': False, "'": False}
    lines: list[tuple[int, int]] = []
    token_at: dict[str, tuple[int, int, int]] = {}  # t_id -> (start, end, line)
    parts, start = [], 0
    for tokens, sentence_words in zip(sentences.values(), words):
        line, offsets = _detokenise(sentence_words, splits_hyphens, quote_open)
        if not line:
            continue
        for (t_id, _), (a, b) in zip(tokens, offsets):
            token_at[t_id] = (start + a, start + b, len(lines))
        lines.append((start, start + len(line)))
        parts.append(line)
        start += len(line) + 1
    text = "\n".join(parts)
    return EcbDoc(path.stem, topic, half, number, text + "\n", url, tuple(lines), markup.mentions(token_at))


class _Markup:
    """Collects mentions and cross-document relations while the file streams by.

    ``iterparse`` reports an element when it ends, children first, and the
    reader clears each element then: a mention's ``token_anchor`` children and
    a relation's ``source``/``target`` children are kept until their parent ends.
    """

    def __init__(self) -> None:
        self.anchors: list[str] = []
        self.tokens: dict[str, list[str]] = {}  # m_id -> anchored t_ids
        self.instance_of: dict[str, str] = {}  # target m_id -> instance id
        self.sources: list[str] = []
        self.target: str | None = None
        self.relations: list[tuple[list[str], str | None, str]] = []  # (source m_ids, target m_id, note)

    def read(self, element: ET.Element) -> None:
        if element.tag == "token_anchor":
            self.anchors.append(element.get("t_id", ""))
        elif element.tag == "source":
            self.sources.append(element.get("m_id", ""))
        elif element.tag == "target":
            self.target = element.get("m_id")
        elif element.tag.endswith("_COREF"):
            if element.tag == "CROSS_DOC_COREF":
                self.relations.append((self.sources, self.target, element.get("note", "")))
            self.sources, self.target = [], None
        elif element.get("m_id") is not None:
            if self.anchors:
                self.tokens[element.get("m_id")] = self.anchors
            elif element.get("instance_id"):
                self.instance_of[element.get("m_id")] = element.get("instance_id")
            self.anchors = []

    def mentions(self, token_at: dict[str, tuple[int, int, int]]) -> tuple[Mention, ...]:
        found = set()
        for sources, target, note in self.relations:
            instance = self.instance_of.get(target or "", note)
            for m_id in sources:
                spans = [token_at[t] for t in self.tokens.get(m_id, []) if t in token_at]  # the URL line is gone
                if instance and spans:
                    found.add(Mention(instance, min(s[0] for s in spans), max(s[1] for s in spans), min(spans)[2]))
        return tuple(sorted(found, key=lambda m: (m.start, m.end, m.instance)))


def detokenise(tokens: list[str], splits_hyphens: bool = False, quote_open: dict[str, bool] | None = None) -> str:
    """One sentence's tokens as running text (see :func:`_detokenise`)."""
    return _detokenise(tokens, splits_hyphens, quote_open)[0]


def _detokenise(
    tokens: list[str], splits_hyphens: bool = False, quote_open: dict[str, bool] | None = None
) -> tuple[str, list[tuple[int, int]]]:
    """One sentence's tokens as running text, and where each token lies in it.

    Punctuation and clitics (``,`` ``.`` ``'s`` ``n't`` ...) join the word before
    them, brackets and ``$`` the word after; PTB quotes (`````, ``''``) become
    ``"``, straight quotes alternate between opening and closing.  When the
    document's tokeniser split every hyphen (``court - mandated``, as in the
    ``ecbplus`` half), a ``-`` between two words is a hyphen again; otherwise it
    is a dash and keeps its spaces.  ``9 : 25`` and ``a / b`` are joined.
    ``quote_open`` carries which quotes are open from one sentence to the next.
    Two tokens merged back into one PTB quote both get the quote's span.
    """
    tokens, merged_into = _merge_split_quotes(tokens)
    out: list[str] = []
    placed: list[tuple[int, int]] = []  # each token's span in the joined pieces
    length = 0
    glue_next = False  # the previous token opened something: no space before this one
    if quote_open is None:
        quote_open = {'"': False}  # straight and PTB quotes alternate; curly ones say which they are
    quote_open["'"] = False  # single quotes rarely span sentences, apostrophes often look like them
    for i, token in enumerate(tokens):
        before = tokens[i - 1] if i else ""
        after = tokens[i + 1] if i + 1 < len(tokens) else ""
        glue = glue_next
        glue_next = False
        kind = '"' if token in ('"', "``", "''", "“", "”") else "'" if token in ("'", "‘", "’") else None
        if kind:
            if token == "'" and not quote_open["'"] and before.lower().endswith("s"):
                glue = True  # the plural possessive: "the players ' union"
            elif token in ("”", "’") or (token not in ("``", "“", "‘") and quote_open[kind]):
                quote_open[kind], glue = False, True
            else:
                quote_open[kind], glue_next = True, True
            token = '"' if token in ("``", "''") else token
        elif token in _ATTACH_LEFT:
            glue = True
            if token == ":" and before.isdigit() and after.isdigit():
                glue_next = True
        elif token in _ATTACH_RIGHT:
            glue_next = True
        elif token == "/" and before and after:
            glue = glue_next = True
        elif (attached := _attached_quote(token)) is not None:
            quote_open[attached[0]] = attached[1]
        elif token == "-" and splits_hyphens and before[-1:].isalnum() and after[:1].isalnum():
            glue = glue_next = True
        out.append(token if glue or not out else " " + token)
        length += len(out[-1])
        placed.append((length - len(token), length))
    joined = "".join(out)
    text = joined.strip()
    lead = len(joined) - len(joined.lstrip())

    def clip(at: int) -> int:
        return min(max(at - lead, 0), len(text))

    return text, [(clip(placed[i][0]), clip(placed[i][1])) for i in merged_into]


def _attached_quote(token: str) -> tuple[str, bool] | None:
    """A quote the tokeniser left on its word (``"The``, ``'party``, ``said"``): the quote and whether it opens."""
    if len(token) < 2 or token in _ATTACH_LEFT:
        return None
    for quote in ('"', "'"):
        if token[0] == quote and token[-1] != quote and not token[1].isdigit():  # not '70s
            return quote, True
        if token[-1] == quote and token[0] != quote and not (quote == "'" and token[-2:-1].lower() == "s"):
            return quote, False
    return None


def _merge_split_quotes(tokens: list[str]) -> tuple[list[str], list[int]]:
    """Some files split a PTB quote into two tokens (``'`` ``'``); put them back together.

    Also returns, for each given token, the index of the merged token holding it.
    """
    merged: list[str] = []
    merged_into: list[int] = []
    for token in tokens:
        if merged and token in ("'", "`") and merged[-1] == token:
            merged[-1] = token * 2
        else:
            merged.append(token)
        merged_into.append(len(merged) - 1)
    return merged, merged_into

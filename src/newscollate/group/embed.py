"""Static sentence embeddings distilled from all-MiniLM-L6-v2, on numpy alone.

Every WordPiece token of all-MiniLM-L6-v2's vocabulary has one fixed vector
(``data/minilm_static.npz``, 30,522 x 256, built by
``scripts/distill_static_embedding.py``): the model's mean-pooled output for
that token on its own, reduced by PCA and scaled down for frequent tokens.  A
text's embedding is the sum of the vectors of its first ``max_tokens`` tokens,
scaled to unit length, so the dot product of two embeddings is their cosine
similarity.

Agreement with the real model (int8 ONNX, 256 tokens) on the 772 ECB+
documents of ../shared/data/ecbplus, texts cut at 256 / 512 tokens: Spearman
0.53 / 0.50 between the two cosines over all 297,606 document pairs (most of
them unrelated, where both cosines are near noise); the nearest neighbour is
the model's own for 42% / 38% of documents and 78% / 73% of the model's ten
nearest are among the static ten; the nearest neighbour is in the document's
ECB+ topic for 99.1% (the model: 99.7%).  Static similarity finds the same
stories; it ranks loosely related pairs differently.

Speed, on one core of the shared 2-core machine (``--evaluate`` of the
script; 500-word ECB+ texts, 27% of them non-ASCII): 1,900-3,000 documents/s
while the machine was loaded, 3.3-4.4 times the ``tokenizers`` library's own
``encode_batch_fast`` in the same runs (580-920 docs/s then, 1,300-1,400 when
quieter).  The 5,000 docs/s goal was not shown on this machine.  The
tokenizer's normaliser and pre-tokeniser are the slow part of ``tokenizers``,
so :class:`StaticEmbedder` applies the same rules (those of ``BertNormalizer``
and ``BertPreTokenizer``, read from ``tokenizer.json``) with Python's C-level
string and regex functions, and asks the ``tokenizers`` WordPiece model only
for words it has not seen before.  The token ids equal those of
``Tokenizer.encode(text, add_special_tokens=False)`` (all 772 ECB+ documents;
tests check tricky text).
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from itertools import chain
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix
from tokenizers import Tokenizer

DATA_DIR = Path(__file__).parent / "data"
TABLE_PATH = DATA_DIR / "minilm_static.npz"
TOKENIZER_PATH = DATA_DIR / "tokenizer.json"

_ASCII_PUNCT = re.escape("".join(chr(c) for c in range(33, 127) if not chr(c).isalnum()))
# Code point ranges that BertNormalizer's handle_chinese_chars isolates like punctuation.
_CJK_RANGES = (
    (0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0x20000, 0x2A6DF), (0x2A700, 0x2B73F),
    (0x2B740, 0x2B81F), (0x2B920, 0x2CEAF), (0xF900, 0xFAFF), (0x2F800, 0x2FA1F),
)  # fmt: skip
_WORD_CACHE_LIMIT = 1_000_000
"""Distinct words remembered with their token ids before the cache starts over (bounds memory)."""


def _removed(char: str) -> bool:
    """Whether BertNormalizer's clean_text drops ``char``: NUL, U+FFFD and "other" (C*) but tab and newlines."""
    return char in "\x00\ufffd" or (unicodedata.category(char)[0] == "C" and char not in "\t\n\r")


def _isolated(char: str, cjk: bool) -> bool:
    """Whether a non-ASCII ``char`` is a pre-token of its own: punctuation (P*), or a CJK ideograph."""
    return unicodedata.category(char)[0] == "P" or (cjk and any(a <= ord(char) <= b for a, b in _CJK_RANGES))


@functools.lru_cache(maxsize=4096)
def _splitter(isolated: str) -> re.Pattern:
    """BertPreTokenizer for a text whose non-ASCII punctuation and ideographs are ``isolated``.

    Patterns are made per set of such characters (a text has few) because one
    character class of all Unicode punctuation makes matching several times slower.
    """
    single = _ASCII_PUNCT + re.escape(isolated)
    return re.compile(f"[^\\s{single}]+|[{single}]")


class _WordPieces(dict):
    """Word -> its WordPiece token ids, asking the tokenizer's model only once per word."""

    def __init__(self, model) -> None:
        super().__init__()
        self.model = model

    def __missing__(self, word: str) -> tuple[int, ...]:
        ids = tuple(token.id for token in self.model.tokenize(word))
        self[word] = ids
        return ids


class StaticEmbedder:
    """Unit-length text embeddings from a table of per-token vectors.

    ``vectors`` is (vocabulary size, dimensions), indexed by the token ids of
    ``tokenizer``; a token's row already carries its weight (frequent tokens
    have shorter rows), and a zero row makes the token count for nothing.
    """

    def __init__(self, vectors: np.ndarray, tokenizer: Tokenizer) -> None:
        config = json.loads(tokenizer.to_str())
        normalizer, pre_tokenizer = config.get("normalizer") or {}, config.get("pre_tokenizer") or {}
        if (normalizer.get("type"), pre_tokenizer.get("type"), config["model"]["type"]) != (
            "BertNormalizer", "BertPreTokenizer", "WordPiece",
        ):  # fmt: skip
            raise ValueError("StaticEmbedder needs a BERT WordPiece tokenizer (BertNormalizer, BertPreTokenizer).")
        if vectors.shape[0] != tokenizer.get_vocab_size():
            raise ValueError(f"{vectors.shape[0]} vectors for a vocabulary of {tokenizer.get_vocab_size()} tokens.")
        self.vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        self.tokenizer = tokenizer
        self._clean = normalizer.get("clean_text", True)
        self._cjk = normalizer.get("handle_chinese_chars", True)
        self._lowercase = normalizer.get("lowercase", True)
        strip = normalizer.get("strip_accents")
        self._strip_accents = self._lowercase if strip is None else strip
        self._words = _WordPieces(tokenizer.model)
        self._ascii_split = _splitter("")

    @classmethod
    def load(cls, table: Path = TABLE_PATH, tokenizer: Path = TOKENIZER_PATH) -> StaticEmbedder:
        """Read a table written by ``scripts/distill_static_embedding.py`` (int8 rows times a per-row scale)."""
        with np.load(table) as data:
            vectors = data["vectors"].astype(np.float32) * data["scales"][:, None]
        wordpiece = Tokenizer.from_file(str(tokenizer))
        wordpiece.no_padding()  # the model's file pads and cuts at 128 tokens for the model; embed cuts itself
        wordpiece.no_truncation()
        return cls(vectors, wordpiece)

    @property
    def dim(self) -> int:
        return self.vectors.shape[1]

    def embed(self, texts: list[str], max_tokens: int = 512) -> np.ndarray:
        """float32 (len(texts), dim): each text's embedding, from its first ``max_tokens`` WordPiece tokens.

        Rows have unit length; a text without any known token (empty, only
        spaces) gets a zero row, whose similarity to everything is 0.
        """
        if len(self._words) > _WORD_CACHE_LIMIT:
            self._words.clear()
        lookup = self._words.__getitem__
        # Every token covers at least one character, so a text cut at a space after this many
        # characters still yields its first max_tokens tokens unless it is made of very long words.
        char_budget = 8 * max_tokens
        ids_per_text, lengths = [], np.zeros(len(texts), dtype=np.int64)
        for i, text in enumerate(texts):
            words = self._words_of(_cut(text, char_budget))
            ids = list(chain.from_iterable(map(lookup, words)))
            if len(ids) < max_tokens and len(text) > char_budget:
                ids = list(chain.from_iterable(map(lookup, self._words_of(text))))
            ids_per_text.append(ids[:max_tokens])
            lengths[i] = len(ids_per_text[-1])
        return self._pool(ids_per_text, lengths)

    def token_ids(self, text: str) -> list[int]:
        """The WordPiece ids of ``text`` (no [CLS]/[SEP]), as :meth:`embed` sees them."""
        return list(chain.from_iterable(map(self._words.__getitem__, self._words_of(text))))

    def _words_of(self, text: str) -> list[str]:
        """BertNormalizer then BertPreTokenizer: the pre-tokens of ``text`` in order.

        Rare characters are found among the text's distinct characters (a set, built
        in C) and replaced one by one, so common text pays for no per-character work
        in Python.
        """
        distinct = set(text)
        if self._clean:
            for char in [c for c in distinct if (c < " " or c > "~") and _removed(c)]:
                text = text.replace(char, "")
        if text.isascii():
            return self._ascii_split.findall(text.lower() if self._lowercase else text)
        if self._strip_accents and any(unicodedata.normalize("NFD", c) != c for c in distinct if c > "~"):
            text = unicodedata.normalize("NFD", text)
            for mark in [c for c in set(text) if unicodedata.category(c)[0] == "M"]:
                text = text.replace(mark, "")
        if self._lowercase:
            # The Rust normaliser lowercases char by char: no final-sigma rule as in str.lower.
            text = text.replace("Σ", "σ").lower()
        isolated = "".join(sorted(c for c in set(text) if c > "~" and _isolated(c, self._cjk)))
        return _splitter(isolated).findall(text)

    def _pool(self, ids_per_text: list[list[int]], lengths: np.ndarray) -> np.ndarray:
        # (texts x vocabulary) token counts times the table: a weighted sum per text, without
        # materialising one vector per token (np.add.reduceat on that is 20 times slower).
        flat = np.fromiter(chain.from_iterable(ids_per_text), dtype=np.int32, count=int(lengths.sum()))
        counts = csr_matrix(
            (np.ones(len(flat), dtype=np.float32), flat, np.concatenate(([0], np.cumsum(lengths)))),
            shape=(len(lengths), len(self.vectors)),
        )
        out = np.asarray(counts @ self.vectors, dtype=np.float32)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return np.divide(out, norms, out=out, where=norms > 0)


def _cut(text: str, limit: int) -> str:
    """``text`` up to the last whitespace before ``limit`` characters (all of it when shorter)."""
    if len(text) <= limit:
        return text
    space = max(text.rfind(" ", 0, limit), text.rfind("\n", 0, limit))
    return text[:space] if space > 0 else text


@functools.cache
def default_embedder() -> StaticEmbedder:
    """The all-MiniLM-L6-v2 static table shipped in this package (loaded once, ~30 MB in memory)."""
    return StaticEmbedder.load()

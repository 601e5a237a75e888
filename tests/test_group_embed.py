"""The static all-MiniLM-L6-v2 table: shapes, unit rows, and that meaning survives distillation."""

import numpy as np
import pytest

from newscollate.group.embed import StaticEmbedder, default_embedder


@pytest.fixture(scope="module")
def embedder() -> StaticEmbedder:
    return default_embedder()


def test_shape_dtype_and_unit_rows(embedder):
    vectors = embedder.embed(["The council approved the budget.", "Rain is expected on Tuesday."])
    assert vectors.shape == (2, embedder.dim) and embedder.dim >= 128
    assert vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_empty_and_blank_texts_get_zero_rows(embedder):
    vectors = embedder.embed(["", "   \n", "A ferry sank off the coast."])
    assert not vectors[:2].any()
    assert np.isclose(np.linalg.norm(vectors[2]), 1.0, atol=1e-5)
    assert embedder.embed([]).shape == (0, embedder.dim)


def test_similar_texts_are_closer_than_unrelated_ones(embedder):
    eating, bread, film, quake = embedder.embed(
        [
            "A man is eating food.",
            "A man is eating a piece of bread.",
            "The new movie is awesome and the actors were great.",
            "A magnitude 6.1 earthquake struck the island, damaging hundreds of homes.",
        ]
    )
    assert eating @ bread > eating @ film + 0.2
    assert eating @ bread > eating @ quake + 0.2


def test_same_event_reports_are_closer_than_another_event(embedder):
    first, rewrite, other = embedder.embed(
        [
            "Firefighters battled a blaze at a chemical warehouse in Norbury overnight; two workers were injured.",
            "Two workers were hurt when fire swept through a Norbury chemical storage building late on Monday.",
            "The central bank raised interest rates by a quarter point, citing persistent inflation.",
        ]
    )
    assert first @ rewrite > first @ other


def test_deterministic_and_independent_of_batch(embedder):
    texts = ["Voters went to the polls in Arland.", "Shares of Kestrel Air fell 12% on Friday."]
    together = embedder.embed(texts)
    assert np.array_equal(together, embedder.embed(texts))
    assert np.allclose(together[1], embedder.embed(texts[1:])[0], atol=1e-6)


def test_lowercasing_and_accents_follow_the_tokenizer(embedder):
    a, b = embedder.embed(["The MINISTER visited Zürich.", "the minister visited zurich."])
    assert np.allclose(a, b, atol=1e-6)


@pytest.mark.parametrize(
    "text",
    [
        "Hello, world! It's 5:30pm (GMT+1) -- costs $4.50/unit; e-mail: a_b@c.org",
        "Café naïve — “quoted” ‘text’ … 中文报道 ÖSTERREICH ΟΔΟΣ ς",
        "tab\there\x0bvertical\x07bell\u00a0nbsp\u2028line zero\u200bwidth €5 20°C ½ 😀 emoji",
        "supercalifragilisticexpialidocious" * 4 + " word",
    ],
)
def test_token_ids_equal_the_tokenizers_library(embedder, text):
    assert embedder.token_ids(text) == embedder.tokenizer.encode(text, add_special_tokens=False).ids


def test_max_tokens_counts_wordpiece_tokens(embedder):
    long_text = " ".join(["harbour"] * 300 + ["volcano"] * 300)
    assert np.allclose(embedder.embed([long_text], max_tokens=300), embedder.embed(["harbour"]), atol=1e-6)
    # Long one-token words: the first 512 tokens lie beyond the character window embed reads first.
    wide = " ".join(["administration"] * 300 + ["conversation"] * 300)
    ids = embedder.token_ids(wide)
    assert len(ids) == 600 and len(" ".join(["administration"] * 300)) > 8 * 512
    expected = embedder.vectors[ids[:512]].sum(axis=0)
    assert np.allclose(embedder.embed([wide], max_tokens=512)[0], expected / np.linalg.norm(expected), atol=1e-5)


def test_rejects_a_table_that_does_not_fit_the_vocabulary(embedder):
    with pytest.raises(ValueError, match="vocabulary"):
        StaticEmbedder(np.zeros((10, 4), dtype=np.float32), embedder.tokenizer)

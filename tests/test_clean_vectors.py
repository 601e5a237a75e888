"""Paragraph vectors and cross-document matching: the vectorised code against plain loops."""

import math
import random
import re

import pytest

from newscollate.clean import segment
from newscollate.clean.lines import WORD
from newscollate.clean.segment import SegmentConfig, _matches
from newscollate.clean.vectors import _QUOTES, bags, content_word, content_words


def names_by_loop(text: str) -> set[str]:
    """Content words written capitalised where the 4 characters before, stripped of trailing
    whitespace and then of quotes, end in something other than a sentence end."""
    names = set()
    for match in WORD.finditer(text):
        token, start = match.group(), match.start()
        before = text[max(0, start - 4) : start].rstrip().rstrip(_QUOTES)
        if token[0].isupper() and before and before[-1] not in ".!?…:" and content_word(token):
            names.add(content_word(token))
    return names


@pytest.mark.parametrize(
    "text, names",
    [
        ("Officials in Harwick said", {"harwick"}),
        ("Harwick officials said", set()),  # a sentence start
        ('He said."Harwick is safe', set()),
        ('He said "Harwick is safe', {"harwick"}),
        ("Flood. ' \u00a0Harwick", {"harwick"}),  # the end of the sentence is more than 4 characters back
        ("the U.S.-Mexico border", {"u.s", "mexico"}),
        ("an X-Ray of O’Neil’s knee", {"x-ray", "o'neil"}),  # "Ray" is part of the token "X-Ray"
        ("de Éclair", {"éclair"}),
    ],
)
def test_names_are_capitalised_words_away_from_a_sentence_start(text, names):
    assert content_words(text)[1] == names == names_by_loop(text)


def test_names_agree_with_the_loop_on_random_punctuation_and_spacing():
    pieces = list("aZ .!?:…\"'“”‘’()[]\n\t-_,É1é\u00a0") + ["Xy", "The", "U.S.", "don't", "O’Neil", "ab"]
    rng = random.Random(7)
    for _ in range(20000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 14)))
        assert content_words(text)[1] == names_by_loop(text), text


def test_bag_vectors_are_normalised_tf_idf_with_names_weighted():
    texts = ["Harwick barrier barrier opens", "the barrier", "Storm in Harwick"]
    found, matrix = bags(texts, proper_weight=2.0)
    idf = {w: math.log(4 / (1 + d)) + 1 for w, d in {"harwick": 2, "barrier": 2, "open": 1, "storm": 1}.items()}
    raw = {"harwick": idf["harwick"], "barrier": (1 + math.log(2)) * idf["barrier"], "open": idf["open"]}
    norm = math.sqrt(sum(v * v for v in raw.values()))
    assert found[0].vector == {w: v / norm for w, v in raw.items()}
    assert found[2].names == {"harwick"} and found[2].vector["harwick"] > found[2].vector["storm"]
    assert matrix.shape[0] == 3 and sorted(matrix[0].data) == sorted(found[0].vector.values())


def test_copies_of_a_text_share_its_bag_and_count_in_idf():
    texts = ["Harwick barrier barrier opens", "the barrier", "Harwick barrier barrier opens", "Storm in Harwick"]
    found, matrix = bags(texts, proper_weight=2.0)
    idf = {w: math.log(5 / (1 + d)) + 1 for w, d in {"harwick": 3, "barrier": 3, "open": 2, "storm": 1}.items()}
    raw = {"harwick": idf["harwick"], "barrier": (1 + math.log(2)) * idf["barrier"], "open": idf["open"]}
    norm = math.sqrt(sum(v * v for v in raw.values()))
    assert found[2] is found[0] and found[0].vector == {w: v / norm for w, v in raw.items()}
    assert matrix.shape[0] == 4 and (matrix[2] != matrix[0]).nnz == 0 and matrix[2].nnz == 3


def test_word_tokens_are_those_of_the_plain_greedy_pattern():
    plain = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*")  # WORD without its possessive quantifiers
    pieces = list("aZ .!?:…\"'’()\n-_,É1é\u00a0.-'") + ["U.S.", "don't", "F-150", "a--b", "x'", "--"]
    rng = random.Random(3)
    for _ in range(20000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 14)))
        assert WORD.findall(text) == plain.findall(text), text


def matches_by_loop(owners, found, cfg):
    """For each unit: the best cosine per other document, over words in at most max_postings units."""
    postings = {}
    for bag in found:
        for word in bag.vector:
            postings[word] = postings.get(word, 0) + 1
    result = []
    for i, a in enumerate(found):
        best = {}
        for j, b in enumerate(found):
            dot = sum(v * b.vector.get(w, 0.0) for w, v in a.vector.items() if postings[w] <= cfg.max_postings)
            if owners[j] != owners[i] and dot >= cfg.cross_doc and dot > best.get(owners[j], 0.0):
                best[owners[j]] = dot
        result.append(best)
    return result


@pytest.mark.parametrize("budget", [1, 50, 10**9])
def test_matches_equal_the_pairwise_loop_however_the_product_is_split(monkeypatch, budget):
    rng = random.Random(3)
    vocabulary = [f"word{k}" for k in range(40)]
    texts = [" ".join(rng.sample(vocabulary, rng.randint(0, 8))) for _ in range(60)]
    owners = [f"doc{k // 4}" for k in range(60)]
    found, matrix = bags(texts)
    cfg = SegmentConfig(max_postings=12)
    monkeypatch.setattr(segment, "_PRODUCT_TERMS", budget)
    got, expected = _matches(owners, matrix, cfg), matches_by_loop(owners, found, cfg)
    assert [m.keys() for m in got] == [m.keys() for m in expected]
    assert all(math.isclose(got[i][d], expected[i][d], rel_tol=1e-12) for i in range(60) for d in got[i])
    assert sum(map(len, got)) > 20  # the case is not trivial


def test_no_units_no_matches():
    assert _matches([], bags([])[1], SegmentConfig()) == []

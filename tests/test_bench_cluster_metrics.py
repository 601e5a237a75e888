"""The clustering metrics of bench/_cluster_metrics.py on cases worked out by hand."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from _cluster_metrics import bcubed, score_clustering  # noqa: E402


def test_bcubed_bagga_baldwin_merge_example():
    # Bagga & Baldwin (1998), figure 3: gold {1-5} {6,7} {8-12}; the response merges the last two.
    gold = ["a"] * 5 + ["b"] * 2 + ["c"] * 5
    predicted = ["x"] * 5 + ["y"] * 7
    p, r, f1 = bcubed(gold, predicted)
    # precision: five items 5/5, two items 2/7, five items 5/7 -> (5 + 4/7 + 25/7) / 12 = 16/21
    assert p == pytest.approx(16 / 21)
    assert r == pytest.approx(1.0)
    assert f1 == pytest.approx(2 * (16 / 21) / (16 / 21 + 1))


def test_bcubed_split_cluster():
    # gold one event of four; predicted {a,b} {c} {d}: recall (2/4 + 2/4 + 1/4 + 1/4) / 4 = 3/8
    p, r, f1 = bcubed(["e"] * 4, [1, 1, 2, 3])
    assert p == pytest.approx(1.0)
    assert r == pytest.approx(3 / 8)
    assert f1 == pytest.approx(2 * 3 / 8 / (1 + 3 / 8))


def test_bcubed_amigo_mixed_cluster():
    # Amigo et al. (2009) style: gold {1,2,3} {4,5}; predicted {1,2} {3,4,5}.
    # precision: 1,2 -> 1; 3 -> 1/3; 4,5 -> 2/3 each: (2 + 1/3 + 4/3) / 5 = 11/15
    # recall: 1,2 -> 2/3 each; 3 -> 1/3; 4,5 -> 1: (4/3 + 1/3 + 2) / 5 = 11/15
    p, r, f1 = bcubed(["g", "g", "g", "h", "h"], ["A", "A", "B", "B", "B"])
    assert p == pytest.approx(11 / 15)
    assert r == pytest.approx(11 / 15)
    assert f1 == pytest.approx(11 / 15)


def test_bcubed_extremes():
    gold = ["a", "a", "b", "b", "b", "c"]
    # one cluster per item: P 1, R = mean of 1/|gold event| = (1/2 * 2 + 1/3 * 3 + 1) / 6 = 1/2
    assert bcubed(gold, list(range(6)))[:2] == pytest.approx((1.0, 0.5))
    # everything in one cluster: R 1, P = (2 * 2/6 + 3 * 3/6 + 1/6) / 6 = 14/36
    assert bcubed(gold, [0] * 6)[:2] == pytest.approx((14 / 36, 1.0))


def test_bcubed_ignores_label_names():
    assert bcubed(["a", "a", "b"], ["b", "b", "a"]) == pytest.approx((1.0, 1.0, 1.0))


def test_bcubed_rejects_mismatched_input():
    with pytest.raises(ValueError):
        bcubed(["a"], ["a", "b"])
    with pytest.raises(ValueError):
        bcubed([], [])


def test_score_clustering_perfect_and_hand_computed_ari():
    perfect = score_clustering(["a", "a", "b"], ["x", "x", "y"])
    assert (perfect.bcubed_f1, perfect.ari, perfect.v_measure) == pytest.approx((1.0, 1.0, 1.0))
    # gold {0,1} {2,3}; predicted {0,1,2} {3}. Contingency [[2,0],[1,1]]: sum C(n_ij,2) = 1,
    # row sums 2,2 -> 2, column sums 3,1 -> 3, C(4,2) = 6: expected 2*3/6 = 1,
    # ARI = (1 - 1) / ((2 + 3) / 2 - 1) = 0.
    scores = score_clustering(["a", "a", "b", "b"], [1, 1, 1, 2])
    assert scores.ari == pytest.approx(0.0)
    assert 0.0 < scores.v_measure < 1.0
    assert set(scores.as_dict()) == {"bcubed_p", "bcubed_r", "bcubed_f1", "ari", "v_measure"}

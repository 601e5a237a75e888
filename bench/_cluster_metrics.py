"""Scoring a clustering of documents against gold events.

* B-cubed (Bagga and Baldwin, 1998; Amigó et al., 2009), every document
  weighing the same: a document's precision is the share of its predicted
  cluster that shares its gold event, its recall the share of its gold event
  that shares its predicted cluster; P and R are the means over documents and
  F1 their harmonic mean.  Putting everything in one cluster gives R = 1, one
  cluster per document gives P = 1.
* ARI: the Rand index (share of document pairs on which the two partitions
  agree) adjusted for chance, 0 for random labels, 1 for the gold partition.
* V-measure: harmonic mean of homogeneity and completeness (entropy based).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class ClusterScores:
    bcubed_p: float
    bcubed_r: float
    bcubed_f1: float
    ari: float
    v_measure: float

    def as_dict(self) -> dict[str, float]:
        return asdict(self)


def bcubed(gold: Sequence[Hashable], predicted: Sequence[Hashable]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 of ``predicted`` cluster labels against ``gold`` ones (one per item)."""
    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} gold labels but {len(predicted)} predicted ones")
    if not gold:
        raise ValueError("no items to score")
    both = Counter(zip(gold, predicted))
    gold_sizes, predicted_sizes = Counter(gold), Counter(predicted)
    precision = recall = 0.0
    for (g, p), shared in both.items():
        # each of the `shared` items in this cell has the same precision and recall
        precision += shared * shared / predicted_sizes[p]
        recall += shared * shared / gold_sizes[g]
    precision, recall = precision / len(gold), recall / len(gold)
    return precision, recall, 2 * precision * recall / (precision + recall)


def score_clustering(gold: Sequence[Hashable], predicted: Sequence[Hashable]) -> ClusterScores:
    """B-cubed, ARI and V-measure of ``predicted`` against ``gold`` (parallel label sequences)."""
    from sklearn.metrics import adjusted_rand_score, v_measure_score

    p, r, f1 = bcubed(gold, predicted)
    gold_ids, predicted_ids = _codes(gold), _codes(predicted)
    return ClusterScores(p, r, f1, float(adjusted_rand_score(gold_ids, predicted_ids)),
                         float(v_measure_score(gold_ids, predicted_ids)))  # fmt: skip


def _codes(labels: Sequence[Hashable]) -> list[int]:
    """Labels of any hashable type as integers (sklearn wants one comparable type)."""
    codes: dict[Hashable, int] = {}
    return [codes.setdefault(label, len(codes)) for label in labels]

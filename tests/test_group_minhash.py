"""MinHash signatures and the LSH index, on texts written for these tests."""

import numpy as np
import pytest

from newscollate.group.minhash import LSHIndex, MinHasher, jaccard, lsh_bands

STORY = (
    "The harbour authority of Port Elwin closed the northern quay on Sunday after a crane collapsed onto "
    "a cargo ship, injuring two dock workers. Inspectors from the regional safety board arrived within the "
    "hour and said the crane had passed its last check in March. The quay will stay shut while engineers "
    "examine the remaining cranes, a spokeswoman for the authority said, adding that ferries would use the "
    "southern terminal instead."
)
OTHER = (
    "Voters in the mountain district of Calder Ridge chose a new mayor on Saturday, ending a campaign "
    "dominated by arguments over a proposed ski lift and the cost of snow clearing on the valley roads."
)


def test_identical_texts_have_identical_signatures():
    hasher = MinHasher()
    assert np.array_equal(hasher.signature(STORY), MinHasher().signature(STORY))
    assert jaccard(hasher.signature(STORY), hasher.signature(STORY)) == 1.0


def test_copy_with_junk_lines_stays_similar_and_unrelated_text_does_not():
    hasher = MinHasher()
    copy = "By Staff Reporter\n" + STORY + "\nAdvertisement\nShare this article"
    assert jaccard(hasher.signature(STORY), hasher.signature(copy)) > 0.8
    assert jaccard(hasher.signature(STORY), hasher.signature(OTHER)) < 0.1


def test_estimate_tracks_exact_jaccard():
    hasher = MinHasher(num_perm=256)
    half = STORY[: len(STORY) // 2]
    exact_a, exact_b = hasher.shingle_hashes(STORY), hasher.shingle_hashes(half)
    exact = np.intersect1d(exact_a, exact_b).size / np.union1d(exact_a, exact_b).size
    assert abs(jaccard(hasher.signature(STORY), hasher.signature(half)) - exact) < 0.12


def test_empty_text_matches_nothing_and_short_text_is_one_shingle():
    hasher = MinHasher()
    assert jaccard(hasher.signature(""), hasher.signature("")) == 0.0
    assert hasher.shingle_hashes("two words").size == 1


def test_signatures_of_different_lengths_are_refused():
    with pytest.raises(ValueError):
        jaccard(MinHasher(64).signature(STORY), MinHasher(128).signature(STORY))


def test_bands_fit_the_permutations():
    bands, rows = lsh_bands(0.8, 128)
    assert bands * rows <= 128 and bands > 1


def test_index_finds_near_duplicates_and_evicts_the_oldest():
    hasher = MinHasher()
    index = LSHIndex(threshold=0.8, max_items=2)
    index.add("story", hasher.signature(STORY))
    index.add("other", hasher.signature(OTHER))
    assert index.query(hasher.signature(STORY + " Updated at noon.")) == ["story"]
    index.add("third", hasher.signature("A third text about the weather in the hills this week and next."))
    assert len(index) == 2 and "story" not in index
    assert index.query(hasher.signature(STORY)) == []

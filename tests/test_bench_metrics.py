"""The benchmark metrics (bench/_metrics.py) on tiny texts whose scores are worked out by hand."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"
sys.path.insert(0, str(BENCH))

from _metrics import (  # noqa: E402
    ShingleMatch,
    _union_lcs,
    fundus_score,
    fundus_summary,
    reference_bodies,
    rouge_lsum,
    rouge_tokens,
    shingle_match,
    shingles,
    zyte_summary,
)
from _report import replace_section  # noqa: E402

# --- Zyte shingles -----------------------------------------------------------------------------------


def test_shingles_are_overlapping_4_grams_of_word_tokens():
    assert shingles("a b, c. d-e") == {("a", "b", "c", "d"): 1, ("b", "c", "d", "e"): 1}


def test_a_text_shorter_than_four_tokens_is_one_short_shingle_and_empty_text_none():
    assert shingles("two words") == {("two", "words"): 1}
    assert shingles("") == {}
    assert shingles("  ...  ") == {}


def test_shingle_match_counts_and_normalises():
    # truth {abcd, bcde}, extraction {abcd, bcdx}: TP 1, FP 1, FN 1 -> a third each.
    m = shingle_match("a b c d e", "a b c d x")
    assert (m.tp, m.fp, m.fn) == pytest.approx((1 / 3, 1 / 3, 1 / 3))
    assert m.precision == pytest.approx(0.5)
    assert m.recall == pytest.approx(0.5)


def test_repeated_shingles_count_as_a_multiset():
    # truth: abcd twice, bcda, cdab, dabc (5); extraction abcd once -> TP 1, FP 0, FN 4.
    m = shingle_match("a b c d a b c d", "a b c d")
    assert m.precision == 1.0
    assert m.recall == pytest.approx(0.2)


def test_tokens_keep_their_case_as_the_zyte_evaluator_does():
    assert shingle_match("Alpha beta gamma delta", "alpha beta gamma delta").precision == 0.0


def test_empty_texts_leave_the_page_out_of_the_undefined_mean():
    missed = shingle_match("a b c d", "")  # nothing extracted: recall 0, precision undefined
    assert (missed.precision, missed.recall) == (None, 0.0)
    spurious = shingle_match("", "a b c d")  # nothing to find: precision 0, recall undefined
    assert (spurious.precision, spurious.recall) == (0.0, None)
    both = shingle_match("", "")
    assert (both.precision, both.recall) == (None, None)


def test_zyte_summary_is_f1_of_the_mean_precision_and_mean_recall():
    pages = [ShingleMatch(1.0, 0.0, 0.0), shingle_match("a b c d", "")]
    summary = zyte_summary(pages)
    assert summary.precision == 1.0  # the empty extraction has no precision
    assert summary.recall == 0.5
    assert summary.f1 == pytest.approx(2 * 1.0 * 0.5 / 1.5)


def test_zyte_summary_weighs_pages_equally_whatever_their_length():
    long_perfect = shingle_match(" ".join(f"w{i}" for i in range(500)), " ".join(f"w{i}" for i in range(500)))
    short_half = shingle_match("a b c d e", "a b c d x")
    assert zyte_summary([long_perfect, short_half]).precision == pytest.approx(0.75)


# --- ROUGE-LSum -----------------------------------------------------------------------------------


def test_rouge_tokens_are_lowercase_ascii_letter_and_digit_runs():
    assert rouge_tokens("Hello, World! It's 2024 — café") == ["hello", "world", "it", "s", "2024", "caf"]


def test_union_lcs_example_from_the_rouge_paper():
    # Lin (2004), 3.2: r = w1..w5, c1 = w1 w2 w6 w7 w8, c2 = w1 w3 w8 w9 w5 -> union LCS w1 w2 w3 w5.
    score = rouge_lsum("w1 w2 w3 w4 w5", "w1 w2 w6 w7 w8\nw1 w3 w8 w9 w5")
    assert score.recall == pytest.approx(4 / 5)
    assert score.precision == pytest.approx(4 / 10)
    assert score.f1 == pytest.approx(2 * 0.8 * 0.4 / 1.2)


def test_union_over_candidate_lines_recovers_a_split_sentence():
    score = rouge_lsum("a b c d", "a c x\nb d")  # {a, c} and {b, d} together cover the reference
    assert (score.precision, score.recall) == pytest.approx((0.8, 1.0))


def test_a_token_is_never_counted_more_often_than_either_text_has_it():
    score = rouge_lsum("a b\na b", "a b")
    assert (score.precision, score.recall) == pytest.approx((1.0, 0.5))


def test_ties_between_equally_long_lcs_go_to_the_earlier_reference_token():
    # "a b" vs "b a": rouge_score's backtracking keeps "a", leaving the candidate's "b" for the second line.
    score = rouge_lsum("a b\nb", "b a")
    assert (score.precision, score.recall) == pytest.approx((1.0, 2 / 3))


def test_rouge_of_an_empty_text_is_zero():
    assert rouge_lsum("", "a b").f1 == 0.0
    assert rouge_lsum("a b", "").f1 == 0.0
    assert rouge_lsum("a b", "\n\n").f1 == 0.0


def _reference_union_lcs(ref, candidates):
    """rouge_score's own algorithm, cell by cell: the oracle for the vectorised version."""
    found = set()
    for can in candidates:
        t = [[0] * (len(can) + 1) for _ in range(len(ref) + 1)]
        for i in range(1, len(ref) + 1):
            for j in range(1, len(can) + 1):
                t[i][j] = t[i - 1][j - 1] + 1 if ref[i - 1] == can[j - 1] else max(t[i - 1][j], t[i][j - 1])
        i, j = len(ref), len(can)
        while i > 0 and j > 0:
            if ref[i - 1] == can[j - 1]:
                found.add(i - 1)
                i, j = i - 1, j - 1
            elif t[i][j - 1] > t[i - 1][j]:
                j -= 1
            else:
                i -= 1
    return sorted(found)


def test_vectorised_union_lcs_matches_the_cell_by_cell_algorithm():
    rng = random.Random(7)
    for _ in range(300):
        ref = [rng.randrange(5) for _ in range(rng.randint(0, 9))]
        candidates = [[rng.randrange(5) for _ in range(rng.randint(0, 9))] for _ in range(rng.randint(1, 4))]
        assert _union_lcs(ref, candidates) == _reference_union_lcs(ref, candidates)


# --- fundus conventions ---------------------------------------------------------------------------


def test_optional_paragraphs_give_every_version_of_the_truth():
    assert list(reference_bodies(["x", "[y]", "z", "[w]"])) == [
        ["x", "y", "z", "w"], ["x", "z", "w"], ["x", "y", "z"], ["x", "z"],
    ]  # fmt: skip


def test_too_many_optional_paragraphs_give_only_all_or_none():
    body = ["x", "[a]", "[b]", "[c]"]
    assert list(reference_bodies(body, max_optional=2)) == [["x", "a", "b", "c"], ["x"]]


def test_fundus_score_takes_the_best_version_of_the_truth():
    truth = ["The mayor spoke.", "[Follow us for more.]"]
    assert fundus_score(truth, "The mayor spoke.").f1 == 1.0
    assert fundus_score(truth, "The mayor spoke.\nFollow us for more.").f1 == 1.0
    partial = fundus_score(truth, "The mayor spoke.\nUnrelated words here.")
    assert (partial.precision, partial.recall) == pytest.approx((3 / 6, 1.0))


def test_fundus_summary_averages_per_page_f1():
    scores = [fundus_score(["a b"], "a b"), fundus_score(["a b"], "")]
    summary = fundus_summary(scores)
    assert (summary.f1, summary.precision, summary.recall) == (0.5, 0.5, 0.5)


# --- helpers of the benchmark scripts --------------------------------------------------------------


def test_replace_section_keeps_the_other_sections(tmp_path):
    doc = tmp_path / "benchmarks.md"
    doc.write_text("# B\n\n<!-- x:begin -->\nold\n<!-- x:end -->\n\n<!-- y:begin -->\nkeep\n<!-- y:end -->\n")
    replace_section(doc, "<!-- x:begin -->", "<!-- x:end -->", "<!-- x:begin -->\nnew\n<!-- x:end -->")
    assert doc.read_text() == "# B\n\n<!-- x:begin -->\nnew\n<!-- x:end -->\n\n<!-- y:begin -->\nkeep\n<!-- y:end -->\n"
    replace_section(doc, "<!-- z:begin -->", "<!-- z:end -->", "<!-- z:begin -->\nz\n<!-- z:end -->")
    assert doc.read_text().endswith("<!-- y:end -->\n\n<!-- z:begin -->\nz\n<!-- z:end -->\n")


def test_junk_lines_are_dropped_from_the_scored_text():
    from extract import without_junk

    text, rules = without_junk("The bridge reopened on Tuesday.\nAdvertisement\nTraffic was light, police said.")
    assert text == "The bridge reopened on Tuesday.\n\nTraffic was light, police said."
    assert rules == ["ad-marker"]


def _page_set_folder(root: Path, truth_name: str, truth: dict, pages: dict[str, str]) -> Path:
    import gzip
    import json

    (root / "html").mkdir(parents=True)
    (root / truth_name).write_text(json.dumps(truth), encoding="utf-8")
    for name, page in pages.items():
        (root / "html" / name).write_bytes(gzip.compress(page.encode("utf-8")))
    return root


def test_both_page_set_layouts_are_read_and_scored(tmp_path):
    from extract import load_page_set, score

    zyte = _page_set_folder(
        tmp_path / "z", "ground-truth.json",
        {"p1": {"articleBody": "one two three four five", "url": "https://a.example/1"}},
        {"p1.html.gz": "<html><body><p>one two three four five</p></body></html>"},
    )  # fmt: skip
    page_set = load_page_set(zyte, None)
    assert (page_set.layout, page_set.pages[0].url) == ("zyte", "https://a.example/1")
    assert score(page_set, ["one two three four five"])[0].f1 == 1.0

    fundus = _page_set_folder(
        tmp_path / "f", "ground_truth.json",
        {"A_0.html.gz": {"body": ["One two.", "[Three]"], "url": "https://b.example/0", "crawl_date": ""}},
        {"A_0.html.gz": "<html><body><p>One two.</p></body></html>"},
    )  # fmt: skip
    page_set = load_page_set(fundus, None)
    assert (page_set.layout, page_set.pages[0].truth) == ("fundus", ["One two.", "[Three]"])
    assert score(page_set, ["One two."])[0].f1 == 1.0


def test_generated_warc_is_deterministic_and_every_article_is_read(tmp_path):
    from _synthetic import write_warcs

    from newscollate.ingest import InputError, ReadStats, iter_documents

    first, made = write_warcs([12, 40], tmp_path / "a", seed=3)
    again, _ = write_warcs([40], tmp_path / "b", seed=3)
    assert first[40].read_bytes() == again[40].read_bytes()
    stats = ReadStats()
    items = list(iter_documents([str(first[40])], None, stats))
    assert not [i for i in items if isinstance(i, InputError)]
    assert len(items) == made.articles
    assert stats.records == made.records == 81


def test_generated_pages_are_3_to_8_kb():
    import random
    from datetime import datetime, timezone

    from _synthetic import article_page

    rng = random.Random(5)
    sizes = [len(article_page(rng, i, datetime(2026, 1, 1, tzinfo=timezone.utc))[1]) for i in range(200)]
    assert 3000 <= min(sizes) and max(sizes) <= 8400

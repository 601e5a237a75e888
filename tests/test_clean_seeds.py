"""The clean stage end to end on the four seed articles (../shared/seeds).

These checks may quote seed lines; the rules themselves never do.
"""

from functools import lru_cache
from pathlib import Path

import pytest

from newscollate.clean import default_cleaners
from newscollate.ingest import ingest
from newscollate.pipeline import Corpus

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"

pytestmark = [
    pytest.mark.seeds,
    pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not present"),
]

JUNK = {
    "000": [
        ("byline", "By News Desk"),
        ("read-time", "5 Min Read"),
        ("ad", "- Advertisement -"),
        ("ad", "Ad imageAd image"),
        ("ad", "- Advertisement -"),
        ("ad", "Ad imageAd image"),
        ("promo", "Stay updated with verified reports"),
        ("promo", "For climate-related stories, visit:"),
    ],
    "001": [("disclaimer", "Risk Warning: this article represents only")],
    "002": [("sign-off", "AloJapan.com")],
    "003": [("photo-credit", "Photo: AFP")],
}


@lru_cache(maxsize=1)
def cleaned():
    result = ingest([str(SEEDS)])
    corpus = Corpus(result.documents)
    for component in default_cleaners():
        component(corpus)
    return {Path(doc.path).name[:3]: doc for doc in corpus.documents}


@pytest.mark.parametrize("seed", sorted(JUNK))
def test_every_junk_line_and_nothing_else_is_removed(seed):
    doc = cleaned()[seed]
    found = [(s.label, doc.slice(s)) for s in doc.spans("removed")]
    for (label, text), (want_label, want_start) in zip(found, JUNK[seed], strict=True):
        assert label == want_label and text.startswith(want_start)
        # Whole lines are removed, not fragments of them.
        assert "\n" not in text and (text == want_start or len(text) > len(want_start))


@pytest.mark.parametrize("seed", sorted(JUNK))
def test_every_kept_line_is_in_the_title_or_a_paragraph(seed):
    doc = cleaned()[seed]
    units = doc.spans("title") + doc.spans("paragraphs")
    for line in doc.text.splitlines():
        line = line.strip()
        if line and not any(doc.slice(s) == line for s in doc.spans("removed")):
            assert any(line in doc.slice(u) for u in units), f"lost line: {line[:60]!r}"


def test_titles_and_subheadings():
    docs = cleaned()
    assert [docs["000"].slice(s) for s in docs["000"].spans("title")] == [
        "Japan’s Prime Minister Prepares Strategic Trade Package Ahead of Trump Visit"
    ]
    assert all(docs[seed].spans("title") == [] for seed in ("001", "002", "003"))
    headings = [docs["001"].slice(s) for s in docs["001"].spans("paragraphs") if s.label == "heading"]
    assert headings == ["Investment and Defense Spending", "Further Analysis:"]


@pytest.mark.parametrize("seed,count", [("000", 1), ("001", 1), ("002", 1), ("003", 5)])
def test_segments(seed, count):
    doc = cleaned()[seed]
    segments = doc.spans("segments")
    assert len(segments) == count
    if seed == "003":
        openings = [doc.slice(s)[:20] for s in segments[1:]]
        assert openings == [
            "James Watson — the N",
            "China’s Shenzhou-20 ",
            "RUBBER STAMP? The la",
            "TOWERING FIGURE: To ",
        ]
        # Each glued story is a single paragraph.
        assert all(doc.slice(s) in [doc.slice(p) for p in doc.spans("paragraphs")] for s in segments[1:])
        assert doc.slice(segments[0]).endswith("which is hosting an APEC summit.")


@pytest.mark.parametrize("seed,count", [("000", 1), ("001", 1), ("002", 1), ("003", 5)])
def test_segments_hold_without_the_other_seeds(seed, count):
    """Cross-document signals help but are not needed: each seed alone segments the same way."""
    result = ingest([str(next(SEEDS.glob(f"{seed}_*.txt")))])
    for component in default_cleaners():
        component(Corpus(result.documents))
    assert len(result.documents[0].spans("segments")) == count

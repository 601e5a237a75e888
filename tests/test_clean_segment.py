"""StorySegmenter: pages that glue unrelated stories split into segments; single stories stay whole."""

from pathlib import Path

from newscollate.clean import default_cleaners
from newscollate.ingest import ingest
from newscollate.model import Document
from newscollate.pipeline import Corpus

FIXTURES = Path(__file__).parent / "fixtures" / "clean"


def clean(paths: list[Path]) -> dict[str, Document]:
    result = ingest([str(p) for p in paths])
    for component in default_cleaners():
        component(Corpus(result.documents))
    return {Path(doc.path).name: doc for doc in result.documents}


def segment_openings(doc: Document) -> list[str]:
    return [doc.slice(s)[:30] for s in doc.spans("segments")]


def assert_partition(doc: Document) -> None:
    """Segments are consecutive runs of units (title + paragraphs) covering each exactly once."""
    units = doc.spans("title") + doc.spans("paragraphs")
    segments = doc.spans("segments")
    assert [s.data["index"] for s in segments] == list(range(len(segments)))
    owner = [[k for k, seg in enumerate(segments) if seg.contains(u.start, u.end)] for u in units]
    assert all(len(o) == 1 for o in owner), "each unit in exactly one segment"
    assert [o[0] for o in owner] == sorted(o[0] for o in owner), "segments are consecutive"
    assert segments[0].start == units[0].start and segments[-1].end == units[-1].end


def test_glued_page_splits_into_story_and_three_teasers():
    doc = clean([FIXTURES / "glued_page.txt"])["glued_page.txt"]
    assert segment_openings(doc) == [
        "Harwick flood barrier passes f",  # the title opens the main story
        "Grandmaster Ilse Varnholt, who",  # complete, unrelated: cohesion alone
        "The Orsa-3 lunar probe will no",  # cut off mid-sentence
        "SPLIT VERDICT: Jurors could no",  # kicker after a cut-off paragraph
    ]
    assert_partition(doc)
    # The short main-story paragraph sharing few words stays in the story.
    assert "The gates can be raised in under ten minutes." in doc.slice(doc.spans("segments")[0])


def test_long_story_with_topical_drift_stays_one_segment():
    doc = clean([FIXTURES / "drift_story.txt"])["drift_story.txt"]
    assert len(doc.spans("segments")) == 1
    assert_partition(doc)


def test_other_documents_anchor_a_digression_and_place_a_teaser_elsewhere():
    gazette = FIXTURES / "crossdoc" / "selvik_gazette.txt"
    # Alone, the marshes digression (long, no shared words, a new cast) looks like another story ...
    alone = clean([gazette])["selvik_gazette.txt"]
    assert segment_openings(alone)[1].startswith("Silt pumped out")
    # ... another outlet telling the same story anchors it, and the recount teaser
    # matches two documents about the recount that the port story never matches.
    docs = clean(sorted((FIXTURES / "crossdoc").glob("*.txt")))
    assert segment_openings(docs["selvik_gazette.txt"]) == [
        "Port of Selvik reopens north q",
        "Election officials in Marrow C",
    ]
    assert all(len(docs[name].spans("segments")) == 1 for name in docs if name != "selvik_gazette.txt")


def test_teasers_an_outlet_glues_to_every_page_do_not_anchor_each_other():
    docs = clean([FIXTURES / "glued_page.txt", FIXTURES / "harwick_followup.txt"])
    for doc in docs.values():
        assert [s[:12] for s in segment_openings(doc)[1:]] == ["Grandmaster ", "The Orsa-3 l", "SPLIT VERDIC"]


def test_documents_without_paragraphs_get_no_segments_and_title_only_one():
    empty = Document.from_text("Advertisement\n", "a.txt")
    only_title = Document.from_text("Sea wall plan approved\n", "b.txt")
    corpus = Corpus([empty, only_title])
    for component in default_cleaners():
        component(corpus)
    assert empty.spans("segments") == []
    assert [only_title.slice(s) for s in only_title.spans("segments")] == ["Sea wall plan approved"]

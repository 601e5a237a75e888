"""Every span in a brief lies inside its document, and every text is a source's text."""

from __future__ import annotations

import pytest

from newscollate.render import validate_brief

from .conftest import texts


def all_refs(brief):
    for r in brief["removed"]:
        yield "removed", r
    for event in brief["events"]:
        if event["title_support"]:
            yield "title", event["title_support"]
        yield from (("segment", s) for s in event["segments"])
        for claim in event["claims"]:
            yield from (("claim", s) for s in claim["support"])
        for d in event["discrepancies"]:
            for v in d["variants"]:
                yield from (("variant", s) for s in v["support"])
        for q in event["quotes"]:
            yield from (("quote", s) for s in q["support"])
            if q.get("speaker_support"):
                yield "speaker", q["speaker_support"]
        for t in event["timeline"]:
            yield from (("timeline", s) for s in t["support"])
        for entry in event.get("lineage", []):
            for evidence in entry["evidence"]:
                assert evidence["span"]["doc"] == entry["doc"], entry
                yield "lineage", evidence["span"]
                if "source" in evidence:
                    yield "lineage source", evidence["source"]


@pytest.fixture(params=["examples", "seeds"])
def collated(request):
    return request.getfixturevalue(request.param)


def test_brief_matches_the_schema(collated):
    brief, _ = collated
    validate_brief(brief)


def test_every_span_lies_inside_its_document(collated):
    brief, corpus = collated
    sizes = {d["id"]: d["chars"] for d in brief["documents"]}
    refs = list(all_refs(brief))
    assert refs
    for kind, ref in refs:
        assert ref["doc"] in sizes, (kind, ref)
        assert 0 <= ref["start"] < ref["end"] <= sizes[ref["doc"]], (kind, ref)
    assert sizes == {doc.id: len(doc.text) for doc in corpus.documents}


def test_texts_are_taken_from_their_spans(collated):
    brief, corpus = collated
    text = texts(corpus)

    def slice_of(ref):
        return text[ref["doc"]][ref["start"] : ref["end"]]

    for event in brief["events"]:
        assert event["title"] == slice_of(event["title_support"])
        for claim in event["claims"]:
            assert claim["text"] in {slice_of(s) for s in claim["support"]}
            assert claim["documents"] == len({s["doc"] for s in claim["support"]})
        for q in event["quotes"]:
            assert q["text"] == slice_of(q["support"][0])
            if q["speaker"] is not None:
                assert q["speaker"] == slice_of(q["speaker_support"])
        for d in event["discrepancies"]:
            assert len(d["variants"]) >= 2
            for v in d["variants"]:
                assert v["value"] in {slice_of(s) for s in v["support"]}
        for t in event["timeline"]:
            assert t["text"] in {slice_of(s) for s in t["support"]}
            assert t["expression"] in t["text"]
        for e in event["entities"]:
            assert any(e["name"] in text[doc] for doc in event["documents"])


def test_removed_spans_never_overlap_kept_segments(collated):
    brief, _ = collated
    for event in brief["events"]:
        for seg in event["segments"]:
            for r in brief["removed"]:
                if r["doc"] == seg["doc"] and seg["start"] < r["end"] and r["start"] < seg["end"]:
                    # a removed line may sit between paragraphs of a segment, never cut into a claim
                    for claim in event["claims"]:
                        for s in claim["support"]:
                            assert not (s["doc"] == r["doc"] and s["start"] < r["end"] and r["start"] < s["end"])


def test_the_lede_is_claims_of_the_event(collated):
    brief, _ = collated
    for event in brief["events"]:
        claim_ids = [c["id"] for c in event["claims"]]
        assert event["lede"] and set(event["lede"]) <= set(claim_ids) and len(set(event["lede"])) == len(event["lede"])

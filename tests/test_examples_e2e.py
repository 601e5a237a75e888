"""End to end on examples/: the results its author wrote down in examples_expected.json."""

from __future__ import annotations

from .conftest import EXPECTED, doc_ids_by_path, texts


def event_doc_sets(brief):
    paths = {d["id"]: d["path"] for d in brief["documents"]}
    return [frozenset(paths[i] for i in e["documents"]) for e in brief["events"]]


def test_each_real_event_is_one_event(examples):
    brief, _ = examples
    found = event_doc_sets(brief)
    multi = [frozenset(e["documents"]) for e in EXPECTED["events"] if len(e["documents"]) > 1]
    assert sorted(map(sorted, multi)) == sorted(sorted(s) for s in found if len(s) > 1)


def test_glued_teasers_are_separate_events(examples):
    brief, corpus = examples
    text = texts(corpus)
    ids = doc_ids_by_path(brief)
    for path, glued in EXPECTED["glued"].items():
        doc = ids[path]
        starts = sorted(
            text[doc][s["start"] : s["start"] + 40] for e in brief["events"] for s in e["segments"] if s["doc"] == doc
        )
        assert len(starts) == glued["stories"]
        for expected_start in glued["segment_starts"]:
            assert any(s.startswith(expected_start[:30]) for s in starts), expected_start
    assert brief["events"] == sorted(brief["events"], key=lambda e: -len(e["documents"]))


def test_junk_lines_are_removed_and_nothing_else(examples):
    brief, corpus = examples
    text = texts(corpus)
    ids = doc_ids_by_path(brief)
    removed = {}
    for r in brief["removed"]:
        if r["reason"] != "front-matter":
            removed.setdefault(r["doc"], []).append(text[r["doc"]][r["start"] : r["end"]])
    for path, lines in EXPECTED["junk_lines"].items():
        got = removed.pop(ids[path], [])
        assert sorted(got) == sorted(lines), path
    assert not removed, "removed lines that are not junk: %s" % removed


def test_repeated_footer_is_found_by_repetition(examples):
    brief, corpus = examples
    text = texts(corpus)
    footer = EXPECTED["repeated_footer"]
    hits = [r for r in brief["removed"] if text[r["doc"]][r["start"] : r["end"]] == footer["line"]]
    assert len(hits) == len(footer["documents"])
    assert {r["reason"] for r in hits} == {"repeated-in-source"}


def _values(discrepancy):
    return [v["value"] for v in discrepancy["variants"]]


def test_conflicts_are_reported(examples):
    brief, _ = examples
    found = [d for e in brief["events"] for d in e["discrepancies"]]
    for expected in EXPECTED["discrepancies"]:
        matches = [
            d for d in found
            if d["kind"] == expected["kind"]
            and all(any(value in v or v in value for v in _values(d)) for value in expected["values"])
        ]
        assert matches, expected


def test_agreeing_variants_are_not_conflicts(examples):
    brief, _ = examples
    found = [d for e in brief["events"] for d in e["discrepancies"]]
    for same in EXPECTED["not_discrepancies"]:
        for d in found:
            hit = [value for value in same["values"] if any(value in v for v in _values(d))]
            assert len(hit) < 2, (same, d)


def test_paraphrase_in_quotation_marks_is_not_verbatim(examples):
    brief, _ = examples
    quotes = [q for e in brief["events"] for q in e["quotes"]]
    para = EXPECTED["paraphrased_quote"]
    [paraphrase] = [q for q in quotes if q["text"].startswith(para["text"][:40])]
    assert paraphrase["verbatim"] is False
    [original] = [q for q in quotes if q["text"].startswith(para["original"][:40])]
    assert original["verbatim"] is True and len(original["support"]) == 3
    assert para["speaker"] in original["speaker"]


def test_quotes_have_their_speakers(examples):
    brief, _ = examples
    quotes = [q for e in brief["events"] for q in e["quotes"]]
    for expected in EXPECTED["quotes"]:
        prefix = expected["text"][:25]
        [quote] = [q for q in quotes if prefix in q["text"] or q["text"] in expected["text"]][:1]
        assert quote["speaker"] and expected["speaker"].split()[-1] in quote["speaker"], (expected, quote)


def test_relative_dates_resolve_against_publication_dates(examples):
    brief, corpus = examples
    text = texts(corpus)
    ids = doc_ids_by_path(brief)
    entries = [t for e in brief["events"] for t in e["timeline"]]
    for expected in EXPECTED["relative_dates"]:
        want = expected.get("date") or expected.get("month")
        if want is None:
            continue
        doc = ids[expected["document"]]
        assert any(
            entry["date"] == want
            and any(s["doc"] == doc and expected["text"] in text[doc][s["start"] : s["end"]] for s in entry["support"])
            for entry in entries
        ), expected

"""End to end on ../shared/seeds: four outlets' versions of one story (skipped without it).

The assertions name seed text because they check results; no rule in the
package may (see DEVELOPERS.md).
"""

from __future__ import annotations

from .conftest import texts


def by_file(brief):
    return {d["path"].rsplit("/", 1)[-1][:3]: d["id"] for d in brief["documents"]}


def test_main_story_is_one_event_and_each_glued_story_its_own(seeds):
    brief, _ = seeds
    ids = by_file(brief)
    sizes = [len(e["documents"]) for e in brief["events"]]
    assert sizes == [4, 1, 1, 1, 1]
    assert set(brief["events"][0]["documents"]) == set(ids.values())
    assert all(e["documents"] == [ids["003"]] for e in brief["events"][1:])


def test_the_four_versions_trace_to_one_wire_report(seeds):
    brief, _ = seeds
    event = brief["events"][0]
    ids = by_file(brief)
    lineage = {entry["doc"]: entry for entry in event["lineage"]}
    assert {entry["wire"] for entry in lineage.values()} == {"Reuters"}
    assert (event["independent_sources"], event["wires"]) == (1, ["Reuters"])
    # two credit the agency themselves; two relay its sources' statements without naming it
    kinds = {name: {e["kind"] for e in lineage[doc]["evidence"]} for name, doc in ids.items()}
    assert kinds == {"000": {"relayed-sources"}, "001": {"wire-credit"}, "002": {"wire-credit"}, "003": {"relayed-sources"}}
    # the photo credit of 003 is not a wire credit
    assert all(e["kind"] != "wire-credit" for e in lineage[ids["003"]]["evidence"])


def test_junk_goes_and_article_text_stays(seeds):
    brief, corpus = seeds
    text = texts(corpus)
    ids = by_file(brief)
    removed = {}
    for r in brief["removed"]:
        removed.setdefault(r["doc"], []).append(text[r["doc"]][r["start"] : r["end"]])
    assert sorted(x[:20] for x in removed[ids["000"]]) == sorted(
        ["By News Desk", "5 Min Read", "- Advertisement -", "- Advertisement -", "Ad imageAd image",
         "Ad imageAd image", "Stay updated with ve", "For climate-related "]
    )
    assert [x[:13] for x in removed[ids["001"]]] == ["Risk Warning:"]
    assert removed[ids["002"]] == ["AloJapan.com"]
    assert removed[ids["003"]] == ["Photo: AFP"]


def test_agreed_claims_are_counted_across_outlets(seeds):
    brief, _ = seeds
    event = brief["events"][0]
    top = event["claims"][0]
    assert top["documents"] >= 3 and top["independent_sources"] >= 1
    claims4 = [c for c in event["claims"] if c["documents"] == 4]
    assert any("alliance with the United States" in c["text"] for c in claims4)
    assert event["claims"] == sorted(event["claims"], key=lambda c: -c["documents"])


def test_share_of_different_things_is_a_number_discrepancy(seeds):
    brief, _ = seeds
    numbers = [d for d in brief["events"][0]["discrepancies"] if d["kind"] == "number"]
    assert any(
        any("imports" in v["value"] for v in d["variants"]) and any("consumption" in v["value"] for v in d["variants"])
        for d in numbers
    )
    # "$550 billion" and "US$550 billion", "2%" and "2 percent" agree.
    assert not any(any("550" in v["value"] for v in d["variants"]) for d in numbers)


def test_paraphrase_printed_as_quote_is_flagged(seeds):
    brief, _ = seeds
    ids = by_file(brief)
    quotes = brief["events"][0]["quotes"]
    alliance = [q for q in quotes if "alliance with the United States" in q["text"]]
    assert {q["verbatim"] for q in alliance} == {True, False}
    [paraphrase] = [q for q in alliance if not q["verbatim"]]
    assert [s["doc"] for s in paraphrase["support"]] == [ids["000"]]
    [agreed] = [q for q in alliance if q["verbatim"]]
    assert len(agreed["support"]) == 3 and "Takaichi" in agreed["speaker"]
    kinds = {d["kind"] for d in brief["events"][0]["discrepancies"]}
    assert "quote" in kinds


def test_quotes_name_their_speakers(seeds):
    brief, _ = seeds
    speakers = {q["speaker"] for q in brief["events"][0]["quotes"]}
    assert any("Motegi" in (s or "") for s in speakers)
    assert any("spokesperson" in (s or "") for s in speakers)
    motegi = [q for q in brief["events"][0]["quotes"] if "Motegi" in (q["speaker"] or "")]
    assert len({s["doc"] for q in motegi for s in q["support"]}) == 3


def test_timeline_and_entities(seeds):
    brief, _ = seeds
    event = brief["events"][0]
    assert any(t["expression"].startswith("October 27") for t in event["timeline"])
    names = {e["name"]: e for e in event["entities"]}
    assert names["Sanae Takaichi"]["type"] == "PERSON"
    assert names["Toshimitsu Motegi"]["type"] == "PERSON"

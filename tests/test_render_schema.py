"""The brief contract: schema file, validate_brief (with and without jsonschema), fixture, docs example."""

from __future__ import annotations

import copy
import json
import re
import sys
from pathlib import Path

import jsonschema
import pytest

from newscollate.render import SCHEMA_ID, load_schema, validate_brief

FIXTURES = Path(__file__).parent / "fixtures"
DOCS = Path(__file__).parents[1] / "docs" / "brief-schema.md"


def load_sample() -> tuple[dict, dict[str, str]]:
    brief = json.loads((FIXTURES / "brief_sample.json").read_text(encoding="utf-8"))
    texts = json.loads((FIXTURES / "brief_sample_texts.json").read_text(encoding="utf-8"))
    return brief, texts


@pytest.fixture(params=["jsonschema", "builtin"])
def validator(request, monkeypatch):
    """Run a test with jsonschema and again with it unimportable (the built-in fallback)."""
    if request.param == "builtin":
        monkeypatch.setitem(sys.modules, "jsonschema", None)
    return request.param


def test_schema_is_valid_draft_2020_12_with_the_contract_id():
    schema = load_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$id"] == SCHEMA_ID == "newscollate.brief/1"
    assert schema["properties"]["schema"] == {"const": SCHEMA_ID}
    assert schema["$defs"]["span"]["required"] == ["doc", "start", "end"]


def test_load_schema_returns_an_independent_copy():
    load_schema()["properties"].clear()
    assert "events" in load_schema()["properties"]


def test_schema_requires_the_fields_promised_never_to_be_removed():
    defs = load_schema()["$defs"]
    assert set(load_schema()["required"]) >= {"schema", "documents", "removed", "events"}
    promised = {
        "document": {"id", "path", "title", "published", "chars"},
        "removal": {"doc", "start", "end", "reason"},
        "event": {"id", "title", "segments", "claims", "discrepancies", "quotes", "timeline", "entities"},
        "claim": {"id", "text", "support", "documents", "independent_sources"},
        "discrepancy": {"kind", "subject", "variants"},
        "quote": {"speaker", "text", "verbatim", "support"},
        "timelineEntry": {"date", "text", "support"},
        "entity": {"name", "type", "mentions"},
    }
    for name, fields in promised.items():
        assert set(defs[name]["required"]) >= fields, name
    assert set(defs["discrepancy"]["properties"]["variants"]["items"]["required"]) >= {"value", "support"}


def test_sample_validates(validator):
    brief, _ = load_sample()
    validate_brief(brief)


def test_unknown_fields_are_allowed(validator):
    brief, _ = load_sample()
    brief["future"] = {"anything": 1}
    brief["events"][0]["claims"][0]["confidence"] = 0.9
    validate_brief(brief)


def test_missing_claims_fails_with_a_clear_message(validator):
    brief, _ = load_sample()
    del brief["events"][1]["claims"]
    with pytest.raises(ValueError) as raised:
        validate_brief(brief)
    message = str(raised.value)
    assert SCHEMA_ID in message
    assert "events[1]" in message and "'claims' is a required property" in message


def test_bad_span_type_fails_naming_the_field(validator):
    brief, _ = load_sample()
    brief["events"][0]["claims"][0]["support"][1]["start"] = "12"
    with pytest.raises(ValueError) as raised:
        validate_brief(brief)
    assert "events[0].claims[0].support[1].start" in str(raised.value)
    assert "integer" in str(raised.value)


@pytest.mark.parametrize(
    "breakage, expected",
    [
        (lambda b: b.update(schema="newscollate.brief/2"), "newscollate.brief/1"),
        (lambda b: b["documents"][0].update(published="18/02/2026"), "documents[0].published"),
        (lambda b: b["events"][0]["quotes"][0].update(verbatim="yes"), "events[0].quotes[0].verbatim"),
        (lambda b: b["events"][0]["discrepancies"][0].update(kind="colour"), "events[0].discrepancies[0].kind"),
        (lambda b: b["events"][0]["claims"][0].update(support=[]), "events[0].claims[0].support"),
        (lambda b: b["events"][0]["timeline"][0].update(date="Tuesday"), "events[0].timeline[0].date"),
        (lambda b: b["removed"][0].update(start=-1), "removed[0].start"),
        (lambda b: b["events"][0]["entities"][0].update(mentions=True), "events[0].entities[0].mentions"),
    ],
)
def test_structural_problems_are_reported_where_they_are(validator, breakage, expected):
    brief, _ = load_sample()
    breakage(brief)
    with pytest.raises(ValueError, match=re.escape(expected)):
        validate_brief(brief)


@pytest.mark.parametrize(
    "breakage, expected",
    [
        (lambda b: b["events"][0]["segments"][0].update(doc="dnothere"), "unknown document 'dnothere'"),
        (lambda b: b["events"][0]["claims"][0]["support"][0].update(end=10_000), "is outside 0:668"),
        (lambda b: b["removed"][0].update(start=50, end=40), "removed[0]: span 50:40"),
        (lambda b: b["events"][0]["discrepancies"][0].update(claim="e9c9"), "no claim 'e9c9'"),
        (lambda b: b["documents"].append(dict(b["documents"][0])), "duplicate document id"),
        (lambda b: b["events"][1].update(id="e1"), "duplicate event id"),
        (lambda b: b["events"][0]["segments"][0].update(start=3.0), "events[0].segments[0]"),  # float offset
    ],
)
def test_references_are_checked_after_structure(validator, breakage, expected):
    brief, _ = load_sample()
    breakage(brief)
    with pytest.raises(ValueError, match=re.escape(expected)):
        validate_brief(brief)


def test_only_the_first_problems_are_listed(validator):
    brief, _ = load_sample()
    for event in brief["events"]:
        for claim in event["claims"]:
            for span in claim["support"]:
                span["start"] = "x"
    with pytest.raises(ValueError) as raised:
        validate_brief(brief)
    assert str(raised.value).count("\n  - ") == 10


def test_not_an_object_is_rejected(validator):
    with pytest.raises(ValueError):
        validate_brief([])


def test_sample_spans_match_their_texts():
    """The fixture's offsets are Python str indices into the texts (one contains emoji)."""
    brief, texts = load_sample()
    for doc in brief["documents"]:
        assert len(texts[doc["id"]]) == doc["chars"]
    for event in brief["events"]:
        span = event["title_support"]
        assert texts[span["doc"]][span["start"] : span["end"]] == event["title"]
        for variant in (v for d in event["discrepancies"] for v in d["variants"]):
            for span in variant["support"]:
                assert variant["value"] in texts[span["doc"]][span["start"] : span["end"]]
        for quote in (q for q in event["quotes"] if q["verbatim"]):
            for span in quote["support"]:
                assert texts[span["doc"]][span["start"] : span["end"]] == quote["text"]
        for entry in event["timeline"]:
            span = entry["support"][0]
            assert texts[span["doc"]][span["start"] : span["end"]] == entry["text"]
    assert "🚧" in texts["d4d0c0ffee04"]


def test_docs_example_is_a_valid_brief_whose_offsets_match_its_texts():
    markdown = DOCS.read_text(encoding="utf-8")
    example = re.search(r"## Example.*?```json\n(.*?)```", markdown, re.S)
    texts_found = re.findall(r"```text\n(.*?)```", markdown, re.S)
    assert example and len(texts_found) == 2
    brief = json.loads(example.group(1))
    validate_brief(copy.deepcopy(brief))
    texts = dict(zip([d["id"] for d in brief["documents"]], texts_found))
    for doc in brief["documents"]:
        assert len(texts[doc["id"]]) == doc["chars"]
    event = brief["events"][0]
    span = event["title_support"]
    assert texts[span["doc"]][span["start"] : span["end"]] == event["title"]
    for variant in event["discrepancies"][0]["variants"]:
        span = variant["support"][0]
        assert texts[span["doc"]][span["start"] : span["end"]] == variant["value"]
    span = brief["removed"][0]
    assert texts[span["doc"]][span["start"] : span["end"]] == "Ends."


def test_builtin_validator_understands_every_keyword_the_schema_uses():
    from newscollate.render import _SubsetValidator

    def keywords(schema: dict) -> set[str]:
        found = set(schema)
        for key in ("properties", "$defs"):
            for sub in schema.get(key, {}).values():
                found |= keywords(sub)
        if isinstance(schema.get("items"), dict):
            found |= keywords(schema["items"])
        return found

    assert keywords(load_schema()) <= _SubsetValidator.KEYWORDS

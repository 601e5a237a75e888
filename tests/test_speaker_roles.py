"""Who said a quotation (collate.quotes.find_quotes): attribution patterns, pronouns, and
roles ("the minister said") resolved to the person the document gives that role.

All texts are invented: fictional outlets, people, companies and places.
"""

from __future__ import annotations

import pytest

from newscollate.collate.quotes import find_quotes
from newscollate.render import validate_brief

from .nlp_helpers import annotated

FERRY = "Every ferry will run on time from Monday"
TALKS = "We have agreed on nothing yet, and that is normal"


def quotes_of(text: str):
    [doc] = annotated(text)
    return [q for seg in doc.spans("segments") for q in find_quotes(doc, seg)]


def pairs(text: str) -> list[tuple[str, str | None]]:
    return [(q.text.rstrip("."), q.speaker_name) for q in quotes_of(text)]


# --- the usual attributions ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        f'"{FERRY}," Sofia Marchetti said.',
        f'"{FERRY}," said Sofia Marchetti.',
        f'"{FERRY}," Sofia Marchetti told reporters.',
        f'Sofia Marchetti told reporters: "{FERRY}."',
    ],
    ids=["x-said", "said-x", "x-told-reporters", "x-told-reporters-colon"],
)
def test_speaker_of_a_verb_of_saying(text):
    assert pairs(text) == [(FERRY, "Sofia Marchetti")]


def test_according_to_with_a_partial_quote():
    text = 'According to Sofia Marchetti, the plan was "a betrayal of trust for every island family".'
    assert pairs(text) == [("a betrayal of trust for every island family", "Sofia Marchetti")]


def test_partial_quote_inside_a_sentence():
    text = 'Prime Minister Odile Farran called the plan "a betrayal of trust" and left the chamber.'
    assert pairs(text) == [("a betrayal of trust", "Odile Farran")]


def test_quote_of_several_sentences_in_one_pair_of_marks():
    text = f'Sofia Marchetti said: "{FERRY}. The old timetable is gone for good."'
    assert pairs(text) == [(f"{FERRY}. The old timetable is gone for good", "Sofia Marchetti")]


def test_quote_continued_over_paragraphs_with_unclosed_marks():
    # each continued paragraph opens with a quotation mark; only the last one closes
    text = (
        f'"{FERRY}," Sofia Marchetti said. "The old timetable is gone for good.\n'
        '"We have hired forty new crew members this winter.\n'
        '"Nobody will wait on the pier in the rain again."'
    )
    assert [speaker for _, speaker in pairs(text)] == ["Sofia Marchetti"] * 4


def test_quotation_after_an_attribution_sentence_in_its_paragraph():
    text = f'Sofia Marchetti told the council on Tuesday that the work was on schedule. "{FERRY}."'
    assert pairs(text) == [(FERRY, "Sofia Marchetti")]


def test_quotation_in_the_next_paragraph_after_an_attribution_is_not_attributed():
    text = f'Sofia Marchetti told the council on Tuesday that the work was on schedule.\n"{FERRY}."'
    assert pairs(text) == [(FERRY, None)]


def test_pronoun_resolves_to_the_last_named_person():
    text = 'Sofia Marchetti and Tomas Rell inspected the pier. "It will not survive another winter storm," he said.'
    assert pairs(text) == [("It will not survive another winter storm", "Tomas Rell")]


def test_pronoun_resolves_to_a_name_the_model_did_not_tag_as_a_person():
    # the small model tags this name as a PRODUCT; it is still the subject the pronoun refers to
    text = f'Ines Calder opened the session on Monday.\n"{FERRY}," she said.'
    assert pairs(text) == [(FERRY, "Ines Calder")]


# --- roles resolved to names --------------------------------------------------------------------


def test_the_minister_is_the_minister_named_before():
    text = f'Foreign Minister Sofia Marchetti arrived in Carrowby on Monday.\n"{TALKS}," the minister said.'
    [quote] = quotes_of(text)
    assert quote.speaker_name == "Sofia Marchetti"
    # the speaker span is the name where the document writes it, a person
    assert quote.speaker.label == "PERSON" and quote.doc.text.index("Sofia") == quote.speaker.start


def test_the_role_words_pick_between_two_holders_of_the_head_noun():
    text = (
        "Foreign Minister Tavish Orrin and Prime Minister Odile Farran met in Carrowby on Monday.\n"
        f'"{TALKS}," the prime minister said.'
    )
    assert pairs(text) == [(TALKS, "Odile Farran")]


def test_of_two_holders_the_one_named_last_before_the_quote():
    base = "Foreign Minister Tavish Orrin and Prime Minister Odile Farran met in Carrowby on Monday.\n"
    farran_last = base + f'Orrin stayed to talk to reporters.\nFarran left early.\n"{TALKS}," the minister said.'
    orrin_last = base + f'Farran left early.\nOrrin stayed to talk to reporters.\n"{TALKS}," the minister said.'
    assert pairs(farran_last) == [(TALKS, "Odile Farran")]
    assert pairs(orrin_last) == [(TALKS, "Tavish Orrin")]


def test_a_spokesman_named_later_in_the_document():
    text = (
        '"Nobody was hurt in the collision," a police spokesman said.\n'
        "The spokesman, Sergeant Ivo Brandt, said the road would reopen by noon."
    )
    [quote] = quotes_of(text)
    # the title the model took into the name is not part of the speaker
    assert quote.speaker_name == "Ivo Brandt"


def test_spokeswoman_and_spokesman_are_one_role_and_organisation_tags_do_not_matter():
    # the model tags "Marta Quell" as an organisation; her role still says who she is
    text = (
        '"The shelves will be full again by Friday," the company\'s spokeswoman said.\n'
        "Marta Quell, a spokesman for Brightwell Foods, said the stores would reopen."
    )
    assert pairs(text) == [("The shelves will be full again by Friday", "Marta Quell")]


def test_an_organisation_described_by_its_role():
    text = (
        "The carmaker Velora recalled 4,000 vehicles on Tuesday.\n"
        '"No customer has been hurt by the fault," the carmaker said.'
    )
    assert pairs(text) == [("No customer has been hurt by the fault", "Velora")]


def test_name_in_apposition_to_the_role_subject():
    text = '"We will not cut a single job this year," said the company\'s chief executive, Ada Brelk.'
    assert pairs(text) == [("We will not cut a single job this year", "Ada Brelk")]


def test_an_unmatched_role_stays_the_speaker_as_written():
    text = (
        '"The fire started in the kitchen," a fire brigade spokesman said.\n'
        "Foreign Minister Sofia Marchetti visited the site."
    )
    [quote] = quotes_of(text)
    assert quote.speaker_name == "fire brigade spokesman"
    assert quote.speaker.label == "speaker"


def test_a_possessor_is_part_of_an_unmatched_role():
    assert pairs('"The shelves will be full again by Friday," the company\'s spokeswoman said.') == [
        ("The shelves will be full again by Friday", "the company's spokeswoman")
    ]


def test_an_indefinite_role_is_not_someone_named_before():
    # "a minister" is some minister, not the one the story has been about
    text = f'Foreign Minister Sofia Marchetti arrived in Carrowby on Monday.\n"{TALKS}," a minister said.'
    assert pairs(text) == [(TALKS, "minister")]


def test_two_holders_none_named_before_leaves_the_role():
    text = (
        f'"{TALKS}," the minister said.\n'
        "Foreign Minister Tavish Orrin and Prime Minister Odile Farran met in Carrowby on Monday."
    )
    assert pairs(text) == [(TALKS, "minister")]


# --- the brief ----------------------------------------------------------------------------------


def test_speaker_support_is_a_span_the_schema_checks():
    text = 'Ada Brelk said "no job will be cut this year".'
    doc = {"id": "d1", "path": "a.txt", "title": None, "published": None, "chars": len(text)}
    quote = {"speaker": "Ada Brelk", "text": "no job will be cut this year", "verbatim": True,
             "support": [{"doc": "d1", "start": 16, "end": 44}], "speaker_support": {"doc": "d1", "start": 0, "end": 9}}
    event = {"id": "e1", "title": "t", "segments": [{"doc": "d1", "start": 0, "end": len(text)}], "claims": [],
             "discrepancies": [], "quotes": [quote], "timeline": [], "entities": []}  # fmt: skip
    brief = {"schema": "newscollate.brief/1", "documents": [doc], "removed": [], "events": [event]}
    validate_brief(brief)
    quote["speaker_support"] = None
    validate_brief(brief)
    quote["speaker_support"] = {"doc": "d1", "start": 0}
    with pytest.raises(ValueError, match="speaker_support"):
        validate_brief(brief)
    quote["speaker_support"] = {"doc": "d1", "start": 0, "end": 999}
    with pytest.raises(ValueError, match=r"quotes\[0\]\.speaker_support"):
        validate_brief(brief)

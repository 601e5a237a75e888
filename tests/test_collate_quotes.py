"""Quotations, their speakers (collate.quotes.find_quotes) and statements (group_quotes).

All texts are invented: fictional outlets, people and places.
"""

from __future__ import annotations

import pytest

from newscollate.collate.discrepancies import quote_discrepancies
from newscollate.collate.quotes import find_quotes, group_quotes

from .nlp_helpers import annotated

CABLES = "Every cable must be replaced before anyone walks on it again"
POWER = "Our crews will work through the night until every family has power again"


def quotes_of(*texts):
    """Every quotation of each document, in order, over all of the documents."""
    docs = annotated(*texts)
    return [q for doc in docs for seg in doc.spans("segments") for q in find_quotes(doc, seg)]


def pairs(*texts):
    return [(q.text.rstrip("."), q.speaker_name) for q in quotes_of(*texts)]


# --- speakers -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        f'"{CABLES}," Sofia Marchetti said on Monday.',
        f'"{CABLES}," said Sofia Marchetti, the chief engineer of the Dunmore council.',
        f'Sofia Marchetti said: "{CABLES}."',
        f'"{CABLES}," according to Sofia Marchetti.',
    ],
    ids=["x-said", "said-x", "x-said-colon", "according-to-x"],
)
def test_speaker_of_a_verb_of_saying(text):
    assert pairs(text) == [(CABLES, "Sofia Marchetti")]


def test_speaker_span_points_at_the_name_in_the_source():
    [quote] = quotes_of(f'"{CABLES}," said Sofia Marchetti, the chief engineer of the Dunmore council.')
    assert quote.doc.slice(quote.speaker) == "Sofia Marchetti"
    assert quote.doc.slice(quote.span) == CABLES  # without quotation marks or the trailing comma


def test_pronoun_speaker_resolves_to_the_person_named_before():
    text = f'Sofia Marchetti inspected the cables on Monday.\nThe cables had not been painted for years.\n"{CABLES}," she said.'
    assert pairs(text) == [(CABLES, "Sofia Marchetti")]


def test_pronoun_speaker_takes_the_nearest_person_before_it():
    text = (
        "Mayor Oskar Lindqvist visited the site on Monday with Anna Kowalczyk.\n"
        "Anna Kowalczyk inspected the cables that afternoon.\n"
        f'"{CABLES}," she said.'
    )
    assert pairs(text) == [(CABLES, "Anna Kowalczyk")]


def test_quote_continued_in_the_next_sentence_keeps_its_speaker():
    text = f'"{CABLES}," Sofia Marchetti said. "We found rust in places nobody had checked for a decade."'
    assert pairs(text) == [
        (CABLES, "Sofia Marchetti"),
        ("We found rust in places nobody had checked for a decade", "Sofia Marchetti"),
    ]


def test_quote_continued_in_the_next_paragraph_keeps_its_speaker():
    # The convention: the first paragraph's quotation is left open and the next
    # paragraph opens with a quotation mark.
    text = f'Sofia Marchetti said: "{CABLES}.\n"We found rust in places nobody had checked for a decade."'
    assert pairs(text) == [
        (CABLES, "Sofia Marchetti"),
        ("We found rust in places nobody had checked for a decade", "Sofia Marchetti"),
    ]


def test_a_new_quotation_after_narration_does_not_inherit_the_speaker():
    text = (
        f'Sofia Marchetti said: "{CABLES}."\n'
        "Residents of the east bank have complained about the footbridge for years.\n"
        '"Nobody listened to us when we wrote to the council about the rust," one letter read.'
    )
    speakers = [speaker for _, speaker in pairs(text)]
    assert speakers[0] == "Sofia Marchetti"
    assert speakers[1] != "Sofia Marchetti"


def test_relative_clause_speaker_is_the_antecedent():
    text = f'The repairs will take months, according to engineer Sofia Marchetti, who added that "{CABLES.lower()}."'
    [(_, speaker)] = pairs(text)
    assert speaker == "Sofia Marchetti"


# --- what is not a quotation --------------------------------------------------------------------


def test_scare_quotes_of_one_or_two_words_are_ignored():
    text = 'Residents call the "temporary" footbridge in Dunmore a "rust bucket" and have said so for years.'
    assert quotes_of(text) == []


def test_short_quotation_without_speaker_is_ignored_but_a_long_one_is_kept():
    short = 'The Dunmore footbridge was marked "safe for public use" in the autumn report.'
    long = 'The Dunmore footbridge was marked "safe for public use in all seasons and weathers" in the autumn report.'
    assert quotes_of(short) == []
    assert pairs(long) == [("safe for public use in all seasons and weathers", None)]


def test_short_quotation_with_a_speaker_is_kept():
    assert pairs('"It is finished," Sofia Marchetti said.') == [("It is finished", "Sofia Marchetti")]


# --- statements and versions --------------------------------------------------------------------

FOUR_OUTLETS = (
    f'"{POWER}," said Oskar Lindqvist, the mayor of Carrowby.',
    f'Mayor Oskar Lindqvist said: "{POWER}."',
    f'"{POWER}," Lindqvist told reporters at the town hall.',
    'Oskar Lindqvist said "the crews will keep going all night until the power is back for every family".',
)


def test_paraphrase_in_quotation_marks_is_not_verbatim_when_others_agree():
    quotes = quotes_of(*FOUR_OUTLETS)
    assert len(quotes) == 4 and all(q.speaker for q in quotes)
    [statement] = group_quotes(quotes)
    assert len(statement.versions) == 2
    agreed, paraphrase = sorted(statement.versions, key=len, reverse=True)
    assert {q.doc.meta.source for q in agreed} == {"Outlet A", "Outlet B", "Outlet C"}
    assert [q.doc.meta.source for q in paraphrase] == ["Outlet D"]
    assert statement.verbatim(agreed) is True
    assert statement.verbatim(paraphrase) is False
    assert "Lindqvist" in statement.speaker


def test_two_wordings_quoted_equally_often_are_neither_verbatim():
    quotes = quotes_of(FOUR_OUTLETS[0], FOUR_OUTLETS[3])
    [statement] = group_quotes(quotes)
    assert len(statement.versions) == 2
    assert [statement.verbatim(v) for v in statement.versions] == [False, False]


def test_paraphrase_is_a_quote_discrepancy():
    [statement] = group_quotes(quotes_of(*FOUR_OUTLETS))
    [discrepancy] = quote_discrepancies([statement])
    assert discrepancy.kind == "quote"
    values = sorted((v.value.rstrip(".") for v in discrepancy.variants), key=len)
    assert values == [POWER, "the crews will keep going all night until the power is back for every family"]
    # the agreed wording is supported by all three outlets that printed it
    [agreed] = [v for v in discrepancy.variants if v.value.rstrip(".") == POWER]
    assert len(agreed.support) == 3


def test_partial_quote_is_the_same_words_as_the_full_quote():
    quotes = quotes_of(
        f'"{POWER}," said Oskar Lindqvist, the mayor of Carrowby.',
        'Lindqvist promised that crews would "work through the night until every family has power again".',
    )
    assert [q.text.rstrip(".") for q in quotes] == [POWER, "work through the night until every family has power again"]
    [statement] = group_quotes(quotes)
    assert len(statement.versions) == 1
    assert statement.verbatim(statement.versions[0]) is True
    # the full quotation, which starts a sentence, represents the version
    assert statement.representative(statement.versions[0]).text.rstrip(".") == POWER
    assert quote_discrepancies([statement]) == []


def test_different_statements_of_one_speaker_stay_apart():
    quotes = quotes_of(
        f'"{POWER}," said Oskar Lindqvist, the mayor of Carrowby.',
        '"The footbridge inquiry will be led by a judge from outside the county," Oskar Lindqvist said.',
    )
    statements = group_quotes(quotes)
    assert len(statements) == 2
    assert all(len(s.versions) == 1 for s in statements)

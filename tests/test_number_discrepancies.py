"""Number discrepancies: which numbers are quantities (collate.numbers) and which quantities of
two sources are compared (collate.number_conflicts), one test per rule.

All texts are invented: fictional outlets, people and places.
"""

from __future__ import annotations

import pytest

from newscollate.collate.discrepancies import measure_discrepancies, number_discrepancies
from newscollate.collate.number_conflicts import WrittenValue, compatible_values, conflicting_quantities
from newscollate.collate.numbers import number_mentions, quantities, word_number_value

from .nlp_helpers import event_parts, one_sentence


def found(text: str) -> list[tuple[str, float, str, frozenset[str] | None]]:
    """``(phrase text, value, unit, measure)`` of each quantity in a one-sentence text."""
    doc, sentence = one_sentence(text)
    return [(doc.slice(q.phrase()), q.value, q.unit, q.measure) for q in quantities(doc, sentence)]


def values_flagged(*texts: str) -> list[list[str]]:
    """The variants of each number discrepancy found in an event of these documents."""
    parts = event_parts(*texts)
    return [sorted(v.value for v in d.variants) for d in number_discrepancies(parts.claims, parts.quantities, parts.text_of)]


# --- which numbers are quantities -------------------------------------------------------------------


@pytest.mark.parametrize(
    "words, value",
    [("twenty-five", 25), ("a dozen", 12), ("two dozen", 24), ("three hundred", 300), ("three hundred and ten", 310)],
)
def test_number_words_are_read_whole(words, value):
    assert word_number_value(words) == value
    [(phrase, read, unit, _)] = found(f"Rescuers pulled {words} fishermen from the Carrowby estuary on Tuesday.")
    assert phrase == f"{words} fishermen"
    assert (read, unit) == (value, "count")


def test_vague_number_words_are_no_quantities():
    assert found("Hundreds of fishermen and dozens of volunteers searched the Carrowby estuary.") == []


def test_a_word_starting_like_a_month_is_no_date():
    # "separate" once read as "Sep": the count beside it was taken for a day of September
    [(phrase, value, _, _)] = found("Marchers gathered in two separate squares of central Velmora on Friday.")
    assert (phrase, value) == ("two separate squares", 2.0)


@pytest.mark.parametrize(
    "text",
    [
        "The inquiry met at 14 Kilbrook Road, near the 5th Avenue depot.",
        "Smugglers unloaded the crates by 4:30pm on the Dunmore quay.",
        "The harbour patrol boats carry G20 radios and K-47 flares.",
    ],
)
def test_ordinals_times_and_codes_are_no_counts(text):
    assert all(value not in (5.0, 4.0, 20.0, 47.0) for _, value, _, _ in found(text))
    assert {value for _, _, value in number_mentions(text)} - {14.0} == set()


def test_a_date_tagged_count_of_things_stays_a_count():
    # the model tags "Forty" and "its last 6" as dates; they count smugglers and matches
    assert found("Forty suspected smugglers were detained near Kilbrook harbour on Friday.")[0][:2] == (
        "Forty suspected smugglers", 40.0)  # fmt: skip
    assert [(p, v) for p, v, _, _ in found("The Kilbrook club lost its last 6 matches before the break.")] == [
        ("6 matches", 6.0)]  # fmt: skip


def test_ages_and_lengths_of_time_are_no_counts():
    assert found("A 36-year-old ferry pilot was held for three days in Carrowby.") == []


def test_a_count_measures_the_nouns_right_after_it_not_past_a_preposition():
    rows = found("Brannick, 31-2 with 24 knockouts, stopped Oduya in Velmora.")
    measures = {phrase: measure for phrase, _, _, measure in rows}
    assert measures["24 knockouts"] == {"knockout"}
    assert all(measure is None for phrase, measure in measures.items() if phrase != "24 knockouts")


def test_a_number_word_standing_for_people_named_before_is_a_count():
    [(phrase, value, unit, measure)] = found("The three fled on foot toward the Dunmore quay.")
    assert (phrase, value, unit, measure) == ("three", 3.0, "count", None)


def test_one_and_details_of_a_count_are_no_counts():
    rows = found("One of the divers and fourteen crew were rescued, three of them by helicopter.")
    assert [phrase for phrase, *_ in rows] == ["fourteen crew"]


def test_a_rank_is_compared_with_ranks_only():
    [(phrase, value, unit, measure)] = found("The No. 4 Dunmore Rovers beat Kilbrook at home on Saturday.")
    assert (value, unit) == (4.0, "rank")
    assert "rovers" in measure


def test_a_hyphenated_unit_sizes_the_noun_after_it():
    [(phrase, value, unit, measure)] = found("The port authority hired a 40-metre crane for the Dunmore pier.")
    assert (phrase, value, unit, measure) == ("40-metre crane", 40.0, "-metre", {"crane"})


def test_a_range_writes_its_scale_once():
    rows = found("The county approved between $40 and $50 million for the Dunmore bypass.")
    assert [value for _, value, _, _ in rows] == [40e6, 50e6]


# --- which quantities of two sources are compared ---------------------------------------------------


def test_two_counts_of_one_thing_pair_once_what_both_write_is_set_aside():
    assert values_flagged(
        "Two shells hit the Dunmore pier and one shell struck a moored ferry, the coastguard said.",
        "Five shells hit the Dunmore pier and one shell struck a moored ferry, the coastguard said.",
    ) == [["Five shells", "Two shells"]]


def test_counts_of_nouns_in_common_are_the_same_thing():
    assert values_flagged(
        "Nine police officers guarded the Velmora courthouse during the Brannick verdict on Monday.",
        "Four officers guarded the Velmora courthouse during the Brannick verdict on Monday.",
    ) == [["Four officers", "Nine police officers"]]


def test_the_only_count_left_pairs_where_the_same_words_stand_around_it():
    # "cars" and "vehicles" share no noun; "stolen" after both tells they are the same count
    assert values_flagged(
        "Kilbrook police arrested two men and recovered six stolen cars at the Dunmore docks.",
        "Kilbrook police arrested two men and recovered four stolen vehicles at the Dunmore docks.",
    ) == [["four stolen vehicles", "six stolen cars"]]


def test_a_sentence_cut_into_clauses_is_compared_whole_with_one_that_is_not():
    parts = event_parts(
        "The Carrowby ferry carried 310 passengers on Sunday, and its crew rescued 12 swimmers near Dunmore.",
        "The Carrowby ferry carried 290 passengers on Sunday while its crew rescued 12 swimmers near Dunmore.",
    )
    assert len(parts.sentences) == 3  # precondition: the first sentence is cut into two clauses, the second is not
    found = number_discrepancies(parts.claims, parts.quantities, parts.text_of)
    assert [sorted(v.value for v in d.variants) for d in found] == [["290 passengers", "310 passengers"]]


def test_bare_counts_are_compared_only_in_close_rewordings():
    doc_a, a = one_sentence("The death toll from the Velmora mine fire rose to 14 on Tuesday.")
    doc_b, b = one_sentence("The death toll from the Velmora mine fire rose to 13 on Tuesday.")

    class Sent:  # what conflicting_quantities reads of a sentence
        def __init__(self, doc, span):
            self.text, self.span = doc.slice(span), span

    qa, qb = quantities(doc_a, a), quantities(doc_b, b)
    assert all(q.measure is None for q in qa + qb)
    assert len(conflicting_quantities(Sent(doc_a, a), qa, Sent(doc_b, b), qb, close=True)) == 1
    assert conflicting_quantities(Sent(doc_a, a), qa, Sent(doc_b, b), qb, close=False) == []


def test_a_time_written_beside_a_count_is_no_other_value_of_it():
    # the "4" of "4:30pm" must not pass for a second mention of four jurors
    assert values_flagged(
        "By 4:30pm on Monday, four jurors had been chosen for the Brannick trial in Velmora.",
        "By 4:30pm on Monday, nine jurors had been chosen for the Brannick trial in Velmora.",
    ) == [["four jurors", "nine jurors"]]


@pytest.mark.parametrize(
    "a, b",
    [
        (WrittenValue(3.2e6, 1e5, ""), WrittenValue(3.24e6, 1e4, "")),  # $3.2 million, $3.24 million
        (WrittenValue(300, 1, "about"), WrittenValue(312, 1, "")),  # about 300, 312
        (WrittenValue(300, 1, "at least"), WrittenValue(340, 1, "")),  # more than 300, 340
        (WrittenValue(50, 1, "at most"), WrittenValue(45, 1, "")),  # up to 50, 45
    ],
)
def test_rounded_and_hedged_values_agree(a, b):
    assert compatible_values(a, b) and compatible_values(b, a)


@pytest.mark.parametrize(
    "a, b",
    [
        (WrittenValue(300, 1, "about"), WrittenValue(400, 1, "about")),  # both hedged: compared as written
        (WrittenValue(1200, 1, ""), WrittenValue(1230, 1, "")),  # one precision: no rounding
        (WrittenValue(300, 1, "at least"), WrittenValue(280, 1, "")),
        (WrittenValue(300, 1, "about"), WrittenValue(360, 1, "")),
    ],
)
def test_values_outside_rounding_and_hedges_disagree(a, b):
    assert not compatible_values(a, b)


def test_a_hedged_count_is_no_conflict_with_an_exact_one_near_it():
    assert values_flagged(
        "About 300 people left the flooded Dunmore estate on Tuesday, the county said.",
        "312 people left the flooded Dunmore estate on Tuesday, the county said.",
    ) == []


def test_three_sources_two_values_make_one_finding():
    assert values_flagged(
        "The Dunmore footbridge collapse injured 14 people on Tuesday, the fire service said.",
        "The Dunmore footbridge collapse injured 14 people on Tuesday, according to the fire service.",
        "The Dunmore footbridge collapse injured 12 people on Tuesday, the fire service said.",
    ) == [["12 people", "14 people"]]


def test_the_same_size_of_differently_named_things_is_no_measure_discrepancy():
    parts = event_parts(
        "Kilbrook United offered Oduya a six-year contract worth $40 million on Friday.",
        "Kilbrook United offered Oduya a six-year deal worth $40 million on Friday.",
    )
    assert measure_discrepancies(parts.sentences, parts.similarity, parts.quantities, parts.text_of) == []
    assert number_discrepancies(parts.claims, parts.quantities, parts.text_of) == []

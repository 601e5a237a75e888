"""Quantities (collate.numbers) and the number discrepancies built on them.

All texts are invented: fictional outlets, people and places.
"""

from __future__ import annotations

import pytest

from newscollate.collate.discrepancies import measure_discrepancies, number_discrepancies
from newscollate.collate.numbers import number_mentions, quantities

from .nlp_helpers import event_parts, one_sentence


def found(text: str) -> list[tuple[str, float, str, frozenset[str] | None, str]]:
    """``(number text, value, unit, measure, phrase text)`` of each quantity in a one-sentence text."""
    doc, sentence = one_sentence(text)
    return [
        (doc.text[q.start : q.end], q.value, q.unit, q.measure, doc.slice(q.phrase()))
        for q in quantities(doc, sentence)
    ]


# --- quantities ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, number",
    [
        ("The council approved a grant of $3.2 million for the Dunmore pier.", "$3.2 million"),
        ("The council approved a grant of 3.2 million dollars for the Dunmore pier.", "3.2 million dollars"),
        ("The council approved a grant of US$3.2 million for the Dunmore pier.", "US$3.2 million"),
    ],
)
def test_money_is_the_same_quantity_however_written(text, number):
    [(written, value, unit, _, _)] = found(text)
    assert written == number
    assert value == pytest.approx(3.2e6)
    assert unit == "money:USD"


def test_percent_sign_and_word_are_the_same_quantity():
    [sign] = found("The port of Carrowby handles 40% of the region's exports.")
    [word] = found("The port of Carrowby handles 40 percent of the region's exports.")
    assert sign[0] == "40%" and word[0] == "40 percent"
    assert sign[1:4] == word[1:4] == (40.0, "percent", frozenset({"export"}))


def test_share_measures_the_noun_phrase_after_of():
    [exports] = found("The port of Carrowby handles 40% of the region's exports.")
    [traffic] = found("The port of Carrowby handles 40% of its shipping traffic.")
    assert exports[3] == {"export"}
    assert traffic[3] == {"shipping", "traffic"}
    assert not exports[3] & traffic[3]
    # the phrase runs to the end of what is measured
    assert exports[4] == "40% of the region's exports"
    assert traffic[4] == "40% of its shipping traffic"


def test_count_measures_the_counted_noun():
    [(written, value, unit, measure, phrase)] = found("The collapse of the Dunmore footbridge injured 14 people.")
    assert (written, value, unit) == ("14", 14.0, "count")
    assert measure in ({"people"}, {"person"})
    assert phrase == "14 people"


def test_spelled_out_count_is_a_number():
    [(written, value, unit, measure, _)] = found("Fourteen people were injured when the Dunmore footbridge collapsed.")
    assert written == "Fourteen"
    assert value == 14.0
    assert unit == "count"
    assert measure in ({"people"}, {"person"})


@pytest.mark.parametrize(
    "text",
    [
        "The new Dunmore footbridge will open in 2029, the council said.",
        "The inquiry into the Dunmore footbridge collapse will report on March 12.",
        "The inquiry into the Dunmore footbridge collapse will report on 12 March.",
    ],
)
def test_years_and_day_numbers_are_not_quantities(text):
    assert found(text) == []


def test_years_and_days_are_skipped_but_counts_beside_them_are_kept():
    rows = found("On March 12, 2029, the Carrowby ferry carried 310 passengers.")
    assert [(r[0], r[1], r[2]) for r in rows] == [("310", 310.0, "count")]


def test_number_mentions_read_digits_and_words():
    text = "Fourteen people were injured, three of them seriously, and 2,500 were evacuated."
    assert [(text[a:b], value) for a, b, value in number_mentions(text)] == [
        ("Fourteen", 14.0), ("three", 3.0), ("2,500", 2500.0)
    ]


# --- number_discrepancies -----------------------------------------------------------------------


def numbers_found(parts):
    return number_discrepancies(parts.claims, parts.quantities, parts.text_of)


def test_different_counts_in_an_aligned_claim_are_flagged():
    parts = event_parts(
        "The collapse of the Dunmore footbridge injured 14 people on Tuesday, the county fire service said.",
        "The county fire service said 12 people were injured when the Dunmore footbridge collapsed on Tuesday.",
    )
    claim = parts.claim_of("injured 14 people")
    assert len(claim.sentences) == 2  # precondition: the two sentences are one claim
    [discrepancy] = numbers_found(parts)
    assert discrepancy.kind == "number"
    assert discrepancy.claim is claim
    assert sorted(v.value for v in discrepancy.variants) == ["12 people", "14 people"]
    # each variant points at the characters its source wrote
    for variant in discrepancy.variants:
        assert [parts.text_of(s) for s in variant.support] == [variant.value]


def test_same_amount_written_differently_is_not_flagged():
    parts = event_parts(
        "The council approved $3.2 million to repair the Dunmore footbridge after its collapse.",
        "The council approved 3.2 million dollars to repair the Dunmore footbridge after its collapse.",
    )
    assert len(parts.claim_of("approved $3.2 million").sentences) == 2
    assert numbers_found(parts) == []


def test_different_amounts_in_an_aligned_claim_are_flagged():
    parts = event_parts(
        "The council approved $3.2 million to repair the Dunmore footbridge after its collapse.",
        "The council approved 2.3 million dollars to repair the Dunmore footbridge after its collapse.",
    )
    [discrepancy] = numbers_found(parts)
    assert sorted(v.value for v in discrepancy.variants) == ["$3.2 million", "2.3 million dollars"]


def test_a_value_the_other_sentence_also_writes_is_not_a_contradiction():
    parts = event_parts(
        "Fourteen people were injured when the Dunmore footbridge collapsed, three of them seriously.",
        "Three people were taken to hospital when the Dunmore footbridge collapsed.",
    )
    claim = parts.claim_of("Three people were taken")
    assert len(claim.sentences) == 2
    # both sentences carry a (count, people) quantity with different values ...
    values = sorted(q.value for s in claim.sentences for q in parts.quantities[id(s)])
    assert values == [3.0, 14.0]
    # ... but the first sentence also writes "three": a detail, not a disagreement
    assert numbers_found(parts) == []


# --- measure_discrepancies ----------------------------------------------------------------------


def measures_found(parts):
    return measure_discrepancies(parts.sentences, parts.similarity, parts.quantities, parts.text_of)


def test_same_share_of_different_things_is_flagged():
    parts = event_parts(
        "The port of Carrowby handles 40% of the region's exports, the port authority said.",
        "The port of Carrowby handles 40% of its shipping traffic, according to the port authority.",
    )
    [discrepancy] = measures_found(parts)
    assert discrepancy.kind == "number"
    assert discrepancy.subject == "40%"
    assert sorted(v.value for v in discrepancy.variants) == ["40% of its shipping traffic", "40% of the region's exports"]


def test_same_share_of_the_same_thing_is_not_flagged():
    parts = event_parts(
        "Carrowby's public debt rose to 3.5% of GDP last year, the finance office said.",
        "Carrowby's public debt rose to 3.5 percent of GDP last year, the finance office said.",
    )
    [(a,), (b,)] = [parts.quantities[id(s)] for s in parts.sentences]
    assert (a.value, a.unit, a.measure) == (b.value, b.unit, b.measure) == (3.5, "percent", {"gdp"})
    assert measures_found(parts) == []
    assert numbers_found(parts) == []


def test_same_share_in_unrelated_sentences_is_not_flagged():
    parts = event_parts(
        "The port of Carrowby handles 40% of the region's exports, the port authority said.",
        "Ticket sales for the Velmora orchestra festival rose sharply, and 40% of the seats went to students.",
    )
    [i, j] = range(2)
    assert parts.similarity[i, j] < 0.12  # precondition: the sentences are unrelated
    assert measures_found(parts) == []

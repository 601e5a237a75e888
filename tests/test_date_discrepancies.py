"""Date discrepancies between outlets (collate.discrepancies.date_discrepancies, collate.date_ranges).

One test per rule.  All texts are invented: fictional outlets, people and places.
"""

from __future__ import annotations

from datetime import date

import pytest

from newscollate.collate.claims import Claim
from newscollate.collate.discrepancies import date_discrepancies

from .nlp_helpers import event_parts

WEDNESDAY = date(2026, 3, 11)
THURSDAY = date(2026, 3, 12)


def found(parts, claims=None):
    return date_discrepancies(parts.claims if claims is None else claims, parts.dates)


def one_claim(parts) -> Claim:
    """The event's only claim, holding every sentence (precondition of most tests)."""
    [claim] = parts.claims
    assert len(claim.sentences) == len(parts.sentences), [s.text for s in claim.sentences]
    return claim


def resolved(parts):
    return [[(m.expression, m.value) for m in parts.dates[id(s)]] for s in parts.sentences]


def assert_variants_cite_the_dates(parts, discrepancy):
    """Provenance: each variant's support spans are the date words as the sources wrote them."""
    for variant in discrepancy.variants:
        assert variant.support
        assert [parts.text_of(s) for s in variant.support][0] == variant.value
        assert all(s.label == "date" for s in variant.support)


# --- resolved against publication dates ---------------------------------------------------------

ROWING = "The Velmora rowing regatta on the Tessin lake will start on {}, the organisers of the race said."


def test_weekday_in_one_outlet_against_another_day_in_another_is_a_discrepancy():
    parts = event_parts(ROWING.format("Thursday"), ROWING.format("March 13"), published=WEDNESDAY)
    one_claim(parts)
    assert resolved(parts) == [[("Thursday", "2026-03-12")], [("March 13", "2026-03-13")]]
    [discrepancy] = found(parts)
    assert (discrepancy.kind, discrepancy.subject) == ("date", "day")
    assert [v.value for v in discrepancy.variants] == ["Thursday", "March 13"]
    assert_variants_cite_the_dates(parts, discrepancy)


def test_the_same_day_written_as_a_weekday_and_as_a_date_agrees():
    # "on Monday" looking back from Wednesday 11 March is 9 March
    text = "The Orrin valley dam on the Tessin river was closed to traffic on {} after a crack was found."
    parts = event_parts(text.format("Monday"), text.format("March 9"), published=WEDNESDAY)
    one_claim(parts)
    assert resolved(parts) == [[("Monday", "2026-03-09")], [("March 9", "2026-03-09")]]
    assert found(parts) == []


def test_yesterday_and_a_weekday_from_different_publication_days_agree():
    text = "Divers recovered the sunken Marrowby ferry bell from the harbour floor {}."
    parts = event_parts(
        (text.format("yesterday"), "Quillon Ledger", WEDNESDAY), (text.format("on Tuesday"), "Eastfold Daily", THURSDAY)
    )
    one_claim(parts)
    assert resolved(parts) == [[("yesterday", "2026-03-10")], [("Tuesday", "2026-03-10")]]
    assert found(parts) == []


def test_yesterday_from_different_publication_days_is_two_days():
    parts = event_parts(
        ("Divers recovered the sunken Marrowby ferry bell from the harbour floor yesterday.", "Ledger", WEDNESDAY),
        ("Divers recovered the sunken Marrowby ferry bell from the floor of the harbour yesterday.", "Daily", THURSDAY),
    )
    one_claim(parts)
    assert resolved(parts) == [[("yesterday", "2026-03-10")], [("yesterday", "2026-03-11")]]
    [discrepancy] = found(parts)
    assert discrepancy.subject == "day"
    assert [v.value for v in discrepancy.variants] == ["yesterday", "yesterday"]


def test_a_week_and_a_day_inside_it_agree_and_a_day_outside_it_does_not():
    text = "The Halvard council will vote on the new harbour fees {}."
    inside = event_parts(text.format("next week"), text.format("on Monday"), published=WEDNESDAY)
    assert resolved(inside) == [[("next week", "2026-W12")], [("Monday", "2026-03-16")]]
    assert found(inside) == []
    outside = event_parts(text.format("next week"), text.format("on March 25"), published=WEDNESDAY)
    [discrepancy] = found(outside)
    assert discrepancy.subject == "day"


# --- weekdays against dates ---------------------------------------------------------------------

CONCERT = "The Brackenholt choir will sing at the reopened Saltmere opera house on {}."


def test_a_weekday_against_a_date_whose_year_is_known_compares_the_weekday():
    # 27 October 2026 is a Tuesday; the second outlet has no publication date to count "Monday" from
    parts = event_parts(
        (CONCERT.format("October 27"), "Saltmere Post", date(2026, 10, 20)),
        (CONCERT.format("Monday"), "Vennick News", None),
        published=None,
    )
    one_claim(parts)
    assert resolved(parts) == [[("October 27", "2026-10-27")], [("Monday", None)]]
    [discrepancy] = found(parts)
    assert discrepancy.subject == "weekday"
    assert [v.value for v in discrepancy.variants] == ["October 27", "Monday"]
    assert_variants_cite_the_dates(parts, discrepancy)


def test_a_weekday_against_a_date_without_a_year_cannot_be_compared():
    parts = event_parts(CONCERT.format("October 27"), CONCERT.format("Monday"), published=None)
    assert resolved(parts) == [[("October 27", "--10-27")], [("Monday", None)]]
    assert found(parts) == []


def test_a_written_weekday_that_does_not_fall_on_the_date_is_a_discrepancy():
    parts = event_parts(CONCERT.format("Tuesday, October 27"), CONCERT.format("Monday, October 27"), published=None)
    one_claim(parts)
    assert resolved(parts) == [[("Tuesday, October 27", "--10-27")], [("Monday, October 27", "--10-27")]]
    [discrepancy] = found(parts)
    assert discrepancy.subject == "weekday"
    assert [v.value for v in discrepancy.variants] == ["Tuesday, October 27", "Monday, October 27"]


def test_bare_weekdays_without_publication_dates_compare_as_weekdays():
    parts = event_parts(CONCERT.format("Thursday"), CONCERT.format("Friday"), published=None)
    [discrepancy] = found(parts)
    assert discrepancy.subject == "weekday"


# --- stretches of days --------------------------------------------------------------------------


def test_stretches_of_different_length_are_a_duration_discrepancy_when_the_start_is_unknown():
    # no publication dates: "October 27" has no year, "Monday" no week; only the lengths compare
    parts = event_parts(
        "Governor Amara Teller will visit the port of Caskwell from October 27 to 29 for talks on the new ferry line.",
        "Governor Amara Teller will arrive in the port of Caskwell on Monday and depart the following day after talks "
        "on the new ferry line.",
        published=None,
    )
    one_claim(parts)
    assert resolved(parts) == [[("October 27 to 29", "--10-27")], [("Monday and depart the following day", None)]]
    [discrepancy] = found(parts)
    assert (discrepancy.kind, discrepancy.subject) == ("date", "duration")
    assert [v.value for v in discrepancy.variants] == ["October 27 to 29", "Monday and depart the following day"]
    assert_variants_cite_the_dates(parts, discrepancy)


FAIR = "The Northbrae book fair will be held in the old Quillon market hall {}."


@pytest.mark.parametrize(
    "a, b, subject",
    [
        ("from October 27 to 29", "on Oct. 27-29", None),  # the same stretch written two ways
        ("from October 27 to 29", "on October 28", None),  # a day of the stretch
        ("from October 27 to 29", "from October 28 to 30", "day"),  # another start
        ("from October 27 to 29", "from October 27 to 30", "duration"),  # the same start, longer
        ("between March 3 and March 5", "on March 3 and March 5", "day"),  # three days against two of them
    ],
)
def test_stretches_of_days_compare_day_by_day(a, b, subject):
    parts = event_parts(FAIR.format(a), FAIR.format(b), published=None)
    one_claim(parts)
    assert [d.subject for d in found(parts)] == ([subject] if subject else [])


def test_days_given_as_alternatives_disagree_only_with_other_days():
    parts = event_parts(FAIR.format("on Monday or Tuesday"), FAIR.format("on Tuesday"), published=WEDNESDAY)
    assert found(parts) == []
    parts = event_parts(FAIR.format("on Monday or Tuesday"), FAIR.format("on Friday"), published=WEDNESDAY)
    assert [d.subject for d in found(parts)] == ["day"]


# --- what is not the fact's date ----------------------------------------------------------------


def test_reporting_dates_of_the_same_fact_are_not_a_discrepancy():
    parts = event_parts(
        "The Velmora ministry announced Wednesday that the new Tessin bridge will open to traffic on Monday.",
        "The new Tessin bridge will open to traffic on Monday, the Velmora ministry said on Thursday.",
        published=WEDNESDAY,
    )
    one_claim(parts)
    assert found(parts) == []


def test_reporting_dates_are_left_out_even_when_the_fact_has_no_date():
    parts = event_parts(
        "The Velmora ministry announced Wednesday that the Tessin bridge toll will be scrapped.",
        "The Tessin bridge toll will be scrapped, the Velmora ministry said on Thursday.",
        published=WEDNESDAY,
    )
    one_claim(parts)
    assert found(parts) == []


def test_the_fact_date_differs_even_when_reported_on_the_same_day():
    parts = event_parts(
        "The Velmora ministry announced Wednesday that the new Tessin bridge will open to traffic on Monday.",
        "The new Tessin bridge will open to traffic on Tuesday, the Velmora ministry said on Wednesday.",
        published=WEDNESDAY,
    )
    [discrepancy] = found(parts)
    assert [v.value for v in discrepancy.variants] == ["Monday", "Tuesday"]


def test_a_date_of_a_thing_named_is_not_compared_with_the_date_of_the_fact():
    parts = event_parts(
        "The Dunmoral striker Kofi Renner was arrested after a brawl on Tuesday and may miss the cup final.",
        "The Dunmoral striker Kofi Renner was arrested after a brawl and may miss Sunday's cup final.",
        published=WEDNESDAY,
    )
    claim = Claim(list(parts.sentences))  # whatever the alignment, the rule holds
    assert found(parts, [claim]) == []


# --- several dates in a sentence ----------------------------------------------------------------


def test_sentences_with_the_same_dates_but_one_compare_that_one():
    text = "A strong earthquake shook Lindqvist Bay on {}, followed by several aftershocks on Monday."
    parts = event_parts(text.format("Saturday"), text.format("Friday"), published=WEDNESDAY)
    one_claim(parts)
    [discrepancy] = found(parts)
    assert [v.value for v in discrepancy.variants] == ["Saturday", "Friday"]


def test_sentences_with_different_numbers_of_dates_are_not_compared():
    parts = event_parts(
        "A strong earthquake shook Lindqvist Bay on Saturday, followed by several aftershocks on Monday.",
        "A strong earthquake shook Lindqvist Bay on Friday, followed by several aftershocks.",
        published=WEDNESDAY,
    )
    assert found(parts, [Claim(list(parts.sentences))]) == []


# --- years that are guesses ---------------------------------------------------------------------


def test_a_month_whose_year_is_a_guess_compares_by_the_month():
    text = "The old Eastfold lighthouse keeper Selin Quist retired {} after forty years."
    same = event_parts(text.format("in June"), text.format("in June 1998"), published=WEDNESDAY)
    assert [[m.value for m in ms] for ms in same.dates.values()] == [["2025-06"], ["1998-06"]]
    assert found(same) == []
    other = event_parts(text.format("in June"), text.format("in July 1998"), published=WEDNESDAY)
    assert [d.subject for d in found(other)] == ["month"]


def test_a_bare_weekday_read_with_another_tense_agrees_within_one_publication_day():
    # the paraphrase's tense reads differently ("expected" looks ahead, "anticipated" is taken as past)
    parts = event_parts(
        "A court filing by the Saltmere harbour company was expected on Monday.",
        "A court filing by the Saltmere harbour company was anticipated on Monday.",
        published=THURSDAY,
    )
    one_claim(parts)
    assert sorted(m.value for ms in parts.dates.values() for m in ms) == ["2026-03-09", "2026-03-16"]
    assert found(parts) == []

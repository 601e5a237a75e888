"""Date expressions (collate.dates, collate.date_ranges), reporting dates and the timeline.

All texts are invented: fictional outlets, people and places.
"""

from datetime import date

import pytest

from newscollate.collate.dates import find_dates
from newscollate.collate.timeline import build_timeline, first_day

from .nlp_helpers import event_parts

WEDNESDAY = date(2026, 3, 11)


def values(text, ref=WEDNESDAY, future=None):
    return [(m.expression, m.value) for m in find_dates(text, ref, future)]


@pytest.mark.parametrize(
    "text, future, expected",
    [
        ("The inquiry opened on Tuesday.", False, [("Tuesday", "2026-03-10")]),
        ("The hearing will resume on Thursday.", True, [("Thursday", "2026-03-12")]),
        ("The minister said on Wednesday.", False, [("Wednesday", "2026-03-11")]),
        ("Talks are set for Monday and Tuesday next week.", True, [("Monday and Tuesday next week", "2026-03-16")]),
        ("Officials met yesterday.", False, [("yesterday", "2026-03-10")]),
        ("Exports fell last month.", False, [("last month", "2026-02")]),
        ("A review is due next week.", True, [("next week", "2026-W12")]),
        ("The visit runs from October 27 to 29.", True, [("October 27 to 29", "2026-10-27")]),
        ("It was signed on 4 March 2025.", False, [("4 March 2025", "2025-03-04")]),
        ("The target set for 2027 stands.", None, [("2027", "2027")]),
        ("Exports collapsed in September.", False, [("September", "2025-09")]),
    ],
)
def test_resolves_against_publication_date(text, future, expected):
    assert values(text, future=future) == expected


def test_without_reference_only_absolute_dates_resolve():
    assert values("The hearing is on Thursday.", ref=None) == [("Thursday", None)]
    assert values("The hearing is on October 29.", ref=None) == [("October 29", "--10-29")]
    assert values("It happened yesterday.", ref=None) == [("yesterday", None)]


def test_numbers_that_are_not_dates_are_ignored():
    # "may" is far more often a verb than a month, so a bare "in May" is not taken.
    assert values("About 70 percent of 2,000 workers were hired, 40 of them in May.", future=False) == []
    assert values("The fund holds 2031 shares.") == []


def test_first_day_orders_weeks_months_and_years():
    assert first_day("2026-W12") == date(2026, 3, 16)
    assert first_day("2026-02") == date(2026, 2, 1)
    assert first_day("2027") == date(2027, 1, 1)
    assert first_day("--10-29") is None


def test_tense_of_a_date_in_a_verbless_line_ends():
    # A dateline has no verb: the search for the clause's verb climbs to the root and must stop there
    # (it once looped forever, spaCy giving a new Token object for the root's head each time).
    import threading

    from newscollate.collate.dates import clause_tense
    from newscollate.nlp import load_model

    sent = next(load_model()("Friday, November 11, 2031").sents)
    result = []
    worker = threading.Thread(target=lambda: result.append(clause_tense(sent, 0)), daemon=True)
    worker.start()
    worker.join(timeout=10)
    assert result == [None]


# --- several days as one mention ----------------------------------------------------------------


def stretches(text, ref=WEDNESDAY, future=None):
    return [(m.expression, m.value, m.end_value, m.days, m.joined) for m in find_dates(text, ref, future)]


@pytest.mark.parametrize(
    "text, future, expected",
    [
        ("The visit runs from October 27 to 29.", True, ("October 27 to 29", "2026-10-27", "2026-10-29", 3, "through")),
        ("Delegates meet Oct. 27-29 in Velmora.", True, ("Oct. 27-29", "2026-10-27", "2026-10-29", 3, "through")),
        (
            "The fair runs 30 October to 2 November.", True,
            ("30 October to 2 November", "2026-10-30", "2026-11-02", 4, "through"),
        ),
        (
            "It was held 27 to 29 October 2025.", False,
            ("27 to 29 October 2025", "2025-10-27", "2025-10-29", 3, "through"),
        ),
        (
            "The market opens December 30 to January 2.", True,
            ("December 30 to January 2", "2026-12-30", "2027-01-02", 4, "through"),
        ),
        (
            "Voting is between March 3 and March 5.", None,
            ("March 3 and March 5", "2026-03-03", "2026-03-05", 3, "through"),
        ),
        ("Voting is on March 3 and March 5.", None, ("March 3 and March 5", "2026-03-03", "2026-03-05", 3, "and")),
        (
            "The port is shut from Monday to Wednesday.", True,
            ("Monday to Wednesday", "2026-03-16", "2026-03-18", 3, "through"),
        ),
        (
            "Talks are set for Monday and Tuesday next week.", True,
            ("Monday and Tuesday next week", "2026-03-16", "2026-03-17", 2, "through"),
        ),
        ("The ruling is due Monday or Wednesday.", True, ("Monday or Wednesday", "2026-03-16", "2026-03-18", 3, "or")),
        (
            "They arrive on Monday and depart the following day.", True,
            ("Monday and depart the following day", "2026-03-16", "2026-03-17", 2, "through"),
        ),
        (
            "The ship left port on Monday and sank two days later.", False,
            ("Monday and sank two days later", "2026-03-09", "2026-03-11", 3, "through"),
        ),
        (
            "The team left on Tuesday, having landed the day before.", False,
            ("Tuesday, having landed the day before", "2026-03-09", "2026-03-10", 2, "through"),
        ),
    ],
)
def test_several_days_are_one_mention_with_a_first_and_a_last_day(text, future, expected):
    assert stretches(text, future=future) == [expected]


def test_without_reference_a_stretch_keeps_its_length():
    assert stretches("The visit runs from October 27 to 29.", ref=None) == [
        ("October 27 to 29", "--10-27", "--10-29", 3, "through")
    ]
    [(expression, value, end, days, _)] = stretches("They arrive on Monday and depart the following day.", ref=None)
    assert (expression, value, end, days) == ("Monday and depart the following day", None, None, 2)


def test_a_number_after_a_date_that_counts_something_is_no_range():
    assert stretches("Talks resumed on October 27 and 14 people attended.", future=False) == [
        ("October 27", "2025-10-27", None, 1, "through")
    ]


def test_the_day_after_something_else_is_not_counted_from_the_date():
    assert stretches("The hearing on Monday falls the day after the vote.", future=True) == [
        ("Monday", "2026-03-16", None, 1, "through")
    ]


def test_a_weekday_written_with_its_date_is_one_mention_that_keeps_the_written_weekday():
    [mention] = find_dates("The hearing is on Tuesday, October 26.", WEDNESDAY, True)
    # 26 October 2026 is a Monday: the weekday as written is kept for the comparison to check
    assert (mention.expression, mention.value, mention.weekday) == ("Tuesday, October 26", "2026-10-26", 1)


@pytest.mark.parametrize(
    "text",
    [
        "Patches come out on the second Tuesday of each month.",
        "The shop opens every Monday.",
        "Prices fell on Black Friday.",
    ],
)
def test_recurring_and_named_weekdays_are_not_dates(text):
    assert values(text) == []


@pytest.mark.parametrize(
    "text, future, ref, expected",
    [
        # a date without a year near the turn of the year belongs to the year the tense points to
        ("The ferry will resume on January 8.", True, date(2026, 12, 20), "2027-01-08"),
        ("The ferry sank on December 30.", False, date(2027, 1, 4), "2026-12-30"),
        ("The ferry sails on January 4.", None, date(2026, 12, 28), "2027-01-04"),
        # close to the publication date on the "wrong" side: a slip, not another year
        ("The ferry would resume on March 5.", True, WEDNESDAY, "2026-03-05"),
        # "in" before a month and a year or a day does not swallow the month
        ("The staff was elected in December 2008.", False, WEDNESDAY, "2008-12"),
        ("Payment is due by December 15.", True, WEDNESDAY, "2026-12-15"),
        ("The outage ends in the week beginning 17 October 2011.", True, WEDNESDAY, "2011-W42"),
    ],
)
def test_years_of_dates_written_without_one(text, future, ref, expected):
    assert [m.value for m in find_dates(text, ref, future)] == [expected]


def test_a_bare_weekday_counted_by_tense_is_marked_as_such():
    [bare] = find_dates("They met on Monday.", WEDNESDAY, False)
    [explicit] = find_dates("They meet next Monday.", WEDNESDAY, True)
    assert bare.week_from_tense and not explicit.week_from_tense


# --- reporting dates ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, date_word, reporting",
    [
        ("The Velmora ministry announced Wednesday that the delegation would arrive on Monday.", "Wednesday", True),
        ("The Velmora ministry announced Wednesday that the delegation would arrive on Monday.", "Monday", False),
        ("The delegation will arrive on Monday, officials said on Thursday.", "Thursday", True),
        ("Officials said in a statement on Tuesday that talks would resume.", "Tuesday", True),
        ("Mayor Ilka Brandt told reporters on Friday that the bridge had collapsed on Monday.", "Friday", True),
        ("Mayor Ilka Brandt told reporters on Friday that the bridge had collapsed on Monday.", "Monday", False),
        # the telling is the fact: an announcement with an object and no clause told
        ("The council on Tuesday announced a plan to rebuild the bridge.", "Tuesday", False),
        # the date of a thing told about
        ("Senator Oskar Hallow said Thursday's vote was a mistake.", "Thursday", False),
        # "responded" is what the police did
        ("Police responded to the crash on Friday.", "Friday", False),
    ],
)
def test_reporting_dates_are_told_from_fact_dates(text, date_word, reporting):
    from newscollate.collate.dates import reporting_date
    from newscollate.nlp import load_model

    sent = next(load_model()(text).sents)
    assert reporting_date(sent, text.index(date_word)) is reporting


# --- timeline -----------------------------------------------------------------------------------


def test_timeline_entries_keep_expression_reference_and_the_last_day_of_a_stretch():
    parts = event_parts(
        ("Governor Amara Teller will visit the port of Caskwell from October 27 to 29.", "Caskwell Tribune", WEDNESDAY),
        ("The Caskwell port authority said its new ferry line opened on Monday.", "Halvard Post", date(2026, 3, 12)),
    )
    entries = build_timeline(parts.claims, parts.dates)
    assert [(e.value, e.end, e.expression, e.reference) for e in entries] == [
        ("2026-03-09", None, "Monday", date(2026, 3, 12)),
        ("2026-10-27", "2026-10-29", "October 27 to 29", WEDNESDAY),
    ]
    for entry in entries:
        assert [parts.text_of(s) for s in entry.support] == [entry.text]

from datetime import date

import pytest

from newscollate.collate.dates import find_dates
from newscollate.collate.timeline import first_day

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
    assert values("The hearing is on Thursday, October 29.", ref=None) == [("Thursday", None), ("October 29", "--10-29")]
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

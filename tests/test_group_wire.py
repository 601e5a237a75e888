"""Explicit wire credits, and what must not count as one."""

import pytest

from newscollate.group.wire import find_credits

CREDITS = [
    ("WASHINGTON (Reuters) - The minister resigned on Friday.", "Reuters", "(Reuters) -"),
    ("KALMAR (AP) — Officials closed the bridge.", "AP", "(AP) —"),
    ("PARIS (AFP) - A strike halted trains.", "AFP", "(AFP) -"),
    ("The mayor told Reuters on Monday that talks had stalled.", "Reuters", "told Reuters"),
    ("The figure was cited by Reuters as preliminary.", "Reuters", "cited by Reuters"),
    ("According to AFP, six people were hurt.", "AFP", "According to AFP"),
    ("Kyodo News reported that the launch was delayed.", "Kyodo", "Kyodo News reported"),
    ("The launch, dpa reported, was delayed.", "dpa", "dpa reported"),
    ("Reuters reported the sale late on Tuesday.", "Reuters", "Reuters reported"),
    ("A Reuters report said the plant had closed.", "Reuters", "A Reuters report"),
    ("The remarks were carried via AP before the vote.", "AP", "via AP"),
    ("The state-run Xinhua news agency said the dam held.", "Xinhua", "Xinhua news agency said"),
    ("The Associated Press contributed to this report.", "AP", "The Associated Press contributed"),
    ("(With inputs from PTI)", "PTI", "inputs from PTI"),
    ("In an interview with Bloomberg, she denied the claim.", "Bloomberg", "interview with Bloomberg"),
]


@pytest.mark.parametrize("text, wire, phrase", CREDITS)
def test_credit_is_found_with_its_span(text, wire, phrase):
    credits = find_credits(text)
    assert [c.wire for c in credits] == [wire]
    assert text[credits[0].start : credits[0].end] == phrase


@pytest.mark.parametrize(
    "text",
    [
        "Photo: AFP",
        "Divers search the lake. AFP/Getty Images",
        "(Photo by Mara Lint/AFP via Getty Images)",
        "Image: Reuters",
        "Credit: AP",
        "Smoke rises over the depot. (AP Photo/Ken Darro)",
        "Photo via AP",
        "File photo (Reuters) - a crane at the port",
        "Two Reuters journalists were detained last year.",
        "Reuters said its journalists had been released.",
        "The courier company is based in Apia.",
    ],
)
def test_photo_credits_and_the_wire_as_subject_are_not_credits(text):
    assert find_credits(text) == []


def test_a_credit_reached_by_an_unrelated_credit_word_still_counts():
    assert [c.wire for c in find_credits("In a video statement, the minister told Reuters he would stay.")] == ["Reuters"]


def test_skipped_ranges_are_ignored():
    text = "Reuters reported the sale.\nThe board told AFP it agreed."
    assert [c.wire for c in find_credits(text, skip=[(0, 26)])] == ["AFP"]

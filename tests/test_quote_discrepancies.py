"""Which quotations are one statement, and when its wordings are a discrepancy
(collate.statements.group_quotes, collate.discrepancies.quote_discrepancies); and the
speakers the comparison relies on (collate.quotes.find_quotes).

All texts are invented: fictional outlets, people and places.
"""

from __future__ import annotations

import pytest

from newscollate.collate.discrepancies import quote_discrepancies, speaker_discrepancies
from newscollate.collate.quotes import find_quotes, group_quotes
from newscollate.collate.statements import align, word_keys

from .nlp_helpers import annotated

LOCKS = (
    "The new gates on the Hallowmere canal will let barges pass at night for the first time since "
    "the old keepers retired, and we expect freight on the canal to double within two years"
)
FLOODS = "The north lock will open again before the spring floods reach the town"
WINTER = "The lock gates are rusted through. We will replace all four of them this winter"
BARGES = "We will replace all four of them this winter. Barges will wait at Pellham until March"


def quotes_of(*texts):
    """Every quotation of each document, in order, over all of the documents."""
    docs = annotated(*texts)
    return [q for doc in docs for seg in doc.spans("segments") for q in find_quotes(doc, seg)]


def statements(*texts):
    return group_quotes(quotes_of(*texts))


def wordings(*texts) -> list[set[str]]:
    """Each quote discrepancy's wordings."""
    return [{v.value.rstrip(".") for v in d.variants} for d in quote_discrepancies(statements(*texts))]


def test_one_changed_word_in_a_long_quotation_is_a_discrepancy():
    # 31 words: a changed word is what a fact-checker must see, however long the quotation
    changed = LOCKS.replace("double", "triple")
    found = wordings(f'"{LOCKS}," said Marta Quillon.', f'"{changed}," said Marta Quillon.')
    assert found == [{LOCKS, changed}]


@pytest.mark.parametrize(
    "first, second",
    [
        ("The harbour’s crane is older than the town", "the harbour's crane is older than the town"),
        ("We will, of course, reopen the lock", "We will of course reopen the lock."),
        ("Tolls rose by 40 per cent this year", "Tolls rose by 40% this year"),
        ("The U.S. inspectors came at 6:00 p.m. on the dot", "The US inspectors came at 6 p.m. on the dot"),
        ("We realised the neighbourhood had no fibre cable", "We realized the neighborhood had no fiber cable"),
        ("The canal is the spine of Valdoria's trade", "The canal is the spine of Valdorian trade"),
    ],
    ids=["apostrophe-case", "punctuation", "per-cent", "initials-hours", "spelling", "name-form"],
)
def test_typography_and_house_style_are_the_same_words(first, second):
    found = align(word_keys(first), word_keys(second))
    assert found.changed == 0 and all(found.holds)


def test_a_house_style_difference_is_no_discrepancy():
    first = "We realised the neighbourhood’s canal was 40 per cent busier than the U.S. ports"
    second = "We realized the neighborhood's canal was 40% busier than the US ports"
    [statement] = statements(f'"{first}," Marta Quillon said.', f'"{second}," Marta Quillon said.')
    assert len(statement.versions) == 1


@pytest.mark.parametrize(
    "partial",
    [
        "The north lock will open again ... before the spring floods reach the town",
        "[The repaired lock] will open again before the spring floods reach the town",
    ],
    ids=["ellipsis", "editor-brackets"],
)
def test_ellipsis_and_an_editors_words_stand_for_the_quotations_words(partial):
    [statement] = statements(f'"{FLOODS}," said Marta Quillon.', f'"{partial}," said Marta Quillon.')
    assert len(statement.versions) == 1


def test_a_word_changed_next_to_an_ellipsis_still_counts():
    found = align(word_keys("remains ... the busiest canal"), word_keys("stays ... the busiest canal"))
    assert found.changed == 1


def test_two_excerpts_of_one_speech_that_agree_where_they_overlap_are_one_version():
    [statement] = statements(f'"{WINTER}," Teodor Brask said.', f'"{BARGES}," Teodor Brask said.')
    assert len(statement.versions) == 1
    assert quote_discrepancies([statement]) == []


def test_a_quotation_printed_twice_in_one_document_is_one_version():
    twice = f'"{FLOODS}," said Marta Quillon.\nThe council met on Tuesday.\n"{FLOODS}," Quillon repeated.'
    [statement] = statements(twice, twice)
    assert len(statement.versions) == 1
    assert quote_discrepancies([statement]) == []


def test_different_statements_of_one_speaker_are_not_versions():
    # many words in common ("at night for the first time"), but not one passage
    short = "I walk along the canal at night for the first time"
    both = f'"{LOCKS}," said Marta Quillon.\n"{short}," Quillon added.'
    # each outlet prints one of them, or both print both: two statements either way
    assert wordings(f'"{LOCKS}," said Marta Quillon.', f'"{short}," said Marta Quillon.') == []
    assert wordings(both, both) == []


def test_two_wordings_are_a_discrepancy_only_where_documents_disagree():
    # an outlet that prints both wordings (a shortened lead quote, then the full one) disagrees with nobody
    shortened = "The north lock will open before the floods reach the town"
    both = f'"{shortened}," Marta Quillon said.\nThe council met on Tuesday.\n"{FLOODS}," she said.'
    assert wordings(both, both) == []
    # one outlet prints one wording, another the other: they disagree
    assert wordings(f'"{shortened}," Marta Quillon said.', f'"{FLOODS}," Marta Quillon said.') == [
        {shortened, FLOODS}
    ]


@pytest.mark.parametrize(
    "speakers, discrepancy",
    [
        (("a council engineer", "a council engineer"), True),
        (("a council engineer", "an official"), False),
    ],
    ids=["same-speaker", "other-speaker"],
)
def test_a_short_reworded_quotation_needs_the_same_speaker(speakers, discrepancy):
    # four words in common: enough for one speaker, too few to tie two speakers' words together
    first, second = "The lock stays shut today", "The lock remains shut today"
    found = wordings(f'"{first}," {speakers[0]} said.', f'"{second}," {speakers[1]} said.')
    assert bool(found) is discrepancy


def test_a_longer_reworded_quotation_is_one_statement_whoever_is_described_as_speaking():
    spring = FLOODS.replace("spring", "autumn")
    found = wordings(f'"{FLOODS}," a council engineer said.', f'"{spring}," an official said.')
    assert found == [{FLOODS, spring}]


def test_reworded_quotations_of_two_named_people_are_two_statements():
    spring = FLOODS.replace("spring", "autumn")
    assert wordings(f'"{FLOODS}," Marta Quillon said.', f'"{spring}," Teodor Brask said.') == []


def test_a_speaker_read_from_a_pronoun_differs_only_where_the_document_names_no_one_else():
    alone = f'Anna Kowalczyk inspected the gates on Monday.\n"{FLOODS}," she said.'
    other = f'Oskar Lindqvist inspected the gates on Monday.\n"{FLOODS}," he said.'
    # "he" after both names: the reading could go either way, the source does not disagree
    both = (
        "Anna Kowalczyk and Oskar Lindqvist inspected the gates on Monday.\n"
        f'Oskar Lindqvist signed the report.\n"{FLOODS}," he said.'
    )

    def speakers(*texts):
        quotes = quotes_of(*texts)
        docs = {q.doc.id: q.doc for q in quotes}
        found = speaker_discrepancies(group_quotes(quotes), lambda span: docs[span.doc].slice(span))
        return [sorted(v.value for v in d.variants) for d in found]

    assert speakers(alone, other) == [["Anna Kowalczyk", "Oskar Lindqvist"]]
    assert speakers(alone, both) == []


def test_a_speaker_of_several_quotations_supports_the_finding_once():
    # both quotations of each document are read as spoken by the name its first line writes
    text = (
        "Bridge engineer {} spoke at the town hall in Pellham on Tuesday.\n"
        f'"{FLOODS}," he said.\n'
        '"The old piers were rotten through and could not be saved," he added.'
    )
    quotes = quotes_of(text.format("Oskar Lindqvist"), text.format("Oskar Lindgren"))
    docs = {q.doc.id: q.doc for q in quotes}
    [found] = speaker_discrepancies(group_quotes(quotes), lambda span: docs[span.doc].slice(span))
    assert sorted(v.value for v in found.variants) == ["Oskar Lindgren", "Oskar Lindqvist"]
    assert [len(v.support) for v in found.variants] == [1, 1]


# --- speakers the comparison relies on ----------------------------------------------------------


@pytest.mark.parametrize(
    "text, speaker",
    [
        (f'"{FLOODS}," stated the engineer who inspected the gates.', "engineer"),
        ('A retired lock keeper stated simply, "Maybe I can help."', "lock keeper"),
        ('A bargeman who had moored at the lock and had shouted, "Open the gates!" was fined.', "bargeman"),
    ],
    ids=["stated-the-engineer", "a-man-stated", "who-moored-and-shouted"],
)
def test_speakers_of_orders_the_small_model_misreads(text, speaker):
    [quote] = quotes_of(text)
    assert quote.speaker_name and quote.speaker_name.endswith(speaker)

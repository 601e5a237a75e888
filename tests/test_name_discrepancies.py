"""Name discrepancies (collate.discrepancies.name_discrepancies, collate.names): a different
person in the same slot of one statement, one test per rule.

All texts are invented: fictional outlets, people and places.
"""

from __future__ import annotations

import pytest

from newscollate.collate import CollateConfig, collate_event
from newscollate.collate.discrepancies import name_discrepancies
from newscollate.collate.names import EventNames, differing_people, surname
from newscollate.model import Span

from .nlp_helpers import event_parts, segments_of


def names_found(parts):
    return name_discrepancies(parts.claims, parts.persons, parts.text_of)


def values(discrepancy) -> list[str]:
    return sorted(v.value for v in discrepancy.variants)


def one_claim(parts):
    """Precondition of most tests: the two sentences are one claim."""
    assert len(parts.claims) == 1, [[s.text for s in c.sentences] for c in parts.claims]
    return parts.claims[0]


def persons(parts) -> list[list[str]]:
    """The people each sentence names as part of its fact, as written."""
    return [[parts.text_of(p) for p in parts.persons[id(s)]] for s in parts.sentences]


def relabel(doc, name: str, label: str) -> None:
    """Give the words ``name`` this entity label ("" to untag them), as the model labels a name
    it does not know, whatever it made of them."""
    start = doc.text.index(name)
    entities = [e for e in doc.spans("entities") if e.end <= start or e.start >= start + len(name)]
    if label:
        entities.append(Span(doc.id, start, start + len(name), label))
    doc.set_layer("entities", sorted(entities, key=lambda e: e.start))


# --- who is the same person --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, expected",
    [
        ("Martin Lowe Jr.", "lowe"),
        ("Brandt's", "brandt"),
        ("Zoë Kessler’s", "kessler"),
        ("Mr. Tobias O'Hara", "o'hara"),
    ],
)
def test_surname_is_what_tells_people_apart(name, expected):
    assert surname(name) == expected


@pytest.mark.parametrize(
    "a, b",
    [
        ("Ilka Brandt", "Ms Brandt"),  # an honorific and the surname
        ("Zoë Kessler", "Zoe Kessler"),  # an accent dropped
        ("Martin Lowe Jr.", "Martin Lowe"),
    ],
)
def test_the_same_surname_is_the_same_person(a, b):
    text = "The ferry was cleared to sail after an inspection by harbour master {} on Monday."
    parts = event_parts(text.format(a), text.format(b))
    one_claim(parts)
    assert persons(parts) == [[a], [b]]
    assert names_found(parts) == []


def test_a_surname_the_model_did_not_tag_still_counts_as_written():
    parts = event_parts(
        "The club sacked Jon Weller on Friday despite a winning record and a return to the playoffs.",
        "The club sacked Weller on Friday despite a winning record and a return to the playoffs.",
    )
    one_claim(parts)
    relabel(parts.docs[0], "Jon Weller", "PERSON")
    relabel(parts.docs[1], "Weller", "")  # tagged in one source, missed in the other
    assert names_found(parts) == []


def test_a_first_name_alone_is_the_person_of_that_first_name_named_elsewhere():
    first = "Alma was raised in Greyhaven, where her father ran a small bakery near the harbour."
    second = "Mrs Voss was raised in Greyhaven, where her father ran a small bakery near the harbour."
    alone = event_parts(first, second)
    one_claim(alone)
    [discrepancy] = names_found(alone)  # with nothing to tell who Alma is, two names in one slot
    assert values(discrepancy) == ["Alma", "Mrs Voss"]

    introduced = event_parts(
        "The novelist Alma Voss died at her home in Greyhaven on Sunday at the age of 91.\n" + first,
        "The novelist Alma Voss died at her home in Greyhaven on Sunday at the age of 91.\n" + second,
    )
    assert names_found(introduced) == []


# --- a different person in the same slot -------------------------------------------------------------


def test_a_different_person_among_several_is_flagged_in_its_slot():
    text = "Police arrested Jon Weller and {} on Monday after the fire at the old grain mill."
    parts = event_parts(text.format("Tomas Ferreira"), text.format("Oskar Lindqvist"))
    one_claim(parts)
    assert persons(parts) == [["Jon Weller", "Tomas Ferreira"], ["Jon Weller", "Oskar Lindqvist"]]
    [discrepancy] = names_found(parts)
    assert discrepancy.kind == "name" and discrepancy.subject == "person"
    assert values(discrepancy) == ["Oskar Lindqvist", "Tomas Ferreira"]


def test_every_mention_of_the_person_in_a_sentence_is_one_finding():
    text = "The lawyers of {0} asked the court on Monday to release {0} on bail until the trial."
    parts = event_parts(text.format("Ilka Brandt"), text.format("Tomas Ferreira"))
    one_claim(parts)
    [discrepancy] = names_found(parts)
    assert values(discrepancy) == ["Ilka Brandt", "Tomas Ferreira"]
    assert [len(v.support) for v in discrepancy.variants] == [2, 2]


def test_people_in_different_slots_are_not_compared():
    # one outlet names the suspect, the other the victim: different parts of the statement
    parts = event_parts(
        "Police charged Jon Weller over the stabbing in the harbour district on Monday night.",
        "Police charged a man over the stabbing of Tomas Ferreira in the harbour district on Monday night.",
    )
    one_claim(parts)
    assert persons(parts) == [["Jon Weller"], ["Tomas Ferreira"]]
    assert names_found(parts) == []


def test_a_role_against_a_name_is_not_flagged():
    parts = event_parts(
        "The mayor opened the new footbridge over the Lenner river in Dunmore on Tuesday morning.",
        "Oskar Lindqvist opened the new footbridge over the Lenner river in Dunmore on Tuesday morning.",
    )
    one_claim(parts)
    assert persons(parts)[1] == ["Oskar Lindqvist"]
    assert names_found(parts) == []


def test_sentences_worded_apart_are_not_compared():
    # the same slot, but two accounts rather than one report and its rewrite
    parts = event_parts(
        "Inspector Jon Weller cleared the ferry on Monday after checking its lifeboats.",
        "Inspector Tomas Ferreira cleared the ferry, which had been held in port for a week over safety fears, "
        "on Monday.",
    )
    a, b = parts.sentences
    names = EventNames(parts.persons, parts.text_of)
    assert differing_people(a, b, names) == []
    assert len(differing_people(a, b, names, same_words=0.0)) == 1  # what the likeness bar leaves out


# --- sources ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, stated",
    [
        ("Jon Weller said on Thursday that the river protection rules would change.", []),
        ('Fire officer Jon Weller described the building as a "total loss" on Monday.', []),
        # a verb of saying with an object and nothing said: the subject acts in the fact
        ("Interior Secretary Jon Weller announced major changes to the river rules on Thursday.", ["Jon Weller"]),
        ("The lawyers of Tomas Ferreira asked the court on Monday to release him on bail.", ["Tomas Ferreira"]),
    ],
)
def test_the_source_of_a_statement_is_not_a_person_of_its_fact(text, stated):
    assert persons(event_parts(text)) == [stated]


def test_sources_are_compared_only_when_given_the_same_role():
    text = "The fire started in the kitchen of the Harbour Inn shortly after midnight, {} said."
    same_role = event_parts(text.format("fire chief Ilka Brandt"), text.format("fire chief Tomas Ferreira"))
    one_claim(same_role)
    [discrepancy] = names_found(same_role)
    assert discrepancy.subject == "speaker"
    assert values(discrepancy) == ["Ilka Brandt", "Tomas Ferreira"]

    no_role = event_parts(text.format("Ilka Brandt"), text.format("Tomas Ferreira"))
    one_claim(no_role)
    assert names_found(no_role) == []  # outlets cite different sources for one fact


def test_the_speakers_of_one_quotation_are_compared():
    text = '"We will rebuild the footbridge before the winter floods come," {} said on Tuesday.'
    parts = event_parts(text.format("Ilka Brandt"), text.format("Tomas Ferreira"))
    one_claim(parts)
    [discrepancy] = names_found(parts)
    assert discrepancy.subject == "speaker"
    assert values(discrepancy) == ["Ilka Brandt", "Tomas Ferreira"]


def test_speakers_the_speaker_check_reports_are_reported_once():
    # the quotation's speakers are the name check's and the speaker check's business: one finding
    text = '"We will rebuild the footbridge before the winter floods come," {} said on Tuesday.'
    parts = event_parts(text.format("Oskar Lindqvist"), text.format("Oskar Lindgren"))
    collation = collate_event({d.id: d for d in parts.docs}, segments_of(parts.docs), CollateConfig())
    [discrepancy] = [d for d in collation.discrepancies if d.kind == "name"]
    assert discrepancy.subject == "speaker"
    assert values(discrepancy) == ["Oskar Lindgren", "Oskar Lindqvist"]
    assert [len(v.support) for v in discrepancy.variants] == [1, 1]


# --- names the model missed ---------------------------------------------------------------------------


def test_a_name_the_model_missed_counts_where_nothing_else_differs_around_it():
    text = "The stubbornness of {} cost the club its coach despite a winning record and a return to the playoffs."
    parts = event_parts(text.format("Jon Weller"), text.format("Tomas Ferreira"))
    one_claim(parts)
    relabel(parts.docs[1], "Tomas Ferreira", "ORG")
    [discrepancy] = names_found(parts)
    assert values(discrepancy) == ["Jon Weller", "Tomas Ferreira"]


def test_capitalised_words_where_the_words_around_differ_are_no_name():
    parts = event_parts(
        "Organisers said Jon Weller will open the lantern parade in Dunmore on Saturday evening.",
        "Organisers said the Greyhaven Choir would open the lantern parade in Dunmore on Saturday evening.",
    )
    one_claim(parts)
    assert names_found(parts) == []


# --- sentences alignment left apart -------------------------------------------------------------------


def test_near_copies_alignment_left_apart_are_compared():
    parts = event_parts(
        "Ilka Brandt will try to drag this out as long as she can.",
        "Tomas Ferreira will try to drag this out as long as she can.",
    )
    assert len(parts.claims) == 2  # precondition: the names weigh enough to keep them apart
    [discrepancy] = names_found(parts)
    assert discrepancy.claim is None
    assert values(discrepancy) == ["Ilka Brandt", "Tomas Ferreira"]

"""Entities of an event (collate.entities.collect_entities).

All texts are invented: fictional outlets, people and places.
"""

from __future__ import annotations

import pytest

from newscollate.collate.entities import TYPES, collect_entities

from .nlp_helpers import annotate, annotated, make_doc, segments_of

CHANNEL_A = """The Coastal Shipping Authority closed the Carrowby channel on Tuesday after a tanker ran aground.
Sofia Marchetti, who leads the authority, said divers were inspecting the hull.
Marchetti said the CSA expected to reopen the channel within days."""
CHANNEL_B = """Marchetti told reporters the CSA had ordered two tugs to the channel.
The Coastal Shipping Authority said no fuel had leaked."""


@pytest.fixture(scope="module")
def channel():
    docs = annotated(CHANNEL_A, CHANNEL_B)
    return docs, collect_entities({d.id: d for d in docs}, segments_of(docs))


def by_name(entities):
    return {e.name: e for e in entities}


def test_surname_mentions_merge_into_the_full_name(channel):
    docs, entities = channel
    people = [e for e in entities if e.type == "PERSON"]
    assert [(e.name, e.mentions) for e in people] == [("Sofia Marchetti", 3)]
    assert "Marchetti" not in by_name(entities)


def test_acronym_merges_into_the_multiword_name_it_abbreviates(channel):
    docs, entities = channel
    names = by_name(entities)
    assert "CSA" not in names
    authority = names["Coastal Shipping Authority"]  # the leading "The" is not part of the name
    assert (authority.type, authority.mentions) == ("ORG", 4)


def test_mention_counts_add_up_to_the_entity_spans(channel):
    docs, entities = channel
    spans = [e for d in docs for e in d.spans("entities") if e.label in TYPES]
    assert sum(e.mentions for e in entities) == len(spans)
    mentions = [e.mentions for e in entities]
    assert mentions == sorted(mentions, reverse=True)


def test_only_entities_inside_the_given_segments_count():
    doc = make_doc(
        "Sofia Marchetti closed the Carrowby channel on Tuesday.\nMarchetti said divers were at work.\n\n"
        "The Velmora Rowing Club held its spring regatta on Saturday.\nJulia Haverford won the single sculls.",
        split_segments=True,
    )
    annotate(doc)
    first, second = doc.spans("segments")
    names_first = {e.name for e in collect_entities({doc.id: doc}, [first])}
    names_second = {e.name for e in collect_entities({doc.id: doc}, [second])}
    assert "Sofia Marchetti" in names_first and "Julia Haverford" not in names_first
    assert "Julia Haverford" in names_second and "Sofia Marchetti" not in names_second


def test_acronym_of_another_name_stays_apart():
    docs = annotated(
        "The Velmora Rowing Club held its spring regatta in Carrowby on Saturday.\n"
        "The CSA said the channel would stay open for the races."
    )
    names = by_name(collect_entities({d.id: d for d in docs}, segments_of(docs)))
    assert "Velmora Rowing Club" in names
    assert "CSA" in names


def test_two_people_with_one_surname_stay_apart():
    docs = annotated(
        "Anna Kowalczyk and her husband Piotr Kowalczyk were among the passengers on the tanker.\n"
        "Anna Kowalczyk said the crew had been calm."
    )
    entities = collect_entities({d.id: d for d in docs}, segments_of(docs))
    people = sorted((e.name, e.mentions) for e in entities if e.type == "PERSON")
    assert people == [("Anna Kowalczyk", 2), ("Piotr Kowalczyk", 1)]

"""Roles and titles the articles attach to names (collate.roles, Entity.roles, the brief and renderers).

All texts are invented: fictional outlets, people, companies and places.
"""

from __future__ import annotations

import pytest

from newscollate.collate.entities import collect_entities
from newscollate.collate.roles import find_roles
from newscollate.render import render_html, render_markdown, validate_brief

from .nlp_helpers import annotated, segments_of


def roles_in(text: str) -> list[tuple[str, str]]:
    """``(name, role)`` pairs of one document, each as its span slices the text."""
    [doc] = annotated(text)
    [segment] = doc.spans("segments")
    return [(doc.slice(m.name), doc.slice(m.role)) for m in find_roles(doc, segment)]


# --- where a role is written --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Foreign Minister Tavish Orrin met the delegation on Monday.", ("Tavish Orrin", "Foreign Minister")),
        ("Judge Marius Kettle adjourned the case until May.", ("Marius Kettle", "Judge")),
        ("Sen. Corin Alvey voted against the bill.", ("Corin Alvey", "Sen.")),
        ("Velora chief executive Ada Brelk resigned.", ("Ada Brelk", "Velora chief executive")),
        ("Merovia's foreign minister Tavish Orrin arrived.", ("Tavish Orrin", "Merovia's foreign minister")),
    ],
    ids=["title", "one-word-title", "abbreviated-title", "organisation-and-title", "possessor-and-title"],
)
def test_title_before_the_name(text, expected):
    assert roles_in(text) == [expected]


def test_lower_case_role_before_the_name():
    assert roles_in("The goal came from striker Lena Holt in the second half.") == [("Lena Holt", "striker")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tomas Rell, Merovia's foreign minister, said the talks would continue.", "Merovia's foreign minister"),
        ("Sofia Marchetti, the county's chief engineer, said the bridge would reopen.", "the county's chief engineer"),
        ("Julia Haverford, 34, a nurse from Carrowby, said the crew had been calm.", "nurse from Carrowby"),
    ],
    ids=["possessor", "article-of-the-possessor-kept", "age-skipped"],
)
def test_appositive_after_the_name(text, expected):
    [(_, role)] = roles_in(text)
    assert role == expected


def test_appositive_before_the_name_with_or_without_a_comma():
    for text in (
        '"We will not sign," said the company\'s chief executive, Ada Brelk.',
        '"We will not sign," said the company\'s chief executive Ada Brelk.',
    ):
        assert roles_in(text) == [("Ada Brelk", "the company's chief executive")]


def test_an_appositive_stops_at_its_clause_and_loses_its_article():
    text = "Brelk, a former nurse who founded the firm in 2011, said the recall was voluntary."
    assert roles_in(text) == [("Brelk", "former nurse")]


def test_organisations_get_roles_too():
    assert roles_in("Brightwell Foods, a supermarket chain based in Carrowby, said the stores would reopen.") == [
        ("Brightwell Foods", "supermarket chain")
    ]


def test_a_title_inside_the_tagged_name_is_cut_off_as_a_role():
    # the model tags "Sergeant Ivo Brandt" as one PERSON entity
    assert roles_in("Sergeant Ivo Brandt said the road would reopen by noon.") == [("Ivo Brandt", "Sergeant")]


def test_honorifics_are_not_roles():
    assert roles_in("Mr Lindqvist and Ms Kowalczyk met in Carrowby on Tuesday.") == []


def test_hyphenated_words_stay_whole():
    text = "Julia Haverford, a 34-year-old nurse who was travelling home, said the crew had been calm."
    assert roles_in(text) == [("Julia Haverford", "34-year-old nurse")]


def test_what_happened_to_a_person_is_not_part_of_the_title():
    assert roles_in("The newly elected Prime Minister Odile Farran met the unions on Monday.") == [
        ("Odile Farran", "Prime Minister")
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Managing director Petra Vale said the kilns would close.", ("Petra Vale", "Managing director")),
        ("Harbour master Ilka Brenn said the fog had come down fast.", ("Ilka Brenn", "Harbour master")),
    ],
)
def test_title_words_the_model_reads_as_verbs_stay_in_the_title(text, expected):
    assert roles_in(text) == [expected]


def test_a_participle_read_as_a_noun_does_not_end_the_role():
    # the model makes "sailing" the appositive's head noun, with "vessel" a compound of it
    text = "The ferry Gannet, a Brisk Line vessel sailing in from Ostmark with 90 passengers, hit the pier."
    assert ("Gannet", "Brisk Line vessel") in roles_in(text)


def test_the_subject_of_a_following_clause_is_not_an_appositive():
    # "the regional ambulance service" is who confirmed it, not what the hospital is
    text = "Fourteen people were taken to St. Ansel's Hospital, the regional ambulance service confirmed on Monday."
    assert roles_in(text) == []


def test_role_spans_point_at_the_source():
    [doc] = annotated("Foreign Minister Tavish Orrin met the delegation on Monday.")
    [mention] = find_roles(doc, doc.spans("segments")[0])
    assert doc.text[mention.role.start : mention.role.end] == "Foreign Minister"
    assert (mention.head, mention.words) == ("minister", ("foreign", "minister"))


# --- roles of an event's entities ---------------------------------------------------------------

HARBOUR_A = (
    "Foreign Minister Sofia Marchetti arrived in Carrowby on Monday for talks on the harbour dispute.\n"
    "Marchetti, a former fisheries inspector, said both sides wanted a deal."
)
HARBOUR_B = "Foreign minister Sofia Marchetti said the harbour talks would resume on Thursday."
HARBOUR_C = "The talks were led by Foreign Minister Sofia Marchetti, the ministry said."


@pytest.fixture(scope="module")
def harbour():
    docs = annotated(HARBOUR_A, HARBOUR_B, HARBOUR_C)
    by_id = {d.id: d for d in docs}
    entities = {e.name: e for e in collect_entities(by_id, segments_of(docs))}
    return by_id, entities


def test_roles_of_all_mentions_gather_on_the_entity(harbour):
    _, entities = harbour
    marchetti = entities["Sofia Marchetti"]
    # "Foreign minister" differs only in case: one role, written by three documents and shown as most write it;
    # the role given to the bare surname joins the full name's
    assert [role.text for role in marchetti.roles] == ["Foreign Minister", "former fisheries inspector"]
    assert len({s.doc for s in marchetti.roles[0].support}) == 3


def test_the_role_text_is_its_first_support_span(harbour):
    docs, entities = harbour
    for entity in entities.values():
        for role in entity.roles:
            first = role.support[0]
            assert docs[first.doc].slice(first) == role.text


def test_abbreviation_dots_do_not_split_a_role():
    docs = annotated(
        "U.N. envoy Marit Solberg arrived in Carrowby on Monday.",
        "The talks were chaired by UN envoy Marit Solberg.",
    )
    entities = collect_entities({d.id: d for d in docs}, segments_of(docs))
    [solberg] = [e for e in entities if e.name == "Marit Solberg"]
    assert len(solberg.roles) == 1 and len(solberg.roles[0].support) == 2


def test_a_title_inside_the_tagged_name_is_not_part_of_the_entity_name():
    docs = annotated("Sergeant Ivo Brandt said the road would reopen by noon.\nBrandt closed the road at dawn.")
    entities = collect_entities({d.id: d for d in docs}, segments_of(docs))
    [brandt] = [e for e in entities if e.type == "PERSON"]
    assert (brandt.name, brandt.mentions, [r.text for r in brandt.roles]) == ("Ivo Brandt", 2, ["Sergeant"])


# --- the brief and the renderers ----------------------------------------------------------------


def test_examples_brief_carries_roles_that_point_at_their_sources(examples):
    brief, corpus = examples
    validate_brief(brief)
    texts = {doc.id: doc.text for doc in corpus.documents}
    roles = [(e, r) for event in brief["events"] for e in event["entities"] for r in e.get("roles", [])]
    assert roles
    for entity, role in roles:
        assert role["support"], entity
        first = role["support"][0]
        assert texts[first["doc"]][first["start"] : first["end"]] == role["text"]
    assert all("roles" not in e or e["roles"] for event in brief["events"] for e in event["entities"])


def tiny_brief() -> tuple[dict, dict[str, str]]:
    text = "Foreign Minister Tavish Orrin <arrived> in Carrowby."
    doc = {"id": "d1", "path": "a.txt", "title": None, "published": None, "chars": len(text),
           "source": "Testfield Courier"}  # fmt: skip
    span = {"doc": "d1", "start": 0, "end": len(text)}
    role = {"text": "Foreign Minister", "support": [{"doc": "d1", "start": 0, "end": 16}]}
    hostile = {"text": "<arrived>", "support": [{"doc": "d1", "start": 30, "end": 39}]}
    event = {
        "id": "e1", "title": "Talks", "segments": [span], "claims": [], "discrepancies": [], "quotes": [],
        "timeline": [],
        "entities": [{"name": "Tavish Orrin", "type": "PERSON", "mentions": 1, "roles": [role, hostile]},
                     {"name": "Carrowby", "type": "GPE", "mentions": 1}],
    }  # fmt: skip
    return {"schema": "newscollate.brief/1", "documents": [doc], "removed": [], "events": [event]}, {"d1": text}


def test_roles_are_optional_in_the_schema_and_their_spans_are_checked():
    brief, _ = tiny_brief()
    validate_brief(brief)
    brief["events"][0]["entities"][0]["roles"][0]["support"][0]["end"] = 999
    with pytest.raises(ValueError, match=r"entities\[0\]\.roles\[0\]\.support\[0\]"):
        validate_brief(brief)
    brief["events"][0]["entities"][0]["roles"][0]["support"] = []
    with pytest.raises(ValueError, match="roles"):
        validate_brief(brief)


def test_markdown_shows_roles_with_their_outlets():
    brief, texts = tiny_brief()
    markdown = render_markdown(brief, texts)
    roles = "*Foreign Minister* (Testfield Courier); *\\<arrived\\>* (Testfield Courier)"
    assert f"Tavish Orrin — {roles} ×1" in markdown
    assert "Carrowby ×1" in markdown


def test_html_shows_roles_escaped():
    brief, texts = tiny_brief()
    page = render_html(brief, texts)
    assert 'title="as written by Testfield Courier"><bdi>Foreign Minister</bdi></span>' in page
    assert "&lt;arrived&gt;" in page and "<arrived>" not in page

"""Claims (collate.claims.align) and the per-claim date and name discrepancies.

All texts are invented: fictional outlets, people and places.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from newscollate.collate.claims import align
from newscollate.collate.discrepancies import date_discrepancies, name_discrepancies

from .nlp_helpers import event_parts

WEDNESDAY = date(2026, 3, 11)

# Two outlets' reports of one (fictional) event; most sentences are rewrites of
# one another, and several different facts are told about the same person,
# whose name recurs through both reports as it does in real coverage.
REPORT_A = """A footbridge over the Lenner river in Dunmore collapsed on Tuesday evening, injuring 14 people.
The bridge gave way as a crowd crossed to watch the lantern parade on the east bank.
Fire crews pulled several people from the shallow water within minutes, the county fire service said.
Mayor Oskar Lindqvist said the Dunmore footbridge had passed an inspection in the autumn.
"We will find out exactly why this happened," Oskar Lindqvist said.
Engineers from the Coastal Shipping Authority were sent to examine the broken cables.
The parade was cancelled and the east bank was closed to the public overnight."""
REPORT_B = """Fourteen people were hurt when a pedestrian bridge across the Lenner river in Dunmore gave way on Tuesday night.
Witnesses said the footbridge was packed with families heading to the lantern parade when it collapsed.
The county fire service said its crews rescued people from the water in minutes.
Oskar Lindqvist said the council would pay the hospital bills of the injured families.
Oskar Lindqvist promised a full investigation into the collapse.
The Coastal Shipping Authority has sent engineers to study the snapped cables.
Organisers cancelled the lantern parade and police sealed off the riverbank."""

INSPECTION = "Mayor Oskar Lindqvist said the Dunmore footbridge had passed an inspection in the autumn."
BILLS = "Oskar Lindqvist said the council would pay the hospital bills of the injured families."


@pytest.fixture(scope="module")
def reports():
    return event_parts((REPORT_A, "Lenner Valley Post"), (REPORT_B, "Dunmore Evening Star"))


def claim_texts(parts):
    return [sorted(s.text for s in c.sentences) for c in parts.claims]


def together(parts, a: str, b: str) -> bool:
    return any(any(a in s.text for s in c.sentences) and any(b in s.text for s in c.sentences) for c in parts.claims)


# --- align --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "a, b",
    [
        ("collapsed on Tuesday evening, injuring 14 people", "Fourteen people were hurt"),
        ("Fire crews pulled several people", "its crews rescued people"),
        ("Engineers from the Coastal Shipping Authority were sent", "has sent engineers to study"),
    ],
)
def test_rewordings_across_documents_align_into_one_claim(reports, a, b):
    assert together(reports, a, b), claim_texts(reports)
    claim = reports.claim_of(a)
    assert len(claim.sentences) == 2
    assert {s.doc.meta.source for s in claim.sentences} == {"Lenner Valley Post", "Dunmore Evening Star"}


def test_sentences_sharing_names_but_stating_different_facts_do_not_align(reports):
    inspection = reports.claim_of("had passed an inspection")
    assert [s.text for s in inspection.sentences] == [INSPECTION]
    assert not together(reports, "had passed an inspection", "would pay the hospital bills")
    assert not together(reports, "had passed an inspection", "promised a full investigation")
    assert not together(reports, "cancelled and the east bank", "Fire crews pulled")


def test_same_attribution_frame_does_not_make_different_facts_one_claim():
    # The same reports, but the mayor is named only in the two sentences that differ.
    bills = "Mayor Oskar Lindqvist said the Dunmore council would pay the hospital bills of the injured families."
    report_a = "\n".join(line for line in REPORT_A.splitlines() if "We will find out" not in line)
    report_b = "\n".join(bills if line == BILLS else line for line in REPORT_B.splitlines() if "promised a full" not in line)
    parts = event_parts(report_a, report_b)
    assert together(parts, "Fire crews pulled", "its crews rescued people")  # rewrites still align
    assert not together(parts, "had passed an inspection", "would pay the hospital bills")


def test_every_sentence_is_in_exactly_one_claim(reports):
    spans = [s.span for c in reports.claims for s in c.sentences]
    assert sorted(spans, key=lambda s: (s.doc, s.start)) == sorted((s.span for s in reports.sentences), key=lambda s: (s.doc, s.start))
    assert len(set(spans)) == len(spans) == 14


def test_claims_with_more_sources_come_first(reports):
    sizes = [len(c.sentences) for c in reports.claims]
    assert sizes == sorted(sizes, reverse=True)
    assert sizes[0] == 2 and sizes[-1] == 1


def test_a_claim_never_holds_two_sentences_of_one_document():
    parts = event_parts(
        "The county fire service said its crews rescued people from the water in minutes.\n"
        "Fire crews rescued people from the water within minutes, the county fire service said.",
        "Fire crews pulled people from the water within minutes, the county fire service said.",
    )
    *_, other = parts.sentences
    # precondition: the other outlet's sentence is a close rewrite of both
    assert parts.similarity[0, 2] >= 0.3 and parts.similarity[1, 2] >= 0.3
    assert parts.similarity[0, 1] > 0.6  # near duplicates within one document
    for claim in parts.claims:
        assert len(claim.document_ids) == len(set(claim.document_ids))
    assert [len(c.sentences) for c in parts.claims] == [2, 1]
    assert parts.claims[0].sentences[1].span == other.span


def test_align_keeps_one_document_per_claim_whatever_the_similarity(reports):
    # Every pair maximally similar: only the document constraint keeps claims apart.
    sentences = reports.sentences
    ones = np.ones((len(sentences), len(sentences)))
    claims = align(sentences, ones, 0.3, 0.22)
    assert all(len(c.document_ids) == len(set(c.document_ids)) for c in claims)
    assert sorted(len(c.sentences) for c in claims) == [2] * 7


def test_representative_is_the_most_central_of_the_claims_sentences():
    parts = event_parts(
        "Fire crews pulled several people from the shallow water within minutes, the county fire service said.",
        "Fire crews pulled people from the water within minutes, the county fire service said.",
        "The county fire service said its crews rescued people from the river in minutes.",
    )
    [claim] = parts.claims
    assert len(claim.sentences) == 3
    index = {id(s): i for i, s in enumerate(parts.sentences)}
    members = [index[id(s)] for s in claim.sentences]
    mean_similarity = [parts.similarity[i, [j for j in members if j != i]].mean() for i in members]
    expected = claim.sentences[int(np.argmax(mean_similarity))]
    assert claim.representative is expected
    assert claim.representative.text == "Fire crews pulled people from the water within minutes, the county fire service said."
    assert claim.representative.text == claim.representative.doc.slice(claim.representative.span)


def test_claim_sentences_are_in_publication_order():
    parts = event_parts(
        ("Fire crews pulled people from the water within minutes, the county fire service said.", "Late Paper", date(2026, 3, 12)),
        ("Fire crews pulled several people from the water within minutes, the county fire service said.", "Early Paper", date(2026, 3, 10)),
    )
    [claim] = parts.claims
    assert [s.doc.meta.source for s in claim.sentences] == ["Early Paper", "Late Paper"]


# --- date_discrepancies -------------------------------------------------------------------------

HEARING = "The inquiry into the Dunmore footbridge collapse will hold its first public hearing on {}, the county clerk said."
HEARING_B = "The county clerk said the inquiry into the Dunmore footbridge collapse will hold its first public hearing on {}."


def dates_found(parts):
    return date_discrepancies(parts.claims, parts.dates)


def test_different_weekdays_for_the_same_hearing_are_flagged():
    parts = event_parts(HEARING.format("Thursday"), HEARING_B.format("Friday"), published=WEDNESDAY)
    [discrepancy] = dates_found(parts)
    assert discrepancy.kind == "date"
    assert discrepancy.subject == "day"
    assert sorted(v.value for v in discrepancy.variants) == ["Friday", "Thursday"]
    for variant in discrepancy.variants:
        assert [parts.text_of(s) for s in variant.support] == [variant.value]


def test_weekday_and_the_date_it_resolves_to_are_not_flagged():
    parts = event_parts(HEARING.format("Thursday"), HEARING_B.format("March 12"), published=WEDNESDAY)
    assert len(parts.claims) == 1
    assert sorted(m.value for ms in parts.dates.values() for m in ms) == ["2026-03-12", "2026-03-12"]
    assert dates_found(parts) == []


def test_same_weekday_written_on_different_days_is_flagged_when_it_resolves_differently():
    # Published a week apart, "Thursday" names two different days.
    parts = event_parts(
        (HEARING.format("Thursday"), "Outlet A", WEDNESDAY),
        (HEARING_B.format("Thursday"), "Outlet B", date(2026, 3, 18)),
    )
    [discrepancy] = dates_found(parts)
    assert [v.value for v in discrepancy.variants] == ["Thursday", "Thursday"]


def test_dates_are_not_compared_across_claims():
    parts = event_parts(
        HEARING.format("Thursday"),
        "Organisers cancelled the Velmora lantern parade, which had been planned for Friday.",
        published=WEDNESDAY,
    )
    assert len(parts.claims) == 2
    assert dates_found(parts) == []


def test_past_infinitive_and_past_verb_on_the_same_weekday_are_not_flagged():
    parts = event_parts(
        "The Carrowby ferry was allowed to sail on Monday after an inspection of its hull.",
        "The Carrowby ferry sailed on Monday after an inspection of its hull.",
        published=WEDNESDAY,
    )
    assert len(parts.claims) == 1
    assert dates_found(parts) == []


# --- name_discrepancies -------------------------------------------------------------------------

FERRY = "The ferry was cleared to sail after an inspection by harbour master {} on Monday."


def names_found(parts):
    return name_discrepancies(parts.claims, parts.persons, parts.text_of)


def test_a_different_person_in_the_same_slot_is_flagged():
    parts = event_parts(FERRY.format("Ilka Brandt"), FERRY.format("Tomas Ferreira"))
    [discrepancy] = names_found(parts)
    assert discrepancy.kind == "name"
    assert sorted(v.value for v in discrepancy.variants) == ["Ilka Brandt", "Tomas Ferreira"]
    for variant in discrepancy.variants:
        assert [parts.text_of(s) for s in variant.support] == [variant.value]


def test_surname_alone_is_the_same_person():
    parts = event_parts(
        "The ferry left the harbour after an inspection by harbour master Ilka Brandt on Monday.",
        "The ferry left the harbour after an inspection by Brandt on Monday.",
    )
    # precondition: each sentence names exactly one person, in one tight claim
    assert [[parts.text_of(p) for p in parts.persons[id(s)]] for s in parts.sentences] == [["Ilka Brandt"], ["Brandt"]]
    assert len(parts.claims) == 1
    assert names_found(parts) == []


def test_a_different_surname_with_the_same_first_name_is_flagged():
    parts = event_parts(FERRY.format("Ilka Brandt"), FERRY.format("Ilka Brant"))
    assert [[parts.text_of(p) for p in parts.persons[id(s)]] for s in parts.sentences] == [["Ilka Brandt"], ["Ilka Brant"]]
    [discrepancy] = names_found(parts)
    assert sorted(v.value for v in discrepancy.variants) == ["Ilka Brandt", "Ilka Brant"]


def test_names_are_not_compared_in_loosely_aligned_claims():
    parts = event_parts(
        "The ferry was cleared to sail after an inspection by harbour master Ilka Brandt on Monday.",
        "After an inspection on Monday the ferry was cleared to sail, according to deckhand Tomas Ferreira.",
    )
    # one claim; the second names its source, not a different inspector
    [claim] = parts.claims
    assert len(claim.sentences) == 2
    assert names_found(parts) == []


@pytest.mark.parametrize(
    "sentence, parts",
    [
        (
            "Police arrested two men in Dunmore on Monday, and the mayor closed the old bridge until further notice.",
            ["Police arrested two men in Dunmore on Monday", "the mayor closed the old bridge until further notice."],
        ),
        (
            "The council voted to rebuild the levee; the work will cost 40 million crowns and take two years.",
            ["The council voted to rebuild the levee", "the work will cost 40 million crowns and take two years."],
        ),
        # one subject doing two things is one fact about it; a quote stays with its speaker
        ("The mayor and the fire chief visited the site and spoke to residents.", None),
        ("\u201cWe will rebuild the bridge,\u201d the mayor said, and the crowd cheered her loudly.", None),
        (
            "Police closed the footbridge in Dunmore on Monday, and the mayor said the lantern parade would go ahead.",
            ["Police closed the footbridge in Dunmore on Monday", "the mayor said the lantern parade would go ahead."],
        ),
        # a short clause ("and it rained") is not a claim of its own
        ("The lantern parade went ahead in Dunmore on Saturday, and it rained.", None),
    ],
)
def test_a_sentence_of_several_facts_is_cut_into_its_clauses(sentence, parts):
    from newscollate.collate.claims import clauses

    from .nlp_helpers import one_sentence

    doc, span = one_sentence(sentence)
    found = [doc.slice(part) for part in clauses(doc, span)]
    assert found == (parts or [sentence])


def test_two_outlets_agree_on_each_fact_of_a_sentence_that_one_of_them_splits():
    joint = "Police arrested two men in Dunmore on Monday, and the mayor closed the old footbridge until further notice."
    split = "Two men were arrested by police in Dunmore on Monday.\nThe mayor has closed the old footbridge until further notice."
    parts = event_parts(joint, split)
    assert len(parts.claim_of("arrested two men").sentences) == 2
    assert len(parts.claim_of("closed the old footbridge").sentences) == 2


@pytest.mark.parametrize(
    "sentence, verb, bare",
    [
        ("The ministry announced on Wednesday.", "announced", True),
        ("The ministry announced the visit on Wednesday.", "announced", False),
        ("The mayor said the parade would go ahead.", "said", False),
        ("The mayor closed the bridge.", "closed", False),
    ],
)
def test_a_verb_of_saying_with_nothing_said_is_a_bare_attribution(sentence, verb, bare):
    from newscollate.collate.claims import bare_attribution

    from .nlp_helpers import one_sentence

    _, span = one_sentence(sentence)
    [token] = [t for t in span.data["sent"] if t.text == verb]
    assert bare_attribution(token) is bare


# --- asides with a number -------------------------------------------------------------------------

NORTHWIND_A = "Northwind Freight, which employs 3,000 people, said on Monday it would close the Tarrow depot."
NORTHWIND_B = "Northwind Freight will close the Tarrow depot.\nNorthwind Freight employs 3,200 people across the country."


@pytest.mark.parametrize(
    "sentence, aside",
    [
        (NORTHWIND_A, "Northwind Freight, which employs 3,000 people"),
        (
            "Northwind Freight, a haulier with 3,000 employees, will close the Tarrow depot.",
            "Northwind Freight, a haulier with 3,000 employees",
        ),
        (
            "The fire destroyed Tarrow Mill, which employed 300 people, on Monday night.",
            "Tarrow Mill, which employed 300 people",
        ),
        (
            "The bridge, built in 1902 at a cost of 40,000 crowns, was closed on Monday.",
            "The bridge, built in 1902 at a cost of 40,000 crowns",
        ),
        (
            "Northwind Freight (which employs 3,000 people) said on Monday it would close the Tarrow depot.",
            "Northwind Freight (which employs 3,000 people)",
        ),
        # an age, a year, a restrictive clause: no aside of its own
        ("Lars Eid, 54, said the Tarrow depot had been losing money for years.", None),
        ("The mayor, who was elected in 2019, closed the old bridge on Monday.", None),
        ("The depot that employs 300 people will close on Friday.", None),
        # what is left of the sentence would be no claim
        ("Dunmore, a town of 12,000 residents, flooded.", None),
        # a quote stays with its speaker
        ("\u201cWe employ 3,000 people,\u201d said Lars Eid, who runs the Tarrow depot.", None),
    ],
)
def test_an_aside_with_a_number_is_a_claim_of_its_own(sentence, aside):
    from newscollate.collate.claims import asides

    from .nlp_helpers import one_sentence

    doc, span = one_sentence(sentence)
    parts = asides(doc, span)
    if aside is None:
        assert parts == [span]
        return
    main, part = parts
    # the sentence keeps its whole span; the aside is a contiguous span of its own
    assert doc.slice(main) == sentence
    assert doc.slice(part) == aside
    assert part.data["sent"].text == aside
    [(start, end)] = main.data["asides"]
    assert part.start < start < end == part.end


def test_a_sentence_keeps_the_facts_of_its_aside_out():
    from newscollate.collate import sentence_quantities

    parts = event_parts(NORTHWIND_A, NORTHWIND_B)
    main, aside = (s for s in parts.sentences if s.doc is parts.docs[0])
    assert sentence_quantities(main) == []
    assert [parts.text_of(q.phrase()) for q in sentence_quantities(aside)] == ["3,000 people"]
    assert "employ" not in main.features and "employ" in aside.features
    assert not main.states(main.text.index("3,000") + main.span.start)


def test_a_number_in_an_aside_is_compared_with_the_sentence_that_states_it():
    from newscollate.collate.discrepancies import number_discrepancies

    parts = event_parts(NORTHWIND_A, NORTHWIND_B)
    # the rest of the sentence still states the closure with the other outlet
    closure = parts.claim_of("would close the Tarrow depot")
    closure_b = "Northwind Freight will close the Tarrow depot."
    assert sorted(s.text for s in closure.sentences) == sorted([NORTHWIND_A, closure_b])
    found = number_discrepancies(parts.claims, parts.quantities, parts.text_of)
    assert [sorted(v.value for v in d.variants) for d in found] == [["3,000 people", "3,200 people"]]


def test_a_number_in_both_outlets_asides_is_one_discrepancy():
    from newscollate.collate.discrepancies import number_discrepancies

    parts = event_parts(
        NORTHWIND_A, "Northwind Freight, which employs 3,200 people, will close its Tarrow depot, it said on Monday."
    )
    found = number_discrepancies(parts.claims, parts.quantities, parts.text_of)
    assert [sorted(v.value for v in d.variants) for d in found] == [["3,000 people", "3,200 people"]]


def test_sentences_without_an_aside_with_a_number_are_unchanged(reports):
    from newscollate.collate.claims import asides, clauses

    for doc in reports.docs:
        for span in doc.spans("sentences"):
            for clause in clauses(doc, span):
                assert asides(doc, clause) == [clause]
    assert not any("asides" in s.span.data for s in reports.sentences)


def test_a_wire_dateline_is_no_part_of_the_claim():
    from newscollate.collate.claims import event_sentences

    from .nlp_helpers import annotated

    docs = annotated(
        "KESTREL BAY (Northline Wire) — Harbour pilots in Kestrel Bay began a 48-hour strike on Tuesday over new rotas.",
        "HOLMWICK: The town council approved a new bus depot on the old gasworks site.",
    )
    starts = [doc.slice(s.span)[:20] for doc in docs for s in event_sentences({doc.id: doc}, doc.spans("segments"))]
    assert starts == ["Harbour pilots in Ke", "The town council app"]

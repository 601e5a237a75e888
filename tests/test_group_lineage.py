"""Lineage roles on a fictional flood in Marlow Vale, reported, copied and rewritten."""

from datetime import date

import pytest

from newscollate.group.anchors import NAME, NUMBER, WORD, read_unit, token_id
from newscollate.group.lineage import assign_lineage, independent_sources
from newscollate.model import Document, Metadata, Span

SOURCE = """Floodwaters forced 2,400 residents of Marlow Vale to leave their homes on Tuesday, the regional council said.
The river Brenn rose 3.2 metres overnight after four days of rain, breaking a levee near the old mill.
Council leader Ada Voss said emergency shelters had opened in two schools and the sports hall.
Forecasters expect the rain to ease by Thursday, but warned that the water could keep rising until then.
The last comparable flood, in 1998, damaged more than 600 houses in the valley."""
JUNK_COPY = "Marlow Vale Courier\nBy Sam Reed\n" + SOURCE + "\nAdvertisement\nSign up for our newsletter"
TRIMMED = "\n".join(SOURCE.splitlines()[:3])
REWRITE = """About 2,400 people in Marlow Vale had to abandon their houses on Tuesday, according to the regional council.
After four days of rain, the river Brenn climbed 3.2 metres during the night and broke a levee close to the old mill.
Emergency shelters were opened in two schools and the sports hall, council leader Ada Voss said.
The rain should ease by Thursday, forecasters expect, though they warned the water could keep rising until then."""
INDEPENDENT = """The regional council ordered the evacuation of Marlow Vale on Tuesday as the Brenn burst its banks.
"We have never seen water this high so fast," said Ada Voss, who leads the council, standing outside a shelter.
Some 2,400 residents were affected, officials estimated, and insurers braced for claims.
Farmers upstream said the levee had been neglected for years."""
TRANSLATED = """According to the regional council, upon Tuesday the high waters compelled 2,400 inhabitants of Marlow Vale to abandon their residences.
Following four days of precipitation, the river Brenn climbed by 3.2 metres during the night. It broke a levee close to the old mill.
Emergency shelters were opened within two schools as well as the sports hall, declared the council chief Ada Voss.
The meteorologists anticipate that the rain will ease by Thursday; however, they cautioned the water might continue to rise until that moment.
The previous comparable flood, of 1998, had damaged over 600 houses of the valley."""
SHUFFLED = """Some 600 houses in the valley were damaged the last time, in 1998, and farmers fear worse this week.
In two schools and the sports hall, shelters run by council leader Ada Voss took in families.
The Brenn broke a levee near the old mill, rising 3.2 metres overnight, residents said.
The regional council counted 2,400 residents of Marlow Vale who left their homes on Tuesday."""
LOCAL_REPORT = """Residents of Marlow Vale left their homes as the rain kept falling on Tuesday.
Forecasters said the water could keep rising, and the council opened emergency shelters in schools.
The levee near the mill had been repaired after the flood of 1998, the council said."""
WIRE_REPORT = """MARLOW VALE (Reuters) - Rescue crews in boats reached farms cut off by the Brenn on Wednesday.
Ada Voss, who leads the council, said damage would take months to assess."""


def doc(text: str, name: str, day: int | None = None) -> Document:
    document = Document.from_text(text, name, Metadata(published=date(2031, 5, day) if day else None))
    document.add("segments", 0, len(text))
    return document


def lineage_of(*docs: Document):
    result = assign_lineage([(d, d.spans("segments")[0]) for d in docs])
    return [result[d.id] for d in docs]


def test_copies_and_rewrite_derive_from_the_source_and_independent_report_stays_original():
    source, copy, trimmed, rewrite, independent = (
        doc(SOURCE, "a", 3), doc(JUNK_COPY, "b", 4), doc(TRIMMED, "c", 4), doc(REWRITE, "d", 4), doc(INDEPENDENT, "e", 3)
    )
    roles = lineage_of(copy, rewrite, independent, trimmed, source)
    assert [(r.role, r.derives_from) for r in roles] == [
        ("copy", source.id), ("rewrite", source.id), ("original", None), ("copy", source.id), ("original", None)
    ]
    assert all(e["source"]["doc"] == source.id for e in roles[1].evidence)
    assert independent_sources(dict(zip([copy.id, rewrite.id, independent.id, trimmed.id, source.id], roles)),
                               [copy.id, rewrite.id, independent.id, trimmed.id, source.id]) == (2, [])


def test_without_dates_the_text_with_more_own_content_is_the_source():
    source, trimmed = doc(SOURCE, "a"), doc(TRIMMED, "b")
    assert [(r.role, r.derives_from) for r in lineage_of(trimmed, source)] == [("copy", source.id), ("original", None)]


def test_junk_in_a_copy_does_not_make_it_the_source():
    source, copy = doc(SOURCE, "a"), doc(JUNK_COPY, "b")
    assert [r.role for r in lineage_of(source, copy)] == ["original", "copy"]


def test_an_earlier_date_wins_over_length():
    longer, short = doc(SOURCE, "a", 9), doc(TRIMMED, "b", 2)
    assert [(r.role, r.derives_from) for r in lineage_of(longer, short)] == [("rewrite", short.id), ("original", None)]


def test_copy_of_a_copy_derives_from_the_first_text():
    source, copy, trimmed = doc(SOURCE, "a", 1), doc(JUNK_COPY, "b", 2), doc(TRIMMED, "c", 3)
    assert [r.derives_from for r in lineage_of(trimmed, copy, source)] == [source.id, source.id, None]


def test_wire_credit_makes_a_rewrite_of_the_wire_and_copies_inherit_it():
    wire, copy, other = doc(WIRE_REPORT, "a", 4), doc(WIRE_REPORT + "\nShare this article", "b", 5), doc(INDEPENDENT, "c", 4)
    first, second, third = lineage_of(wire, copy, other)
    assert (first.role, first.wire, first.derives_from) == ("rewrite", "Reuters", None)
    assert first.evidence[0]["kind"] == "wire-credit"
    assert (second.role, second.wire, second.derives_from) == ("copy", "Reuters", wire.id)
    assert independent_sources({wire.id: first, copy.id: second, other.id: third}, [wire.id, copy.id, other.id]) == (2, ["Reuters"])


def test_removed_lines_are_left_out():
    source = doc(SOURCE, "a", 1)
    text = "Reuters reported the flood first.\n" + INDEPENDENT
    other = doc(text, "b", 1)
    other.add("removed", 0, text.index("\n"), "promo")
    assert lineage_of(source, other)[1].wire is None


def test_a_document_may_appear_once():
    source = doc(SOURCE, "a")
    with pytest.raises(ValueError, match="twice"):
        assign_lineage([(source, source.spans("segments")[0])] * 2)


def test_translated_rewrite_keeping_names_numbers_and_order_is_a_rewrite():
    source, translated, independent = doc(SOURCE, "a", 3), doc(TRANSLATED, "b", 4), doc(INDEPENDENT, "c", 3)
    roles = lineage_of(translated, independent, source)
    assert (roles[0].role, roles[0].derives_from) == ("rewrite", source.id)
    assert roles[0].evidence[0]["kind"] == "sentence" and roles[1].role == "original"


def test_same_names_and_numbers_in_sentences_of_its_own_order_are_an_independent_report():
    source, shuffled = doc(SOURCE, "a", 3), doc(SHUFFLED, "b", 4)
    assert [r.role for r in lineage_of(shuffled, source)] == ["original", "original"]


def test_without_dates_the_text_in_the_events_usual_words_is_the_source_of_a_translation():
    translated, source, local, independent = doc(TRANSLATED, "a"), doc(SOURCE, "b"), doc(LOCAL_REPORT, "c"), doc(INDEPENDENT, "d")
    roles = lineage_of(translated, source, local, independent)
    assert [(r.role, r.derives_from) for r in roles] == [("rewrite", source.id), ("original", None), ("original", None), ("original", None)]


def test_wire_credited_reports_without_shared_text_derive_from_the_wire_alone():
    first, second = doc(WIRE_REPORT, "a", 4), doc("SYDNEY (Reuters) - " + INDEPENDENT, "b", 4)
    lineages = dict(zip([first.id, second.id], lineage_of(first, second)))
    assert [(x.role, x.derives_from, x.wire) for x in lineages.values()] == [("rewrite", None, "Reuters")] * 2
    assert independent_sources(lineages, list(lineages)) == (1, ["Reuters"])


def test_a_wire_credited_rewrite_of_a_document_derives_from_it_and_inherits_the_wire():
    wire = doc("MARLOW VALE (Reuters) - " + SOURCE, "a", 3)
    rewrite = doc(REWRITE + "\nThe Associated Press contributed to this report.", "b", 4)
    result = lineage_of(rewrite, wire)[0]
    assert (result.role, result.derives_from, result.wire) == ("rewrite", wire.id, "Reuters")


def test_sentences_split_at_sentence_ends_only_and_tokens_get_anchor_kinds():
    text = "The Brenn rose 3.2 metres.  Council leader Ada Voss spoke.\nRain fell \u201cfor days\u201d on Marlow Vale."
    unit = read_unit(doc(text, "a"), Span("x", 0, len(text)))
    assert [text[s:e] for s, e in unit.sentences] == ["The Brenn rose 3.2 metres.", "Council leader Ada Voss spoke.",
                                                      "Rain fell \u201cfor days\u201d on Marlow Vale."]  # fmt: skip
    words = [b"the", b"brenn", b"rose", b"3", b"2", b"metres", b"council"]
    assert unit.ids[:7].tolist() == [token_id(w) for w in words]
    # "Council" opens its sentence: a word, not a name; "The" is a function word
    assert unit.kinds[:7].tolist() == [0, NAME, WORD, NUMBER, NUMBER, WORD, WORD]


def test_a_credit_to_a_wire_written_with_a_hyphen_is_found():
    report = doc("According to Agence France-Presse, the levee near the old mill broke overnight.", "a", 2)
    assert (lineage_of(report)[0].role, lineage_of(report)[0].wire) == ("rewrite", "AFP")


# A scoop: the wire report names its sources' agency; the relaying outlet rewords the
# statement and gives it to "sources familiar with the plans".
WIRE_SCOOP = """The council of Marlow Vale will ask the national government for 40 million to rebuild the Brenn levee, two officials told Reuters on Wednesday.
Ada Voss, who leads the council, inspected the broken levee near the old mill by boat."""
RELAYED = """Marlow Vale's council is set to request 40 million from the national government to rebuild the Brenn levee, according to sources familiar with the plans.
Residents returned to the lower streets on Thursday as the water receded."""
OWN_REPORTING = """Marlow Vale's council will request 40 million from the national government to rebuild the Brenn levee, council leader Ada Voss said at a news conference.
Residents returned to the lower streets on Thursday as the water receded."""


def test_relaying_a_wire_scoop_from_unnamed_sources_derives_from_the_wire():
    wire, relayed = doc(WIRE_SCOOP, "a", 5), doc(RELAYED, "b", 5)
    result = dict(zip([wire.id, relayed.id], lineage_of(wire, relayed)))
    assert (result[relayed.id].role, result[relayed.id].derives_from, result[relayed.id].wire) == ("rewrite", None, "Reuters")
    [evidence] = result[relayed.id].evidence
    assert evidence["kind"] == "relayed-sources"
    assert relayed.text[evidence["span"]["start"] : evidence["span"]["end"]].endswith("familiar with the plans.")
    assert independent_sources(result, list(result)) == (1, ["Reuters"])


def test_the_same_statement_on_the_record_is_an_independent_report():
    wire, own = doc(WIRE_SCOOP, "a", 5), doc(OWN_REPORTING, "b", 5)
    result = dict(zip([wire.id, own.id], lineage_of(wire, own)))
    assert result[own.id].role == "original"
    assert independent_sources(result, list(result)) == (2, ["Reuters"])

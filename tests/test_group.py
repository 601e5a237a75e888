"""Grouping story segments into events (group.EventGrouper, group.cluster, group.stream).

All stories are invented: fictional outlets, people and places.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest

from newscollate.group import ClusterConfig, EventGrouper, event_id, group_components
from newscollate.group.cluster import _time_decay, shared_neighbours
from newscollate.group.features import feature_bag, segment_lines
from newscollate.model import Span
from newscollate.pipeline import Corpus, run

from .nlp_helpers import make_doc

DAY = date(2026, 3, 11)

COLLAPSE = """A footbridge over the Lenner river in Dunmore collapsed on Tuesday evening, injuring 14 people.
The bridge gave way as a crowd crossed to watch the lantern parade on the east bank.
Fire crews pulled several people from the shallow water within minutes, the county fire service said.
Mayor Oskar Lindqvist said the bridge had passed an inspection in the autumn.
"We will find out exactly why this happened," Lindqvist said.
Engineers from the Coastal Shipping Authority were sent to examine the broken cables.
The parade was cancelled and the east bank was closed to the public overnight."""

COLLAPSE_REWRITE = """Fourteen people were hurt when a pedestrian bridge across the Lenner river in Dunmore gave way on Tuesday night.
Witnesses said the footbridge was packed with families heading to the lantern parade when it collapsed.
The county fire service said its crews rescued people from the water in minutes.
Oskar Lindqvist, the mayor, said the structure had been inspected last autumn and judged safe.
Lindqvist promised a full investigation into the collapse.
The Coastal Shipping Authority has sent engineers to study the snapped cables.
Organisers cancelled the lantern parade and police sealed off the riverbank."""

FESTIVAL = """The Velmora chamber orchestra opened its spring festival on Saturday with a sold-out concert at the old grain hall.
Conductor Julia Haverford led the ensemble through a programme of new works by local composers.
More than 600 tickets were sold within an hour of going on sale, the festival office said.
The festival runs for nine days and includes free lunchtime recitals in the town library.
Haverford said she wanted the festival to bring younger audiences to classical music.
A children's choir from the Velmora music school will close the festival with a performance of folk songs."""

# A later story about the same bridge: the same names, a different event.
INQUIRY = """An independent inquiry into the Dunmore footbridge collapse began hearing evidence in the town hall.
Mayor Oskar Lindqvist told the panel that the bridge over the Lenner river had passed its autumn inspection.
Engineers from the Coastal Shipping Authority said corrosion had weakened two of the main cables.
Families of the people injured at the lantern parade attended the first session.
Lindqvist said the council would pay for a new bridge and for the victims' medical care.
The inquiry is expected to publish its findings before the end of the year."""


def group(*docs, mode="batch"):
    corpus = Corpus(list(docs))
    EventGrouper(mode=mode)(corpus)
    return corpus.events


def sources(events):
    """Each event as the sorted set of its documents' ids."""
    return sorted(sorted({s.doc for s in e.segments}) for e in events)


def test_rewrites_of_one_story_are_one_event_and_an_unrelated_story_another():
    a = make_doc(COLLAPSE, "Lenner Valley Post", DAY)
    b = make_doc(COLLAPSE_REWRITE, "Dunmore Evening Star", DAY + timedelta(days=1))
    c = make_doc(FESTIVAL, "Velmora Gazette", DAY)
    events = group(a, b, c)
    assert sources(events) == sorted([sorted([a.id, b.id]), [c.id]])
    # the best-covered event comes first, and every segment is in exactly one event
    assert set(events[0].document_ids) == {a.id, b.id}
    assert sorted((s.doc, s.start) for e in events for s in e.segments) == sorted(
        (s.doc, s.start) for d in (a, b, c) for s in d.spans("segments")
    )


def test_segments_of_one_document_never_share_an_event():
    # A page that glues two rewrites of the same story together: on their own
    # the two texts are one event (test above); as segments of one page they are not.
    glued = make_doc(COLLAPSE + "\n\n" + COLLAPSE_REWRITE, "Regional Roundup", DAY, split_segments=True)
    other = make_doc(FESTIVAL, "Velmora Gazette", DAY)
    assert len(glued.spans("segments")) == 2
    events = group(glued, other)
    assert len(events) == 3
    for event in events:
        docs = [s.doc for s in event.segments]
        assert len(docs) == len(set(docs))


def test_segments_of_one_document_can_join_other_documents_events():
    glued = make_doc(COLLAPSE + "\n\n" + FESTIVAL, "Regional Roundup", DAY, split_segments=True)
    rewrite = make_doc(COLLAPSE_REWRITE, "Dunmore Evening Star", DAY)
    events = group(glued, rewrite)
    assert len(events) == 2
    collapse_segment, festival_segment = glued.spans("segments")
    [joint] = [e for e in events if len(e.segments) == 2]
    assert set(joint.segments) == {collapse_segment, *rewrite.spans("segments")}


@pytest.mark.parametrize("gap_days, expected_events", [(1, 1), (28, 2)])
def test_similarity_decays_with_the_gap_between_publication_dates(gap_days, expected_events):
    first = make_doc(COLLAPSE, "Lenner Valley Post", DAY)
    later = make_doc(INQUIRY, "Dunmore Evening Star", DAY + timedelta(days=gap_days))
    assert len(group(first, later)) == expected_events


def test_documents_without_a_date_are_not_penalised():
    first = make_doc(COLLAPSE, "Lenner Valley Post", DAY)
    undated = make_doc(INQUIRY, "Dunmore Evening Star", None)
    assert len(group(first, undated)) == 1


def test_time_decay_factor():
    days = np.array([DAY.toordinal() + d for d in (0, 3, 10)] + [np.nan])
    decay = _time_decay(days, ClusterConfig(same_days=3.0, half_life_days=7.0))
    assert decay[0, 1] == 1.0  # within same_days
    assert decay[0, 2] == pytest.approx(0.5)  # 10 days: 7 beyond same_days, one half-life
    assert decay[1, 2] == pytest.approx(0.5 ** (4 / 7))
    assert decay[0, 3] == decay[3, 3] == 1.0  # no date, no penalty
    assert np.allclose(decay, decay.T)


def test_event_ids_are_stable_and_named_after_the_founding_segment():
    texts = [(COLLAPSE, "Lenner Valley Post"), (COLLAPSE_REWRITE, "Dunmore Evening Star"), (FESTIVAL, "Velmora Gazette")]
    first = group(*(make_doc(t, s, DAY) for t, s in texts))
    again = group(*(make_doc(t, s, DAY) for t, s in texts))
    assert sorted(e.id for e in first) == sorted(e.id for e in again)
    assert len({e.id for e in first}) == 2
    spans = [Span("d1", 0, 5), Span("d2", 3, 9)]
    assert event_id(spans) == event_id(spans[:1]) != event_id(list(reversed(spans)))
    assert event_id(spans, whole=True) == event_id(list(reversed(spans)), whole=True) != event_id(spans)


def test_no_segments_no_events():
    doc = make_doc(COLLAPSE)
    doc.layers.pop("segments")
    corpus = Corpus([doc])
    corpus.events = ["stale"]
    EventGrouper()(corpus)
    assert corpus.events == []


def test_unknown_mode_is_refused():
    with pytest.raises(ValueError, match="mode"):
        EventGrouper(mode="online")


# --- features -------------------------------------------------------------------------------------


def test_names_are_capitalised_words_inside_a_sentence_or_before_another_name():
    bag = feature_bag(["Oskar Lindqvist, the mayor, spoke. The bridge fell on Tuesday and 14 were hurt."])
    assert {"E:oskar", "E:lindqvist", "P:oskar_lindqvist"} <= set(bag)
    assert "E:the" not in bag and "E:tuesday" not in bag  # sentence-initial grammar, calendar words
    assert "N:14" in bag and "the" not in bag  # numbers kept, stop words dropped
    assert bag.count("P:oskar_lindqvist") == 2  # a full name counts double


def test_removed_lines_are_not_features():
    doc = make_doc("Bridge collapses in Dunmore\nSubscribe to the Lenner Valley Post\nFourteen people were hurt.")
    doc.add("removed", 28, 63, "junk")
    [segment] = doc.spans("segments")
    assert list(segment_lines(doc, segment)) == ["Bridge collapses in Dunmore", "Fourteen people were hurt."]


# --- shared neighbours ------------------------------------------------------------------------------


def test_shared_neighbours_counts_common_nearest_neighbours():
    # two tight pairs {0,1} and {2,3}, each item closest to its partner
    similarity = np.array([[1, 0.9, 0.2, 0.1], [0.9, 1, 0.3, 0.1], [0.2, 0.3, 1, 0.8], [0.1, 0.1, 0.8, 1]])
    snn = shared_neighbours(similarity, 1)
    assert snn[0, 1] == snn[2, 3] == 1.0  # {0,1} and {1,0}
    assert snn[0, 2] == 0.0
    assert snn[1, 2] == 0.0


# --- stream mode --------------------------------------------------------------------------------------


def test_stream_mode_assigns_later_batches_to_existing_events_with_stable_ids():
    grouper = EventGrouper(mode="stream")
    first = Corpus([make_doc(COLLAPSE, "Lenner Valley Post", DAY), make_doc(FESTIVAL, "Velmora Gazette", DAY)])
    grouper(first)
    ids = {e.document_ids[0]: e.id for e in first.events}
    later = make_doc(COLLAPSE_REWRITE, "Dunmore Evening Star", DAY + timedelta(days=1))
    second = Corpus([later])
    grouper(second)
    [grown] = second.events  # only the changed event is reported, with all its segments
    assert grown.id == ids[first.documents[0].id]
    assert set(grown.document_ids) == {first.documents[0].id, later.id}
    assert first.documents[0].id in second.context  # earlier documents it cites come along


def test_stream_window_is_bounded():
    from newscollate.group import GroupConfig, WindowConfig

    grouper = EventGrouper(GroupConfig(window=WindowConfig(max_items=2)), mode="stream")
    for n, text in enumerate((COLLAPSE, FESTIVAL, INQUIRY, COLLAPSE_REWRITE)):
        grouper(Corpus([make_doc(text, f"Outlet {n}", DAY)]))
    assert len(grouper.stream.window) == 2


def test_group_components_set_events_and_lineage():
    a = make_doc(COLLAPSE, "Lenner Valley Post", DAY)
    copy = make_doc(COLLAPSE + "\nShare this story", "Dunmore Evening Star", DAY + timedelta(days=1))
    corpus = run([a, copy], group_components())
    [event] = corpus.events
    lineage = event.data["lineage"]
    assert lineage[a.id].role == "original"
    assert (lineage[copy.id].role, lineage[copy.id].derives_from) == ("copy", a.id)


def test_cleaning_in_a_worker_process_gives_the_same_layers():
    from newscollate.pipeline import cleaned_batches

    texts = [COLLAPSE + "\nSubscribe to our newsletter", COLLAPSE_REWRITE, FESTIVAL, INQUIRY]
    batches = [[make_doc(t, f"Outlet {i}", DAY) for i, t in enumerate(texts[:2])], [make_doc(t, "Other", DAY) for t in texts[2:]]]
    for doc in (d for batch in batches for d in batch):
        doc.layers.clear()
    here = [[(d.id, {k: list(v) for k, v in d.layers.items()}) for d in b] for b in cleaned_batches(batches, background=False)]
    for batch in batches:
        for doc in batch:
            doc.layers.clear()
    there = [[(d.id, d.layers) for d in b] for b in cleaned_batches(batches, background=True)]
    assert there == here
    assert here[0][0][1]["removed"]


def test_the_worker_reads_every_segment_as_this_process_would():
    from newscollate.group.readings import reading
    from newscollate.pipeline import cleaned_batches

    batch = [make_doc(t, f"Outlet {i}", DAY) for i, t in enumerate((COLLAPSE + "\nSubscribe to our newsletter", INQUIRY))]
    for doc in batch:
        doc.layers.clear()
    [there] = cleaned_batches([batch], background=True)
    for doc in there:
        made_there = dict(doc.cache["group.readings"])
        assert set(made_there) == {(s.start, s.end) for s in doc.spans("segments")}
        doc.cache.clear()
        for (start, end), theirs in made_there.items():
            ours = reading(doc, Span(doc.id, start, end))
            assert np.array_equal(ours.signature, theirs.signature) and np.array_equal(ours.unit.ids, theirs.unit.ids)
            assert np.array_equal(ours.feature_ids, theirs.feature_ids) and ours.unit.sentences == theirs.unit.sentences
            assert reading(doc, Span(doc.id, start, end)) is ours  # read once, then kept with the document


def test_a_copy_joins_its_sources_event_before_clustering_and_follows_it():
    grouper = EventGrouper(mode="stream")
    source = make_doc(COLLAPSE, "Lenner Valley Post", DAY)
    grouper(Corpus([source, make_doc(FESTIVAL, "Velmora Gazette", DAY)]))
    copy = make_doc("Dunmore Evening Star\n" + COLLAPSE, "Dunmore Evening Star", DAY)
    copy.add("removed", 0, len("Dunmore Evening Star"), "junk")  # the masthead the clean stage removes
    corpus = Corpus([copy])
    grouper(corpus)
    [event] = corpus.events
    assert set(event.document_ids) == {source.id, copy.id}
    [item] = [i for i in grouper.stream._window if i.doc.id == copy.id]
    assert item.source is not None and item.source.doc.id == source.id  # a copy is not clustered

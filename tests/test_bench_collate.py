"""bench/collate.py: the controlled changes, the rewrites that keep facts, the scoring, ECB+ mention offsets."""

import random
import re
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
ECBPLUS = REPO.parent / "shared" / "data" / "ecbplus"
sys.path.insert(0, str(REPO / "bench"))

from _collate_eval import gold_pairs, one_per_document_ceiling, predicted_pairs, prf, score_perturbation  # noqa: E402
from _ecbplus import load_ecbplus  # noqa: E402
from _perturb import find_targets, other_number, standalone_numbers  # noqa: E402
from _rewrite import Parsed, Target, rewrite  # noqa: E402

TEXT = (
    "Fire guts Harbour Town depot\n"
    "Police said 14 people were hurt when the depot burned on Monday in Harbour Town.\n"
    '"We were lucky to get out of the building alive," said fire chief Ella Brandt.\n'
    "The mayor, Tom Keller, thanked the crews on March 5, and Keller promised $5 million for repairs.\n"
)


def span(text: str, words: str, label: str = "") -> tuple:
    start = text.index(words)
    return (start, start + len(words), label) if label else (start, start + len(words))


def parsed() -> Parsed:
    lines, start = [], 0
    for line in TEXT.split("\n")[:-1]:
        lines.append((start, start + len(line)))
        start += len(line) + 1
    entities = [span(TEXT, "14", "CARDINAL"), span(TEXT, "Monday", "DATE"), span(TEXT, "Ella Brandt", "PERSON"),
                span(TEXT, "Tom Keller", "PERSON"), span(TEXT, "March 5", "DATE"),
                span(TEXT, "$5 million", "MONEY")]  # fmt: skip
    return Parsed(lines, entities, measured=[span(TEXT, "14 people")])


def targets() -> dict[str, list[Target]]:
    return find_targets(TEXT, parsed(), random.Random(3), ["Priya Natarajan", "Omar Haddad"])


def changed_copy(target: Target) -> tuple[str, str, list[tuple[int, int]]]:
    """The rewrite, and the rewrite with ``target``'s change and where the change lies."""
    rewritten = rewrite(TEXT, parsed(), random.Random(5), 0.9, [target])
    plain, _ = rewritten.render()
    changed_text, changed = rewritten.render(target)
    return plain, changed_text, changed


def test_the_rewrite_rewords_but_keeps_every_fact():
    plain, _ = rewrite(TEXT, parsed(), random.Random(5), 0.9).render()
    assert plain != TEXT and len(plain.splitlines()) == len(TEXT.splitlines())
    for fact in ("14 people", "Monday", "Ella Brandt", "Tom Keller", "March 5", "$5 million",
                 '"We were lucky to get out of the building alive,"'):  # fmt: skip
        assert fact in plain


def test_a_change_the_rewrite_did_not_keep_is_refused():
    burned = span(TEXT, "burned")
    target = Target("date", (burned,), ("froze",), burned)
    with pytest.raises(ValueError, match="outside the kept characters"):
        rewrite(TEXT, parsed(), random.Random(5), 0.9).render(target)
    changed_text, changed = rewrite(TEXT, parsed(), random.Random(5), 0.9, [target]).render(target)
    assert [changed_text[a:b] for a, b in changed] == ["froze"]


@pytest.mark.parametrize("kind", ["number", "date", "name", "quote"])
def test_each_change_replaces_exactly_its_spans(kind):
    found = targets()[kind]
    assert found and all(t.spans for t in found), kind
    for target in found:
        plain, changed_text, changed = changed_copy(target)
        assert len(changed) == len(target.spans)
        assert [changed_text[a:b] for a, b in changed] == list(target.replacements)
        assert all(TEXT[a:b] != new for (a, b), new in zip(target.spans, target.replacements))
        # outside the changed spans the copy is the plain rewrite
        rebuilt, last = [], 0
        for (a, b), (start, end) in zip(target.spans, changed):
            rebuilt.append(changed_text[last:start] + TEXT[a:b])
            last = end
        assert "".join(rebuilt) + changed_text[last:] == plain


def test_what_each_kind_changes():
    found = targets()
    assert {TEXT[a:b] for t in found["number"] for a, b in t.spans} == {"14", "5"}
    for t in found["number"]:
        assert re.fullmatch(r"\d+", t.replacements[0])
    # "March 5" is a date, not a number: its day is a date change
    assert sorted(TEXT[a:b] for t in found["date"] for a, b in t.spans) == ["5", "Monday"]
    keller = next(t for t in found["name"] if "Tom Keller" in [TEXT[a:b] for a, b in t.spans])
    assert [TEXT[a:b] for a, b in keller.spans] == ["Tom Keller", "Keller"]  # every mention in the sentence
    first, last = keller.replacements[0].split()
    assert keller.replacements[1] == last and first + " " + last in ("Priya Natarajan", "Omar Haddad")
    quote = TEXT.index('"We'), TEXT.index('alive,"')
    for t in found["quote"]:
        assert 1 <= len(t.spans) <= 3 and all(quote[0] < a and b <= quote[1] for a, b in t.spans)


def test_sources_of_reported_speech_keep_their_names_but_speakers_of_quotations_do_not():
    base = parsed()
    sources = [span(TEXT, "Ella Brandt"), span(TEXT, "Tom Keller")]
    with_sources = Parsed(base.sentences, base.entities, base.measured, sources=sources)
    found = find_targets(TEXT, with_sources, random.Random(3), ["Priya Natarajan", "Omar Haddad"])["name"]
    assert [TEXT[a:b] for t in found for a, b in t.spans] == ["Ella Brandt"]


def test_other_number_keeps_the_form():
    rng = random.Random(1)
    for _ in range(20):
        assert re.fullmatch(r"\d{1,3}(,\d{3})+", other_number("1,200", set(), rng))
        assert re.fullmatch(r"\d+\.\d", other_number("3.5", set(), rng))
        assert other_number("three", set(), rng).isalpha()
        assert other_number("Three", set(), rng)[0].isupper()
        assert other_number("14", {float(v) for v in range(1, 100) if v != 20}, rng) in ("20", None)
    assert other_number("2008", set(), rng) is None  # a year


def test_split_numbers_and_ranges_are_left_alone():
    for text, expected in [("100, 000 gallons", []), ("a 6. 7 quake", []), ("10 000 fans", []), ("a 43-39 record", []),
                           ("$145 million to $175 million", []), ("10 to 12 films", []), ("$140- $150 million", []),
                           ("in 2008, 14 people", ["2008", "14"]), ("1,200 people and 3.5%", ["1,200", "3.5"]),
                           ("178 of 369 punches", ["178", "369"])]:  # fmt: skip
        assert [m.group() for m in standalone_numbers(text, 0, len(text))] == expected


def brief_event(*discrepancies: dict) -> dict:
    return {"claims": [], "discrepancies": list(discrepancies)}


def discrepancy(kind: str, *variants: tuple[str, str, int, int]) -> dict:
    found = [{"value": v, "support": [{"doc": d, "start": s, "end": e}]} for v, d, s, e in variants]
    return {"kind": kind, "subject": "x", "variants": found}


def test_a_discrepancy_citing_the_change_is_a_true_positive():
    hit = discrepancy("number", ("14 people", "x", 40, 49), ("17 people", "x2", 42, 51))
    score = score_perturbation(brief_event(hit), "number", "x2", [(42, 44)])
    assert score.detected and score.true_positives == {"number": 1} and not score.false_positives


def test_other_discrepancies_are_false_positives_of_their_kind():
    elsewhere = discrepancy("number", ("3 cars", "x", 100, 106), ("4 cars", "x2", 110, 116))
    wrong_kind = discrepancy("quote", ("a b c", "x", 30, 45), ("a b d", "x2", 30, 45))
    score = score_perturbation(brief_event(elsewhere, wrong_kind), "number", "x2", [(42, 44)])
    assert not score.detected
    assert score.false_positives == {"number": 1, "quote": 1} and not score.true_positives
    assert score.unmatched[0] == ("number", ("3 cars", "4 cars"))


def test_alignment_pairs_and_their_ceiling():
    lines = {"a": [(0, 10), (11, 20), (21, 30)], "b": [(0, 10), (11, 20)]}
    instances = {("a", 0): {"ACT1"}, ("a", 1): {"ACT1"}, ("b", 0): {"ACT1"}, ("b", 1): {"ACT2"}}
    gold = gold_pairs(instances)
    assert gold == {frozenset({("a", 0), ("b", 0)}), frozenset({("a", 1), ("b", 0)})}
    assert one_per_document_ceiling(gold) == 1  # b's sentence 0 can join one of a's in a claim
    event = {"claims": [
        {"support": [{"doc": "a", "start": 12, "end": 19}, {"doc": "b", "start": 0, "end": 9}]},
        {"support": [{"doc": "a", "start": 22, "end": 29}, {"doc": "b", "start": 11, "end": 15}]},
    ]}  # fmt: skip
    predicted = predicted_pairs(event, lines, set(instances))
    assert predicted == {frozenset({("a", 1), ("b", 0)})}  # a's sentence 2 has no gold mention: not scored
    assert prf(len(predicted & gold), len(predicted), len(gold)) == {"precision": 1.0, "recall": 0.5, "f1": 0.6667}


def test_ecbplus_mentions_are_character_spans_of_the_text(tmp_path):
    (tmp_path / "4").mkdir()
    tokens = [("1", "0", "http"), ("2", "0", "://x"), ("3", "1", "Rescuers"), ("4", "1", "found"), ("5", "1", "``"),
              ("6", "1", "two"), ("7", "1", "''"), ("8", "1", "."), ("9", "2", "They"), ("10", "2", "found"),
              ("11", "2", "them")]  # fmt: skip
    xml = "<Document>" + "".join(f'<token t_id="{t}" sentence="{s}" number="0">{w}</token>' for t, s, w in tokens)
    xml += (
        '<Markables><ACTION_OCCURRENCE m_id="1"><token_anchor t_id="4"/></ACTION_OCCURRENCE>'
        '<ACTION_OCCURRENCE m_id="2"><token_anchor t_id="10"/><token_anchor t_id="11"/></ACTION_OCCURRENCE>'
        '<HUMAN_PART_PER m_id="3"><token_anchor t_id="6"/></HUMAN_PART_PER>'
        '<ACTION_OCCURRENCE m_id="4" instance_id="ACT77"/><HUMAN_PART_PER m_id="5" instance_id="HUM9"/></Markables>'
        '<Relations><CROSS_DOC_COREF r_id="1" note="ACT77"><source m_id="1"/><source m_id="2"/>'
        '<target m_id="4"/></CROSS_DOC_COREF>'
        '<INTRA_DOC_COREF r_id="2"><source m_id="3"/><target m_id="3"/></INTRA_DOC_COREF>'
        '<CROSS_DOC_COREF r_id="3" note="HUM9"><source m_id="3"/><target m_id="5"/></CROSS_DOC_COREF>'
        "</Relations></Document>"
    )
    (tmp_path / "4" / "4_1ecbplus.xml").write_text(xml, encoding="utf-8")
    doc = load_ecbplus(tmp_path)[0]
    assert doc.text == 'Rescuers found "two".\nThey found them\n' and doc.url == "http://x"
    assert [doc.text[a:b] for a, b in doc.lines] == ['Rescuers found "two".', "They found them"]
    assert [(m.instance, doc.text[m.start : m.end], m.line) for m in doc.mentions] == [
        ("ACT77", "found", 0), ("HUM9", "two", 0), ("ACT77", "found them", 1)
    ]  # fmt: skip


@pytest.mark.skipif(not ECBPLUS.is_dir(), reason="needs ../shared/data/ecbplus")
def test_ecbplus_event_mentions_lie_in_their_lines():
    for doc in load_ecbplus(ECBPLUS, topics=[1]):
        for mention in doc.mentions:
            start, end = doc.lines[mention.line]
            assert start <= mention.start < mention.end <= end


@pytest.mark.skipif(not ECBPLUS.is_dir(), reason="needs ../shared/data/ecbplus")
def test_perturbation_bench_runs_on_one_topic():
    from collate import evaluate_perturbations, perturbation_set

    groups, replaced = perturbation_set(load_ecbplus(ECBPLUS, topics=[1]), None, per_event=1, rate=0.5, seed=7)
    assert len(groups) == 2 and all(0 < r < 1 for r in replaced)
    results = evaluate_perturbations(groups)
    counts = results["counts"]
    assert sum(c["perturbations"] for c in counts.values()) == sum(len(g["changes"]) for g in groups) > 0
    for kind, scores in results["discrepancies"].items():
        assert 0 <= scores["precision"] <= 1 and 0 <= scores["recall"] <= 1
        assert counts[kind]["detected"] <= counts[kind]["perturbations"]
    assert results["controls"]["claims"] > 0

"""Collation benchmark: are injected discrepancies found, do claims align as ECB+ coreference says, how fast?

Discrepancies.  Source documents X are drawn with a fixed seed: a few per ECB+
gold event (``--per-event``; a gold event is a topic and half: reports of one
real event) and the seed documents.  Each X gets a fact-preserving rewrite X'
(``bench/_rewrite.py``: every sentence reworded with ``bench/_paraphrase.py``'s
thesaurus and function-word swaps, never split or merged, while people's names,
numbers with the noun phrase they count, date words and quotations stay exactly
as written), and copies X'' of X' with exactly one controlled change of one
kind, in a sentence that states something: ``number`` (a count, amount or share
gets another value of the same form, unit kept; not a year, an end of a range
or a number inside a quotation), ``date`` (a weekday becomes another, or a
month-day date another day; not the date of a report, "said on Friday", which
the brief leaves alone by design), ``name`` (a person the spaCy model tags as
one, every word a proper noun, becomes a person of another ECB+ topic, at every
mention in that sentence; not the source of reported speech, "X said ...",
which the brief does not compare either, but the speaker of a quotation) or
``quote`` (1-3 lower-case words of a quotation a verb of saying attributes
become thesaurus synonyms).  Each pair is collated as one event: the group
stage is replaced by the pair, every other stage runs as in the pipeline; the
documents of one X go through the pipeline together (X is cleaned and annotated
once) and carry the same publication date.  Scored from the brief (examples of
misses and false positives are printed, from ECB+ sources only, never written
to the report):

* control X + X': every discrepancy reported is a false alarm; reported per
  1,000 claims of the controls' events;
* changed X + X'': a discrepancy of the change's kind with a variant whose
  support overlaps the changed characters of X'' is a true positive; recall of
  a kind is the share of its changes with one; precision of a kind is its true
  positives over all discrepancies of that kind reported in changed pairs
  (any other discrepancy there, whatever its kind, is a false positive of its
  kind, also one the control pair of the same X raised).

Claim alignment against ECB+ cross-document event coreference.  All documents
of each gold event are collated as one event.  A gold sentence is an ECB+
sentence with at least one event mention (an ``ACT`` instance of a
``CROSS_DOC_COREF`` relation; ECB+ annotates only some sentences, and only
these are scored).  Two gold sentences of different documents are a gold pair
when they mention one instance; a predicted pair when one claim's support
holds both (a support span belongs to the gold sentence holding its start).
Pair precision, recall and F1 are pooled over events.  A claim holds one
sentence per document, so recall has a ceiling below 1 (a maximum matching of
each document pair's gold pairs), reported beside it.

Speed.  The largest ECB+ gold event's documents, filled up to 50 with
translated rewrites (``bench/_paraphrase.py``) of them, collated as one event;
the collate stage's wall time (median of 3 runs) is ``seconds_50_docs``, the
NLP stage's is reported beside it (spaCy's small English model, on two worker
processes: an input of 200 distinct paragraphs or more is parsed in parallel).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from _collate_eval import (  # noqa: E402
    collate_clusters,
    gold_pairs,
    one_per_document_ceiling,
    predicted_pairs,
    prf,
    score_perturbation,
    signature,
)
from _ecbplus import EcbDoc, EcbLayoutError, load_ecbplus  # noqa: E402
from _paraphrase import content_replaced, translate  # noqa: E402
from _perturb import KINDS, find_targets  # noqa: E402
from _rewrite import Target, rewrite, spacy_parser  # noqa: E402
from _collate_report import BEGIN, END, section  # noqa: E402
from _report import replace_section  # noqa: E402

from newscollate.ingest import ingest  # noqa: E402
from newscollate.model import Document, Metadata  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "seeds"
SPEED_DOCS, SPEED_RUNS = 50, 3
FULL_NAME = re.compile(r"[A-Z][a-z]+ [A-Z][a-z]{2,}")


@dataclass
class Source:
    """A document X the perturbations start from."""

    name: str
    topic: str
    text: str
    from_seeds: bool


def by_gold_event(ecb: list[EcbDoc]) -> dict[str, list[EcbDoc]]:
    by_event: dict[str, list[EcbDoc]] = defaultdict(list)
    for doc in ecb:
        by_event[doc.gold].append(doc)
    return by_event


def sources(ecb: list[EcbDoc], seeds: Path | None, per_event: int, rng: random.Random) -> list[Source]:
    """``per_event`` documents of each gold event, then the documents of the ``seeds`` folder."""
    by_event = by_gold_event(ecb)
    chosen = []
    for gold in sorted(by_event):
        for doc in rng.sample(by_event[gold], min(per_event, len(by_event[gold]))):
            chosen.append(Source(doc.name, str(doc.topic), doc.text, False))
    if seeds is not None:
        chosen += [Source(Path(d.path).name, "seeds", d.text, True) for d in ingest([str(seeds)]).documents]
    return chosen


def perturbation_set(
    ecb: list[EcbDoc], seeds: Path | None, per_event: int, rate: float, seed: int
) -> tuple[list[dict], list[float]]:
    """Per source: its documents (X, X', then one X'' per kind it has a candidate for) and what each X'' changed;
    and the share of each source's content words its rewrite replaced."""
    rng = random.Random(seed)
    parse = spacy_parser()
    chosen = sources(ecb, seeds, per_event, rng)
    parsed = [parse(s.text) for s in chosen]
    # people to rename others as: full names the model tags as a person in two ECB+ sources or more
    seen: dict[str, set[tuple[str, str]]] = defaultdict(set)  # name -> (topic, source)
    for source, found in zip(chosen, parsed):
        for a, b, label in found.entities:
            if label == "PERSON" and not source.from_seeds and FULL_NAME.fullmatch(source.text[a:b]):
                seen[source.text[a:b]].add((source.topic, source.name))
    topics_of = {name: {topic for topic, _ in found} for name, found in seen.items() if len(found) > 1}
    groups, replaced = [], []
    for source, found in zip(chosen, parsed):
        names = sorted(name for name, topics in topics_of.items() if source.topic not in topics)
        targets = find_targets(source.text, found, rng, names)
        rewritten = rewrite(source.text, found, rng, rate, [t for ts in targets.values() for t in ts])
        text, _ = rewritten.render()
        replaced.append(content_replaced(source.text, text))
        published = date(2024, 1, 1) + timedelta(days=rng.randint(0, 365))
        docs = [Document.from_text(source.text, source.name, Metadata(published=published)),
                Document.from_text(text, source.name + "~rewrite", Metadata(published=published))]  # fmt: skip
        changes = []
        for kind, candidates in targets.items():
            if candidates:
                target = rng.choice(candidates)
                changed_text, changed = rewritten.render(target)
                meta = Metadata(published=published)
                docs.append(Document.from_text(changed_text, f"{source.name}~{kind}", meta))
                changes.append((target, changed))
        groups.append({"source": source, "docs": docs, "changes": changes})
    return groups, replaced


def evaluate_perturbations(groups: list[dict]) -> dict:
    counts: dict[str, Counter] = {kind: Counter() for kind in KINDS}
    true_positives, false_positives, repeated = Counter(), Counter(), Counter()
    cases: dict[str, dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))  # kind -> case -> detected -> n
    control = Counter()
    misses: dict[str, list[str]] = defaultdict(list)
    unmatched: dict[str, list[str]] = defaultdict(list)
    alarms: list[str] = []
    for group in groups:
        docs, changes, source = group["docs"], group["changes"], group["source"]
        brief = collate_clusters(docs, [[0, 1]] + [[0, k] for k in range(2, len(docs))])
        events = {e["id"]: e for e in brief["events"]}
        control_event = events["c0"]
        control["claims"] += len(control_event["claims"])
        control["aligned_claims"] += sum(1 for c in control_event["claims"] if c["documents"] > 1)
        control["discrepancies"] += len(control_event["discrepancies"])
        raised = {signature(d) for d in control_event["discrepancies"]}
        if not source.from_seeds:  # seed texts stay out of the report
            alarms += [shown(signature(d)) for d in control_event["discrepancies"]]
        for k, (target, changed) in enumerate(changes, start=2):
            score = score_perturbation(events[f"c{k - 1}"], target.kind, docs[k].id, changed)
            counts[target.kind]["n"] += 1
            counts[target.kind]["detected"] += score.detected
            cases[target.kind][target.case][score.detected] += 1
            counts[target.kind]["seeds"] += source.from_seeds
            true_positives.update(score.true_positives)
            false_positives.update(score.false_positives)
            repeated.update(kind for kind, values in score.unmatched if (kind, values) in raised)
            if not source.from_seeds:
                if not score.detected:
                    misses[target.kind].append(describe(source.text, target, docs[k].text, changed))
                for kind, values in score.unmatched:
                    unmatched[kind].append(shown((kind, values)))
    discrepancies = {}
    for kind in KINDS:
        reported = true_positives[kind] + false_positives[kind]
        discrepancies[kind] = {
            "precision": round(true_positives[kind] / reported, 4) if reported else 0.0,
            "recall": round(counts[kind]["detected"] / counts[kind]["n"], 4) if counts[kind]["n"] else 0.0,
        }
    return {
        "discrepancies": discrepancies,
        "false_alarms_per_1000_claims": round(1000 * control["discrepancies"] / max(1, control["claims"]), 2),
        "counts": {
            kind: {"perturbations": counts[kind]["n"], "from_seeds": counts[kind]["seeds"],
                   "detected": counts[kind]["detected"], "true_positive_discrepancies": true_positives[kind],
                   "false_positive_discrepancies": false_positives[kind],
                   "false_positives_raised_in_control_too": repeated[kind]}
            for kind in KINDS
        },  # fmt: skip
        "recall_by_case": {
            kind: {case: {"changes": n[True] + n[False], "recall": round(n[True] / (n[True] + n[False]), 4)}
                   for case, n in sorted(by_case.items())}
            for kind, by_case in cases.items()
        },  # fmt: skip
        "controls": {"clusters": len(groups), **control},
        "examples": {"misses": misses, "false_positives": {k: unique(v) for k, v in unmatched.items()},
                     "false_alarms": unique(alarms)},  # fmt: skip
    }


def shown(found: tuple[str, tuple[str, ...]]) -> str:
    """A finding as the report shows it: its kind and the start of each variant's value."""
    return f"{found[0]}: " + " / ".join(value if len(value) <= 40 else value[:40] + "…" for value in found[1])


def unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def describe(source: str, target: Target, changed_text: str, changed: list[tuple[int, int]]) -> str:
    before = ", ".join(source[a:b] for a, b in target.spans)
    after = ", ".join(changed_text[a:b] for a, b in changed)
    return f"{before} -> {after} ({target.case})"


def evaluate_alignment(ecb: list[EcbDoc], max_docs: int) -> dict:
    by_event = by_gold_event(ecb)
    found = predicted_total = gold_total = ceiling = scored_total = 0
    for gold_event in sorted(by_event):
        members = by_event[gold_event][: max_docs or None]
        docs, lines, instances = [], {}, {}
        for member in members:
            doc = Document.from_text(member.text, member.name, Metadata())
            if doc.id in lines:
                continue  # the same text twice in ECB+: one document
            docs.append(doc)
            lines[doc.id] = list(member.lines)
            for mention in member.mentions:
                if mention.instance.startswith("ACT"):
                    instances.setdefault((doc.id, mention.line), set()).add(mention.instance)
        event = collate_clusters(docs, [list(range(len(docs)))])["events"][0]
        predicted, gold = predicted_pairs(event, lines, set(instances)), gold_pairs(instances)
        found += len(predicted & gold)
        predicted_total += len(predicted)
        gold_total += len(gold)
        ceiling += one_per_document_ceiling(gold)
        scored_total += len(instances)
    return prf(found, predicted_total, gold_total) | {
        "recall_ceiling": round(ceiling / gold_total, 4) if gold_total else 0.0,
        "counts": {"events": len(by_event), "gold_sentences": scored_total, "gold_pairs": gold_total,
                   "predicted_pairs": predicted_total, "correct_pairs": found},  # fmt: skip
    }


def evaluate_speed(ecb: list[EcbDoc], seed: int) -> dict:
    rng = random.Random(seed)
    by_event = by_gold_event(ecb)
    largest = max(sorted(by_event), key=lambda gold: len(by_event[gold]))
    texts = [doc.text for doc in by_event[largest]]
    for i in range(SPEED_DOCS - len(texts)):
        texts.append("\n".join(translate(texts[i % len(by_event[largest])].splitlines(), rng)) + "\n")
    nlp, collate = [], []
    for _ in range(SPEED_RUNS):
        docs = [Document.from_text(text, f"speed/{i}", Metadata()) for i, text in enumerate(texts)]
        timings: dict[str, float] = {}
        collate_clusters(docs, [list(range(len(docs)))], timings)
        nlp.append(timings["nlp"])
        collate.append(timings["collate"])
    return {"event": largest, "ecb_documents": len(by_event[largest]), "documents": len(texts),
            "collate_seconds": round(statistics.median(collate), 3),
            "nlp_seconds": round(statistics.median(nlp), 3)}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="the ECB+ folder (<topic>/<topic>_<n>ecb[plus].xml)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--per-event", type=int, default=2, help="source documents drawn from each ECB+ gold event")
    parser.add_argument("--reword-rate", type=float, default=0.5, help="share of thesaurus words the rewrites replace")
    parser.add_argument("--align-docs", type=int, default=0,
                        help="documents of each gold event collated for alignment (0: all)")  # fmt: skip
    parser.add_argument("--topics", type=lambda v: [int(t) for t in v.split(",")],
                        help="only these ECB+ topics (comma-separated)")  # fmt: skip
    parser.add_argument("--no-seeds", action="store_true", help="leave the seed documents out of the perturbation set")
    parser.add_argument("--json", type=Path, help="write the scores here")
    parser.add_argument("--write", type=Path, help="replace the collate section of this Markdown file")
    args = parser.parse_args(argv)
    if not args.no_seeds and not SEEDS.is_dir():
        parser.error(f"{SEEDS} not found (or pass --no-seeds)")
    marks = [time.perf_counter()]
    try:
        ecb = load_ecbplus(args.data, args.topics)
    except EcbLayoutError as exc:
        sys.exit(f"error: {exc}")
    seeds = None if args.no_seeds else SEEDS
    groups, replaced = perturbation_set(ecb, seeds, args.per_event, args.reword_rate, args.seed)
    perturbations = evaluate_perturbations(groups)
    marks.append(time.perf_counter())
    alignment = evaluate_alignment(ecb, args.align_docs)
    marks.append(time.perf_counter())
    speed = evaluate_speed(ecb, args.seed)
    marks.append(time.perf_counter())
    parts = dict(zip(("perturbations", "alignment", "speed"), (round(b - a) for a, b in zip(marks, marks[1:]))))
    results = {"perturbations": perturbations, "alignment": alignment, "speed": speed | {"runs": SPEED_RUNS},
               "rewrite_content_replaced": replaced, "sources_per_event": args.per_event, "seconds": parts}  # fmt: skip
    summary = {
        "discrepancies": perturbations["discrepancies"],
        "false_alarms_per_1000_claims": perturbations["false_alarms_per_1000_claims"],
        "alignment": {k: alignment[k] for k in ("precision", "recall", "f1")},
        "seconds_50_docs": speed["collate_seconds"],
    }
    print(json.dumps(summary | {"counts": perturbations["counts"], "controls": perturbations["controls"],
                                "alignment_counts": alignment["counts"], "speed": speed,
                                "examples": perturbations["examples"]}, indent=1))  # fmt: skip
    if args.json:
        args.json.write_text(json.dumps(summary | {"details": results}, indent=2))
    if args.write:
        command = ".venv/bin/python bench/collate.py " + " ".join(sys.argv[1:] if argv is None else argv)
        replace_section(args.write, BEGIN, END, section(results, command, __doc__))
    return 0


if __name__ == "__main__":
    sys.exit(main())

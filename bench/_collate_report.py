"""The collate benchmark's section of docs/benchmarks.md (bench/collate.py computes the results)."""

from __future__ import annotations

import statistics

from _perturb import KINDS
from _report import machine_line, markdown

BEGIN, END = "<!-- bench:collate:begin -->", "<!-- bench:collate:end -->"


def section(results: dict, command: str, method: str) -> str:
    """The Markdown section: ``method`` (the benchmark's docstring, less its first line), then the results."""
    p, a, s = results["perturbations"], results["alignment"], results["speed"]
    lines = [BEGIN, "## Collation on ECB+ and the seeds (issue D)", "", f"Command: `{command}`.", machine_line(), ""]
    lines += markdown(method.split("\n\n", 1)[1])
    replaced = statistics.mean(results["rewrite_content_replaced"])
    run_time = ", ".join(f"{part} {seconds} s" for part, seconds in results["seconds"].items())
    lines += [f"The rewrites X' changed {replaced:.0%} of their source's content words on average (names, numbers "
              f"and function words not counted); {p['controls']['clusters']} sources ({results['sources_per_event']} "
              f"per ECB+ gold event, and the seeds). Run time: {run_time}.", "",
              "| kind | changes (of seeds) | detected | recall | true-positive discrepancies "
              "| false positives (also in the control) | precision |",
              "|---|---|---|---|---|---|---|"]  # fmt: skip
    for kind in KINDS:
        c, d = p["counts"][kind], p["discrepancies"][kind]
        lines.append(f"| {kind} | {c['perturbations']} ({c['from_seeds']}) | {c['detected']} | {d['recall']:.4f} | "
                     f"{c['true_positive_discrepancies']} | {c['false_positive_discrepancies']} "
                     f"({c['false_positives_raised_in_control_too']}) | {d['precision']:.4f} |")  # fmt: skip
    lines += ["", "Recall by case: " + "; ".join(
        f"{kind}: " + ", ".join(f"{case} {c['recall']:.2f} of {c['changes']}" for case, c in by_case.items())
        for kind in KINDS if (by_case := p["recall_by_case"].get(kind))) + "."]  # fmt: skip
    ctl = p["controls"]
    lines += ["", f"Controls: {ctl['discrepancies']} discrepancies reported over {ctl['claims']} claims: "
                  f"**{p['false_alarms_per_1000_claims']} false alarms per 1,000 claims** "
                  f"({1000 * ctl['discrepancies'] / max(1, ctl['aligned_claims']):.2f} per 1,000 of the "
                  f"{ctl['aligned_claims']} claims both documents support).", "",
              "Examples of misses and false positives quote the corpus, so the command prints them (`examples` "
              "in its output) and this page does not: ECB+ text stays out of the repository."]  # fmt: skip
    c = a["counts"]
    total = s["collate_seconds"] + s["nlp_seconds"]
    lines += ["", f"Alignment: {c['events']} gold events, {c['gold_sentences']} gold sentences, "
                  f"{c['gold_pairs']} gold pairs, {c['predicted_pairs']} predicted, {c['correct_pairs']} correct.", "",
              "| measure | value |", "|---|---|",
              f"| alignment precision | {a['precision']:.4f} |", f"| alignment recall | {a['recall']:.4f} |",
              f"| alignment F1 | {a['f1']:.4f} |",
              f"| recall ceiling (one sentence per document and claim) | {a['recall_ceiling']:.4f} |",
              f"| collate stage, {s['documents']} documents ({s['ecb_documents']} of ECB+ event {s['event']}), "
              f"median of {s['runs']} | {s['collate_seconds']:.3f} s |",
              f"| NLP stage, same documents, median of {s['runs']} | {s['nlp_seconds']:.3f} s |", ""]  # fmt: skip
    failing = [kind for kind, d in p["discrepancies"].items() if min(d["precision"], d["recall"]) < 0.9]
    goals = [
        ("precision and recall at least 0.9 for every kind", not failing,
         ", ".join(f"{k} P {d['precision']:.3f} R {d['recall']:.3f}" for k, d in p["discrepancies"].items())),
        ("under 5 false alarms per 1,000 claims", p["false_alarms_per_1000_claims"] < 5,
         str(p["false_alarms_per_1000_claims"])),
        ("a 50-document event collated in under 2 s", s["collate_seconds"] < 2,
         f"collate stage {s['collate_seconds']:.2f} s; with the NLP stage {total:.2f} s"),
    ]  # fmt: skip
    met = all(ok for _, ok, _ in goals)
    lines += [f"Goal: {'; '.join(g for g, _, _ in goals)}. {'Met' if met else 'NOT met'}: "
              + "; ".join(f"{g}: {'met' if ok else 'NOT met'} ({figures})" for g, ok, figures in goals)
              + f". Alignment F1 {a['f1']:.2f}, no goal set.", END]  # fmt: skip
    return "\n".join(lines)

"""JunkLineRemover: every rule has a line that needs it and a near-miss that must survive."""

from pathlib import Path

import pytest

from newscollate.clean.junk import RULES, JunkConfig, JunkLineRemover, classify
from newscollate.model import Document
from newscollate.pipeline import Corpus

CASES_FILE = Path(__file__).parent / "fixtures" / "clean" / "junk_cases.tsv"


def load_cases() -> list[tuple[str, str, str]]:
    rows = []
    for raw in CASES_FILE.read_text(encoding="utf-8").splitlines():
        if raw.strip() and not raw.startswith("#"):
            rule, expected, line = raw.split("\t")
            rows.append((rule, expected, line))
    return rows


CASES = load_cases()


def test_every_rule_has_a_junk_case_and_a_near_miss():
    names = {rule.name for rule in RULES}
    junk = {rule for rule, expected, _ in CASES if expected != "keep"}
    near = {rule for rule, expected, _ in CASES if expected == "keep"}
    assert names - junk == set(), "rules without a fixture line that needs them"
    assert names - near == set(), "rules without a near-miss article sentence"
    assert {rule for rule, _, _ in CASES} <= names, "fixture names an unknown rule"


@pytest.mark.parametrize("rule,expected,line", CASES, ids=[f"{r}:{e}:{i}" for i, (r, e, _) in enumerate(CASES)])
def test_case(rule, expected, line):
    found = classify(line)
    if expected == "keep":
        assert found is None, f"article sentence removed by {found.name}"
    else:
        assert found is not None and (found.name, found.reason) == (rule, expected)


def test_remover_adds_spans_on_stripped_lines_and_skips_removed():
    text = (
        "---\ntitle: X\n---\nHarbour bridge reopens\n\n  By Jane Doe  \n"
        "The bridge reopened on Monday, officials said.\r\nPhoto: AFP\r\n"
    )
    doc = Document.from_text(text, "t.txt")
    doc.add("removed", 0, 17, "front-matter")
    JunkLineRemover()(Corpus([doc]))
    found = [(s.label, s.data["rule"], doc.slice(s)) for s in doc.spans("removed")[1:]]
    assert found == [("byline", "byline-name", "By Jane Doe"), ("photo-credit", "photo-credit", "Photo: AFP")]


def test_disabled_rule_is_skipped():
    assert classify("Photo: AFP", JunkConfig(disabled=("photo-credit",))) is None


def test_long_promo_paragraph_is_one_span():
    line = next(line for rule, _, line in CASES if rule == "promo-cta" and len(line) > 200)
    doc = Document.from_text(f"Body text here, the mayor said.\n{line}\n", "p.txt")
    JunkLineRemover()(Corpus([doc]))
    assert [doc.slice(s) for s in doc.spans("removed")] == [line]


def test_hard_wrapped_promo_is_judged_as_one_paragraph():
    text = (
        "The bridge reopened on Monday after two years of repairs, officials said.\n\n"
        "By Jane Doe\n"
        "The council said the repairs cost 12 million and\n"
        "took longer than planned because of flooding.\n\n"
        "Stay informed with trusted reporting from across\n"
        "the region. We bring you the stories that matter,\n"
        "from the council chamber to the courts. For more,\n"
        "follow us or visit our website.\n"
    )
    doc = Document.from_text(text, "w.txt")
    JunkLineRemover()(Corpus([doc]))
    found = [(s.label, doc.slice(s)) for s in doc.spans("removed")]
    assert found == [("promo", text[text.index("Stay") : text.rindex(".") + 1]), ("byline", "By Jane Doe")]


def test_a_corpus_judges_each_document_as_it_would_alone():
    # The remover classifies each distinct line of a corpus once; where the line stands is per document.
    texts = [
        "Harbour bridge reopens\n\nBy Jane Doe\nThe bridge reopened on Monday, officials said.\nPhoto: AFP\n",
        "Photo: AFP\nBy Jane Doe\n\nThe bridge reopened on Monday, officials said.\n",
        "Photo: AFP\nBy Jane Doe\n\nThe bridge reopened on Monday, officials said.\n",  # a copy
    ]
    together = [Document.from_text(text, f"{k}.txt") for k, text in enumerate(texts)]
    JunkLineRemover()(Corpus(together))
    for doc in together:
        alone = Document.from_text(doc.text, "alone.txt")
        JunkLineRemover().clean(alone)
        assert [(s.start, s.end, s.label, s.data) for s in doc.spans("removed")] == [
            (s.start, s.end, s.label, s.data) for s in alone.spans("removed")
        ]
    assert [doc.slice(s) for s in together[1].spans("removed")] == ["Photo: AFP", "By Jane Doe"]

"""RepeatedLineRemover: boilerplate an outlet repeats across its documents."""

import re
import sys

from newscollate.clean.repeats import RepeatConfig, RepeatedLineRemover, normalise
from newscollate.model import Document, Metadata
from newscollate.pipeline import Corpus

FOOTER = "Harbour Daily is published by Lakeside Media. Tips: newsroom line open 24/7."
BACKGROUND = (
    "The storm, the strongest to hit the coast in thirty years, flooded 140 homes on Quay Street and closed the "
    "harbour for four days last week, according to figures from the county emergency office released on Monday."
)


def doc(text: str, source: str | None = "Harbour Daily", url: str | None = None) -> Document:
    return Document.from_text(text, "x.txt", Metadata(source=source, url=url))


def removed(d: Document) -> list[tuple[str, str]]:
    return [(s.label, d.slice(s)) for s in d.spans("removed")]


def test_normalise_folds_case_digits_and_punctuation():
    assert normalise("Updated 10:42 -- SEE  more!") == normalise("updated 09:15 — see more") == "updated 00 00 see more"


def test_short_line_in_two_documents_of_an_outlet_is_removed():
    a = doc(f"Bridge reopens after repairs.\n{FOOTER}\n")
    b = doc(f"Council sets new budget.\n{FOOTER.replace('24/7', '24/7 ')}\n")
    RepeatedLineRemover()(Corpus([a, b]))
    assert removed(a) == [("repeated-in-source", FOOTER)]
    assert removed(b)[0][0] == "repeated-in-source" and a.spans("removed")[0].data["docs"] == 2


def test_long_background_repeated_in_two_documents_is_kept():
    assert len(BACKGROUND) > RepeatConfig().max_chars
    a, b = doc(f"First story.\n{BACKGROUND}\n"), doc(f"Follow-up story.\n{BACKGROUND}\n")
    RepeatedLineRemover()(Corpus([a, b]))
    assert removed(a) == removed(b) == []


def test_long_line_in_three_documents_is_removed():
    docs = [doc(f"Story {n}.\n{BACKGROUND}\n") for n in ("one", "two", "three")]
    RepeatedLineRemover()(Corpus(docs))
    assert all(removed(d) == [("repeated-in-source", BACKGROUND)] for d in docs)


def test_outlets_are_counted_separately_and_unknown_outlets_skipped():
    a = doc(f"One.\n{FOOTER}\n", source="Harbour Daily")
    b = doc(f"Two.\n{FOOTER}\n", source="Valley Herald")
    c, d = doc(f"Three.\n{FOOTER}\n", source=None), doc(f"Four.\n{FOOTER}\n", source=None)
    e = doc(f"Five.\n{FOOTER}\n", source=None, url="https://www.valley-herald.example/a")
    f = doc(f"Six.\n{FOOTER}\n", source=None, url="https://valley-herald.example/b")
    RepeatedLineRemover()(Corpus([a, b, c, d, e, f]))
    assert [bool(removed(x)) for x in (a, b, c, d, e, f)] == [False, False, False, False, True, True]


def test_a_line_twice_in_one_document_counts_once_and_removed_lines_are_ignored():
    a = doc(f"{FOOTER}\nBody.\n{FOOTER}\n")
    b = doc(f"Other body.\n{FOOTER}\n")
    b.add("removed", b.text.index(FOOTER), len(b.text) - 1, "promo")
    RepeatedLineRemover()(Corpus([a, b]))
    assert removed(a) == []


def test_normalise_agrees_with_its_definition_on_every_character():
    """normalise() works by str.translate; what it stands for is two substitutions and a strip."""
    codes = range(sys.maxunicode + 1)
    for k in range(0, len(codes), 64):
        line = "_ " + "".join(map(chr, codes[k : k + 64])) + " 9_"
        assert normalise(line) == re.sub(r"[\W_]+", " ", re.sub(r"\d", "0", line.lower())).strip()

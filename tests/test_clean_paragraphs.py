"""ParagraphSplitter: the title and the kept body paragraphs."""

from pathlib import Path

from newscollate.clean import JunkLineRemover, ParagraphSplitter
from newscollate.model import Document, Metadata
from newscollate.pipeline import Corpus

FIXTURES = Path(__file__).parent / "fixtures" / "clean"
BODY = "The council approved the plan on Tuesday after a long debate, and work on the new sea wall will start in May."


def split(text: str, meta: Metadata | None = None, junk: bool = True) -> Document:
    doc = Document.from_text(text, "p.txt", meta)
    corpus = Corpus([doc])
    if junk:
        JunkLineRemover()(corpus)
    ParagraphSplitter()(corpus)
    return doc


def title(doc: Document) -> str | None:
    return next((doc.slice(s) for s in doc.spans("title")), None)


def paragraphs(doc: Document) -> list[str]:
    return [doc.slice(s) for s in doc.spans("paragraphs")]


def test_headline_above_a_blank_line_is_the_title():
    doc = split(f"  Sea wall plan approved  \n\n{BODY}\n")
    assert title(doc) == "Sea wall plan approved" and paragraphs(doc) == [BODY]


def test_headline_directly_above_clearly_body_text_is_the_title():
    assert title(split(f"Sea wall plan approved\n{BODY}\n")) == "Sea wall plan approved"


def test_headline_above_junk_is_the_title():
    doc = split(f"Sea wall plan approved\nBy Jane Doe\n{BODY}\n")
    assert title(doc) == "Sea wall plan approved" and paragraphs(doc) == [BODY]


def test_junk_above_the_headline_is_skipped():
    assert title(split(f"Advertisement\nSea wall plan approved\n\n{BODY}\n")) == "Sea wall plan approved"


def test_a_first_line_that_is_a_sentence_is_not_a_title():
    doc = split(f"{BODY}\n{BODY}\n")
    assert title(doc) is None and paragraphs(doc) == [BODY, BODY]


def test_a_short_first_line_above_a_short_line_is_not_a_title():
    doc = split("Councillors met on Tuesday\nto discuss the sea wall\n")
    assert title(doc) is None


def test_a_heading_ending_in_a_colon_is_not_a_title_but_a_paragraph():
    doc = split(f"Key points:\n\n{BODY}\n")
    assert title(doc) is None and paragraphs(doc) == ["Key points:", BODY]
    assert doc.spans("paragraphs")[0].label == "heading"


def test_first_line_equal_to_the_metadata_title_is_the_title():
    doc = split(f"Sea wall plan approved.\n{BODY}\n", Metadata(title="Sea wall plan approved"))
    assert title(doc) == "Sea wall plan approved."


def test_subheadings_stay_paragraphs_labelled_heading():
    doc = split(f"{BODY}\nWhat happens next\n{BODY}\n")
    assert paragraphs(doc) == [BODY, "What happens next", BODY]
    assert [s.label for s in doc.spans("paragraphs")] == ["", "heading", ""]


def test_hard_wrapped_blocks_are_one_paragraph_each():
    doc = split((FIXTURES / "drift_story.txt").read_text(encoding="utf-8"))
    found = paragraphs(doc)
    assert title(doc) == "Kellsbury council approves record budget after all-night session"
    assert len(found) == 10
    assert found[0].startswith("KELLSBURY - ") and found[0].endswith("property tax receipts.")
    assert found[5] == "The vote was 31 to 12."


def test_a_block_of_short_complete_sentences_is_several_paragraphs():
    doc = split("Facts\n\nThe wall is 2 km long.\nIt cost 48 million.\nIt opens in May.\n")
    assert paragraphs(doc) == ["The wall is 2 km long.", "It cost 48 million.", "It opens in May."]


def test_bullet_lists_are_not_joined():
    doc = split(f"{BODY}\n\n- new gates\n- a higher wall\n- pumps\n")
    assert paragraphs(doc)[1:] == ["- new gates", "- a higher wall", "- pumps"]


def test_removed_lines_split_wrapped_blocks_and_are_never_covered():
    text = (
        "Title of story\n\nThe council met on Tuesday to vote on\nthe plan for a new sea wall\n"
        "Advertisement\nalong the harbour front, council officials\nsaid after the meeting.\n"
    )
    doc = split(text)
    found = doc.spans("paragraphs")
    assert [doc.slice(s) for s in found] == [
        "The council met on Tuesday to vote on\nthe plan for a new sea wall",
        "along the harbour front, council officials\nsaid after the meeting.",
    ]
    assert not any(doc.is_removed(s.start, s.end) for s in found)


def test_front_matter_and_crlf_are_handled():
    text = "---\ntitle: Sea wall\n---\r\nSea wall plan approved\r\n\r\n" + BODY + "\r\n"
    doc = Document.from_text(text, "p.txt")
    doc.add("removed", 0, text.index("Sea wall plan"), "front-matter")
    ParagraphSplitter()(Corpus([doc]))
    assert title(doc) == "Sea wall plan approved" and paragraphs(doc) == [BODY]


def test_document_with_no_kept_text_gets_empty_layers():
    doc = split("Advertisement\n\nPhoto: AFP\n")
    assert doc.spans("title") == [] and doc.spans("paragraphs") == []

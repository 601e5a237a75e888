from datetime import date

import pytest

from newscollate.ingest import ReadOptions, extract_html, ingest
from newscollate.ingest.html import decode_html, html_to_text
from newscollate.model import Metadata

from .fixtures.ingest.builders import PARAGRAPHS, article_html


def write(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return str(path)


def test_main_text_has_one_paragraph_per_line_and_no_page_furniture():
    text, meta = extract_html(article_html().encode(), "https://gazette.example/harbour/sea-wall")
    lines = text.splitlines()
    for paragraph in PARAGRAPHS:
        assert paragraph in lines
    assert "Subscribe to our newsletter" not in text and "Sport" not in lines
    assert meta.title == "Harbour board backs new sea wall"
    assert (meta.source, meta.author, meta.published) == ("Tidewater Gazette", "Ann Quill", date(2026, 3, 2))
    assert meta.url == "https://gazette.example/harbour/sea-wall"


def test_date_and_author_from_json_ld_and_canonical_url():
    ld = (
        '<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle",'
        ' "datePublished": "2026-01-20T08:00:00+01:00", "author": {"@type": "Person", "name": "Cara Dunne"}}</script>'
        '<link rel="canonical" href="https://gazette.example/2026/sea-wall">'
    )
    _, meta = extract_html(article_html(author=None, published=None, head_extra=ld))
    assert (meta.published, meta.author) == (date(2026, 1, 20), "Cara Dunne")
    assert meta.url == "https://gazette.example/2026/sea-wall"


def test_a_copyright_year_is_not_a_publication_date():
    # htmldate's extensive search took the "(c) 2026" footer for 2026-01-01.
    _, meta = extract_html(article_html(published=None))
    assert meta.published is None


def test_reader_makes_a_document_of_the_extracted_text(tmp_path):
    path = write(tmp_path, "sea-wall.html", article_html())
    [doc] = ingest([path]).documents
    assert doc.path == path and PARAGRAPHS[0] in doc.text
    assert doc.text == extract_html(article_html())[0]
    assert doc.meta.source == "Tidewater Gazette" and doc.meta.published == date(2026, 3, 2)


def test_declared_legacy_charset_is_honoured():
    page = article_html(charset_meta="windows-1252", paragraphs=["Quayside rents rose to \u20ac1,200 \u2014 a record, the agent\u2019s report said. " * 4])
    text, _ = extract_html(page.encode("cp1252"))
    assert "\u20ac1,200 \u2014 a record, the agent\u2019s report" in text


def test_http_equiv_charset_is_honoured():
    head = '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-15">'
    page = article_html(charset_meta=None, head_extra=head, paragraphs=["Le caf\u00e9 du port co\u00fbte 3 \u20ac, dit la m\u00e8re. " * 6])
    assert "caf\u00e9 du port co\u00fbte 3 \u20ac" in extract_html(page.encode("iso-8859-15", errors="xmlcharrefreplace"))[0]


def test_wrong_declared_charset_is_not_trusted():
    paragraph = "\u201cWe are done with patching,\u201d said Ilse M\u00e5rrow of the harbour board. " * 4
    # Declared Latin-1, written as UTF-8: the bytes win.
    as_utf8 = article_html(charset_meta="iso-8859-1", paragraphs=[paragraph]).encode("utf-8")
    assert paragraph.strip() in extract_html(as_utf8)[0]
    # Declared UTF-8, written as windows-1252: not valid UTF-8, so the content is detected.
    as_cp1252 = article_html(charset_meta="utf-8", paragraphs=[paragraph]).encode("cp1252")
    assert "M\u00e5rrow" in extract_html(as_cp1252)[0]
    # An unknown label is ignored.
    assert decode_html(b"<meta charset='x-no-such-charset'><p>caf\xc3\xa9</p>").endswith("caf\u00e9</p>")


def test_bom_beats_declaration_and_http_charset_beats_meta():
    assert decode_html(b"\xef\xbb\xbf<meta charset='iso-8859-1'><p>\xc3\xa9</p>").endswith("<p>\u00e9</p>")
    assert decode_html("<meta charset='utf-8'><p>\u00e9</p>".encode("utf-16")).endswith("<p>\u00e9</p>")
    assert decode_html("<meta charset='utf-8'><p>\u0436</p>".encode("koi8-r"), "koi8-r").endswith("<p>\u0436</p>")


def test_malformed_markup_still_gives_the_text():
    body = "".join(f"<p>{p}<div><span>" for p in PARAGRAPHS)  # unclosed, misnested
    page = f"<html><head><title>Sea wall</title></head><body></div></td>{body}</b></i></body>"
    text, _ = extract_html(page.encode())
    assert all(p in text for p in PARAGRAPHS[:3])


def test_a_page_without_article_text_is_an_error_naming_it(tmp_path):
    empty = write(tmp_path, "index.html", "<!doctype html><html><head><title>Gazette</title></head><body><nav><a href='/'>Home</a></nav></body></html>")
    good = write(tmp_path, "story.html", article_html())
    result = ingest([empty, good])
    assert [d.path for d in result.documents] == [good]
    [error] = result.errors
    assert error.name == empty and "no article text found" in error.reason


@pytest.mark.parametrize("junk", [b"", b"<", b"<html>", bytes(range(256)) * 4, b"<html><body>" + b"<div>" * 5000 + b"</body></html>"])
def test_garbage_and_empty_pages_give_empty_text_not_exceptions(junk):
    assert extract_html(junk, "https://gazette.example/x") == ("", Metadata(url="https://gazette.example/x"))


def test_fast_mode_reads_the_same_article():
    text, _ = extract_html(article_html(), fast=True)
    assert all(p in text for p in PARAGRAPHS)


def _font_layout_page():
    # Old CMS layout: the story is <br>-separated text in a <font>, no <p>; a teaser
    # paragraph is the only <p>. trafilatura's main extractor (fast mode) finds only the
    # teaser, its fallback extractors find the story.
    story = "<br>".join(PARAGRAPHS)
    return (
        "<html><head><title>Sea wall</title></head><body><nav><a href='/'>Home</a></nav>"
        "<div class='teaser'><p>Read more: harbour news</p></div>"
        f"<div><font size=2>{story}</font></div><footer>Contact us</footer></body></html>"
    )


def test_a_page_the_main_extractor_misreads_goes_to_the_fallback_extractors():
    text, _ = extract_html(_font_layout_page())
    assert all(p in text for p in PARAGRAPHS)
    fast_text, _ = extract_html(_font_layout_page(), fast=True)
    assert not any(p in fast_text for p in PARAGRAPHS)


@pytest.mark.parametrize("page", [article_html, _font_layout_page])
def test_extraction_equals_trafilatura_full_mode(page):
    import trafilatura
    from trafilatura.utils import load_html

    full = trafilatura.bare_extraction(load_html(page()), fast=False, include_comments=False, favor_precision=True)
    assert extract_html(page())[0] == full.text.strip()


def test_html_is_recognised_by_content_not_extension(tmp_path):
    path = write(tmp_path, "saved-page.txt", article_html())
    [doc] = ingest([path], ReadOptions()).documents
    assert "<p>" not in doc.text and PARAGRAPHS[1] in doc.text


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        ("<p>One &amp; two</p><p>Three<br>four</p>", "One & two\nThree\nfour"),
        ("Lead <b>bold</b><div>Block</div>tail", "Lead bold\nBlock\ntail"),
        ("<script>var a = 1;</script><p>Only   this</p>", "Only this"),
        ("<ul><li>a</li><li>b</li></ul>", "a\nb"),
        ("", ""),
    ],
)
def test_html_to_text(fragment, expected):
    assert html_to_text(fragment) == expected


def test_plain_text_is_only_tidied():
    assert html_to_text("AT&T <3   quay\n\n  rents", is_html=False) == "AT&T <3 quay\nrents"


def test_a_sidecar_beside_a_saved_page_corrects_its_metadata(tmp_path):
    path = write(tmp_path, "sea-wall.html", article_html())
    write(tmp_path, "sea-wall.meta.json", '{"source": "Harbour Wire", "published": "2026-03-01"}')
    [doc] = ingest([path]).documents
    assert (doc.meta.source, doc.meta.published, doc.meta.author) == ("Harbour Wire", date(2026, 3, 1), "Ann Quill")

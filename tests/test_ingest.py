from datetime import date

from newscollate.ingest import ingest
from newscollate.ingest.text import decode

ARTICLE = "Tidewater council approved the new sea wall on Monday, officials said.\n"


def write(tmp_path, name, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_utf8_with_bom_is_decoded_without_it(tmp_path):
    result = ingest([write(tmp_path, "a.txt", b"\xef\xbb\xbf" + ARTICLE.encode())])
    assert result.documents[0].text == ARTICLE


def test_legacy_8bit_text_is_detected(tmp_path):
    text = "“Quayside rents rose to €1,200,” the agent’s report said — a record for Tidewater’s old harbour.\n" * 3
    doc = ingest([write(tmp_path, "a.txt", text.encode("cp1252"))]).documents[0]
    assert doc.text == text


def test_bad_files_are_rejected_by_name_and_the_rest_kept(tmp_path):
    good = write(tmp_path, "good.txt", ARTICLE.encode())
    empty = write(tmp_path, "empty.txt", b"")
    blank = write(tmp_path, "blank.txt", b"  \n\n ")
    binary = write(tmp_path, "img.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    result = ingest([good, empty, blank, binary, str(tmp_path / "missing.txt")])
    assert [d.path for d in result.documents] == [good]
    reasons = {e.name: e.reason for e in result.errors}
    assert "empty" in reasons[empty] and "empty" in reasons[blank]
    assert "binary" in reasons[binary]
    assert "no such file" in reasons[str(tmp_path / "missing.txt")]


def test_front_matter_sets_metadata_and_is_recorded_as_removed(tmp_path):
    raw = "---\nsource: Tidewater Gazette\npublished: 2026-04-02\ntitle: Sea wall approved\n---\n" + ARTICLE
    doc = ingest([write(tmp_path, "a.txt", raw.encode())]).documents[0]
    assert doc.text == raw
    assert (doc.meta.source, doc.meta.published, doc.title) == ("Tidewater Gazette", date(2026, 4, 2), "Sea wall approved")
    [front] = doc.spans("removed")
    assert (front.start, front.label) == (0, "front-matter") and doc.text[front.end :] == ARTICLE


def test_sidecar_metadata_and_bad_values_warn(tmp_path):
    path = write(tmp_path, "story.txt", ARTICLE.encode())
    (tmp_path / "story.meta.json").write_text('{"source": "Harbour Wire", "published": "last Tuesday", "colour": 1}')
    result = ingest([path])
    assert result.documents[0].meta.source == "Harbour Wire"
    assert result.documents[0].meta.published is None
    assert any("published" in w for w in result.warnings) and any("colour" in w for w in result.warnings)


def test_folders_are_walked_in_order_and_duplicates_read_once(tmp_path):
    (tmp_path / "b").mkdir()
    write(tmp_path, "b/2.txt", ARTICLE.encode())
    write(tmp_path, "1.txt", ARTICLE.encode())
    write(tmp_path, "README.md", b"not an article")
    write(tmp_path, "1.meta.json", b"{}")
    result = ingest([str(tmp_path)])
    assert [d.path for d in result.documents] == [str(tmp_path / "1.txt")]
    assert result.duplicates == [(str(tmp_path / "b" / "2.txt"), result.documents[0].id)]


def test_an_empty_folder_is_an_error(tmp_path):
    result = ingest([str(tmp_path)])
    assert not result.documents and "no text files" in result.errors[0].reason


def test_decode_prefers_strict_utf8():
    assert decode("naïve café".encode(), "x") == "naïve café"

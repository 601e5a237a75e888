import gc
import gzip
import json
import tracemalloc
from datetime import date

import pytest

from newscollate.ingest import ReadOptions, ReadStats, ingest, iter_documents

from .fixtures.ingest.builders import PARAGRAPHS

NEWS_PLEASE = {
    "authors": ["Ann Quill", "Tom Brannock"],
    "date_download": "2026-03-02 09:00:00",
    "date_publish": "2026-03-02 08:30:00",
    "description": "The board voted.",
    "maintext": "\n".join(PARAGRAPHS),
    "source_domain": "gazette.example",
    "title": "Harbour board backs new sea wall",
    "url": "https://gazette.example/sea-wall",
    "language": "en",
}
GENERIC = {
    "text": "The ferry to Kell Island will run twice a day from June, the operator said.",
    "title": "Ferry timetable doubles",
    "url": "https://courier.example/ferry",
    "date": "2026-03-03T10:00:00Z",
    "source": "Kell Island Courier",
    "author": "Cara Dunne",
}


def write_lines(tmp_path, name, lines, compress=False) -> str:
    data = "".join(line + "\n" for line in lines).encode()
    path = tmp_path / name
    path.write_bytes(gzip.compress(data) if compress else data)
    return str(path)


def test_news_please_and_generic_records_by_default(tmp_path):
    path = write_lines(tmp_path, "a.jsonl", [json.dumps(NEWS_PLEASE), json.dumps(GENERIC)])
    result = ingest([path])
    assert not result.errors and not result.warnings
    sea_wall, ferry = result.documents
    assert (sea_wall.path, ferry.path) == (f"{path}:line 1", f"{path}:line 2")
    assert sea_wall.text == NEWS_PLEASE["maintext"]
    assert (sea_wall.meta.title, sea_wall.meta.url, sea_wall.meta.source, sea_wall.meta.author, sea_wall.meta.published) == (
        "Harbour board backs new sea wall", "https://gazette.example/sea-wall", "gazette.example",
        "Ann Quill, Tom Brannock", date(2026, 3, 2),
    )  # fmt: skip
    assert (ferry.meta.source, ferry.meta.author, ferry.meta.published) == ("Kell Island Courier", "Cara Dunne", date(2026, 3, 3))


def test_bad_lines_are_errors_naming_the_line_and_the_rest_is_kept(tmp_path):
    lines = [
        json.dumps(GENERIC),
        '{"text": "unterminated',
        json.dumps({"title": "no text here"}),
        json.dumps({"text": "   "}),
        "",
        json.dumps(["not", "an", "object"]),
        json.dumps({"text": 42}),
        json.dumps(NEWS_PLEASE),
    ]
    path = write_lines(tmp_path, "mixed.jsonl", lines)
    result = ingest([path])
    assert [d.path for d in result.documents] == [f"{path}:line 1", f"{path}:line 8"]
    reasons = {e.name: e.reason for e in result.errors}
    assert list(reasons) == [f"{path}:line {n}" for n in (2, 3, 4, 6, 7)]
    assert "invalid JSON" in reasons[f"{path}:line 2"]
    assert "no text field" in reasons[f"{path}:line 3"] and "--text-field" in reasons[f"{path}:line 3"]
    assert "'text' is empty" in reasons[f"{path}:line 4"]
    assert "not an object" in reasons[f"{path}:line 6"] and "not a string" in reasons[f"{path}:line 7"]
    assert result.skipped == {"JSONL blank line": 1}


def test_field_names_are_configurable(tmp_path):
    record = {"body_text": "Council approves the sea wall budget after a long night session.", "headline": "Budget passed",
              "when": "2026-04-01", "outlet": "Harbour Wire", "link": "https://wire.example/b"}  # fmt: skip
    path = write_lines(tmp_path, "custom.jsonl", [json.dumps(record)])
    assert "no text field" in ingest([path]).errors[0].reason
    options = ReadOptions(text_field="body_text", title_field=["headline"], date_field="when", source_field="outlet", url_field="link")
    [doc] = ingest([path], options).documents
    assert (doc.text, doc.meta.title, doc.meta.published, doc.meta.source, doc.meta.url) == (
        record["body_text"], "Budget passed", date(2026, 4, 1), "Harbour Wire", "https://wire.example/b",
    )  # fmt: skip
    with pytest.raises(ValueError):
        ReadOptions(text_field=())


def test_a_bad_date_is_a_warning_and_the_record_is_kept(tmp_path):
    path = write_lines(tmp_path, "d.jsonl", [json.dumps({**GENERIC, "date": "last Tuesday"}), json.dumps({**GENERIC, "text": "x y z", "date": None})])
    result = ingest([path])
    assert len(result.documents) == 2 and result.documents[0].meta.published is None
    assert result.warnings == [f"{path}:line 1: date 'last Tuesday' is not a date; ignored"]


def test_pretty_printed_json_object_and_json_array(tmp_path):
    single = tmp_path / "article.json"
    single.write_text(json.dumps(NEWS_PLEASE, indent=2))
    array = tmp_path / "articles.json"
    array.write_text(json.dumps([GENERIC, {"title": "no text"}, NEWS_PLEASE]))
    result = ingest([str(single), str(array)])
    assert [d.path for d in result.documents] == [str(single), f"{array}#1"]  # #3 repeats article.json's text
    assert result.duplicates == [(f"{array}#3", result.documents[0].id)]
    assert [e.name for e in result.errors] == [f"{array}#2"]


def test_gzipped_jsonl_and_a_truncated_one(tmp_path):
    lines = [json.dumps({**GENERIC, "text": f"Story number {n} about the harbour."}) for n in range(200)]
    path = write_lines(tmp_path, "many.jsonl.gz", lines, compress=True)
    assert len(ingest([path]).documents) == 200
    cut = tmp_path / "cut.jsonl.gz"
    data = (tmp_path / "many.jsonl.gz").read_bytes()
    cut.write_bytes(data[: len(data) // 2])
    result = ingest([str(cut)])
    assert 0 < len(result.documents) < 200
    assert result.errors[-1].name == str(cut) and "truncated" in result.errors[-1].reason


def test_an_over_long_line_is_skipped_and_the_next_read(tmp_path):
    path = write_lines(tmp_path, "long.jsonl", [json.dumps({"text": "word " * 500}), json.dumps(GENERIC)])
    result = ingest([path], ReadOptions(max_bytes=1000))
    assert [d.path for d in result.documents] == [f"{path}:line 2"]
    assert result.errors[0].name == f"{path}:line 1" and "--max-bytes" in result.errors[0].reason


def test_invalid_utf8_line_is_an_error(tmp_path):
    path = tmp_path / "latin.jsonl"
    path.write_bytes(b'{"text": "caf\xe9 on the quay"}\n' + json.dumps(GENERIC).encode() + b"\n")
    result = ingest([str(path)])
    assert len(result.documents) == 1 and "UTF-8" in result.errors[0].reason


def test_max_records_and_memory_stay_bounded(tmp_path):
    path = write_lines(tmp_path, "a.jsonl", [json.dumps(GENERIC)] * 5)
    result = ingest([path], ReadOptions(max_records=2))
    assert "--max-records" in result.errors[-1].reason

    def peak(count: int) -> int:
        lines = (json.dumps({"text": f"Harbour story {n}. " * 20}) for n in range(count))
        path = write_lines(tmp_path, f"{count}.jsonl", lines)
        gc.collect()
        tracemalloc.start()
        seen = sum(1 for _ in iter_documents([path], stats=ReadStats()))
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert seen == count
        return top

    peak(50)  # warm up: first-use allocations are not per record
    small, large = peak(300), peak(3000)
    # Keeping each document (400 characters of text) would add over 1 MB here.
    assert large < small + 250_000, (small, large)

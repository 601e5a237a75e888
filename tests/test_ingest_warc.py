import gc
import gzip
import tracemalloc
import zlib
from datetime import date

from newscollate.ingest import ReadOptions, ReadStats, ingest, iter_documents

from .fixtures.ingest.builders import PARAGRAPHS, article_html, gzip_members, warc_record, warcinfo

PAGE_A = article_html(published="2026-02-10T07:00:00Z").encode()
PAGE_B = article_html(
    ["The ferry to Kell Island will run twice a day from June, the operator said on Tuesday, after the new pier opened. " * 3],
    title="Ferry timetable doubles",
    published=None,
).encode()


def crawl() -> list[bytes]:
    return [
        warcinfo(),
        warc_record("https://gazette.example/sea-wall", b"", record_type="request"),
        warc_record("https://gazette.example/sea-wall", PAGE_A),
        warc_record("https://gazette.example/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(300), content_type="image/png"),
        warc_record("https://gazette.example/gone", b"<html><body>Not found</body></html>", status="404 Not Found"),
        warc_record("https://gazette.example/ferry", PAGE_B, content_type="application/octet-stream", date="2026-05-06T01:02:03Z"),
        warc_record("https://gazette.example/meta", b"outlinks: 3\r\n", record_type="metadata"),
    ]


def write(tmp_path, name, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_html_responses_become_documents_named_by_record_offset(tmp_path):
    data = b"".join(crawl())
    path = write(tmp_path, "crawl.warc", data)
    result = ingest([path])
    assert not result.errors
    sea_wall, ferry = result.documents
    for doc, uri in ((sea_wall, "https://gazette.example/sea-wall"), (ferry, "https://gazette.example/ferry")):
        offset = int(doc.path.rpartition("#")[2])
        assert doc.path == f"{path}#{offset}"
        assert data[offset:].startswith(b"WARC/1.1") and f"WARC-Target-URI: {uri}\r\n".encode() in data[offset : offset + 400]
        assert doc.meta.url == uri
    assert PARAGRAPHS[0] in sea_wall.text and sea_wall.meta.source == "Tidewater Gazette"
    assert sea_wall.meta.published == date(2026, 2, 10)  # the page's own date
    assert ferry.meta.published == date(2026, 5, 6)  # none on the page: the crawl date
    assert result.records == 7
    assert result.skipped == {
        "WARC warcinfo record": 1,
        "WARC request record": 1,
        "WARC metadata record": 1,
        "WARC non-HTML response": 1,
        "WARC response with HTTP status 4xx": 1,
    }


def test_gzipped_warc_offsets_are_those_of_the_gzip_members(tmp_path):
    data = gzip_members(crawl())
    path = write(tmp_path, "crawl.warc.gz", data)
    docs = ingest([path]).documents
    assert len(docs) == 2
    for doc in docs:
        offset = int(doc.path.rpartition("#")[2])
        record = zlib.decompressobj(wbits=31).decompress(data[offset:])
        assert record.startswith(b"WARC/1.1") and f"WARC-Target-URI: {doc.meta.url}\r\n".encode() in record


def test_a_whole_file_gzip_warc_is_read_too(tmp_path):
    path = write(tmp_path, "crawl.warc.gz", gzip.compress(b"".join(crawl())))
    assert [d.meta.url for d in ingest([path]).documents] == ["https://gazette.example/sea-wall", "https://gazette.example/ferry"]


def test_truncated_gzip_keeps_the_records_before_and_names_the_damaged_member(tmp_path):
    records = crawl()
    data = gzip_members(records)
    last_start = len(gzip_members(records[:-2]))  # the ferry page's member
    path = write(tmp_path, "cut.warc.gz", data[: last_start + 40])
    result = ingest([path])
    assert [d.meta.url for d in result.documents] == ["https://gazette.example/sea-wall"]
    [error] = result.errors
    assert error.name == path and "truncated" in error.reason and f"byte {last_start:,}" in error.reason


def test_truncated_plain_warc_names_the_cut_record(tmp_path):
    data = b"".join(crawl()[:3])
    cut_at = data.rfind(b"WARC/1.1")
    path = write(tmp_path, "cut.warc", data[:-500])
    result = ingest([path])
    [error] = result.errors
    assert error.name == f"{path}#{cut_at}" and "truncated" in error.reason
    assert not result.documents  # the only page was the cut one


def test_malformed_record_keeps_the_records_before_it(tmp_path):
    good = warc_record("https://gazette.example/sea-wall", PAGE_A)
    bad = warc_record("https://gazette.example/broken", PAGE_B, content_length="lots")
    path = write(tmp_path, "bad.warc", good + bad + warc_record("https://gazette.example/ferry", PAGE_B))
    result = ingest([path])
    assert [d.meta.url for d in result.documents] == ["https://gazette.example/sea-wall"]
    [error] = result.errors
    assert error.name == path and f"byte {len(good):,}" in error.reason and "Content-Length" in error.reason


def test_garbage_between_records_is_reported_after_the_last_good_record(tmp_path):
    first = warc_record("https://gazette.example/sea-wall", PAGE_A)
    path = write(tmp_path, "junk.warc", first + b"this is not a WARC record\r\n\r\n" + warc_record("https://gazette.example/ferry", PAGE_B))
    result = ingest([path])
    assert len(result.documents) == 1
    assert "after the record at byte 0" in result.errors[0].reason


def test_chunked_and_gzip_encoded_payloads_are_decoded(tmp_path):
    body = gzip.compress(PAGE_B)
    chunked = b"%x\r\n" % len(body) + body + b"\r\n0\r\n\r\n"
    record = warc_record(
        "https://gazette.example/ferry", chunked, http_headers=["Transfer-Encoding: chunked", "Content-Encoding: gzip"]
    )
    [doc] = ingest([write(tmp_path, "enc.warc", record)]).documents
    assert "ferry to Kell Island" in doc.text


def test_record_over_max_bytes_is_an_error_and_the_rest_is_read(tmp_path):
    big = article_html(["A very long harbour story. " * 400]).encode()
    path = write(tmp_path, "big.warc", warc_record("https://gazette.example/big", big) + warc_record("https://gazette.example/sea-wall", PAGE_A))
    result = ingest([path], ReadOptions(max_bytes=len(PAGE_A) + 100))
    assert [d.meta.url for d in result.documents] == ["https://gazette.example/sea-wall"]
    [error] = result.errors
    assert error.name == f"{path}#0" and "max_bytes" in error.reason and "--max-bytes" in error.reason


def test_max_records_stops_reading_and_says_how_to_raise_it(tmp_path):
    path = write(tmp_path, "crawl.warc", b"".join(crawl()))
    result = ingest([path], ReadOptions(max_records=3))
    assert len(result.documents) == 1 and "--max-records" in result.errors[0].reason


def test_a_page_without_text_in_a_crawl_is_counted_and_warned_not_an_error(tmp_path):
    index = b"<html><body><nav><a href='/'>Home</a></nav></body></html>"
    path = write(tmp_path, "c.warc", warc_record("https://gazette.example/", index) + warc_record("https://gazette.example/sea-wall", PAGE_A))
    result = ingest([path])
    assert len(result.documents) == 1 and not result.errors
    assert result.skipped == {"WARC HTML page without article text": 1}
    assert result.warnings[0].startswith(f"{path}#0: no article text found")


def test_an_empty_or_headless_warc_is_an_error(tmp_path):
    result = ingest([write(tmp_path, "empty.warc", b"WARC/1.1\r\nWARC-Type: resp")])
    assert len(result.errors) == 1 and not result.documents


def test_memory_stays_flat_in_the_number_of_records(tmp_path):
    image = warc_record("https://gazette.example/i.png", bytes(2000), content_type="image/png")

    def peak(count: int) -> int:
        path = write(tmp_path, f"{count}.warc.gz", gzip_members([image] * count))
        stats = ReadStats()
        gc.collect()
        tracemalloc.start()
        for _ in iter_documents([path], stats=stats):
            pass
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert stats.skipped["WARC non-HTML response"] == count
        return top

    peak(100)  # warm up: first-use allocations are not per record
    small, large = peak(500), peak(4000)
    # Keeping 150 bytes per record would add over 500 kB here; keeping the payloads, 7 MB.
    assert large < small + 500_000, (small, large)


def test_resource_records_with_html_are_read_and_revisits_skipped(tmp_path):
    resource = warc_record("https://gazette.example/saved", PAGE_A, record_type="resource")
    revisit = warc_record("https://gazette.example/saved", b"", record_type="revisit", content_type="application/http")
    result = ingest([write(tmp_path, "r.warc", resource + revisit)])
    assert [d.meta.url for d in result.documents] == ["https://gazette.example/saved"]
    assert result.skipped == {"WARC revisit record": 1}


def test_no_cut_of_the_file_loses_records_silently(tmp_path):
    records = [warc_record(f"https://gazette.example/{n}.png", bytes(range(64)), content_type="image/png") for n in range(3)]
    members = [gzip.compress(record, mtime=0) for record in records]
    path = tmp_path / "cut.warc"
    for data, parts, slack in ((b"".join(members), members, 0), (b"".join(records), records, 4)):
        ends = [sum(map(len, parts[: n + 1])) for n in range(len(parts))]
        for cut in range(1, len(data)):
            path.write_bytes(data[:cut])
            stats = ReadStats()
            errors = [item for item in iter_documents([str(path)], stats=stats) if not hasattr(item, "text")]
            complete = sum(end - slack <= cut for end in ends)  # a record is whole without its closing CRLFs
            assert errors or stats.skipped["WARC non-HTML response"] == complete, cut
            assert errors or cut in ends or (slack and any(end - slack <= cut < end for end in ends)), cut

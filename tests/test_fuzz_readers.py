"""Properties of every reader on generated and mutated inputs (see tests/fuzz_inputs.py).

Quick profile by default; ``NEWSCOLLATE_FUZZ_EXAMPLES=2000`` runs each property that many times.
bench/fuzz.py is the long run.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newscollate.ingest import ReadOptions, ReadStats, ingest, read_bytes
from newscollate.ingest.sniff import TEXT, sniff
from newscollate.model import Document

from .fuzz_inputs import FORMATS, Input, encoded_texts, examples, inputs, item_problems

QUICK = settings(deadline=None, max_examples=examples(25), suppress_health_check=[HealthCheck.too_slow])
#: Encodings whose bytes say which they are (BOM) or that are the default: text read back exactly.
LOSSLESS = ("utf-8", "utf-8-sig", "utf-16", "utf-32")


def read(source: Input, options: ReadOptions | None = None) -> list:
    return list(read_bytes(source.name, source.data, options or ReadOptions(), ReadStats()))


@pytest.mark.parametrize("kind", FORMATS)
@QUICK
@given(data=st.data())
def test_a_reader_gives_documents_or_errors_naming_the_input_and_never_crashes(kind, data):
    source = data.draw(inputs(kind))
    assert item_problems(source, read(source)) == []


@QUICK
@given(source=inputs(), limit=st.integers(1, 4096))
def test_limits_turn_big_inputs_into_errors_not_crashes(source, limit):
    options = ReadOptions(max_bytes=limit, max_decompressed_bytes=limit, max_records=1 + limit % 3)
    items = read(source, options)
    assert item_problems(source, items) == []
    assert sum(isinstance(item, Document) for item in items) <= options.max_records


@settings(QUICK, max_examples=examples(150))
@given(pair=encoded_texts(), encoding_index=st.integers(0, len(LOSSLESS) - 1))
def test_plain_text_in_any_encoding_is_read_or_refused_with_a_reason(pair, encoding_index):
    text, data = pair
    source = Input("text", "story.txt", data)
    items = read(source)
    assert item_problems(source, items) == []
    assert len(items) == 1
    lossless = text.encode(LOSSLESS[encoding_index], errors="surrogatepass")
    if text.strip() and sniff(lossless[:8192], "story.txt") == TEXT:
        [again] = read(Input("text", "story.txt", lossless))
        if isinstance(again, Document):  # refused only as binary (control characters) or metadata-only
            # in UTF-8 without a BOM, a text's own leading U+FEFF is read as one
            assert again.text == (text.removeprefix("\ufeff") if LOSSLESS[encoding_index] == "utf-8" else text)


@settings(QUICK, max_examples=examples(10))
@given(source=inputs())
def test_a_broken_input_never_loses_the_other_inputs(source):
    with tempfile.TemporaryDirectory() as folder:
        first, last = Path(folder, "first.txt"), Path(folder, "last.jsonl")
        first.write_text("The Kell ferry will run twice a day from June, the operator said.\n", encoding="utf-8")
        last.write_text('{"text": "The Tidewater pier reopened on Monday after repairs, the council said."}\n', encoding="utf-8")
        broken = Path(folder, source.name)
        broken.write_bytes(source.data)
        result = ingest([str(first), str(broken), str(last)])
    kept = {doc.path for doc in result.documents} | {path for path, _ in result.duplicates}
    assert str(first) in kept and f"{last}:line 1" in kept
    assert all(error.name.startswith(str(broken)) for error in result.errors)

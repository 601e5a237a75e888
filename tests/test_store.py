"""The store keeps documents and their layers exactly, once each, batch by batch (on SQLite and PostgreSQL)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest

from newscollate.model import Document, Metadata
from newscollate.store import Store, StoreError

REPO = Path(__file__).resolve().parents[1]

FERRY = (
    "Ferry service resumes after storm\r\n"
    "\r\n"
    "By Ada Quill \U0001F30A 3 min read\r\n"
    "\r\n"
    "The Tallow Island ferry sailed again on Monday, two days after gales grounded the fleet.\r\n"
    "Harbour master Ines Roe said crews checked every hull \u2014 \u201cnothing was missed\u201d.\r\n"
    "\r\n"
    "Subscribe to our newsletter \U0001F4E8!\r\n"
)


def make_doc(text: str, path: str, **meta) -> Document:
    return Document.from_text(text, path, Metadata(**meta))


def ferry() -> Document:
    doc = make_doc(
        FERRY, "tallow-times/ferry.txt", title="Ferry service resumes after storm", source="Tallow Times",
        url="https://tallow.example/ferry", published=date(2026, 3, 2), author="Ada Quill",
    )  # fmt: skip
    title_end = FERRY.index("\r\n")
    byline = FERRY.index("By Ada")
    body = FERRY.index("The Tallow")
    body_end = FERRY.index("missed\u201d.") + len("missed\u201d.")
    promo = FERRY.index("Subscribe")
    doc.add("title", 0, title_end, "title")
    doc.add("removed", byline, FERRY.index("read") + len("read"), "byline", rule="byline")
    promo_end = promo + len("Subscribe to our newsletter \U0001F4E8!")
    doc.add("removed", promo, promo_end, "promo", rule="newsletter", docs=3)
    doc.add("paragraphs", body, FERRY.index("\r\n", body))
    doc.add("paragraphs", FERRY.index("Harbour"), body_end, "")
    doc.add("segments", 0, body_end, "", index=0)
    doc.add("sentences", body, body_end)  # not a persisted layer
    return doc


def simple_docs(n: int) -> list[Document]:
    return [make_doc(f"Story {i}: the Wren Valley fair opened its gates.\n", f"fair/{i:02d}.txt") for i in range(n)]


def test_adding_the_same_documents_twice_stores_them_once(store_target):
    first, second = simple_docs(2)
    copy_elsewhere = make_doc(first.text, "mirror/copy.txt")
    with Store.open(store_target) as store:
        assert (store.add_documents([first, second]).added, store.document_count()) == (2, 2)
        again = store.add_documents([second, first, copy_elsewhere])
        assert (again.added, again.present, again.rejected) == (0, 3, [])
        assert store.document_count() == 2
        assert [doc.path for doc in store.documents()] == ["fair/00.txt", "fair/01.txt"]


def test_copies_within_one_batch_are_counted_once(make_store):
    doc = simple_docs(1)[0]
    with make_store() as store:
        result = store.add_documents([doc, make_doc(doc.text, "other.txt"), doc])
        assert (result.added, result.present, result.total) == (1, 2, 3)
        assert store.document_count() == 1


def test_round_trip_keeps_text_offsets_metadata_and_layers(store_target):
    doc = ferry()
    with Store.open(store_target) as store:
        store.add_documents([doc])
    with Store.open(store_target) as store:
        (back,) = store.documents()

    assert (back.id, back.path, back.text) == (doc.id, doc.path, doc.text)
    assert "\r\n" in back.text and "\U0001F30A" in back.text and len(back.text) == len(doc.text)
    assert back.meta == doc.meta
    assert set(back.layers) == {"title", "removed", "paragraphs", "segments"}
    for layer, spans in back.layers.items():
        expected = doc.spans(layer)
        assert [(s.doc, s.start, s.end, s.label, s.data) for s in spans] == [
            (s.doc, s.start, s.end, s.label, s.data) for s in expected
        ]
        assert [back.slice(s) for s in spans] == [doc.slice(s) for s in expected]
    assert back.slice(back.spans("removed")[1]) == "Subscribe to our newsletter \U0001F4E8!"
    assert back.spans("removed")[1].data == {"rule": "newsletter", "docs": 3}
    assert back.title == "Ferry service resumes after storm"


def test_documents_by_id_come_in_the_order_asked_and_unknown_ids_raise(make_store):
    docs = simple_docs(3)
    with make_store() as store:
        store.add_documents(docs)
        wanted = [docs[2].id, docs[0].id, docs[2].id]
        assert [d.id for d in store.documents(wanted)] == [docs[2].id, docs[0].id]
        with pytest.raises(KeyError, match="dmissing"):
            list(store.documents(["dmissing"]))
        assert store.texts([docs[1].id]) == {docs[1].id: docs[1].text}


def test_documents_stream_page_by_page_in_ingest_order_while_the_store_is_written(monkeypatch, make_store):
    monkeypatch.setattr("newscollate.store.store.BATCH_SIZE", 2)
    docs = simple_docs(5)
    with make_store() as store:
        store.add_documents(docs[:3], batch_size=2)
        store.add_documents(docs[3:], batch_size=2)
        seen = []
        for doc in store.documents(layers=()):
            seen.append(doc.path)
            store.save_layers(doc)  # writing between pages must not disturb the iteration
        assert seen == [doc.path for doc in docs]


def test_layers_can_be_read_selectively(make_store):
    with make_store() as store:
        store.add_documents([ferry()])
        (doc,) = store.documents(layers=["removed"])
        assert set(doc.layers) == {"removed"} and len(doc.spans("removed")) == 2


def test_save_layers_replaces_only_the_named_layers(make_store):
    doc = ferry()
    with make_store() as store:
        store.add_documents([doc])
        doc.set_layer("segments", [])
        doc.add("segments", 0, 10, "", index=0)
        doc.add("segments", 10, 20, "", index=1)
        store.save_layers(doc, ["segments"])
        (back,) = store.documents()
        segments = [(s.start, s.end, s.data) for s in back.spans("segments")]
        assert segments == [(0, 10, {"index": 0}), (10, 20, {"index": 1})]
        assert len(back.spans("removed")) == 2

        del doc.layers["removed"]
        store.save_layers([doc])
        (back,) = store.documents()
        assert back.spans("removed") == [] and len(back.spans("segments")) == 2


def test_save_layers_needs_the_document_stored(make_store):
    with make_store() as store, pytest.raises(StoreError, match="add_documents first"):
        store.save_layers(ferry())


def test_documents_that_cannot_be_stored_are_rejected_and_the_rest_kept(monkeypatch, make_store):
    good = simple_docs(1)[0]
    broken = make_doc("A page whose title was decoded badly.", "broken.txt", title="Caf\udce9 opens")
    renamed = Document("dnotitsid", "renamed.txt", "Some text.")
    with make_store() as store:
        result = store.add_documents([broken, good, renamed])
        assert result.added == 1 and store.document_count() == 1
        reasons = {r.path: r.reason for r in result.rejected}
        assert "not valid Unicode" in reasons["broken.txt"]
        assert "not the content id" in reasons["renamed.txt"]

    # A different text under an id already stored is a collision of the short id: reported, never merged.
    monkeypatch.setattr("newscollate.store.rows.content_id", lambda text: "dsame")
    first, second = Document("dsame", "a.txt", "First text."), Document("dsame", "b.txt", "Second text.")
    with make_store() as store:
        result = store.add_documents([first, second])
        assert (result.added, result.present) == (1, 0)
        assert [(r.path, r.id) for r in result.rejected] == [("b.txt", "dsame")]
        assert "different text" in result.rejected[0].reason


def test_span_data_that_would_not_read_back_the_same_is_refused(make_store):
    doc = simple_docs(1)[0]
    doc.add("removed", 0, 5, "ad", where=(1, 2))
    with make_store() as store:
        with pytest.raises(StoreError, match="tuples"):
            store.add_documents([doc])
        assert store.document_count() == 0


def test_an_error_mid_batch_rolls_back_that_batch_only(make_store):
    a, b, c, d = simple_docs(4)
    d.add("removed", 0, 3, "ad", seen={"a set"})  # not JSON: fails while the batch is being written
    with make_store() as store:
        with pytest.raises(StoreError, match="not JSON"):
            store.add_documents([a, b, c, d], batch_size=2)
        assert sorted(doc.path for doc in store.documents()) == [a.path, b.path]
        assert store.integrity_check() == []


def test_a_failing_input_keeps_the_batches_already_written(make_store):
    def inputs():
        yield from simple_docs(3)
        raise RuntimeError("disk unplugged")

    with make_store() as store:
        with pytest.raises(RuntimeError):
            store.add_documents(inputs(), batch_size=2)
        assert store.document_count() == 2


def test_a_crash_mid_batch_leaves_the_batch_or_nothing(store_target):
    """A process killed inside a write transaction: the store holds only the batches committed before."""
    path = store_target
    script = textwrap.dedent(
        f"""
        import os
        from newscollate.model import Document
        from newscollate.store import Store
        import newscollate.store.store as module

        real = module.span_rows
        def crash_on_third(doc, layers):
            if doc.path == "2.txt":
                os._exit(3)  # documents of this batch are inserted, the transaction is open
            return real(doc, layers)
        module.span_rows = crash_on_third
        store = Store.open({path!r})
        store.add_documents((Document.from_text(f"Story number {{i}}.", f"{{i}}.txt") for i in range(4)), batch_size=2)
        """
    )
    child = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert child.returncode == 3, child.stderr
    with Store.open(path) as store:
        assert [doc.path for doc in store.documents()] == ["0.txt", "1.txt"]
        assert store.integrity_check() == []


def test_a_nul_character_is_kept_by_sqlite_and_rejected_clearly_by_postgresql(make_store, backend):
    nul = make_doc("Wren Valley fair\x00 opens its gates.\n", "fair/nul.txt")
    titled = make_doc("The fair's prize marrow weighed 40 kg.\n", "fair/title.txt", title="Prize\x00marrow")
    plain = simple_docs(1)[0]
    with make_store() as store:
        result = store.add_documents([nul, titled, plain])
        if backend == "sqlite":
            assert (result.added, result.rejected) == (3, [])
            assert next(store.documents([nul.id])).text == nul.text
            return
        assert result.added_ids == [plain.id]
        reasons = {r.path: r.reason for r in result.rejected}
        assert "text has a NUL character (at 16)" in reasons["fair/nul.txt"] and "PostgreSQL" in reasons["fair/nul.txt"]
        assert "title has a NUL character" in reasons["fair/title.txt"]

"""Shared fixtures: each corpus is collated once per test session; store tests run on SQLite and
PostgreSQL (see :mod:`tests.pg_server` for where the PostgreSQL server comes from)."""

from __future__ import annotations

import json
from contextlib import ExitStack, contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Iterator

import pytest

from . import pg_server

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "seeds"
EXAMPLES = REPO / "examples"
EXPECTED = json.loads((REPO / "tests" / "fixtures" / "examples_expected.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def _collate(path: str):
    from newscollate.brief import build_brief
    from newscollate.ingest import ingest
    from newscollate.pipeline import run

    result = ingest([path])
    corpus = run(result.documents)
    return build_brief(corpus), corpus


@pytest.fixture(scope="session")
def examples():
    """``(brief, corpus)`` for examples/, with paths relative to the repo root."""
    import os

    cwd = os.getcwd()
    os.chdir(REPO)
    try:
        return _collate("examples")
    finally:
        os.chdir(cwd)


@pytest.fixture(scope="session")
def seeds():
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not present")
    return _collate(str(SEEDS))


def texts(corpus) -> dict[str, str]:
    return {doc.id: doc.text for doc in corpus.documents}


def doc_ids_by_path(brief) -> dict[str, str]:
    return {d["path"]: d["id"] for d in brief["documents"]}


def with_lineage(brief: dict, wire: str) -> dict:
    """``brief`` with its first event's first document an original and its second a rewrite
    tracing to ``wire`` (for renderer tests)."""
    event = brief["events"][0]
    first, second = event["documents"][:2]
    event["lineage"] = [
        {"doc": first, "role": "original", "derives_from": None, "wire": None},
        {"doc": second, "role": "rewrite", "derives_from": first, "wire": wire},
    ]
    event["wires"] = [wire]
    return brief


# --- stores on both backends -----------------------------------------------------------------

BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """The URL of a PostgreSQL server whose user may create databases: ``$NEWSCOLLATE_TEST_POSTGRES``,
    else a throwaway server started for the session.  Skips (fails under
    ``$NEWSCOLLATE_REQUIRE_POSTGRES``) when there is none."""
    import os

    server = None
    try:
        url = os.environ.get(pg_server.ENV_URL)
        if not url:
            server = pg_server.ThrowawayServer()
            url = server.url
        pg_server.check(url)
    except pg_server.Unavailable as exc:
        if server:
            server.stop()
        if pg_server.required():
            pytest.fail(f"PostgreSQL is required ({pg_server.ENV_REQUIRE}) but unavailable: {exc}", pytrace=False)
        pytest.skip(f"PostgreSQL tests skipped: {exc}")
    try:
        yield url
    finally:
        if server:
            server.stop()


@contextmanager
def store_target_for(backend: str, request: pytest.FixtureRequest, folder: Path) -> Iterator[str]:
    """Where a new, empty store of ``backend`` lives: a file in ``folder``, or a fresh PostgreSQL database."""
    if backend == "sqlite":
        yield str(folder / "store.db")
        return
    with pg_server.fresh_database(request.getfixturevalue("postgres_server")) as url:
        yield url


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture
def store_target(backend, request, tmp_path) -> Iterator[str]:
    """A new, empty store's file name (SQLite) or URL (PostgreSQL), for tests that open it more than once."""
    with store_target_for(backend, request, tmp_path) as target:
        yield target


@pytest.fixture
def make_store(backend, request, tmp_path):
    """Opens a new, empty store per call: in memory on SQLite, a fresh database on PostgreSQL;
    each is closed (and its database dropped) after the test."""
    from newscollate.store import Store

    with ExitStack() as stack:

        def new():
            if backend == "sqlite":
                return stack.enter_context(Store.memory())
            return stack.enter_context(Store.open(stack.enter_context(store_target_for(backend, request, tmp_path))))

        yield new

"""Shared fixtures: each corpus is collated once per test session."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pytest

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

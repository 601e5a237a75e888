"""Ingest: turn paths and URLs given by a user into :class:`~newscollate.model.Document` s.

Each input's format is sniffed from its first bytes: plain text, HTML, WARC
(optionally gzipped), RSS/Atom, JSONL/JSON, or any of these gzipped; an
``http(s)://`` input is fetched (see :mod:`.url`).  Folders are walked
recursively in name order, picking files with a known extension
(:data:`~.sniff.KNOWN_SUFFIXES`, plus ``NAME.gz`` of those); hidden files,
``*.meta.json`` sidecars and READMEs are skipped.

Every document's ``path`` says where it came from: the input as given, or for
inputs holding many documents ``FILE#OFFSET`` (WARC record), ``FILE#N`` (feed
item, JSON array item) or ``FILE:line N`` (JSONL).

An input, record or line that cannot be used becomes an :class:`InputError`,
never an exception that stops the rest.  :func:`iter_documents` streams, so
memory stays flat however many records a WARC or JSONL file holds;
:func:`ingest` collects everything into an :class:`IngestResult`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from ..model import Document
from .errors import InputError
from .html import extract_html
from .options import ReadOptions, ReadStats
from .readers import read_bytes, read_input
from .sniff import KNOWN_SUFFIXES, is_known_file
from .url import is_url

__all__ = [
    "IngestResult",
    "InputError",
    "ReadOptions",
    "ReadStats",
    "discover",
    "extract_html",
    "ingest",
    "iter_documents",
    "read_bytes",
]


@dataclass
class IngestResult:
    documents: list[Document] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)
    """``(path, id)`` of inputs whose text equals an earlier document's."""
    skipped: Counter[str] = field(default_factory=Counter)
    """Records left out on purpose, by reason (``"WARC request record"``: 12, ...)."""
    records: int = 0
    """Records looked at in multi-document inputs (WARC, JSONL, JSON arrays, feeds)."""


def discover(paths: Iterable[str]) -> Iterator[tuple[Path | None, str, InputError | None]]:
    """Expand files and folders into ``(path, name as given, error)`` triples.

    A URL passes through as ``(None, url, None)``.
    """
    for given in paths:
        if is_url(given):
            yield None, given, None
            continue
        path = Path(given)
        if path.is_dir():
            found = False
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                rel = child.relative_to(path)
                if any(part.startswith(".") for part in rel.parts) or not is_known_file(child.name):
                    continue
                found = True
                yield child, str(path / rel) if given != "." else str(rel), None
            if not found:
                known = ", ".join(sorted(KNOWN_SUFFIXES))
                reason = f"folder has no text files or other known inputs ({known}, and .gz of these)"
                yield None, given, InputError(given, reason)
        elif path.exists():
            yield path, given, None
        else:
            yield None, given, InputError(given, "no such file or folder")


def iter_documents(
    paths: Iterable[str], options: ReadOptions | None = None, stats: ReadStats | None = None
) -> Iterator[Document | InputError]:
    """Each document, or error, of ``paths`` in order, one at a time.

    Nothing is deduplicated here (a store does that by content id); pass a
    :class:`ReadStats` to collect warnings and counts of skipped records.
    """
    options = options or ReadOptions()
    stats = stats if stats is not None else ReadStats()
    for path, name, error in discover(paths):
        if error is not None:
            yield error
        else:
            yield from read_input(name, path, options, stats)


def ingest(paths: Iterable[str], options: ReadOptions | None = None) -> IngestResult:
    """Read every input; identical texts are kept once (the first path wins)."""
    result = IngestResult()
    stats = ReadStats(warnings=result.warnings, skipped=result.skipped)
    seen: set[str] = set()
    for item in iter_documents(paths, options, stats):
        if isinstance(item, InputError):
            result.errors.append(item)
        elif item.id in seen:
            result.duplicates.append((item.path, item.id))
        else:
            seen.add(item.id)
            result.documents.append(item)
    result.records = stats.records
    return result

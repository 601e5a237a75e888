"""Ingest: turn paths given by a user into :class:`~newscollate.model.Document` s.

Folders are walked recursively in name order; hidden files, metadata sidecars
and READMEs are skipped.  Each input that cannot be used becomes an
:class:`InputError` in the result, never an exception that stops the rest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from ..model import Document
from .errors import InputError
from .text import SIDECAR_SUFFIX, read_text_file

__all__ = ["IngestResult", "InputError", "ingest", "discover"]

TEXT_SUFFIXES = {".txt", ".text"}


@dataclass
class IngestResult:
    documents: list[Document] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)
    """``(path, id)`` of inputs whose text equals an earlier document's."""


def discover(paths: Iterable[str]) -> Iterator[tuple[Path | None, str, InputError | None]]:
    """Expand files and folders into ``(path, name as given, error)`` triples."""
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found = False
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                rel = child.relative_to(path)
                if any(part.startswith(".") for part in rel.parts):
                    continue
                if child.name.endswith(SIDECAR_SUFFIX) or child.suffix.lower() not in TEXT_SUFFIXES:
                    continue
                found = True
                yield child, str(path / rel) if given != "." else str(rel), None
            if not found:
                yield None, given, InputError(given, f"folder has no text files ({', '.join(sorted(TEXT_SUFFIXES))})")
        elif path.exists():
            yield path, given, None
        else:
            yield None, given, InputError(given, "no such file or folder")


def ingest(paths: Iterable[str]) -> IngestResult:
    """Read every input; identical texts are kept once (the first path wins)."""
    result = IngestResult()
    seen: dict[str, str] = {}
    for path, name, error in discover(paths):
        if error is not None:
            result.errors.append(error)
            continue
        try:
            doc = read_text_file(path, name, result.warnings)
        except InputError as exc:
            result.errors.append(exc)
            continue
        if doc.id in seen:
            result.duplicates.append((name, doc.id))
            continue
        seen[doc.id] = name
        result.documents.append(doc)
    return result

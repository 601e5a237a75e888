"""Plain-text articles: decoding, and metadata from front matter or a sidecar.

The decoded text is kept exactly as it is; a front-matter block stays in the
text and is recorded as a removed span, so offsets always refer to the file as
decoded.
"""

from __future__ import annotations

import codecs
import json
import re
from dataclasses import fields
from datetime import date, datetime
from pathlib import Path
from typing import BinaryIO

from charset_normalizer import from_bytes

from ..model import Document, Metadata
from .errors import InputError

SIDECAR_SUFFIX = ".meta.json"
METADATA_KEYS = {f.name for f in fields(Metadata)}

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n((?:[A-Za-z_][\w-]*[ \t]*:.*\r?\n)*?)---[ \t]*(?:\r?\n|\Z)")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def decode(data: bytes, name: str) -> str:
    """Bytes to text: a BOM wins, then strict UTF-8, then the best legacy guess."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                reason = f"starts with a {encoding} byte-order mark but is not valid {encoding}: {exc.reason}"
                raise InputError(name, reason) from None
    if b"\x00" in data[:8192]:
        raise InputError(name, "binary file (contains NUL bytes), not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode(guess_encoding(data), errors="replace")
    sample = text[:8192]
    if sample and len(_CONTROL.findall(sample)) > 0.01 * len(sample):
        raise InputError(name, "binary file (control characters), not text")
    return text


def guess_encoding(data: bytes) -> str:
    """charset_normalizer's best guess for legacy bytes, windows-1252 when nothing fits.

    Guesses that tie with the best (same chaos and coherence, as windows-1250
    and windows-1252 do for English with a few curly quotes) go to
    windows-1252, the most common legacy encoding of web and office text.
    """
    results = list(from_bytes(data[:65536]))
    if not results:
        return "cp1252"
    best = min(results, key=lambda m: (m.chaos, -m.coherence, m.encoding != "cp1252"))
    return best.encoding


def parse_metadata(values: dict, name: str, warnings: list[str]) -> Metadata:
    """Known keys into :class:`Metadata`; unknown keys and bad dates are warned about."""
    meta = Metadata()
    for key, value in values.items():
        key = key.strip().lower()
        if key not in METADATA_KEYS:
            warnings.append(f"{name}: unknown metadata key {key!r} ignored (known: {', '.join(sorted(METADATA_KEYS))})")
            continue
        if value is None or str(value).strip() == "":
            continue
        value = str(value).strip()
        if key == "published":
            parsed = parse_date(value)
            if parsed is None:
                warnings.append(f"{name}: published date {value!r} is not an ISO date (YYYY-MM-DD); ignored")
                continue
            setattr(meta, key, parsed)
        else:
            setattr(meta, key, value)
    return meta


def parse_date(value: str) -> date | None:
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None


def read_text_file(path: Path, name: str | None = None, warnings: list[str] | None = None) -> Document:
    """Read one plain-text article; ``name`` is the path as the user gave it.

    Raises :class:`InputError` for files that cannot be used (missing, empty,
    binary); problems with metadata only add to ``warnings``.
    """
    name = name or str(path)
    with open_input(path, name) as stream:
        data = stream.read()
    return read_text(data, name, warnings, sidecar_path(path))


def open_input(path: Path, name: str) -> BinaryIO:
    """``path`` opened for reading bytes; an :class:`InputError` naming ``name`` if it cannot be."""
    try:
        return path.open("rb")
    except FileNotFoundError:
        raise InputError(name, "no such file") from None
    except IsADirectoryError:
        raise InputError(name, "is a directory") from None
    except OSError as exc:
        raise InputError(name, f"cannot be read: {exc.strerror or exc}") from None


def read_text(data: bytes, name: str, warnings: list[str] | None = None, sidecar: Path | None = None) -> Document:
    """A plain-text article from its bytes; ``sidecar`` is a ``.meta.json`` to read if it exists."""
    warnings = warnings if warnings is not None else []
    text = decode(data, name)
    if not text.strip():
        raise InputError(name, "empty file (no text)")

    values: dict = {}
    front = _FRONT_MATTER.match(text)
    if front:
        for line in front.group(1).splitlines():
            key, _, value = line.partition(":")
            values[key] = value.strip().strip("\"'")
    values.update(read_sidecar(sidecar, warnings))
    doc = Document.from_text(text, name, parse_metadata(values, name, warnings))
    if front:
        doc.add("removed", 0, front.end(), "front-matter")
    if not text[front.end() if front else 0 :].strip():
        raise InputError(name, "has metadata but no article text")
    return doc


def read_sidecar(sidecar: Path | None, warnings: list[str]) -> dict:
    """The metadata object in ``sidecar`` if there is one; a broken one only warns."""
    if sidecar is None or not sidecar.is_file():
        return {}
    try:
        loaded = json.loads(sidecar.read_text(encoding="utf-8-sig"))
        if not isinstance(loaded, dict):
            raise ValueError("not a JSON object")
    except (ValueError, UnicodeDecodeError) as exc:
        warnings.append(f"{sidecar}: metadata ignored, not a JSON object: {exc}")
        return {}
    return loaded


def sidecar_path(path: Path) -> Path:
    """``story.txt`` (or ``story.html``, ``story.txt.gz``) -> ``story.meta.json`` beside it."""
    name = path.name[:-3] if path.name.lower().endswith(".gz") else path.name
    return path.with_name(name.rsplit(".", 1)[0] + SIDECAR_SUFFIX if "." in name else name + SIDECAR_SUFFIX)

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
                raise InputError(name, f"starts with a {encoding} byte-order mark but is not valid {encoding}: {exc.reason}") from None
    if b"\x00" in data[:8192]:
        raise InputError(name, "binary file (contains NUL bytes), not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        guess = from_bytes(data[:65536]).best()
        encoding = guess.encoding if guess else "cp1252"
        text = data.decode(encoding, errors="replace")
    sample = text[:8192]
    if sample and len(_CONTROL.findall(sample)) > 0.01 * len(sample):
        raise InputError(name, "binary file (control characters), not text")
    return text


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
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(name, "no such file") from None
    except IsADirectoryError:
        raise InputError(name, "is a directory") from None
    except OSError as exc:
        raise InputError(name, f"cannot be read: {exc.strerror}") from None
    return read_text(data, name, warnings, sidecar_path(path))


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
    if sidecar is not None and sidecar.is_file():
        try:
            loaded = json.loads(sidecar.read_text(encoding="utf-8-sig"))
            if not isinstance(loaded, dict):
                raise ValueError("not a JSON object")
            values.update(loaded)
        except (ValueError, UnicodeDecodeError) as exc:
            warnings.append(f"{sidecar}: metadata ignored, not a JSON object: {exc}")
    doc = Document.from_text(text, name, parse_metadata(values, name, warnings))
    if front:
        doc.add("removed", 0, front.end(), "front-matter")
    if not text[front.end() if front else 0 :].strip():
        raise InputError(name, "has metadata but no article text")
    return doc


def sidecar_path(path: Path) -> Path:
    """``story.txt`` -> ``story.meta.json`` beside it."""
    return path.with_name(path.name.rsplit(".", 1)[0] + SIDECAR_SUFFIX) if "." in path.name else path.with_name(path.name + SIDECAR_SUFFIX)

"""Render: the brief contract (``newscollate.brief/1``) and its readable forms.

``brief.schema.json`` beside this module is the contract; ``docs/brief-schema.md``
explains it.  :func:`validate_brief` checks a brief against it, with
``jsonschema`` when that is installed (a test dependency) and otherwise with a
small interpreter of the same schema file, so the two can never disagree about
which fields are required.  Either way it then checks what a schema cannot say:
that every span names a listed document and lies inside its text.
"""

from __future__ import annotations

import copy
import json
import os
import re
from functools import lru_cache
from importlib import resources
from itertools import islice
from pathlib import Path
from typing import Any, Iterator, Mapping

from .html import render_html
from .markdown import render_markdown

__all__ = [
    "SCHEMA_ID",
    "load_schema",
    "validate_brief",
    "render_markdown",
    "render_html",
    "write_brief",
]

SCHEMA_ID = "newscollate.brief/1"
MAX_REPORTED_PROBLEMS = 10


def load_schema() -> dict:
    """The JSON Schema (draft 2020-12) of ``newscollate.brief/1``; a fresh copy each call."""
    return copy.deepcopy(_schema())


@lru_cache(maxsize=1)
def _schema() -> dict:
    return json.loads(resources.files(__name__).joinpath("brief.schema.json").read_text(encoding="utf-8"))


def validate_brief(brief: Any) -> None:
    """Raise :class:`ValueError` listing the first problems if ``brief`` breaks the contract."""
    problems = list(islice(_schema_problems(brief), MAX_REPORTED_PROBLEMS))
    if not problems:
        # Only a structurally sound brief can be walked for span problems.
        problems = list(islice(_reference_problems(brief), MAX_REPORTED_PROBLEMS))
    if problems:
        more = f" (showing the first {MAX_REPORTED_PROBLEMS})" if len(problems) == MAX_REPORTED_PROBLEMS else ""
        raise ValueError(
            f"brief does not follow {SCHEMA_ID}{more}:\n"
            + "\n".join(f"  - {_shorten(problem)}" for problem in problems)
        )


def _shorten(message: str, limit: int = 500) -> str:
    return message if len(message) <= limit else message[: limit - 1] + "…"


def _repr(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def write_brief(brief: Mapping[str, Any], texts: Mapping[str, str], out_dir: Path) -> dict[str, Path]:
    """Validate ``brief`` and write ``brief.json``, ``brief.md`` and ``brief.html`` into ``out_dir``.

    Returns the written paths keyed ``"json"``, ``"md"`` and ``"html"``.  All
    three are rendered before any is written, so a failure leaves no mix of
    old and new files behind.
    """
    validate_brief(brief)
    contents = {
        "json": json.dumps(brief, ensure_ascii=False, indent=2) + "\n",
        "md": render_markdown(brief, texts),
        "html": render_html(brief, texts),
    }
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {}
    for kind, content in contents.items():
        paths[kind] = out_dir / f"brief.{kind}"
        _write_atomically(paths[kind], content)
    return paths


def _write_atomically(path: Path, content: str) -> None:
    # A reader (or a browser auto-reloading the page) never sees a half-written file.
    # A plain open() rather than mkstemp so the file gets the usual permissions, not 0600.
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(content, encoding="utf-8", newline="\n")
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


# --- structural check -------------------------------------------------------


def _schema_problems(brief: Any) -> Iterator[str]:
    try:
        import jsonschema
    except ImportError:
        yield from _SubsetValidator(_schema()).problems(brief, "")
        return
    validator = jsonschema.Draft202012Validator(_schema())
    for error in validator.iter_errors(brief):
        message = error.message.replace(repr(error.instance), _repr(error.instance))
        yield f"{_path(error.absolute_path) or 'brief'}: {message}"


def _path(parts: Any) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


class _SubsetValidator:
    """Interprets the keywords ``brief.schema.json`` uses, for when jsonschema is absent.

    It understands exactly :attr:`KEYWORDS`; a test fails if the schema starts
    using any other, and the contract tests run through both validators.
    """

    KEYWORDS = {
        "$ref", "type", "const", "enum", "required", "properties", "items", "minItems", "minimum", "minLength",
        "pattern",
        # annotations, nothing to check
        "$schema", "$id", "$defs", "title", "description",
    }  # fmt: skip

    TYPES = {
        "object": lambda v: isinstance(v, dict),
        "array": lambda v: isinstance(v, list),
        "string": lambda v: isinstance(v, str),
        "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
        "boolean": lambda v: isinstance(v, bool),
        "null": lambda v: v is None,
    }

    def __init__(self, schema: dict) -> None:
        self.defs = schema.get("$defs", {})
        self.root = schema

    def problems(self, value: Any, where: str, schema: dict | None = None) -> Iterator[str]:
        schema = self.root if schema is None else schema
        here = where or "brief"
        if "$ref" in schema:
            name = schema["$ref"].removeprefix("#/$defs/")
            yield from self.problems(value, where, self.defs[name])
        if "type" in schema:
            allowed = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
            if not any(self.TYPES[t](value) for t in allowed):
                # A wrong-typed value may be a whole event: its repr is cut to keep the message readable.
                yield f"{here}: {_repr(value)} is not of type {' or '.join(repr(t) for t in allowed)}"
                return
        if "const" in schema and value != schema["const"]:
            yield f"{here}: {schema['const']!r} was expected"
        if "enum" in schema and value not in schema["enum"]:
            yield f"{here}: {_repr(value)} is not one of {schema['enum']!r}"
        if isinstance(value, str):
            if len(value) < schema.get("minLength", 0):
                yield f"{here}: {_repr(value)} is too short"
            if "pattern" in schema and not re.search(schema["pattern"], value):
                yield f"{here}: {_repr(value)} does not match {schema['pattern']!r}"
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if "minimum" in schema and value < schema["minimum"]:
                yield f"{here}: {_repr(value)} is less than the minimum of {schema['minimum']!r}"
        if isinstance(value, list):
            if len(value) < schema.get("minItems", 0):
                yield f"{here}: {_repr(value)} should have at least {schema['minItems']} item(s)"
            if "items" in schema:
                for index, item in enumerate(value):
                    yield from self.problems(item, f"{where}[{index}]", schema["items"])
        if isinstance(value, dict):
            for key in schema.get("required", []):
                if key not in value:
                    yield f"{here}: {key!r} is a required property"
            for key, sub in schema.get("properties", {}).items():
                if key in value:
                    yield from self.problems(value[key], f"{where}.{key}" if where else key, sub)


# --- references -------------------------------------------------------------


def _reference_problems(brief: dict) -> Iterator[str]:
    """What the schema cannot express: ids resolve, spans lie inside their document."""
    chars: dict[str, int] = {}
    for index, doc in enumerate(brief["documents"]):
        if doc["id"] in chars:
            yield f"documents[{index}].id: duplicate document id {doc['id']!r}"
        chars[doc["id"]] = doc["chars"]

    for where, span in _spans(brief):
        if not all(isinstance(span[k], int) for k in ("start", "end")):
            # JSON Schema counts 3.0 as an integer; Python cannot slice with it.
            yield f"{where}: offsets must be written as integers, not {span['start']!r}:{span['end']!r}"
        elif span["doc"] not in chars:
            yield f"{where}: unknown document {span['doc']!r}"
        elif not span["start"] <= span["end"] <= chars[span["doc"]]:
            yield f"{where}: span {span['start']}:{span['end']} is outside 0:{chars[span['doc']]} of {span['doc']!r}"

    event_ids: set[str] = set()
    for e, event in enumerate(brief["events"]):
        if event["id"] in event_ids:
            yield f"events[{e}].id: duplicate event id {event['id']!r}"
        event_ids.add(event["id"])
        for d, doc_id in enumerate(event.get("documents", [])):
            if doc_id not in chars:
                yield f"events[{e}].documents[{d}]: unknown document {doc_id!r}"
        claim_ids = [claim["id"] for claim in event["claims"]]
        if len(set(claim_ids)) != len(claim_ids):
            yield f"events[{e}].claims: claim ids are not unique"
        for d, discrepancy in enumerate(event["discrepancies"]):
            if discrepancy.get("claim") is not None and discrepancy["claim"] not in claim_ids:
                yield f"events[{e}].discrepancies[{d}].claim: no claim {discrepancy['claim']!r} in this event"


def _spans(brief: dict) -> Iterator[tuple[str, dict]]:
    for r, removal in enumerate(brief["removed"]):
        yield f"removed[{r}]", removal
    for e, event in enumerate(brief["events"]):
        at = f"events[{e}]"
        if "title_support" in event:
            yield f"{at}.title_support", event["title_support"]
        for s, segment in enumerate(event["segments"]):
            yield f"{at}.segments[{s}]", segment
        for section in ("claims", "quotes", "timeline"):
            for i, item in enumerate(event[section]):
                for s, span in enumerate(item["support"]):
                    yield f"{at}.{section}[{i}].support[{s}]", span
        for q, quote in enumerate(event["quotes"]):
            if quote.get("speaker_support"):
                yield f"{at}.quotes[{q}].speaker_support", quote["speaker_support"]
        for n, entity in enumerate(event["entities"]):
            for r, role in enumerate(entity.get("roles", [])):
                for s, span in enumerate(role["support"]):
                    yield f"{at}.entities[{n}].roles[{r}].support[{s}]", span
        for d, discrepancy in enumerate(event["discrepancies"]):
            for v, variant in enumerate(discrepancy["variants"]):
                for s, span in enumerate(variant["support"]):
                    yield f"{at}.discrepancies[{d}].variants[{v}].support[{s}]", span

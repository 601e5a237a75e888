"""One event's brief, cut out of a whole collation's brief.

The store keeps a brief per event so that ``newscollate brief EVENT_ID`` can
render one event without re-running the pipeline.  An event's brief is a
complete ``newscollate.brief/1`` document: the one event, the documents it
touches and those documents' removed spans (the renderers use them to show
what was thrown away and to keep excerpt context out of junk).
"""

from __future__ import annotations

import copy
from typing import Any, Iterator, Mapping

from ..render import SCHEMA_ID, validate_brief

_PARTS = ("documents", "removed", "events")


def brief_for_event(brief: Mapping[str, Any], event_id: str) -> dict[str, Any]:
    """The brief restricted to event ``event_id``, validated.

    Keeps the top-level fields (``schema``, ``generator``, any added later),
    the event itself, the documents it names or cites (in the brief's order)
    and the removed spans of those documents.  Raises :class:`KeyError` if the
    brief has no such event and :class:`ValueError` if the result does not
    follow the contract (which means the input did not either).
    """
    event = next((e for e in brief.get("events", []) if e.get("id") == event_id), None)
    if event is None:
        raise KeyError(f"the brief has no event {event_id!r}")
    touched = set(event.get("documents", [])) | {span["doc"] for span in _spans(event)}
    part = {key: value for key, value in brief.items() if key not in _PARTS}
    part["documents"] = [doc for doc in brief["documents"] if doc["id"] in touched]
    part["removed"] = [removal for removal in brief["removed"] if removal["doc"] in touched]
    part["events"] = [event]
    part = copy.deepcopy(part)
    validate_brief(part)
    return part


def split_brief(brief: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Every event's brief, keyed by event id: what :meth:`Store.save_events` takes."""
    return {event["id"]: brief_for_event(brief, event["id"]) for event in brief.get("events", [])}


def check_event_brief(event_id: str, brief: Any) -> None:
    """Raise :class:`ValueError` unless ``brief`` is a brief of exactly event ``event_id``.

    A cheap shape check for saving; :func:`brief_for_event` has validated the
    contract itself.
    """
    if not isinstance(brief, Mapping) or brief.get("schema") != SCHEMA_ID:
        raise ValueError(f"the brief for event {event_id!r} is not a {SCHEMA_ID} brief")
    ids = [event.get("id") for event in brief.get("events", [])]
    if ids != [event_id]:
        raise ValueError(
            f"the brief for event {event_id!r} holds events {ids}; cut it with brief_for_event(brief, {event_id!r})"
        )


def _spans(value: Any) -> Iterator[dict]:
    """Every span object (``doc``, ``start``, ``end``) anywhere inside ``value``.

    Walking the whole event rather than naming its sections keeps this right
    when fields carrying spans are added within ``/1`` (``speaker_support`` is
    one already).
    """
    if isinstance(value, Mapping):
        if isinstance(value.get("doc"), str) and "start" in value and "end" in value:
            yield value  # type: ignore[misc]
        for item in value.values():
            yield from _spans(item)
    elif isinstance(value, list):
        for item in value:
            yield from _spans(item)

"""Publication dates as the inputs write them, to :class:`datetime.date`."""

from __future__ import annotations

import time
from datetime import date, datetime, timezone
from email.utils import parsedate_to_datetime

#: Epoch numbers above this are taken as milliseconds (it is 5138 AD in seconds).
_EPOCH_MS_THRESHOLD = 1e11


def to_date(value: object) -> date | None:
    """A date from ISO 8601 text (``2026-04-02``, ``2026-04-02 09:15:00``, with
    ``T``/``Z``/offset), RFC 2822 text (``Thu, 02 Apr 2026 09:15:00 GMT``), Unix
    seconds or milliseconds, ``time.struct_time``, ``date`` or ``datetime``;
    ``None`` when the value is none of these.
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, time.struct_time):
        return date(value.tm_year, value.tm_mon, value.tm_mday)
    if isinstance(value, (int, float)):
        seconds = value / 1000 if value > _EPOCH_MS_THRESHOLD else value
        try:
            return datetime.fromtimestamp(seconds, tz=timezone.utc).date()
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        return None

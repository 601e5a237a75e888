"""How inputs are read (:class:`ReadOptions`) and what reading them counted (:class:`ReadStats`)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .. import __version__
from .errors import InputError

MB = 1_000_000
GB = 1000 * MB

#: Most warnings kept per input name; the rest are counted in one closing line.
WARNINGS_PER_INPUT = 20


def _names(value: str | tuple[str, ...] | list[str]) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


@dataclass(slots=True)
class ReadOptions:
    """Settings for every reader; the defaults suit a laptop and common news dumps.

    Limits (an input over one is rejected with an :class:`InputError` that names
    the limit and the CLI option that raises it):

    ``max_bytes``
        Most bytes of one *document's* raw input: a whole HTML, text, feed or
        JSON file (decompressed, if it is gzipped), one URL response (after
        HTTP decompression), one WARC record's payload (after its HTTP
        content encoding is undone), one JSONL line.  Default 50 MB.
    ``max_decompressed_bytes``
        Most bytes one gzip-compressed input may expand to, all its records
        together.  Streamed inputs (``.warc.gz``, ``.jsonl.gz``) hold one
        record in memory at a time, so this bounds time, not memory: the
        default, 20 GB, reads the largest Common Crawl WARC files (about 5 GB
        expanded) and stops a file that would expand without end.
    ``max_compression_ratio``
        A gzip input may expand to at most ``max_compression_ratio`` times
        (the compressed bytes read so far + 1 MB); the 1 MB lets small,
        repetitive files pass.  News compresses 3 to 15 times, a gzip bomb
        over 1000 times: this stops a bomb after a fraction of a second
        instead of at ``max_decompressed_bytes``.  Default 100.
    ``max_records``
        Most records read from one multi-document input: WARC records of any
        type, JSONL lines, JSON array items, feed items.  Records up to the
        limit are kept.  Default 1,000,000.

    JSON nested deeper than Python's parser can follow (about 1,000 levels)
    is an error naming the record, not a crash.

    JSONL/JSON field names: each ``*_field`` is a tuple of candidate keys, the
    first present and non-empty one wins (a plain string is accepted too).
    Defaults read news-please records (``maintext``, ``title``, ``url``,
    ``date_publish``, ``source_domain``, ``authors``) and generic/Common Crawl
    News style ones (``text``, ``title``, ``url``, ``date``/``published``,
    ``source``, ``author``).

    URL fetching: ``connect_timeout`` and ``read_timeout`` are seconds (read is
    the longest silence between two received chunks); ``fetch_timeout`` is the
    most seconds one whole fetch may take, redirects included (checked before
    each hop and between received chunks of the body, so a server that trickles
    its headers is bounded by ``read_timeout`` per chunk and the HTTP client's
    64 KiB cap on headers); ``max_redirects`` counts hops.  Private, loopback, link-local, multicast and
    reserved addresses are refused unless ``allow_private`` is true.

    ``fast`` extracts HTML with trafilatura's fast mode alone, never its
    fallback extractors: a little faster, but pages whose layout defeats the
    main extractor lose their text.
    """

    max_bytes: int = 50 * MB
    max_decompressed_bytes: int = 20 * GB
    max_compression_ratio: int = 100
    max_records: int = 1_000_000
    text_field: tuple[str, ...] = ("maintext", "text", "content", "body")
    title_field: tuple[str, ...] = ("title", "headline")
    url_field: tuple[str, ...] = ("url", "link")
    date_field: tuple[str, ...] = ("date_publish", "date", "published", "date_published", "pubdate")
    source_field: tuple[str, ...] = ("source_domain", "source", "site_name", "sitename", "outlet")
    author_field: tuple[str, ...] = ("authors", "author", "byline")
    allow_private: bool = False
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    fetch_timeout: float = 120.0
    max_redirects: int = 5
    user_agent: str = f"newscollate/{__version__}"
    fast: bool = False

    def __post_init__(self) -> None:
        for name in ("text_field", "title_field", "url_field", "date_field", "source_field", "author_field"):
            names = _names(getattr(self, name))
            if not names or not all(isinstance(n, str) and n for n in names):
                raise ValueError(f"{name} must name at least one JSON key")
            setattr(self, name, names)
        for name in ("max_bytes", "max_decompressed_bytes", "max_compression_ratio", "max_records"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1")
        for name in ("connect_timeout", "read_timeout", "fetch_timeout"):
            if not getattr(self, name) > 0:
                raise ValueError(f"{name} must be more than 0 seconds")
        if self.max_redirects < 0:
            raise ValueError("max_redirects must be 0 or more")


#: CLI option that raises each limit, for error messages.
LIMIT_OPTIONS = {
    "max_bytes": "--max-bytes",
    "max_decompressed_bytes": "--max-decompressed-bytes",
    "max_compression_ratio": "--max-compression-ratio",
    "max_records": "--max-records",
}


def limit_error(name: str, limit: str, value: int, what: str) -> InputError:
    """An error for an input over ``limit`` (a :class:`ReadOptions` field) of ``value``."""
    shown = f"{value:,} bytes" if limit.endswith("bytes") else f"{value:,}"
    return InputError(
        name,
        f"{what} over the {limit} limit of {shown}; raise it with {LIMIT_OPTIONS[limit]} "
        f"(ReadOptions.{limit}) if the input is trusted",
    )


def expansion_error(name: str, options: ReadOptions, limit: str, kept: str = "") -> InputError:
    """The error for a gzip input cut off at ``limit`` (``max_decompressed_bytes`` or
    ``max_compression_ratio``); ``kept`` says what was read before the cut."""
    if limit == "max_decompressed_bytes":
        expanded = f"expanding past {options.max_decompressed_bytes:,} bytes"
    else:
        expanded = f"expanding over {options.max_compression_ratio:,} times its compressed size (a gzip bomb?)"
    shown = f"{getattr(options, limit):,}" + (" bytes" if limit.endswith("bytes") else "")
    return InputError(
        name,
        f"gzip data {expanded} is over the {limit} limit of {shown}; {kept + '; ' if kept else ''}"
        f"raise it with {LIMIT_OPTIONS[limit]} (ReadOptions.{limit}) if the input is trusted",
    )


def too_many_records(name: str, options: ReadOptions, kind: str) -> InputError:
    """The error for an input with more than ``max_records`` records of ``kind`` ("WARC records")."""
    most = options.max_records
    return limit_error(name, "max_records", most, f"{kind} after the first {most:,} (which were read) are")


@dataclass
class ReadStats:
    """What a reading pass saw besides documents and errors.

    ``records`` counts records of multi-document inputs (WARC records, JSONL
    lines, feed items) that were looked at; ``skipped`` counts records left out
    on purpose by reason (``"WARC request record"``, ``"WARC non-HTML
    response"``, ``"JSONL blank line"``, ...); ``warnings`` are problems that
    did not stop a document being read, at most :data:`WARNINGS_PER_INPUT` per
    input name.
    """

    records: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)
    _warned: Counter[str] = field(default_factory=Counter, repr=False)

    def warn(self, name: str, message: str, where: str | None = None) -> None:
        """Add ``where: message`` (``where`` defaults to the input ``name``).

        The first warnings per input are kept, the rest only counted.
        """
        self._warned[name] += 1
        if self._warned[name] <= WARNINGS_PER_INPUT:
            self.warnings.append(f"{where or name}: {message}")

    def close_input(self, name: str) -> None:
        """Say how many warnings about ``name`` were not kept."""
        extra = self._warned.pop(name, 0) - WARNINGS_PER_INPUT
        if extra > 0:
            self.warnings.append(f"{name}: {extra:,} more warnings like the above not shown")

"""The ``newscollate`` command line.

Exit status: 0 when every input was used, 1 when some inputs were rejected
(each named on stderr with its reason; the rest are still collated), 2 on bad
usage.
"""

from __future__ import annotations

import functools
import inspect
import time
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console

from .. import __version__
from ..ingest.options import ReadOptions

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Collate many outlets' reports of the same news events into one sourced brief.",
)
err = Console(stderr=True, highlight=False)
_DEFAULTS = ReadOptions()


def _version(value: bool) -> None:
    if value:
        typer.echo(f"newscollate {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[Optional[bool], typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")] = None,
) -> None:
    """newscollate: what happened, who says so, how many independent sources, where they disagree."""


PathsArgument = Annotated[
    list[str],
    typer.Argument(
        help="Files, folders or http(s) URLs: plain text, HTML, WARC(.gz), RSS/Atom, JSONL; read by content.",
        show_default=False,
        metavar="PATH",
    ),
]


def _field_option(field: str, example: str):
    return Annotated[
        Optional[str],
        typer.Option(
            f"--{field}-field",
            help=f"JSONL/JSON key(s) of the {field}, e.g. '{example}'; '|' separates candidates, the first present wins.",
            show_default=False,
        ),
    ]


AllowPrivateOption = Annotated[bool, typer.Option("--allow-private", help="Allow URLs on private, loopback and link-local addresses.")]
MaxBytesOption = Annotated[int, typer.Option("--max-bytes", help="Largest input document, in bytes.")]
MaxDecompressedOption = Annotated[
    int, typer.Option("--max-decompressed-bytes", help="Most bytes a gzip input may expand to, all its records together.")
]
MaxRecordsOption = Annotated[int, typer.Option("--max-records", help="Most records read from one WARC, JSONL or feed.")]
MaxRatioOption = Annotated[
    int,
    typer.Option("--max-compression-ratio", help="Most times a gzip input may expand over its compressed size (stops gzip bombs)."),
]
ConnectTimeoutOption = Annotated[float, typer.Option("--connect-timeout", help="URLs: seconds to resolve and connect.")]
ReadTimeoutOption = Annotated[float, typer.Option("--read-timeout", help="URLs: longest silence from the server, in seconds.")]
FetchTimeoutOption = Annotated[float, typer.Option("--fetch-timeout", help="URLs: most seconds for a whole fetch, redirects included.")]
MaxRedirectsOption = Annotated[int, typer.Option("--max-redirects", help="URLs: most redirects followed.")]
FastOption = Annotated[
    bool,
    typer.Option(
        "--fast", help="HTML by trafilatura's main extractor alone, without its fallbacks: faster, loses pages it misreads."
    ),
]
_FIELDS = ("text", "title", "url", "date", "source", "author")
_READER_PARAMETERS = [
    inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation)
    for name, annotation, default in [
        *((f"{field}_field", _field_option(field, example), None) for field, example in zip(
            _FIELDS, ("maintext|body", "headline", "link", "date_publish", "source_domain", "byline"))),
        ("allow_private", AllowPrivateOption, False),
        ("max_bytes", MaxBytesOption, _DEFAULTS.max_bytes),
        ("max_decompressed_bytes", MaxDecompressedOption, _DEFAULTS.max_decompressed_bytes),
        ("max_compression_ratio", MaxRatioOption, _DEFAULTS.max_compression_ratio),
        ("max_records", MaxRecordsOption, _DEFAULTS.max_records),
        ("connect_timeout", ConnectTimeoutOption, _DEFAULTS.connect_timeout),
        ("read_timeout", ReadTimeoutOption, _DEFAULTS.read_timeout),
        ("fetch_timeout", FetchTimeoutOption, _DEFAULTS.fetch_timeout),
        ("max_redirects", MaxRedirectsOption, _DEFAULTS.max_redirects),
        ("fast", FastOption, False),
    ]
]


def reads_inputs(command):
    """Give ``command`` the reader options (fields, limits, ...) of the command line;
    it receives them built into one :class:`ReadOptions` as its ``options`` argument."""
    signature = inspect.signature(command, eval_str=True)
    kept = [p for p in signature.parameters.values() if p.name != "options"]

    @functools.wraps(command)
    def with_options(**kwargs):
        fields = {field: kwargs.pop(f"{field}_field") for field in _FIELDS}
        limits = {p.name: kwargs.pop(p.name) for p in _READER_PARAMETERS if not p.name.endswith("_field")}
        return command(options=_read_options(fields, **limits), **kwargs)

    with_options.__signature__ = signature.replace(parameters=kept + _READER_PARAMETERS)
    with_options.__annotations__ = {p.name: p.annotation for p in with_options.__signature__.parameters.values()}
    return with_options


# A str, not a Path: a postgresql://user@host/db URL would lose a slash of its "//" as a Path.
StoreOption = Annotated[
    Optional[str],
    typer.Option(
        "--store", "-s", show_default=False,
        help="SQLite store file or postgresql://user@host:port/database URL [default: $NEWSCOLLATE_STORE or ./newscollate.db].",
    ),
]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="Print only errors.")]


@app.command()
@reads_inputs
def collate(
    paths: PathsArgument,
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for brief.json, brief.md and brief.html (created if missing).")],
    quiet: QuietOption = False,
    options: ReadOptions = _DEFAULTS,
) -> None:
    """Collate PATHS into one brief per event, written to OUT (no store needed)."""
    from ..brief import build_brief

    started = time.perf_counter()
    if out.exists() and not out.is_dir():
        err.print(f"[red]error:[/] --out {out} exists and is not a folder")
        raise typer.Exit(2)
    result = _read(paths, options)
    corpus = _collate(result.documents, quiet)
    brief = build_brief(corpus)
    written = _write(brief, {d.id: d.text for d in corpus.documents}, out)
    if not quiet:
        err.print(
            f"{len(corpus.documents)} documents, {len(corpus.events)} events, "
            f"{len(brief['removed'])} junk spans removed in {time.perf_counter() - started:.1f} s"
        )
        for path in written.values():
            err.print(f"  wrote {path}")
    raise typer.Exit(1 if result.errors else 0)


@app.command()
@reads_inputs
def ingest(
    paths: PathsArgument,
    store: StoreOption = None,
    quiet: QuietOption = False,
    options: ReadOptions = _DEFAULTS,
) -> None:
    """Add PATHS to the store and stream the new documents into its events.

    Adding is idempotent: a text already stored (same content) is never stored
    twice.  New documents join the stored events they report (or start new
    ones); only the events that change are collated again.
    """
    from ..store.stream import stream_into_events

    errors: list = []
    with _open_store(store) as db:
        # documents stream from the readers into the store in batches: memory stays flat
        added = db.add_documents(_reported(paths, options, errors))
        if not added.total:
            err.print("[red]error:[/] no usable input; nothing to ingest")
            raise typer.Exit(1)
        for rejected in added.rejected:
            err.print(f"[red]rejected[/] {rejected.path}: {rejected.reason}")
        with err.status("grouping", spinner="dots") if not quiet else _Silent() as status:
            streamed = stream_into_events(db, added.added_ids, progress=status.update)
        if not quiet:
            err.print(
                f"{added.added} documents added, {added.present} already stored; "
                f"{streamed.created_or_changed} events created or grown, {streamed.merged_away} merged into others; "
                f"the store holds {db.document_count()} documents in {len(db.events())} events"
            )
    raise typer.Exit(1 if errors or added.rejected else 0)


@app.command()
def events(
    store: StoreOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the events as JSON lines.")] = False,
) -> None:
    """List the events in the store, most documents first."""
    import json

    from rich.table import Table

    with _open_store(store, create=False) as db:
        rows = db.events()
    if as_json:
        for row in rows:
            typer.echo(json.dumps({"id": row.id, "title": row.title, "documents": row.documents,
                                   "first_published": _iso(row.first_published), "last_published": _iso(row.last_published)}, ensure_ascii=False))
        return
    table = Table("event", "docs", "published", "title", box=None, highlight=False)
    for row in rows:
        dates = " – ".join(dict.fromkeys(x for x in (_iso(row.first_published), _iso(row.last_published)) if x))
        table.add_row(row.id, str(row.documents), dates, row.title or "")
    Console(highlight=False).print(table)


@app.command()
def brief(
    event_id: Annotated[str, typer.Argument(help="An event id, as `newscollate events` lists them.", show_default=False)],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for brief.json, brief.md and brief.html.")],
    store: StoreOption = None,
) -> None:
    """Render one stored event's brief to OUT."""
    with _open_store(store, create=False) as db:
        stored = db.brief(event_id)
        if stored is None:
            err.print(f"[red]error:[/] no event {event_id!r} in the store; `newscollate events` lists the events")
            raise typer.Exit(1)
        texts = db.texts([d["id"] for d in stored["documents"]])
    for path in _write(stored, texts, out).values():
        err.print(f"  wrote {path}")


@app.command()
def serve(
    store: StoreOption = None,
    host: Annotated[str, typer.Option("--host", help="Address to listen on; anything but loopback exposes the store to your network.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", "-p", min=1, max=65535, help="Port to listen on.")] = 8000,
    max_upload_mb: Annotated[int, typer.Option("--max-upload-mb", min=1, help="Largest upload (all its files together), in MB.")] = 50,
    # No defaults here: WebSettings holds them, and importing it (FastAPI) would slow every command.
    max_files: Annotated[
        Optional[int], typer.Option("--max-files", min=1, show_default=False, help="Most files in one upload (default 200).")
    ] = None,
    max_request_records: Annotated[
        Optional[int],
        typer.Option("--max-request-records", min=1, show_default=False,
                     help="Most records (documents) in one upload or API request, all its files together (default 10000)."),
    ] = None,
) -> None:
    """Serve the store as a web application and JSON API (open http://HOST:PORT/)."""
    import uvicorn

    from ..web import WebSettings, create_app
    from ..web.memory import limit_arenas
    from ..web.security import LOOPBACK_HOSTS

    public = host not in LOOPBACK_HOSTS
    if public:
        err.print(f"[yellow]warning[/] listening on {host}: anyone who can reach this machine can read and add documents")
    from ..store import describe

    target = store or _store_path()
    try:
        limits = {"max_files": max_files, "max_request_records": max_request_records}
        settings = WebSettings(
            store=target, max_upload_bytes=max_upload_mb * 1024 * 1024, public=public,
            **{name: value for name, value in limits.items() if value is not None},
        )  # fmt: skip
        application = create_app(settings)
    except Exception as exc:  # noqa: BLE001 - the store's own message says what is wrong
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(1) from None
    err.print(f"serving {describe(target)} at http://{'[' + host + ']' if ':' in host else host}:{port}/  (Ctrl+C stops)")
    limit_arenas()
    uvicorn.run(application, host=host, port=port, log_level="warning", server_header=False)


def _read_options(fields: dict[str, str | None], **limits):
    """:class:`ReadOptions` from the command line; a bad value is a usage error (exit 2)."""
    from ..ingest import ReadOptions

    names = {
        f"{field}_field": tuple(v.strip() for v in value.split("|") if v.strip())
        for field, value in fields.items()
        if value is not None
    }
    try:
        return ReadOptions(**names, **limits)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


def _reported(paths: list[str], options, errors: list):
    """The documents of ``paths``; each error is named on stderr as it is met."""
    from ..ingest import InputError, ReadStats, iter_documents

    stats = ReadStats()
    for item in iter_documents(paths, options, stats):
        if isinstance(item, InputError):
            errors.append(item)
            err.print(f"[red]rejected[/] {item.name}: {item.reason}")
        else:
            yield item
    for warning in stats.warnings:
        err.print(f"[yellow]warning[/] {warning}")


def _read(paths: list[str], options=None):
    """Read the inputs, naming each rejected one on stderr; exit 1 if none is usable."""
    from ..ingest import ingest as read_inputs

    result = read_inputs(paths, options)
    report_reading(result.errors, result.warnings, result.duplicates, len(result.documents))
    return result


def report_reading(errors: list, warnings: list[str], duplicates: list[tuple[str, str]], usable: int) -> None:
    """Name each rejected input, warning and repeated text on stderr; exit 1 when no input was usable."""
    for error in errors:
        err.print(f"[red]rejected[/] {error.name}: {error.reason}")
    for warning in warnings:
        err.print(f"[yellow]warning[/] {warning}")
    for name, doc_id in duplicates:
        err.print(f"[yellow]duplicate[/] {name}: same text as document {doc_id}, read once")
    if not usable:
        err.print("[red]error:[/] no usable input; nothing to collate")
        raise typer.Exit(1)


def _collate(documents, quiet: bool):
    from ..pipeline import run

    with err.status("collating", spinner="dots") if not quiet else _Silent() as status:
        def progress(stage: str) -> None:
            status.update(f"collating {len(documents)} documents: {stage}")

        return run(documents, progress=progress)


def _write(brief_json: dict, texts: dict[str, str], out: Path) -> dict[str, Path]:
    from ..render import write_brief

    try:
        return write_brief(brief_json, texts, out)
    except OSError as exc:
        err.print(f"[red]error:[/] cannot write the brief to {out}: {exc.strerror or exc}")
        raise typer.Exit(1) from None


def _store_path() -> str:
    """The default store: ``$NEWSCOLLATE_STORE`` (a file or a URL), else ./newscollate.db."""
    from ..store import default_target

    return default_target()


def _open_store(path: str | None, create: bool = True):
    from ..store import Store, StoreError
    from ..store.postgres import is_url

    path = path or _store_path()
    # A PostgreSQL database has to exist already; an empty one simply holds no events yet.
    if not create and not is_url(path) and not Path(path).exists():
        err.print(f"[red]error:[/] no store at {path}; create one with `newscollate ingest PATH... --store {path}`")
        raise typer.Exit(1)
    try:
        return Store.open(path)
    except StoreError as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(1) from None


def _iso(value) -> str | None:
    return value.isoformat() if hasattr(value, "isoformat") else value


class _Silent:
    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        return None

    def update(self, *_args) -> None:
        return None


from .run import run_command  # noqa: E402 - it uses the options defined above

app.command("run")(run_command)
from . import check  # noqa: E402, F401 - registers `newscollate check` (cli/check.py)


def main() -> None:
    app()

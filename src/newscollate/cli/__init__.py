"""The ``newscollate`` command line.

Exit status: 0 when every input was used, 1 when some inputs were rejected
(each named on stderr with its reason; the rest are still collated), 2 on bad
usage.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console

from .. import __version__

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Collate many outlets' reports of the same news events into one sourced brief.",
)
err = Console(stderr=True, highlight=False)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"newscollate {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[Optional[bool], typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")] = None,
) -> None:
    """newscollate: what happened, who says so, how many independent sources, where they disagree."""


@app.command()
def collate(
    paths: Annotated[list[str], typer.Argument(help="Article files or folders (plain text: .txt; metadata in front matter or NAME.meta.json).", show_default=False)],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for brief.json, brief.md and brief.html (created if missing).")],
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only errors.")] = False,
) -> None:
    """Collate PATHS into one brief per event, written to OUT."""
    from ..brief import build_brief
    from ..ingest import ingest
    from ..pipeline import run
    from ..render import write_brief

    started = time.perf_counter()
    if out.exists() and not out.is_dir():
        err.print(f"[red]error:[/] --out {out} exists and is not a folder")
        raise typer.Exit(2)
    result = ingest(paths)
    for error in result.errors:
        err.print(f"[red]rejected[/] {error.name}: {error.reason}")
    for warning in result.warnings:
        err.print(f"[yellow]warning[/] {warning}")
    for name, doc_id in result.duplicates:
        err.print(f"[yellow]duplicate[/] {name}: same text as document {doc_id}, read once")
    if not result.documents:
        err.print("[red]error:[/] no usable input; nothing to collate")
        raise typer.Exit(1)

    with err.status("collating", spinner="dots") if not quiet else _Silent() as status:
        def progress(stage: str) -> None:
            if not quiet:
                status.update(f"collating {len(result.documents)} documents: {stage}")

        corpus = run(result.documents, progress=progress)
        brief = build_brief(corpus)
        try:
            written = write_brief(brief, {d.id: d.text for d in corpus.documents}, out)
        except OSError as exc:
            err.print(f"[red]error:[/] cannot write the brief to {out}: {exc.strerror or exc}")
            raise typer.Exit(1) from None
    if not quiet:
        elapsed = time.perf_counter() - started
        err.print(
            f"{len(corpus.documents)} documents, {len(corpus.events)} events, "
            f"{len(brief['removed'])} junk spans removed in {elapsed:.1f} s"
        )
        for path in written.values():
            err.print(f"  wrote {path}")
    raise typer.Exit(1 if result.errors else 0)


class _Silent:
    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        return None

    def update(self, *_args) -> None:
        return None


def main() -> None:
    app()

"""``newscollate run``: the whole pipeline on a local executor or on Ray, written as Parquet tables and briefs."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.markup import escape

from ..ingest.options import ReadOptions
from . import PathsArgument, QuietOption, _Silent, err, reads_inputs, report_reading

_DEFAULTS = ReadOptions()


@reads_inputs
def run_command(
    paths: PathsArgument,
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the Parquet tables and briefs/<event id>/ (created if missing).")],
    executor: Annotated[str, typer.Option("--executor", "-e", help="Where the stages run: local (this machine) or ray.")] = "local",
    address: Annotated[
        Optional[str],
        typer.Option("--address", help="Ray cluster to run on: HEAD:6379 from one of its nodes, or ray://HEAD:10001 from anywhere (paths are then the cluster's) [default: a local Ray instance].", show_default=False),
    ] = None,
    workers: Annotated[
        Optional[int],
        typer.Option("--workers", "-w", min=1, help="Ray: parallel clean tasks and collate actors [default: every CPU of the cluster].", show_default=False),
    ] = None,
    group: Annotated[
        str, typer.Option("--group", help="Ray: group events distributed (auto) or on the driver (local).")
    ] = "auto",
    clean_batch: Annotated[
        int, typer.Option("--clean-batch", min=1, help="Documents cleaned together, in input order (executors agree when equal).")
    ] = 1000,
    quiet: QuietOption = False,
    options: ReadOptions = _DEFAULTS,
) -> None:
    """Read, clean, group and collate PATHS; write OUT/*.parquet and one brief per event under OUT/briefs/.

    Tables: documents, removed (junk spans), events (each event's segments) and
    lineage; see docs/scaling.md for running on a Ray cluster.
    """
    from ..executors import RayUnavailable, RunOptions, executor_for

    if out.exists() and not out.is_dir():
        err.print(f"[red]error:[/] --out {out} exists and is not a folder")
        raise typer.Exit(2)
    if executor not in ("local", "ray"):
        err.print(f"[red]error:[/] --executor must be local or ray, not {executor!r}")
        raise typer.Exit(2)
    if group not in ("auto", "local"):
        err.print(f"[red]error:[/] --group must be auto or local, not {group!r}")
        raise typer.Exit(2)
    if executor == "local" and (address or workers or group != "auto"):
        err.print("[red]error:[/] --address, --workers and --group are for --executor ray")
        raise typer.Exit(2)
    chosen = executor_for(executor, address, workers)
    if executor == "ray":
        chosen.group_mode = group
    with err.status(f"{executor}: starting", spinner="dots") if not quiet else _Silent() as status:
        try:
            result = chosen.run(paths, out, RunOptions(options, clean_batch), lambda stage: status.update(f"{executor}: {stage}"))
        except RayUnavailable as exc:
            err.print(f"[red]error:[/] {escape(str(exc))}")
            raise typer.Exit(1) from None
        except OSError as exc:
            err.print(f"[red]error:[/] cannot write to {out}: {exc.strerror or exc}")
            raise typer.Exit(1) from None
    report_reading(result.errors, result.warnings, result.duplicates, result.documents)
    if not quiet:
        seconds = sum(result.seconds.values())
        err.print(
            f"{result.documents:,} documents, {result.segments:,} segments, {result.events:,} events, "
            f"{result.removed:,} junk spans removed in {seconds:.1f} s ({executor}); wrote {out}/*.parquet "
            f"and {result.briefs:,} briefs under {out / 'briefs'}"
        )
    raise typer.Exit(1 if result.errors else 0)

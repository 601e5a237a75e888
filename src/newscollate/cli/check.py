"""``newscollate check``: is a store sound?  What to run after a crash, a copy or a restore."""

from __future__ import annotations

import typer
from rich.markup import escape

from . import StoreOption, _open_store, app, err


@app.command("check")
def check_command(store: StoreOption = None) -> None:
    """Check that a store is sound (after a crash, a copy, a restore).

    Checks the database's structure, every text against its content id, every stored span
    against its text, that no segment is in two events, every brief against the brief schema.

    Exit status 0 when the store is sound, 1 with one line per problem on stdout otherwise.
    Reads the whole store: minutes for millions of documents.
    """
    from ..store.schema import driver_errors

    with _open_store(store, create=False) as db:
        try:
            problems = db.integrity_check()
        except driver_errors() as exc:  # a damaged file can fail the check's own queries
            problems = [f"{db.where}: cannot be read to the end: {' '.join(str(exc).split())}"]
        if not problems:
            err.print(f"{escape(db.where)} is sound: {db.document_count()} documents, {len(db.events())} events")
            return
    for problem in problems:
        typer.echo(problem)
    err.print(f"[red]{len(problems)} problem{'s' if len(problems) > 1 else ''}[/] in {escape(db.where)}")
    raise typer.Exit(1)

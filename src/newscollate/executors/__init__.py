"""Executors: the same stages run here (:class:`LocalExecutor`) or on Ray (:class:`RayExecutor`).

An executor reads the inputs, cleans them, groups their segments into events
and collates each event, writing the tables and briefs of :mod:`.output`
into one folder.  :mod:`.stages` holds what both run, so that their results
agree (docs/scaling.md says how the Ray run is laid out).  Ray is optional:
``pip install newscollate[ray]``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Protocol

from ..ingest import InputError, ReadOptions
from .stages import CLEAN_BATCH

__all__ = ["Executor", "LocalExecutor", "RayExecutor", "RayUnavailable", "RunOptions", "RunResult", "executor_for"]

Progress = Callable[[str], None]


@dataclass(frozen=True)
class RunOptions:
    """How a run reads and batches its inputs.

    ``clean_batch``: documents cleaned together, in input order (see
    :mod:`.stages`); both executors must use the same value to agree.
    """

    read: ReadOptions = field(default_factory=ReadOptions)
    clean_batch: int = CLEAN_BATCH


@dataclass
class RunResult:
    """What a run read and wrote; ``seconds`` is wall time per stage name."""

    documents: int = 0
    segments: int = 0
    events: int = 0
    removed: int = 0
    briefs: int = 0
    errors: list[InputError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)
    """``(path, id)`` of inputs whose text equals an earlier document's (read once, the first wins)."""
    seconds: dict[str, float] = field(default_factory=dict)
    shuffled_bytes: dict[str, int] = field(default_factory=dict)
    """Ray: bytes of the rows each stage's input shuffle moves (``clean``: cleaned documents with their
    readings; ``collate``: document rows repeated per event); ``read``: the rows read."""
    block_seconds: list[float] = field(default_factory=list)
    """Ray: wall seconds of each clean batch, in input order: the cost of one block of the clean stage."""


class Executor(Protocol):
    name: str

    def run(self, inputs: list[str], out_dir: Path, options: RunOptions, progress: Progress | None = None) -> RunResult: ...


class RayUnavailable(RuntimeError):
    """Ray is not installed, or the cluster cannot be reached; the message says which and what to do."""


def executor_for(name: str, address: str | None = None, workers: int | None = None) -> Executor:
    """The executor called ``name`` (``local`` or ``ray``); ``address`` and ``workers`` are Ray's."""
    if name == "local":
        from .local import LocalExecutor

        return LocalExecutor()
    if name == "ray":
        from .ray_executor import RayExecutor

        return RayExecutor(address=address, workers=workers)
    raise ValueError(f"unknown executor {name!r}: choose local or ray")


def __getattr__(name: str):
    # The executors import their stages (and Ray) only when asked for.
    if name == "LocalExecutor":
        from .local import LocalExecutor

        return LocalExecutor
    if name == "RayExecutor":
        from .ray_executor import RayExecutor

        return RayExecutor
    raise AttributeError(name)

"""The pipeline: stages configured from one place and run in order.

Each component is a small callable with a ``name`` that takes the list of
documents (and the running :class:`Corpus`) and adds layers of spans; none of
them copies or rewrites a document's text.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Callable, Protocol

from .model import Document


class Component(Protocol):
    """One stage step: reads and annotates the documents of a corpus."""

    name: str

    def __call__(self, corpus: Corpus) -> None: ...


@dataclass
class Corpus:
    """The documents being collated and what stages derive across them."""

    documents: list[Document]
    events: list = field(default_factory=list)
    """:class:`newscollate.group.Event` objects, set by the group stage."""
    context: dict[str, Document] = field(default_factory=dict)
    """Documents of earlier batches that the events also cite (stream mode), by id."""

    def by_id(self) -> dict[str, Document]:
        return {doc.id: doc for doc in self.documents}

    def cited(self) -> dict[str, Document]:
        """Every document an event may cite: the corpus's own and the context."""
        return {**self.context, **self.by_id()}


Progress = Callable[[str], None]


def default_components() -> list[Component]:
    """The standard stages, in order, with their default settings."""
    from .clean import default_cleaners
    from .collate import Collator
    from .group import group_components
    from .nlp import Annotator

    return [*default_cleaners(), *group_components(), Annotator(), Collator()]


def run(documents: list[Document], components: list[Component] | None = None, progress: Progress | None = None) -> Corpus:
    """Run ``components`` (the defaults when omitted) over ``documents``."""
    corpus = Corpus(documents)
    for component in components if components is not None else default_components():
        if progress:
            progress(component.name)
        component(corpus)
    return corpus


def cleaned_batches(batches: Iterable[list[Document]], background: bool = True) -> Iterator[list[Document]]:
    """Each batch of documents after the clean stage, in order.

    With ``background`` the clean stage runs in a worker process one batch
    ahead of the caller, so that cleaning batch k+1 (per-document rules,
    cross-document repeats and segmentation within the batch) overlaps with
    whatever the caller does with batch k (grouping, storing): the two cores
    of a small machine both work.  The worker also reads each segment for the
    group stage (:mod:`newscollate.group.readings`).  The documents come back
    as copies with their layers.
    """
    if not background:
        yield from map(_clean, batches)
        return
    with ProcessPoolExecutor(max_workers=1) as pool:
        pending: Future | None = None
        for batch in batches:
            submitted = pool.submit(_clean, batch)
            if pending is not None:
                yield pending.result()
            pending = submitted
        if pending is not None:
            yield pending.result()


def _clean(documents: list[Document]) -> list[Document]:
    from .clean import default_cleaners
    from .group.readings import SegmentReader

    return run(documents, [*default_cleaners(), SegmentReader()]).documents

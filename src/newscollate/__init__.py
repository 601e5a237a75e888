"""newscollate: collate many outlets' reports of the same news events into one sourced brief.

Quick use::

    from newscollate import collate_paths
    brief, result = collate_paths(["articles/"])

The stages live in sub-packages (ingest, clean, group, collate, render, cli)
and share one document model (:mod:`newscollate.model`).
"""

__version__ = "0.1.0"


def collate_paths(paths, progress=None):
    """Ingest ``paths`` (files or folders), run every stage, return ``(brief, ingest_result)``."""
    from .brief import build_brief
    from .ingest import ingest
    from .pipeline import run

    result = ingest(paths)
    corpus = run(result.documents, progress=progress)
    return build_brief(corpus), result

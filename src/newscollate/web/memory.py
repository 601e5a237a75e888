"""Keeping a long-running server's resident memory flat under glibc's allocator.

Measured by ``bench/soak.py`` (docs/benchmarks.md): with glibc's default of up to
8 malloc arenas per core, a server whose requests run on a pool of threads crept up
1-2 MiB a minute with no Python object alive to account for it (tracemalloc: 3.6 MiB
over ten minutes, all of it the bounded page cache), and each upload that created
events left tens of MiB freed but kept by its thread's arena.  Two arenas removed
the creep; trimming after an ingest gave its peak back at once.  On other C
libraries (musl, macOS) both calls are skipped: they have no such arenas.
"""

from __future__ import annotations

import ctypes
import sys

_M_ARENA_MAX = -8
"""glibc's ``mallopt`` parameter for the most arenas (malloc.h)."""
SERVER_ARENAS = 2


def _glibc():
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return None
    return libc if hasattr(libc, "malloc_trim") and hasattr(libc, "mallopt") else None


_LIBC = _glibc()


def limit_arenas(count: int = SERVER_ARENAS) -> None:
    """Cap glibc's malloc arenas; call before the server starts its threads."""
    if _LIBC is not None:
        _LIBC.mallopt(_M_ARENA_MAX, count)


def give_back_freed_memory() -> None:
    """Return freed heap pages to the system (after a large, rare piece of work such as an ingest)."""
    if _LIBC is not None:
        _LIBC.malloc_trim(0)

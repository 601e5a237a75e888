"""Writing a benchmark's section of docs/benchmarks.md, and the machine line every section carries."""

from __future__ import annotations

import os
import platform
import re
import time
from pathlib import Path


def machine_line() -> str:
    return (
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
        f"measured {time.strftime('%Y-%m-%d')}."
    )


def markdown(docstring: str) -> list[str]:
    """The docstring's paragraphs and bullet lists as Markdown lines."""
    lines: list[str] = []
    for paragraph in docstring.strip().split("\n\n"):
        items = re.split(r"\n(?=\* )", paragraph)
        lines += [" ".join(item.split()) for item in items] + [""]
    return lines


def replace_section(path: Path, begin: str, end: str, section: str) -> None:
    """Put ``section`` (which starts with ``begin`` and ends with ``end``) in place of the old one.

    The rest of the file is kept as it is; a file without the markers gets the section at its end.
    """
    old = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    if begin in old and end in old.split(begin, 1)[1]:
        head, rest = old.split(begin, 1)
        new = head + section + rest.split(end, 1)[1]
    else:
        new = old.rstrip("\n") + "\n\n" + section + "\n"
    path.write_text(new, encoding="utf-8")

"""Streaming gzip that says where a file is broken.

:class:`gzip.GzipFile` reports a truncated file only as ``EOFError`` with no
position, and FastWARC's own decompressor stops silently at a damaged member,
losing the records after it without a word.  :class:`GzipStream` decompresses
any number of concatenated members (``.warc.gz`` has one per record) and
raises :class:`GzipError` naming the compressed byte offset of the member that
is cut off or corrupt, so a reader can keep what came before and tell the user
exactly where the damage starts.  It also stops a gzip bomb: the stream ends
once the data expands past a total or past a ratio to the compressed bytes
read, and :attr:`GzipStream.over_limit` says which.
"""

from __future__ import annotations

import io
import zlib
from collections import deque
from typing import BinaryIO

#: Compressed bytes read from the file per step; also the most decompressed
#: bytes produced per step, so a gzip bomb never expands past this in memory.
CHUNK = 1 << 16

#: Most compressed bytes given to zlib at once (see ``_step``).
FEED = 1 << 13

#: Compressed bytes of slack in the ratio check: ``max_ratio`` x (bytes read + this).
RATIO_SLACK = 1_000_000

#: Member starts remembered for :meth:`GzipStream.compressed_offset`; a reader
#: asks about records within its read-ahead, far fewer than this.
MEMBER_MEMORY = 4096


class GzipError(OSError):
    """A gzip stream is truncated or corrupt at compressed byte ``offset``."""

    def __init__(self, offset: int, problem: str) -> None:
        super().__init__(f"{problem} (gzip member starting at byte {offset:,})")
        self.offset = offset
        self.problem = problem


class GzipStream(io.RawIOBase):
    """Readable decompressed view of the gzip data in ``raw``.

    Damage does not raise: the stream ends where the good data ends and
    :attr:`error` says what is wrong and where; a reader checks it once it
    has read everything.

    ``compressed_offset(pos)`` maps a decompressed position where a member
    starts back to that member's byte offset in the file, the offset WARC
    indexes (CDX) use for records.

    ``max_output`` caps the decompressed bytes; ``max_ratio`` caps them at
    ``max_ratio * (compressed bytes read + RATIO_SLACK)``.  Past either the
    stream ends, like at damage, and :attr:`over_limit` names the
    :class:`~.options.ReadOptions` field (``"max_decompressed_bytes"`` or
    ``"max_compression_ratio"``).
    """

    def __init__(self, raw: BinaryIO, max_output: int | None = None, max_ratio: int | None = None) -> None:
        super().__init__()
        self._raw = raw
        self._max_output = max_output
        self._max_ratio = max_ratio
        self._in_pos = 0  # compressed bytes of ``raw`` consumed
        self._out_pos = 0  # decompressed bytes handed out
        self._buffer = b""  # compressed bytes read from ``raw``
        self._pos = 0  # of the first byte in ``_buffer`` not yet decompressed
        self._view = memoryview(self._buffer)
        self._ready = b""  # decompressed bytes not yet handed out
        self._inflater: zlib._Decompress | None = None
        self._member_start = 0
        self._members: deque[tuple[int, int]] = deque(maxlen=MEMBER_MEMORY)
        self._done = False
        self.error: GzipError | None = None
        """Set when the stream ended early because the data is truncated or corrupt."""
        self.over_limit: str | None = None
        """Set when the stream ended early at ``max_output`` or ``max_ratio``."""

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True  # forward only, by decompressing and discarding; FastWARC needs tell()

    def tell(self) -> int:
        return self._out_pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        target = {io.SEEK_SET: offset, io.SEEK_CUR: self._out_pos + offset}.get(whence)
        if target is None or target < self._out_pos:
            raise io.UnsupportedOperation("a gzip stream can only seek forward")
        while self._out_pos < target and self.read(min(CHUNK, target - self._out_pos)):
            pass
        return self._out_pos

    def readinto(self, buffer) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            return b"".join(iter(lambda: self.read(CHUNK), b""))
        while not self._ready and not self._done:
            try:
                self._step()
            except GzipError as error:
                # Readers fill whole buffers before parsing, so raising here would lose
                # the records decompressed before the damage: end the stream instead.
                self.error = error
                self._done = True
        data, self._ready = self._ready[:size], self._ready[size:]
        self._out_pos += len(data)
        return data

    def compressed_offset(self, pos: int) -> int | None:
        """Byte offset in the file of the member whose data starts at decompressed ``pos``."""
        while self._members and self._members[0][0] < pos:
            self._members.popleft()
        if self._members and self._members[0][0] == pos:
            return self._members[0][1]
        return None

    def _step(self) -> None:
        if self._pos >= len(self._buffer):
            self._buffer, self._pos = self._raw.read(CHUNK), 0
            self._view = memoryview(self._buffer)
            if not self._buffer:
                if self._inflater is not None:
                    raise GzipError(self._member_start, "the file ends inside a gzip member: it is truncated")
                self._done = True
                return
        if self._inflater is None:
            if self._buffer[self._pos] == 0:  # some writers pad the end of a file with NUL bytes
                padding = len(self._buffer) - self._pos - len(self._buffer[self._pos :].lstrip(b"\x00"))
                self._in_pos += padding
                self._pos += padding
                return
            self._member_start = self._in_pos
            self._members.append((self._out_pos + len(self._ready), self._in_pos))
            self._inflater = zlib.decompressobj(wbits=31)
        inflater = self._inflater
        # Feed small slices: zlib copies the input left over after a member ends,
        # and a .warc.gz has one short member per record.
        piece = self._view[self._pos : self._pos + FEED]
        try:
            out = inflater.decompress(piece, CHUNK)
        except zlib.error as exc:
            if self._member_start and "header" in str(exc):
                problem = "the bytes after a complete gzip member are not gzip data"
            else:
                problem = f"corrupt gzip data ({exc})"
            raise GzipError(self._member_start, problem) from None
        left = len(inflater.unused_data) if inflater.eof else len(inflater.unconsumed_tail)
        self._pos += len(piece) - left
        self._in_pos += len(piece) - left
        self._ready += out
        if inflater.eof:
            self._inflater = None
        expanded = self._out_pos + len(self._ready)
        if self._max_output is not None and expanded > self._max_output:
            self.over_limit = "max_decompressed_bytes"
            self._ready = self._ready[: self._max_output - self._out_pos]  # not a byte past the limit
        elif self._max_ratio is not None and expanded > self._max_ratio * (self._in_pos + RATIO_SLACK):
            self.over_limit = "max_compression_ratio"
        self._done = self._done or self.over_limit is not None

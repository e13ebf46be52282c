"""Content codings (gzip, deflate) undone a bounded piece at a time, with the size cap applied as they
inflate.

httpx inflates each layer of a `Content-Encoding` in one call per network chunk, so a 2 kB body sent as
`gzip, gzip` grows to a gigabyte in memory before any cap can look at it. Here every layer hands on at
most `PIECE` bytes at a time (zlib's `max_length`, the rest kept as `unconsumed_tail`), each layer's
output is counted against the cap, and the caller stops at the first byte over it: memory stays near
the cap whatever the ratio or the number of layers.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator

from timeline.sources.fetcherrors import ResponseTooLargeError, UnreadableBodyError

PIECE = 64 * 1024
# Servers send one coding; two is already odd. More can only be an attack.
MAX_LAYERS = 3
ACCEPT_ENCODING = "gzip, deflate"
_IDENTITY = {"", "identity"}


class _Layer:
    """One gzip or deflate layer; gzip may hold several members back to back (RFC 1952)."""

    def __init__(self, coding: str) -> None:
        self.coding = coding
        self._gzip = coding in ("gzip", "x-gzip")
        self._z = self._new()
        self._started = False

    def _new(self, wbits: int | None = None) -> zlib._Decompress:
        if wbits is None:
            wbits = 16 + zlib.MAX_WBITS if self._gzip else zlib.MAX_WBITS
        return zlib.decompressobj(wbits)

    def feed(self, data: bytes) -> Iterator[bytes]:
        """The inflated bytes of `data`, `PIECE` at most at a time."""
        if not self._gzip and not self._started and data:
            self._started = True
            # "deflate" is meant to be zlib-wrapped (RFC 1950 header); some servers send it raw
            wrapped = len(data) >= 2 and data[0] & 0x0F == 8 and ((data[0] << 8) | data[1]) % 31 == 0
            if not wrapped:
                self._z = self._new(-zlib.MAX_WBITS)
        while data:
            try:
                out = self._z.decompress(data, PIECE)
            except zlib.error as exc:
                raise UnreadableBodyError(f"corrupt {self.coding} body: {exc}") from None
            data = self._z.unconsumed_tail
            if self._z.eof:
                rest = self._z.unused_data
                if self._gzip and rest.strip(b"\0"):
                    self._z, data = self._new(), rest
            if out:
                yield out
            # a full piece may leave output pending inside zlib with no input left
            while not data and len(out) == PIECE and not self._z.eof:
                out = self._z.decompress(b"", PIECE)
                if out:
                    yield out

    def finish(self) -> Iterator[bytes]:
        """What zlib still holds at the end of the body (bounded by its window)."""
        out = self._z.flush()
        if out:
            yield out


def decoded(chunks: Iterable[bytes], content_encoding: str | None, *, max_bytes: int) -> Iterator[bytes]:
    """The body's bytes with every content coding undone, refused past `max_bytes` at any layer.

    `content_encoding` is the header as sent (codings in the order they were applied). Unknown codings
    (br, zstd, compress: we never ask for them) and more than `MAX_LAYERS` layers are refused."""
    codings = [c.strip().lower() for c in (content_encoding or "").split(",")]
    codings = [c for c in codings if c not in _IDENTITY]
    unknown = [c for c in codings if c not in ("gzip", "x-gzip", "deflate")]
    if unknown:
        raise UnreadableBodyError(f"unsupported Content-Encoding {unknown[0]!r}")
    if len(codings) > MAX_LAYERS:
        raise UnreadableBodyError(f"{len(codings)} stacked content codings (at most {MAX_LAYERS})")
    stream: Iterable[bytes] = chunks
    # undone in the reverse order of application, each layer counted against the cap
    for coding in reversed(codings):
        stream = _capped(_inflate(_Layer(coding), stream), max_bytes)
    return _capped(stream, max_bytes) if not codings else iter(stream)


def _inflate(layer: _Layer, stream: Iterable[bytes]) -> Iterator[bytes]:
    for chunk in stream:
        yield from layer.feed(chunk)
    yield from layer.finish()


def _capped(stream: Iterable[bytes], max_bytes: int) -> Iterator[bytes]:
    size = 0
    for chunk in stream:
        size += len(chunk)
        if size > max_bytes:
            raise ResponseTooLargeError(f"body exceeds max_bytes={max_bytes}")
        yield chunk

"""Where a fetch may connect: host lookups with a timeout, and an httpx transport that connects only to
public addresses.

httpx has no resolver hook, but it takes any `httpx.BaseTransport`, and httpcore's `ConnectionPool`
takes any `httpcore.NetworkBackend`: both are documented extension points. `GuardedTransport` is an
httpx transport over such a pool whose backend (`GuardedBackend`) resolves every host itself (bounded
by the timeout), refuses the connection when any address is private, loopback, link-local, reserved or
multicast (unless allowed), and connects the socket to the very address it checked, so a DNS answer
that changes between a check and the connect (rebinding) cannot slip by. Every connection passes
through it: each redirect hop and every keep-alive reconnect.
"""

from __future__ import annotations

import ipaddress
import queue
import socket
import threading
import time
import typing
from dataclasses import dataclass, field

import httpcore
import httpx

from timeline.sources.fetcherrors import ConnectionFailedError, FetchTimeoutError, UnsafeURLError

# How many lookups may run at once per transport: a resolver that stalls every query then holds this
# many threads, not one per poll.
RESOLVER_THREADS = 8


def address_allowed(address: str) -> bool:
    """Whether a socket may connect to this IP address: a global unicast one (IPv4-mapped looked through)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def _refusal(address: str, host: str) -> str:
    return (
        f"refused non-public address {address} for host {host!r}"
        " (set [http] allow_private_addresses to allow it)"
    )


@dataclass
class _Lookup:
    host: str
    port: int
    done: threading.Event = field(default_factory=threading.Event)
    answer: list[str] | None = None
    error: BaseException | None = None
    abandoned: bool = False


class Resolver:
    """Host lookups bounded by a timeout, on a few daemon threads.

    getaddrinfo takes no timeout and a stalled resolver can hold a call for tens of seconds. A lookup
    runs on one of `threads` daemon threads and the caller waits at most `timeout`; a lookup still
    running then finishes on its thread unheard (daemon threads are never joined, not even at exit).
    An IP literal resolves to itself without a thread.
    """

    def __init__(self, threads: int = RESOLVER_THREADS) -> None:
        self._size = threads
        self._jobs: queue.SimpleQueue[_Lookup | None] = queue.SimpleQueue()
        self._started = 0
        self._lock = threading.Lock()
        self._closed = False

    def resolve(self, host: str, port: int, timeout: float | None) -> list[str]:
        """Every address `host` resolves to, in the resolver's order, within `timeout` seconds."""
        try:
            return [str(ipaddress.ip_address(host.strip("[]").split("%", 1)[0]))]
        except ValueError:
            pass
        job = _Lookup(host, port)
        self._start_thread()
        self._jobs.put(job)
        if not job.done.wait(timeout):
            job.abandoned = True
            raise FetchTimeoutError(f"cannot resolve host {host!r}: no answer within {timeout:g}s")
        if job.error is not None:
            raise ConnectionFailedError(f"cannot resolve host {host!r}: {job.error}") from job.error
        assert job.answer is not None
        return job.answer

    def close(self) -> None:
        """Let idle lookup threads end; a lookup still stalled ends when its call returns."""
        with self._lock:
            self._closed = True
            for _ in range(self._started):
                self._jobs.put(None)

    def _start_thread(self) -> None:
        with self._lock:
            if self._closed or self._started >= self._size:
                return
            self._started += 1
            worker = threading.Thread(target=self._work, name="resolve", daemon=True)
        worker.start()

    def _work(self) -> None:
        while (job := self._jobs.get()) is not None:
            if job.abandoned:  # its caller gave up while it waited behind stalled lookups
                continue
            try:
                found = socket.getaddrinfo(job.host, job.port, type=socket.SOCK_STREAM)
                job.answer = list(dict.fromkeys(str(info[4][0]) for info in found))
            except Exception as exc:  # OSError, UnicodeError, anything: the thread must live on
                job.error = exc
            job.done.set()


class GuardedBackend(httpcore.NetworkBackend):
    """Resolves through a `Resolver` (so lookups time out) and, unless private addresses are allowed,
    connects only when every address of the host is public, to the address that was checked."""

    def __init__(self, resolver: Resolver | None = None, *, allow_private_addresses: bool = False) -> None:
        self.resolver = resolver or Resolver()
        self.allow_private_addresses = allow_private_addresses
        self._inner = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[typing.Any] | None = None,
    ) -> httpcore.NetworkStream:
        """Open a TCP stream to `host`, refusing non-public addresses unless allowed."""
        started = time.monotonic()
        addresses = self.resolver.resolve(host, port, timeout)
        if not self.allow_private_addresses:
            refused = [address for address in addresses if not address_allowed(address)]
            if refused:
                raise UnsafeURLError(_refusal(refused[0], host))
        if timeout is not None:  # the lookup spent part of the connect budget
            timeout = max(timeout - (time.monotonic() - started), 0.001)
        last: Exception | None = None
        for address in addresses:
            try:
                return self._inner.connect_tcp(address, port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
        if last is None:
            raise ConnectionFailedError(f"host {host!r} resolved to no address")
        raise last

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: typing.Any = None
    ) -> httpcore.NetworkStream:
        """Refused: a feed is never read from a local socket."""
        raise UnsafeURLError("unix sockets are refused")

    def sleep(self, seconds: float) -> None:
        """Block for `seconds` (httpcore's retry pacing)."""
        time.sleep(seconds)


# httpcore's exceptions and the httpx ones callers expect, most specific first.
_ERRORS: tuple[tuple[type[Exception], type[httpx.TransportError]], ...] = (
    (httpcore.ConnectTimeout, httpx.ConnectTimeout),
    (httpcore.ReadTimeout, httpx.ReadTimeout),
    (httpcore.WriteTimeout, httpx.WriteTimeout),
    (httpcore.PoolTimeout, httpx.PoolTimeout),
    (httpcore.TimeoutException, httpx.TimeoutException),
    (httpcore.ConnectError, httpx.ConnectError),
    (httpcore.ReadError, httpx.ReadError),
    (httpcore.WriteError, httpx.WriteError),
    (httpcore.NetworkError, httpx.NetworkError),
    (httpcore.RemoteProtocolError, httpx.RemoteProtocolError),
    (httpcore.LocalProtocolError, httpx.LocalProtocolError),
    (httpcore.ProxyError, httpx.ProxyError),
    (httpcore.UnsupportedProtocol, httpx.UnsupportedProtocol),
    (httpcore.ProtocolError, httpx.ProtocolError),
)


class _MappedErrors:
    """Re-raise an httpcore exception as the httpx one of the same meaning."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, _tb: object) -> None:
        if exc is None:
            return
        for core, mapped in _ERRORS:
            if isinstance(exc, core):
                raise mapped(str(exc)) from exc


class _Body(httpx.SyncByteStream):
    def __init__(self, stream: typing.Iterable[bytes]) -> None:
        self._stream = stream

    def __iter__(self) -> typing.Iterator[bytes]:
        with _MappedErrors():
            yield from self._stream

    def close(self) -> None:
        closer = getattr(self._stream, "close", None)
        if closer is not None:
            closer()


class GuardedTransport(httpx.BaseTransport):
    """An httpx transport whose every connection goes through a `GuardedBackend`."""

    def __init__(
        self,
        backend: GuardedBackend,
        *,
        max_connections: int = 20,
        max_keepalive_connections: int = 10,
        keepalive_expiry: float = 5.0,
    ) -> None:
        self.backend = backend
        self._connections = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=max_connections,
            max_keepalive_connections=max_keepalive_connections,
            keepalive_expiry=keepalive_expiry,
            network_backend=backend,
        )

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Send one request through the guarded pool; the body streams as it arrives."""
        assert isinstance(request.stream, httpx.SyncByteStream)
        core = httpcore.Request(
            method=request.method,
            url=httpcore.URL(
                scheme=request.url.raw_scheme,
                host=request.url.raw_host,
                port=request.url.port,
                target=request.url.raw_path,
            ),
            headers=request.headers.raw,
            content=request.stream,
            extensions=request.extensions,
        )
        with _MappedErrors():
            answer = self._connections.handle_request(core)
        assert isinstance(answer.stream, typing.Iterable)
        return httpx.Response(
            status_code=answer.status,
            headers=answer.headers,
            stream=_Body(answer.stream),
            extensions=answer.extensions,
        )

    def close(self) -> None:
        """Close every pooled connection and let the lookup threads go."""
        self._connections.close()
        self.backend.resolver.close()

"""Retrieval of feeds and pages over HTTP, apart from parsing: one guarded httpx client.

Every request goes through `Fetcher.fetch`: explicit timeouts, a streamed size cap, a stable User-Agent,
conditional GET (ETag / Last-Modified), redirects followed by hand so that each hop is checked, and a URL
guard that refuses non-http(s) schemes and hosts resolving to private, loopback, link-local or reserved
addresses unless the configuration allows them. The address check runs again at connect time on the very
address the socket connects to, so a DNS answer that changes between check and connect cannot slip by.
Failures are typed (`FetchError` and subclasses) so the daemon can choose back-off, disable or retry-after.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import email.utils
import ipaddress
import socket
import threading
import time
import typing
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from timeline.errors import TimelineError

DEFAULT_USER_AGENT = "timeline/0.1 (+https://github.com/timeline/timeline; feed poller)"
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
PERMANENT_REDIRECTS = frozenset({301, 308})
MAX_REDIRECTS = 5
# `timeout` bounds each network operation; a server trickling bytes slowly is cut off by this whole budget.
TOTAL_TIMEOUT_FACTOR = 3.0
ALLOWED_SCHEMES = frozenset({"http", "https"})
FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"


class FetchError(TimelineError):
    """A retrieval failed; `status` is the short label the poll log line shows."""

    status = "error"

    def __init__(self, message: str, *, url: str | None = None) -> None:
        super().__init__(message)
        self.url = url


class UnsafeURLError(FetchError):
    """The URL uses a refused scheme or points at a private, loopback, link-local or reserved address."""

    status = "refused"


class FetchTimeoutError(FetchError):
    """The server did not answer (or finish answering) within the configured timeout."""

    status = "timeout"


class ResponseTooLargeError(FetchError):
    """The body exceeded `max_bytes`; reading stopped at the cap."""

    status = "refused"


class TooManyRedirectsError(FetchError):
    """The redirect chain was longer than `MAX_REDIRECTS` or looped."""

    status = "redirects"


class ConnectionFailedError(FetchError):
    """The connection could not be made or broke (DNS, refused, reset, TLS)."""

    status = "connect"


class HTTPStatusError(FetchError):
    """The server answered with a status that is neither success, 304 nor a redirect."""

    def __init__(
        self, code: int, *, url: str | None = None, retry_after: float | None = None, reason: str = ""
    ) -> None:
        super().__init__(f"HTTP {code}{' ' + reason if reason else ''}", url=url)
        self.code = code
        self.retry_after = retry_after

    @property
    def status(self) -> str:  # type: ignore[override]
        """The HTTP status code as the poll log line shows it."""
        return str(self.code)


@dataclasses.dataclass(frozen=True)
class FetchResult:
    """A successful retrieval: 200 with a body, or 304 (not modified) without one."""

    status: int
    url: str
    content: bytes | None
    etag: str | None
    last_modified: str | None
    content_type: str | None
    permanent_url: str | None = None

    @property
    def not_modified(self) -> bool:
        """True when the server confirmed our cached copy (a cheap success)."""
        return self.status == 304


def _address_allowed(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def resolve_host(host: str, port: int, timeout: float | None = None) -> list[str]:
    """Every address `host` resolves to (an IP literal resolves to itself), within `timeout` seconds.

    getaddrinfo takes no timeout and a resolver can stall for tens of seconds, holding a poll worker:
    the lookup runs in a daemon thread that is abandoned (never joined, not even at exit) if too slow.
    """
    found: list[typing.Any] = []

    def lookup() -> None:
        try:
            found.append(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
        except (OSError, UnicodeError) as exc:
            found.append(exc)

    worker = threading.Thread(target=lookup, name=f"resolve {host}", daemon=True)
    worker.start()
    worker.join(timeout)
    if not found:
        raise FetchTimeoutError(f"cannot resolve host {host!r}: no answer within {timeout:g}s")
    if isinstance(found[0], BaseException):
        raise ConnectionFailedError(f"cannot resolve host {host!r}: {found[0]}") from found[0]
    return list(dict.fromkeys(str(info[4][0]) for info in found[0]))


def check_url(url: str, *, allow_private_addresses: bool = False, timeout: float | None = None) -> None:
    """Refuse a URL whose scheme is not http(s) or whose host resolves (within `timeout` seconds) to a
    non-public address."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ALLOWED_SCHEMES:
        raise UnsafeURLError(f"refused URL scheme {parts.scheme or '(none)'!r}: {url}", url=url)
    if not parts.hostname:
        raise UnsafeURLError(f"URL has no host: {url}", url=url)
    if allow_private_addresses:
        return
    port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    for address in resolve_host(parts.hostname, port, timeout):
        if not _address_allowed(address):
            raise UnsafeURLError(
                f"refused non-public address {address} for host {parts.hostname!r}"
                " (set [http] allow_private_addresses to allow it)",
                url=url,
            )


class _GuardedBackend(httpcore.NetworkBackend):
    """Connects only to public addresses: the resolution is checked and the socket uses that address."""

    def __init__(self) -> None:
        self._inner = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[typing.Any] | None = None,
    ) -> httpcore.NetworkStream:
        addresses = resolve_host(host, port, timeout)
        refused = [address for address in addresses if not _address_allowed(address)]
        if refused:
            raise UnsafeURLError(
                f"refused non-public address {refused[0]} for host {host!r}"
                " (set [http] allow_private_addresses to allow it)"
            )
        last: Exception | None = None
        for address in addresses:
            try:
                return self._inner.connect_tcp(address, port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
        assert last is not None
        raise last

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: typing.Any = None
    ) -> httpcore.NetworkStream:
        raise UnsafeURLError("unix sockets are refused")

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


def _guarded_transport() -> httpx.HTTPTransport:
    transport = httpx.HTTPTransport(trust_env=False)
    # httpx exposes no resolver hook; swapping the pool's backend is the one place every connection
    # (including each redirect hop and every keep-alive reconnect) passes through.
    transport._pool = httpcore.ConnectionPool(
        ssl_context=httpx.create_ssl_context(trust_env=False),
        max_connections=20,
        max_keepalive_connections=10,
        keepalive_expiry=5.0,
        network_backend=_GuardedBackend(),
    )
    return transport


def parse_retry_after(value: str | None, *, now: dt.datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date); None if absent/invalid."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    now = now or dt.datetime.now(dt.UTC)
    return max(0.0, (when - now).total_seconds())


class Fetcher:
    """One shared httpx client for every feed and page the process retrieves (thread-safe)."""

    def __init__(
        self,
        *,
        timeout: float = 20.0,
        user_agent: str = DEFAULT_USER_AGENT,
        max_bytes: int = 10_000_000,
        allow_private_addresses: bool = False,
    ) -> None:
        self.timeout = float(timeout)
        self.max_bytes = int(max_bytes)
        self.allow_private_addresses = allow_private_addresses
        transport = httpx.HTTPTransport(trust_env=False) if allow_private_addresses else _guarded_transport()
        self._client = httpx.Client(
            transport=transport,
            timeout=httpx.Timeout(self.timeout),
            headers={"User-Agent": user_agent},
            follow_redirects=False,
            trust_env=False,
        )

    def close(self) -> None:
        """Release the connection pool."""
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: str = FEED_ACCEPT,
        should_stop: typing.Callable[[], bool] | None = None,
    ) -> FetchResult:
        """GET `url` (conditionally when validators are given), following and checking each redirect hop."""
        headers = {"Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        deadline = time.monotonic() + self.timeout * TOTAL_TIMEOUT_FACTOR
        current = url
        permanent: str | None = None
        still_permanent = True
        seen = {url}
        for _hop in range(MAX_REDIRECTS + 1):
            check_url(current, allow_private_addresses=self.allow_private_addresses, timeout=self.timeout)
            status, location, result = self._get_once(current, headers, deadline, should_stop)
            if location is None:
                assert result is not None
                return dataclasses.replace(result, permanent_url=permanent)
            target = urljoin(current, location)
            if target in seen:
                raise TooManyRedirectsError(f"redirect loop at {target}", url=url)
            seen.add(target)
            if still_permanent and status in PERMANENT_REDIRECTS:
                permanent = target
            else:
                still_permanent = False
            current = target
        raise TooManyRedirectsError(f"more than {MAX_REDIRECTS} redirects", url=url)

    def _get_once(
        self,
        url: str,
        headers: dict[str, str],
        deadline: float,
        should_stop: typing.Callable[[], bool] | None,
    ) -> tuple[int, str | None, FetchResult | None]:
        try:
            with self._client.stream("GET", url, headers=headers) as response:
                code = response.status_code
                if code in REDIRECT_STATUSES:
                    location = response.headers.get("Location")
                    if not location:
                        raise HTTPStatusError(code, url=url, reason="redirect without Location")
                    return code, location, None
                if code == 304:
                    return code, None, self._result(response, url, None)
                if not 200 <= code < 300:
                    retry_after = parse_retry_after(response.headers.get("Retry-After"))
                    reason = response.reason_phrase
                    raise HTTPStatusError(code, url=url, retry_after=retry_after, reason=reason)
                body = self._read_capped(response, url, deadline, should_stop)
                return code, None, self._result(response, url, body)
        except httpx.TimeoutException as exc:
            message = f"timed out after {self.timeout:g}s ({type(exc).__name__})"
            raise FetchTimeoutError(message, url=url) from exc
        except httpx.TooManyRedirects as exc:
            raise TooManyRedirectsError(str(exc), url=url) from exc
        except (httpx.TransportError, httpx.InvalidURL, httpx.DecodingError) as exc:
            raise ConnectionFailedError(f"{type(exc).__name__}: {exc}", url=url) from exc

    def _read_capped(
        self,
        response: httpx.Response,
        url: str,
        deadline: float,
        should_stop: typing.Callable[[], bool] | None,
    ) -> bytes:
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise ResponseTooLargeError(
                f"body of {int(declared)} bytes exceeds max_bytes={self.max_bytes}", url=url
            )
        chunks: list[bytes] = []
        size = 0
        # iter_bytes yields decoded bytes, so a compressed body that inflates past the cap is stopped too.
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > self.max_bytes:
                raise ResponseTooLargeError(f"body exceeds max_bytes={self.max_bytes}", url=url)
            if time.monotonic() > deadline:
                raise FetchTimeoutError(f"body not received within {self.timeout * TOTAL_TIMEOUT_FACTOR:g}s")
            if should_stop is not None and should_stop():
                raise FetchError("stopped while reading", url=url)
            chunks.append(chunk)
        return b"".join(chunks)

    @staticmethod
    def _result(response: httpx.Response, url: str, body: bytes | None) -> FetchResult:
        return FetchResult(
            status=response.status_code,
            url=url,
            content=body,
            etag=response.headers.get("ETag"),
            last_modified=response.headers.get("Last-Modified"),
            content_type=response.headers.get("Content-Type"),
        )

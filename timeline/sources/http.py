"""Retrieval of feeds and pages over HTTP, apart from parsing: one guarded httpx client.

Every request goes through `Fetcher.fetch`: explicit timeouts, a size cap applied to the body as sent
and to every content-coding layer as it inflates (`timeline.sources.codings`), a stable User-Agent,
conditional GET (ETag / Last-Modified), redirects followed by hand so that each hop is checked, and a
transport (`timeline.sources.netguard`) whose every connection resolves the host within the timeout and
refuses private, loopback, link-local or reserved addresses unless the configuration allows them,
connecting to the very address it checked. Failures are typed (`FetchError` and subclasses, in
`timeline.sources.fetcherrors`) so the daemon can choose back-off, disable or retry-after.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import email.utils
import time
import typing
from urllib.parse import urljoin, urlsplit

import httpx

from timeline.sources.codings import ACCEPT_ENCODING, decoded
from timeline.sources.fetcherrors import (
    ConnectionFailedError,
    FetchError,
    FetchTimeoutError,
    HTTPStatusError,
    ResponseTooLargeError,
    TooManyRedirectsError,
    UnreadableBodyError,
    UnsafeURLError,
)
from timeline.sources.netguard import GuardedBackend, GuardedTransport, Resolver, address_allowed

__all__ = [
    "ConnectionFailedError",
    "FetchError",
    "FetchResult",
    "FetchTimeoutError",
    "Fetcher",
    "GuardedBackend",
    "GuardedTransport",
    "HTTPStatusError",
    "ResponseTooLargeError",
    "Resolver",
    "TooManyRedirectsError",
    "UnreadableBodyError",
    "UnsafeURLError",
    "address_allowed",
    "check_url",
    "parse_retry_after",
]

DEFAULT_USER_AGENT = "timeline/0.1 (+https://github.com/timeline/timeline; feed poller)"
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
PERMANENT_REDIRECTS = frozenset({301, 308})
MAX_REDIRECTS = 5
# `timeout` bounds each network operation; a server trickling bytes slowly is cut off by this whole budget.
TOTAL_TIMEOUT_FACTOR = 3.0
ALLOWED_SCHEMES = frozenset({"http", "https"})
FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"


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


def check_url(url: str) -> None:
    """Refuse a URL whose scheme is not http(s) or that has no host. Addresses are judged when the
    connection is made (`GuardedBackend`), on the address the socket connects to."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ALLOWED_SCHEMES:
        raise UnsafeURLError(f"refused URL scheme {parts.scheme or '(none)'!r}: {url}", url=url)
    if not parts.hostname:
        raise UnsafeURLError(f"URL has no host: {url}", url=url)


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
        backend = GuardedBackend(Resolver(), allow_private_addresses=allow_private_addresses)
        self._client = httpx.Client(
            transport=GuardedTransport(backend),
            timeout=httpx.Timeout(self.timeout),
            # only what `timeline.sources.codings` undoes, whatever optional decoders httpx has
            headers={"User-Agent": user_agent, "Accept-Encoding": ACCEPT_ENCODING},
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
            check_url(current)
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
        except FetchError as exc:
            exc.url = exc.url or url
            raise
        except (httpx.TransportError, httpx.InvalidURL) as exc:
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
        # the raw bytes, inflated here layer by layer under the cap (never httpx's one-call inflation)
        coding = response.headers.get("Content-Encoding")
        body = decoded(response.iter_raw(), coding, max_bytes=self.max_bytes)
        for chunk in body:
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

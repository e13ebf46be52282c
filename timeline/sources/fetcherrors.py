"""Typed retrieval failures: `status` is the short label a poll's log line shows, and the daemon chooses
back-off, disable or retry-after by type. `timeline.sources.http` re-exports every one of them."""

from __future__ import annotations

from timeline.errors import TimelineError


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
    """The server (or the resolver) did not answer, or finish answering, within the configured timeout."""

    status = "timeout"


class ResponseTooLargeError(FetchError):
    """The body, as sent or once inflated, exceeded `max_bytes`; reading stopped at the cap."""

    status = "refused"


class UnreadableBodyError(FetchError):
    """The body's content coding is unknown, stacked too deep or corrupt."""

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

    @property
    def throttled(self) -> bool:
        """True for 429 Too Many Requests and 503 Service Unavailable: the server asks us to come back
        later, which says nothing about the feed being broken."""
        return self.code in (429, 503)

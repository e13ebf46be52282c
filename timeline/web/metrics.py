"""`/metrics` in Prometheus text format, with the standard client library.

Two kinds of figures. Read at each scrape from what the server already holds: events and articles
of the timeline served, feeds by state and articles stored (from the store), the last successful
poll. Recorded as the daemon works, when it runs in this process (`timeline daemon --serve`), through
the `DaemonObserver` interface: polls by status, round and rebuild durations as histograms. A
`timeline serve` beside a separate daemon has the first kind only (the daemon's counters live in its
own process).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from timeline.store import StoreError
from timeline.web.health import last_success
from timeline.web.state import Snapshot, StoreAccess

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
_ROUND_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600)
_REBUILD_BUCKETS = (0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120)
_FEED_STATES = ("new", "ok", "failing", "flagged", "disabled")


class _StateCollector(Collector):
    def __init__(self, snapshot: Callable[[], Snapshot], store: StoreAccess) -> None:
        self._snapshot = snapshot
        self._store = store

    def collect(self) -> Iterator[Metric]:
        timeline = self._snapshot().timeline
        events = GaugeMetricFamily("timeline_events", "Events in the timeline served")
        events.add_metric([], len(timeline.events) if timeline else 0)
        yield events
        articles = GaugeMetricFamily("timeline_timeline_articles", "Articles the timeline served cites")
        articles.add_metric([], len(timeline.articles) if timeline else 0)
        yield articles
        if timeline is not None:
            built = GaugeMetricFamily(
                "timeline_generated_timestamp_seconds", "When the timeline served was built (Unix time)"
            )
            built.add_metric([], timeline.generated_at.timestamp())
            yield built
        if not self._store.configured:
            return
        up = GaugeMetricFamily("timeline_store_up", "1 when the store answered this scrape")
        try:
            feeds = self._store.feeds()
        except StoreError:
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        states = GaugeMetricFamily("timeline_feeds", "Subscribed feeds by state", labels=["state"])
        for state in _FEED_STATES:
            states.add_metric([state], sum(1 for f in feeds if f.state == state))
        yield states
        stored = GaugeMetricFamily("timeline_articles_stored", "Articles stored from every feed")
        stored.add_metric([], sum(f.articles for f in feeds))
        yield stored
        last = last_success(feeds)
        if last is not None:
            success = GaugeMetricFamily(
                "timeline_last_successful_poll_timestamp_seconds",
                "The latest poll of a feed whose last poll succeeded (Unix time)",
            )
            success.add_metric([], last.timestamp())
            yield success


class Metrics:
    """The server's registry; also the daemon's observer (`timeline.daemon.observe.DaemonObserver`)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.polls = Counter(
            "timeline_polls",
            "Feed polls by outcome (HTTP status or failure)",
            ["status"],
            registry=self.registry,
        )
        self.rounds = Histogram(
            "timeline_round_duration_seconds",
            "From a dispatch to the end of the last poll it started",
            buckets=_ROUND_BUCKETS,
            registry=self.registry,
        )
        self.rebuilds = Histogram(
            "timeline_rebuild_duration_seconds",
            "Timeline rebuilds by kind of merge",
            ["merge"],
            buckets=_REBUILD_BUCKETS,
            registry=self.registry,
        )
        self._state: _StateCollector | None = None

    def watch(self, snapshot: Callable[[], Snapshot], store: StoreAccess) -> None:
        """Report the timeline served and the store's feeds at each scrape."""
        if self._state is None:
            self._state = _StateCollector(snapshot, store)
            self.registry.register(self._state)

    # DaemonObserver
    def poll(self, status: str, duration: float) -> None:
        self.polls.labels(status=status).inc()

    def round(self, duration: float, polls: int) -> None:
        self.rounds.observe(duration)

    def rebuild(self, duration: float, full: bool) -> None:
        self.rebuilds.labels(merge="full" if full else "incremental").observe(duration)

    def exposition(self) -> bytes:
        """Everything in the Prometheus text format."""
        return generate_latest(self.registry)

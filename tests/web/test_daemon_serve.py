"""`timeline daemon --serve HOST:PORT`: one process polls and serves; the daemon's own measurements
reach /metrics through the observer interface."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families
from webkit import wait_for, write_config


def _samples(served) -> dict[tuple[str, tuple], float]:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(served.get("/metrics").text)
        for sample in family.samples
    }


def test_daemon_polls_and_serves_in_one_process(tmp_path, serve, feed_server):
    feeds = [
        {"url": feed_server.url("/rss.xml"), "name": "rss", "interval": "1s"},
        {"url": feed_server.url("/atom.xml"), "name": "atom", "interval": "1s"},
    ]
    config = write_config(tmp_path, feeds=feeds)
    served = serve("--config", str(config), "--serve", "127.0.0.1:0", command="daemon")
    assert served.url.startswith("http://127.0.0.1:")
    assert wait_for(lambda: served.get("/api/timeline").json()["total"] > 0, timeout=120)

    def measured():
        samples = _samples(served)
        polls = {
            dict(labels)["status"]: v
            for (name, labels), v in samples.items()
            if name == "timeline_polls_total"
        }
        rebuilt = samples.get(("timeline_rebuild_duration_seconds_count", (("merge", "full"),)), 0)
        rounds = samples.get(("timeline_round_duration_seconds_count", ()), 0)
        # a second round of each feed is a 304 (the feed server honours If-None-Match)
        return (
            samples
            if polls.get("200", 0) >= 2 and polls.get("304", 0) >= 1 and rebuilt >= 1 and rounds >= 2
            else None
        )

    samples = wait_for(measured, timeout=60)
    assert samples, served.get("/metrics").text
    assert samples[("timeline_feeds", (("state", "ok"),))] == 2
    assert samples[("timeline_articles_stored", ())] == 5
    # the metric and the served timeline agree once no rebuild runs between the two reads
    assert wait_for(
        lambda: _samples(served).get(("timeline_events", ())) == served.get("/api/timeline").json()["total"],
        timeout=30,
    ), (_samples(served).get(("timeline_events", ())), served.get("/api/timeline").json()["total"])
    listed = served.get("/api/feeds").json()
    assert listed["store"] is True and [f["name"] for f in listed["feeds"]] == ["rss", "atom"]
    assert all(f["status"] in ("ok 200", "ok 304") for f in listed["feeds"])
    assert served.get("/healthz").status_code == 200
    assert served.stop() == 0
    log = served.log.read_text()
    assert "Traceback" not in log and "daemon stopped" in log

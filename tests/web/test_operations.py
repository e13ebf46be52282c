"""/healthz and /metrics against a real server reading a real store (SQLite file, or an unreachable
PostgreSQL)."""

from __future__ import annotations

import datetime as dt

from prometheus_client.parser import text_string_to_metric_families
from timeline_sample import sample_timeline
from webkit import wait_for, write_config

from timeline.render import write_json
from timeline.store import Store


def _metrics(served) -> dict[tuple[str, tuple], float]:
    response = served.get("/metrics")
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def _store_with_feeds(tmp_path, polled_ago: float) -> str:
    url = f"sqlite:///{tmp_path / 'timeline.db'}"
    now = dt.datetime.now(dt.UTC)
    with Store.open(url) as store:
        good = store.add_feed("http://127.0.0.1:9/good.xml", name="good")
        bad = store.add_feed("http://127.0.0.1:9/bad.xml", name="bad")
        store.add_feed("http://127.0.0.1:9/new.xml", name="new")
        store.record_poll(
            good.id, status=200, next_check_at=now, polled_at=now - dt.timedelta(seconds=polled_ago)
        )
        store.record_poll(bad.id, status=500, failed=True, error="HTTP 500", next_check_at=now, polled_at=now)
    return url


def test_healthz_turns_unhealthy_when_the_last_successful_round_is_older_than_the_limit(tmp_path, serve):
    url = _store_with_feeds(tmp_path, polled_ago=7200)
    served = serve("--config", str(write_config(tmp_path, store=url, max_round_age="1h")))
    response = served.get("/healthz")
    assert response.status_code == 503
    health = response.json()
    assert health["status"] == "unhealthy" and health["store"] == "ok"
    assert 7100 < health["last_round_age_seconds"] < 7400
    assert health["problems"] == [
        f"last successful poll {health['last_round_age_seconds']:.0f} s ago, past the limit of 3600 s"
    ]
    # the daemon polls again: healthy at the next check, with no restart
    with Store.open(url) as store:
        store.record_poll(
            store.get_feed("http://127.0.0.1:9/good.xml").id,
            status=304,
            next_check_at=dt.datetime.now(dt.UTC),
        )
    response = served.get("/healthz")
    assert response.status_code == 200, response.text
    assert response.json()["last_round_age_seconds"] < 60


def test_a_fresh_start_is_healthy_until_the_limit_and_no_limit_means_no_check(tmp_path, serve):
    url = f"sqlite:///{tmp_path / 'timeline.db'}"
    with Store.open(url) as store:
        store.add_feed("http://127.0.0.1:9/new.xml")
    served = serve("--config", str(write_config(tmp_path, store=url, max_round_age="2s")))
    assert served.get("/healthz").status_code == 200  # no poll yet, but the server only just started
    late = wait_for(lambda: (r := served.get("/healthz")).status_code == 503 and r, timeout=15)
    assert late and late.json()["problems"] == ["no successful poll, past the limit of 2 s"]
    (tmp_path / "other").mkdir()
    other = serve("--config", str(write_config(tmp_path / "other", store=url, max_round_age="0")))
    assert other.get("/healthz").status_code == 200


def test_healthz_says_when_the_store_cannot_be_reached(tmp_path, serve):
    served = serve(
        "--config", str(write_config(tmp_path, store="postgresql+psycopg://nobody@127.0.0.1:9/none"))
    )
    response = served.get("/healthz")
    assert response.status_code == 503
    health = response.json()
    assert health["store"] != "ok" and health["problems"][0].startswith("store: ")
    assert served.get("/api/feeds").status_code == 503
    assert _metrics(served)[("timeline_store_up", ())] == 0
    assert served.get("/").status_code == 200  # the page still serves what there is


def test_metrics_parse_as_prometheus_text_and_count_what_is_served(tmp_path, serve):
    url = _store_with_feeds(tmp_path, polled_ago=10)
    write_json(sample_timeline(), tmp_path / "timeline.json")
    served = serve("--config", str(write_config(tmp_path, store=url)))
    metrics = _metrics(served)
    assert metrics[("timeline_events", ())] == 7
    assert metrics[("timeline_timeline_articles", ())] == 4
    assert metrics[("timeline_store_up", ())] == 1
    states = {
        dict(labels)["state"]: value for (name, labels), value in metrics.items() if name == "timeline_feeds"
    }
    assert states == {"new": 1, "ok": 1, "failing": 1, "flagged": 0, "disabled": 0}
    assert metrics[("timeline_articles_stored", ())] == 0
    assert metrics[("timeline_generated_timestamp_seconds", ())] == sample_timeline().generated_at.timestamp()
    last = metrics[("timeline_last_successful_poll_timestamp_seconds", ())]
    assert abs(last - (dt.datetime.now(dt.UTC).timestamp() - 10)) < 60
    # histograms the daemon fills are exposed (empty) by a server of its own
    assert metrics[("timeline_round_duration_seconds_count", ())] == 0
    feeds = served.get("/api/feeds").json()["feeds"]
    assert [(f["name"], f["status"], f["error_count"]) for f in feeds] == [
        ("good", "ok 200", 0),
        ("bad", "failing 500", 1),
        ("new", "new", 0),
    ]
    assert feeds[1]["last_error"] == "HTTP 500"

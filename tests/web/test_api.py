"""The HTTP API against a real `timeline serve` process: the OpenAPI document, responses validated
against it, filters and pages, ETag/304, exports, security headers."""

from __future__ import annotations

import csv
import io
import json
import re

import jsonschema
import pytest
from icalendar import Calendar
from timeline_sample import HOSTILE, sample_timeline
from webkit import start, wait_for, write_config

from timeline.render import write_json

PATHS = {
    "/api/timeline",
    "/api/events/{event_id}",
    "/api/articles",
    "/api/feeds",
    "/api/export",
    "/",
    "/events/{event_id}",
    "/static/{name}",
    "/healthz",
    "/metrics",
}


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """One server on the sample timeline for the tests that only read."""
    folder = tmp_path_factory.mktemp("served")
    write_json(sample_timeline(), folder / "sample.json")
    server = start(folder, "serve", "--timeline", str(folder / "sample.json"))
    yield server
    server.process.kill()
    server.process.wait(10)


@pytest.fixture
def own(tmp_path, serve):
    """A server of the test's own, on a sample timeline file the test may replace."""
    write_json(sample_timeline(), tmp_path / "sample.json")
    return serve("--timeline", str(tmp_path / "sample.json"))


def _validator(document, path, status="200"):
    operation = document["paths"][path]["get"]
    schema = operation["responses"][status]["content"]["application/json"]["schema"]
    return jsonschema.Draft202012Validator({**schema, "components": document["components"]})


def _valid(document, path, response):
    _validator(document, path, str(response.status_code)).validate(response.json())
    return response.json()


def test_the_openapi_document_lists_every_endpoint_and_answers_validate(served):
    document = served.get("/openapi.json").json()
    assert document["openapi"].startswith("3.")
    assert set(document["paths"]) == PATHS
    assert all(set(methods) == {"get"} for methods in document["paths"].values())  # read-only
    page = _valid(document, "/api/timeline", served.get("/api/timeline"))
    assert [e["id"] for e in page["events"]] == [e.id for e in sample_timeline().events]
    _valid(document, "/api/timeline", served.get("/api/timeline", params={"q": "mexico", "limit": 1}))
    detail = _valid(document, "/api/events/{event_id}", served.get("/api/events/ev-talks"))
    assert {s["title"] for s in detail["sources"]} >= {"Talks in the capital", "Migrantes en Tapachula"}
    missing = served.get("/api/events/nope")
    assert missing.status_code == 404
    _valid(document, "/api/events/{event_id}", missing)
    _valid(document, "/api/articles", served.get("/api/articles", params={"limit": 2}))
    _valid(document, "/api/feeds", served.get("/api/feeds"))
    _valid(document, "/healthz", served.get("/healthz"))
    bad = served.get("/api/timeline", params={"from": "2023-13"})
    assert bad.status_code == 400
    _valid(document, "/api/timeline", bad)
    unreadable = served.get("/api/timeline", params={"limit": 0})
    assert unreadable.status_code == 422
    _valid(document, "/api/timeline", unreadable)
    for path, kind in (("/metrics", "text/plain"), ("/", "text/html"), ("/events/ev-talks", "text/html")):
        response = served.get(path)
        assert response.status_code == 200 and response.headers["content-type"].startswith(kind)
        assert (
            kind
            in document["paths"][path.replace("ev-talks", "{event_id}")]["get"]["responses"]["200"]["content"]
        )
    export = document["paths"]["/api/export"]["get"]
    assert set(export["responses"]["200"]["content"]) == {
        "application/json",
        "text/calendar",
        "text/csv",
        "text/markdown",
    }


def test_filters_and_pages(served):
    def ids(**params):
        return [e["id"] for e in served.get("/api/timeline", params=params).json()["events"]]

    assert ids(**{"from": "2023-12", "to": "2023-12"}) == ["ev-month", "ev-week", "ev-talks", "ev-hostile"]
    assert ids(q="lopez obrador") == ["ev-talks"]
    assert ids(min_sources=3) == ["ev-talks"]
    assert ids(language="es") == ["ev-month", "ev-talks"]
    assert ids(top=2) == ["ev-talks", "ev-jan"]
    first = served.get("/api/timeline", params={"limit": 3}).json()
    assert (first["total"], len(first["events"])) == (7, 3)
    assert {a["id"] for a in first["articles"]} == {"a1", "a2", "a4"}
    second = served.get(first["next"]).json()
    third = served.get(second["next"]).json()
    assert [e["id"] for e in first["events"] + second["events"] + third["events"]] == ids()
    assert third["next"] is None
    articles = served.get("/api/articles", params={"language": "es"}).json()
    assert [a["id"] for a in articles["articles"]] == ["a2"]


def test_etag_304_and_a_replaced_timeline(own, tmp_path):
    served = own
    first = served.get("/api/timeline", params={"q": "talks"})
    etag = first.headers["etag"]
    again = served.get("/api/timeline", params={"q": "talks"}, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    assert served.get("/api/timeline", params={"q": "rail"}).headers["etag"] != etag
    assert served.get("/api/timeline", headers={"If-None-Match": etag}).status_code == 200
    for path in ("/", "/api/events/ev-talks", "/api/articles", "/api/export?format=csv"):
        tag = served.get(path).headers["etag"]
        assert served.get(path, headers={"If-None-Match": f'W/{tag}, "other"'}).status_code == 304
    # the daemon replaces the file: the next request sees the new version and a new ETag
    changed = sample_timeline()
    changed.events[4].title = "Talks end with a deal"
    write_json(changed, tmp_path / "sample.json")
    fresh = wait_for(
        lambda: (
            (
                r := served.get("/api/timeline", params={"q": "talks"}, headers={"If-None-Match": etag})
            ).status_code
            == 200
            and r
        ),
        timeout=10,
    )
    assert fresh, "the replaced file was never served"
    assert fresh.headers["etag"] != etag
    assert "Talks end with a deal" in fresh.text


def test_exports_over_http(served):
    ical = served.get("/api/export", params={"format": "ical"})
    assert ical.headers["content-type"] == "text/calendar; charset=utf-8"
    assert ical.headers["content-disposition"] == 'attachment; filename="timeline.ics"'
    assert len(Calendar.from_ical(ical.content).walk("VEVENT")) == 7
    rows = list(
        csv.DictReader(io.StringIO(served.get("/api/export", params={"format": "csv", "from": "2024"}).text))
    )
    assert [r["id"] for r in rows] == ["ev-jan"]
    timelinejs = served.get("/api/export", params={"format": "timelinejs", "q": "rail"}).json()
    assert [s["unique_id"] for s in timelinejs["events"]] == ["ev-week"]
    assert served.get("/api/export", params={"format": "markdown"}).text.startswith("# Timeline\n")
    assert served.get("/api/export", params={"format": "pdf"}).status_code == 422


def test_every_answer_carries_the_security_headers(served):
    for path in (
        "/",
        "/api/timeline",
        "/static/app.js",
        "/api/events/nope",
        "/healthz",
        "/metrics",
        "/nowhere",
    ):
        headers = served.get(path).headers
        policy = headers["content-security-policy"]
        assert "script-src 'self'" in policy and "default-src 'none'" in policy
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"
        assert headers["x-frame-options"] == "DENY"


def test_the_page_shows_feed_text_as_escaped_text(served):
    for path in ("/", "/events/ev-hostile", "/events/ev-talks", "/?q=alert"):
        html = served.get(path).text
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert re.findall(r"<script\b[^>]*>", html) == [
            re.search(r'<script src="/static/app\.js\?v=\w+" defer>', html)[0]
        ]
        assert "javascript:" not in re.sub(r">[^<]*<", "><", html)  # in no tag or attribute, only in text
        assert not re.search(r"<[^>]+\son\w+=", html)  # no event handler attribute anywhere
        assert " style=" not in html  # the CSP allows no inline style either
    page = served.get("/").text
    assert 'href="https://example.org/a1?x=1&amp;y=(2)"' in page
    assert HOSTILE not in page


def test_static_files_are_the_packages_own_and_cacheable(served):
    page = served.get("/").text
    script = re.search(r'src="(/static/app\.js\?v=\w+)"', page)[1]
    response = served.get(script)
    assert response.headers["content-type"] == "text/javascript; charset=utf-8"
    assert "immutable" in response.headers["cache-control"]
    assert served.get(script, headers={"If-None-Match": response.headers["etag"]}).status_code == 304
    assert served.get("/static/../app.py").status_code == 404
    assert served.get("/static/nothing.js").status_code == 404


def test_serve_listens_on_loopback_by_default_and_stops_cleanly_on_sigterm(tmp_path, serve):
    write_json(sample_timeline(), tmp_path / "sample.json")
    served = serve("--timeline", str(tmp_path / "sample.json"))
    assert served.url.startswith("http://127.0.0.1:")
    assert served.stop() == 0
    assert "Traceback" not in served.log.read_text()


def test_a_missing_timeline_named_on_the_command_line_is_one_line(tmp_path):
    import subprocess
    import sys

    from webkit import child_env

    proc = subprocess.run(
        [sys.executable, "-m", "timeline", "serve", "--timeline", "nowhere.json", "--port", "0"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=child_env(tmp_path),
        timeout=60,
    )
    assert proc.returncode == 2
    assert proc.stderr == "timeline: error: nowhere.json: no such file (write one with `timeline build`)\n"


def test_a_config_server_before_the_first_timeline_says_so(tmp_path, serve):
    config = write_config(tmp_path, max_round_age="1h")
    served = serve("--config", str(config))
    assert "No timeline yet (" in served.get("/").text
    page = served.get("/api/timeline").json()
    assert page["events"] == [] and page["generated_at"] is None
    write_json(sample_timeline(), tmp_path / "timeline.json")
    assert wait_for(lambda: served.get("/api/timeline").json()["total"] == 7, timeout=10)
    assert json.loads(served.get("/api/feeds").text) == {"store": True, "feeds": []}


def test_templates_escape_everything_and_mark_nothing_safe():
    from importlib import resources

    from timeline.web.pages import templates

    assert templates.autoescape is True
    folder = resources.files("timeline.web").joinpath("templates")
    names = [entry.name for entry in folder.iterdir() if entry.name.endswith(".html")]
    assert "index.html" in names
    for name in names:
        text = folder.joinpath(name).read_text(encoding="utf-8")
        assert not re.search(r"\|\s*safe\b|autoescape\s+false|Markup\(", text), name
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), f"{name}: inline script"
        assert " style=" not in text and "<style" not in text, f"{name}: inline style"

"""The page in a real headless Chromium: the seeds' chronology, the date filter, a page that follows a
replaced timeline, and a hostile feed taken through poll -> store -> page with no script running."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from browser import chromium
from feedserver import Item
from webkit import child_env, wait_for, write_config

from timeline import build_timeline, load_paths
from timeline.render import write_json

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT = ROOT / "docs" / "serve.png"


@pytest.fixture(scope="module")
def seeds_timeline():
    return build_timeline(load_paths([ROOT / "seeds"]).articles)


def _blocks(page):
    return page.eval_on_selector_all(
        "article.event",
        """nodes => nodes.map(n => ({
            id: n.id, start: n.dataset.start, end: n.dataset.end, sources: Number(n.dataset.sources),
            date: n.querySelector('time').textContent, title: n.querySelector('.title').textContent,
            links: n.querySelectorAll('li.source').length}))""",
    )


def test_the_seeds_page_in_chromium(tmp_path, serve, seeds_timeline):
    write_json(seeds_timeline, tmp_path / "seeds.json")
    served = serve("--timeline", str(tmp_path / "seeds.json"))
    with chromium() as watched:
        page = watched.page
        page.goto(served.url + "/")
        blocks = _blocks(page)
        assert len(blocks) == len(seeds_timeline.events)
        starts = [b["start"] for b in blocks]
        assert starts == sorted(starts), "events are not in date order"
        talks = [b for b in blocks if b["start"] == b["end"] == "2023-12-27"]
        best = max(talks, key=lambda b: b["sources"])
        assert best["date"] == "Wed 27 Dec 2023"
        assert best["sources"] == best["links"] == 5  # the talks, reported by all five seed articles
        assert page.locator(f"#{best['id']} .count").inner_text().startswith("5 sources")
        page.screenshot(path=str(tmp_path / "page.png"), full_page=True)
        assert (tmp_path / "page.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

        # the date filter, as a reader uses it: fill the form and submit
        page.fill("#from", "2023-12-27")
        page.fill("#to", "2023-12-28")
        page.click("button[type=submit]")
        page.wait_for_url("**/?from=2023-12-27&to=2023-12-28**")
        kept = _blocks(page)
        assert kept and len(kept) < len(blocks)
        assert all(b["start"] >= "2023-12-27" and b["end"] <= "2023-12-28" for b in kept)
        assert best["id"] in {b["id"] for b in kept}
        expected = [
            e.id
            for e in seeds_timeline.events
            if e.start >= dt.date(2023, 12, 27) and e.end <= dt.date(2023, 12, 28)
        ]
        assert [b["id"] for b in kept] == expected
        assert page.input_value("#from") == "2023-12-27"
        if os.environ.get("TIMELINE_UPDATE_SCREENSHOT"):  # the README's picture: the filtered page
            page.locator(f"#{best['id']} details").evaluate("d => d.open = true")
            page.set_viewport_size({"width": 1000, "height": 1250})
            page.screenshot(path=str(SCREENSHOT))

        # keyboard: the skip link is the first stop and leads to the chronology
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.className") == "skip"
        assert page.locator("main#main").count() == 1 and page.locator("h1").count() == 1
        assert watched.problems() == []


def test_the_page_follows_a_replaced_timeline_without_a_reload(tmp_path, serve, seeds_timeline):
    config = write_config(tmp_path, refresh="1s")
    first = seeds_timeline.model_copy(update={"events": seeds_timeline.events[:3]})
    write_json(first, tmp_path / "timeline.json")
    served = serve("--config", str(config))
    with chromium() as watched:
        page = watched.page
        page.goto(served.url + "/")
        assert len(_blocks(page)) == 3
        page.evaluate("window.notReloaded = true")
        write_json(seeds_timeline, tmp_path / "timeline.json")
        # (polled from here: the page's CSP forbids the eval that wait_for_function would use)
        count = "document.querySelectorAll('article.event').length"
        assert wait_for(lambda: page.evaluate(count) == len(seeds_timeline.events), timeout=20)
        assert page.evaluate("window.notReloaded") is True
        assert page.locator("#status").inner_text().startswith("Updated at")
        assert watched.problems() == []


HOSTILE_TITLE = "<script>alert('title')</script> Border talks <img src=x onerror=alert('img')>"
HOSTILE_TEXT = (
    "Officials met on Wednesday in Tapachula <script>alert('text')</script> to discuss the caravan "
    "<iframe src=\"javascript:alert('frame')\"></iframe> and a <a href=\"javascript:alert('link')\">link</a> "
    "<img src=x onerror=\"alert('handler')\"> while migrants waited at the border.\n"
    "On Thursday, the officials said talks would continue in January."
)


def test_a_hostile_feed_goes_poll_store_page_and_no_script_runs(tmp_path, serve, feed_server):
    feed_server.extra["/hostile.xml"] = [
        Item(
            guid="urn:hostile:1",
            title=HOSTILE_TITLE,
            text=HOSTILE_TEXT,
            published=dt.datetime(2023, 12, 28, 12, tzinfo=dt.UTC),
            link="javascript:alert('guid-link')",
        ),
        Item(
            guid="urn:hostile:2",
            title="<iframe src=javascript:alert(1)></iframe>Second report",
            text="<p>On Wednesday the talks ran for two hours "
            "&lt;script&gt;alert('escaped')&lt;/script&gt; in the capital.</p>",
            published=dt.datetime(2023, 12, 28, 13, tzinfo=dt.UTC),
            link=feed_server.url("/pages/hostile-2.html"),
        ),
    ]
    config = write_config(
        tmp_path, feeds=[{"url": feed_server.url("/hostile.xml"), "name": "<b>hostile</b> wire"}]
    )
    poll = subprocess.run(
        [sys.executable, "-m", "timeline", "poll", "--once", "--config", str(config)],
        capture_output=True,
        text=True,
        env=child_env(tmp_path),
        timeout=180,
    )
    assert poll.returncode == 0, poll.stderr
    served = serve("--config", str(config))
    timeline = served.get("/api/timeline").json()
    assert timeline["events"], "the hostile feed produced no event to show"
    texts = " ".join(
        e["title"] + " " + e["summary"] + " ".join(s["sentence"] for s in e["sources"])
        for e in timeline["events"]
    )
    assert "<script>" in texts and "onerror=" in texts  # the markup is in the data as text...
    with chromium() as watched:
        page = watched.page
        for path in ["/"] + [f"/events/{e['id']}" for e in timeline["events"]]:
            page.goto(served.url + path)
            page.wait_for_load_state("load")
            page.wait_for_timeout(300)
            dom = page.evaluate(
                """() => ({
                    scripts: Array.from(document.scripts).map(s => s.getAttribute('src')),
                    iframes: document.querySelectorAll('iframe, object, embed').length,
                    handlers: Array.from(document.querySelectorAll('*')).filter(
                        n => Array.from(n.attributes).some(a => a.name.startsWith('on'))).length,
                    scriptLinks: Array.from(document.querySelectorAll('a[href]'))
                        .map(a => a.getAttribute('href')).filter(h => !/^(https?:|\\/|#)/.test(h)),
                    images: Array.from(document.images).map(i => i.getAttribute('src')),
                    text: document.body.innerText,
                })"""
            )
            assert len(dom["scripts"]) == 1 and dom["scripts"][0].startswith("/static/app.js?v="), dom[
                "scripts"
            ]
            assert dom["iframes"] == 0 and dom["handlers"] == 0 and dom["images"] == []
            assert dom["scriptLinks"] == [], dom["scriptLinks"]
        page.goto(served.url + "/")
        page.locator("details").evaluate_all("ds => ds.forEach(d => d.open = true)")
        shown = page.evaluate("document.body.innerText")
        # ...and on the page it reads as text, every piece of it
        for text in (
            "<script>alert('text')</script>",
            "<iframe src=\"javascript:alert('frame')\"></iframe>",
            "<a href=\"javascript:alert('link')\">link</a>",
            "<img src=x onerror=\"alert('handler')\">",
            "<b>hostile</b> wire",
        ):
            assert text in shown
        assert watched.dialogs == [] and watched.errors == []
        assert [m for m in watched.console if m[0] == "error"] == []

#!/usr/bin/env python3
"""The daemon at scale: `timeline daemon` replicas against a local farm of feeds, in numbers.

    .venv/bin/python benchmarks/daemon_load.py --feeds 1000 --interval 5m --duration 15m
    .venv/bin/python benchmarks/daemon_load.py --feeds 200 --interval 20s --duration 2m \\
        --store postgresql --replicas 2 --pin

The farm (a threaded HTTP server in this process) serves N RSS feeds of `--items` full-text items each,
`--story` of them on the story (they carry the story keyword), answering 304 to conditional requests,
and publishes `--new-per-min` new story items a minute to random feeds once the first round is done.
Texts are Timeline17 articles when `../shared/eval/tls` is there (reused across feeds, as wire copy
is), else generated sentences with dates. The daemons are real `timeline daemon` processes (each with
`taskset -c K` under `--pin`, to stand for one box each on a shared machine), on a fresh SQLite file or
a fresh PostgreSQL schema (`--pg-url`, default $TIMELINE_TEST_PG_URL).

Printed: first-round time (every feed polled once and every initial story item in the JSON); in the
steady state after it: polls per second, distinct feed polls per second, the share of polls fetched by
more than one replica (two fetches of a feed within half an interval), the time between two polls of a
feed (p50/p90, and over the interval), new-item-to-JSON latency (from the first time the farm served a
document holding the item to the first JSON that holds it; p50/p90); rebuild durations from the
daemons' logs; CPU seconds and peak memory per replica (the sum of each process's VmHWM, the daemon's
and its extraction processes': an upper bound, since it counts pages they share once per process and
adds peaks reached at different times; beside it the peak of their summed PSS, sampled each second,
which counts a shared page once but may miss a peak between samples); the store's size; and at the end
whether the JSON holds exactly the store's story articles.
"""

from __future__ import annotations

import argparse
import datetime as dt
import email.utils
import hashlib
import json
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[1]
TLS = ROOT.parent / "shared" / "eval" / "tls"
KEYWORD = "storydesk"
TICK = os.sysconf("SC_CLK_TCK")


@dataclass
class Item:
    guid: str
    title: str
    text: str
    published: dt.datetime


@dataclass
class Feed:
    path: str
    items: list[Item]
    body: bytes = b""
    etag: str = ""
    unserved: set[str] = field(default_factory=set)


def _texts(rng: random.Random) -> list[tuple[str, dt.datetime]]:
    found = []
    for path in sorted(TLS.glob("*/articles.jsonl")):
        for line in path.open(encoding="utf-8"):
            record = json.loads(line)
            if record.get("published") and len(record.get("text", "")) > 400:
                published = dt.datetime.fromisoformat(record["published"][:10]).replace(tzinfo=dt.UTC)
                found.append((record["text"][:6000], published))
    if found:
        return found
    day = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    words = ["officials", "talks", "border", "crossing", "ministers", "agreed", "reopen", "migrants"]
    for n in range(2000):
        when = day + dt.timedelta(days=n % 60)
        sentences = [
            f"{' '.join(rng.choices(words, k=8)).capitalize()} on {when:%d %B %Y}." for _ in range(12)
        ]
        found.append((" ".join(sentences), when))
    return found


class Farm:
    """The feeds, their documents, and what was served when."""

    def __init__(self, feeds: int, items: int, story: float, rng: random.Random) -> None:
        self.rng = rng
        self.lock = threading.Lock()
        self.texts = _texts(rng)
        self.next_text = 0
        self.feeds = []
        self.requests: list[tuple[int, float, int]] = []  # (feed, time, status)
        self.first_served: dict[str, float] = {}
        for k in range(feeds):
            feed = Feed(path=f"/feed/{k}.xml", items=[])
            for n in range(items):
                feed.items.append(self._item(f"{k}-{n}", on_story=rng.random() < story))
            self._render(feed)
            self.feeds.append(feed)
        self.initial_story = {i.title for f in self.feeds for i in f.items if i.title.startswith("Story")}

    def _item(self, key: str, on_story: bool) -> Item:
        text, published = self.texts[self.next_text % len(self.texts)]
        self.next_text += 1
        title = f"{'Story' if on_story else 'Other'} item {key}"
        if on_story:
            text = f"{KEYWORD.capitalize()} report.\n{text}"
        return Item(guid=f"urn:farm:{key}", title=title, text=text, published=published)

    def _render(self, feed: Feed) -> None:
        parts = ['<?xml version="1.0" encoding="utf-8"?><rss version="2.0" xmlns:content="http://purl.org/']
        parts.append('rss/1.0/modules/content/"><channel><title>farm</title><link>http://farm/</link>')
        for item in feed.items[-40:]:
            paragraphs = "".join(f"<p>{escape(p)}</p>" for p in item.text.splitlines() if p.strip())
            parts.append(
                f"<item><title>{escape(item.title)}</title><guid>{item.guid}</guid>"
                f"<pubDate>{email.utils.format_datetime(item.published)}</pubDate>"
                f"<description>{escape(item.text[:200])}</description>"
                f"<content:encoded><![CDATA[{paragraphs}]]></content:encoded></item>"
            )
        parts.append("</channel></rss>")
        feed.body = "".join(parts).encode("utf-8")
        feed.etag = '"' + hashlib.sha256(feed.body).hexdigest()[:16] + '"'
        feed.unserved = {i.guid for i in feed.items[-40:]}

    def publish(self) -> str:
        """A new story item in a random feed; return its title."""
        with self.lock:
            k = self.rng.randrange(len(self.feeds))
            feed = self.feeds[k]
            item = self._item(f"{k}-new-{uuid.uuid4().hex[:8]}", on_story=True)
            feed.items.append(item)
            served = feed.unserved - {item.guid}
            self._render(feed)
            feed.unserved = {item.guid} | (served & feed.unserved)
            return item.title

    def serve(self, k: int, etag: str | None) -> tuple[int, bytes, str]:
        with self.lock:
            feed = self.feeds[k]
            now = time.monotonic()
            status = 304 if etag == feed.etag else 200
            self.requests.append((k, now, status))
            if status == 200:
                for guid in feed.unserved:
                    self.first_served.setdefault(guid, now)
                feed.unserved = set()
            return status, feed.body if status == 200 else b"", feed.etag

    def handler(self) -> type[BaseHTTPRequestHandler]:
        farm = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                match = re.fullmatch(r"/feed/(\d+)\.xml", self.path)
                if not match or int(match.group(1)) >= len(farm.feeds):
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                status, body, etag = farm.serve(int(match.group(1)), self.headers.get("If-None-Match"))
                self.send_response(status)
                self.send_header("ETag", etag)
                self.send_header("Content-Type", "application/rss+xml")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        return Handler


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _tree(pid: int) -> list[int]:
    """The process and all its descendants (extraction workers under a forkserver included)."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parents[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
    found, frontier = [pid], [pid]
    while frontier:
        frontier = [child for child, parent in parents.items() if parent in frontier]
        found.extend(frontier)
    return found


def _proc(pid: int) -> tuple[float, float]:
    """(CPU seconds, summed peak resident MB) of a live process and its descendants."""
    cpu = peak = 0.0
    for member in _tree(pid):
        try:
            fields = Path(f"/proc/{member}/stat").read_text().rsplit(")", 1)[1].split()
            cpu += (int(fields[11]) + int(fields[12])) / TICK
            status = Path(f"/proc/{member}/status").read_text()
            peak += int(re.search(r"VmHWM:\s+(\d+)", status).group(1)) / 1024  # type: ignore[union-attr]
        except (OSError, AttributeError, IndexError):
            continue
    return cpu, peak


def _pss(pid: int) -> float:
    """Summed proportional set size (MB) of a live process and its descendants now: a page shared by
    the extraction workers and their forkserver counts once in all, not once in each."""
    total = 0.0
    for member in _tree(pid):
        try:
            rollup = Path(f"/proc/{member}/smaps_rollup").read_text()
            total += int(re.search(r"^Pss:\s+(\d+)", rollup, re.M).group(1)) / 1024  # type: ignore[union-attr]
        except (OSError, AttributeError):
            continue
    return total


def _pg_schema(base: str) -> tuple[str, str]:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    schema = f"bench_{uuid.uuid4().hex[:10]}"
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False), schema


def _store_size(args: argparse.Namespace, url: str, schema: str | None, db: Path) -> float:
    if schema is None:
        return sum(p.stat().st_size for p in db.parent.glob(db.name + "*") if p.is_file()) / 1e6
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as conn:
        size = conn.execute(
            text(
                "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = :s AND c.relkind = 'r'"
            ),
            {"s": schema},
        ).scalar()
    engine.dispose()
    return float(size) / 1e6


def main() -> None:  # noqa: C901 - one measurement script, read top to bottom
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--feeds", type=int, default=1000)
    parser.add_argument("--items", type=int, default=20)
    parser.add_argument("--story", type=float, default=0.25, help="share of items on the story")
    parser.add_argument("--interval", default="5m")
    parser.add_argument("--duration", default="15m", help="steady state measured after the first round")
    parser.add_argument("--new-per-min", type=float, default=6.0)
    parser.add_argument("--store", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--pg-url", default=os.environ.get("TIMELINE_TEST_PG_URL"))
    parser.add_argument("--replicas", type=int, default=1)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--extract-processes", type=int, default=0, help="[daemon] extract_processes")
    parser.add_argument("--pin", action="store_true", help="taskset -c K for replica K")
    parser.add_argument("--first-round-limit", default="30m")
    args = parser.parse_args()
    from timeline.config import parse_interval

    interval = parse_interval(args.interval)
    duration = parse_interval(args.duration)
    rng = random.Random(0)
    farm = Farm(args.feeds, args.items, args.story, rng)
    server = ThreadingHTTPServer(("127.0.0.1", 0), farm.handler())
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    tmp = Path(tempfile.mkdtemp(prefix="daemon-load-"))
    db = tmp / "timeline.db"
    schema = None
    url = f"sqlite:///{db}"
    if args.store == "postgresql":
        if not args.pg_url:
            sys.exit("--store postgresql needs --pg-url or TIMELINE_TEST_PG_URL")
        url, schema = _pg_schema(args.pg_url)
    output = tmp / "timeline.json"
    lines = [
        f"[store]\nurl = {json.dumps(url)}\n[output]\njson = {json.dumps(str(output))}",
        f'[story]\nkeywords = ["{KEYWORD}"]',
        "[http]\nallow_private_addresses = true\ntimeout = 20\nmax_bytes = 20000000",
        f'[daemon]\nworkers = {args.workers}\njitter = "{interval * 0.05:g}s"\ndispatch_interval = "1s"\n'
        f"extract_processes = {args.extract_processes}",
    ]
    lines += [
        f'[[feeds]]\nurl = "{base}{f.path}"\nname = "farm-{k}"\ninterval = "{interval:g}s"'
        for k, f in enumerate(farm.feeds)
    ]
    config = tmp / "timeline.toml"
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("TIMELINE_")}
    print(
        f"{args.feeds} feeds x {args.items} items ({len(farm.initial_story)} on the story), interval "
        f"{interval:g}s, {args.store}, {args.replicas} replica(s), {args.workers} workers, in {tmp}",
        flush=True,
    )
    started = time.monotonic()
    procs = []
    for n in range(args.replicas):
        command = [sys.executable, "-m", "timeline", "daemon", "--config", str(config)]
        if args.pin:
            command = ["taskset", "-c", str(n % (os.cpu_count() or 1)), *command]
        log = (tmp / f"replica{n}.log").open("w")
        procs.append(subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env))

    seen_titles: dict[str, float] = {}
    stop = threading.Event()
    pss_peaks = [0.0] * len(procs)

    def watch_memory() -> None:
        while not stop.wait(1.0):
            for n, p in enumerate(procs):
                pss_peaks[n] = max(pss_peaks[n], _pss(p.pid))

    threading.Thread(target=watch_memory, daemon=True).start()

    def watch_json() -> None:
        mtime = 0.0
        while not stop.wait(0.5):
            try:
                current = output.stat().st_mtime
                if current == mtime:
                    continue
                mtime = current
                data = json.loads(output.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            now = time.monotonic()
            for article in data.get("articles", []):
                seen_titles.setdefault(article.get("title") or "", now)

    threading.Thread(target=watch_json, daemon=True).start()
    limit = started + parse_interval(args.first_round_limit)
    while time.monotonic() < limit:
        with farm.lock:
            polled = {k for k, _t, _s in farm.requests}
        if len(polled) == args.feeds and farm.initial_story <= seen_titles.keys():
            break
        time.sleep(1)
    first_round = time.monotonic() - started
    print(
        f"first round: {first_round:.1f} s (every feed polled once, every story item in the JSON)", flush=True
    )
    window_start = time.monotonic()
    published: dict[str, float] = {}
    gap = 60.0 / args.new_per_min if args.new_per_min > 0 else float("inf")
    next_new = window_start
    while time.monotonic() < window_start + duration:
        if time.monotonic() >= next_new:
            published[farm.publish()] = time.monotonic()
            next_new += gap
        time.sleep(0.2)
    window_end = time.monotonic()
    # let the last new items arrive: until every published item is in the JSON (3 intervals at most)
    settle = time.monotonic() + max(3 * interval, 60.0)
    while time.monotonic() < settle and not set(published) <= seen_titles.keys():
        time.sleep(1)
    time.sleep(5)
    usage = [_proc(p.pid) for p in procs]
    for p in procs:
        p.send_signal(signal.SIGTERM)
    for p in procs:
        p.wait(30)
    stop.set()

    with farm.lock:
        window = [(k, t) for k, t, _s in farm.requests if window_start <= t <= window_end]
        first_served = dict(farm.first_served)
        guid_of = {i.title: i.guid for f in farm.feeds for i in f.items}
    length = window_end - window_start
    by_feed: dict[int, list[float]] = {}
    for k, t in window:
        by_feed.setdefault(k, []).append(t)
    gaps, doubles = [], 0
    for times in by_feed.values():
        for a, b in zip(times, times[1:], strict=False):
            if b - a < interval / 2:
                doubles += 1
            else:
                gaps.append(b - a)
    latencies = [
        seen_titles[title] - first_served[guid_of[title]]
        for title in published
        if title in seen_titles and guid_of.get(title) in first_served
    ]
    print(f"steady state: {length:.0f} s, {len(window) / length:.2f} polls/s, "
          f"{(len(window) - doubles) / length:.2f} distinct feed polls/s, "
          f"fetched by more than one replica: {doubles / max(len(window), 1):.1%}")  # fmt: skip
    p50, p90 = _pct(gaps, 0.5), _pct(gaps, 0.9)
    print(f"time between polls of a feed: p50 {p50:.1f} s p90 {p90:.1f} s (x{p90 / interval:.2f} the "
          f"interval); feeds polled: {len(by_feed)}/{args.feeds}")  # fmt: skip
    print(f"new item to JSON: {len(latencies)}/{len(published)} arrived, p50 {_pct(latencies, 0.5):.1f} s "
          f"p90 {_pct(latencies, 0.9):.1f} s")  # fmt: skip
    rebuilds: dict[str, list[float]] = {"full": [], "incremental": []}
    # incremental rebuilds after a handful of new or changed articles, on (nearly) the whole story
    small: list[tuple[float, int]] = []
    for n in range(args.replicas):
        for line in (tmp / f"replica{n}.log").read_text().splitlines():
            match = re.search(r" timeline path=.* articles=(\d+) .*merge=(\w+) .*duration=([\d.]+)s", line)
            if match:
                rebuilds[match.group(2)].append(float(match.group(3)))
                read = re.search(r" read=(\d+)", line)
                if match.group(2) == "incremental" and read and 1 <= int(read.group(1)) <= 10:
                    small.append((float(match.group(3)), int(match.group(1))))
    for kind, values in rebuilds.items():
        if values:
            print(f"rebuilds, {kind}: {len(values)}, p50 {_pct(values, 0.5):.2f} s "
                  f"p90 {_pct(values, 0.9):.2f} s max {max(values):.2f} s")  # fmt: skip
    largest = max((size for _d, size in small), default=0)
    values = [d for d, size in small if size >= 0.9 * largest]
    if values:
        print(f"incremental rebuilds after 1-10 articles read, story of {int(0.9 * largest)}-{largest} "
              f"articles: {len(values)}, p50 {_pct(values, 0.5):.2f} s p90 {_pct(values, 0.9):.2f} s "
              f"max {max(values):.2f} s")  # fmt: skip
    for n, (cpu, peak) in enumerate(usage):
        print(f"replica {n}: CPU {cpu:.0f} s, peak memory {peak:.0f} MB (each process's VmHWM, its "
              f"extraction processes included, summed: an upper bound); summed PSS sampled each second, "
              f"peak {pss_peaks[n]:.0f} MB")  # fmt: skip
    print(f"store size: {_store_size(args, url, schema, db):.1f} MB")
    from timeline.store import Store

    with Store.open(url) as store:
        story = {a.title for a in store.articles(keywords=[KEYWORD])}
    final = json.loads(output.read_text(encoding="utf-8"))
    in_json = {a["title"] for a in final["articles"]}
    print(f"JSON equals the store's story: {in_json == story} ({len(in_json)} articles, {len(story)} stored)")
    print(f"logs and store kept in {tmp}")
    server.shutdown()


if __name__ == "__main__":
    main()

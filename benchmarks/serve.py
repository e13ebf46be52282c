#!/usr/bin/env python3
"""Load `timeline serve` with concurrent clients on /api/timeline, for a timeline of real articles.

    .venv/bin/python benchmarks/serve.py [--articles 1500] [--clients 100] [--requests 20] [--timeline FILE]

Builds the timeline of the first ARTICLES Timeline17 articles (../shared/eval/tls, topics in name
order; not timed) unless --timeline names one, starts `timeline serve --timeline` as a separate
process on a free loopback port, and runs CLIENTS concurrent clients (asyncio, one keep-alive
connection each, a lean HTTP/1.1 reader) that each make REQUESTS sequential GETs of /api/timeline
(the default first page of 100 events, and a page filtered by words); then the same with
If-None-Match set to the current ETag, where every answer must be a 304. Prints p50/p90/p99 latency,
throughput and errors for each. Exits 1 on any error or a 304 run that got anything else. Only
loopback traffic; bounded in count and time (10 minutes a run at most).
"""

from __future__ import annotations

import argparse
import asyncio
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
TLS = ROOT.parent / "shared" / "eval" / "tls"


def build(articles: int, out: Path) -> None:
    from timeline.pipeline import build_timeline
    from timeline.render import write_json
    from timeline.sources import load_paths

    found = []
    for topic in sorted(TLS.glob("*/articles.jsonl")):
        found.extend(load_paths([topic]).articles)
        if len(found) >= articles:
            break
    if len(found) < articles:
        sys.exit(f"need {articles} articles under {TLS}, found {len(found)}")
    started = time.perf_counter()
    timeline = build_timeline(found[:articles])
    write_json(timeline, out)
    print(f"built {out}: {len(timeline.events)} events from {articles} articles in "
          f"{time.perf_counter() - started:.1f} s (not part of the figures)")  # fmt: skip


def start_server(timeline: Path, folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    log = folder / "serve.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "timeline", "serve", "--timeline", str(timeline), "--port", "0"],
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=folder,
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        found = re.search(r"serving (http://\S+)", log.read_text(errors="replace"))
        if found:
            return process, found[1]
        if process.poll() is not None:
            break
        time.sleep(0.05)
    process.kill()
    sys.exit(f"timeline serve did not start:\n{log.read_text(errors='replace')}")


async def _one_client(
    host: str,
    port: int,
    head: bytes,
    requests: int,
    expect: int,
    latencies: list[float],
    tally: dict[str, int],
) -> None:
    """One keep-alive connection making `requests` sequential GETs; a lean HTTP/1.1 reader so that the
    clients, on the same two cores, cost the server as little as they can."""
    reader, writer = await asyncio.open_connection(host, port)
    try:
        for _ in range(requests):
            started = time.perf_counter()
            writer.write(head)
            status = int((await reader.readline()).split()[1])
            length = 0
            while (line := await reader.readline()) not in (b"\r\n", b""):
                name, _, value = line.partition(b":")
                if name.lower() == b"content-length":
                    length = int(value)
            body = await reader.readexactly(length) if length else b""
            latencies.append(time.perf_counter() - started)
            tally["bytes"] += len(body)
            tally["errors"] += status != expect
    except (OSError, ValueError, IndexError, asyncio.IncompleteReadError):
        tally["errors"] += 1
    finally:
        writer.close()


async def load(
    url: str, clients: int, requests: int, headers: dict[str, str], expect: int
) -> dict[str, float]:
    parts = httpx.URL(url)
    host, port = parts.host, parts.port or 80
    target = parts.raw_path.decode()
    head = (
        f"GET {target} HTTP/1.1\r\nHost: {host}:{port}\r\n"
        + "".join(f"{name}: {value}\r\n" for name, value in headers.items())
        + "\r\n"
    ).encode()
    latencies: list[float] = []
    tally = {"bytes": 0, "errors": 0}
    started = time.perf_counter()
    runs = (_one_client(host, port, head, requests, expect, latencies, tally) for _ in range(clients))
    await asyncio.wait_for(asyncio.gather(*runs), timeout=600)
    elapsed = time.perf_counter() - started
    latencies.sort()

    def pct(p: float) -> float:
        return (
            latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000 if latencies else float("nan")
        )

    return {
        "requests": len(latencies),
        "errors": tally["errors"] + clients * requests - len(latencies),
        "seconds": elapsed,
        "per_second": len(latencies) / elapsed,
        "p50": pct(0.50),
        "p90": pct(0.90),
        "p99": pct(0.99),
        "mean": statistics.fmean(latencies) * 1000 if latencies else float("nan"),
        "bytes": tally["bytes"] / max(len(latencies), 1),
    }


def report(name: str, figures: dict[str, float]) -> None:
    print(
        f"{name:<34} {figures['requests']:>6.0f} req {figures['errors']:>3.0f} errors "
        f"{figures['per_second']:>7.1f} req/s  p50 {figures['p50']:6.1f} ms  p90 {figures['p90']:6.1f} ms  "
        f"p99 {figures['p99']:6.1f} ms  {figures['bytes'] / 1024:6.1f} KiB/answer"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1500)
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--requests", type=int, default=20, help="per client")
    parser.add_argument("--timeline", type=Path, help="serve this timeline JSON instead of building one")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="timeline-serve-bench-") as temp:
        folder = Path(temp)
        timeline = args.timeline or folder / "timeline.json"
        if args.timeline is None:
            build(args.articles, timeline)
        process, base = start_server(timeline.resolve(), folder)
        failed = False
        try:
            first = httpx.get(base + "/api/timeline", timeout=60)
            total = first.json()["total"]
            print(f"serving {total} events; {args.clients} clients x {args.requests} requests each")
            for name, path in (
                ("GET /api/timeline", "/api/timeline"),
                ("GET /api/timeline?q=oil spill", "/api/timeline?q=oil%20spill"),
            ):
                asyncio.run(load(base + path, 10, 2, {}, 200))  # warm-up, not reported
                figures = asyncio.run(load(base + path, args.clients, args.requests, {}, 200))
                report(name, figures)
                etag = httpx.get(base + path, timeout=60).headers["etag"]
                cached = asyncio.run(
                    load(base + path, args.clients, args.requests, {"If-None-Match": etag}, 304)
                )
                report(name.replace("GET", "GET (If-None-Match)"), cached)
                failed |= bool(figures["errors"] or cached["errors"])
        finally:
            process.terminate()
            process.wait(15)
    if failed:
        print("errors: some answers failed or were not the expected status", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

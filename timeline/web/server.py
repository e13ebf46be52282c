"""Running the app: uvicorn on a socket we bind ourselves (so port 0 works and a busy port is one line),
in the foreground for `timeline serve` or on a thread beside the scheduler for `timeline daemon --serve`."""

from __future__ import annotations

import ipaddress
import socket
import sys
import threading

import uvicorn
from fastapi import FastAPI
from sqlalchemy.engine import make_url

from timeline.errors import InputError
from timeline.web.app import ServeSettings


def parse_address(text: str) -> tuple[str, int]:
    """HOST:PORT (an IPv6 host in brackets: [::1]:8080) as (host, port)."""
    host, sep, port = text.strip().rpartition(":")
    if not sep or not host or not port.isdigit() or int(port) > 65535:
        raise InputError(f"--serve: expected HOST:PORT such as 127.0.0.1:8080, got {text!r}")
    return host.strip("[]"), int(port)


def is_loopback(host: str) -> bool:
    """Whether `host` only listens to this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on host:port, or InputError saying why not."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise InputError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    family, kind, proto, _name, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        raise InputError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    sock.setblocking(False)
    return sock


def address_of(sock: socket.socket) -> str:
    """http://host:port of a bound socket."""
    host, port = sock.getsockname()[:2]
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def announce(sock: socket.socket, settings: ServeSettings) -> None:
    """The line that says where the server listens and what it reads; a warning off loopback."""
    what = f"timeline {settings.timeline}"
    if settings.store_url:
        what += f", store {make_url(settings.store_url).render_as_string(hide_password=True)}"
    print(f"timeline: serving {address_of(sock)} ({what})", file=sys.stderr, flush=True)
    host = sock.getsockname()[0]
    if not is_loopback(host):
        print(
            f"timeline: warning: listening on {host}: anyone who can reach it can read the timeline",
            file=sys.stderr,
            flush=True,
        )


def make_server(app: FastAPI) -> uvicorn.Server:
    """A uvicorn server for the app, quiet: no access log, its own errors only, no logging setup."""
    config = uvicorn.Config(
        app,
        log_config=None,
        access_log=False,
        log_level="warning",
        proxy_headers=False,
        server_header=False,
        lifespan="on",
        timeout_graceful_shutdown=5,
    )
    return uvicorn.Server(config)


class ServerThread:
    """The server on a thread of its own, for a process whose main thread does other work."""

    def __init__(self, app: FastAPI, sock: socket.socket) -> None:
        self.server = make_server(app)
        self.sock = sock
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [sock]}, name="serve", daemon=True
        )

    def start(self) -> None:
        self.thread.start()

    def stop(self, timeout: float = 6.0) -> None:
        self.server.should_exit = True
        self.thread.join(timeout)
        self.sock.close()

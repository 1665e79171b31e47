"""A real HTTP server on 127.0.0.1 serving the feeds, pages and social APIs the tests write."""

import gzip
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

Responder = Callable[["Handler", dict[str, list[str]]], None]


@dataclass
class Site:
    """Routes by path, and a log of the requests received (path, query, headers)."""

    base_url: str = ""
    routes: dict[str, Responder] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, list[str]], dict[str, str]]] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def hits(self, path: str) -> int:
        """How many times `path` was requested."""
        return sum(1 for p, _, _ in self.requests if p == path)


class Handler(BaseHTTPRequestHandler):
    """Looks the path up in the site's routes; 404 otherwise."""

    site: Site

    def do_GET(self) -> None:
        """Answer from the route table."""
        parts = urlsplit(self.path)
        query = parse_qs(parts.query)
        self.site.requests.append((parts.path, query, dict(self.headers.items())))
        route = self.site.routes.get(parts.path)
        if route is None:
            send(self, 404, b"not found", "text/plain")
            return
        route(self, query)

    def log_message(self, format: str, *args: object) -> None:
        """Keep test output quiet."""


def send(
    handler: BaseHTTPRequestHandler,
    status: int,
    body: bytes,
    content_type: str,
    headers: dict[str, str] | None = None,
) -> None:
    """Write a complete response."""
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(len(body)))
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.end_headers()
    handler.wfile.write(body)


def static(body: bytes | str, content_type: str, *, etag: str | None = None) -> Responder:
    """A fixed response; with `etag`, a matching If-None-Match (or If-Modified-Since) gets 304."""
    data = body.encode("utf-8") if isinstance(body, str) else body
    last_modified = "Fri, 20 Nov 2026 10:00:00 GMT"

    def respond(handler: Handler, _query: dict[str, list[str]]) -> None:
        if etag and (
            handler.headers.get("If-None-Match") == etag
            or handler.headers.get("If-Modified-Since") == last_modified
        ):
            handler.send_response(304)
            handler.send_header("ETag", etag)
            handler.end_headers()
            return
        extra = {"ETag": etag, "Last-Modified": last_modified} if etag else {}
        send(handler, 200, data, content_type, extra)

    return respond


def redirect(location: str, status: int = 302) -> Responder:
    """A redirect to `location`."""

    def respond(handler: Handler, _query: dict[str, list[str]]) -> None:
        send(handler, status, b"", "text/plain", {"Location": location})

    return respond


def gzip_bomb(content_type: str, expanded_bytes: int) -> Responder:
    """A small gzip body that expands to `expanded_bytes` of zeros."""
    body = gzip.compress(b"\0" * expanded_bytes, compresslevel=9)

    def respond(handler: Handler, _query: dict[str, list[str]]) -> None:
        send(handler, 200, body, content_type, {"Content-Encoding": "gzip"})

    return respond


def trickle(site: Site, content_type: str) -> Responder:
    """Headers, then one byte every 0.1 s, never finishing (until the server stops)."""

    def respond(handler: Handler, _query: dict[str, list[str]]) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", content_type)
        handler.end_headers()
        handler.wfile.write(b"<html><body><p>")
        try:
            while not site.stop.wait(0.1):
                handler.wfile.write(b"a")
                handler.wfile.flush()
        except OSError:
            return

    return respond


def failing_once(then: Responder) -> Responder:
    """HTTP 503 on the first request, then `then`."""
    calls = {"n": 0}

    def respond(handler: Handler, query: dict[str, list[str]]) -> None:
        calls["n"] += 1
        if calls["n"] == 1:
            send(handler, 503, b"busy", "text/plain")
        else:
            then(handler, query)

    return respond


@contextmanager
def serve() -> Iterator[Site]:
    """Run a threaded HTTP server on 127.0.0.1 for the duration of the block."""
    site = Site()
    handler = type("SiteHandler", (Handler,), {"site": site})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    site.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        yield site
    finally:
        site.stop.set()
        time.sleep(0.15)
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)

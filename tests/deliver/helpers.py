"""A real webhook receiver and a real SSE client on 127.0.0.1, plus small API helpers."""

import asyncio
import itertools
import json
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, TypeVar

import httpx
from standardwebhooks import Webhook
from standardwebhooks.exceptions import WebhookVerificationError

from tests.factories import AUTH

HANG_S = 1.5
T = TypeVar("T")


@dataclass
class Hit:
    """One request the receiver got."""

    webhook_id: str
    at: float
    status: int
    verified: bool
    body: dict[str, Any] | None


@dataclass
class Receiver:
    """Endpoints by path: `ok`, `flaky` (500 until recovered), `gone` (410), `hang`, `redirect`."""

    port: int = 0
    secrets: dict[str, str] = field(default_factory=dict)
    hits: dict[str, list[Hit]] = field(default_factory=lambda: defaultdict(list))
    applied: dict[str, dict[str, int]] = field(default_factory=lambda: defaultdict(dict))
    fail_for: dict[str, float] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, name: str) -> str:
        """The URL of the endpoint `name` (its behaviour is the part before a dash)."""
        return f"http://127.0.0.1:{self.port}/{name}"

    def answer(self, name: str, body: bytes, headers: dict[str, str]) -> tuple[int, dict[str, str]]:
        """Decide the response to one request and record it; verified messages are applied once."""
        kind = name.split("-", 1)[0]
        status, extra = 200, {}
        if kind == "gone":
            status = 410
        elif kind == "redirect":
            status, extra = 307, {"Location": self.url("ok-redirect-target")}
        elif kind == "flaky" and self._still_failing(name):
            status = 500
        elif kind == "hang":
            time.sleep(HANG_S)
        verified, payload = self._verify(name, body, headers)
        with self.lock:
            self.hits[name].append(
                Hit(headers.get("webhook-id", ""), time.monotonic(), status, verified, payload)
            )
            if status == 200 and verified and payload is not None:
                self.applied[name].setdefault(headers["webhook-id"], payload["version"])
        return status, extra

    def _still_failing(self, name: str) -> bool:
        """Whether `name` is within `fail_for` seconds of its first request."""
        first = self.hits[name][0].at if self.hits[name] else time.monotonic()
        return time.monotonic() < first + self.fail_for.get(name, 0.0)

    def _verify(
        self, name: str, body: bytes, headers: dict[str, str]
    ) -> tuple[bool, dict[str, Any] | None]:
        """Check the signature with the standardwebhooks library."""
        secret = self.secrets.get(name)
        if secret is None:
            return False, None
        try:
            payload: dict[str, Any] = Webhook(secret).verify(body, headers)
        except WebhookVerificationError:
            return False, None
        return True, payload

    def applied_versions(self, name: str) -> list[int]:
        """Versions applied by endpoint `name`, in arrival order, each webhook-id once."""
        with self.lock:
            return list(self.applied[name].values())


@contextmanager
def running_receiver() -> Iterator[Receiver]:
    """Serve a `Receiver` on a free port of 127.0.0.1 for the duration of the block."""
    receiver = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            """Read the body, let the receiver decide, answer."""
            body = self.rfile.read(int(self.headers.get("content-length", "0")))
            headers = {k.lower(): v for k, v in self.headers.items()}
            status, extra = receiver.answer(self.path.strip("/"), body, headers)
            self.send_response(status)
            for key, value in extra.items():
                self.send_header(key, value)
            self.send_header("content-length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, format: str, *args: Any) -> None:
            """Keep the test output quiet."""

    class Server(ThreadingHTTPServer):
        def handle_error(self, request: Any, client_address: Any) -> None:
            """A sender that gave up (the hanging endpoint) is expected; stay quiet."""

    server = Server(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    receiver.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class StreamClient:
    """Reads `GET .../stream` on a thread, recording each summary message and when it came."""

    url: str
    last_event_id: str | None = None
    messages: list[tuple[int, float, dict[str, Any]]] = field(default_factory=list)
    heartbeats: int = 0
    status: int | None = None
    error: str | None = None
    stopped: threading.Event = field(default_factory=threading.Event)
    thread: threading.Thread | None = None

    def start(self) -> "StreamClient":
        """Connect on a background thread."""
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()
        return self

    def _run(self) -> None:
        """Parse the event stream until stopped (heartbeats keep the read from timing out)."""
        headers = {"Last-Event-ID": self.last_event_id} if self.last_event_id else {}
        event: dict[str, str] = {}
        try:
            with httpx.stream("GET", self.url, headers=headers, timeout=10) as response:
                self.status = response.status_code
                for line in response.iter_lines():
                    if self.stopped.is_set():
                        return
                    if line.startswith(":"):
                        self.heartbeats += 1
                    elif line:
                        key, _, value = line.partition(": ")
                        event[key] = value
                    elif "data" in event:
                        data = json.loads(event["data"])
                        assert event["event"] == "summary"
                        assert int(event["id"]) == data["version"]
                        self.messages.append((data["version"], time.monotonic(), data))
                        event = {}
        except httpx.HTTPError as exc:
            self.error = repr(exc)  # the server went away; the test's own waits report it

    def versions(self) -> list[int]:
        """Versions received, in order."""
        return [version for version, _, _ in self.messages]

    def stop(self) -> None:
        """Stop at the next line (a heartbeat arrives within the test heartbeat interval)."""
        self.stopped.set()
        if self.thread is not None:
            self.thread.join(timeout=5)


def wait_for(check: Callable[[], bool], *, timeout: float, what: str) -> None:
    """Poll `check` every 0.1 s until true; fail naming `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def run_async(make: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run a coroutine on a fresh loop in its own thread (another test's loop may own this one)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(lambda: asyncio.run(make())).result(timeout=60)


def assert_spaced(created: list[datetime], min_interval_s: float) -> None:
    """Deliveries (by creation time) start at least `min_interval_s` apart (10 ms of slack)."""
    ordered = sorted(created)
    gaps = [(b - a).total_seconds() for a, b in itertools.pairwise(ordered)]
    assert all(gap >= min_interval_s - 0.01 for gap in gaps), gaps


def api(base_url: str, method: str, path: str, **kwargs: Any) -> Any:
    """Call the API with the admin token; returns the JSON body (None for 204)."""
    response = httpx.request(method, f"{base_url}{path}", headers=AUTH, timeout=10, **kwargs)
    assert response.status_code < 400, (response.status_code, response.text)
    return response.json() if response.content else None

"""Faults on the real stack: each scenario runs API, two workers and beat on a PostgreSQL cluster
and a Redis of its own (ports 18500-18599), injects one fault mid-ingest and prints one line

    SCENARIO accepted=N processed=N failed=N lost=N duplicated=N non2xx_unstored=N
             recovery_s=X summaries_exact=yes|no [stream=ok|stale] [webhook=ok|stale]

accepted: texts answered 2xx; lost: accepted but never processed or failed; duplicated: extra
stored copies of a text, reactions or event memberships; non2xx_unstored: 2xx answers whose
document is not stored; recovery_s: from the fault's end until every accepted document is
settled; summaries_exact: every stored summary and person total equals a rebuild (`reactions
recompute`, in a transaction rolled back). The POST answers while the fault lasted are printed
on a second line. Texts are generated here. Exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import contextlib
import http.server
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psycopg
from common import (
    DEFAULT_TOKEN,
    BenchError,
    Processes,
    bin_path,
    exit_on_sigterm,
    migrate,
    service_env,
    wait_ready,
)
from sqlalchemy import select
from sqlalchemy.orm import Session

from store.db import dispose_engines, session_factory
from store.models import EventSummaryRow, Person
from store.repositories import summaries
from usecases import corrections

PG_PORT, REDIS_PORT, API_PORT, RECEIVER_PORT = 18532, 18579, 18580, 18581
DB_NAME = "reactions_faults"
CLIENTS = 4
RATE = 15.0  # texts per second in all, below what two workers process, so no backlog builds
FAULT_S = 5.0
SETTLE_TIMEOUT_S = 180.0
RECOVERY_TARGET_S = 30.0
TOPICS = ("Aurora 2", "harbour bridge", "river ferry", "Solstice vote")
PEOPLE = (
    ("Ines Duarte", "a researcher at Harbor AI"),
    ("Tomas Berg", "the mayor of Lindholm"),
    ("Amara Osei", "a spokesperson for the ferry union"),
    ("Lena Vik", "an analyst at Northwind Labs"),
    ("Rafael Cruz", "a member of the city council"),
)
OPINIONS = (
    "This is a remarkable and generous step for everyone",
    "It is a terrible, sad day for the people who depend on it",
    "We will look at the figures again next week",
    "I am proud of the brave decision they made",
    "Nobody should accept such an awful and careless plan",
    "The timetable is published on the usual page",
)


def article(number: int) -> dict[str, str]:
    """A unique generated news text with two or three attributed quotes about one topic."""
    rng = random.Random(number)
    topic = TOPICS[number % len(TOPICS)]
    lines = [f"Reporters followed the {topic} story on day {number}."]
    for name, role in rng.sample(PEOPLE, rng.randint(2, 3)):
        lines.append(f"“{rng.choice(OPINIONS)},” said {name}, {role}.")
    lines.append(f"The {topic} debate continues (report {number}).")
    return {"title": f"{topic}: report {number}", "text": " ".join(lines), "source": "faults"}


# -- servers of our own --------------------------------------------------------------------------


def _as_postgres(argv: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: run its tools as the postgres user then."""
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


def pg_bin(name: str) -> str:
    """A PostgreSQL server binary (Debian keeps them out of PATH)."""
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    if found:
        return str(found[-1])
    path = shutil.which(name)
    if path is None:
        raise BenchError(f"{name} not found: install PostgreSQL's server package")
    return path


@dataclass
class Cluster:
    """A throw-away PostgreSQL cluster on 127.0.0.1:`port`."""

    root: Path
    port: int = PG_PORT

    @property
    def admin_url(self) -> str:
        """The maintenance database's URL."""
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def init(self) -> None:
        """initdb into `root`/data (owned by postgres when we are root)."""
        (self.root / "sock").mkdir(parents=True)
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres")
            shutil.chown(self.root / "sock", "postgres")
        argv = [pg_bin("initdb"), "-D", str(self.root / "data"), "-U", "postgres", "-A", "trust"]
        _run(_as_postgres([*argv, "--no-sync"]), "initdb")

    def start(self) -> None:
        """Start and wait until it accepts connections."""
        options = f"-p {self.port} -k {self.root / 'sock'} -c listen_addresses=127.0.0.1"
        argv = [pg_bin("pg_ctl"), "-D", str(self.root / "data"), "-l", str(self.root / "pg.log")]
        _run(_as_postgres([*argv, "-o", options, "-w", "-t", "60", "start"]), "pg_ctl start")

    def stop(self) -> None:
        """`pg_ctl stop -m fast`: sessions are cut, as in a restart in production."""
        argv = [pg_bin("pg_ctl"), "-D", str(self.root / "data"), "-m", "fast", "-w", "stop"]
        _run(_as_postgres(argv), "pg_ctl stop")

    def fresh_database(self) -> str:
        """Drop and create the benchmark database; its URL."""
        with psycopg.connect(self.admin_url, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{DB_NAME}"')
        return f"postgresql://postgres@127.0.0.1:{self.port}/{DB_NAME}"


def _run(argv: list[str], what: str) -> None:
    """Run a set-up command (60 s at most); a failure is a BenchError with its output."""
    result = subprocess.run(argv, capture_output=True, text=True, timeout=90, check=False)
    if result.returncode != 0:
        raise BenchError(f"{what} failed: {(result.stderr or result.stdout)[-1500:]}")


@dataclass
class OwnRedis:
    """A redis-server on 127.0.0.1:`port`, with an append-only file or with no persistence."""

    root: Path
    persist: bool
    port: int = REDIS_PORT
    proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """Database 0 of this server."""
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        """Start it and wait for PONG."""
        persistence = ["--appendonly", "yes", "--appendfsync", "always"] if self.persist else []
        argv = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
        argv += ["--dir", str(self.root), *(persistence or ["--appendonly", "no"])]
        log = (self.root / "redis.log").open("ab")
        self.proc = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT)
        _wait(lambda: _redis_cli(self.port, "ping") == "PONG", 20, "Redis to answer")

    def stop(self) -> None:
        """SHUTDOWN (the append-only file is kept when persisting, nothing otherwise)."""
        _redis_cli(self.port, "shutdown", "save" if self.persist else "nosave")
        if self.proc is not None:
            self.proc.wait(timeout=20)
            self.proc = None


def _redis_cli(port: int, *command: str) -> str:
    """One redis-cli command's output ('' when the server is down)."""
    result = subprocess.run(
        ["redis-cli", "-p", str(port), *command],
        capture_output=True,
        text=True,
        timeout=10,
        check=False,
    )
    return result.stdout.strip()


def _wait(check: Callable[[], bool], timeout: float, what: str) -> None:
    """Poll `check` every 0.2 s; BenchError after `timeout` s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise BenchError(f"timed out after {timeout:.0f} s waiting for {what}")


# -- the stack, the load and the checks ----------------------------------------------------------


@dataclass
class Answers:
    """What the clients got: the ids per accepted text, and every answer by kind and phase."""

    ids: dict[str, set[int]] = field(default_factory=dict)
    accepted_at: dict[int, float] = field(default_factory=dict)
    kinds: Counter[str] = field(default_factory=Counter)
    during_fault: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def note(self, text: str, kind: str, document_id: int | None, in_fault: bool) -> None:
        """Record one answer."""
        with self.lock:
            self.kinds[kind] += 1
            if in_fault:
                self.during_fault[kind] += 1
            if document_id is not None:
                self.ids.setdefault(text, set()).add(document_id)
                self.accepted_at.setdefault(document_id, time.monotonic())


@dataclass
class Run:
    """One scenario's stack and state."""

    name: str
    cluster: Cluster
    redis: OwnRedis
    db_url: str
    processes: Processes
    env: dict[str, str]
    base_url: str = f"http://127.0.0.1:{API_PORT}"
    answers: Answers = field(default_factory=Answers)
    fault: threading.Event = field(default_factory=threading.Event)
    receiver: Receiver | None = None
    posted: int = 0
    worker_restarts: int = 0

    def start_stack(self) -> None:
        """API, two one-process workers and beat, as docker-compose runs them."""
        self.processes.start("api", [bin_path("reactions"), "api"], self.env)
        for number in (1, 2):
            self.start_worker(f"worker{number}")
        beat = [bin_path("celery"), "-A", "workers.celery_app", "beat", "--loglevel=INFO"]
        beat.append(f"--schedule={self.processes.log_dir / 'beat-schedule'}")
        self.processes.start("beat", beat, self.env)
        wait_ready(self.base_url, self.processes, timeout=60)

    def start_worker(self, name: str) -> None:
        """One one-process worker, as docker-compose's `worker` service runs it."""
        argv = [bin_path("celery"), "-A", "workers.celery_app", "worker", "--loglevel=INFO"]
        argv += ["--concurrency=1", "-n", f"{name}@%h"]
        self.processes.start(name, argv, self.env)

    def supervise(self) -> None:
        """Start again a worker that exited, as compose's `restart: unless-stopped` does (the
        count is printed); any other process exiting ends the run."""
        for entry in list(self.processes.started):
            name, proc, log = entry
            if proc.poll() is not None and name.startswith("worker"):
                self.processes.started.remove(entry)
                log.close()
                self.worker_restarts += 1
                self.start_worker(name)
        self.processes.check_alive()

    def post_all(self, payloads: list[dict[str, str]], *, clients: int, rate: float) -> None:
        """Post every payload from `clients` threads at about `rate` per second in all (0: at
        once); a text answered 503, 500 or not at all is posted again (as a client honouring
        Retry-After does) until a 2xx or 120 s."""
        numbers = iter(range(len(payloads)))
        lock = threading.Lock()
        pause = clients / rate if rate else 0.0

        def client() -> None:
            headers = {"Authorization": f"Bearer {DEFAULT_TOKEN}"}
            with httpx.Client(timeout=httpx.Timeout(30, connect=5), headers=headers) as http:
                while True:
                    with lock:
                        number = next(numbers, None)
                    if number is None:
                        return
                    self._post_until_stored(http, payloads[number])
                    with lock:
                        self.posted += 1
                    if pause:
                        time.sleep(pause)

        threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=600)

    def _post_until_stored(self, http: httpx.Client, payload: dict[str, str]) -> None:
        """POST one text until it is answered 2xx (bounded)."""
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            in_fault = self.fault.is_set()
            try:
                response = http.post(f"{self.base_url}/v1/documents", json=payload)
            except httpx.HTTPError as exc:
                self.answers.note(payload["text"], f"reset:{type(exc).__name__}", None, in_fault)
                time.sleep(0.5)
                continue
            kind = str(response.status_code)
            if response.status_code >= 500 and not _is_json(response):
                kind += ":not-json"
            if response.status_code in (200, 202):
                self.answers.note(payload["text"], kind, int(response.json()["id"]), in_fault)
                return
            self.answers.note(payload["text"], kind, None, in_fault)
            time.sleep(float(response.headers.get("Retry-After", "0.5")) / 5)

    def settle(self, *, fault_end: float, timeout: float = SETTLE_TIMEOUT_S) -> float:
        """Wait until every accepted document is processed or failed; seconds from the fault's
        end until those accepted before it ended were (the rest of the load is not counted)."""
        accepted = {i for ids in self.answers.ids.values() for i in ids}
        before = {i for i, at in self.answers.accepted_at.items() if at <= fault_end}
        recovered: float | None = None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.supervise()
            with contextlib.suppress(psycopg.OperationalError):
                settled = self.settled_ids()
                if recovered is None and not before - settled:
                    recovered = time.monotonic()
                if not accepted - settled:
                    break
            time.sleep(0.5)
        return max(0.0, (recovered or time.monotonic()) - fault_end)

    def settled_ids(self) -> set[int]:
        """Documents processed or failed."""
        with psycopg.connect(self.db_url, connect_timeout=5) as conn:
            rows = conn.execute("SELECT id FROM documents WHERE status <> 'queued'").fetchall()
        return {row[0] for row in rows}

    def counts(self) -> dict[str, int]:
        """The line's figures from the database and the answers."""
        accepted = {i for ids in self.answers.ids.values() for i in ids}
        with psycopg.connect(self.db_url, connect_timeout=5) as conn:
            status: dict[int, str] = {
                row[0]: row[1] for row in conn.execute("SELECT id, status FROM documents")
            }
            copies = conn.execute(
                "SELECT (SELECT count(*) - count(DISTINCT content_hash) FROM documents)"
                " + (SELECT count(*) - count(DISTINCT (document_id, span_start, span_end))"
                "    FROM reactions)"
                " + (SELECT count(*) - count(DISTINCT (event_id, reaction_id))"
                "    FROM event_reactions)"
            ).fetchone()
        two_ids = sum(len(ids) - 1 for ids in self.answers.ids.values())
        return {
            "accepted": len(self.answers.ids),
            "processed": sum(1 for i in accepted if status.get(i) == "processed"),
            "failed": sum(1 for i in accepted if status.get(i) == "failed"),
            "lost": sum(1 for i in accepted if status.get(i) not in ("processed", "failed")),
            "duplicated": int(copies[0] if copies else 0) + two_ids,
            "non2xx_unstored": sum(1 for i in accepted if i not in status),
        }


def _is_json(response: httpx.Response) -> bool:
    """Whether an answer's body is JSON with a detail."""
    try:
        return "detail" in response.json()
    except ValueError:
        return False


def summaries_exact(db_url: str) -> bool:
    """Stored summaries and person totals equal a full rebuild (done in a rolled-back
    transaction, so the figures stay as the pipeline left them)."""
    factory = session_factory(db_url, 2)
    try:
        with factory() as session:
            before = _snapshot(session)
            corrections.recompute_all(session, sender=None)
            session.flush()
            after = _snapshot(session)
            session.rollback()
    finally:
        dispose_engines()
    for kind in ("summaries", "people"):
        for key in sorted(set(before[kind]) | set(after[kind])):
            stored, rebuilt = before[kind].get(key), after[kind].get(key)
            if stored != rebuilt:
                print(f"  {kind} {key} differs: {_difference(stored, rebuilt)}", file=sys.stderr)
    return before == after


def _difference(stored: Any, rebuilt: Any) -> str:
    """The fields where a stored figure and its rebuild differ (short)."""
    if isinstance(stored, dict) and isinstance(rebuilt, dict):
        fields = sorted(k for k in set(stored) | set(rebuilt) if stored.get(k) != rebuilt.get(k))
        return "; ".join(f"{k}: {stored.get(k)!r} != {rebuilt.get(k)!r}"[:300] for k in fields)
    return f"{stored!r} != {rebuilt!r}"[:300]


def _snapshot(session: Session) -> dict[str, Any]:
    """Every summary (without version and time) and every person's totals."""
    stored = {
        event_id: summaries.read_summary(session, event_id) or {}
        for event_id in session.scalars(select(EventSummaryRow.event_id))
    }
    return {
        "summaries": {
            event_id: {k: v for k, v in data.items() if k not in ("version", "updated_at")}
            for event_id, data in stored.items()
        },
        "people": {
            p.id: (p.reactions, p.sum_units, p.positive, p.neutral, p.negative)
            for p in session.scalars(select(Person).execution_options(populate_existing=True))
        },
    }


def api(run: Run, method: str, path: str, **kwargs: Any) -> Any:
    """An admin call to the API; its JSON."""
    headers = {"Authorization": f"Bearer {DEFAULT_TOKEN}"}
    response = httpx.request(method, f"{run.base_url}{path}", headers=headers, timeout=10, **kwargs)
    if response.status_code >= 400:
        raise BenchError(f"{method} {path}: {response.status_code} {response.text[:300]}")
    return response.json()


def stored_version(run: Run, event_id: int) -> int:
    """The stored summary version of an event."""
    return int(api(run, "GET", f"/v1/events/{event_id}/summary")["version"])


# -- observers: a stream client and a webhook receiver -------------------------------------------


@dataclass
class StreamWatcher:
    """Reads an event's stream; drops and resumes with Last-Event-ID every `resume_every` s."""

    url: str
    resume_every: float | None = None
    versions: list[int] = field(default_factory=list)
    resumes: int = 0
    regressions: int = 0
    stopped: threading.Event = field(default_factory=threading.Event)

    def start(self) -> StreamWatcher:
        """Read on a background thread."""
        threading.Thread(target=self._run, daemon=True).start()
        return self

    def _run(self) -> None:
        """Connect, read, reconnect (after a drop or a lost server) until stopped."""
        while not self.stopped.is_set():
            headers = {"Last-Event-ID": str(self.versions[-1])} if self.versions else {}
            started = time.monotonic()
            try:
                with httpx.stream("GET", self.url, headers=headers, timeout=20) as response:
                    for line in response.iter_lines():
                        if self.stopped.is_set():
                            return
                        if line.startswith("id: "):
                            self._seen(int(line[4:]))
                        if self.resume_every and time.monotonic() - started > self.resume_every:
                            self.resumes += 1
                            break
            except httpx.HTTPError:
                time.sleep(0.5)

    def _seen(self, version: int) -> None:
        """Note a version; one not above the last is a regression."""
        if self.versions and version <= self.versions[-1]:
            self.regressions += 1
        self.versions.append(version)


@dataclass
class Receiver:
    """A webhook receiver on 127.0.0.1 that keeps the versions it was sent."""

    port: int = RECEIVER_PORT
    versions: list[int] = field(default_factory=list)
    server: http.server.ThreadingHTTPServer | None = None

    def start(self) -> None:
        """Listen (again)."""
        versions = self.versions

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                versions.append(int(json.loads(body)["version"]))
                self.send_response(204)
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                return

        http.server.ThreadingHTTPServer.allow_reuse_address = True
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        """Stop listening: deliveries meet a refused connection."""
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None


# -- the scenarios -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scenario:
    """A fault injected once a third of the texts are posted; returns when the fault ended."""

    name: str
    inject: Callable[[Run], float]
    persist_redis: bool = True
    env: dict[str, str] = field(default_factory=dict)
    stream: bool = False
    webhook: bool = False


def kill_worker(run: Run) -> float:
    """SIGKILL the pool process of worker 1 while it runs a task; Celery's parent replaces it."""
    parent = next(proc for name, proc, _ in run.processes.started if name == "worker1")
    children = Path(f"/proc/{parent.pid}/task/{parent.pid}/children").read_text().split()
    for child in children:
        with contextlib.suppress(ProcessLookupError):
            os.kill(int(child), signal.SIGKILL)
    return time.monotonic()


def restart_postgres(run: Run) -> float:
    """`pg_ctl stop -m fast`, FAULT_S seconds down, start."""
    return _outage(run, stop=run.cluster.stop, start=run.cluster.start)


def restart_redis(run: Run) -> float:
    """SHUTDOWN Redis (saving the append-only file or losing everything), FAULT_S s, start."""
    return _outage(run, stop=run.redis.stop, start=run.redis.start)


def _outage(run: Run, *, stop: Callable[[], None], start: Callable[[], None]) -> float:
    """A server down for FAULT_S seconds, with the run's fault flag raised meanwhile; when the
    fault ended."""
    run.fault.set()
    stop()
    time.sleep(FAULT_S)
    start()
    run.fault.clear()
    return time.monotonic()


def receiver_down(run: Run) -> float:
    """The webhook receiver refuses connections for a while, then listens again."""
    assert run.receiver is not None
    run.receiver.stop()
    time.sleep(FAULT_S * 3)
    run.receiver.start()
    return time.monotonic()


def no_fault(run: Run) -> float:
    """Nothing breaks (the duplicate and stream scenarios test the load itself)."""
    return time.monotonic()


SCENARIOS = {
    "worker-kill": Scenario("worker-kill", kill_worker),
    "postgres-restart": Scenario("postgres-restart", restart_postgres),
    "duplicates": Scenario("duplicates", no_fault),
    "redis-restart-aof": Scenario("redis-restart-aof", restart_redis, stream=True),
    # Messages are gone with a Redis that keeps nothing: at the default settings the sweeper
    # sees the work queue empty and re-sends the never-tried documents queued past 15 s.
    "redis-restart-nopersist": Scenario(
        "redis-restart-nopersist", restart_redis, persist_redis=False, stream=True
    ),
    # At the default retry schedule (5 s, 15 s, 30 s, 30 s, 1 min, ...).
    "webhook-down": Scenario("webhook-down", receiver_down, webhook=True),
    "sse-resume": Scenario("sse-resume", no_fault, stream=True),
}
QUICK = ("worker-kill", "postgres-restart", "duplicates")


def run_scenario(scenario: Scenario, cluster: Cluster, root: Path, *, docs: int) -> bool:
    """Run one scenario on a fresh database and Redis; print its line; True when on target."""
    folder = Path(tempfile.mkdtemp(prefix=f"{scenario.name}-", dir=root))
    own_redis = OwnRedis(folder, persist=scenario.persist_redis)
    own_redis.start()
    db_url = cluster.fresh_database()
    env = service_env(db_url=db_url, redis_url=own_redis.url, token=DEFAULT_TOKEN, port=API_PORT)
    env.update({"REACTIONS_ALLOW_PRIVATE_NETWORKS": "true", **scenario.env})
    migrate(env)
    run = Run(scenario.name, cluster, own_redis, db_url, Processes(log_dir=folder), env)
    watcher: StreamWatcher | None = None
    try:
        run.start_stack()
        event_ids = [
            api(run, "POST", "/v1/events", json={"title": topic, "keywords": [topic]})["id"]
            for topic in TOPICS[:2]
        ]
        if scenario.webhook:
            run.receiver = Receiver()
            run.receiver.start()
            url = f"http://127.0.0.1:{RECEIVER_PORT}/hook"
            subscription = {"event_id": event_ids[0], "url": url, "min_interval_s": 1}
            api(run, "POST", "/v1/subscriptions", json=subscription)
        if scenario.stream:
            resume = 3.0 if scenario.name == "sse-resume" else None
            stream_url = f"{run.base_url}/v1/events/{event_ids[0]}/stream"
            watcher = StreamWatcher(stream_url, resume_every=resume).start()
        payloads = [article(number) for number in range(docs)]
        clients, rate = CLIENTS, RATE
        if scenario.name == "duplicates":  # 200 POSTs of one text, 50 at a time
            payloads, clients, rate = [article(0)] * 200, 50, 0.0
        load = threading.Thread(
            target=run.post_all, args=(payloads,), kwargs={"clients": clients, "rate": rate}
        )
        load.start()
        _wait(lambda: run.posted >= len(payloads) // 3 or not load.is_alive(), 300, "the load")
        fault_end = scenario.inject(run)
        while load.is_alive():
            run.supervise()
            load.join(timeout=1)
        recovery = run.settle(fault_end=fault_end)
        extras, extras_ok = _observers(run, event_ids[0], watcher)
        counts = run.counts()
        exact = summaries_exact(db_url)
    finally:
        if watcher is not None:
            watcher.stopped.set()
        run.processes.stop()
        if run.receiver is not None:
            run.receiver.stop()
        with contextlib.suppress(BenchError, subprocess.SubprocessError):
            own_redis.stop()
    figures = " ".join(f"{key}={value}" for key, value in counts.items())
    print(
        f"{scenario.name} {figures} recovery_s={recovery:.1f} "
        f"summaries_exact={'yes' if exact else 'no'}{extras}",
        flush=True,
    )
    print(
        f"  answers: {dict(run.answers.kinds)} while faulty: {dict(run.answers.during_fault)}"
        f" worker_restarts={run.worker_restarts}"
    )
    bad_answers = [kind for kind in run.answers.kinds if kind.startswith(("500", "reset"))]
    if scenario.name != "postgres-restart":  # a Redis restart or a kill may cut a connection
        bad_answers = [kind for kind in bad_answers if not kind.startswith("reset")]
    return (
        counts["lost"] == 0
        and counts["duplicated"] == 0
        and counts["non2xx_unstored"] == 0
        and (scenario.name != "duplicates" or counts["accepted"] == 1)
        and exact
        and extras_ok
        and not bad_answers
        and recovery <= RECOVERY_TARGET_S
    )


def _observers(run: Run, event_id: int, watcher: StreamWatcher | None) -> tuple[str, bool]:
    """Whether the stream client and the webhook receiver reached the stored version (30 s)."""
    final = stored_version(run, event_id)
    extras, ok = "", True
    if watcher is not None:
        with contextlib.suppress(BenchError):
            _wait(lambda: bool(watcher.versions) and watcher.versions[-1] == final, 30, "stream")
        fine = bool(watcher.versions) and watcher.versions[-1] == final
        fine = fine and watcher.regressions == 0
        extras += f" stream={'ok' if fine else 'stale'}"
        ok = ok and fine
    if run.receiver is not None:
        versions = run.receiver.versions
        with contextlib.suppress(BenchError):
            _wait(lambda: bool(versions) and max(versions) == final, 30, "the last webhook")
        fine = bool(versions) and max(versions) == final
        extras += f" webhook={'ok' if fine else 'stale'}"
        ok = ok and fine
    return extras, ok


@contextlib.contextmanager
def own_cluster(root: Path) -> Iterator[Cluster]:
    """A PostgreSQL cluster of our own for the whole run, stopped at the end."""
    cluster = Cluster(root / "pg")
    cluster.init()
    cluster.start()
    try:
        yield cluster
    finally:
        with contextlib.suppress(BenchError, subprocess.SubprocessError):
            cluster.stop()


def _parser() -> argparse.ArgumentParser:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help=f"only {', '.join(QUICK)}, fewer docs")
    parser.add_argument("--docs", type=int, help="texts per scenario (300; 90 with --quick)")
    parser.add_argument("--scenarios", help=f"comma-separated, of: {', '.join(SCENARIOS)}")
    parser.add_argument("--keep-logs", action="store_true", help="keep the logs folder")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the chosen scenarios; 1 when one misses a target or cannot run."""
    args = _parser().parse_args(argv)
    exit_on_sigterm()
    names = (
        args.scenarios.split(",") if args.scenarios else list(QUICK if args.quick else SCENARIOS)
    )
    unknown = [name for name in names if name not in SCENARIOS]
    if unknown:
        print(f"unknown scenario {unknown}; choose from {', '.join(SCENARIOS)}", file=sys.stderr)
        return 2
    docs = args.docs or (90 if args.quick else 300)
    if not 1 <= docs <= 5000:
        print("--docs must be between 1 and 5000", file=sys.stderr)
        return 2
    root = Path(tempfile.mkdtemp(prefix="reactions-faults-"))
    root.chmod(0o755)  # the postgres user must reach its cluster's folder inside
    print(f"logs in {root}", file=sys.stderr)
    all_ok = True
    try:
        with own_cluster(root) as cluster:
            for name in names:
                all_ok = run_scenario(SCENARIOS[name], cluster, root, docs=docs) and all_ok
    except BenchError as exc:
        print(f"faults: {exc}", file=sys.stderr)
        return 1
    finally:
        if not args.keep_logs:
            shutil.rmtree(root, ignore_errors=True)
    return 0 if all_ok else 1


if __name__ == "__main__":
    sys.exit(main())

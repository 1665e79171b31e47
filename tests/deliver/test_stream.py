"""The stream on a real server: a client that stops reading is dropped, the others keep up."""

import json
import socket
import time

import httpx
import pytest

from notify import StreamHub
from tests.deliver.conftest import Embedded
from tests.deliver.helpers import StreamClient, api, wait_for

pytestmark = pytest.mark.postgres

BIG_FRAMES = 40
PADDING = "x" * 200_000


def test_a_stalled_reader_is_dropped_without_slowing_the_others(embedded: Embedded) -> None:
    event = api(embedded.url, "POST", "/v1/events", json={"title": "Q", "keywords": ["Quill"]})
    url = f"{embedded.url}/v1/events/{event['id']}/stream"
    hub: StreamHub = embedded.app.state.stream_hub
    reader = StreamClient(url).start()
    stalled = socket.socket()
    stalled.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    stalled.connect(("127.0.0.1", int(embedded.url.rsplit(":", 1)[1])))
    path = url.split("/", 3)[3]
    stalled.sendall(f"GET /{path} HTTP/1.1\r\nHost: test\r\n\r\n".encode())
    try:
        wait_for(lambda: hub.listener_count() == 2, timeout=5, what="both clients")
        started = time.monotonic()
        for version in range(1, BIG_FRAMES + 1):
            summary = {"event_id": event["id"], "version": version, "padding": PADDING}
            hub.publish(event["id"], version, body=json.dumps(summary).encode())
            time.sleep(0.02)
        wait_for(lambda: BIG_FRAMES in reader.versions(), timeout=10, what="the last frame")
        elapsed = time.monotonic() - started
        wait_for(lambda: hub.listener_count() == 1, timeout=5, what="the stalled client dropped")
    finally:
        stalled.close()
        reader.stop()
    assert elapsed < 3, elapsed
    versions = reader.versions()
    assert versions == sorted(set(versions))
    assert versions[-1] == BIG_FRAMES


def test_unknown_event_is_404_and_reads_need_no_token(embedded: Embedded) -> None:
    response = httpx.get(f"{embedded.url}/v1/events/999/stream", timeout=5)
    assert response.status_code == 404
    assert "999" in response.json()["detail"]

"""Pure parts of delivery: signatures, the retry schedule, SSE frames and the hub's fan-out."""

import json
import random
import time
from datetime import timedelta

import pytest
from standardwebhooks import Webhook
from standardwebhooks.exceptions import WebhookVerificationError

from config import Settings
from notify import StreamHub, channel_for, sse_frame
from notify.publish import decode_message, encode_message
from notify.webhooks import message_body, new_secret, new_webhook_id, signed_headers
from tests.deliver.helpers import run_async
from workers.deliver.flow import RetryPolicy

SUMMARY = {"event_id": 3, "version": 7, "reactions": 2}


def signed() -> tuple[str, str, dict[str, str]]:
    """A secret, a body and its signed headers, as a delivery sends them."""
    secret = new_secret()
    body = message_body("summary", SUMMARY)
    headers = signed_headers(
        secret, webhook_id=new_webhook_id(), timestamp=int(time.time()), body=body
    )
    return secret, body, headers


def test_the_library_verifies_our_signature_and_reads_the_body() -> None:
    secret, body, headers = signed()
    payload = Webhook(secret).verify(body, headers)
    assert payload == {
        "type": "event.summary.updated",
        "event_id": 3,
        "version": 7,
        "summary": SUMMARY,
    }
    assert headers["webhook-signature"].startswith("v1,")
    assert headers["webhook-id"].startswith("msg_")


@pytest.mark.parametrize("tamper", ["body", "signature", "secret", "timestamp"])
def test_a_bad_signature_is_rejected_by_the_library(tamper: str) -> None:
    secret, body, headers = signed()
    if tamper == "body":
        body = body.replace('"version":7', '"version":8')
    elif tamper == "signature":
        headers["webhook-signature"] = "v1," + "A" * 44
    elif tamper == "secret":
        secret = new_secret()
    else:
        headers["webhook-timestamp"] = str(int(headers["webhook-timestamp"]) - 3600)
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(body, headers)


def test_retry_delays_follow_the_schedule_with_jitter_then_stop() -> None:
    policy = RetryPolicy(schedule=(5.0, 300.0), disable_after=timedelta(days=5))
    rng = random.Random(1)
    assert 4.5 <= (policy.delay(1, rng) or 0) <= 5.5
    assert 270 <= (policy.delay(2, rng) or 0) <= 330
    assert policy.delay(3, rng) is None


def test_default_schedule_and_env_format() -> None:
    assert Settings().webhook_retry_schedule == (
        5,
        15,
        30,
        30,
        60,
        300,
        1800,
        7200,
        18000,
        36000,
        36000,
    )
    assert Settings(webhook_retry_schedule="1, 2").webhook_retry_schedule == (1.0, 2.0)
    with pytest.raises(ValueError, match="webhook_retry_schedule"):
        Settings(webhook_retry_schedule="1,-2")


def test_sse_frame_and_channel() -> None:
    assert sse_frame(7, json.dumps(SUMMARY, separators=(",", ":")).encode()) == (
        b'id: 7\nevent: summary\ndata: {"event_id":3,"version":7,"reactions":2}\n\n'
    )
    assert channel_for("redis://h:6379/14") == "reactions:summaries:14"
    assert channel_for("redis://h:6379") == "reactions:summaries:0"


def test_hub_sends_each_version_once_and_keeps_the_latest_when_full() -> None:
    async def scenario() -> list[int]:
        hub = StreamHub(queue_size=2)
        hub.start()
        listener = hub.listen(3)
        for version in (1, 2, 2, 1, 3, 4):
            hub.fan_out(3, version, body=b"{}")
        hub.fan_out(4, 9, body=b"{}")  # another event's clients only
        got = [listener.queue.get_nowait()[0] for _ in range(listener.queue.qsize())]
        hub.remove(listener)
        assert hub.listener_count() == 0
        return got

    assert run_async(scenario) == [3, 4]


def test_messages_carry_the_stored_json_untouched() -> None:
    body = '{"event_id":3,"version":7,"quote":"naïve \\"scare\\" quote\\nline"}'.encode()
    assert decode_message(encode_message(3, 7, body=body)) == (3, 7, body)
    for bad in (b"", b"3 7", b"3\n{}", b"x 7\n{}", b"3 7 9\n{}", b"3 7\nnot json", b"3 7\n{}\n{}"):
        assert decode_message(bad) is None, bad

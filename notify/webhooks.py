"""Standard Webhooks messages: `whsec_` secrets, message ids, bodies and `v1,` signatures."""

import base64
import hashlib
import hmac
import json
import secrets
import uuid
from typing import Any

from schemas.subscriptions import DeliveryKind

SECRET_PREFIX = "whsec_"
SECRET_BYTES = 32
SUMMARY_TYPE = "event.summary.updated"
TEST_TYPE = "webhook.test"


def new_secret() -> str:
    """A fresh signing secret, `whsec_` and 32 random bytes in base64."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def new_webhook_id() -> str:
    """A unique message id, kept by every retry of the message."""
    return f"msg_{uuid.uuid4().hex}"


def sign(secret: str, *, webhook_id: str, timestamp: int, body: str) -> str:
    """The `webhook-signature` header value for this message."""
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    digest = hmac.new(key, f"{webhook_id}.{timestamp}.{body}".encode(), hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def signed_headers(secret: str, *, webhook_id: str, timestamp: int, body: str) -> dict[str, str]:
    """The three Standard Webhooks headers plus the JSON content type."""
    return {
        "content-type": "application/json",
        "webhook-id": webhook_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(secret, webhook_id=webhook_id, timestamp=timestamp, body=body),
    }


def message_body(kind: DeliveryKind, summary: dict[str, Any]) -> str:
    """The JSON body: `{type, event_id, version, summary}` (type `webhook.test` for tests)."""
    return json.dumps(
        {
            "type": SUMMARY_TYPE if kind == "summary" else TEST_TYPE,
            "event_id": summary["event_id"],
            "version": summary["version"],
            "summary": summary,
        },
        separators=(",", ":"),
        ensure_ascii=False,
    )

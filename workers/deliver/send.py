"""One webhook POST with the address rule, no redirects and a hard deadline."""

import time
from dataclasses import dataclass

import httpx

from workers.collect.errors import BlockedAddressError, CollectError
from workers.collect.fetch import FetchLimits, make_client
from workers.collect.netguard import is_public_address

USER_AGENT = "reactions-webhooks/1.0"
MAX_RESPONSE_BYTES = 64 * 1024
STORED_BODY_CHARS = 1000


@dataclass(frozen=True, slots=True)
class SendResult:
    """What one attempt came to: the status (None when no response) and what we keep of it."""

    status: int | None
    latency_ms: int
    body: str | None = None
    error: str | None = None
    blocked: bool = False

    @property
    def ok(self) -> bool:
        """A 2xx response is success; anything else is retried or fatal."""
        return self.status is not None and 200 <= self.status < 300


def webhook_client(*, allow_private_networks: bool, timeout_s: float) -> httpx.Client:
    """An httpx client that dials public addresses only (the collectors' rule), never redirects."""
    limits = FetchLimits(
        connect_timeout_s=min(5.0, timeout_s), read_timeout_s=timeout_s, deadline_s=timeout_s
    )
    return make_client(allowed=None if allow_private_networks else is_public_address, limits=limits)


def post_webhook(
    client: httpx.Client, *, url: str, headers: dict[str, str], body: str, timeout_s: float
) -> SendResult:
    """POST the body; the whole exchange, slow bodies included, ends within `timeout_s`."""
    started = time.monotonic()
    deadline = started + timeout_s
    request = client.build_request(
        "POST", url, content=body.encode(), headers={**headers, "user-agent": USER_AGENT}
    )
    try:
        response = client.send(request, stream=True, follow_redirects=False)
        try:
            received = bytearray()
            for chunk in response.iter_bytes():
                received += chunk
                if len(received) >= MAX_RESPONSE_BYTES or time.monotonic() > deadline:
                    break
        finally:
            response.close()
        if time.monotonic() > deadline:
            raise httpx.ReadTimeout(f"response not complete within {timeout_s:g} s")
        text = bytes(received).decode("utf-8", "replace")[:STORED_BODY_CHARS]
        return SendResult(status=response.status_code, latency_ms=_ms(started), body=text)
    except (httpx.HTTPError, CollectError) as exc:
        return SendResult(
            status=None,
            latency_ms=_ms(started),
            error=_describe(exc, timeout_s),
            blocked=isinstance(exc, BlockedAddressError),
        )


def _ms(started: float) -> int:
    """Milliseconds since `started`."""
    return int((time.monotonic() - started) * 1000)


def _describe(exc: Exception, timeout_s: float) -> str:
    """A short, stored description of a failed attempt."""
    if isinstance(exc, httpx.TimeoutException):
        return f"timeout: no complete response within {timeout_s:g} s"
    return f"{type(exc).__name__}: {exc}"[:500]

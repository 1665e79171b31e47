"""ASGI middleware guarding request bodies: 413 over the size limit, 422 when not UTF-8."""

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class RequestBodyGuard:
    """Reads the body (at most `max_bytes`) before the app sees it, refusing what cannot be parsed.

    Buffering bounds memory at the limit and lets us answer precisely: FastAPI itself would turn a
    body that is not UTF-8 into a generic 400.
    """

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the buffered body through, or answer 413/422."""
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS", "DELETE"):
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers", []))
        declared = headers.get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.max_bytes:
            await _answer(send, 413, f"request body exceeds {self.max_bytes} bytes")
            return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await _answer(send, 413, f"request body exceeds {self.max_bytes} bytes")
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        if b"json" in headers.get(b"content-type", b"") and not _is_utf8(body):
            await _answer(
                send,
                422,
                [{"loc": ["body"], "msg": "body is not valid UTF-8", "type": "unicode_decode"}],
            )
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)


def _is_utf8(body: bytes) -> bool:
    """Whether the bytes decode as UTF-8."""
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


async def _answer(send: Send, status: int, detail: object) -> None:
    """Send a JSON error response `{"detail": ...}`."""
    body = json.dumps({"detail": detail}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})

"""Safe HTTP GET for user-supplied URLs: checked addresses and redirects, timeouts, size caps."""

import time
import zlib
from dataclasses import dataclass
from urllib.parse import urljoin

import httpcore
import httpx

from workers.collect.errors import CollectError
from workers.collect.netguard import AddressRule, GuardedBackend, Resolver, system_resolve

MAX_REDIRECTS = 5
USER_AGENT = "reactions-collector/1.0 (+https://example.invalid/reactions)"
FEED_TYPES = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/xml",
        "text/xml",
        "application/feed+json",
        "application/json",
    }
)
PAGE_TYPES = frozenset({"text/html", "application/xhtml+xml"})
JSON_TYPES = frozenset({"application/json"})


@dataclass(frozen=True, slots=True)
class FetchLimits:
    """Bounds on one fetch: timeouts, the whole-response deadline and the body size."""

    connect_timeout_s: float = 5.0
    read_timeout_s: float = 10.0
    deadline_s: float = 30.0
    max_bytes: int = 5 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Fetched:
    """A fetched response: 304 leaves `body` empty; validators are kept for the next request."""

    url: str
    status: int
    body: bytes
    content_type: str
    charset: str | None
    etag: str | None
    last_modified: str | None

    @property
    def not_modified(self) -> bool:
        """True on 304: nothing changed since the validators were issued."""
        return self.status == 304


def make_client(
    *, allowed: AddressRule | None, limits: FetchLimits, resolver: Resolver = system_resolve
) -> httpx.Client:
    """An httpx client whose every connection passes `allowed` (None: any); no env proxies."""
    transport = httpx.HTTPTransport(trust_env=False)
    # httpx has no public hook for the network backend; this swaps in the guarded one.
    transport._pool = httpcore.ConnectionPool(
        ssl_context=httpx.create_ssl_context(),
        max_connections=10,
        network_backend=GuardedBackend(allowed=allowed, resolver=resolver),
    )
    timeout = httpx.Timeout(
        limits.read_timeout_s, connect=limits.connect_timeout_s, pool=limits.connect_timeout_s
    )
    return httpx.Client(
        transport=transport,
        timeout=timeout,
        follow_redirects=False,
        trust_env=False,
        headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"},
    )


class Fetcher:
    """GETs one URL at a time with the safety rules; wraps every failure in CollectError."""

    def __init__(self, client: httpx.Client, limits: FetchLimits) -> None:
        self._client = client
        self._limits = limits

    def get(
        self,
        url: str,
        *,
        accept: frozenset[str],
        etag: str | None = None,
        last_modified: str | None = None,
        params: dict[str, str] | None = None,
    ) -> Fetched:
        """Fetch `url`, following up to 5 redirects (each hop re-checked), within the limits."""
        headers = {"Accept": ", ".join(sorted(accept)) + ", */*;q=0.1"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        deadline = time.monotonic() + self._limits.deadline_s
        request = self._client.build_request("GET", url, headers=headers, params=params)
        for _ in range(MAX_REDIRECTS + 1):
            _check_scheme(str(request.url))
            try:
                response = self._client.send(request, stream=True)
            except httpx.HTTPError as exc:
                raise CollectError(f"fetching {request.url}: {type(exc).__name__}: {exc}") from exc
            try:
                if response.has_redirect_location:
                    target = urljoin(str(request.url), response.headers.get("location", ""))
                    request = self._client.build_request("GET", target, headers=headers)
                    continue
                return self._read(response, accept=accept, deadline=deadline)
            finally:
                response.close()
        raise CollectError(f"more than {MAX_REDIRECTS} redirects from {url}")

    def _read(
        self, response: httpx.Response, *, accept: frozenset[str], deadline: float
    ) -> Fetched:
        """Check status, type and size, then read and decompress the body within the caps."""
        url = str(response.request.url)
        etag = response.headers.get("etag")
        last_modified = response.headers.get("last-modified")
        if response.status_code == 304:
            return Fetched(url, 304, b"", "", None, etag, last_modified)
        if response.status_code != 200:
            raise CollectError(f"{url} answered HTTP {response.status_code}")
        content_type, charset = parse_content_type(response.headers.get("content-type", ""))
        if content_type not in accept:
            raise CollectError(f"{url} has content type {content_type or 'none'!r}")
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self._limits.max_bytes:
            raise CollectError(f"{url} is {declared} bytes, over the {self._limits.max_bytes} cap")
        body = read_capped(
            response,
            encoding=response.headers.get("content-encoding", "identity"),
            max_bytes=self._limits.max_bytes,
            deadline=deadline,
        )
        return Fetched(url, 200, body, content_type, charset, etag, last_modified)


def _check_scheme(url: str) -> None:
    """Only http and https URLs are fetched."""
    if not url.lower().startswith(("http://", "https://")):
        raise CollectError(f"refusing to fetch {url!r}: only http and https are allowed")


def parse_content_type(header: str) -> tuple[str, str | None]:
    """The media type (lower case) and charset parameter of a Content-Type header."""
    media, *params = header.split(";")
    charset = None
    for param in params[:10]:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip('"').lower() or None
    return media.strip().lower(), charset


def read_capped(
    response: httpx.Response, *, encoding: str, max_bytes: int, deadline: float
) -> bytes:
    """Read raw chunks and decompress them, failing past `max_bytes` either way or the deadline."""
    decoder = _decoder(encoding.strip().lower())
    raw_total = 0
    out = bytearray()
    try:
        for chunk in response.iter_raw():
            if time.monotonic() > deadline:
                raise CollectError(f"{response.request.url} did not finish within the deadline")
            raw_total += len(chunk)
            if raw_total > max_bytes:
                raise CollectError(f"{response.request.url} sent more than {max_bytes} bytes")
            out += _inflate(decoder, chunk, room=max_bytes - len(out), url=response.request.url)
        if decoder is not None:
            out += _inflate(decoder, decoder.flush(), room=max_bytes - len(out), url="")
    except httpx.HTTPError as exc:
        raise CollectError(f"reading {response.request.url}: {type(exc).__name__}: {exc}") from exc
    except zlib.error as exc:
        raise CollectError(f"{response.request.url} sent a corrupt compressed body: {exc}") from exc
    return bytes(out)


def _decoder(encoding: str) -> "zlib._Decompress | None":
    """A zlib decompressor for gzip or deflate, None for identity; others are refused."""
    if encoding in ("", "identity"):
        return None
    if encoding in ("gzip", "x-gzip"):
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    if encoding == "deflate":
        return zlib.decompressobj(zlib.MAX_WBITS)
    raise CollectError(f"unsupported content encoding {encoding!r}")


def _inflate(decoder: "zlib._Decompress | None", chunk: bytes, *, room: int, url: object) -> bytes:
    """Decompress at most `room` + 1 bytes of `chunk`; more means the body is over the cap."""
    if decoder is None:
        data = chunk
    else:
        data = decoder.decompress(chunk, room + 1)
        if decoder.unconsumed_tail:
            raise CollectError(f"{url} decompresses past the size cap")
    if len(data) > room:
        raise CollectError(f"{url} decompresses past the size cap")
    return data

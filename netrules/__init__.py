"""The public-address rule shared by the collectors, the webhook sender and the API.

Pure checks plus a bounded resolve; it imports nothing of `service/` or `workers/`, so both can
use it (the API to refuse a private webhook URL at once, the workers again at dial time).
"""

import ipaddress
import socket
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from urllib.parse import urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[str]]
AddressRule = Callable[[IPAddress], bool]

MAX_ADDRESSES = 16
# Not "global" or explicitly named by the rule: CGNAT, cloud metadata, NAT64 and 6to4 forms.
DENIED_NETWORKS = tuple(
    ipaddress.ip_network(net)
    for net in (
        "100.64.0.0/10",
        "169.254.0.0/16",
        "fd00:ec2::254/128",
        "64:ff9b::/96",
        "64:ff9b:1::/48",
        "2002::/16",
        "2001::/32",
    )
)

_resolver_pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="reactions-dns")


class UnresolvableHostError(OSError):
    """The name gives no address, or not within the time allowed."""


def is_public_address(address: IPAddress) -> bool:
    """True only for a globally routable unicast address outside the denied networks."""
    if isinstance(address, ipaddress.IPv6Address) and (
        address.ipv4_mapped is not None or address.sixtofour is not None or address.teredo
    ):
        return False
    if any(address in net for net in DENIED_NETWORKS if net.version == address.version):
        return False
    return address.is_global and not address.is_multicast


def system_resolve(host: str, port: int) -> list[str]:
    """Every address the system resolver gives for `host` (also parses `0x7f.1`, `2130706433`)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def resolve_within(
    host: str, port: int, *, resolver: Resolver = system_resolve, timeout: float = 5.0
) -> list[str]:
    """At most MAX_ADDRESSES addresses of `host`; UnresolvableHostError past `timeout` or none."""
    name = host.strip("[]")
    try:
        addresses = _resolver_pool.submit(resolver, name, port).result(timeout=timeout)
    except FutureTimeout as exc:
        raise UnresolvableHostError(f"resolving {name!r} took longer than {timeout:g}s") from exc
    except OSError as exc:
        raise UnresolvableHostError(f"cannot resolve {name!r}: {exc}") from exc
    if not addresses:
        raise UnresolvableHostError(f"{name!r} resolves to no address")
    return addresses[:MAX_ADDRESSES]


def first_blocked(
    addresses: list[str], allowed: AddressRule = is_public_address
) -> IPAddress | None:
    """The first of `addresses` (IP literals) the rule refuses, or None when all pass."""
    for raw in addresses:
        address = ipaddress.ip_address(raw.split("%", 1)[0])
        if not allowed(address):
            return address
    return None


def url_address_problem(
    url: str, *, resolver: Resolver = system_resolve, timeout: float = 5.0
) -> str | None:
    """Why an http(s) URL's host is no public destination, or None when every address is public."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        blocked = first_blocked(resolve_within(host, port, resolver=resolver, timeout=timeout))
    except UnresolvableHostError as exc:
        return str(exc)
    if blocked is not None:
        return f"{host!r} resolves to the non-public address {blocked}"
    return None

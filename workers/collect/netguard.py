"""The address rule: connect only to public addresses, checked at resolve and dial time."""

import ipaddress
import socket
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

import httpcore

from workers.collect.errors import BlockedAddressError, CollectError

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


def resolve_checked(
    host: str,
    port: int,
    *,
    allowed: AddressRule = is_public_address,
    resolver: Resolver = system_resolve,
    timeout: float = 5.0,
) -> list[str]:
    """Resolve `host` within `timeout`; refuse it unless every address it names is public."""
    name = host.strip("[]")
    try:
        addresses = _resolver_pool.submit(resolver, name, port).result(timeout=timeout)
    except FutureTimeout as exc:
        raise CollectError(f"resolving {name!r} took longer than {timeout:g}s") from exc
    except OSError as exc:
        raise CollectError(f"cannot resolve {name!r}: {exc}") from exc
    if not addresses:
        raise CollectError(f"{name!r} resolves to no address")
    for raw in addresses[:MAX_ADDRESSES]:
        check_address(raw, host=name, allowed=allowed)
    return addresses[:MAX_ADDRESSES]


def check_address(raw: str, *, host: str, allowed: AddressRule = is_public_address) -> None:
    """Raise BlockedAddressError when `raw` (an IP literal) is not an allowed address."""
    address = ipaddress.ip_address(raw.split("%", 1)[0])
    if not allowed(address):
        raise BlockedAddressError(f"{host!r} resolves to the non-public address {address}")


class GuardedBackend(httpcore.NetworkBackend):
    """httpcore network backend that dials only checked addresses and re-checks the peer."""

    def __init__(self, *, allowed: AddressRule | None, resolver: Resolver = system_resolve) -> None:
        self._inner = httpcore.SyncBackend()
        self._allowed = allowed
        self._resolver = resolver

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        """Resolve and check every address, dial the first that answers, check the dialled peer."""
        if self._allowed is None:
            return self._inner.connect_tcp(host, port, timeout, local_address, socket_options)
        addresses = resolve_checked(
            host, port, allowed=self._allowed, resolver=self._resolver, timeout=timeout or 5.0
        )
        last_error: Exception | None = None
        for address in addresses:
            try:
                stream = self._inner.connect_tcp(
                    address, port, timeout, local_address, socket_options
                )
            except httpcore.ConnectError as exc:
                last_error = exc
                continue
            peer = stream.get_extra_info("socket").getpeername()[0]
            try:
                check_address(peer, host=host, allowed=self._allowed)
            except BlockedAddressError:
                stream.close()
                raise
            return stream
        raise httpcore.ConnectError(f"cannot connect to {host}:{port}: {last_error}")

    def sleep(self, seconds: float) -> None:
        """Delegate to the standard backend."""
        self._inner.sleep(seconds)

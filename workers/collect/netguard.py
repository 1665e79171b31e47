"""The address rule: connect only to public addresses, checked at resolve and dial time."""

from collections.abc import Iterable
from typing import Any

import httpcore

from netrules import (
    AddressRule,
    IPAddress,
    Resolver,
    UnresolvableHostError,
    first_blocked,
    is_public_address,
    resolve_within,
    system_resolve,
)
from workers.collect.errors import BlockedAddressError, CollectError

# The rule itself lives in `netrules` (the API checks webhook URLs with it too); re-exported here.
__all__ = [
    "AddressRule",
    "GuardedBackend",
    "IPAddress",
    "Resolver",
    "check_address",
    "is_public_address",
    "resolve_checked",
    "system_resolve",
]


def resolve_checked(
    host: str,
    port: int,
    *,
    allowed: AddressRule = is_public_address,
    resolver: Resolver = system_resolve,
    timeout: float = 5.0,
) -> list[str]:
    """Resolve `host` within `timeout`; refuse it unless every address it names is public."""
    try:
        addresses = resolve_within(host, port, resolver=resolver, timeout=timeout)
    except UnresolvableHostError as exc:
        raise CollectError(str(exc)) from exc
    for raw in addresses:
        check_address(raw, host=host.strip("[]"), allowed=allowed)
    return addresses


def check_address(raw: str, *, host: str, allowed: AddressRule = is_public_address) -> None:
    """Raise BlockedAddressError when `raw` (an IP literal) is not an allowed address."""
    address = first_blocked([raw], allowed)
    if address is not None:
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

"""The address rule on its own: public addresses only, however the name or number is spelled."""

import ipaddress

import pytest

from workers.collect.errors import BlockedAddressError, CollectError
from workers.collect.fetch import Fetcher, FetchLimits, make_client
from workers.collect.netguard import is_public_address, resolve_checked


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "127.255.0.9",
        "0.0.0.0",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "100.127.255.254",
        "224.0.0.1",
        "::1",
        "::",
        "fe80::1",
        "fc00::1",
        "fd00:ec2::254",
        "::ffff:127.0.0.1",
        "::ffff:8.8.8.8",
        "64:ff9b::7f00:1",
        "2002:7f00:1::",
    ],
)
def test_non_public_addresses_are_denied(address: str) -> None:
    assert not is_public_address(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["8.8.8.8", "93.184.216.34", "2606:4700:4700::1111"])
def test_public_addresses_are_allowed(address: str) -> None:
    assert is_public_address(ipaddress.ip_address(address))


def test_a_dns_answer_naming_loopback_among_public_ones_is_refused() -> None:
    def resolver(_host: str, _port: int) -> list[str]:
        return ["93.184.216.34", "127.0.0.1"]

    with pytest.raises(BlockedAddressError, match=r"127\.0\.0\.1"):
        resolve_checked("news.example", 80, resolver=resolver)


def test_a_public_only_answer_passes() -> None:
    def resolver(_host: str, _port: int) -> list[str]:
        return ["93.184.216.34"]

    assert resolve_checked("news.example", 80, resolver=resolver) == ["93.184.216.34"]


@pytest.mark.parametrize(
    "host", ["0x7f.1", "2130706433", "[::ffff:127.0.0.1]", "127.1", "localhost"]
)
def test_odd_spellings_of_loopback_resolve_and_are_refused(host: str) -> None:
    with pytest.raises(BlockedAddressError):
        resolve_checked(host, 80)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/",
        "http://0x7f.1:9/",
        "http://2130706433:9/",
        "http://[::ffff:127.0.0.1]:9/",
        "http://[::1]:9/",
        "http://169.254.169.254/latest/meta-data/",
    ],
)
def test_the_client_refuses_to_dial_loopback_and_metadata(url: str) -> None:
    limits = FetchLimits(connect_timeout_s=1, read_timeout_s=1, deadline_s=2)
    with (
        make_client(allowed=is_public_address, limits=limits) as client,
        pytest.raises(CollectError, match=r"non-public address"),
    ):
        Fetcher(client, limits).get(url, accept=frozenset({"text/html"}))

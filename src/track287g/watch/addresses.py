"""Where a webhook may point: public internet addresses only, unless the operator allows a private one.

A subscriber URL whose host resolves to a loopback, private, link-local (cloud metadata services such as
169.254.169.254 live there), shared, reserved, multicast or unspecified address is refused when subscribing
and again at every delivery, where the POST then goes to the address just checked (``pinned``), so a name
that resolves elsewhere between the check and the connection (DNS rebinding) cannot redirect it.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from track287g.errors import Track287gError

METADATA_ADDRESSES = {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")}


class AddressRefused(Track287gError):
    """A webhook address that resolves to a private or local address (or does not resolve)."""


def _private(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if ip in METADATA_ADDRESSES:
        return "a cloud metadata address"
    for test, name in (
        (ip.is_loopback, "a loopback address"),
        (ip.is_unspecified, "an unspecified address"),
        (ip.is_link_local, "a link-local address"),
        (ip.is_private, "a private address"),
        (ip.is_multicast, "a multicast address"),
        (ip.is_reserved, "a reserved address"),
        (isinstance(ip, ipaddress.IPv4Address) and ip in ipaddress.ip_network("100.64.0.0/10"), "a shared address"),
    ):
        if test:
            return name
    return None


def resolve(host: str, port: int) -> list[str]:
    """The addresses a host name resolves to (an IP literal to itself)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise AddressRefused(f"webhook host {host!r} does not resolve ({exc})") from None
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def check_target(url: str, *, allow_private: bool = False, must_resolve: bool = True) -> str | None:
    """The address to connect to for ``url``, after checking every address its host resolves to.

    Raises AddressRefused for a private or local address unless ``allow_private`` (the operator's
    explicit switch: ``subscribe webhook --allow-private-address``). A host that does not resolve is refused,
    or, without ``must_resolve`` (when subscribing), passes as None: every delivery checks it again."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        addresses = resolve(host, port)
    except AddressRefused:
        if must_resolve:
            raise
        return None
    if not addresses:
        raise AddressRefused(f"webhook host {host!r} does not resolve")
    if not allow_private:
        for address in addresses:
            why = _private(ipaddress.ip_address(address.split("%", 1)[0]))
            if why:
                raise AddressRefused(
                    f"webhook URL {url!r} resolves to {address}, {why}; refused (to allow it, subscribe with "
                    "--allow-private-address)"
                )
    return addresses[0]

"""What kind of place an address is: the public internet, or one a crawl or an alert must not
reach by accident (this machine, the local network, the cloud's metadata service).

Used by the crawl's request guard and by the alert channels, so both refuse the same places."""
from __future__ import annotations

import ipaddress
import socket

# Cloud instance metadata services (AWS/GCP/Azure/OpenStack, AWS ECS, Alibaba, AWS IPv6): a
# request there can hand out the machine's credentials.
METADATA_IPS = frozenset({"169.254.169.254", "169.254.170.2", "100.100.100.200", "fd00:ec2::254"})
METADATA_NAMES = frozenset({"metadata.google.internal", "metadata.goog", "instance-data",
                            "instance-data.ec2.internal", "metadata.azure.internal"})
# Never reachable, whatever a configuration says.
ALWAYS_REFUSED = frozenset({"link_local", "metadata", "reserved"})
# Reachable only where explicitly allowed (the outlet itself lives there; allow_private = true).
PRIVATE = frozenset({"loopback", "private"})


class TargetRefused(Exception):
    """A host or address the caller may not reach; `kind` is its class (see address_class)."""

    def __init__(self, message: str, kind: str) -> None:
        super().__init__(message)
        self.kind = kind


def parse_ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        ip = ipaddress.ip_address(text.strip("[]").split("%", 1)[0])
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
    return ip


def address_class(address: str) -> str:
    """`public`, `loopback`, `private` (RFC 1918, unique-local, carrier-grade NAT),
    `link_local`, `metadata` or `reserved` (unspecified, multicast, documentation, …)."""
    ip = parse_ip(address)
    if ip is None:
        raise ValueError(f"not an IP address: {address!r}")
    if str(ip) in METADATA_IPS:
        return "metadata"
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local:
        return "link_local"
    if ip.is_unspecified or ip.is_multicast or ip.is_reserved:
        return "reserved"
    if ip.is_global:
        return "public"
    if ip.is_private or ip in ipaddress.ip_network("100.64.0.0/10"):
        return "private"
    return "reserved"


def host_class(host: str) -> str | None:
    """The class of a host known without asking DNS (an IP literal, localhost, a metadata
    name); None for a name that must be resolved."""
    host = host.lower().rstrip(".")
    if parse_ip(host) is not None:
        return address_class(host)
    if host == "localhost" or host.endswith(".localhost"):
        return "loopback"
    if host in METADATA_NAMES:
        return "metadata"
    return None


def resolve(host: str, port: int) -> list[str]:
    """Every address `host` resolves to (blocking; socket.gaierror when it does not)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def refusal(host: str, kind: str, allow_private: bool) -> str | None:
    """Why `host` (of class `kind`) may not be reached, or None."""
    if kind in ALWAYS_REFUSED:
        return f"{host} is a {kind.replace('_', '-')} address"
    if kind in PRIVATE and not allow_private:
        return f"{host} is a {kind} address (set allow_private = true to allow it)"
    return None


def check_host(host: str, allow_private: bool) -> None:
    """Refuse a host known to be forbidden without DNS (configuration time)."""
    kind = host_class(host)
    if kind is not None:
        why = refusal(host, kind, allow_private)
        if why:
            raise TargetRefused(why, kind)


def checked_addresses(host: str, port: int, allow_private: bool) -> list[str]:
    """Resolve `host` and check every address it gives (a name that points anywhere forbidden
    is refused as a whole: DNS may answer differently at the next lookup)."""
    check_host(host, allow_private)
    addresses = [host.strip("[]")] if parse_ip(host) is not None else resolve(host, port)
    for address in addresses:
        kind = address_class(address)
        why = refusal(address, kind, allow_private)
        if why:
            raise TargetRefused(f"{host} resolves to {why}" if address != host.strip("[]")
                                else why, kind)
    return addresses

"""The request guard's policy, the address classes and the resolver's connection-time check
(the end-to-end refusals are in test_faults.py)."""
from __future__ import annotations

from typing import Any

import pytest
from scrapy.settings import Settings

from crawler.guard import resolver
from crawler.guard.addresses import TargetRefused, address_class, checked_addresses, host_class
from crawler.guard.policy import OutletPolicy


@pytest.mark.parametrize(("address", "kind"), [
    ("93.184.216.34", "public"), ("2606:4700::1111", "public"),
    ("127.0.0.1", "loopback"), ("::1", "loopback"), ("::ffff:127.0.0.1", "loopback"),
    ("10.1.2.3", "private"), ("192.168.0.1", "private"), ("172.16.5.4", "private"),
    ("fd12::1", "private"), ("100.64.0.1", "private"),
    ("169.254.169.254", "metadata"), ("fd00:ec2::254", "metadata"),
    ("100.100.100.200", "metadata"), ("169.254.1.1", "link_local"), ("fe80::1", "link_local"),
    ("0.0.0.0", "reserved"), ("224.0.0.1", "reserved"),
])
def test_address_class(address: str, kind: str) -> None:
    assert address_class(address) == kind


def test_host_class_without_dns() -> None:
    assert host_class("LOCALHOST.") == "loopback"
    assert host_class("metadata.google.internal") == "metadata"
    assert host_class("[::1]") == "loopback"
    assert host_class("maseer.net") is None


def public_outlet() -> OutletPolicy:
    return OutletPolicy(["https://maseer.net/", "https://maseer.net/feed/",
                         "https://cdn.feeds.example/maseer.xml"], ["maseer.net"])


@pytest.mark.parametrize(("url", "reason"), [
    ("https://maseer.net/archives/1", None),
    ("http://maseer.net/archives/1", None),  # declared domain, default port of http
    ("https://www.maseer.net/archives/1", None),  # subdomain of a declared domain
    ("https://cdn.feeds.example/maseer.xml", None),  # an entry point's own origin
    ("https://cdn.feeds.example:8443/other", "port"),
    ("https://maseer.net:8443/admin", "port"),
    ("https://notmaseer.net/", "offsite"),
    ("https://evil.example/?u=maseer.net", "offsite"),
    ("http://169.254.169.254/latest/meta-data/", "metadata"),
    ("http://10.0.0.1/", "private"),
    ("http://localhost/", "loopback"),
    ("file:///etc/passwd", "scheme"),
    ("ftp://maseer.net/x", "scheme"),
    ("https://maseer.net:99999/", "scheme"),  # not a valid port: not a URL we fetch
])
def test_public_outlet_policy(url: str, reason: str | None) -> None:
    assert public_outlet().check_url(url) == reason


def test_outlet_on_loopback_keeps_to_its_port() -> None:
    mirror = OutletPolicy(["http://127.0.0.1:8702/", "http://127.0.0.1:8702/feed/"],
                          ["127.0.0.1"])
    assert mirror.check_url("http://127.0.0.1:8702/archives/1") is None
    assert mirror.check_url("http://127.0.0.1:8701/") == "port"
    assert mirror.check_url("http://127.0.0.1/admin") == "port"  # a moved domain is no domain
    assert mirror.check_address("http://127.0.0.1:8702/x", "127.0.0.1") is None
    assert mirror.check_address("http://127.0.0.1:8702/x", "169.254.169.254") == "metadata"


def test_public_outlet_never_reaches_private_addresses() -> None:
    policy = public_outlet()
    # maseer.net suddenly resolving to loopback (DNS rebinding, a poisoned cache): refused.
    assert policy.check_address("https://maseer.net/a", "127.0.0.1") == "loopback"
    assert policy.check_address("https://maseer.net/a", "10.0.0.7") == "private"
    assert policy.check_address("https://maseer.net/a", "93.184.216.34") is None


class _Address:
    def __init__(self, host: str) -> None:
        self.host = host


class _Receiver:
    def __init__(self) -> None:
        self.addresses: list[str] = []
        self.done = False

    def resolutionBegan(self, resolution: Any) -> None:  # noqa: N802
        pass

    def addressResolved(self, address: Any) -> None:  # noqa: N802
        self.addresses.append(address.host)

    def resolutionComplete(self) -> None:  # noqa: N802
        self.done = True


class _Rebinding:
    """A name resolver that answers public first, then loopback (DNS rebinding)."""

    def __init__(self, answers: list[list[str]]) -> None:
        self.answers = answers

    def resolveHostName(self, receiver: Any, host: str, *args: Any) -> None:  # noqa: N802
        receiver.resolutionBegan(None)
        for address in self.answers.pop(0):
            receiver.addressResolved(_Address(address))
        receiver.resolutionComplete()


def test_resolver_drops_forbidden_answers_at_connection_time() -> None:
    guarded = resolver.GuardedResolver(reactor=None, cache_size=0, timeout=1)
    guarded.wrapped = _Rebinding([["93.184.216.34"], ["127.0.0.1", "93.184.216.35"],
                                  ["169.254.169.254"]])
    for expected in (["93.184.216.34"], ["93.184.216.35"], []):
        receiver = _Receiver()
        guarded.resolveHostName(receiver, "rebind.example", 80)
        assert receiver.addresses == expected and receiver.done
    assert resolver.REFUSED["rebind.example"] == ("169.254.169.254", "metadata")


def test_resolver_lets_an_outlet_reach_its_own_private_origin() -> None:
    resolver.allow_private_host("127.0.0.1")
    assert resolver.allowed("127.0.0.1", "127.0.0.1") is None
    assert resolver.allowed("elsewhere.example", "127.0.0.1") == "loopback"
    assert resolver.allowed("127.0.0.1", "169.254.169.254") == "metadata"


def test_alert_target_checks() -> None:
    with pytest.raises(TargetRefused, match="metadata"):
        checked_addresses("169.254.169.254", 80, allow_private=True)
    with pytest.raises(TargetRefused, match="allow_private"):
        checked_addresses("127.0.0.1", 25, allow_private=False)
    assert checked_addresses("127.0.0.1", 25, allow_private=True) == ["127.0.0.1"]
    with pytest.raises(TargetRefused, match="loopback"):
        checked_addresses("localhost", 25, allow_private=False)


def test_only_the_extensions_rasad_uses() -> None:
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    enabled = {k for k, v in settings.getwithbase("EXTENSIONS").items() if v is not None}
    assert not any("remote_control" in e or "telnet" in e for e in enabled)
    assert "scrapy.extensions.feedexport.FeedExporter" in enabled  # scrapy crawl -O x.csv
    assert "scrapy.extensions.throttle.AutoThrottle" in enabled
    middlewares = settings.getwithbase("DOWNLOADER_MIDDLEWARES")
    assert middlewares["scrapy.downloadermiddlewares.offsite.OffsiteMiddleware"] is None
    assert middlewares["crawler.guard.middleware.RequestGuard"] < \
        middlewares["scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware"]
    # rasad's copy of Scrapy's base list differs only by the cookies middleware (never loaded)
    from scrapy.settings import default_settings

    cookies = "scrapy.downloadermiddlewares.cookies.CookiesMiddleware"
    assert settings.getdict("DOWNLOADER_MIDDLEWARES_BASE") == {
        k: v for k, v in default_settings.DOWNLOADER_MIDDLEWARES_BASE.items() if k != cookies}

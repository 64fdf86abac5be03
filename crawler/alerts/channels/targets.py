"""Where alerts may be sent: every connection a channel opens is checked at the moment it is
opened, on the addresses it will really use (a webhook URL read from the environment, a name
that resolves somewhere unexpected). Link-local and cloud metadata addresses are always refused;
loopback and private ones only with the channel's `allow_private = true`.

A refused target is a final failure of the message (`refused: …`), never retried."""
from __future__ import annotations

import smtplib
import socket
from functools import cache
from typing import TYPE_CHECKING, Any

from crawler.guard.addresses import TargetRefused, check_host, checked_addresses

if TYPE_CHECKING:
    import httpx

__all__ = ["TargetRefused", "guarded_client", "smtp_class", "target_problem"]


def target_problem(key: str, host: str, allow_private: bool) -> str | None:
    """A host written in alerts.toml that is refused without asking DNS (an IP address,
    localhost, a metadata name), as a config error naming the key; None otherwise."""
    try:
        check_host(host, allow_private)
    except TargetRefused as exc:
        return f"key {key!r}: {exc}"
    return None


@cache
def _guarded_backend() -> type:
    """The backend class, made on first use: httpx and httpcore are imported only where a
    message is sent, not by every process that reads alerts.toml."""
    import httpcore

    class GuardedBackend(_GuardedBackendMixin, httpcore.NetworkBackend):
        pass

    return GuardedBackend


class _GuardedBackendMixin:
    """httpcore's network backend, connecting only to checked addresses (TLS still verifies
    the host name: httpcore takes the server name from the URL, not from the address)."""

    def __init__(self, inner: Any, allow_private: bool) -> None:
        self.inner = inner
        self.allow_private = allow_private

    def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                    local_address: str | None = None, socket_options: Any = None) -> Any:
        import httpcore

        last: Exception | None = None
        for address in checked_addresses(host, port, self.allow_private):
            try:
                return self.inner.connect_tcp(address, port, timeout=timeout,
                                              local_address=local_address,
                                              socket_options=socket_options)
            except httpcore.ConnectError as exc:
                last = exc
        raise last or httpcore.ConnectError(f"no address for {host}")

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Any = None) -> Any:  # pragma: no cover
        raise TargetRefused(f"unix socket {path}", "local")

    def sleep(self, seconds: float) -> None:
        self.inner.sleep(seconds)


def guarded_client(allow_private: bool, **kwargs: Any) -> httpx.Client:
    """An httpx client whose every connection goes through the target check. Environment
    proxies are not used: the check is on the receiver, not on a proxy in between."""
    import httpx

    transport = httpx.HTTPTransport()
    pool = transport._pool  # noqa: SLF001 - httpx exposes no public hook for the backend
    backend = _guarded_backend()(pool._network_backend, allow_private)  # noqa: SLF001
    pool._network_backend = backend  # noqa: SLF001
    return httpx.Client(transport=transport, trust_env=False, **kwargs)


def _checked_socket(smtp: smtplib.SMTP, host: str, port: int, timeout: float,
                    allow_private: bool) -> socket.socket:
    last: OSError | None = None
    for address in checked_addresses(host, port, allow_private):
        try:
            return socket.create_connection((address, port), timeout, smtp.source_address)
        except OSError as exc:
            last = exc
    raise last or OSError(f"no address for {host}")


def smtp_class(allow_private: bool, ssl: bool) -> type[smtplib.SMTP]:
    """smtplib.SMTP (or SMTP_SSL) connecting only to checked addresses; STARTTLS and SSL still
    verify the server's name (smtplib keeps it in `_host`)."""
    base = smtplib.SMTP_SSL if ssl else smtplib.SMTP

    class GuardedSMTP(base):  # type: ignore[valid-type,misc]
        def _get_socket(self, host: str, port: int, timeout: float) -> socket.socket:
            sock = _checked_socket(self, host, port, timeout, allow_private)
            if ssl:
                return self.context.wrap_socket(sock, server_hostname=self._host)
            return sock

    return GuardedSMTP

"""STARTTLS, implicit TLS and login against a real aiosmtpd server on 127.0.0.1.

The server's certificate is made here, self-signed for IP 127.0.0.1; the
transport trusts it only through email.ca_file, and checks the host name.
"""

from __future__ import annotations

import ipaddress
import shutil
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from monitor.alerts.deliver import deliver_pending
from monitor.config import Config

from .alerts_fixtures import R1_RIGHT, R1_WRONG, Sink, free_port, write_alert_config
from .test_delivery import queue, rows

pytestmark = pytest.mark.integration

USER = "alerts"
PASSWORD = "correct horse battery staple"  # noqa: S105 - a test server's only account


# --- certificates -----------------------------------------------------------


def self_signed(folder: Path, san: x509.GeneralName) -> tuple[Path, Path]:
    """A self-signed certificate (its own CA) for `san`; returns (cert.pem, key.pem)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "monitor test SMTP server")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([san]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    folder.mkdir(parents=True, exist_ok=True)
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


@pytest.fixture(scope="module")
def loopback_cert(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Valid for IP 127.0.0.1, where the test servers listen."""
    folder = tmp_path_factory.mktemp("loopback-cert")
    return self_signed(folder, x509.IPAddress(ipaddress.IPv4Address("127.0.0.1")))


@pytest.fixture(scope="module")
def other_name_cert(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Valid only for mail.internal.example, not for 127.0.0.1."""
    folder = tmp_path_factory.mktemp("other-name-cert")
    return self_signed(folder, x509.DNSName("mail.internal.example"))


# --- the server -------------------------------------------------------------


class AuthSink(Sink):
    """Keeps each message with how it arrived: over TLS? after which login?"""

    def __init__(self) -> None:
        super().__init__()
        self.arrivals: list[tuple[bool, bytes | None]] = []
        self.logins: list[bytes] = []  # every login tried, right or wrong
        self.login_lock = threading.Lock()

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        assert server.transport is not None
        over_tls = server.transport.get_extra_info("ssl_object") is not None
        login = session.login_data if session.authenticated else None
        with self.lock:
            self.arrivals.append((over_tls, login))
        return await super().handle_DATA(server, session, envelope)

    def authenticate(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any
    ) -> AuthResult:
        if not isinstance(data, LoginPassword):
            return AuthResult(success=False, handled=False)
        with self.login_lock:
            self.logins.append(data.login)
        if data.login == USER.encode() and data.password == PASSWORD.encode():
            return AuthResult(success=True, auth_data=data)
        return AuthResult(success=False, handled=False)  # the server answers 535


@contextmanager
def tls_server(mode: str, port: int, cert: tuple[Path, Path]) -> Iterator[AuthSink]:
    """`starttls`: plain until STARTTLS, which it requires, and AUTH only after it.
    `tls`: TLS from the first byte (aiosmtpd cannot tell that AUTH is already
    encrypted there, so auth_require_tls is off and, since aiosmtpd warns about
    auth_required without it, MAIL before login is not refused there; the
    handler records the login each message came with, and tests assert it)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*cert)
    sink = AuthSink()
    common: dict[str, Any] = {
        "hostname": "127.0.0.1",
        "port": port,
        "authenticator": sink.authenticate,
    }
    if mode == "starttls":
        controller = Controller(
            sink,
            tls_context=context,
            require_starttls=True,
            auth_require_tls=True,
            auth_required=True,
            **common,
        )
    else:
        controller = Controller(sink, ssl_context=context, auth_require_tls=False, **common)
    controller.start()
    try:
        yield sink
    finally:
        controller.stop()


def tls_config(tmp: Path, port: int, mode: str, ca_file: Path | str | None, **extra: Any) -> Config:
    """One subscriber; SMTP to 127.0.0.1:port with `mode` (starttls or tls) and our login."""
    email: dict[str, Any] = {"transport": "smtp", "host": "127.0.0.1", "port": port,
                             "timeout": 5, "username": USER, mode: True, **extra}  # fmt: skip
    if ca_file is not None:
        email["ca_file"] = str(ca_file)
    return write_alert_config(tmp, [{"email": "ana@example.org"}], email)


MODES = ["starttls", "tls"]


# --- tests ------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
def test_tls_with_login_delivers_over_an_encrypted_authenticated_session(
    tmp_path: Path, mode: str, loopback_cert: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MONITOR_EMAIL_PASSWORD", PASSWORD)
    shutil.copy(loopback_cert[0], tmp_path / "ca.pem")
    port = free_port()
    config = tls_config(tmp_path, port, mode, "ca.pem")  # relative: next to monitor.toml
    assert config.email.ca_file == tmp_path / "ca.pem"
    queue(config, R1_RIGHT, R1_WRONG)
    with tls_server(mode, port, loopback_cert) as sink:
        report = deliver_pending(config)
        assert (report.sent, report.deferred, report.failed) == (1, 0, 0), report.errors
        assert deliver_pending(config).sent == 0
    assert report.delivered_to == [f"127.0.0.1:{port}"]
    assert [(rcpts, sender) for sender, rcpts, _ in sink.messages] == [
        (["ana@example.org"], "alerts@monitor.test")
    ]
    assert b"DeepSeek-R1" in sink.messages[0][2]
    assert sink.arrivals == [(True, USER.encode())]  # over TLS, after our login
    assert [r[1:] for r in rows(config)] == [("sent", 1, None, True)]


@pytest.mark.parametrize("mode", MODES)
def test_wrong_password_is_an_authentication_error_and_nothing_is_sent(
    tmp_path: Path, mode: str, loopback_cert: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MONITOR_EMAIL_PASSWORD", "not the password")
    port = free_port()
    config = tls_config(tmp_path, port, mode, loopback_cert[0])
    queue(config, R1_RIGHT, R1_WRONG)
    with tls_server(mode, port, loopback_cert) as sink:
        report = deliver_pending(config)
    assert (report.sent, report.deferred, report.failed) == (0, 1, 0)
    (error,) = report.errors
    assert "authentication failed" in error and repr(USER) in error
    assert "MONITOR_EMAIL_PASSWORD" in error and "535" in error
    assert "not the password" not in error
    assert sink.logins and set(sink.logins) == {USER.encode()}  # it did reach the login
    assert sink.messages == []
    ((_, status, attempts, last_error, sent),) = rows(config)
    assert (status, attempts, sent) == ("queued", 1, False)
    assert last_error == error


def test_wrong_password_at_the_last_attempt_marks_the_alert_failed(
    tmp_path: Path, loopback_cert: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MONITOR_EMAIL_PASSWORD", "not the password")
    port = free_port()
    config = tls_config(tmp_path, port, "starttls", loopback_cert[0], max_attempts=1)
    queue(config, R1_RIGHT, R1_WRONG)
    with tls_server("starttls", port, loopback_cert) as sink:
        report = deliver_pending(config)
    assert (report.sent, report.deferred, report.failed) == (0, 0, 1)
    assert sink.messages == []
    ((_, status, _, last_error, _),) = rows(config)
    assert status == "failed" and "authentication failed" in last_error


@pytest.mark.parametrize("mode", MODES)
def test_self_signed_certificate_is_refused_without_ca_file(
    tmp_path: Path, mode: str, loopback_cert: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MONITOR_EMAIL_PASSWORD", PASSWORD)
    port = free_port()
    config = tls_config(tmp_path, port, mode, None)
    queue(config, R1_RIGHT, R1_WRONG)
    with tls_server(mode, port, loopback_cert) as sink:
        report = deliver_pending(config)
    assert (report.sent, report.deferred, report.failed) == (0, 1, 0)
    (error,) = report.errors
    assert "TLS certificate verification failed" in error and "self-signed" in error
    assert "email.ca_file" in error
    assert sink.logins == [] and sink.messages == []  # the password never went out
    assert rows(config)[0][1:3] == ("queued", 1)


@pytest.mark.parametrize("mode", MODES)
def test_trusted_certificate_for_another_name_is_refused(
    tmp_path: Path,
    mode: str,
    other_name_cert: tuple[Path, Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """ca_file adds trust; it does not turn off the host name check."""
    monkeypatch.setenv("MONITOR_EMAIL_PASSWORD", PASSWORD)
    port = free_port()
    config = tls_config(tmp_path, port, mode, other_name_cert[0])
    queue(config, R1_RIGHT, R1_WRONG)
    with tls_server(mode, port, other_name_cert) as sink:
        report = deliver_pending(config)
    assert (report.sent, report.deferred) == (0, 1)
    (error,) = report.errors
    assert "TLS certificate verification failed" in error and "mismatch" in error.lower()
    assert "email.host" in error
    assert sink.logins == [] and sink.messages == []


def test_unreadable_ca_file_is_a_clear_error_and_keeps_the_alert(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MONITOR_EMAIL_PASSWORD", PASSWORD)
    (tmp_path / "junk.pem").write_text("not a certificate\n", encoding="utf-8")
    for ca_file in ("missing.pem", "junk.pem"):
        config = tls_config(tmp_path, free_port(), "starttls", ca_file)
        if ca_file == "missing.pem":
            queue(config, R1_RIGHT, R1_WRONG)
        report = deliver_pending(config)
        assert (report.sent, report.deferred) == (0, 1)
        (error,) = report.errors
        assert error.startswith(f"email.ca_file {tmp_path / ca_file}: cannot load it"), error
    assert rows(config)[0][1:3] == ("queued", 2)


def test_a_password_is_never_sent_in_clear_text_across_a_network(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from monitor.alerts.transports import DeliveryError, open_transport
    from monitor.config import EmailSettings

    monkeypatch.setenv("MONITOR_EMAIL_PASSWORD", "s3cret-not-for-the-wire")
    # TEST-NET-1: refused before any connection is tried, so nothing can leak.
    plain = EmailSettings(transport="smtp", host="192.0.2.25", port=25, username="monitor")
    with (
        pytest.raises(DeliveryError, match="refusing to send the password") as refused,
        open_transport(plain),
    ):
        pass
    assert refused.value.fatal
    assert "s3cret" not in str(refused.value)

"""Ways to hand a rendered message over: an SMTP server, or .eml files in a folder.

`open_transport` connects once for a batch and yields a `send(sender,
recipient, message id, message)` function that returns where the message
went. Failures are DeliveryError: `permanent` when retrying cannot help (the
server refused the recipient for good), `fatal` when the connection is gone
and the rest of the batch cannot go out either.
"""

from __future__ import annotations

import ipaddress
import os
import re
import smtplib
import ssl
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from monitor.config import EmailSettings
from monitor.errors import MonitorError

# (sender, recipient, message id, message) -> where it went: a file path or host:port
Send = Callable[[str, str, str, str], str]
PASSWORD_ENV = "MONITOR_EMAIL_PASSWORD"  # noqa: S105 - the variable's name, not a password


class DeliveryError(MonitorError):
    """One message, or the whole batch, could not be handed over."""

    def __init__(self, message: str, permanent: bool = False, fatal: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent
        self.fatal = fatal


@contextmanager
def open_transport(settings: EmailSettings) -> Iterator[Send]:
    if settings.transport == "file":
        yield _file_sender(settings.outbox)
    else:
        with _smtp_session(settings) as send:
            yield send


def _file_sender(folder: Path) -> Send:
    """One .eml per message, named after its Message-ID (a resend replaces it), mode 0600."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise DeliveryError(f"cannot create outbox folder {folder}: {exc}", fatal=True) from exc

    def send(sender: str, recipient: str, message_id: str, message: str) -> str:
        name = re.sub(r"[^A-Za-z0-9.@_-]", "_", message_id.strip("<>")) or "message"
        target = folder / f"{name}.eml"
        tmp: Path | None = None
        try:
            fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".eml")  # 0600
            tmp = Path(tmp_name)
            with os.fdopen(fd, "wb") as out:
                out.write(message.encode("utf-8"))
                out.flush()
                os.fsync(out.fileno())
            tmp.replace(target)
        except OSError as exc:
            if tmp is not None:
                tmp.unlink(missing_ok=True)
            raise DeliveryError(f"cannot write {target}: {exc}", fatal=True) from exc
        return str(target)

    return send


@contextmanager
def _smtp_session(settings: EmailSettings) -> Iterator[Send]:
    where = f"{settings.host}:{settings.port}"
    if settings.username and not (settings.tls or settings.starttls or _is_loopback(settings.host)):
        raise DeliveryError(
            f"refusing to send the password for email.username to {where} in clear text:"
            " set email.starttls = true or email.tls = true",
            fatal=True,
        )
    context = _tls_context(settings)
    try:
        if settings.tls:
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                settings.host, settings.port, timeout=settings.timeout, context=context
            )
        else:
            smtp = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    except ssl.SSLCertVerificationError as exc:
        raise _untrusted(where, exc) from exc
    except (OSError, smtplib.SMTPException) as exc:
        raise DeliveryError(f"cannot connect to SMTP server {where}: {exc}", fatal=True) from exc
    try:
        try:
            smtp.ehlo()
            if settings.starttls and not settings.tls:
                smtp.starttls(context=context)
                smtp.ehlo()
            if settings.username:
                password = os.environ.get(PASSWORD_ENV)
                if not password:
                    raise DeliveryError(
                        f"email.username is set but {PASSWORD_ENV} is not; export it", fatal=True
                    )
                smtp.login(settings.username, password)
        except ssl.SSLCertVerificationError as exc:
            raise _untrusted(where, exc) from exc
        except smtplib.SMTPAuthenticationError as exc:
            reply = _reply(where, exc.smtp_code, exc.smtp_error)
            raise DeliveryError(
                f"authentication failed for email.username {settings.username!r}: {reply};"
                f" check the user name and {PASSWORD_ENV}",
                fatal=True,
            ) from exc
        except smtplib.SMTPNotSupportedError as exc:
            raise DeliveryError(
                f"SMTP server {where} offers no authentication (AUTH) here: {exc};"
                " many servers offer it only after email.starttls or with email.tls",
                fatal=True,
            ) from exc
        except (OSError, smtplib.SMTPException) as exc:
            raise DeliveryError(f"SMTP server {where}: {exc}", fatal=True) from exc

        def send(sender: str, recipient: str, message_id: str, message: str) -> str:
            _smtp_send(smtp, sender, recipient, message, where)
            return where

        yield send
    finally:
        with suppress(OSError, smtplib.SMTPException):
            smtp.quit()


def _tls_context(settings: EmailSettings) -> ssl.SSLContext:
    """Certificates and host names are always verified; ca_file replaces the system CAs."""
    cafile = settings.ca_file
    try:
        return ssl.create_default_context(cafile=cafile)
    except (OSError, ssl.SSLError) as exc:
        raise DeliveryError(
            f"email.ca_file {cafile}: cannot load it as a PEM CA bundle ({exc});"
            " point it at a readable PEM file",
            fatal=True,
        ) from exc


def _untrusted(where: str, exc: ssl.SSLCertVerificationError) -> DeliveryError:
    problem = exc.verify_message or str(exc)
    if "mismatch" in problem.lower():
        hint = "set email.host to a name the certificate is for"
    else:
        hint = "if the server uses an internal CA, point email.ca_file at that CA's certificate"
    return DeliveryError(
        f"SMTP server {where}: TLS certificate verification failed ({problem}); {hint}",
        fatal=True,
    )


def _smtp_send(smtp: smtplib.SMTP, sender: str, recipient: str, message: str, where: str) -> None:
    try:
        smtp.sendmail(sender, [recipient], message.encode("utf-8"))
    except smtplib.SMTPRecipientsRefused as exc:
        code, text = next(iter(exc.recipients.values()))
        raise DeliveryError(_reply(where, code, text), permanent=code >= 500) from exc
    except smtplib.SMTPResponseException as exc:
        raise DeliveryError(
            _reply(where, exc.smtp_code, exc.smtp_error), permanent=exc.smtp_code >= 500
        ) from exc
    except (OSError, smtplib.SMTPException) as exc:
        raise DeliveryError(f"SMTP server {where}: {exc}", fatal=True) from exc


def _reply(where: str, code: int, text: bytes | str) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"SMTP server {where} answered {code} {text}"


def _is_loopback(host: str) -> bool:
    """A server on this machine: a password sent to it never crosses a network."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False

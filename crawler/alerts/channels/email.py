"""E-mail over SMTP (smtplib): multipart/alternative — plain text and a right-to-left HTML part —
UTF-8, the delivery id as Message-ID so mail clients and archives collapse a resend. SMTP 4xx
and network errors retry; 5xx is final."""
from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.policy import default
from email.utils import formatdate
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator

from crawler.alerts.channels.base import Outcome, Redactor, env, short
from crawler.alerts.channels.targets import TargetRefused, smtp_class, target_problem
from crawler.alerts.config import Channel, env_name
from crawler.alerts.html import html_text
from crawler.alerts.message import Message, plain_text, subject

# Python's header folding drops the space between two RFC 2047 encoded words when it splits an
# Arabic subject over lines; one unfolded line (subjects are capped) keeps every space.
_POLICY = default.clone(max_line_length=998)
MAX_SUBJECT = 200


class EmailChannel(Channel):
    kind: Literal["email"] = "email"
    host: str = "localhost"
    port: int = Field(25, ge=1, le=65535)
    security: Literal["none", "starttls", "ssl"] = "none"
    username_env: str | None = None
    password_env: str | None = None
    sender: str | None = Field(None, alias="from")
    to: list[str] = Field(default_factory=list)
    timeout: float = Field(10.0, gt=0, le=300)
    allow_private: bool = False  # an SMTP server on loopback or a private network (targets.py)

    @field_validator("username_env", "password_env")
    @classmethod
    def _env(cls, v: str | None) -> str | None:
        return env_name(v)

    def problem(self) -> str | None:
        if not self.to:
            return "key 'to': missing required key (a list of addresses)"
        if not self.sender:
            return "key 'from': missing required key"
        if bool(self.username_env) != bool(self.password_env):
            return "key 'password_env': give both 'username_env' and 'password_env' or neither"
        return target_problem("host", self.host, self.allow_private)

    def make_sender(self, base_dir: Path) -> EmailSender:
        return EmailSender(self)


def build_email(channel: EmailChannel, message: Message) -> EmailMessage:
    mail = EmailMessage(policy=_POLICY)
    text = subject(message)
    mail["Subject"] = text if len(text) <= MAX_SUBJECT else text[: MAX_SUBJECT - 1] + "…"
    mail["From"] = channel.sender
    mail["To"] = ", ".join(channel.to)
    mail["Date"] = formatdate(usegmt=True)
    mail["Message-ID"] = f"<{message.id}@rasad.alerts>"
    mail["X-Rasad-Delivery"] = message.id
    mail.set_content(plain_text(message), charset="utf-8")
    mail.add_alternative(html_text(message), subtype="html", charset="utf-8")
    return mail


class EmailSender:
    def __init__(self, channel: EmailChannel) -> None:
        self.channel = channel
        self.username = env(channel.username_env)
        self.password = env(channel.password_env)
        self.redact = Redactor([self.password])

    def _connect(self) -> smtplib.SMTP:
        c = self.channel
        if c.security == "ssl":
            smtp: smtplib.SMTP = smtp_class(c.allow_private, ssl=True)(
                c.host, c.port, timeout=c.timeout, context=ssl.create_default_context())
        else:
            smtp = smtp_class(c.allow_private, ssl=False)(c.host, c.port, timeout=c.timeout)
            if c.security == "starttls":
                smtp.starttls(context=ssl.create_default_context())
        if self.username and self.password:
            smtp.login(self.username, self.password)
        return smtp

    def send(self, message: Message) -> Outcome:
        mail = build_email(self.channel, message)
        try:
            with self._connect() as smtp:
                refused = smtp.send_message(mail)
        except TargetRefused as exc:  # a place alerts may not go: final, never retried
            return Outcome(ok=False, retry=False, error=short(f"refused: {exc}"))
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            return Outcome(ok=False, retry=all(400 <= c < 500 for c in codes),
                           status=codes[0] if codes else None,
                           error=short(self.redact(f"recipients refused: {exc.recipients}")))
        except smtplib.SMTPResponseException as exc:
            detail = exc.smtp_error.decode("utf-8", "replace") \
                if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
            return Outcome(ok=False, retry=400 <= exc.smtp_code < 500, status=exc.smtp_code,
                           error=short(self.redact(f"SMTP {exc.smtp_code}: {detail}")))
        except (smtplib.SMTPException, OSError) as exc:  # network, timeout, disconnect
            return Outcome(ok=False, retry=True,
                           error=short(self.redact(f"{type(exc).__name__}: {exc}")))
        if refused:  # some recipients accepted: the message is out, resending would duplicate
            return Outcome(ok=True, status=250,
                           error=short(self.redact(f"some recipients refused: {refused}")))
        return Outcome(ok=True, status=250)

    def close(self) -> None:
        pass

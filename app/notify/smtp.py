"""Email through SMTP: SMTP_URL=smtp://user:pass@host:587?starttls=1 (or smtps://host or ?ssl=1 for implicit TLS),
MAIL_FROM. Each message has a plain-text part and an HTML alternative in zh-CN, and a Message-ID made from the
delivery's id: a message sent again after a worker died mid-send carries the same id, so a receiver can drop it."""

import html
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, parseaddr
from urllib.parse import parse_qs, unquote, urlsplit

from app.notify import Message, SendFailed

TRUE = {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    username: str | None
    password: str | None
    starttls: bool
    implicit_tls: bool
    timeout: float = 20.0


def parse_smtp_url(url: str) -> SmtpSettings:
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise ValueError(f"SMTP_URL must be smtp://host[:port] or smtps://host[:port], not {url!r}")
    query = {k: v[-1].lower() for k, v in parse_qs(parts.query).items()}
    implicit = parts.scheme == "smtps" or query.get("ssl") in TRUE
    starttls = not implicit and query.get("starttls") in TRUE
    port = parts.port or (465 if implicit else 587 if starttls else 25)
    timeout = float(query.get("timeout", 20))
    user = unquote(parts.username) if parts.username else None
    password = unquote(parts.password) if parts.password else None
    return SmtpSettings(parts.hostname, port, user, password, starttls, implicit, timeout)


class SmtpChannel:
    name = "email"

    def __init__(self, settings: SmtpSettings, sender: str, tls_context: ssl.SSLContext | None = None):
        self.settings = settings
        self.sender = sender
        self.tls_context = tls_context or ssl.create_default_context()  # verifies the server's certificate

    @classmethod
    def from_config(cls, config: Mapping) -> "SmtpChannel":
        settings = parse_smtp_url(config["SMTP_URL"])
        sender = config.get("MAIL_FROM") or f"closeloop@{settings.host}"
        return cls(settings, sender)

    def send(self, message: Message) -> None:
        if not message.email:
            raise SendFailed("the recipient has no email address")
        mail = compose(message, self.sender)
        try:
            with self._connect() as server:
                if self.settings.username:
                    server.login(self.settings.username, self.settings.password or "")
                server.send_message(mail)
        except smtplib.SMTPRecipientsRefused as error:
            code, reason = next(iter(error.recipients.values()))
            raise SendFailed(f"SMTP refused the recipient: {code} {_text(reason)}") from None
        except smtplib.SMTPResponseException as error:
            raise SendFailed(f"SMTP {error.smtp_code} {_text(error.smtp_error)}") from None
        except (smtplib.SMTPException, OSError) as error:  # refused, timed out, TLS failed, connection dropped
            raise SendFailed(f"SMTP: {type(error).__name__}: {error}") from None

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        if s.implicit_tls:
            return smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout, context=self.tls_context)
        server = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
        try:
            if s.starttls:
                server.starttls(context=self.tls_context)
        except BaseException:
            server.close()
            raise
        return server


def compose(message: Message, sender: str) -> EmailMessage:
    mail = EmailMessage()
    domain = parseaddr(sender)[1].rpartition("@")[2] or "closeloop.invalid"
    mail["Subject"] = message.title
    mail["From"] = sender
    mail["To"] = message.email
    mail["Date"] = formatdate(localtime=False)
    mail["Message-ID"] = f"<delivery-{message.delivery_id}@{domain}>"  # the same on every attempt
    mail["Auto-Submitted"] = "auto-generated"  # RFC 3834: no out-of-office replies to a robot
    # base64: no 8-bit line reaches a server that does not speak 8BITMIME, and Chinese is shorter so than as QP
    mail.set_content(plain_text(message), cte="base64")
    mail.add_alternative(html_text(message), subtype="html", cte="base64")
    return mail


def plain_text(message: Message) -> str:
    lines = [f"{message.recipient_name}：", "", message.body, "", f"隐患编号：{message.finding_number}",
             f"整改期限：{message.deadline_text}"]  # fmt: skip
    if message.link:
        lines.append(f"查看隐患：{message.link}")
    lines += ["", "此邮件由隐患闭环系统自动发送，请勿回复。"]
    return "\n".join(lines) + "\n"


def html_text(message: Message) -> str:
    e = html.escape
    link = f'<p><a href="{e(message.link)}">查看隐患</a></p>' if message.link else ""
    return (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"></head><body>'
        f"<p>{e(message.recipient_name)}：</p><p>{e(message.body)}</p>"
        f'<table><tr><th align="left">隐患编号</th><td>{e(message.finding_number)}</td></tr>'
        f'<tr><th align="left">整改期限</th><td>{e(message.deadline_text)}</td></tr></table>'
        f'{link}<p style="color:#666">此邮件由隐患闭环系统自动发送，请勿回复。</p></body></html>\n'
    )


def _text(reason) -> str:
    return reason.decode("utf-8", "replace") if isinstance(reason, bytes) else str(reason)

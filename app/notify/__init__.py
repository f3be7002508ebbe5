"""Where notifications leave the app: a Channel port with an SMTP adapter and a group-robot webhook adapter, chosen
by the configuration (SMTP_URL, WEBHOOK_URL). In-app is the notifications table itself and needs no channel.

Nothing outside this package knows how a message is sent. A channel raises SendFailed with a reason a person can
read; the delivery job decides whether to try again (app/jobs/deliver.py).
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from app.jobs.wording import chinese_date


class SendFailed(Exception):
    """The channel did not take the message; str(error) is the reason kept in deliveries.last_error."""


@dataclass(frozen=True)
class Message:
    """One notification as a channel sends it: what the inbox shows, plus what a message outside the app needs."""

    delivery_id: int
    title: str
    body: str
    finding_number: str
    deadline: date | None
    recipient_name: str
    email: str | None = None
    link: str | None = None  # the finding in the PWA, when APP_BASE_URL is set

    @property
    def deadline_text(self) -> str:
        return chinese_date(self.deadline) if self.deadline else "无"


class Channel(Protocol):
    name: str

    def send(self, message: Message) -> None:
        """Hand the message over; raise SendFailed (never anything else) when it was not taken."""


def channels_from_config(config: Mapping) -> dict[str, Channel]:
    """The channels this deployment has: email when SMTP_URL is set, webhook when WEBHOOK_URL is set."""
    channels: dict[str, Channel] = {}
    if config.get("SMTP_URL"):
        from app.notify.smtp import SmtpChannel

        channels["email"] = SmtpChannel.from_config(config)
    if config.get("WEBHOOK_URL"):
        from app.notify.webhook import WebhookChannel

        channels["webhook"] = WebhookChannel.from_config(config)
    return channels


def available_channels(config: Mapping) -> list[str]:
    """What a person may choose in their settings, without building the adapters."""
    return [name for name, key in (("email", "SMTP_URL"), ("webhook", "WEBHOOK_URL")) if config.get(key)]


def finding_link(config: Mapping, finding_id) -> str | None:
    base = (config.get("APP_BASE_URL") or "").rstrip("/")
    return f"{base}/#/f/{finding_id}" if base else None  # the PWA's hash route (pwa/src/lib/router.js)

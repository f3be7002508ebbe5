"""Group robots: a 企业微信 (WeCom) or 钉钉 (DingTalk) group's webhook, WEBHOOK_URL, in their markdown formats.

- WeCom: POST {"msgtype": "markdown", "markdown": {"content": ...}} to
  https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=...
- DingTalk: POST {"msgtype": "markdown", "markdown": {"title": ..., "text": ...}} to
  https://oapi.dingtalk.com/robot/send?access_token=...; with 加签 (WEBHOOK_SECRET) the URL also carries
  timestamp (ms) and sign = urlencode(base64(HmacSHA256(secret, f"{timestamp}\\n{secret}"))).

Both answer HTTP 200 with {"errcode": 0, "errmsg": "ok"}; any other errcode is a failure, its errmsg the reason.
WEBHOOK_KIND=wecom|dingtalk, guessed from the URL's host when unset.
"""

import base64
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from urllib.parse import quote_plus, urlsplit

from app.notify import Message, SendFailed

KINDS = ("wecom", "dingtalk")
HOSTS = {"qyapi.weixin.qq.com": "wecom", "oapi.dingtalk.com": "dingtalk"}
WECOM_LIMIT = 4096  # bytes of markdown content WeCom accepts


def guess_kind(url: str) -> str:
    host = urlsplit(url).hostname or ""
    if host in HOSTS:
        return HOSTS[host]
    raise ValueError(f"cannot tell the robot from {host!r}: set WEBHOOK_KIND to one of {', '.join(KINDS)}")


class WebhookChannel:
    name = "webhook"

    def __init__(self, url: str, kind: str, secret: str | None = None, timeout: float = 10.0,
                 clock: Callable[[], float] = time.time):  # fmt: skip
        if kind not in KINDS:
            raise ValueError(f"WEBHOOK_KIND must be one of {', '.join(KINDS)}, not {kind!r}")
        self.url, self.kind, self.secret, self.timeout, self.clock = url, kind, secret, timeout, clock

    @classmethod
    def from_config(cls, config: Mapping) -> "WebhookChannel":
        url = config["WEBHOOK_URL"]
        kind = (config.get("WEBHOOK_KIND") or "").strip().lower() or guess_kind(url)
        return cls(url, kind, config.get("WEBHOOK_SECRET") or None)

    def send(self, message: Message) -> None:
        payload = wecom_payload(message) if self.kind == "wecom" else dingtalk_payload(message)
        request = urllib.request.Request(
            self._signed_url(),
            data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
            headers={"Content-Type": "application/json; charset=utf-8"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                answer = response.read(65536)
        except urllib.error.HTTPError as error:
            raise SendFailed(f"webhook answered HTTP {error.code} {error.reason}") from None
        except (urllib.error.URLError, OSError) as error:
            raise SendFailed(f"webhook unreachable: {getattr(error, 'reason', error)}") from None
        _check_answer(answer)

    def _signed_url(self) -> str:
        if self.kind != "dingtalk" or not self.secret:
            return self.url
        timestamp = str(int(self.clock() * 1000))
        sign = dingtalk_sign(self.secret, timestamp)
        return f"{self.url}{'&' if '?' in self.url else '?'}timestamp={timestamp}&sign={sign}"


def dingtalk_sign(secret: str, timestamp: str) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    return quote_plus(base64.b64encode(digest))


def _check_answer(answer: bytes) -> None:
    try:
        body = json.loads(answer)
    except ValueError:
        raise SendFailed(f"webhook answered something that is not JSON: {answer[:200]!r}") from None
    code = body.get("errcode") if isinstance(body, dict) else None
    if code != 0:
        raise SendFailed(f"webhook errcode {code}: {body.get('errmsg', '') if isinstance(body, dict) else body}")


def markdown(message: Message) -> str:
    lines = [f"### {message.title}", "", message.body, "", f"> 隐患编号：{message.finding_number}",
             f"> 整改期限：{message.deadline_text}", f"> 接收人：{message.recipient_name}"]  # fmt: skip
    if message.link:
        lines += ["", f"[查看隐患]({message.link})"]
    return "\n".join(lines)


def wecom_payload(message: Message) -> dict:
    content = markdown(message)
    while len(content.encode()) > WECOM_LIMIT:  # a body this long is unusual; cut it rather than be refused
        content = content[: len(content) - 100]
    return {"msgtype": "markdown", "markdown": {"content": content}}


def dingtalk_payload(message: Message) -> dict:
    return {"msgtype": "markdown", "markdown": {"title": message.title, "text": markdown(message)}}

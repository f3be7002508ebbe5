"""The channel adapters' pure parts: SMTP_URL's forms, which robot a URL is, the message as each channel writes it."""

from datetime import date

import pytest

from app.notify import Message, available_channels, channels_from_config, finding_link
from app.notify.smtp import compose, parse_smtp_url
from app.notify.webhook import WECOM_LIMIT, WebhookChannel, dingtalk_payload, guess_kind, wecom_payload

MESSAGE = Message(
    delivery_id=42,
    title="隐患 YH-350206-2026-000001 将于 2026年12月4日 到期",
    body="「消防通道」<请整改>",
    finding_number="YH-350206-2026-000001",
    deadline=date(2026, 12, 4),
    recipient_name="张三",
    email="zhang@example.cn",
    link="https://yh.example.gov.cn/#/f/abc",
)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("smtp://user:p%40ss@mail.example.cn:587?starttls=1", ("mail.example.cn", 587, "user", "p@ss", True, False)),
        ("smtp://mail.example.cn?starttls=1", ("mail.example.cn", 587, None, None, True, False)),
        ("smtps://u:p@smtp.exmail.qq.com", ("smtp.exmail.qq.com", 465, "u", "p", False, True)),
        ("smtp://smtp.163.com?ssl=1", ("smtp.163.com", 465, None, None, False, True)),
        ("smtp://relay.internal", ("relay.internal", 25, None, None, False, False)),
        ("smtp://relay.internal:2525?timeout=5", ("relay.internal", 2525, None, None, False, False)),
    ],
)
def test_smtp_url_forms(url, expected):
    s = parse_smtp_url(url)
    assert (s.host, s.port, s.username, s.password, s.starttls, s.implicit_tls) == expected


@pytest.mark.parametrize("url", ["http://mail.example.cn", "smtp://", "mail.example.cn:25"])
def test_a_smtp_url_that_is_not_one_is_refused(url):
    with pytest.raises(ValueError, match="SMTP_URL"):
        parse_smtp_url(url)


def test_the_robot_is_told_by_its_host_or_by_webhook_kind():
    assert guess_kind("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k") == "wecom"
    assert guess_kind("https://oapi.dingtalk.com/robot/send?access_token=t") == "dingtalk"
    with pytest.raises(ValueError, match="WEBHOOK_KIND"):
        guess_kind("https://robots.example.cn/send")
    config = {"WEBHOOK_URL": "https://robots.example.cn/send", "WEBHOOK_KIND": "DingTalk"}
    assert channels_from_config(config)["webhook"].kind == "dingtalk"
    with pytest.raises(ValueError, match="WEBHOOK_KIND"):
        WebhookChannel("https://robots.example.cn/send", "slack")


def test_what_is_available_follows_the_configuration():
    assert available_channels({}) == [] and channels_from_config({}) == {}
    both = {"SMTP_URL": "smtp://relay.internal", "WEBHOOK_URL": "https://oapi.dingtalk.com/robot/send?access_token=t"}
    assert available_channels(both) == ["email", "webhook"] and set(channels_from_config(both)) == {"email", "webhook"}
    assert finding_link({"APP_BASE_URL": "https://yh.example.gov.cn/"}, "abc") == "https://yh.example.gov.cn/#/f/abc"
    assert finding_link({}, "abc") is None


def test_an_email_has_both_parts_a_stable_id_and_escaped_html():
    mail = compose(MESSAGE, "隐患闭环 <noreply@closeloop.example.cn>")
    assert mail["Message-ID"] == "<delivery-42@closeloop.example.cn>"
    assert mail["Subject"] == MESSAGE.title and mail["Auto-Submitted"] == "auto-generated"
    plain, rich = mail.get_body(("plain",)).get_content(), mail.get_body(("html",)).get_content()
    assert "整改期限：2026年12月4日" in plain and "隐患编号：YH-350206-2026-000001" in plain
    assert "&lt;请整改&gt;" in rich and "<请整改>" not in rich and 'href="https://yh.example.gov.cn/#/f/abc"' in rich
    assert b"\n" in mail.as_bytes() and all(byte < 128 for byte in mail.as_bytes())  # 7-bit on the wire


def test_the_robot_formats():
    assert wecom_payload(MESSAGE)["markdown"]["content"].startswith(f"### {MESSAGE.title}")
    ding = dingtalk_payload(MESSAGE)
    assert ding["msgtype"] == "markdown" and ding["markdown"]["title"] == MESSAGE.title
    assert "[查看隐患](https://yh.example.gov.cn/#/f/abc)" in ding["markdown"]["text"]
    long = Message(**{**MESSAGE.__dict__, "body": "很长" * 3000})
    assert len(wecom_payload(long)["markdown"]["content"].encode()) <= WECOM_LIMIT

"""`flask jobs run deliver` sends queued deliveries through real receivers: email to an SMTP server (aiosmtpd) with
both parts in zh-CN, webhooks to a local receiver in the WeCom and the DingTalk robot formats (DingTalk signed);
a failing channel is tried again with backoff and ends `failed` with its reason, which the admin API shows; a
second run sends nothing twice; a recipient who turned inactive or dropped their address is failed, not retried."""

import base64
import hashlib
import hmac
from datetime import timedelta

import factories as f
import pytest
from delivery_support import DUE, Robot, SmtpServer, deliveries, due_finding, notify, recipient

from app.domain.calendar import utcnow
from app.jobs.deliver import DeliverySettings, run_deliver

SECRET = "SEC0123456789abcdef"


@pytest.fixture
def smtp(app):
    with SmtpServer() as server:
        app.config.update(SMTP_URL=server.url, MAIL_FROM="隐患闭环 <noreply@closeloop.test>",
                          APP_BASE_URL="https://yh.example.gov.cn/")  # fmt: skip
        yield server


@pytest.fixture
def robot(app):
    with Robot() as receiver:
        yield receiver


@pytest.fixture
def scene(session):
    world = f.World(session)
    finding = due_finding(session, world)  # first: the officer is told only what the test writes
    officer = recipient(world, session, channels=("email", "webhook"))
    admin = world.user("admin")
    session.commit()
    return {"world": world, "officer": officer, "finding": finding, "admin": f.token_for(session, admin)}


def deliver(app, at=DUE) -> str:
    result = app.test_cli_runner().invoke(args=["jobs", "run", "deliver", "--at", at.isoformat()])
    assert result.exit_code == 0, result.output
    return result.output


def test_an_email_names_the_finding_and_its_deadline_in_chinese_in_both_parts(app, session, smtp, scene):
    app.config["WEBHOOK_URL"] = ""
    notify(session, scene["finding"], [scene["officer"]])
    session.commit()
    number = scene["finding"].number
    assert deliver(app) == "deliver: 1 sent, 1 to retry, 0 failed\n"  # the webhook is not configured here...
    mail = smtp.mailbox.messages[0]
    assert mail["To"] == "zhang.san@example.cn" and "noreply@closeloop.test" in mail["From"]
    assert number in mail["Subject"] and "2026年12月8日" in mail["Subject"]
    plain, rich = mail.get_body(("plain",)), mail.get_body(("html",))
    assert plain is not None and rich is not None and mail.get_content_type() == "multipart/alternative"
    for part in (plain.get_content(), rich.get_content()):
        assert number in part and "2026年12月8日" in part and "张三" in part
        assert f"https://yh.example.gov.cn/#/f/{scene['finding'].id}" in part
    email_row, webhook_row = deliveries(session)
    assert mail["Message-ID"] == f"<delivery-{email_row.id}@closeloop.test>"  # stable: a resend carries it again
    assert (email_row.status, email_row.attempts, email_row.last_error) == ("sent", 1, None)
    assert email_row.sent_at is not None
    assert webhook_row.status == "queued" and "WEBHOOK_URL" in webhook_row.last_error  # ...so it waits, retried


def test_a_second_run_sends_nothing_twice(app, session, smtp, scene):
    scene["officer"].channels = ["email"]
    notify(session, scene["finding"], [scene["officer"]])
    session.commit()
    assert deliver(app) == "deliver: 1 sent, 0 to retry, 0 failed\n"
    assert deliver(app) == "deliver: 0 sent, 0 to retry, 0 failed\n"
    assert deliver(app, DUE + timedelta(days=1)) == "deliver: 0 sent, 0 to retry, 0 failed\n"
    assert len(smtp.mailbox.messages) == 1


def test_a_wecom_robot_gets_its_markdown_message(app, session, robot, scene):
    app.config.update(WEBHOOK_URL=robot.url("/cgi-bin/webhook/send?key=abc"), WEBHOOK_KIND="wecom")
    scene["officer"].channels = ["webhook"]
    notify(session, scene["finding"], [scene["officer"]])
    session.commit()
    assert deliver(app) == "deliver: 1 sent, 0 to retry, 0 failed\n"
    (request,) = robot.requests
    assert request["path"] == "/cgi-bin/webhook/send" and request["query"] == {"key": ["abc"]}
    assert request["content_type"] == "application/json; charset=utf-8"
    assert set(request["json"]) == {"msgtype", "markdown"} and request["json"]["msgtype"] == "markdown"
    content = request["json"]["markdown"]["content"]
    assert set(request["json"]["markdown"]) == {"content"}
    assert scene["finding"].number in content and "2026年12月8日" in content and content.startswith("### 隐患")
    assert deliveries(session)[0].status == "sent"


def test_a_dingtalk_robot_gets_its_markdown_message_signed(app, session, robot, scene):
    app.config.update(WEBHOOK_URL=robot.url(), WEBHOOK_KIND="dingtalk", WEBHOOK_SECRET=SECRET)
    scene["officer"].channels = ["webhook"]
    notify(session, scene["finding"], [scene["officer"]])
    session.commit()
    assert deliver(app) == "deliver: 1 sent, 0 to retry, 0 failed\n"
    (request,) = robot.requests
    assert request["query"]["access_token"] == ["t0ken"]
    (timestamp,), (sign,) = request["query"]["timestamp"], request["query"]["sign"]
    expected = hmac.new(SECRET.encode(), f"{timestamp}\n{SECRET}".encode(), hashlib.sha256).digest()
    assert timestamp.isdigit() and len(timestamp) == 13  # milliseconds
    assert base64.b64decode(sign) == expected  # parse_qs undid the URL encoding
    body = request["json"]
    assert body["msgtype"] == "markdown" and set(body["markdown"]) == {"title", "text"}
    assert body["markdown"]["title"] == f"隐患 {scene['finding'].number} 将于 2026年12月8日 到期"
    assert scene["finding"].number in body["markdown"]["text"] and "2026年12月8日" in body["markdown"]["text"]


@pytest.mark.parametrize(
    ("answer", "reason"),
    [((500, {"error": "boom"}), "webhook answered HTTP 500 Internal Server Error"),
     ((200, {"errcode": 310000, "errmsg": "sign not match"}), "webhook errcode 310000: sign not match")],
    ids=["http-500", "errcode"],
)  # fmt: skip
def test_a_failing_robot_is_retried_with_backoff_then_failed_and_shown_to_admins(
    app, client, session, robot, scene, answer, reason
):
    app.config.update(WEBHOOK_URL=robot.url(), WEBHOOK_KIND="dingtalk", DELIVERY_MAX_ATTEMPTS=3)
    robot.answer = answer
    scene["officer"].channels = ["webhook"]
    notify(session, scene["finding"], [scene["officer"]])
    session.commit()
    assert deliver(app) == "deliver: 0 sent, 1 to retry, 0 failed\n"
    (row,) = deliveries(session)
    assert (row.status, row.attempts, row.last_error) == ("queued", 1, reason)
    assert row.next_attempt_at >= DUE + timedelta(minutes=1)  # the first wait
    assert deliver(app, DUE + timedelta(seconds=59)) == "deliver: 0 sent, 0 to retry, 0 failed\n"  # not yet due
    second = DUE + timedelta(minutes=3)
    assert deliver(app, second) == "deliver: 0 sent, 1 to retry, 0 failed\n"
    assert deliveries(session)[0].next_attempt_at >= second + timedelta(minutes=5)  # the second wait is longer
    assert deliver(app, second + timedelta(minutes=4)) == "deliver: 0 sent, 0 to retry, 0 failed\n"
    assert deliver(app, second + timedelta(minutes=10)) == "deliver: 0 sent, 0 to retry, 1 failed\n"  # the last
    (row,) = deliveries(session)
    assert (row.status, row.attempts, row.last_error) == ("failed", 3, reason)
    assert deliver(app, DUE + timedelta(days=7)) == "deliver: 0 sent, 0 to retry, 0 failed\n"  # never again
    assert len(robot.requests) == 3

    listed = client.get("/api/v1/admin/deliveries?status=failed", headers=scene["admin"]).json["items"]
    assert [(d["id"], d["channel"], d["attempts"], d["last_error"]) for d in listed] == [
        (row.id, "webhook", 3, reason)
    ]
    assert listed[0]["recipient"] == scene["officer"].username
    # the admin fixes the robot and queues it again: sent on the next run
    robot.answer = (200, {"errcode": 0, "errmsg": "ok"})
    retried = client.post(f"/api/v1/admin/deliveries/{row.id}/retry", headers=scene["admin"])
    assert retried.status_code == 200 and retried.json["status"] == "queued"
    assert deliver(app, utcnow() + timedelta(seconds=1)) == "deliver: 1 sent, 0 to retry, 0 failed\n"
    assert deliveries(session)[0].status == "sent"


def test_a_refusing_mail_server_ends_failed_with_its_reply(app, session, smtp, scene):
    app.config["DELIVERY_MAX_ATTEMPTS"] = 2
    smtp.mailbox.mode = "refuse"
    scene["officer"].channels = ["email"]
    notify(session, scene["finding"], [scene["officer"]])
    session.commit()
    assert deliver(app) == "deliver: 0 sent, 1 to retry, 0 failed\n"
    assert deliver(app, DUE + timedelta(minutes=5)) == "deliver: 0 sent, 0 to retry, 1 failed\n"
    (row,) = deliveries(session)
    assert row.status == "failed" and row.last_error == "SMTP refused the recipient: 550 5.1.1 mailbox unavailable"
    assert smtp.mailbox.messages == []


def test_an_unreachable_mail_server_is_a_reason_too(app, session, scene):
    app.config.update(SMTP_URL="smtp://127.0.0.1:1?timeout=5", DELIVERY_MAX_ATTEMPTS=1)
    scene["officer"].channels = ["email"]
    notify(session, scene["finding"], [scene["officer"]])
    session.commit()
    assert deliver(app) == "deliver: 0 sent, 0 to retry, 1 failed\n"
    assert "ConnectionRefusedError" in deliveries(session)[0].last_error


@pytest.mark.parametrize("change", ["inactive", "no_email", "channel_dropped"])
def test_a_recipient_who_can_no_longer_be_reached_fails_at_once_with_the_reason(app, session, smtp, scene, change):
    officer = scene["officer"]
    officer.channels = ["email"]
    notify(session, scene["finding"], [officer])
    session.commit()
    if change == "inactive":
        officer.active = False
    elif change == "no_email":
        officer.email = None
    else:
        officer.channels = []
    session.commit()
    assert deliver(app) == "deliver: 0 sent, 0 to retry, 1 failed\n"
    (row,) = deliveries(session)
    reasons = {"inactive": "the recipient is no longer active", "no_email": "the recipient has no email address",
               "channel_dropped": "the recipient no longer chose email"}  # fmt: skip
    assert (row.status, row.attempts, row.last_error) == ("failed", 1, reasons[change])
    assert smtp.mailbox.messages == []


class Recorder:
    name = "email"

    def __init__(self):
        self.sent = []

    def send(self, message):
        self.sent.append(message.delivery_id)


def test_a_batch_whose_lease_runs_low_is_handed_back_and_each_message_still_goes_once(app, session, scene):
    others = [recipient(scene["world"], session, email_address=f"o{n}@example.cn") for n in range(4)]
    notify(session, scene["finding"], [scene["officer"], *others])
    session.commit()
    channel = Recorder()
    settings = DeliverySettings(lease=timedelta(milliseconds=2), batch=3)  # nearly out after each message
    counts = run_deliver(session, DUE, {"email": channel}, settings)
    rows = [d for d in deliveries(session) if d.channel == "email"]
    assert counts.sent == 5 and sorted(channel.sent) == [d.id for d in rows]  # each once
    assert {(d.status, d.claimed_by) for d in rows} == {("sent", None)}


def test_a_group_robot_gets_one_message_per_notice_naming_everyone_who_chose_it(app, session, robot, scene):
    """Three officers are told the same reminder; two chose the group robot: the group reads it once."""
    app.config.update(WEBHOOK_URL=robot.url("/cgi-bin/webhook/send?key=abc"), WEBHOOK_KIND="wecom")
    world = scene["world"]
    scene["officer"].channels = ["webhook"]
    li = recipient(world, session, channels=("webhook",))
    li.display_name = "李四"
    wang = recipient(world, session, channels=(), email_address=None)
    notify(session, scene["finding"], [scene["officer"], li, wang])
    session.commit()
    assert [d.channel for d in deliveries(session)] == ["webhook"]
    assert deliver(app) == "deliver: 1 sent, 0 to retry, 0 failed\n"
    (request,) = robot.requests
    assert "张三、李四" in request["json"]["markdown"]["content"]

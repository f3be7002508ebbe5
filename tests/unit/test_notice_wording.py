"""What a notice says depends on the day it is written: 今天 only on the deadline itself."""

from datetime import UTC, date, datetime

from app.domain.deadlines import Audience, Notice
from app.jobs.wording import event_wording, wording

SUNDAY = date(2026, 12, 13)
NOTICE = Notice("f", "deadline_today", Audience.OFFICERS, datetime(2026, 12, 11, 1, tzinfo=UTC))


def say(today: date) -> tuple[str, str]:
    return wording(NOTICE, "YH-1", "消防通道堵塞", SUNDAY, 0, 2, today)


def test_on_the_day_it_says_today():
    assert say(SUNDAY)[0] == "隐患 YH-1 今天（2026年12月13日）到期"


def test_moved_to_the_friday_before_a_sunday_deadline_it_names_the_day():
    title, body = say(date(2026, 12, 11))
    assert title == "隐患 YH-1 将于 2026年12月13日 到期" and "今天" not in body


def test_sent_late_by_a_run_catching_up_it_says_the_day_has_passed():
    title, body = say(date(2026, 12, 14))
    assert title == "隐患 YH-1 已于 2026年12月13日 到期" and "今天" not in title + body


def test_an_extension_decision_says_granted_or_not_with_the_deadline_in_force():
    granted = event_wording("extension_decided", "YH-1", "t", date(2026, 12, 20), {"approved": True})
    refused = event_wording("extension_decided", "YH-1", "t", SUNDAY, {"approved": False})
    assert granted == ("隐患 YH-1 的延期申请已批准", "「t」的整改期限延至 2026年12月20日。")
    assert refused[0].endswith("延期申请未批准") and "仍为 2026年12月13日" in refused[1]

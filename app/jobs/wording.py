"""What a notice says, in zh-CN: the finding's number and its deadline in the words an officer reads."""

from datetime import date

from app.domain.deadlines import Notice

# rule -> the inbox's kind (at most 20 characters: notifications.kind)
KINDS = {
    "deadline_today": "reminder",
    "overdue": "overdue",
    "escalated_street": "escalation",
    "escalated_district": "escalation",
    "escalated_city": "escalation",
    "triage_waiting": "triage",
    # caused by an event (services/event_notices.py)
    "new_order": "order",
    "rectification_submitted": "review",
    "extension_requested": "extension",
    "extension_decided": "extension",
    "rejected": "rejected",
    "reopened": "reopened",
    "voided": "voided",
}
LEVEL_NAMES = {"escalated_street": "街道", "escalated_district": "区", "escalated_city": "市"}


def kind_of(rule: str) -> str:
    return "reminder" if rule.startswith("deadline_in_") else KINDS.get(rule, "notice")


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def wording(
    notice: Notice,
    number: str,
    title: str,
    deadline: date | None,
    days_late: int,
    triage_workdays: int,
    today: date | None = None,
) -> tuple[str, str]:
    """(title, body) of the notification for `notice` on finding `number` (its title is the hazard's own), as
    written on `today`: "on the day" said on another day (moved before a weekend, or sent by a run catching up)
    names the date instead of saying 今天."""
    rule = notice.rule
    when = chinese_date(deadline) if deadline else ""
    if rule == "deadline_today" and today is not None and deadline is not None and today != deadline:
        if today > deadline:
            return (f"隐患 {number} 已于 {when} 到期",
                    f"「{title}」的整改期限 {when} 已到，尚未提交整改。请立即完成整改并提交整改情况。")  # fmt: skip
        rule = "deadline_in_0_days"  # the working day before a deadline that falls on a rest day
    if rule == "deadline_today":
        return (f"隐患 {number} 今天（{when}）到期",
                f"「{title}」的整改期限是今天（{when}）。请完成整改并提交整改情况和整改后照片。")  # fmt: skip
    if rule.startswith("deadline_in_"):
        return (f"隐患 {number} 将于 {when} 到期",
                f"「{title}」的整改期限是 {when}。请按期完成整改；确有困难的，请在到期前申请延期。")  # fmt: skip
    if rule == "overdue":
        return (f"隐患 {number} 已逾期",
                f"「{title}」的整改期限 {when} 已过，已逾期 {days_late} 天，尚未提交整改。请立即整改。")  # fmt: skip
    if rule in LEVEL_NAMES:
        level = LEVEL_NAMES[rule]
        return (f"隐患 {number} 逾期 {days_late} 天未整改，提请{level}级督办",
                f"「{title}」的整改期限 {when} 已过，已逾期 {days_late} 天，企业尚未整改。请督促整改。")  # fmt: skip
    if rule == "triage_waiting":
        return (f"隐患 {number} 等待确认已超过 {triage_workdays} 个工作日",
                f"「{title}」已上报，尚未确认。请核实并下达整改要求，或作废。")  # fmt: skip
    return f"隐患 {number}", f"「{title}」"


def event_wording(rule: str, number: str, title: str, deadline: date | None, detail: dict) -> tuple[str, str]:
    """(title, body) of a notification an event caused; `detail` holds the extension's dates and decision."""
    when = chinese_date(deadline) if deadline else ""
    if rule == "new_order":
        return (f"新的整改要求：隐患 {number}",
                f"「{title}」须在 {when} 前完成整改。请制定措施、落实整改，并提交整改情况和整改后照片。")  # fmt: skip
    if rule == "rectification_submitted":
        return (f"隐患 {number} 已提交整改，待验收", f"「{title}」的整改情况已提交，请核查验收。")
    if rule == "extension_requested":
        asked = detail.get("requested_deadline")
        asked_text = chinese_date(asked) if asked else "新的期限"
        return (f"隐患 {number} 申请延期至 {asked_text}",
                f"「{title}」的整改期限是 {when}，企业申请延期至 {asked_text}，请审批。")  # fmt: skip
    if rule == "extension_decided":
        if detail.get("approved"):
            return f"隐患 {number} 的延期申请已批准", f"「{title}」的整改期限延至 {when}。"
        return f"隐患 {number} 的延期申请未批准", f"「{title}」的整改期限仍为 {when}，请按期完成整改。"
    if rule == "rejected":
        return (f"隐患 {number} 整改未通过验收",
                f"「{title}」的整改未通过验收，请重新整改，整改期限 {when}。")  # fmt: skip
    if rule == "reopened":
        return f"隐患 {number} 已重新打开", f"「{title}」销号后被重新打开，请整改，整改期限 {when}。"
    if rule == "voided":
        return f"隐患 {number} 已撤销", f"「{title}」已撤销，无需整改。"
    return f"隐患 {number}", f"「{title}」"

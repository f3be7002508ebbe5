"""The demo's field work (issue 14): the five checklists, 第四轮安全生产大检查 over 湖里区, a second 湖里区 inspector
(`inspector2`, so an enforcement inspection has its two), and four submitted inspections whose failed items became
findings, each with its photo. Made through the real verbs (create_checklist, create_campaign, submit_inspection)
with ids derived from fixed names, so nothing here draws on the seed's random stream.
"""

import uuid
from datetime import UTC, datetime, time, timedelta

from flask import current_app, has_app_context
from sqlalchemy.orm import Session

from app.demo.checklists import CHECKLISTS
from app.demo.pictures import VARIANTS, picture
from app.domain.calendar import SHANGHAI, local_today
from app.domain.checklists import derived_item_id
from app.imaging import process_photo
from app.models import Enterprise, User
from app.services.accounts import create_user
from app.services.actors import actor_for
from app.services.campaigns import create_campaign
from app.services.checklists import create_checklist
from app.services.inspections import submit_inspection
from app.services.photos import store_photo

NAMESPACE = uuid.UUID("0d3c6a52-8f1e-4c2b-9a57-3502060a1400")
DISTRICT = "350206"
INSPECTOR2 = ("inspector2", "王建华")
CERT_NOS = {"inspector": "35020619007", "inspector2": "35020621015"}  # 执法证号 (invented)
CAMPAIGN = "第四轮安全生产大检查"
MIN_FINDINGS = 20  # a demo smaller than this gets the checklists and the campaign, not the visits

# (the 湖里区 enterprise's sector, checklist, days ago, {failed item: (title, description)}, items not applicable)
VISITS = [
    ("manufacturing", "dust", 6, {
        9: ("打磨车间除尘器灰斗下方及设备顶部积尘严重",
            "打磨车间2号除尘器灰斗下方积尘约5毫米，设备顶部积尘未按制度清理。"),
        13: ("打磨工位未设置粉尘防爆安全警示标志", "打磨工位及除尘器周边未设置粉尘爆炸危险安全警示标志。"),
    }, (3, 5, 7, 8)),
    ("catering", "gas", 4, {
        0: ("后厨使用管道天然气未安装可燃气体报警装置", "后厨灶台区使用管道天然气，未安装可燃气体报警装置。"),
    }, (6,)),
    ("warehousing", "fire", 3, {
        3: ("仓库东侧安全出口被货物堵塞", "二号仓库东侧安全出口前堆放托盘货物，出口无法正常开启。"),
    }, (8,)),
    ("retail", "fire", 2, {}, (8, 12)),
]  # fmt: skip
FINDINGS_MADE = sum(len(failed) for _, _, _, failed, _ in VISITS)


def reserved_findings(findings: int) -> int:
    """How many of the demo's findings the inspections make (the stories make the rest)."""
    return FINDINGS_MADE if findings >= MIN_FINDINGS else 0


def seed_field_work(session: Session, cast, enterprises: list[Enterprise], real_now: datetime, storage, *,
                    visits: bool) -> None:  # fmt: skip
    supervisor, inspector = cast.supervisors[0], cast.inspectors[DISTRICT]
    since = real_now - timedelta(days=30)
    second = create_user(session, username=INSPECTOR2[0], password="closeloop-demo", role="inspector",
                         display_name=INSPECTOR2[1], area_code=DISTRICT, now=since,
                         hash_method=_hash_method())  # fmt: skip
    checklists = _checklists(session, supervisor, since)
    today = local_today(real_now)
    campaign_id = uuid.uuid5(NAMESPACE, "campaign")
    campaign = {"id": campaign_id, "name": CAMPAIGN, "starts_on": today - timedelta(days=20),
                "ends_on": today + timedelta(days=40), "areas": [DISTRICT], "sectors": [],
                "checklist_ids": [c["id"] for c in checklists.values()]}  # fmt: skip
    create_campaign(session, actor_for(supervisor), campaign, now=since + timedelta(days=9))
    if not visits:
        return
    ours = [e for e in enterprises if f"/{DISTRICT}/" in e.area_path]
    for n, (sector, key, days_ago, failed, na) in enumerate(VISITS):
        enterprise = next(e for e in ours if e.sector == sector)
        moment = datetime.combine(today - timedelta(days=days_ago), time(10, 30), SHANGHAI)
        _visit(session, storage, (inspector, second), enterprise, checklists[key], campaign_id, moment, n, failed, na)


def _hash_method() -> str:
    return current_app.config["PASSWORD_HASH_METHOD"] if has_app_context() else "scrypt"


def _checklists(session: Session, supervisor: User, now: datetime) -> dict[str, dict]:
    made = {}
    for key, name, sectors, items in CHECKLISTS:
        checklist_id = uuid.uuid5(NAMESPACE, f"checklist-{key}")
        rows = [
            {"id": derived_item_id(checklist_id, item[0]), "content": item[0], "basis": item[1], "method": item[2],
             "category": item[3], "major_criterion": item[4] if len(item) > 4 else None,
             "major_clause": item[5] if len(item) > 4 else None}
            for item in items
        ]  # fmt: skip
        body = {"id": checklist_id, "name": name, "sectors": sectors, "items": rows}
        create_checklist(session, actor_for(supervisor), body, now=now)
        made[key] = body
    return made


def _visit(session, storage, inspectors, enterprise, checklist, campaign_id, moment, n, failed, na) -> None:
    inspector = inspectors[0]
    day = local_today(moment)
    results, photos = [], []
    for i, item in enumerate(checklist["items"]):
        result = {"item_id": item["id"], "result": "fail" if i in failed else "na" if i in na else "pass"}
        if i in failed:
            title, description = failed[i]
            major = item["major_criterion"] is not None
            photo_id = uuid.uuid5(NAMESPACE, f"visit-{n}-photo-{i}")
            finding = {"id": uuid.uuid5(NAMESPACE, f"visit-{n}-finding-{i}"), "title": title,
                       "description": description, "deadline": day + timedelta(days=30 if major else 15),
                       "photo_ids": [photo_id]}  # fmt: skip
            result.update(note=description, finding=finding)
            photos.append((finding["id"], photo_id))
        results.append(result)
    body = {
        "id": uuid.uuid5(NAMESPACE, f"visit-{n}"), "enterprise_id": enterprise.id, "checklist_id": checklist["id"],
        "campaign_id": campaign_id, "inspected_on": day, "enforcement": True,
        "inspectors": [{"username": u.username, "cert_no": CERT_NOS.get(u.username)} for u in inspectors],
        "results": results,
    }  # fmt: skip
    at = moment.astimezone(UTC)
    submit_inspection(session, actor_for(inspector), body, now=at)
    for k, (finding_id, photo_id) in enumerate(photos):
        data = picture("evidence", (n + k) % VARIANTS)
        store_photo(session, storage, actor_for(inspector), finding_id, photo_id, "evidence", data,
                    now=at + timedelta(minutes=5), process=process_photo)  # fmt: skip

"""Test data made on demand: every test builds what it needs, nothing is shared between tests."""

import io
import itertools
import uuid
from datetime import datetime, timedelta

from flask import current_app
from PIL import Image

from app.domain.calendar import local_today, utcnow
from app.domain.credit_code import make_credit_code
from app.imaging import process_photo
from app.models import Area, Enterprise, Finding, User
from app.services.accounts import create_user, issue_token
from app.services.actions import apply_action
from app.services.actors import actor_for
from app.services.findings import report_finding
from app.services.photos import store_photo

_counter = itertools.count(1)
NOW = utcnow().replace(microsecond=0)  # the API judges deadlines by the real clock, so the factories do too
TODAY = local_today(NOW)
PASSWORD = "correct horse battery"


def area(session, code: str, level: str, parent: Area | None = None, name: str | None = None) -> Area:
    path = f"{parent.path if parent else '/'}{code}/"
    node = Area(
        code=code, name=name or f"{level} {code}", level=level, parent_id=parent.id if parent else None, path=path
    )
    session.add(node)
    session.flush()
    return node


class World:
    """A small city: two districts, each with a street and a grid, one enterprise per grid."""

    def __init__(self, session):
        self.session = session
        self.city = area(session, "350200", "city")
        self.district = area(session, "350206", "district", self.city)
        self.street = area(session, "350206001", "street", self.district)
        self.grid = area(session, "35020600100101", "grid", self.street)
        self.other_district = area(session, "350203", "district", self.city)
        self.other_grid = area(session, "35020300100101", "grid", self.other_district)
        self.enterprise = enterprise(session, self.grid)
        self.other_enterprise = enterprise(session, self.grid)  # same grid, another company
        self.far_enterprise = enterprise(session, self.other_grid)  # another district

    def user(self, role: str, *, area: Area | None = None, enterprise: Enterprise | None = None) -> User:
        default_area = {"grid_worker": self.grid, "admin": None}.get(role, self.district)
        if role == "supervisor":
            default_area = self.city
        if role == "enterprise_officer":
            enterprise = enterprise or self.enterprise
            default_area = enterprise.area
        return user(self.session, role, area=area or default_area, enterprise=enterprise)


def enterprise(session, grid: Area, **overrides) -> Enterprise:
    n = next(_counter)
    division = grid.path.strip("/").split("/")[1] if grid.path.count("/") > 2 else grid.code[:6]
    body = f"MA{n:06d}".replace("0", "A")[:8]
    values = {
        "name": f"测试企业{n}有限公司",
        "credit_code": make_credit_code(division, body),
        "sector": "manufacturing",
        "address": f"厦门市测试路{n}号",
        "lat": 24.5 + n / 1000,
        "lng": 118.1 + n / 1000,
        "area_id": grid.id,
        "area_path": grid.path,
        "contact_name": "张三",
        "contact_phone": "13800000000",
    }
    company = Enterprise(**{**values, **overrides})
    session.add(company)
    session.flush()
    return company


def user(session, role: str, *, area: Area | None, enterprise: Enterprise | None = None) -> User:
    return create_user(
        session,
        username=f"{role}{next(_counter)}",
        password=PASSWORD,
        role=role,
        now=NOW,
        area_code=area.code if area else None,
        credit_code=enterprise.credit_code if enterprise else None,
        hash_method="scrypt:1024:8:1",
    )


def token_for(session, who: User) -> dict:
    return {"Authorization": f"Bearer {issue_token(session, who, now=NOW)}"}


def finding_data(enterprise: Enterprise | None = None, **overrides) -> dict:
    data = {
        "id": uuid.uuid4(),
        "category": "fire",
        "level": "general",
        "title": "消防通道被货物堵塞",
        "description": "二号仓库东侧消防通道堆放纸箱。",
        "observed_at": NOW - timedelta(minutes=5),
        "rectify_mode": "deadline",
        "deadline": TODAY + timedelta(days=7),
        "location": {"lat": 24.51, "lng": 118.12, "accuracy_m": 8.0, "source": "gps"},
    }
    if enterprise is not None:
        data["enterprise_id"] = enterprise.id
    return {**data, **overrides}


def major_data(enterprise: Enterprise, **overrides) -> dict:
    return finding_data(
        enterprise, level="major", major_basis={"criterion": "gongmao_2023", "clause": "第四条(一)"}, **overrides
    )


def jpeg(width: int = 48, height: int = 32) -> bytes:
    """A small real JPEG, different every time (so it is never deduplicated into another test's blob)."""
    n = next(_counter)
    out = io.BytesIO()
    Image.new("RGB", (width, height), (n * 37 % 256, n * 91 % 256, n * 13 % 256)).save(out, "JPEG", quality=90)
    return out.getvalue()


def upload(session, who: User, finding, kind: str, photo_id: uuid.UUID | None = None, now: datetime = NOW):
    """Store a photo through the real service and storage; returns its id."""
    photo_id = photo_id or uuid.uuid4()
    storage = current_app.extensions["storage"]
    store_photo(session, storage, actor_for(who), finding.id, photo_id, kind, jpeg(), now=now, process=process_photo)
    return photo_id


GRID_WORKER_LEAVES = ("deadline", "rectify_mode", "major_basis")  # the enforcer's terms, set at confirm


def report(session, reporter: User, data: dict, now: datetime = NOW):
    """Report a finding; a fix on the spot gets its declared after-photo (one is made if none is named).
    finding_data carries an inspector's terms; a grid worker's report goes without them, as the rules say
    (tests of the refusal send them through the API)."""
    if reporter.role == "grid_worker":
        data = {k: v for k, v in data.items() if k not in GRID_WORKER_LEAVES}
    fix = data.get("rectification")
    if fix is not None and "photo_ids" not in fix:
        data = {**data, "rectification": {**fix, "photo_ids": [uuid.uuid4()]}}
    finding_id, _ = report_finding(session, actor_for(reporter), data, now=now)
    finding = session.get(Finding, finding_id)
    for photo_id in (data.get("rectification") or {}).get("photo_ids", []):
        upload(session, reporter, finding, "rectification", photo_id, now)
    return finding


def act(session, who: User, finding, action: str, now: datetime = NOW, **payload):
    """Take an action; submit_rectification without photo_ids first uploads an after-photo, as a phone would."""
    if action == "submit_rectification" and "photo_ids" not in payload:
        payload["photo_ids"] = [upload(session, who, finding, "rectification", now=now)]
    data = {"id": uuid.uuid4(), "action": action, "version": finding.version, **payload}
    updated, _ = apply_action(session, actor_for(who), finding.id, data, now=now)
    return updated


PLAN = {
    "objective": "消除粉尘爆炸危险，恢复除尘系统防爆性能",
    "measures": "更换防爆电机",
    "responsible": "李四",
    "funds": "5万元",
    "time_limit": TODAY + timedelta(days=14),
    "contingency": "停产检修并设置警戒",
}

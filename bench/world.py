"""The database every benchmark of one run shares: migrated for real, then a small city seeded through the services.

A city (Xiamen, 350200) with four districts, two streets each, two grids per street and five enterprises per
grid; one inspector per district, a supervisor for the whole city, and a bearer token for each.
"""

import contextvars
import logging
import os
from dataclasses import dataclass, field
from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, func, inspect, select, text

from app.domain.calendar import local_today, utcnow
from app.domain.credit_code import make_credit_code
from app.models import Area, Category, Enterprise, MajorCriterion
from app.services.accounts import create_user, issue_token

DISTRICTS = [("350203", "思明区"), ("350206", "湖里区"), ("350211", "集美区"), ("350205", "海沧区")]
STREETS_PER_DISTRICT = 2
GRIDS_PER_STREET = 2
ENTERPRISES_PER_GRID = 5
ENTERPRISES_PER_DISTRICT = STREETS_PER_DISTRICT * GRIDS_PER_STREET * ENTERPRISES_PER_GRID
FAST_HASH = "scrypt:1024:8:1"  # login is not benchmarked; the default is slow on purpose
PASSWORD = "benchmark password"

# Production settings, except the secret (so create_app writes nothing into instance/).
BASE_SETTINGS = {"SECRET_KEY": "benchmark-only-secret"}


class IsolatedClient(FlaskClient):
    """Every request in its own app context, `g` and session, as under a real server (tests do the same)."""

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)


@dataclass
class World:
    url: str
    app: Flask  # the real application, bound to this database
    dialect: str
    first_enterprise_id: int
    enterprises: int
    inspector_ids: list[int]  # one per district, in DISTRICTS order
    category_ids: list[int]
    criterion_id: int
    inspector_token: str  # the inspector of 350206 (湖里区)
    supervisor_token: str  # whole city
    report_enterprise_id: int  # an enterprise in 350206, for the create benchmark
    rows: int = 0  # bulk findings loaded so far
    notes: list[str] = field(default_factory=list)

    def client(self) -> FlaskClient:
        self.app.test_client_class = IsolatedClient
        return self.app.test_client()

    @property
    def engine_options(self) -> dict:
        return dict(self.app.config["SQLALCHEMY_ENGINE_OPTIONS"])


def make_app(url: str) -> Flask:
    os.environ.setdefault("SECRET_KEY", BASE_SETTINGS["SECRET_KEY"])
    from app import create_app

    return create_app({**BASE_SETTINGS, "SQLALCHEMY_DATABASE_URI": url})


def build_world(url: str, *, reset: bool = False) -> World:
    """Migrate an empty database to head with the real migrations, then seed the city.

    A PostgreSQL database must be empty, or `reset` drops its schema public first (like the tests do)."""
    from flask_migrate import upgrade

    from app.extensions import db

    if url.startswith("postgresql"):
        _require_empty(url, reset)
    app = make_app(url)
    with app.app_context():
        logging.disable(logging.INFO)  # alembic's per-revision chatter
        try:
            upgrade()
        finally:
            logging.disable(logging.NOTSET)
        world = _seed(db.session, app, url)
        db.session.commit()
        db.session.remove()
    return world


def _require_empty(url: str, reset: bool) -> None:
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            if reset:
                conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            elif inspect(conn).get_table_names():
                raise SystemExit(f"{url.split('@')[-1]} is not empty: use a fresh one, or pass --pg-reset")
    finally:
        engine.dispose()


def _area(session, code, name, level, parent=None) -> Area:
    node = Area(
        code=code,
        name=name,
        level=level,
        parent_id=parent.id if parent else None,
        path=f"{parent.path if parent else '/'}{code}/",
    )
    session.add(node)
    session.flush()
    return node


def _seed(session, app: Flask, url: str) -> World:
    now = utcnow()
    city = _area(session, "350200", "厦门市", "city")
    enterprise_ids, inspectors, report_enterprise = [], [], None
    for d, (code, name) in enumerate(DISTRICTS):
        district = _area(session, code, name, "district", city)
        for s in range(1, STREETS_PER_DISTRICT + 1):
            street = _area(session, f"{code}{s:03d}", f"{name}第{s}街道", "street", district)
            for g in range(1, GRIDS_PER_STREET + 1):
                grid = _area(session, f"{street.code}{g:02d}101", f"{street.name}第{g}网格", "grid", street)
                for e in range(ENTERPRISES_PER_GRID):
                    n = len(enterprise_ids) + 1
                    company = Enterprise(
                        name=f"厦门测速{n:03d}制造有限公司",
                        credit_code=make_credit_code(code, f"MA{n:06d}"[:8]),
                        sector=("manufacturing", "warehousing", "chemicals", "retail")[(n + e) % 4],
                        address=f"厦门市{name}{street.name}测速路{n}号",
                        lat=24.45 + d * 0.05 + n / 10_000,
                        lng=118.05 + d * 0.05 + n / 10_000,
                        area_id=grid.id,
                        area_path=grid.path,
                        contact_name="王安全",
                        contact_phone="13900000000",
                    )
                    session.add(company)
                    session.flush()
                    enterprise_ids.append(company.id)
                    report_enterprise = report_enterprise or (company.id if code == "350206" else None)
        inspectors.append(_user(session, f"inspector_{code}", "inspector", code, now))
    assert enterprise_ids == list(range(enterprise_ids[0], enterprise_ids[0] + len(enterprise_ids)))
    assert [u.id for u in inspectors] == list(range(inspectors[0].id, inspectors[0].id + len(inspectors)))
    supervisor = _user(session, "supervisor_city", "supervisor", city.code, now)
    category_ids = list(session.scalars(select(Category.id).where(Category.active).order_by(Category.id)))
    assert category_ids == list(range(category_ids[0], category_ids[0] + len(category_ids)))
    criterion_id = session.scalar(select(func.min(MajorCriterion.id)))
    huli = inspectors[1]
    return World(
        url=url,
        app=app,
        dialect=session.get_bind().dialect.name,
        first_enterprise_id=enterprise_ids[0],
        enterprises=len(enterprise_ids),
        inspector_ids=[u.id for u in inspectors],
        category_ids=category_ids,
        criterion_id=criterion_id,
        inspector_token=issue_token(session, huli, now=now),
        supervisor_token=issue_token(session, supervisor, now=now),
        report_enterprise_id=report_enterprise,
    )


def _user(session, username, role, area_code, now):
    return create_user(
        session,
        username=username,
        password=PASSWORD,
        role=role,
        now=now,
        area_code=area_code,
        display_name=username,
        hash_method=FAST_HASH,
    )


def finding_body(world: World) -> dict:
    """What an inspector's phone sends when reporting a finding at an enterprise (a realistic create)."""
    now = utcnow()
    return {
        "enterprise_id": world.report_enterprise_id,
        "category": "fire",
        "level": "general",
        "nature": "unsafe_condition",
        "title": "二号仓库东侧消防通道被货物堵塞",
        "description": "二号仓库东侧消防通道堆放纸箱约二十件，宽度不足一米，疏散指示标志被遮挡。",
        "location": {"lat": 24.5101, "lng": 118.1203, "accuracy_m": 8.0, "source": "gps"},
        "address": "厦门市湖里区测速路12号二号仓库",
        "observed_at": (now - timedelta(minutes=5)).isoformat(),
        "rectify_mode": "deadline",
        "deadline": (local_today(now) + timedelta(days=7)).isoformat(),
    }

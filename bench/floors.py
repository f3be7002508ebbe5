"""The floors: the least a Flask + SQLAlchemy app could do for the same request, on the same database.

Each floor is a bare Flask app with its own engine, made like the real one (same URL, same engine options,
and app.database.configure_engine, so SQLite gets WAL, synchronous=NORMAL, foreign_keys=ON and BEGIN
IMMEDIATE for writing requests). No auth, no schemas, no ORM objects: Core statements and dicts.
"""

import hashlib
import uuid
from datetime import UTC, date, datetime

from flask import Flask, jsonify, request
from sqlalchemy import bindparam, create_engine, insert, select, text, tuple_

from app.database import configure_engine
from app.models import Area, Category, Enterprise, Finding, FindingEvent, User
from bench.world import IsolatedClient, World

FINDINGS = Finding.__table__
EVENTS = FindingEvent.__table__

FAIR_CREATE_FLOOR = (
    "bare Flask route: request.get_json(), then in one transaction the create's three writes: the district's "
    "counter upsert RETURNING the number, the finding's INSERT ... ON CONFLICT (id) DO NOTHING RETURNING id (every "
    "NOT NULL column, values from the body, constants looked up once at start-up), the report event's INSERT "
    "(its payload the body); commit, 201 jsonify of the flat row with its number. Each statement a text() built "
    "once with typed bind parameters (SQLAlchemy's ON CONFLICT constructs carry no cache key and would compile "
    "anew on every call)"
)
CREATE_FLOOR = (
    "bare Flask route: request.get_json(), one Core INSERT of every NOT NULL column (values from the body, "
    "constants looked up once at start-up), commit, 201 jsonify of the row"
)
LIST_FLOOR = (
    "bare Flask route: one Core SELECT findings JOIN categories, areas, users LEFT JOIN enterprises WHERE "
    "(received_at, id) < cursor ORDER BY received_at DESC, id DESC LIMIT 51, rows to dicts, jsonify"
)


def _engine(world: World):
    engine = create_engine(world.url, **world.engine_options)
    configure_engine(engine)
    return engine


def _client(app: Flask):
    app.test_client_class = IsolatedClient
    return app.test_client()


def create_constants(world: World, engine) -> dict:
    """What a create needs that is not in the body, looked up once: the enterprise's area and the categories."""
    with engine.connect() as conn:
        company = conn.execute(
            select(Enterprise.id, Enterprise.area_id, Enterprise.area_path).where(
                Enterprise.id == world.report_enterprise_id
            )
        ).one()
        categories = dict(conn.execute(select(Category.code, Category.id)).all())
    return {"company": company, "categories": categories, "reporter_id": world.inspector_ids[1]}


def finding_row(body: dict, request_hash: str, constants: dict, now: datetime) -> dict:
    """Every NOT NULL column of the finding, from a body whose id, observed_at and deadline are already typed."""
    company, location = constants["company"], body.get("location") or {}
    return {
        "id": body["id"],
        "request_hash": request_hash,
        "enterprise_id": company.id,
        "area_id": company.area_id,
        "area_path": company.area_path,
        "category_id": constants["categories"][body["category"]],
        "level": body["level"],
        "nature": body.get("nature"),
        "title": body["title"],
        "description": body.get("description", ""),
        "lat": location.get("lat"),
        "lng": location.get("lng"),
        "accuracy_m": location.get("accuracy_m"),
        "location_source": location.get("source"),
        "address": body.get("address", ""),
        "observed_at": body["observed_at"],
        "received_at": now,
        "updated_at": now,
        "reporter_id": constants["reporter_id"],
        "rectify_mode": body["rectify_mode"],
        "deadline": body["deadline"],
        "status": "rectifying",
        "version": 1,
        "events_count": 1,
        "extension_pending": False,
        "plan_complete": False,
    }


def create_floor(world: World):
    """POST /findings: parse the JSON body, insert one row, commit, answer 201 with the row."""
    engine = _engine(world)
    constants = create_constants(world, engine)
    app = Flask("create_floor")

    @app.post("/findings")
    def create():
        body = request.get_json()
        typed = {
            **body,
            "id": uuid.UUID(body["id"]),
            "observed_at": datetime.fromisoformat(body["observed_at"]),
            "deadline": date.fromisoformat(body["deadline"]),
        }
        row = finding_row(typed, hashlib.sha256(request.get_data()).hexdigest(), constants, datetime.now(UTC))
        with engine.begin() as conn:
            conn.execute(insert(FINDINGS), row)
        return jsonify({k: _jsonable(v) for k, v in row.items()}), 201

    return _client(app), engine


def _typed_insert(table, columns: list[str], suffix: str):
    """INSERT INTO table (columns) VALUES (:columns) <suffix> as a text() built once, each parameter bound with
    its column's type (uuids, UTC times and JSON processed as the ORM would)."""
    names = ", ".join(columns)
    values = ", ".join(f":{c}" for c in columns)
    statement = text(f"INSERT INTO {table.name} ({names}) VALUES ({values}) {suffix}")
    return statement.bindparams(*(bindparam(c, type_=table.c[c].type) for c in columns))


_COUNTER = text(
    "INSERT INTO finding_counters (district_code, year, last) VALUES (:district, :year, 1) "
    "ON CONFLICT (district_code, year) DO UPDATE SET last = finding_counters.last + 1 RETURNING last"
)


def fair_create_floor(world: World):
    """POST /findings: the create's three writes (number, finding, report event) in one transaction, a flat row
    back. What any create must do on this schema, however it is written."""
    engine = _engine(world)
    constants = create_constants(world, engine)
    district = [p for p in constants["company"].area_path.split("/") if p][1]
    probe = finding_row(_probe_body(), "", constants, datetime.now(UTC))
    insert_finding = _typed_insert(FINDINGS, [*probe, "number"], "ON CONFLICT (id) DO NOTHING RETURNING id")
    event_columns = ["id", "finding_id", "seq", "action", "actor_id", "role", "client_at", "received_at", "lat",
                     "lng", "accuracy_m", "from_state", "to_state", "version", "payload", "request_hash"]  # fmt: skip
    insert_event = _typed_insert(EVENTS, event_columns, "")
    app = Flask("fair_create_floor")

    @app.post("/findings")
    def create():
        body = request.get_json()
        observed_at = datetime.fromisoformat(body["observed_at"])
        typed = {**body, "id": uuid.UUID(body["id"]), "observed_at": observed_at,
                 "deadline": date.fromisoformat(body["deadline"])}  # fmt: skip
        now = datetime.now(UTC)
        row = finding_row(typed, hashlib.sha256(request.get_data()).hexdigest(), constants, now)
        location = body.get("location") or {}
        with engine.begin() as conn:
            last = conn.execute(_COUNTER, {"district": district, "year": observed_at.year}).scalar_one()
            row["number"] = f"YH-{district}-{observed_at.year}-{last:06d}"
            if conn.execute(insert_finding, row).scalar() is None:
                raise RuntimeError("the floor's ids are all new")
            conn.execute(insert_event, {
                "id": uuid.uuid5(row["id"], "report"), "finding_id": row["id"], "seq": 1, "action": "report",
                "actor_id": row["reporter_id"], "role": "inspector", "client_at": observed_at, "received_at": now,
                "lat": location.get("lat"), "lng": location.get("lng"), "accuracy_m": location.get("accuracy_m"),
                "from_state": None, "to_state": row["status"], "version": 1,
                "payload": {k: v for k, v in body.items() if k != "id"}, "request_hash": row["request_hash"],
            })  # fmt: skip
        return jsonify({k: _jsonable(v) for k, v in row.items()}), 201

    return _client(app), engine


def _probe_body() -> dict:
    """A body of the benchmark's shape, only to learn which columns finding_row fills."""
    return {"id": uuid.uuid4(), "category": "fire", "level": "general", "title": "", "observed_at": None,
            "rectify_mode": "deadline", "deadline": None}  # fmt: skip


def list_floor(world: World):
    """GET /findings?limit=&before=<received_at>,<id>: the same page by keyset, with the same joins."""
    engine = _engine(world)
    query = (
        select(
            FINDINGS,
            Category.code.label("category_code"),
            Category.name_zh.label("category_name_zh"),
            Category.name_en.label("category_name_en"),
            Enterprise.name.label("enterprise_name"),
            Enterprise.credit_code.label("enterprise_credit_code"),
            Enterprise.address.label("enterprise_address"),
            Area.code.label("area_code"),
            Area.name.label("area_name"),
            User.username.label("reporter_username"),
            User.display_name.label("reporter_display_name"),
            User.role.label("reporter_role"),
        )
        .join(Category, Category.id == FINDINGS.c.category_id)
        .join(Area, Area.id == FINDINGS.c.area_id)
        .join(User, User.id == FINDINGS.c.reporter_id)
        .outerjoin(Enterprise, Enterprise.id == FINDINGS.c.enterprise_id)
        .order_by(FINDINGS.c.received_at.desc(), FINDINGS.c.id.desc())
    )
    app = Flask("list_floor")

    @app.get("/findings")
    def page():
        limit = int(request.args.get("limit", 50))
        received_at, _, finding_id = request.args["before"].partition(",")
        position = tuple_(FINDINGS.c.received_at, FINDINGS.c.id) < tuple_(
            datetime.fromisoformat(received_at), uuid.UUID(finding_id)
        )
        with engine.connect() as conn:
            rows = conn.execute(query.where(position).limit(limit + 1)).mappings().all()
        items = [_item(r) for r in rows[:limit]]
        more = len(rows) > limit
        last = rows[limit - 1] if more else None
        cursor = f"{last['received_at'].isoformat()},{last['id']}" if last else None
        return jsonify({"items": items, "next_cursor": cursor})

    return _client(app), engine


def _item(r) -> dict:
    return {
        "id": str(r["id"]),
        "number": r["number"],
        "status": r["status"],
        "version": r["version"],
        "level": r["level"],
        "nature": r["nature"],
        "category": {"code": r["category_code"], "name_zh": r["category_name_zh"], "name_en": r["category_name_en"]},
        "enterprise": None
        if r["enterprise_id"] is None
        else {
            "id": r["enterprise_id"],
            "name": r["enterprise_name"],
            "credit_code": r["enterprise_credit_code"],
            "address": r["enterprise_address"],
        },
        "area": {"code": r["area_code"], "name": r["area_name"]},
        "title": r["title"],
        "description": r["description"],
        "location": None
        if r["lat"] is None
        else {"lat": r["lat"], "lng": r["lng"], "accuracy_m": r["accuracy_m"], "source": r["location_source"]},
        "address": r["address"],
        "observed_at": r["observed_at"].isoformat(),
        "received_at": r["received_at"].isoformat(),
        "updated_at": r["updated_at"].isoformat(),
        "reported_by": {
            "id": r["reporter_id"],
            "username": r["reporter_username"],
            "display_name": r["reporter_display_name"],
            "role": r["reporter_role"],
        },
        "rectify_mode": r["rectify_mode"],
        "deadline": _jsonable(r["deadline"]),
        "acknowledged_at": _jsonable(r["acknowledged_at"]),
        "closed_at": _jsonable(r["closed_at"]),
        "void_reason": r["void_reason"],
    }


def _jsonable(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value

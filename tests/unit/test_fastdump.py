"""The fast dump path gives exactly what marshmallow's own path gives for the same schema and data."""

import uuid
from datetime import UTC, date, datetime

import marshmallow as ma
import pytest

from app.api.fastdump import FastDumpSchema
from app.api.findings_schemas import EventList, FindingDetailSchema, FindingPage

NOW = datetime(2026, 6, 15, 2, 30, 12, 345678, tzinfo=UTC)


class Obj:
    def __init__(self, **kw):
        self.__dict__.update(kw)


def finding(**overrides) -> dict:
    body = {
        "id": uuid.uuid4(),
        "number": "YH-350206-2026-000001",
        "status": "rectifying",
        "version": 3,
        "level": "major",
        "nature": None,
        "category": {"code": "fire", "name_zh": "消防安全", "name_en": "Fire"},
        "enterprise": {"id": 4, "name": "厦门测试有限公司", "credit_code": "91350206MA2XK4L71K", "address": "某路1号"},
        "area": {"code": "35020600100101", "name": "第一网格"},
        "title": "消防通道堵塞",
        "description": "",
        "location": {"lat": 24.5, "lng": 118.1, "accuracy_m": 8.0, "source": "gps"},
        "address": "",
        "observed_at": NOW,
        "received_at": NOW,
        "updated_at": NOW,
        "reported_by": {"id": 1, "username": "u", "display_name": "张三", "role": "inspector"},
        "rectify_mode": "deadline",
        "deadline": date(2026, 7, 1),
        "major_basis": {"criterion": "fire_gb35181", "title": "t", "document_number": "GB", "clause": "5.2"},
        "overdue": False,
        "days_overdue": 0,
        "acknowledged": True,
        "acknowledged_at": NOW,
        "extension_pending": False,
        "plan_complete": True,
        "rectification": {"measures": "已清理", "completed_on": date(2026, 6, 20), "submitted_at": NOW},
        "review": {"comment": None, "on_site": True, "at": NOW},
        "closed_at": None,
        "void_reason": None,
        "allowed_actions": ["acknowledge", "comment"],
        "plan": Obj(
            measures="m", responsible="r", funds="f", time_limit=date(2026, 7, 1), contingency="c", submitted_at=NOW
        ),
        "extension_requests": [
            Obj(
                previous_deadline=None,
                requested_deadline=date(2026, 8, 1),
                reason="r",
                status="pending",
                requested_at=NOW,
                decided_at=None,
                decision_comment=None,
            )
        ],
    }
    return {**body, **overrides}


def reference_dump(schema, data, monkeypatch):
    with monkeypatch.context() as patch:
        patch.setattr(FastDumpSchema, "_serialize", ma.Schema._serialize)
        return schema.dump(data)


@pytest.mark.parametrize(
    "data",
    [
        finding(),
        finding(
            enterprise=None,
            location=None,
            major_basis=None,
            rectification=None,
            review=None,
            plan=None,
            extension_requests=[],
            deadline=None,
            acknowledged_at=None,
        ),
        finding(version=True, days_overdue="3"),  # wrong types take marshmallow's own path and its coercion
    ],
)
def test_detail_dump_matches_marshmallow(data, monkeypatch):
    schema = FindingDetailSchema()
    assert schema.dump(data) == reference_dump(schema, data, monkeypatch)


def test_page_and_history_dumps_match_marshmallow(monkeypatch):
    page = {"items": [finding(), finding(status="closed")], "next_cursor": "abc"}
    assert FindingPage().dump(page) == reference_dump(FindingPage(), page, monkeypatch)
    events = {
        "items": [
            Obj(
                id=uuid.uuid4(),
                seq=1,
                action="report",
                actor=Obj(id=1, username="u", display_name="d", role="inspector"),
                role="inspector",
                client_at=None,
                received_at=NOW,
                lat=None,
                lng=None,
                accuracy_m=None,
                from_state=None,
                to_state="reported",
                version=1,
                payload={"a": 1},
            )
        ]
    }
    assert EventList().dump(events) == reference_dump(EventList(), events, monkeypatch)

"""The statistics (issue 13): counts by area, category, sector, level, status or period, and the weekly trend,
with the list's own filters in the caller's scope. Thin: parse, call one read (app/read/stats.py), return."""

import marshmallow as ma
from flask_login import current_user, login_required
from marshmallow import validate

from app.api.fields import one_of
from app.api.list_filters import ListFilters, filters_from
from app.api.parsing import Blueprint
from app.domain.calendar import local_today, utcnow
from app.domain.periods import MAX_TREND_WEEKS
from app.extensions import db
from app.read.stats import GROUPINGS, statistics, trend
from app.services.actors import actor_for

blp = Blueprint("stats", __name__, url_prefix="/api/v1/stats", description="Statistics (统计): counts and 整改率")


class StatsQuery(ListFilters):
    group_by = one_of(
        list(GROUPINGS),
        required=True,
        metadata={"description": "district, street (areas by code), category, sector, level, status, month, quarter"},
    )


class TrendQuery(ListFilters):
    weeks = ma.fields.Integer(
        validate=validate.Range(1, MAX_TREND_WEEKS), load_default=12, metadata={"description": "1..104"}
    )


class Counts(ma.Schema):
    found = ma.fields.Integer(metadata={"description": "every finding the filters select"})
    open = ma.fields.Integer(metadata={"description": "未闭环: reported + rectifying + pending_review"})
    reported = ma.fields.Integer()
    rectifying = ma.fields.Integer()
    pending_review = ma.fields.Integer()
    closed = ma.fields.Integer()
    voided = ma.fields.Integer()
    overdue = ma.fields.Integer(metadata={"description": "逾期: rectifying past its deadline (Asia/Shanghai)"})
    major = ma.fields.Integer()
    listed = ma.fields.Integer(metadata={"description": "挂牌督办 now"})
    extension_pending = ma.fields.Integer()
    rectified_rate = ma.fields.Float(
        allow_none=True, metadata={"description": "整改率 = closed ÷ (found − voided), 4 places; null when 0 ÷ 0"}
    )


class Keyed(ma.Schema):
    key = ma.fields.String(
        allow_none=True,
        metadata={"description": "area code, category or sector code, level, status, 2026-03, 2026-Q1; "
                  "null for the row of findings above the area level or without an enterprise (listed last)"},
    )  # fmt: skip
    name = ma.fields.String(metadata={"description": "the area's, category's or sector's Chinese name"})


class StatsRow(Counts, Keyed):  # key and name first
    pass


class StatsAnswer(ma.Schema):
    rows = ma.fields.List(ma.fields.Nested(StatsRow), metadata={"description": "ordered by key; they add up to total"})
    total = ma.fields.Nested(Counts)


class Week(ma.Schema):
    week = ma.fields.String(metadata={"description": "its Monday (Asia/Shanghai), YYYY-MM-DD"})
    found = ma.fields.Integer(metadata={"description": "observed that week"})
    closed = ma.fields.Integer(metadata={"description": "closed (销号) that week, whenever observed"})


class TrendAnswer(ma.Schema):
    rows = ma.fields.List(ma.fields.Nested(Week), metadata={"description": "oldest first; the last is this week"})


@blp.route("")
@login_required
@blp.arguments(StatsQuery, location="query")
@blp.response(200, StatsAnswer)
def stats(query):
    """Counts of the findings you may see, by one breakdown, with the list's filters (from/to on observed_at)."""
    actor, today = actor_for(current_user), local_today(utcnow())
    return statistics(db.session, actor, filters_from(query), query["group_by"], today)


@blp.route("/trend")
@login_required
@blp.arguments(TrendQuery, location="query")
@blp.response(200, TrendAnswer)
def stats_trend(query):
    """Found and closed per week (Monday to Sunday, Asia/Shanghai) of the findings you may see, with the filters."""
    actor, today = actor_for(current_user), local_today(utcnow())
    return {"rows": trend(db.session, actor, filters_from(query), query["weeks"], today)}

"""The working-day calendar (admin): each year's 放假调休 notice as the deadline job reads it. A year the calendar
holds no notice for counts Monday to Friday, so the admin enters next year's notice when the State Council
publishes it (usually in November). Thin: parse, call one service, commit, dump."""

import marshmallow as ma

from app.api.admin_common import admin_blueprint, admin_required, current_admin
from app.api.fields import Text
from app.domain.calendar import utcnow
from app.extensions import db
from app.services.admin import holidays

blp = admin_blueprint("admin_holidays", "Working-day calendar (admin): 法定节假日 and 调休上班 days per year")
MAX_DAYS = 120  # a notice lists about 35 days off and 6 worked; a generous bound on a request body


class DayEntry(ma.Schema):
    day = ma.fields.Date(required=True, metadata={"description": "YYYY-MM-DD"})
    name = Text(max_length=40, load_default="", metadata={"description": "the holiday, e.g. 春节"})


def _days(description: str):
    return ma.fields.List(
        ma.fields.Nested(DayEntry),
        required=True,
        validate=ma.validate.Length(max=MAX_DAYS),
        metadata={"description": description},
    )


class Notice(ma.Schema):
    source = Text(
        required=True,
        min_length=1,
        max_length=200,
        metadata={"description": "where it was taken from, e.g. 国务院办公厅关于2027年部分节假日安排的通知"},
    )
    rest_days = _days("放假: every day off, weekend days inside a holiday included")
    workdays = _days("调休上班: the Saturdays and Sundays that are worked")


class StoredNotice(Notice):
    year = ma.fields.Integer()
    updated_at = ma.fields.DateTime()


class NoticeList(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(StoredNotice))


@blp.route("/admin/holidays")
@admin_required
@blp.response(200, NoticeList)
def list_notices():
    """Every year whose notice is loaded, oldest first."""
    return {"items": holidays.years(db.session)}


@blp.route("/admin/holidays/<int:year>")
@admin_required
@blp.response(200, StoredNotice)
def get_notice(year):
    """One year's notice; 404 when none is loaded (that year counts Monday to Friday)."""
    return holidays.notice(db.session, year)


@blp.route("/admin/holidays/<int:year>", methods=["PUT"])
@admin_required
@blp.arguments(Notice)
@blp.response(200, StoredNotice)
def put_notice(data, year):
    """Enter or replace a year's notice whole. 422 with `fields` for a day outside the year, a day listed twice
    or both off and worked, a worked day that is not a weekend day, or no day off at all."""
    stored = holidays.replace_notice(db.session, current_admin(), year, data, now=utcnow())
    db.session.commit()
    return stored


@blp.route("/admin/holidays/<int:year>", methods=["DELETE"])
@admin_required
@blp.response(204)
def delete_notice(year):
    """Remove a year's notice (that year then counts Monday to Friday)."""
    holidays.remove_notice(db.session, current_admin(), year, now=utcnow())
    db.session.commit()

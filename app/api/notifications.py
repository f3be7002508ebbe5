"""The in-app channel (issue 12): the caller's own notifications and marking them read. Thin: parse, call one
service, dump."""

import marshmallow as ma
from flask_login import current_user, login_required

from app.api.fields import cursor_field
from app.api.parsing import Blueprint
from app.domain.calendar import utcnow
from app.extensions import db
from app.services import notifications

blp = Blueprint("notifications", __name__, url_prefix="/api/v1", description="Your notifications (in the app)")


class NotificationSchema(ma.Schema):
    id = ma.fields.Integer()
    kind = ma.fields.String(metadata={"description": "reminder, overdue, escalation, triage"})
    finding_id = ma.fields.UUID()
    title = ma.fields.String()
    body = ma.fields.String()
    created_at = ma.fields.AwareDateTime(metadata={"description": "when, UTC"})
    read_at = ma.fields.AwareDateTime(allow_none=True, metadata={"description": "null: unread"})


class NotificationPage(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(NotificationSchema))
    next_cursor = ma.fields.String(allow_none=True, metadata={"description": "null on the last page"})


class InboxQuery(ma.Schema):
    limit = ma.fields.Integer(validate=ma.validate.Range(1, 200), load_default=50)
    cursor = cursor_field()
    unread = ma.fields.Boolean(load_default=False, metadata={"description": "true: only the unread ones"})


class ReadRequest(ma.Schema):
    ids = ma.fields.List(ma.fields.Integer(strict=True), validate=ma.validate.Length(1, 500))
    all = ma.fields.Boolean(metadata={"description": "true: every notification of yours"})

    @ma.validates_schema
    def _one_of(self, data, **_kwargs):
        if ("ids" in data) == (data.get("all") is True):
            raise ma.ValidationError('Send either "ids" or "all": true.', "_schema")


class ReadResult(ma.Schema):
    marked = ma.fields.Integer(metadata={"description": "how many were unread and are now read"})
    unread = ma.fields.Integer(metadata={"description": "how many of yours are still unread"})


@blp.route("/notifications")
@login_required
@blp.arguments(InboxQuery, location="query")
@blp.response(200, NotificationPage)
def list_notifications(query):
    """Your notifications, newest first (keyset paged: pass next_cursor back as cursor); nobody sees another's."""
    items, cursor = notifications.inbox(
        db.session, current_user.id, unread=query["unread"], cursor=query.get("cursor"), limit=query["limit"]
    )
    return {"items": items, "next_cursor": cursor}


@blp.route("/notifications/read", methods=["POST"])
@login_required
@blp.arguments(ReadRequest)
@blp.response(200, ReadResult)
def mark_read(body):
    """Mark notifications of yours read: `{"ids": [...]}` or `{"all": true}`. Ids that are not yours, or already
    read, change nothing."""
    marked = notifications.mark_read(db.session, current_user.id, now=utcnow(), ids=body.get("ids"))
    unread = notifications.unread_count(db.session, current_user.id)
    db.session.commit()
    return {"marked": marked, "unread": unread}

"""The delivery queue, for admins: what was sent, what waits for a retry, what failed and why; a failed one can be
queued again. Thin: parse, call one service, dump."""

import marshmallow as ma

from app.api.admin_common import Page, admin_blueprint, admin_required
from app.api.fields import one_of
from app.domain.calendar import utcnow
from app.extensions import db
from app.services import deliveries

blp = admin_blueprint("admin_deliveries", "Deliveries (admin): email and group-robot messages and their failures")


class DeliverySchema(ma.Schema):
    id = ma.fields.Integer()
    notification_id = ma.fields.Integer()
    finding_id = ma.fields.UUID()
    title = ma.fields.String(metadata={"description": "the notification's title"})
    recipient = ma.fields.String(metadata={"description": "the recipient's username"})
    channel = ma.fields.String(metadata={"description": "email, webhook"})
    status = ma.fields.String(metadata={"description": "queued (waiting or between attempts), sent, failed"})
    attempts = ma.fields.Integer()
    last_error = ma.fields.String(allow_none=True, metadata={"description": "why the last attempt failed"})
    next_attempt_at = ma.fields.AwareDateTime(metadata={"description": "when a queued one is tried next, UTC"})
    sent_at = ma.fields.AwareDateTime(allow_none=True)
    created_at = ma.fields.AwareDateTime()


class DeliveryPage(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(DeliverySchema))
    next_cursor = ma.fields.String(allow_none=True, metadata={"description": "null on the last page"})


class DeliveryQuery(Page):
    status = one_of(deliveries.STATUSES)


@blp.route("/admin/deliveries")
@admin_required
@blp.arguments(DeliveryQuery, location="query")
@blp.response(200, DeliveryPage)
def list_deliveries(query):
    """Deliveries, newest first (keyset paged: pass next_cursor back as cursor), of one status if asked."""
    items, cursor = deliveries.list_deliveries(
        db.session, status=query.get("status"), cursor=query.get("cursor"), limit=query["limit"]
    )
    return {"items": items, "next_cursor": cursor}


@blp.route("/admin/deliveries/<int:delivery_id>/retry", methods=["POST"])
@admin_required
@blp.response(200, DeliverySchema)
def retry_delivery(delivery_id):
    """Queue a failed delivery again, due now, its attempts counted afresh (409 for one that is not failed)."""
    row = deliveries.retry_delivery(db.session, delivery_id, utcnow())
    db.session.commit()
    return row

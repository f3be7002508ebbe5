"""Sync: what changed in your scope since your cursor, for the PWA's offline read cache. Thin: parse, call
one service, dump. It only reads, so it commits nothing."""

import marshmallow as ma
from flask_login import current_user, login_required
from marshmallow import validate

from app.api.fastdump import FastDumpSchema
from app.api.fields import cursor_field
from app.api.findings_schemas import FindingSchema
from app.api.parsing import Blueprint
from app.domain.calendar import local_today, utcnow
from app.extensions import db
from app.read.presenting import present
from app.read.sync import changes_since
from app.services.actors import actor_for
from app.services.reference_cache import reference_lists

blp = Blueprint("sync", __name__, url_prefix="/api/v1", description="Sync for the offline read cache")


class SyncQuery(ma.Schema):
    cursor = cursor_field(metadata={"description": "next_cursor of the previous answer; leave it out the first time"})
    limit = ma.fields.Integer(validate=validate.Range(1, 500), load_default=200)


class SyncPageSchema(FastDumpSchema):
    findings = ma.fields.List(
        ma.fields.Nested(FindingSchema),
        metadata={"description": "changed findings, oldest change first; upsert them by id"},
    )
    next_cursor = ma.fields.String(metadata={"description": "never null: keep it and send it next time"})
    more = ma.fields.Boolean(metadata={"description": "true: ask again at once with next_cursor"})


@blp.route("/sync")
@login_required
@blp.arguments(SyncQuery, location="query")
@blp.response(200, SyncPageSchema)
@blp.alt_response(400, description="invalid_cursor: drop the stored cursor and sync from the start")
def sync(query):
    """The findings you may see that changed since the cursor, oldest change first, a keyset page at a time.

    Loop while `more` is true. Changes of the last few seconds come again on the next sync (a slower write may
    still be committing behind them), so upsert by id, keeping the copy with the later `updated_at`."""
    actor, now = actor_for(current_user), utcnow()
    page = changes_since(db.session, actor, cursor=query.get("cursor"), limit=query["limit"], now=now)
    today, refs = local_today(now), reference_lists(db.session)
    return {
        "findings": [present(row, actor, today, refs) for row in page.rows],
        "next_cursor": page.next_cursor,
        "more": page.more,
    }

"""The administrative audit, for admins: every change to users, areas, enterprises, categories and criteria,
newest first. Thin: parse, call one service, dump."""

import marshmallow as ma

from app.api.admin_common import Page, admin_blueprint, admin_required
from app.api.fields import Text, one_of
from app.extensions import db
from app.services.admin import audit

blp = admin_blueprint("admin_audit", "Audit (admin): who changed what, when, from what to what")


class ActorBrief(ma.Schema):
    id = ma.fields.Integer()
    username = ma.fields.String()
    display_name = ma.fields.String()


class ChangeSchema(ma.Schema):
    id = ma.fields.Integer()
    at = ma.fields.AwareDateTime(metadata={"description": "when, UTC"})
    actor = ma.fields.Nested(ActorBrief, allow_none=True, metadata={"description": "null: an operator's command"})
    entity = ma.fields.String(metadata={"description": ", ".join(audit.ENTITIES)})
    key = ma.fields.String(metadata={"description": "username, area code, credit code, category or criterion code"})
    action = ma.fields.String(metadata={"description": "create, update, deactivate, activate, import, "
                              "reset_password, ..."})  # fmt: skip
    before = ma.fields.Dict(allow_none=True, metadata={"description": "the changed fields as they were (null: new)"})
    after = ma.fields.Dict(allow_none=True, metadata={"description": "the changed fields as they became"})


class ChangePage(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(ChangeSchema))
    next_cursor = ma.fields.String(allow_none=True, metadata={"description": "null on the last page"})


class AuditQuery(Page):
    entity = one_of(audit.ENTITIES)
    actor = Text(max_length=50, metadata={"description": "a username, or - for the operators' command line"})
    key = Text(max_length=64, metadata={"description": "one entity's changes: its username, code or credit code"})


@blp.route("/admin/audit")
@admin_required
@blp.arguments(AuditQuery, location="query")
@blp.response(200, ChangePage)
def list_changes(query):
    """Administrative changes, newest first (keyset paged: pass next_cursor back as cursor)."""
    items, cursor = audit.changes(
        db.session,
        entity=query.get("entity"),
        actor=query.get("actor"),
        key=query.get("key"),
        cursor=query.get("cursor"),
        limit=query["limit"],
    )
    return {"items": items, "next_cursor": cursor}

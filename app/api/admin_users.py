"""Users, for admins: list, create, edit, reset a password, deactivate; import from XLSX. Thin: parse, call one
service, commit, dump."""

import marshmallow as ma
from flask import current_app
from flask.views import MethodView

from app.api.admin_common import (
    Page,
    admin_blueprint,
    admin_required,
    current_admin,
    dry_run,
    end_reading,
    import_route,
    upload_bytes,
)
from app.api.fields import Text, id_field, one_of
from app.api.reference import AreaBrief
from app.domain.accounts import ROLE_NAMES_ZH
from app.domain.calendar import utcnow
from app.domain.terms import PERSON_ROLES
from app.extensions import db
from app.read import cursors
from app.services.admin import users
from app.services.admin.user_import import import_users

blp = admin_blueprint("admin_users", "Users (admin): accounts, roles, home areas, password resets, imports")
ROLES = [r.value for r in PERSON_ROLES]
ROLE_DOC = "; ".join(f"{code} {zh}" for code, zh in ROLE_NAMES_ZH.items())


class EnterpriseBrief(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    credit_code = ma.fields.String()


class UserAdminSchema(ma.Schema):
    id = ma.fields.Integer()
    username = ma.fields.String()
    display_name = ma.fields.String()
    role = ma.fields.String(metadata={"description": ROLE_DOC})
    area = ma.fields.Nested(AreaBrief, allow_none=True, metadata={"description": "home area; null for an admin"})
    enterprise = ma.fields.Nested(EnterpriseBrief, allow_none=True, metadata={"description": "officers only"})
    active = ma.fields.Boolean()
    must_change_password = ma.fields.Boolean(metadata={"description": "true after an admin set the password"})
    created_at = ma.fields.AwareDateTime()
    password_changed_at = ma.fields.AwareDateTime(allow_none=True)


class UserPage(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(UserAdminSchema))
    next_cursor = ma.fields.String(allow_none=True, metadata={"description": "null on the last page"})


class UserQuery(Page):
    role = one_of(ROLES)
    area = Text(max_length=20, metadata={"description": "an area code: users whose home area lies in its subtree"})
    enterprise_id = id_field(in_query=True)
    active = ma.fields.Boolean()
    q = Text(max_length=100, metadata={"description": "part of the username or the display name"})


class UserCreate(ma.Schema):
    username = Text(required=True, max_length=50, metadata={"description": "2-50 of A-Z a-z 0-9 . _ - @"})
    password = Text(required=True, max_length=200, metadata={"description": "10+ characters, not the username, "
                    "not a common one"})  # fmt: skip
    role = one_of(ROLES, required=True, metadata={"description": ROLE_DOC})
    area = Text(max_length=20, allow_none=True, metadata={"description": "home area code; every role but admin; "
                "an officer's defaults to the enterprise's area"})  # fmt: skip
    enterprise_id = id_field(allow_none=True, metadata={"description": "enterprise officers only (required)"})
    display_name = Text(max_length=100, metadata={"description": "default: the username"})
    must_change_password = ma.fields.Boolean(load_default=True, metadata={"description": "default true: the "
                                             "password is for the first sign-in only"})  # fmt: skip


class UserPatch(ma.Schema):
    active = ma.fields.Boolean(metadata={"description": "false: deactivate; every session and token ends at once"})
    role = one_of(ROLES, metadata={"description": ROLE_DOC})
    area = Text(max_length=20, allow_none=True, metadata={"description": "home area code (null: admins only)"})
    enterprise_id = id_field(allow_none=True, metadata={"description": "an officer's enterprise; a user whose role "
                             "changes away from enterprise_officer leaves it"})  # fmt: skip
    password = Text(max_length=200, metadata={"description": "reset: the user must change it at the next sign-in; "
                    "their sessions and tokens end"})  # fmt: skip
    display_name = Text(max_length=100)


USERS_CURSOR = ("users", ("int",))  # the last id of the page, by id


def _cursor(query: dict) -> int | None:
    raw = query.get("cursor")
    return cursors.decode(*USERS_CURSOR, raw)[0] if raw else None


@blp.route("/users")
class Users(MethodView):
    @admin_required
    @blp.arguments(UserQuery, location="query")
    @blp.response(200, UserPage)
    def get(self, query):
        """Users, by id, with filters."""
        filters = {k: query.get(k) for k in ("role", "area", "enterprise_id", "active", "q")}
        items, last = users.list_users(db.session, **filters, after_id=_cursor(query), limit=query["limit"])
        return {"items": items, "next_cursor": cursors.encode(*USERS_CURSOR, (last,)) if last else None}

    @admin_required
    @blp.arguments(UserCreate)
    @blp.response(201, UserAdminSchema)
    def post(self, data):
        """Create a user."""
        method = current_app.config["PASSWORD_HASH_METHOD"]
        user = users.create_account(db.session, current_admin(), data, now=utcnow(), hash_method=method)
        db.session.commit()
        return user


@blp.route("/users/<int:user_id>")
class OneUser(MethodView):
    @admin_required
    @blp.response(200, UserAdminSchema)
    def get(self, user_id):
        """One user."""
        return users.get_user(db.session, user_id)

    @admin_required
    @blp.arguments(UserPatch)
    @blp.response(200, UserAdminSchema)
    def patch(self, data, user_id):
        """Edit a user, reset their password, deactivate or activate them.

        Send only what changes. `password` resets it: the user must change it at the next sign-in, and their
        sessions and tokens end. `active: false` deactivates: every session and token ends at once. You cannot
        deactivate yourself or change your own role."""
        method = current_app.config["PASSWORD_HASH_METHOD"]
        user = users.update_account(db.session, current_admin(), user_id, data, now=utcnow(), hash_method=method)
        db.session.commit()
        return user


@import_route(blp, "/users/import")
def import_users_file(query, form):
    """Import users from an XLSX (or CSV), keyed by username, all or nothing.

    Headers 用户名, 姓名, 角色, 所在区划代码, 企业信用代码, 初始密码. New users get the initial password and must
    change it at the first sign-in; known users get the row's name, role, area and enterprise (their password
    stays). 角色 is a role code or 检查员/网格员/企业安全员/审核人/管理员. Any problem in any row is a 422 listing
    every one, and nothing is written."""
    data, method = upload_bytes(form), current_app.config["PASSWORD_HASH_METHOD"]
    end_reading()
    report = import_users(db.session, current_admin(), data, now=utcnow(), dry_run=dry_run(query), hash_method=method)
    db.session.commit()
    return report

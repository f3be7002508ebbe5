"""Your channels (issue 12): the email address and the channels you receive notifications through besides the app,
which is always on. Thin: parse, call one service, dump."""

import marshmallow as ma
from flask import current_app
from flask_login import current_user, login_required

from app.api.parsing import Blueprint
from app.extensions import db
from app.models import User
from app.notify import available_channels
from app.services import deliveries

blp = Blueprint("settings", __name__, url_prefix="/api/v1", description="Your notification channels")
AVAILABLE = "what this server can send: email if SMTP is set up, webhook if a group robot is (in-app is always on)"
EMAIL_MAX = 254  # RFC 5321's limit on a path, and users.email's length


class EmailOrBlank(ma.fields.String):
    """An address, or null / "" to have none."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        if not text:
            return None
        if len(text) > EMAIL_MAX:
            raise ma.ValidationError(f"At most {EMAIL_MAX} characters.")
        ma.validate.Email(error="Not a valid email address.")(text)
        return text


class SettingsSchema(ma.Schema):
    email = ma.fields.String(allow_none=True, metadata={"description": "null: none"})
    channels = ma.fields.List(ma.fields.String(), metadata={"description": "chosen besides in-app: email, webhook"})
    available_channels = ma.fields.List(ma.fields.String(), metadata={"description": AVAILABLE})


class SettingsUpdate(ma.Schema):
    email = EmailOrBlank(allow_none=True, metadata={"description": 'null or "": no address'})
    channels = ma.fields.List(
        ma.fields.String(validate=ma.validate.Length(max=20)),
        validate=ma.validate.Length(max=10),
        metadata={"description": "a subset of available_channels; email needs an address"},
    )


def _available() -> list[str]:
    return available_channels(current_app.config)


def _me() -> User:
    return db.session.get(User, current_user.id)


@blp.route("/me/settings")
@login_required
@blp.response(200, SettingsSchema)
def get_settings():
    """Your email address, the channels you chose, and the channels this server offers."""
    return deliveries.settings_of(_me(), _available())


@blp.route("/me/settings", methods=["PUT"])
@login_required
@blp.arguments(SettingsUpdate)
@blp.response(200, SettingsSchema)
def put_settings(body):
    """Set your email address and channels (a field left out stays as it is). 422 with `fields` for a bad
    address, an unknown or unavailable channel, or email chosen without an address; nothing is changed then."""
    result = deliveries.update_settings(db.session, _me(), _available(), **body)
    db.session.commit()
    return result

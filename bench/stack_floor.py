"""The create's second floor: the stack issue 2 requires, doing none of the domain's work.

The bare floor answers "what does one INSERT through Flask cost"; this one answers "what does that INSERT cost
once it goes through the pieces the issue asks for": a route on another instance of the real application
(`create_app`, the same settings, extensions and before-request hooks: JSON body check, CSRF, Flask-Limiter),
behind Flask-Login's bearer token loader, its body parsed by webargs into `FindingCreate`, the same one-row
INSERT as the bare floor on the session's connection, the session's commit, and an answer of the create's full
shape dumped through `FindingDetailSchema` (a finding presented once at start-up, with this request's id, title
and times). No idempotency read, no visibility check, no number, no event, no re-read.

The gap from the bare floor to this one is the framework's; the gap from this one to our create is the domain's.
"""

import hashlib
import json
import uuid
from datetime import UTC, datetime

from flask import request
from flask.views import MethodView
from flask_login import current_user, login_required
from sqlalchemy import insert

from app.api.auth import Principal
from app.api.findings_schemas import FindingCreate, FindingDetailSchema
from app.api.parsing import Blueprint
from app.domain.calendar import local_today, utcnow
from app.extensions import db
from app.models import Finding
from app.read.presenting import present_detail
from app.services.accounts import account_for_token
from app.services.actors import actor_for
from app.services.findings import report_finding
from bench.floors import create_constants, finding_row
from bench.world import IsolatedClient, World, finding_body, make_app

URL = "/api/v1/_stack_floor/findings"
STACK_FLOOR = (
    "the real app's stack with no domain work: a route on another create_app instance (same hooks, Flask-Limiter), "
    "Flask-Login's bearer loader, webargs + FindingCreate, the bare floor's one INSERT on the session's "
    "connection, session commit, FindingDetailSchema dump of an answer of the create's full shape"
)
_INSERT = insert(Finding.__table__)
ANSWERED_FROM_ROW = ("id", "title", "description", "observed_at", "received_at", "updated_at")


def _presented_finding(world: World) -> dict:
    """A finding reported and presented by the real services once: the shape (and cost) of a create's answer."""
    actor = actor_for(Principal.from_account(account_for_token(db.session, world.inspector_token)))
    body = json.dumps({"id": str(uuid.uuid4()), **finding_body(world)})
    now = utcnow()
    finding_id, _ = report_finding(db.session, actor, FindingCreate().loads(body), now=now)
    answer = present_detail(db.session, actor, finding_id, local_today(now))
    db.session.commit()
    return answer


def stack_floor_client(world: World):
    """A client of a second application instance, the floor's route registered before its first request."""
    app = make_app(world.url)
    with app.app_context():
        constants = create_constants(world, db.engine)
        answer = _presented_finding(world)
    blp = Blueprint("stack_floor", __name__, url_prefix=URL)

    @blp.route("")
    class Create(MethodView):
        decorators = [login_required]

        @blp.arguments(FindingCreate)
        @blp.response(201, FindingDetailSchema)
        def post(self, data):
            row = finding_row(data, hashlib.sha256(request.get_data()).hexdigest(), constants, datetime.now(UTC))
            row["reporter_id"] = current_user.id
            db.session.connection().execute(_INSERT, row)
            db.session.commit()
            return {**answer, **{key: row[key] for key in ANSWERED_FROM_ROW}}

    app.extensions["closeloop_api"].register_blueprint(blp)
    app.test_client_class = IsolatedClient
    return app.test_client()

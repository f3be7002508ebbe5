"""Findings: create, read, list, act, history. Thin: parse, call one service, commit, dump."""

import uuid
from functools import partial

from flask import request
from flask.views import MethodView
from flask_login import current_user, login_required

from app.api.create_body import CreateBodyParser, FindingCreate
from app.api.documents import document_press
from app.api.fields import path_uuid
from app.api.findings_schemas import (
    EventCreate,
    EventList,
    FindingDetailSchema,
    FindingPage,
)
from app.api.list_filters import ListQuery, filters_from
from app.api.parsing import Blueprint
from app.api.remembered import run_as_signed_in
from app.domain.calendar import local_today, utcnow
from app.extensions import db
from app.read.findings import list_findings
from app.read.presenting import person, present, present_detail
from app.services.actions import apply_action
from app.services.actors import actor_for
from app.services.create_fast import create_finding
from app.services.create_pg import autocommit_for_create
from app.services.created import Reporter
from app.services.history import history_of, present_history
from app.services.lookups import visible_finding
from app.services.prepared import in_transaction
from app.services.reference_cache import reference_lists

blp = Blueprint("findings", __name__, url_prefix="/api/v1/findings", description="Findings (隐患) and their history")
blp.ARGUMENTS_PARSER = CreateBodyParser()  # the create's body without webargs' general machinery; all else as before
CREATE = "findings.Findings"


def _create_request(postgres: bool):
    """Before any hook signs the create in: on PostgreSQL its connection is chosen (one autocommitted statement,
    services.create_pg; its remembered account, if any, comes in by api.remembered)."""

    def hook():
        if request.endpoint != CREATE or request.method != "POST":
            return
        if postgres:
            autocommit_for_create(db.session)

    return hook


@blp.record_once
def _first_of_the_hooks(state):
    with state.app.app_context():
        postgres = db.engine.dialect.name == "postgresql"
    state.app.before_request_funcs.setdefault(None, []).insert(0, _create_request(postgres))


def _finding_id(raw: str) -> uuid.UUID:
    return path_uuid(raw, "finding")


def _detail(actor, finding_id, now) -> dict:
    return present_detail(db.session, actor, finding_id, local_today(now))


@blp.route("")
class Findings(MethodView):
    decorators = [login_required]

    @blp.arguments(ListQuery, location="query")
    @blp.response(200, FindingPage)
    def get(self, query):
        """List the findings you may see, newest first, one keyset page at a time."""
        actor, now = actor_for(current_user), utcnow()
        filters = filters_from(query)
        today = local_today(now)
        page, next_cursor = list_findings(
            db.session,
            actor,
            filters,
            limit=query["limit"],
            cursor=query.get("cursor"),
            today=today,
            sort=query["sort"],
        )
        refs = reference_lists(db.session)
        return {"items": [present(row, actor, today, refs) for row in page], "next_cursor": next_cursor}

    @blp.arguments(FindingCreate)
    @blp.response(201, FindingDetailSchema)
    @blp.alt_response(200, schema=FindingDetailSchema, description="A retry of a create that already happened")
    def post(self, data):
        """Report a finding. Retrying with the same id and content is safe: 200 with the original."""
        now = utcnow()
        refused, done = run_as_signed_in(partial(_create, data, now))
        if refused is not None:
            return refused
        body, created = done
        if in_transaction(db.session):  # a fast create committed its own writes: nothing left to commit
            db.session.commit()
        return body, 201 if created else 200


def _create(data: dict, now, unverified):
    principal = current_user._get_current_object()  # one look through the proxy, not ten
    actor = actor_for(principal)
    return create_finding(db.session, actor, Reporter.of(principal), data, now=now, unverified=unverified,
                          engine=db.engine)  # fmt: skip


@blp.route("/<finding_id>")
@blp.response(200, FindingDetailSchema)
@login_required
def get_finding(finding_id):
    """One finding, with what you may do to it now (allowed_actions)."""
    return _detail(actor_for(current_user), _finding_id(finding_id), utcnow())


@blp.route("/<finding_id>/events")
class FindingEvents(MethodView):
    decorators = [login_required]

    @blp.response(200, EventList)
    def get(self, finding_id):
        """The finding's history, oldest first. It is append-only."""
        actor = actor_for(current_user)
        finding = visible_finding(db.session, actor, _finding_id(finding_id))
        return {"items": present_history(history_of(db.session, finding), actor, person)}

    @blp.arguments(EventCreate)
    @blp.response(201, FindingDetailSchema)
    @blp.alt_response(200, schema=FindingDetailSchema, description="A retry of an event already applied")
    @blp.alt_response(409, description="invalid_transition, stale (with the current finding) or conflict")
    def post(self, data, finding_id):
        """Act on a finding: confirm, acknowledge, submit a plan or a rectification, approve, reject..."""
        actor, now = actor_for(current_user), utcnow()
        press = document_press()  # an acknowledge signs the order the finding is in
        finding, applied = apply_action(db.session, actor, _finding_id(finding_id), data, now=now, press=press)
        body = _detail(actor, finding.id, now)
        db.session.commit()
        return body, 201 if applied else 200

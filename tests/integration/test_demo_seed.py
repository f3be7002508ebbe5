"""The Xiamen demo (seed-demo): every state, consistent histories, working logins, loaded once."""

import itertools

from flask import current_app
from sqlalchemy import func, select

from app.demo.seed import DEMO_PASSWORD, already_seeded, seed
from app.demo.xiamen import ENTERPRISES, OFFICER_ENTERPRISE_INDEX
from app.domain.calendar import local_today, utcnow
from app.extensions import db
from app.models import Enterprise, Finding, FindingEvent, Photo, PhotoBlob, User
from app.services.accounts import authenticate
from app.services.photos import object_key

DEMO_ROLES = {
    "inspector": "inspector",
    "grid": "grid_worker",
    "officer": "enterprise_officer",
    "supervisor": "supervisor",
    "admin": "admin",
}
STATES = {"reported", "rectifying", "pending_review", "closed", "voided"}


def test_seed_makes_a_consistent_demo_in_every_state(session):
    assert not already_seeded(session)
    summary = seed(session, findings=60)
    session.commit()
    assert "findings 60" in summary

    findings = list(session.scalars(select(Finding)))
    assert len(findings) == 60
    assert {f.status for f in findings} == STATES
    today = local_today(utcnow())
    overdue = [f for f in findings if f.status in ("reported", "rectifying") and f.deadline and f.deadline < today]
    assert overdue, "some findings are overdue"
    assert any(f.status == "rectifying" and f.extension_pending for f in findings)
    assert any(f.status == "rectifying" and f.acknowledged_at for f in findings)
    assert any(f.status == "rectifying" and f.level == "major" and f.plan_complete for f in findings)
    numbers = [f.number for f in findings]
    assert all(numbers) and len(set(numbers)) == len(numbers)

    for f in findings:
        history = list(
            session.scalars(select(FindingEvent).where(FindingEvent.finding_id == f.id).order_by(FindingEvent.seq))
        )
        assert [e.seq for e in history] == list(range(1, f.events_count + 1)), f.number
        assert history[0].action == "report" and history[0].from_state is None
        assert history[-1].to_state == f.status
        for before, after in itertools.pairwise(history):
            assert after.from_state == before.to_state, f.number
            assert after.received_at >= before.received_at, f.number
        assert history[-1].received_at <= utcnow()
        assert all(e.actor_id != f.reporter_id for e in history if e.action == "approve"), "four eyes"

    assert_every_finding_has_its_photos(session, findings)

    for username, role in DEMO_ROLES.items():
        user = authenticate(session, username, DEMO_PASSWORD)
        assert user is not None and user.role == role, username
    assert already_seeded(session)

    officer = session.scalars(select(User).where(User.username == "officer")).one()
    company = session.get(Enterprise, officer.enterprise_id)
    assert company.credit_code == ENTERPRISES[OFFICER_ENTERPRISE_INDEX]["credit_code"]
    assert len({f.status for f in findings if f.enterprise_id == company.id and f.status != "reported"}) >= 3
    grid = session.scalars(select(User).where(User.username == "grid")).one()
    assert any(f.reporter_id == grid.id and f.status == "reported" for f in findings), "reports wait for triage"
    assert any(f.reporter_id == grid.id and f.status != "reported" for f in findings), "some were confirmed"


def assert_every_finding_has_its_photos(session, findings):
    """A before-photo on every finding, an after-photo behind every submitted fix, all arrived and stored."""
    photos = list(session.scalars(select(Photo)))
    assert all(p.sha256 is not None for p in photos), "no demo photo is left missing"
    kinds = {(p.finding_id, p.kind) for p in photos}
    for f in findings:
        assert (f.id, "evidence") in kinds, f.number
        if f.rectified_at is not None:
            assert (f.id, "rectification") in kinds, f.number
    storage = current_app.extensions["storage"]
    blobs = list(session.scalars(select(PhotoBlob)))
    assert len(blobs) < len(photos), "the same pictures are stored once"
    assert all(storage.exists(object_key(b, "display")) for b in blobs)


def test_seed_demo_command_loads_once(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo", "--findings", "30"])
    assert first.exit_code == 0, first.output
    assert "findings 30" in first.output
    assert f"demo logins (password: {DEMO_PASSWORD}): inspector, grid, officer, supervisor, admin" in first.output
    again = runner.invoke(args=["seed-demo", "--findings", "30"])
    assert again.exit_code == 0, again.output
    assert "nothing to do" in again.output
    assert db.session.scalar(select(func.count()).select_from(Finding)) == 30

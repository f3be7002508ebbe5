"""The lifecycle's loose ends: settled extension requests, six-element plans, rectification rounds, who declared
each photo, and reports that never reached the enterprise.

Existing rows are kept and brought to the new rules:
- extension requests: 'rejected' is now 'refused'; a request still pending on a finding that has left
  `rectifying` (the orphans this revision exists to end) becomes 'lapsed'; an approval's granted date is the
  date it asked for.
- plans made with five elements keep them; their objective (目标和任务) is empty, so the finding's plan is
  incomplete again and must be completed before the next rectification is submitted.
- rounds and photo declarers are reconstructed from the history.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 12:10:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

NEW_STATUSES = "status IN ('pending','approved','refused','withdrawn','lapsed')"
OLD_STATUSES = "status IN ('pending','approved','rejected')"
SUBMISSIONS = (
    "SELECT count(*) FROM finding_events e WHERE e.finding_id = {table}.{column} "
    "AND e.action = 'submit_rectification'"
)


def upgrade():
    _add_columns()
    _settle_extensions()
    op.execute(
        "UPDATE findings SET plan_complete = false "
        "WHERE id IN (SELECT finding_id FROM rectification_plans WHERE objective = '')"
    )
    op.execute(
        "UPDATE findings SET triaged = CASE WHEN status = 'reported' THEN false "
        "WHEN status = 'voided' THEN EXISTS (SELECT 1 FROM finding_events e "
        "WHERE e.finding_id = findings.id AND e.to_state = 'rectifying') ELSE true END"
    )
    _rounds()
    _reopen_reasons()


FINDING_COLUMNS = (
    sa.Column("triaged", sa.Boolean(), nullable=False, server_default=sa.true()),
    sa.Column("rectification_round", sa.Integer(), nullable=False, server_default="0"),
    sa.Column("after_photos_owed", sa.Integer(), nullable=False, server_default="0"),
    sa.Column("reopen_reason", sa.Text(), nullable=True),
)


def _add_columns():
    # Plain ALTER TABLE on both databases: a batch copy of `findings` would DROP the table that events, photos,
    # plans and requests point at, which SQLite's foreign keys refuse once there are rows.
    for column in FINDING_COLUMNS:
        op.add_column("findings", column)
    op.add_column("rectification_plans", sa.Column("objective", sa.Text(), nullable=False, server_default=""))
    with op.batch_alter_table("photos") as batch:
        batch.add_column(sa.Column("declared_by_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("round", sa.Integer(), nullable=True))
        batch.create_foreign_key(op.f("fk_photos_declared_by_id_users"), "users", ["declared_by_id"], ["id"])
    with op.batch_alter_table("extension_requests") as batch:
        batch.drop_constraint(op.f("ck_extension_requests_status"), type_="check")
        batch.add_column(sa.Column("granted_deadline", sa.Date(), nullable=True))


def _settle_extensions():
    op.execute("UPDATE extension_requests SET status = 'refused' WHERE status = 'rejected'")
    op.execute("UPDATE extension_requests SET granted_deadline = requested_deadline WHERE status = 'approved'")
    op.execute(
        "UPDATE extension_requests SET status = 'lapsed' WHERE status = 'pending' AND finding_id IN "
        "(SELECT id FROM findings WHERE status <> 'rectifying')"
    )
    op.execute("UPDATE findings SET extension_pending = false WHERE status <> 'rectifying'")
    with op.batch_alter_table("extension_requests") as batch:
        batch.create_check_constraint(op.f("ck_extension_requests_status"), sa.text(NEW_STATUSES))


def _rounds():
    """Round n's after-photos are those declared at submission n, or uploaded after submission n-1."""
    op.execute(
        "UPDATE findings SET rectification_round = (" + SUBMISSIONS.format(table="findings", column="id") + ")"
    )
    op.execute(
        "UPDATE photos SET round = 1 + (" + SUBMISSIONS.format(table="photos", column="finding_id")
        + " AND e.received_at < photos.declared_at) WHERE kind = 'rectification'"
    )
    op.execute(
        "UPDATE photos SET round = NULL WHERE kind = 'rectification' AND round > "
        "(SELECT f.rectification_round FROM findings f WHERE f.id = photos.finding_id)"
    )
    op.execute(
        "UPDATE photos SET declared_by_id = COALESCE(uploaded_by_id, (SELECT CASE WHEN photos.kind = 'evidence' "
        "THEN f.reporter_id ELSE f.rectified_by_id END FROM findings f WHERE f.id = photos.finding_id))"
    )
    op.execute(
        "UPDATE findings SET after_photos_owed = (SELECT count(*) FROM photos p WHERE p.finding_id = findings.id "
        "AND p.kind = 'rectification' AND p.sha256 IS NULL AND p.round = findings.rectification_round)"
    )


def _reopen_reasons():
    events = sa.table(
        "finding_events",
        sa.column("finding_id", sa.Uuid()),
        sa.column("seq", sa.Integer()),
        sa.column("action", sa.String()),
        sa.column("payload", sa.JSON()),
    )
    findings = sa.table("findings", sa.column("id", sa.Uuid()), sa.column("reopen_reason", sa.Text()))
    connection = op.get_bind()
    latest = {}
    query = sa.select(events.c.finding_id, events.c.payload).where(events.c.action == "reopen")
    for finding_id, payload in connection.execute(query.order_by(events.c.finding_id, events.c.seq)):
        latest[finding_id] = (payload or {}).get("reason")
    for finding_id, reason in latest.items():
        connection.execute(sa.update(findings).where(findings.c.id == finding_id).values(reopen_reason=reason))


def downgrade():
    with op.batch_alter_table("extension_requests") as batch:
        batch.drop_constraint(op.f("ck_extension_requests_status"), type_="check")
        batch.drop_column("granted_deadline")
    op.execute("UPDATE extension_requests SET status = 'rejected' WHERE status IN ('refused','withdrawn','lapsed')")
    with op.batch_alter_table("extension_requests") as batch:
        batch.create_check_constraint(op.f("ck_extension_requests_status"), sa.text(OLD_STATUSES))
    with op.batch_alter_table("photos") as batch:
        batch.drop_constraint(op.f("fk_photos_declared_by_id_users"), type_="foreignkey")
        batch.drop_column("round")
        batch.drop_column("declared_by_id")
    op.drop_column("rectification_plans", "objective")  # SQLite 3.35+ drops a plain column in place
    for column in reversed(FINDING_COLUMNS):
        op.drop_column("findings", column.name)

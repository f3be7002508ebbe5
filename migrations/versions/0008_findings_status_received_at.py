"""The deadline job's second read by an index of its own: reports still waiting for triage, by when they came in.

The job reads two kinds of findings (app/jobs/deadlines._candidates): rectifying ones with a deadline near or past,
by ix_findings_status_deadline, and reports received within the triage window. Without this index PostgreSQL
answers the second by intersecting every report from (status, deadline) with every finding received in the
window from (received_at, id): in bench/deadlines.py's world of 200,000 findings it read 13,200 index entries for
800 reports; with (status, received_at) it reads the 800 (docs/benchmarks.md has the plans at 1,000,000). An
index only: nothing else changes.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 16:00:00

"""

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_findings_status_received_at", "findings", ["status", "received_at"])


def downgrade():
    op.drop_index("ix_findings_status_received_at", table_name="findings")

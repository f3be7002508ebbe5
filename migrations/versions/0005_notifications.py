"""In-app notifications: what the deadline job tells each person (issue 12).

A new table only: nothing existing is altered, so no batch copy of `users` or `findings` (SQLite's foreign keys
would refuse it once other tables point at their rows).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 09:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recipient_id", sa.Integer(), nullable=False),
        sa.Column("finding_id", sa.Uuid(), nullable=False),
        sa.Column("rule", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("due_at", sa.DateTime(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("read_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["recipient_id"], ["users.id"], name=op.f("fk_notifications_recipient_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["finding_id"], ["findings.id"], name=op.f("fk_notifications_finding_id_findings")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications")),
        # the job's idempotency: the notice's key (finding, rule, due moment) and its recipient, each written once
        sa.UniqueConstraint("finding_id", "rule", "due_at", "recipient_id", name="uq_notifications_key"),
    )
    op.create_index("ix_notifications_inbox", "notifications", ["recipient_id", "created_at", "id"])


def downgrade():
    op.drop_index("ix_notifications_inbox", table_name="notifications")
    op.drop_table("notifications")

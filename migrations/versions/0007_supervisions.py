"""挂牌督办 (issue 12): the register of major hazards listed for supervision, and the open listing's level on the
finding.

A new table, and one nullable column added to `findings` in place (no batch copy: SQLite's foreign keys refuse
one once other tables point at the rows). Nothing existing is converted: no finding was listed before.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 15:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

OPEN = sa.text("status = 'listed'")


def upgrade():
    op.add_column("findings", sa.Column("supervision_level", sa.String(length=10), nullable=True))
    op.create_table(
        "supervisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("finding_id", sa.Uuid(), nullable=False),
        sa.Column("level", sa.String(length=10), nullable=False),
        sa.Column("authority", sa.String(length=200), nullable=False),
        sa.Column("document_no", sa.String(length=100), nullable=False),
        sa.Column("leader", sa.String(length=100), nullable=False),
        sa.Column("public", sa.Boolean(), nullable=False),
        sa.Column("lead_department", sa.String(length=200), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("listed_at", sa.DateTime(), nullable=False),
        sa.Column("listed_by_id", sa.Integer(), nullable=False),
        sa.Column("listed_event_id", sa.Uuid(), nullable=False),
        sa.Column("delisted_at", sa.DateTime(), nullable=True),
        sa.Column("delisted_by_id", sa.Integer(), nullable=True),
        sa.Column("delisted_event_id", sa.Uuid(), nullable=True),
        sa.CheckConstraint("level IN ('province','city','county')", name=op.f("ck_supervisions_level")),
        sa.CheckConstraint("status IN ('listed','delisted')", name=op.f("ck_supervisions_status")),
        sa.ForeignKeyConstraint(["finding_id"], ["findings.id"], name=op.f("fk_supervisions_finding_id_findings")),
        sa.ForeignKeyConstraint(["listed_by_id"], ["users.id"], name=op.f("fk_supervisions_listed_by_id_users")),
        sa.ForeignKeyConstraint(["delisted_by_id"], ["users.id"], name=op.f("fk_supervisions_delisted_by_id_users")),
        sa.ForeignKeyConstraint(
            ["listed_event_id"], ["finding_events.id"], name=op.f("fk_supervisions_listed_event_id_finding_events")
        ),
        sa.ForeignKeyConstraint(
            ["delisted_event_id"], ["finding_events.id"], name=op.f("fk_supervisions_delisted_event_id_finding_events")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supervisions")),
    )
    op.create_index("ix_supervisions_listed_at_id", "supervisions", ["listed_at", "id"])
    op.create_index("ix_supervisions_finding_id", "supervisions", ["finding_id"])
    # one open listing per finding; a finding reopened and listed again keeps its ended listings
    op.create_index(
        "uq_supervisions_open_listing",
        "supervisions",
        ["finding_id"],
        unique=True,
        sqlite_where=OPEN,
        postgresql_where=OPEN,
    )


def downgrade():
    op.drop_index("uq_supervisions_open_listing", table_name="supervisions")
    op.drop_index("ix_supervisions_finding_id", table_name="supervisions")
    op.drop_index("ix_supervisions_listed_at_id", table_name="supervisions")
    op.drop_table("supervisions")
    op.drop_column("findings", "supervision_level")

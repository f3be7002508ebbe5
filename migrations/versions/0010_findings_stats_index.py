"""The statistics read by an index of their own (issue 13): ix_findings_stats on findings (area_path, status, level,
supervision_level, extension_pending, deadline).

/stats counts, in one pass, every finding of the caller's scope (a prefix of area_path) by its area, and within it
by state, level, listing, extension and overdue (state and deadline). Every column that pass reads is in this
index, in that order, so PostgreSQL answers a breakdown by district, street, level or status by an index-only scan
of about a tenth of the table (56 MB against 521 MB at 1,000,000 findings; bench/stats.py) instead of reading
every row of the heap: twice as fast there, within 3 times a bare GROUP BY of the district (docs/benchmarks.md).
area_path keeps text_pattern_ops, as ix_findings_area_path does, so the scope's prefix LIKE is its index
condition. An index only: nothing else changes; each write to a finding maintains one more index.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 17:30:00

"""

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

COLUMNS = ["area_path", "status", "level", "supervision_level", "extension_pending", "deadline"]


def upgrade():
    op.create_index("ix_findings_stats", "findings", COLUMNS, postgresql_ops={"area_path": "text_pattern_ops"})


def downgrade():
    op.drop_index("ix_findings_stats", table_name="findings")

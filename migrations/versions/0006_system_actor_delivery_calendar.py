"""The machinery behind deadlines that act (issue 12): a system actor for the jobs, a delivery queue for email
and group-robot messages, each person's channels, and the official working-day calendar as a table an admin keeps.

- `users.role` gains `system`, and one system user is made (it cannot sign in: its password hash matches nothing
  and sign-in refuses the role), so an escalation the deadline job writes has an actor like every other event.
  On SQLite the CHECK constraints are widened in the stored schema (SQLite's documented procedure for changing a
  constraint without rebuilding the table): a batch copy of `users` is refused by the foreign keys once other
  rows point at it. Widening a constraint leaves every existing row valid.
- `deliveries`: one row per notification and channel, written in the transaction that writes the notification.
- `holiday_years` / `holiday_days`: each year's State Council notice (放假 and 调休上班 days), seeded with 2026.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 15:00:00

"""

from datetime import UTC, date, datetime

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

OLD_ROLES = "role IN ('inspector','grid_worker','enterprise_officer','supervisor','admin')"
NEW_ROLES = "role IN ('inspector','grid_worker','enterprise_officer','supervisor','admin','system')"
OLD_HOME = "role = 'admin' OR area_id IS NOT NULL"
NEW_HOME = "role IN ('admin','system') OR area_id IS NOT NULL"
SYSTEM_USERNAME = "system"

# 国务院办公厅关于2026年部分节假日安排的通知 (2025-11-04); the same days as app/domain/workdays.py, copied here
# because a migration must not change when that module does.
SOURCE_2026 = "国务院办公厅关于2026年部分节假日安排的通知（2025年11月4日）"
REST_2026 = [
    ("2026-01-01", "2026-01-03", "元旦"),
    ("2026-02-15", "2026-02-23", "春节"),
    ("2026-04-04", "2026-04-06", "清明节"),
    ("2026-05-01", "2026-05-05", "劳动节"),
    ("2026-06-19", "2026-06-21", "端午节"),
    ("2026-09-25", "2026-09-27", "中秋节"),
    ("2026-10-01", "2026-10-07", "国庆节"),
]
WORK_2026 = [
    ("2026-01-04", "元旦"),
    ("2026-02-14", "春节"),
    ("2026-02-28", "春节"),
    ("2026-05-09", "劳动节"),
    ("2026-09-20", "国庆节"),
    ("2026-10-10", "国庆节"),
]


def upgrade():
    _widen_roles(OLD_ROLES, NEW_ROLES, OLD_HOME, NEW_HOME)
    op.add_column("users", sa.Column("email", sa.String(length=254), nullable=True))
    op.add_column("users", sa.Column("channels", sa.JSON(), nullable=True))  # chosen besides in-app: email, webhook
    now = datetime.now(UTC).replace(tzinfo=None)
    users = sa.table(
        "users",
        sa.column("username", sa.String), sa.column("display_name", sa.String), sa.column("password_hash", sa.String),
        sa.column("role", sa.String), sa.column("active", sa.Boolean), sa.column("created_at", sa.DateTime),
        sa.column("must_change_password", sa.Boolean),
    )  # fmt: skip
    if op.get_bind().dialect.name == "postgresql":  # rows loaded with explicit ids leave the sequence behind them
        op.execute("SELECT setval(pg_get_serial_sequence('users', 'id'), GREATEST((SELECT max(id) FROM users), 1))")
    system = {"username": SYSTEM_USERNAME, "display_name": "系统", "password_hash": "!", "role": "system",
              "active": True, "created_at": now, "must_change_password": False}  # fmt: skip
    op.bulk_insert(users, [system])
    _deliveries()
    _calendar(now)


def _deliveries():
    op.create_table(
        "deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notification_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("next_attempt_at", sa.DateTime(), nullable=False),
        sa.Column("claimed_until", sa.DateTime(), nullable=True),  # a worker's lease; a dead worker's runs out
        sa.Column("claimed_by", sa.String(length=100), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["notification_id"],
            ["notifications.id"],
            name=op.f("fk_deliveries_notification_id_notifications"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deliveries")),
        sa.UniqueConstraint("notification_id", "channel", name="uq_deliveries_notification_channel"),
        sa.CheckConstraint("channel IN ('email','webhook')", name=op.f("ck_deliveries_channel")),
        sa.CheckConstraint("status IN ('queued','sent','failed')", name=op.f("ck_deliveries_status")),
    )
    op.create_index("ix_deliveries_due", "deliveries", ["status", "next_attempt_at"])


def _calendar(now: datetime):
    op.create_table(
        "holiday_years",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),  # the notice it was taken from
        sa.Column("updated_at", sa.DateTime(), nullable=False),  # who changed it is in admin_changes
        sa.PrimaryKeyConstraint("year", name=op.f("pk_holiday_years")),
    )
    op.create_table(
        "holiday_days",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),  # rest 放假 / work 调休上班
        sa.Column("name", sa.String(length=40), nullable=False, server_default=""),  # 春节, 国庆节 ...
        sa.ForeignKeyConstraint(
            ["year"], ["holiday_years.year"], name=op.f("fk_holiday_days_year_holiday_years"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_holiday_days")),
        sa.CheckConstraint("kind IN ('rest','work')", name=op.f("ck_holiday_days_kind")),
    )
    years = sa.table("holiday_years", sa.column("year", sa.Integer), sa.column("source", sa.String),
                     sa.column("updated_at", sa.DateTime))  # fmt: skip
    days = sa.table("holiday_days", sa.column("day", sa.Date), sa.column("year", sa.Integer),
                    sa.column("kind", sa.String), sa.column("name", sa.String))  # fmt: skip
    op.bulk_insert(years, [{"year": 2026, "source": SOURCE_2026, "updated_at": now}])
    rows = []
    for first, last, name in REST_2026:
        start, end = date.fromisoformat(first), date.fromisoformat(last)
        rows += [{"day": date.fromordinal(n), "year": 2026, "kind": "rest", "name": name}
                 for n in range(start.toordinal(), end.toordinal() + 1)]  # fmt: skip
    rows += [{"day": date.fromisoformat(d), "year": 2026, "kind": "work", "name": name} for d, name in WORK_2026]
    op.bulk_insert(days, rows)


def downgrade():
    op.drop_table("holiday_days")
    op.drop_table("holiday_years")
    op.drop_index("ix_deliveries_due", table_name="deliveries")
    op.drop_table("deliveries")
    system = sa.text("SELECT id FROM users WHERE username = :name AND role = 'system'")
    system_id = op.get_bind().execute(system, {"name": SYSTEM_USERNAME}).scalar()
    if system_id is not None:
        # its escalation events go with it: they name an actor the old schema cannot hold
        op.execute(sa.text("DELETE FROM finding_events WHERE actor_id = :id").bindparams(id=system_id))
        op.execute(sa.text("DELETE FROM users WHERE id = :id").bindparams(id=system_id))
    op.drop_column("users", "channels")
    op.drop_column("users", "email")
    _widen_roles(NEW_ROLES, OLD_ROLES, NEW_HOME, OLD_HOME)


def _widen_roles(old_roles: str, new_roles: str, old_home: str, new_home: str):
    """Swap the two CHECK constraints of `users` that name roles."""
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        for name, text in (("ck_users_role", new_roles), ("ck_users_home_area", new_home)):
            op.drop_constraint(op.f(name), "users", type_="check")
            op.create_check_constraint(op.f(name), "users", text)
        return
    # https://www.sqlite.org/lang_altertable.html#otheralter: changing a CHECK constraint may be done by editing
    # the stored CREATE TABLE; the schema version is bumped so every connection re-reads it.
    sql = bind.execute(sa.text("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'users'")).scalar()
    if old_roles not in sql or old_home not in sql:
        raise RuntimeError("users' CHECK constraints are not the ones this migration knows")
    version = bind.execute(sa.text("PRAGMA schema_version")).scalar()
    bind.execute(sa.text("PRAGMA writable_schema = ON"))
    bind.execute(
        sa.text("UPDATE sqlite_master SET sql = :sql WHERE type = 'table' AND name = 'users'"),
        {"sql": sql.replace(old_roles, new_roles).replace(old_home, new_home)},
    )
    bind.execute(sa.text(f"PRAGMA schema_version = {version + 1}"))
    bind.execute(sa.text("PRAGMA writable_schema = OFF"))
    if bind.execute(sa.text("PRAGMA integrity_check")).scalar() != "ok":
        raise RuntimeError("SQLite's integrity check failed after widening users' constraints")

"""Initial schema: areas, enterprises, users, reference lists, findings and their append-only history.

Revision ID: 0001
Revises:
Create Date: 2026-11-23 09:46:41.053261

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "areas",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("level", sa.String(length=20), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("path", sa.String(length=255), nullable=False),
        sa.CheckConstraint("level IN ('city','district','street','community','grid')", name=op.f("ck_areas_level")),
        sa.ForeignKeyConstraint(["parent_id"], ["areas.id"], name=op.f("fk_areas_parent_id_areas")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_areas")),
        sa.UniqueConstraint("code", name=op.f("uq_areas_code")),
        sa.UniqueConstraint("path", name=op.f("uq_areas_path")),
    )
    op.create_table(
        "categories",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name_zh", sa.String(length=100), nullable=False),
        sa.Column("name_en", sa.String(length=100), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_categories")),
        sa.UniqueConstraint("code", name=op.f("uq_categories_code")),
    )
    op.create_table(
        "finding_counters",
        sa.Column("district_code", sa.String(length=20), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("district_code", "year", name=op.f("pk_finding_counters")),
    )
    op.create_table(
        "major_criteria",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("document_number", sa.String(length=100), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_major_criteria")),
        sa.UniqueConstraint("code", name=op.f("uq_major_criteria_code")),
    )
    op.create_table(
        "enterprises",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("credit_code", sa.String(length=18), nullable=False),
        sa.Column("sector", sa.String(length=40), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=False),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lng", sa.Float(), nullable=True),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.Column("area_path", sa.String(length=255), nullable=False),
        sa.Column("contact_name", sa.String(length=50), nullable=False),
        sa.Column("contact_phone", sa.String(length=30), nullable=False),
        sa.ForeignKeyConstraint(["area_id"], ["areas.id"], name=op.f("fk_enterprises_area_id_areas")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enterprises")),
        sa.UniqueConstraint("credit_code", name=op.f("uq_enterprises_credit_code")),
    )
    with op.batch_alter_table("enterprises", schema=None) as batch_op:
        batch_op.create_index("ix_enterprises_area_path", ["area_path"], unique=False)

    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=50), nullable=False),
        sa.Column("display_name", sa.String(length=100), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=True),
        sa.Column("enterprise_id", sa.Integer(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "(role = 'enterprise_officer') = (enterprise_id IS NOT NULL)", name=op.f("ck_users_officer_enterprise")
        ),
        sa.CheckConstraint("role = 'admin' OR area_id IS NOT NULL", name=op.f("ck_users_home_area")),
        sa.CheckConstraint(
            "role IN ('inspector','grid_worker','enterprise_officer','supervisor','admin')", name=op.f("ck_users_role")
        ),
        sa.ForeignKeyConstraint(["area_id"], ["areas.id"], name=op.f("fk_users_area_id_areas")),
        sa.ForeignKeyConstraint(["enterprise_id"], ["enterprises.id"], name=op.f("fk_users_enterprise_id_enterprises")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
    )
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_api_tokens_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_tokens_token_hash")),
    )
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_api_tokens_user_id"), ["user_id"], unique=False)

    op.create_table(
        "findings",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=True),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=True),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.Column("area_path", sa.String(length=255), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(length=10), nullable=False),
        sa.Column("nature", sa.String(length=30), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lng", sa.Float(), nullable=True),
        sa.Column("accuracy_m", sa.Float(), nullable=True),
        sa.Column("location_source", sa.String(length=10), nullable=True),
        sa.Column("address", sa.String(length=300), nullable=False),
        sa.Column("observed_at", sa.DateTime(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("reporter_id", sa.Integer(), nullable=False),
        sa.Column("rectify_mode", sa.String(length=10), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("criterion_id", sa.Integer(), nullable=True),
        sa.Column("major_clause", sa.String(length=100), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("events_count", sa.Integer(), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(), nullable=True),
        sa.Column("extension_pending", sa.Boolean(), nullable=False),
        sa.Column("plan_complete", sa.Boolean(), nullable=False),
        sa.Column("rectification_measures", sa.Text(), nullable=True),
        sa.Column("rectified_on", sa.Date(), nullable=True),
        sa.Column("rectified_at", sa.DateTime(), nullable=True),
        sa.Column("rectified_by_id", sa.Integer(), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(), nullable=True),
        sa.Column("reviewed_by_id", sa.Integer(), nullable=True),
        sa.Column("review_comment", sa.Text(), nullable=True),
        sa.Column("review_on_site", sa.Boolean(), nullable=True),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("void_reason", sa.Text(), nullable=True),
        sa.CheckConstraint("level IN ('general','major')", name=op.f("ck_findings_level")),
        sa.CheckConstraint("rectify_mode IN ('deadline','immediate')", name=op.f("ck_findings_rectify_mode")),
        sa.CheckConstraint(
            "status IN ('reported','rectifying','pending_review','closed','voided')", name=op.f("ck_findings_status")
        ),
        sa.CheckConstraint("lat IS NULL OR (lat BETWEEN -90 AND 90)", name=op.f("ck_findings_lat")),
        sa.CheckConstraint("lng IS NULL OR (lng BETWEEN -180 AND 180)", name=op.f("ck_findings_lng")),
        sa.ForeignKeyConstraint(["area_id"], ["areas.id"], name=op.f("fk_findings_area_id_areas")),
        sa.ForeignKeyConstraint(["category_id"], ["categories.id"], name=op.f("fk_findings_category_id_categories")),
        sa.ForeignKeyConstraint(
            ["criterion_id"], ["major_criteria.id"], name=op.f("fk_findings_criterion_id_major_criteria")
        ),
        sa.ForeignKeyConstraint(
            ["enterprise_id"], ["enterprises.id"], name=op.f("fk_findings_enterprise_id_enterprises")
        ),
        sa.ForeignKeyConstraint(["rectified_by_id"], ["users.id"], name=op.f("fk_findings_rectified_by_id_users")),
        sa.ForeignKeyConstraint(["reporter_id"], ["users.id"], name=op.f("fk_findings_reporter_id_users")),
        sa.ForeignKeyConstraint(["reviewed_by_id"], ["users.id"], name=op.f("fk_findings_reviewed_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_findings")),
        sa.UniqueConstraint("number", name=op.f("uq_findings_number")),
    )
    with op.batch_alter_table("findings", schema=None) as batch_op:
        batch_op.create_index(
            "ix_findings_area_path", ["area_path"], unique=False, postgresql_ops={"area_path": "text_pattern_ops"}
        )
        batch_op.create_index(batch_op.f("ix_findings_enterprise_id"), ["enterprise_id"], unique=False)
        batch_op.create_index("ix_findings_received_at_id", ["received_at", "id"], unique=False)
        batch_op.create_index(batch_op.f("ix_findings_reporter_id"), ["reporter_id"], unique=False)
        batch_op.create_index("ix_findings_status_deadline", ["status", "deadline"], unique=False)
        batch_op.create_index("ix_findings_updated_at_id", ["updated_at", "id"], unique=False)

    op.create_table(
        "extension_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("finding_id", sa.Uuid(), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=False),
        sa.Column("requested_at", sa.DateTime(), nullable=False),
        sa.Column("previous_deadline", sa.Date(), nullable=True),
        sa.Column("requested_deadline", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("decision_comment", sa.Text(), nullable=True),
        sa.CheckConstraint("status IN ('pending','approved','rejected')", name=op.f("ck_extension_requests_status")),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["users.id"], name=op.f("fk_extension_requests_decided_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["finding_id"], ["findings.id"], name=op.f("fk_extension_requests_finding_id_findings")
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"], ["users.id"], name=op.f("fk_extension_requests_requested_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_extension_requests")),
    )
    with op.batch_alter_table("extension_requests", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_extension_requests_finding_id"), ["finding_id"], unique=False)

    op.create_table(
        "finding_events",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("finding_id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=30), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("client_at", sa.DateTime(), nullable=True),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lng", sa.Float(), nullable=True),
        sa.Column("accuracy_m", sa.Float(), nullable=True),
        sa.Column("from_state", sa.String(length=20), nullable=True),
        sa.Column("to_state", sa.String(length=20), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"], name=op.f("fk_finding_events_actor_id_users")),
        sa.ForeignKeyConstraint(["finding_id"], ["findings.id"], name=op.f("fk_finding_events_finding_id_findings")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_finding_events")),
        sa.UniqueConstraint("finding_id", "seq", name="uq_finding_events_finding_id_seq"),
    )
    op.create_table(
        "rectification_plans",
        sa.Column("finding_id", sa.Uuid(), nullable=False),
        sa.Column("measures", sa.Text(), nullable=False),
        sa.Column("responsible", sa.String(length=200), nullable=False),
        sa.Column("funds", sa.String(length=200), nullable=False),
        sa.Column("time_limit", sa.Date(), nullable=False),
        sa.Column("contingency", sa.Text(), nullable=False),
        sa.Column("submitted_by_id", sa.Integer(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["finding_id"], ["findings.id"], name=op.f("fk_rectification_plans_finding_id_findings")
        ),
        sa.ForeignKeyConstraint(
            ["submitted_by_id"], ["users.id"], name=op.f("fk_rectification_plans_submitted_by_id_users")
        ),
        sa.PrimaryKeyConstraint("finding_id", name=op.f("pk_rectification_plans")),
    )
    _forbid_history_changes()
    _seed_reference_lists()


def downgrade():
    _allow_history_changes()
    op.drop_table("rectification_plans")
    op.drop_table("finding_events")
    with op.batch_alter_table("extension_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_extension_requests_finding_id"))

    op.drop_table("extension_requests")
    with op.batch_alter_table("findings", schema=None) as batch_op:
        batch_op.drop_index("ix_findings_updated_at_id")
        batch_op.drop_index("ix_findings_status_deadline")
        batch_op.drop_index(batch_op.f("ix_findings_reporter_id"))
        batch_op.drop_index("ix_findings_received_at_id")
        batch_op.drop_index(batch_op.f("ix_findings_enterprise_id"))
        batch_op.drop_index("ix_findings_area_path", postgresql_ops={"area_path": "text_pattern_ops"})

    op.drop_table("findings")
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_tokens_user_id"))

    op.drop_table("api_tokens")
    op.drop_table("users")
    with op.batch_alter_table("enterprises", schema=None) as batch_op:
        batch_op.drop_index("ix_enterprises_area_path")

    op.drop_table("enterprises")
    op.drop_table("major_criteria")
    op.drop_table("finding_counters")
    op.drop_table("categories")
    op.drop_table("areas")


CATEGORIES = [
    ("fire", "消防安全", "Fire safety"),
    ("electrical", "电气安全", "Electrical safety"),
    ("hazchem", "危险化学品", "Hazardous chemicals"),
    ("confined_space", "有限空间", "Confined spaces"),
    ("special_equipment", "特种设备", "Special equipment"),
    ("construction", "建筑施工", "Construction"),
    ("gas", "城镇燃气", "Town gas"),
    ("dust", "粉尘防爆", "Combustible dust"),
    ("machinery", "机械设备", "Machinery"),
    ("management", "安全管理（基础管理类）", "Safety management"),
    ("other", "其他", "Other"),
]

CRITERIA = [
    ("gongmao_2023", "工贸企业重大事故隐患判定标准", "应急管理部令第10号（2023）"),
    ("chem_2017", "化工和危险化学品生产经营单位重大生产安全事故隐患判定标准（试行）", "安监总管三〔2017〕121号"),
    ("fire_gb35181", "重大火灾隐患判定规则", "GB 35181-2025"),
    ("special_eq_gb45067", "特种设备重大事故隐患判定准则", "GB 45067-2024"),
    ("gas_2023", "城镇燃气经营安全重大隐患判定标准", "建城规〔2023〕4号"),
    ("housing_2022", "房屋市政工程生产安全重大事故隐患判定标准（2022版）", "建质规〔2022〕2号"),
    ("mine_2022", "金属非金属矿山重大事故隐患判定标准", "矿安〔2022〕88号"),
    ("coal_2020", "煤矿重大事故隐患判定标准", "应急管理部令第4号"),
]


def _seed_reference_lists():
    categories = sa.table(
        "categories",
        sa.column("code"),
        sa.column("name_zh"),
        sa.column("name_en"),
        sa.column("sort_order"),
        sa.column("active"),
    )
    op.bulk_insert(
        categories,
        [
            {"code": c, "name_zh": zh, "name_en": en, "sort_order": i, "active": True}
            for i, (c, zh, en) in enumerate(CATEGORIES)
        ],
    )
    criteria = sa.table(
        "major_criteria", sa.column("code"), sa.column("title"), sa.column("document_number"), sa.column("sort_order")
    )
    op.bulk_insert(
        criteria,
        [{"code": c, "title": t, "document_number": n, "sort_order": i} for i, (c, t, n) in enumerate(CRITERIA)],
    )


def _forbid_history_changes():
    """The history is append-only, whatever code or person connects: the database refuses the rest."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION finding_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN RAISE EXCEPTION 'finding_events is append-only' USING ERRCODE = 'restrict_violation'; END $$"
        )
        op.execute(
            "CREATE TRIGGER finding_events_append_only BEFORE UPDATE OR DELETE ON finding_events "
            "FOR EACH ROW EXECUTE FUNCTION finding_events_append_only()"
        )
    else:
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER finding_events_no_{verb.lower()} BEFORE {verb} ON finding_events "
                "BEGIN SELECT RAISE(ABORT, 'finding_events is append-only'); END"
            )


def _allow_history_changes():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS finding_events_append_only ON finding_events")
        op.execute("DROP FUNCTION IF EXISTS finding_events_append_only()")
    else:
        for verb in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS finding_events_no_{verb}")

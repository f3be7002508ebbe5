"""Inspections (issue 14): checklists and their versions and items, campaigns and their targets, inspection records
with their inspectors, results and notes; and, on `findings`, the inspection and checklist item a finding came from.

- New tables only, and two nullable columns added to `findings` in place (no batch copy: SQLite's foreign keys
  refuse one once other tables point at the rows). Nothing existing is converted: no finding came from an
  inspection before.
- Results are append-only, as finding events are: triggers refuse UPDATE and DELETE (TRUNCATE, which tests use,
  fires neither).
- On SQLite the two columns carry their references inline (ALTER TABLE ... ADD COLUMN ... REFERENCES, which
  SQLite allows for a nullable column); going down, SQLite refuses to drop a column a foreign key uses, so the
  references are first taken out of the stored CREATE TABLE (SQLite's documented procedure for changing a
  constraint, as 0006 does) and the columns dropped after.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 09:00:00

"""

import re

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

FINDING_LINKS = (  # column, referred table, the foreign key's name
    ("inspection_id", sa.Uuid(), "inspections", "fk_findings_inspection_id_inspections"),
    ("checklist_item_id", sa.Integer(), "checklist_items", "fk_findings_checklist_item_id_checklist_items"),
)


def upgrade():
    _checklists()
    _campaigns()
    _inspections()
    _results()
    _link_findings()
    _forbid_result_changes()


def _fk(table: str, column: str, referred: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{referred}.id"], name=op.f(f"fk_{table}_{column}_{referred}"))


def _checklists():
    op.create_table(
        "checklists",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("current_version", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        _fk("checklists", "created_by_id", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checklists")),
    )
    op.create_table(
        "checklist_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("checklist_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("sectors", sa.JSON(), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        _fk("checklist_versions", "checklist_id", "checklists"),
        _fk("checklist_versions", "created_by_id", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checklist_versions")),
        sa.UniqueConstraint("checklist_id", "version", name="uq_checklist_versions_checklist_version"),
    )
    op.create_table(
        "checklist_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("basis", sa.Text(), nullable=False),
        sa.Column("method", sa.String(length=10), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.Column("criterion_id", sa.Integer(), nullable=True),
        sa.Column("major_clause", sa.String(length=100), nullable=True),
        sa.CheckConstraint("method IN ('records','site','interview')", name=op.f("ck_checklist_items_method")),
        _fk("checklist_items", "category_id", "categories"),
        _fk("checklist_items", "criterion_id", "major_criteria"),
        _fk("checklist_items", "version_id", "checklist_versions"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checklist_items")),
        sa.UniqueConstraint("version_id", "item_id", name="uq_checklist_items_version_item"),
    )


def _campaigns():
    op.create_table(
        "campaigns",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("sectors", sa.JSON(), nullable=False),
        sa.Column("targets_listed", sa.Boolean(), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("ends_on >= starts_on", name=op.f("ck_campaigns_dates")),
        _fk("campaigns", "created_by_id", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaigns")),
    )
    op.create_table(
        "campaign_areas",
        sa.Column("campaign_id", sa.Uuid(), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        _fk("campaign_areas", "area_id", "areas"),
        _fk("campaign_areas", "campaign_id", "campaigns"),
        sa.PrimaryKeyConstraint("campaign_id", "area_id", name=op.f("pk_campaign_areas")),
    )
    op.create_table(
        "campaign_checklists",
        sa.Column("campaign_id", sa.Uuid(), nullable=False),
        sa.Column("checklist_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        _fk("campaign_checklists", "campaign_id", "campaigns"),
        _fk("campaign_checklists", "checklist_id", "checklists"),
        sa.PrimaryKeyConstraint("campaign_id", "checklist_id", name=op.f("pk_campaign_checklists")),
    )
    op.create_table(
        "campaign_targets",
        sa.Column("campaign_id", sa.Uuid(), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        _fk("campaign_targets", "campaign_id", "campaigns"),
        _fk("campaign_targets", "enterprise_id", "enterprises"),
        sa.PrimaryKeyConstraint("campaign_id", "enterprise_id", name=op.f("pk_campaign_targets")),
    )
    op.create_index("ix_campaign_targets_enterprise_id", "campaign_targets", ["enterprise_id"])


def _inspections():
    op.create_table(
        "inspections",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        sa.Column("area_path", sa.String(length=255), nullable=False),
        sa.Column("checklist_version_id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Uuid(), nullable=True),
        sa.Column("inspected_on", sa.Date(), nullable=False),
        sa.Column("enforcement", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("submitted_by_id", sa.Integer(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("status IN ('draft','submitted')", name=op.f("ck_inspections_status")),
        _fk("inspections", "campaign_id", "campaigns"),
        _fk("inspections", "checklist_version_id", "checklist_versions"),
        _fk("inspections", "enterprise_id", "enterprises"),
        _fk("inspections", "submitted_by_id", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspections")),
    )
    op.create_index(
        "ix_inspections_area_path", "inspections", ["area_path"], postgresql_ops={"area_path": "text_pattern_ops"}
    )
    op.create_index("ix_inspections_campaign_id", "inspections", ["campaign_id"])
    op.create_index("ix_inspections_enterprise_id_inspected_on", "inspections", ["enterprise_id", "inspected_on"])
    op.create_index("ix_inspections_submitted_at_id", "inspections", ["submitted_at", "id"])
    op.create_table(
        "inspection_inspectors",
        sa.Column("inspection_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("cert_no", sa.String(length=50), nullable=True),
        _fk("inspection_inspectors", "inspection_id", "inspections"),
        _fk("inspection_inspectors", "user_id", "users"),
        sa.PrimaryKeyConstraint("inspection_id", "user_id", name=op.f("pk_inspection_inspectors")),
    )


def _results():
    op.create_table(
        "inspection_results",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("inspection_id", sa.Uuid(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("result", sa.String(length=4), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("finding_id", sa.Uuid(), nullable=True),
        sa.CheckConstraint(
            "(result = 'fail') = (finding_id IS NOT NULL)", name=op.f("ck_inspection_results_fail_finding")
        ),
        sa.CheckConstraint("result IN ('pass','fail','na')", name=op.f("ck_inspection_results_result")),
        _fk("inspection_results", "finding_id", "findings"),
        _fk("inspection_results", "inspection_id", "inspections"),
        _fk("inspection_results", "item_id", "checklist_items"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection_results")),
        sa.UniqueConstraint("inspection_id", "item_id", name="uq_inspection_results_inspection_item"),
    )
    op.create_table(
        "inspection_notes",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("inspection_id", sa.Uuid(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        _fk("inspection_notes", "author_id", "users"),
        _fk("inspection_notes", "inspection_id", "inspections"),
        _fk("inspection_notes", "item_id", "checklist_items"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection_notes")),
    )
    op.create_index(op.f("ix_inspection_notes_inspection_id"), "inspection_notes", ["inspection_id"])


def _link_findings():
    sqlite = op.get_bind().dialect.name == "sqlite"
    for column, kind, referred, name in FINDING_LINKS:
        if sqlite:
            reference = sa.ForeignKey(f"{referred}.id", name=op.f(name))
            op.add_column("findings", sa.Column(column, kind, reference, nullable=True), inline_references=True)
        else:
            op.add_column("findings", sa.Column(column, kind, nullable=True))
            op.create_foreign_key(op.f(name), "findings", referred, [column], ["id"])
    op.create_index(op.f("ix_findings_inspection_id"), "findings", ["inspection_id"])


def _forbid_result_changes():
    """A submitted inspection's answers stand, whatever code or person connects: the database refuses the rest."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION inspection_results_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN RAISE EXCEPTION 'inspection_results is append-only' USING ERRCODE = 'restrict_violation'; END $$"
        )
        op.execute(
            "CREATE TRIGGER inspection_results_append_only BEFORE UPDATE OR DELETE ON inspection_results "
            "FOR EACH ROW EXECUTE FUNCTION inspection_results_append_only()"
        )
    else:
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER inspection_results_no_{verb.lower()} BEFORE {verb} ON inspection_results "
                "BEGIN SELECT RAISE(ABORT, 'inspection_results is append-only'); END"
            )


def downgrade():
    _unlink_findings()  # first: on SQLite (no transactional DDL here) it is the step that may refuse
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS inspection_results_append_only ON inspection_results")
        op.execute("DROP FUNCTION IF EXISTS inspection_results_append_only()")
    else:
        for verb in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS inspection_results_no_{verb}")
    op.drop_index(op.f("ix_inspection_notes_inspection_id"), table_name="inspection_notes")
    op.drop_table("inspection_notes")
    op.drop_table("inspection_results")
    op.drop_table("inspection_inspectors")
    for index in ("ix_inspections_submitted_at_id", "ix_inspections_enterprise_id_inspected_on",
                  "ix_inspections_campaign_id", "ix_inspections_area_path"):  # fmt: skip
        op.drop_index(index, table_name="inspections")
    op.drop_table("inspections")
    op.drop_index("ix_campaign_targets_enterprise_id", table_name="campaign_targets")
    for table in ("campaign_targets", "campaign_checklists", "campaign_areas", "campaigns",
                  "checklist_items", "checklist_versions", "checklists"):  # fmt: skip
        op.drop_table(table)


def _unlink_findings():
    """The findings stay, as findings reported alone; only their links to the inspection go."""
    op.drop_index(op.f("ix_findings_inspection_id"), table_name="findings")
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        for column, _kind, _referred, name in FINDING_LINKS:
            op.drop_constraint(op.f(name), "findings", type_="foreignkey")
            op.drop_column("findings", column)
        return
    _drop_inline_references(bind)
    for column, *_ in FINDING_LINKS:
        op.drop_column("findings", column)


def _drop_inline_references(bind):
    # https://www.sqlite.org/lang_altertable.html#otheralter: a constraint may be changed by editing the stored
    # CREATE TABLE; the schema version is bumped so every connection re-reads it. Taking a reference out leaves
    # every row valid.
    sql = bind.execute(sa.text("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'findings'")).scalar()
    edited = sql
    for column, _kind, referred, _name in FINDING_LINKS:
        edited, found = re.subn(rf"(\b{column} [A-Z]+(?:\(\d+\))?) REFERENCES {referred} \(id\)", r"\1", edited)
        if found != 1:
            raise RuntimeError(f"findings.{column} does not carry the reference this migration made")
    version = bind.execute(sa.text("PRAGMA schema_version")).scalar()
    bind.execute(sa.text("PRAGMA writable_schema = ON"))
    bind.execute(
        sa.text("UPDATE sqlite_master SET sql = :sql WHERE type = 'table' AND name = 'findings'"), {"sql": edited}
    )
    bind.execute(sa.text(f"PRAGMA schema_version = {version + 1}"))
    bind.execute(sa.text("PRAGMA writable_schema = OFF"))
    if bind.execute(sa.text("PRAGMA integrity_check")).scalar() != "ok":
        raise RuntimeError("SQLite's integrity check failed after taking findings' references out")

"""The enforcement documents (issue 14): issuing authorities, the 文号 counters, and the documents, which never change.

- issuing_authorities: the 执法机关 of an area (its name, the 文号's short form, its 行政复议机关), seeded for
  Xiamen's city and six districts, the demo's; keyed by area code, so a row for an area a deployment does not
  have is inert.
- document_sequences: one counter row per (authority, kind, year), taken by an upsert in the issuing
  transaction (gap-free, never repeated).
- documents: triggers refuse UPDATE and DELETE (TRUNCATE, which tests use, fires neither); a correction or a
  signed copy is a new row.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 18:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

AUTHORITIES = (  # area code, name, short form, review body
    ("350200", "厦门市应急管理局", "厦", "厦门市人民政府"),
    ("350203", "厦门市思明区应急管理局", "厦思", "厦门市思明区人民政府"),
    ("350205", "厦门市海沧区应急管理局", "厦海", "厦门市海沧区人民政府"),
    ("350206", "厦门市湖里区应急管理局", "厦湖", "厦门市湖里区人民政府"),
    ("350211", "厦门市集美区应急管理局", "厦集", "厦门市集美区人民政府"),
    ("350212", "厦门市同安区应急管理局", "厦同", "厦门市同安区人民政府"),
    ("350213", "厦门市翔安区应急管理局", "厦翔", "厦门市翔安区人民政府"),
)


def upgrade():
    authorities = op.create_table(
        "issuing_authorities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("area_code", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("short_name", sa.String(length=10), nullable=False),
        sa.Column("review_body", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_issuing_authorities")),
        sa.UniqueConstraint("area_code", name=op.f("uq_issuing_authorities_area_code")),
    )
    op.bulk_insert(
        authorities,
        [{"area_code": c, "name": n, "short_name": s, "review_body": r} for c, n, s, r in AUTHORITIES],
    )
    op.create_table(
        "document_sequences",
        sa.Column("authority_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["authority_id"],
            ["issuing_authorities.id"],
            name=op.f("fk_document_sequences_authority_id_issuing_authorities"),
        ),
        sa.PrimaryKeyConstraint("authority_id", "kind", "year", name=op.f("pk_document_sequences")),
    )
    _create_documents()
    _protect_documents()


def _fk(column: str, table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{table}.id"], name=op.f(f"fk_documents_{column}_{table}"))


def _create_documents():
    op.create_table(
        "documents",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("edition", sa.String(length=10), nullable=False),
        sa.Column("authority_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("serial", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=60), nullable=False),
        sa.Column("inspection_id", sa.Uuid(), nullable=True),
        sa.Column("finding_id", sa.Uuid(), nullable=True),
        sa.Column("review_event_id", sa.Uuid(), nullable=True),
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        sa.Column("area_path", sa.String(length=255), nullable=False),
        sa.Column("supersedes_id", sa.Uuid(), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("byte_size", sa.Integer(), nullable=False),
        sa.Column("facts", sa.JSON(), nullable=False),
        sa.Column("issued_by_id", sa.Integer(), nullable=False),
        sa.Column("issued_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('inspection_record','rectification_order','review_opinion')", name=op.f("ck_documents_kind")
        ),
        sa.CheckConstraint("edition IN ('issued','signed')", name=op.f("ck_documents_edition")),
        sa.CheckConstraint("inspection_id IS NOT NULL OR finding_id IS NOT NULL", name=op.f("ck_documents_subject")),
        _fk("authority_id", "issuing_authorities"),
        _fk("inspection_id", "inspections"),
        _fk("finding_id", "findings"),
        _fk("review_event_id", "finding_events"),
        _fk("enterprise_id", "enterprises"),
        _fk("supersedes_id", "documents"),
        _fk("issued_by_id", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_documents")),
        sa.UniqueConstraint("number", "edition", name="uq_documents_number_edition"),
        sa.UniqueConstraint("supersedes_id", name="uq_documents_supersedes_id"),
    )
    op.create_index("ix_documents_inspection_id", "documents", ["inspection_id"])
    op.create_index("ix_documents_finding_id", "documents", ["finding_id"])
    op.create_index("ix_documents_sha256", "documents", ["sha256"])


def _protect_documents():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION documents_never_change() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN RAISE EXCEPTION 'documents never change' USING ERRCODE = 'restrict_violation'; END $$"
        )
        op.execute(
            "CREATE TRIGGER documents_never_change BEFORE UPDATE OR DELETE ON documents "
            "FOR EACH ROW EXECUTE FUNCTION documents_never_change()"
        )
    else:
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER documents_no_{verb.lower()} BEFORE {verb} ON documents "
                "BEGIN SELECT RAISE(ABORT, 'documents never change'); END"
            )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS documents_never_change ON documents")
        op.execute("DROP FUNCTION IF EXISTS documents_never_change()")
    else:
        for verb in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS documents_no_{verb}")
    for index in ("ix_documents_inspection_id", "ix_documents_finding_id", "ix_documents_sha256"):
        op.drop_index(index, table_name="documents")
    op.drop_table("documents")
    op.drop_table("document_sequences")
    op.drop_table("issuing_authorities")

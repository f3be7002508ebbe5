"""A finding's row: every column its representation needs, read in one Core statement.

Lists are the hot path, so rows go through the session's connection as plain tuples (no ORM objects): the ORM layer
adds a third to a page and gives nothing here. Listed in docs/benchmarks.md beside the row that justifies it.
"""

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, aliased

from app.models import Area, Enterprise, Finding, User

Reporter = aliased(User, name="reporter")
ReporterUnit = aliased(Area, name="reporter_unit")


def finding_rows() -> Select:
    """Every column a finding's representation needs, in one statement (built once: statements are immutable)."""
    return _FINDING_ROWS


def read_rows(session: Session, statement: Select) -> list:
    """Plain rows through the session's connection: the ORM layer adds a third to a page and gives nothing here."""
    return session.connection().execute(statement).all()


def _finding_rows() -> Select:
    return (
        select(
            Finding.__table__,
            Enterprise.name.label("enterprise_name"),
            Enterprise.credit_code.label("enterprise_credit_code"),
            Enterprise.address.label("enterprise_address"),
            Area.code.label("area_code"),
            Area.name.label("area_name"),
            Reporter.username.label("reporter_username"),
            Reporter.display_name.label("reporter_display_name"),
            Reporter.role.label("reporter_role"),
            ReporterUnit.name.label("reporter_unit"),
        )
        .join(Area, Area.id == Finding.area_id)
        .join(Reporter, Reporter.id == Finding.reporter_id)
        .outerjoin(ReporterUnit, ReporterUnit.id == Reporter.area_id)
        .outerjoin(Enterprise, Enterprise.id == Finding.enterprise_id)
    )


_FINDING_ROWS = _finding_rows()

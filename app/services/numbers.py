"""Human finding numbers: YH-<district code>-<year>-<six digits>, counted per district and year."""

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.models import FindingCounter

_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def district_code(area_path: str) -> str:
    """The district (区/县) of an area, read from its path "/city/district/...": no query needed."""
    parts = [p for p in area_path.split("/") if p]
    return parts[1] if len(parts) > 1 else parts[0]


def next_number(session: Session, district: str, year: int) -> str:
    """One atomic upsert: the row lock serialises numbering, and rolling back returns the number."""
    insert = _INSERTS[session.get_bind().dialect.name](FindingCounter)
    statement = (
        insert.values(district_code=district, year=year, last=1)
        .on_conflict_do_update(
            index_elements=["district_code", "year"], set_={"last": FindingCounter.__table__.c.last + 1}
        )
        .returning(FindingCounter.__table__.c.last)
    )
    last = session.execute(statement).scalar_one()
    return f"YH-{district}-{year}-{last:06d}"

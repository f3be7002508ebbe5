"""Human finding numbers: YH-<district code>-<year>-<six digits>, counted per district and year."""

from sqlalchemy import text
from sqlalchemy.orm import Session

# Written out because SQLAlchemy 2.0 compiles its ON CONFLICT constructs anew on every call (they carry no
# cache key), which cost more than the statement itself. Both SQLite (3.35+) and PostgreSQL run this text.
_NEXT = text(
    "INSERT INTO finding_counters (district_code, year, last) VALUES (:district, :year, 1) "
    "ON CONFLICT (district_code, year) DO UPDATE SET last = finding_counters.last + 1 "
    "RETURNING last"
)


def district_code(area_path: str) -> str:
    """The district (区/县) of an area, read from its path "/city/district/...": no query needed."""
    parts = [p for p in area_path.split("/") if p]
    return parts[1] if len(parts) > 1 else parts[0]


def next_number(session: Session, district: str, year: int) -> str:
    """One atomic upsert: the row lock serialises numbering, and rolling back returns the number."""
    last = session.connection().execute(_NEXT, {"district": district, "year": year}).scalar_one()
    return f"YH-{district}-{year}-{last:06d}"

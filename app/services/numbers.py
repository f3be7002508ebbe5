"""Human finding numbers: YH-<district code>-<year>-<six digits>, counted per district and year."""

from sqlalchemy import text
from sqlalchemy.orm import Session

# Written out because SQLAlchemy 2.0 compiles its ON CONFLICT constructs anew on every call (they carry no
# cache key), which cost more than the statement itself. Both SQLite (3.35+) and PostgreSQL run this text.
NEXT_LAST = text(
    "INSERT INTO finding_counters (district_code, year, last) VALUES (:district, :year, 1) "
    "ON CONFLICT (district_code, year) DO UPDATE SET last = finding_counters.last + 1 "
    "RETURNING last"
)

# Only ever right after NEXT_LAST in the same transaction, whose row lock (SQLite: the write lock) kept every other
# create from numbering since: the last number is still ours to give back.
GIVE_BACK_LAST = text(
    "UPDATE finding_counters SET last = last - 1 WHERE district_code = :district AND year = :year"
)


def district_code(area_path: str) -> str:
    """The district (区/县) of an area, read from its path "/city/district/...": no query needed."""
    parts = [p for p in area_path.split("/") if p]
    return parts[1] if len(parts) > 1 else parts[0]


def next_number(session: Session, district: str, year: int) -> str:
    """One atomic upsert: the row lock serialises numbering, and rolling back returns the number."""
    return finding_number(district, year, next_last(session, district, year))


def next_last(session: Session, district: str, year: int) -> int:
    """The counter's next value (next_number's, unformatted)."""
    return session.connection().execute(NEXT_LAST, {"district": district, "year": year}).scalar_one()


def finding_number(district: str, year: int, last: int) -> str:
    return f"YH-{district}-{year}-{last:06d}"


def give_back_number(session: Session, district: str, year: int) -> None:
    """Return the number next_number just handed out, when the finding it was for was not written after all
    (a retry, a create that lost the race for its id): numbers stay consecutive, with no gap."""
    session.connection().execute(GIVE_BACK_LAST, {"district": district, "year": year})

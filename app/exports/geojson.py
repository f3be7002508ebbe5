"""The located findings as an RFC 7946 GeoJSON FeatureCollection, streamed: each a Point [lng, lat] in WGS-84
(the RFC's only CRS, so no `crs` member), with the properties the desk's map draws from."""

from collections.abc import Iterable, Iterator

import orjson

from app.domain.calendar import days_overdue
from app.domain.terms import State
from app.exports.ledger import LedgerContext
from app.read.ledger import LedgerRow

CHUNK = 64 * 1024
OPENING = b'{"type":"FeatureCollection","features":['
CLOSING = b"]}\n"


def feature(row: LedgerRow, ctx: LedgerContext) -> dict:
    f = row.finding
    late = days_overdue(State(f["status"]), f["deadline"], ctx.today)
    category = ctx.categories.get(f["category_id"])
    return {
        "type": "Feature",
        "id": str(f["id"]),
        "geometry": {"type": "Point", "coordinates": [f["lng"], f["lat"]]},
        "properties": {
            "id": str(f["id"]),
            "number": f["number"],
            "title": f["title"],
            "status": f["status"],
            "level": f["level"],
            "overdue": late > 0,
            "days_overdue": late,
            "deadline": f["deadline"].isoformat() if f["deadline"] else None,
            "enterprise": f["enterprise_name"],
            "area": f["area_name"],
            "category": category["name_zh"] if category else None,
        },
    }


def geojson_chunks(rows: Iterable[LedgerRow], ctx: LedgerContext) -> Iterator[bytes]:
    """The collection's bytes, CHUNK bytes or so at a time. The rows must all have a location."""
    parts, size, first = [OPENING], len(OPENING), True
    for row in rows:
        part = (b"" if first else b",") + orjson.dumps(feature(row, ctx))
        parts.append(part)
        size, first = size + len(part), False
        if size >= CHUNK:
            yield b"".join(parts)
            parts, size = [], 0
    parts.append(CLOSING)
    yield b"".join(parts)

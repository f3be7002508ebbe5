"""Targets 2 and 3: a 50-item page of the list through the real API, against a bare keyset page; and the page
after (rows - 50) items against the first page, through the real API with the real cursor.

All four request kinds are interleaved in one run (ours first page, floor first page, ours deep page, floor deep
page), so both ratios see the same machine noise.
"""

import uuid
from datetime import timedelta

from sqlalchemy import select

from app.extensions import db
from app.models import Finding
from app.read.findings import encode_cursor
from bench.create import BenchmarkFailed
from bench.floors import list_floor
from bench.results import Result
from bench.timing import interleave
from bench.world import World

URL = "/api/v1/findings"
PAGE = 50
LIST_TARGET = ">= 0.60"
DEEP_TARGET = "<= 1.20"
ORDER = (Finding.received_at.desc(), Finding.id.desc())


def _positions(world: World):
    """The newest row, the row at position rows - PAGE (found once, with OFFSET: setup only), and the ids
    each page must return."""
    with world.app.app_context():
        session = db.session
        newest = session.scalars(select(Finding).order_by(*ORDER).limit(1)).one()
        anchor = session.scalars(select(Finding).order_by(*ORDER).offset(world.rows - PAGE - 1).limit(1)).one()
        first_ids = [str(i) for i in session.scalars(select(Finding.id).order_by(*ORDER).limit(PAGE))]
        oldest = select(Finding.id).order_by(Finding.received_at, Finding.id).limit(PAGE)
        deep_ids = [str(i) for i in session.scalars(oldest)][::-1]
        session.expunge_all()
        db.session.remove()
    return newest, anchor, first_ids, deep_ids


def getter(client, url: str, query: dict, headers: dict | None = None):
    def call():
        response = client.get(url, query_string=query, headers=headers)
        if response.status_code != 200:
            raise BenchmarkFailed(f"GET {url} -> {response.status_code}: {response.get_data(as_text=True)[:500]}")
        return response

    return call


def _check(call, expected_ids: list[str], what: str) -> None:
    got = [item["id"] for item in call().get_json()["items"]]
    if got != expected_ids:
        raise BenchmarkFailed(f"{what}: expected the {len(expected_ids)} rows {expected_ids[:2]}..., got {got[:2]}...")


def run(world: World, backend: str, cfg) -> list[Result]:
    if world.rows < 2 * PAGE:
        raise BenchmarkFailed("the list benchmarks need bulk rows: run with --rows")
    newest, anchor, first_ids, deep_ids = _positions(world)
    cursor = encode_cursor(anchor)  # the API's own cursor format, exactly as a client would get it
    ours_client = world.client()
    auth = {"Authorization": f"Bearer {world.supervisor_token}"}
    floor_client, floor_engine = list_floor(world)
    top = f"{(newest.received_at + timedelta(microseconds=1)).isoformat()},{uuid.UUID(int=0)}"
    deep = f"{anchor.received_at.isoformat()},{anchor.id}"
    sides = {
        "ours_first": getter(ours_client, URL, {"limit": PAGE}, auth),
        "floor_first": getter(floor_client, "/findings", {"limit": PAGE, "before": top}),
        "ours_deep": getter(ours_client, URL, {"limit": PAGE, "cursor": cursor}, auth),
        "floor_deep": getter(floor_client, "/findings", {"limit": PAGE, "before": deep}),
    }
    try:
        for name, expected in (("first", first_ids), ("deep", deep_ids)):
            _check(sides[f"ours_{name}"], expected, f"API {name} page")
            _check(sides[f"floor_{name}"], expected, f"floor {name} page")
        s = interleave(sides, rounds=cfg.rounds, batch=cfg.list_batch, warmup=cfg.list_batch)
    finally:
        floor_engine.dispose()
    of, ff, od, fd = s["ours_first"], s["floor_first"], s["ours_deep"], s["floor_deep"]
    per_side = f"{cfg.rounds} rounds x {cfg.list_batch} requests per side"
    return [
        Result(
            backend=backend,
            metric=f"list page of {PAGE}, median latency (ratio = floor/ours)",
            ours=f"{of.median_ms:.2f} ms",
            floor=f"{ff.median_ms:.2f} ms",
            ratio=ff.median_ms / of.median_ms,
            target=LIST_TARGET,
            detail=f"{per_side}; {world.rows:,} rows; p90 ours {of.p90_ms:.2f} ms, floor {ff.p90_ms:.2f} ms",
        ),
        Result(
            backend=backend,
            metric=f"page after {world.rows - PAGE:,} items vs first page (ratio = deep/first)",
            ours=f"{od.median_ms:.2f} ms",
            floor=f"{of.median_ms:.2f} ms (1st)",
            ratio=od.median_ms / of.median_ms,
            target=DEEP_TARGET,
            detail=f"{per_side}; p90 deep {od.p90_ms:.2f} ms, first {of.p90_ms:.2f} ms",
        ),
        Result(
            backend=backend,
            metric="floor: deep page vs first page (ratio = deep/first)",
            ours=f"{fd.median_ms:.2f} ms",
            floor=f"{ff.median_ms:.2f} ms (1st)",
            ratio=fd.median_ms / ff.median_ms,
            target="",
            detail=f"p90 deep {fd.p90_ms:.2f} ms, first {ff.p90_ms:.2f} ms: what keyset alone costs at depth",
        ),
    ]

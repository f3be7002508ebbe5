"""Target 1: creating a finding through the real API, against a bare Flask + SQLAlchemy insert."""

import json
import uuid

from bench.floors import create_floor
from bench.results import Result
from bench.timing import interleave
from bench.world import World, finding_body

URL = "/api/v1/findings"
TARGET = ">= 0.70"


class BenchmarkFailed(RuntimeError):
    """A request did not answer as it should: the benchmark is broken, not merely slow."""


def body_maker(world: World):
    """A realistic body with a fresh client UUID per request; the same cost for both sides."""
    prefix = json.dumps({"id": "00000000-0000-0000-0000-000000000000", **finding_body(world)}, ensure_ascii=False)
    head, tail = prefix.split("00000000-0000-0000-0000-000000000000")
    return lambda: (head + str(uuid.uuid4()) + tail).encode()


def poster(client, url: str, make_body, headers: dict | None = None, expect: int = 201):
    def call():
        response = client.post(url, data=make_body(), content_type="application/json", headers=headers)
        if response.status_code != expect:
            raise BenchmarkFailed(f"POST {url} -> {response.status_code}: {response.get_data(as_text=True)[:500]}")

    return call


def run(world: World, backend: str, cfg) -> list[Result]:
    make_body = body_maker(world)
    ours = poster(world.client(), URL, make_body, {"Authorization": f"Bearer {world.inspector_token}"})
    floor_client, floor_engine = create_floor(world)
    floor = poster(floor_client, "/findings", make_body)
    try:
        samples = interleave(
            {"ours": ours, "floor": floor}, rounds=cfg.rounds, batch=cfg.create_batch, warmup=cfg.create_batch
        )
    finally:
        floor_engine.dispose()
    o, f = samples["ours"], samples["floor"]
    return [
        Result(
            backend=backend,
            metric="create finding, requests/s",
            ours=f"{o.median_rate:.0f}/s",
            floor=f"{f.median_rate:.0f}/s",
            ratio=o.median_rate / f.median_rate,
            target=TARGET,
            detail=(
                f"{cfg.rounds} rounds x {cfg.create_batch} requests per side; per-request latency median/p90 "
                f"ours {o.median_ms:.2f}/{o.p90_ms:.2f} ms, floor {f.median_ms:.2f}/{f.p90_ms:.2f} ms; "
                f"slowest-decile batch rate ours {o.p10_rate:.0f}/s, floor {f.p10_rate:.0f}/s"
            ),
        )
    ]

"""What the checklist, campaign and inspection tests share: a district with two streets, its people, and the
bodies a device sends (ids made here, as a device makes them). Here, not in tests/api, so the integration tests
share it too."""

import json
import uuid
from datetime import date, datetime, timedelta

import factories as f

from app.domain.calendar import local_today, utcnow

CHECKLISTS, CAMPAIGNS, INSPECTIONS = "/api/v1/checklists", "/api/v1/campaigns", "/api/v1/inspections"


def jsonify(value):
    """Python test data as the JSON a client would send (UUIDs, dates and datetimes as strings)."""
    return json.loads(json.dumps(value, default=lambda v: v.isoformat() if isinstance(v, date | datetime) else str(v)))


def real_today() -> date:
    """The day in Shanghai by the real clock: the API judges deadlines and inspection days by it."""
    return local_today(utcnow())


MAJOR = {"major_criterion": "gongmao_2023", "major_clause": "第四条第（一）项"}


class Scene:
    """factories.World plus a second street (a grid with two enterprises, one enterprise on the street itself),
    and one of each person, each with a bearer token."""

    def __init__(self, session):
        w = self.world = f.World(session)
        self.session = session
        self.street2 = f.area(session, "350206002", "street", w.district, name="殿前街道")
        self.grid2 = f.area(session, "35020600200101", "grid", self.street2, name="殿前第一网格")
        self.enterprises = [w.enterprise, w.other_enterprise, f.enterprise(session, self.grid2),
                            f.enterprise(session, self.grid2), f.enterprise(session, self.street2)]  # fmt: skip
        self.chemical = f.enterprise(session, self.grid2, sector="chemical")  # outside a manufacturing campaign
        people = {
            "admin": w.user("admin"),
            "supervisor": w.user("supervisor"),  # the city's
            "district_supervisor": w.user("supervisor", area=w.district),
            "inspector": w.user("inspector"),
            "inspector2": w.user("inspector"),
            "far_inspector": w.user("inspector", area=w.other_district),
            "grid_worker": w.user("grid_worker"),
            "officer": w.user("enterprise_officer"),
        }
        self.users = people
        self.headers = {name: f.token_for(session, user) for name, user in people.items()}
        session.commit()

    def name(self, who: str) -> str:
        return self.users[who].username


def checklist_body(n: int = 20, majors: tuple[int, ...] = (), **overrides) -> dict:
    """A checklist of n items, those at the indexes in `majors` 重大 by 令10号 第四条; methods and categories vary."""
    methods, categories = ("records", "site", "interview", "现场查看"), ("fire", "electrical", "dust", "management")
    items = [
        {"id": str(uuid.uuid4()), "content": f"检查项{i + 1}：安全出口、疏散通道畅通（第{i + 1}处）",
         "basis": f"GB 55036-2022 第{i + 1}条", "method": methods[i % 4], "category": categories[i % 4],
         **(MAJOR if i in majors else {})}
        for i in range(n)
    ]  # fmt: skip
    return {
        "id": str(uuid.uuid4()),
        "name": "消防安全检查表",
        "sectors": ["manufacturing"],
        "items": items,
        **overrides,
    }


def campaign_body(scene: Scene, checklist_ids: list[str], **overrides) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "name": "第四轮安全生产大检查",
        "starts_on": (real_today() - timedelta(days=10)).isoformat(),
        "ends_on": (real_today() + timedelta(days=50)).isoformat(),
        "areas": [scene.world.district.code],
        "sectors": ["manufacturing"],
        "checklist_ids": checklist_ids,
        **overrides,
    }


def inspection_body(scene: Scene, checklist: dict, enterprise, *, failed=(), na=(), **overrides) -> dict:
    """Every item answered: those at the indexes in `failed` fail (each with a new finding), in `na` n.a."""
    results = []
    for i, item in enumerate(checklist["items"]):
        result = {"item_id": item["id"], "result": "fail" if i in failed else "na" if i in na else "pass"}
        if i in failed:
            result["note"] = f"第{i + 1}项不符合"
            result["finding"] = {"id": str(uuid.uuid4()), "deadline": (real_today() + timedelta(days=15)).isoformat()}
        results.append(result)
    body = {
        "id": str(uuid.uuid4()),
        "enterprise_id": enterprise.id,
        "checklist_id": checklist["id"],
        "inspected_on": real_today().isoformat(),
        "enforcement": True,
        "inspectors": [scene.name("inspector"), {"username": scene.name("inspector2"), "cert_no": "35020012345"}],
        "results": results,
    }
    return jsonify({**body, **overrides})


def made(client, scene: Scene, url: str, body: dict, who: str = "supervisor") -> dict:
    response = client.post(url, json=body, headers=scene.headers[who])
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()

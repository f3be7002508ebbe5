"""A known mix of findings for the statistics tests (test_stats.py, test_filter_parity.py).

Two districts of one city: 湖里 (350206) with two streets, 思明 (350203) whose grid hangs straight under the
district (no street). Findings in every state, overdue and not, major and general, listed, with an extension
pending, a fix on the spot, a report voided in triage, one filed at the district itself (its enterprise is
registered there), a report with no enterprise, observed in several months. Everything is built through the real
verbs (factories); only what the verbs take from the clock (observed_at, updated_at, closed_at, a past deadline)
is then placed by SQL, as the days would have placed it.
"""

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone

import factories as f
from helpers import real_today
from sqlalchemy import update

from app.domain.calendar import utcnow
from app.models import Finding

CST = timezone(timedelta(hours=8))
LISTING = {"level": "city", "authority": "厦门市安委办", "document_no": "厦安办督〔2026〕7号", "leader": "王副市长",
           "public": True}  # fmt: skip


@dataclass
class Scene:
    session: object
    world: f.World
    users: dict = field(default_factory=dict)
    headers: dict = field(default_factory=dict)
    findings: dict = field(default_factory=dict)  # name -> id
    areas: dict = field(default_factory=dict)
    enterprises: dict = field(default_factory=dict)

    def join(self, name: str, who) -> None:
        self.users[name] = who
        self.headers[name] = f.token_for(self.session, who)

    def report(self, name: str, who: str, data: dict) -> None:
        finding = f.report(self.session, self.users[who], data, utcnow())
        self.session.commit()
        self.findings[name] = finding.id

    def act(self, name: str, who: str, action: str, **payload) -> None:
        self.session.rollback()
        self.session.expire_all()  # the finding as the steps before left it (its version moved)
        finding = self.session.get(Finding, self.findings[name])
        f.act(self.session, self.users[who], finding, action, utcnow(), **payload)
        self.session.commit()

    def place(self, name: str, **values) -> None:
        """Set what the clock decides (observed_at, updated_at, deadline, closed_at) on a finding."""
        self.session.execute(update(Finding).where(Finding.id == self.findings[name]).values(**values))
        self.session.commit()


def build(session) -> Scene:
    world = f.World(session)
    s = Scene(session, world)
    street2 = f.area(session, "350206002", "street", world.district, name="禾山街道")
    grid2 = f.area(session, "35020600200101", "grid", street2)
    chem = f.enterprise(session, grid2, sector="chemical")
    at_district = f.enterprise(session, world.district, sector="construction")  # its grid not known: filed at 湖里
    s.areas = {"city": world.city, "district": world.district, "street": world.street, "grid": world.grid,
               "street2": street2, "grid2": grid2, "far_district": world.other_district, "far_grid": world.other_grid}
    s.enterprises = {"ours": world.enterprise, "other": world.other_enterprise, "far": world.far_enterprise,
                     "chem": chem, "at_district": at_district}  # fmt: skip
    for name, role, where, company in [
        ("admin", "admin", None, None),
        ("supervisor", "supervisor", world.city, None),
        ("district_supervisor", "supervisor", world.district, None),
        ("inspector", "inspector", world.district, None),
        ("far_inspector", "inspector", world.other_district, None),
        ("grid_worker", "grid_worker", world.grid, None),
        ("officer", "enterprise_officer", None, world.enterprise),
        ("other_officer", "enterprise_officer", None, world.other_enterprise),
        ("far_officer", "enterprise_officer", None, world.far_enterprise),
    ]:
        s.join(name, world.user(role, area=where, enterprise=company) if where or company else world.user(role))
    session.commit()
    _findings(s)
    return s


def _findings(s: Scene) -> None:
    today, now = real_today(), utcnow()
    ours, other, far, chem = (s.enterprises[k] for k in ("ours", "other", "far", "chem"))  # fmt: skip

    def data(company, **overrides):
        terms = {"observed_at": now - timedelta(minutes=5), "deadline": today + timedelta(days=7), **overrides}
        return f.finding_data(company, **terms)

    s.report("fire_open", "inspector", data(ours, title="消防通道被货物堵塞"))
    s.report("wiring_overdue", "inspector", data(ours, category="electrical", title="配电箱未上锁"))
    s.report("major_listed", "inspector", f.major_data(ours, observed_at=now, deadline=today + timedelta(days=30)))
    s.act("major_listed", "supervisor", "list_supervision", **LISTING)
    s.report("extension", "inspector", data(other, title="叉车司机无证驾驶"))
    s.act("extension", "other_officer", "request_extension", new_deadline=today + timedelta(days=20), reason="配件")
    s.report("handed_in", "inspector", data(ours, category="electrical", title="插座老化"))
    s.act("handed_in", "officer", "submit_rectification", measures="更换插座", completed_on=today)
    fix = {"measures": "当场清理", "completed_on": today}
    s.report("on_the_spot", "inspector", data(ours, rectify_mode="immediate", deadline=None, rectification=fix))
    s.report("closed", "inspector", data(ours, title="灭火器过期"))
    s.act("closed", "officer", "submit_rectification", measures="更换灭火器", completed_on=today)
    s.act("closed", "supervisor", "approve", on_site=False)
    s.report("voided", "inspector", data(other, title="重复上报的隐患"))
    s.act("voided", "supervisor", "void", reason="重复上报")
    s.report("grid_report", "grid_worker", data(ours, title="楼道堆放杂物"))
    s.report("grid_voided", "grid_worker", data(ours, title="误报"))
    s.act("grid_voided", "supervisor", "void", reason="误报")
    s.report("district_own", "inspector", data(s.enterprises["at_district"], title="道路施工未设围挡"))
    s.report("no_enterprise", "grid_worker", data(None, title="路边井盖缺失"))  # no enterprise: waits for triage
    s.report("far_open", "far_inspector", data(far, category="hazchem", title="危化品仓库通风不良"))
    s.report("far_closed", "far_inspector", data(far, title="安全出口锁闭"))
    s.act("far_closed", "far_officer", "submit_rectification", measures="开锁", completed_on=today)
    s.act("far_closed", "supervisor", "approve", on_site=False)
    s.report("chem_overdue", "inspector", data(chem, category="hazchem", level="major",
                                               major_basis={"criterion": "gongmao_2023", "clause": "第四条(一)"}))
    # what the days decide: two deadlines passed, the findings observed over several months, some not touched lately
    for name in ("wiring_overdue", "chem_overdue"):
        s.place(name, deadline=today - timedelta(days=3))
    months = {"fire_open": (2026, 1, 15), "wiring_overdue": (2026, 2, 10), "major_listed": (2026, 3, 31, 23, 30),
              "extension": (2026, 4, 1, 0, 10), "handed_in": (2026, 4, 20), "closed": (2026, 3, 5),
              "voided": (2026, 6, 30), "far_open": (2026, 7, 1), "far_closed": (2026, 2, 28)}  # fmt: skip
    for name, parts in months.items():
        s.place(name, observed_at=datetime(*parts, tzinfo=CST).astimezone(UTC))
    for name in ("fire_open", "voided", "far_closed", "district_own"):
        s.place(name, updated_at=now - timedelta(days=10))


def finding_id(s: Scene, name: str) -> str:
    return str(s.findings[name])


def new_id() -> str:
    return str(uuid.uuid4())

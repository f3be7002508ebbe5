"""seed-demo: a believable Xiamen demo, built only through the real services so every history is consistent.

Each finding follows a script (its report, then the steps that bring it to its final state) on a simulated
clock that starts some days ago and never passes the real now, so the date rules judge every step by the day
it happened. All randomness comes from one seeded random.Random, so there is nothing to tune but `rng_seed`.
"""

import random
import secrets
import uuid
from collections import namedtuple
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from flask import current_app, has_app_context
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.demo.finding_templates import TEMPLATES
from app.demo.inspections import reserved_findings, seed_field_work
from app.demo.pictures import VARIANTS, picture
from app.demo.xiamen import AREAS, CITY_CODE, DEMO_GRID_CODE, DEMO_INSPECTOR_AREA, ENTERPRISES, OFFICER_ENTERPRISE_INDEX
from app.domain.calendar import SHANGHAI, local_today, utcnow
from app.domain.terms import State
from app.imaging import process_photo
from app.jobs.deadlines import run_deadlines
from app.models import Area, Enterprise, Finding, Notification, User
from app.read.filters import overdue_clause
from app.services.accounts import create_user, hash_password
from app.services.actions import apply_action
from app.services.actors import actor_for
from app.services.findings import report_finding
from app.services.photos import store_photo
from app.storage import Storage

DEMO_PASSWORD = "closeloop-demo"
DEMO_LOGINS = ("inspector", "grid", "officer", "supervisor", "admin")

# fmt: off
# Invented people: one inspector per district (the 湖里区 one is the `inspector` login), one grid worker per
# district (the first, in the officer's grid, is `grid`), a city supervisor (`supervisor`) and a 湖里区 one.
INSPECTORS = {"350206": "林志强", "350203": "陈雅琴", "350205": "黄伟明", "350211": "吴国栋", "350212": "郭晓东",
              "350213": "洪少华"}
GRID_WORKERS = ["李秀兰", "周美华", "许丽娟", "蔡文辉", "何春燕", "沈志刚"]
SUPERVISORS = [("supervisor", "张德明", CITY_CODE), ("supervisor-350206", "刘慧敏", "350206")]

SECTOR_CATEGORIES = {
    "manufacturing": ("machinery", "electrical", "dust", "fire", "confined_space"),
    "chemical": ("hazchem", "fire", "electrical", "confined_space"),
    "construction": ("construction", "electrical", "special_equipment"),
    "warehousing": ("fire", "special_equipment", "electrical", "other"),
    "catering": ("gas", "fire", "electrical"),
    "retail": ("fire", "electrical", "other"),
    "gas": ("gas", "fire", "special_equipment"),
    "metal": ("dust", "machinery", "special_equipment", "confined_space"),
    "port": ("special_equipment", "machinery", "fire", "other"),
    "hotel": ("fire", "electrical", "special_equipment", "gas"),
}
EXTENSION_REASONS = ["整改所需防爆设备供货周期较长，预计到货后一周内完成安装。",
                     "整改需停产施工，需避开在手订单交付高峰。", "需委托有资质的单位设计和施工，合同流程尚未完成。"]
REJECT_COMMENTS = ["整改照片未体现整改后现场全貌，请补充并完善整改记录。", "现场复核发现问题仍部分存在，请继续整改。"]
APPROVE_COMMENTS = ["经现场核验，整改到位，同意销号。", "整改资料齐全，措施落实到位，同意销号。"]
CONTINGENCY = "整改期间设置警戒区域、安排专人监护，制定专项应急处置方案并配备应急物资，必要时停止相关作业。"

# name: (steps, weight, (youngest, oldest) age in days, level the template must have, needs a grid worker).
# A step "x?0.6" is taken with probability 0.6. Each script ends in the state its name says.
SCRIPTS = {
    "triage":              (("report_grid",), 8, (0, 5), None, True),
    "fresh":               (("open",), 6, (0, 2), None, False),
    "acknowledged":        (("open", "acknowledge"), 10, (2, 20), None, False),
    "extension_pending":   (("open", "acknowledge", "request_extension"), 5, (5, 25), None, False),
    "extension_decided":   (("open", "acknowledge", "request_extension", "decide_extension"), 4, (8, 40), None, False),
    "planned":             (("open", "acknowledge"), 4, (5, 25), "major", False),
    "overdue":             (("report_overdue", "acknowledge?0.6", "nudge?0.4", "request_extension?0.25"), 12,
                            (12, 75), None, False),
    "pending_review":      (("open_any", "acknowledge", "rectify"), 12, (3, 30), None, False),
    "closed":              (("open_any", "acknowledge", "rectify", "approve"), 22, (10, 150), None, False),
    "rejected":            (("open_any", "acknowledge", "rectify", "reject"), 3, (8, 40), None, False),
    "closed_after_reject": (("open_any", "acknowledge", "rectify", "reject", "rectify", "approve"), 4, (20, 150),
                            None, False),
    "reopened":            (("open_any", "acknowledge", "rectify", "approve", "reopen"), 2, (30, 120), None, False),
    "spot_fix":            (("spot_fix", "approve?0.6"), 6, (1, 120), "general", False),
    "void_report":         (("report_grid", "void"), 3, (2, 60), None, True),
    "void_order":          (("open", "void"), 2, (5, 60), None, False),
}
# The demo officer's company gets a bit of everything; the first five cover all five states.
OFFICER_SCRIPTS = ["triage", "acknowledged", "pending_review", "closed", "void_order", "triage", "planned",
                   "extension_pending", "overdue", "fresh", "closed", "rejected"]
# fmt: on


def already_seeded(session: Session) -> bool:
    """True once any demo login exists: seeding again would duplicate the demo (or clash with it)."""
    return session.scalars(select(User.id).where(User.username.in_(DEMO_LOGINS)).limit(1)).first() is not None


def seed(
    session: Session,
    findings: int = 200,
    *,
    rng_seed: int = 350200,
    now: datetime | None = None,
    storage: Storage | None = None,
) -> str:
    """Load the demo into `session` (the caller commits) and return a one-line summary.

    Photos go to `storage` (the app's by default) before the rows that point to them, as uploads do."""
    rng, real_now = random.Random(rng_seed), now or utcnow()
    storage = storage or current_app.extensions["storage"]
    enterprises = _enterprises(session, _areas(session))
    cast = _cast(session, enterprises, since=real_now - timedelta(days=200))
    visits = reserved_findings(findings)  # the failed items of the demo's inspections make these (issue 14)
    for plan in _plans(rng, enterprises, cast, findings - visits, real_now):
        Story(session, rng, cast, plan, real_now, storage).run(SCRIPTS[plan.script][0])
    seed_field_work(session, cast, enterprises, real_now, storage, visits=bool(visits))
    session.flush()
    # what cron would have sent by now (reminders, overdue notices, escalations of the last days), so the demo's
    # bell has something to say from the first sign-in
    run_deadlines(session, real_now)
    return _summary(session, local_today(real_now))


# --- the world: areas, enterprises, people -----------------------------------------------------------


def _areas(session: Session) -> dict[str, Area]:
    """The Xiamen tree; an area that already exists (same code) is reused."""
    areas = {a.code: a for a in session.scalars(select(Area))}
    for code, name, level, parent_code in AREAS:
        if code not in areas:
            parent = areas.get(parent_code)
            path = f"{parent.path if parent else '/'}{code}/"
            areas[code] = Area(code=code, name=name, level=level, parent=parent, path=path)
            session.add(areas[code])
    session.flush()
    return areas


def _enterprises(session: Session, areas: dict[str, Area]) -> list[Enterprise]:
    existing = {e.credit_code: e for e in session.scalars(select(Enterprise))}
    for row in ENTERPRISES:
        if row["credit_code"] not in existing:
            grid = areas[row["grid_code"]]
            fields = {k: v for k, v in row.items() if k != "grid_code"}
            existing[row["credit_code"]] = Enterprise(**fields, area_id=grid.id, area_path=grid.path)
            session.add(existing[row["credit_code"]])
    session.flush()
    return [existing[row["credit_code"]] for row in ENTERPRISES]


@dataclass
class Cast:
    inspectors: dict[str, User]  # district code -> its inspector
    grid_workers: dict[int, User]  # enterprise id -> the grid worker of its grid
    officers: dict[int, User]  # enterprise id -> its safety officer
    supervisors: list[User]


def _district(enterprise: Enterprise) -> str:
    return enterprise.area_path.split("/")[2]


def _cast(session: Session, enterprises: list[Enterprise], since: datetime) -> Cast:
    """The five demo logins, plus staff who do not log in so every enterprise has its people. Those share one
    random password that is hashed once with the configured method and then forgotten: a proper hash that no one
    can sign in with (an admin's password reset gives one of them a way in), made once to keep the seed fast."""
    method = current_app.config["PASSWORD_HASH_METHOD"] if has_app_context() else "scrypt"
    unknown = secrets.token_urlsafe(24)
    unknown_hash = hash_password(unknown, method)

    def user(username: str, role: str, name: str, area: str | None, company: Enterprise | None = None) -> User:
        login = username in DEMO_LOGINS
        password, known = (DEMO_PASSWORD, None) if login else (unknown, unknown_hash)
        who = {"username": username, "role": role, "display_name": name, "area_code": area}
        credit_code = company.credit_code if company else None
        return create_user(
            session, **who, password=password, credit_code=credit_code, now=since, hash_method=method,
            password_hash=known,
        )  # fmt: skip

    inspectors = {
        code: user("inspector" if code == DEMO_INSPECTOR_AREA else f"inspector-{code}", "inspector", name, code)
        for code, name in INSPECTORS.items()
    }
    ours = enterprises[OFFICER_ENTERPRISE_INDEX]
    officers = {}
    for e in enterprises:
        username = "officer" if e is ours else f"officer-{e.credit_code}"
        officers[e.id] = user(username, "enterprise_officer", e.contact_name, e.area.code, e)
    first_of_district = {_district(e): e for e in reversed(enterprises)}
    grid_companies = [ours, *(e for e in first_of_district.values() if e is not ours)]
    grid_workers = {}
    for e, name in zip(grid_companies, GRID_WORKERS, strict=False):
        code = e.area.code
        grid_workers[e.id] = user("grid" if code == DEMO_GRID_CODE else f"grid-{code}", "grid_worker", name, code)
    supervisors = [user(username, "supervisor", name, area) for username, name, area in SUPERVISORS]
    user("admin", "admin", "系统管理员", None)
    return Cast(inspectors, grid_workers, officers, supervisors)


# --- which findings: script, enterprise, template, age -----------------------------------------------


Plan = namedtuple("Plan", "script enterprise template age_days reported_at")


def _plans(rng: random.Random, enterprises: list[Enterprise], cast: Cast, n: int, real_now: datetime) -> list[Plan]:
    ours = enterprises[OFFICER_ENTERPRISE_INDEX]
    others = [e for e in enterprises if e is not ours]
    with_grid = [e for e in others if e.id in cast.grid_workers]
    plans = []
    for i, name in enumerate(_script_names(rng, n)):
        _, _, (youngest, oldest), level, needs_grid = SCRIPTS[name]
        enterprise = ours if i < len(OFFICER_SCRIPTS) else rng.choice(with_grid if needs_grid else others)
        age = rng.randint(youngest, oldest)
        morning = datetime.combine(local_today(real_now) - timedelta(days=age), time(8, 30), SHANGHAI)
        reported_at = min(morning + timedelta(hours=rng.uniform(0, 9)), real_now - timedelta(hours=rng.uniform(1, 3)))
        plans.append(Plan(name, enterprise, _template(rng, enterprise, level), age, reported_at.astimezone(UTC)))
    return sorted(plans, key=lambda p: p.reported_at)  # numbers then follow the order of reporting


def _script_names(rng: random.Random, n: int) -> list[str]:
    rest = max(n - len(OFFICER_SCRIPTS), 0)
    weights = {name: script[1] for name, script in SCRIPTS.items()}
    deck = [name for name, w in weights.items() for _ in range(max(1, round(rest * w / sum(weights.values()))))]
    deck += rng.choices(list(weights), list(weights.values()), k=max(rest - len(deck), 0))
    rng.shuffle(deck)
    return (OFFICER_SCRIPTS + deck[:rest])[:n]


def _template(rng: random.Random, enterprise: Enterprise, level: str | None) -> dict:
    categories = {*SECTOR_CATEGORIES[enterprise.sector], "management"}
    fits = [t for t in TEMPLATES if level in (None, t["level"])]
    return rng.choice([t for t in fits if t["category"] in categories] or fits)


# --- one finding's story -----------------------------------------------------------------------------


class Story:
    """One finding driven through report_finding and apply_action on a clock that ends at the real now."""

    def __init__(self, session: Session, rng: random.Random, cast: Cast, plan: Plan, real_now: datetime, storage):
        self.session, self.rng, self.plan, self.template, self.t = session, rng, plan, plan.template, plan.reported_at
        self.storage = storage
        self.end, self.today = real_now - timedelta(minutes=1), local_today(real_now)
        e = plan.enterprise
        self.inspector, self.officer = cast.inspectors[_district(e)], cast.officers[e.id]
        self.grid = cast.grid_workers.get(e.id)
        self.supervisors = [s for s in cast.supervisors if e.area_path.startswith(s.area.path)]
        self.finding: Finding | None = None

    def run(self, steps: tuple[str, ...]) -> None:
        for step in steps:
            name, _, chance = step.partition("?")
            if not chance or self.rng.random() < float(chance):
                getattr(self, name)()

    @property
    def day(self) -> date:
        return local_today(self.t)

    def later(self, days: int, current: bool = True) -> date:
        """A deadline `days` after the clock's day; when `current`, also still ahead of the real today."""
        deadline = self.day + timedelta(days=days)
        return max(deadline, self.today + timedelta(days=self.rng.randint(2, 12))) if current else deadline

    def tick(self, hours: tuple[float, float] = (2, 72)) -> None:
        """Move the clock on, preferring office hours (08:00-19:00 in Xiamen), never past the real now."""
        t = min(self.t + timedelta(hours=self.rng.uniform(*hours)), self.t + (self.end - self.t) / 2)
        local = t.astimezone(SHANGHAI)
        if not 8 <= local.hour < 19:
            morning = datetime.combine(local.date() + timedelta(days=local.hour >= 19), time(8), SHANGHAI)
            office = morning + timedelta(minutes=self.rng.uniform(0, 600))
            t = office if office < self.end else t
        self.t = t

    def report(self, reporter: User, **fields) -> None:
        t, e, rng = self.template, self.plan.enterprise, self.rng
        observed_at = self.t - timedelta(minutes=rng.uniform(2, 40))
        spot = {"lat": round(e.lat + rng.gauss(0, 3e-4), 6), "lng": round(e.lng + rng.gauss(0, 3e-4), 6)}
        location = {**spot, "accuracy_m": float(rng.choice([5, 8, 10, 15, 30])), "source": "gps"}
        text = {k: t[k] for k in ("category", "level", "nature", "title", "description")}
        data = {"id": self._uuid(), "enterprise_id": e.id, **text, "location": location, "address": e.address}
        data.update(observed_at=observed_at, photo_ids=[self._uuid()], **fields)
        if "rectification" in data:  # a fix on the spot is judged by the device's day
            data["rectification"].update(completed_on=local_today(observed_at), photo_ids=[self._uuid()])
        if data["level"] == "major":
            data["major_basis"] = t["major_basis"]
        finding_id, _ = report_finding(self.session, actor_for(reporter), data, now=self.t)
        self.finding = self.session.get(Finding, finding_id)
        self.photo(reporter, "evidence", data["photo_ids"][0])
        if "rectification" in data:
            self.photo(reporter, "rectification", data["rectification"]["photo_ids"][0])

    def photo(self, user: User, kind: str, photo_id: uuid.UUID) -> None:
        data, actor = picture(kind, self.rng.randrange(VARIANTS)), actor_for(user)
        where = (self.session, self.storage, actor, self.finding.id)
        store_photo(*where, photo_id, kind, data, now=self.t, process=process_photo)

    def act(self, user: User, action: str, **payload) -> None:
        data = {"id": self._uuid(), "action": action, "version": self.finding.version, "client_at": self.t, **payload}
        self.finding, _ = apply_action(self.session, actor_for(user), self.finding.id, data, now=self.t)

    def _uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    # --- the steps the scripts name

    def report_grid(self) -> None:
        self.report(self.grid, level="general")  # a grid worker gathers, the inspector judges the level

    def report_overdue(self) -> None:
        self.report(self.inspector, deadline=self.day + timedelta(days=self.rng.randint(3, self.plan.age_days - 1)))

    def spot_fix(self) -> None:  # 立查立改: fixed while the inspector watched
        self.report(self.inspector, rectify_mode="immediate", rectification={"measures": self.template["measures"]})

    def open(self, current: bool = True) -> None:
        """Report → rectifying: an inspector's order, or a grid worker's report the inspector confirms."""
        days = 30 if self.template["level"] == "major" else 15
        if self.grid is None or self.rng.random() < 0.5:
            return self.report(self.inspector, deadline=self.later(days, current))
        self.report_grid()
        self.tick((1, 30))
        confirm = {"level": self.template["level"], "deadline": self.later(days, current)}
        if self.template["level"] == "major":
            confirm["major_basis"] = self.template["major_basis"]
        self.act(self.inspector, "confirm", **confirm)

    def open_any(self) -> None:  # a finding that will be fixed: its deadline need not lie ahead of today
        self.open(current=False)

    def acknowledge(self) -> None:
        self.tick((0.5, 20))
        self.act(self.officer, "acknowledge")
        if self.finding.level == "major":
            self.tick()
            plan = {"measures": "计划" + self.template["measures"].removeprefix("已"), "contingency": CONTINGENCY}
            plan["objective"] = f"消除“{self.template['title']}”重大事故隐患，达到相关标准要求"
            responsible, funds = f"{self.plan.enterprise.contact_name}（安全负责人）", f"{self.rng.randint(2, 40)}万元"
            plan.update(responsible=responsible, funds=funds, time_limit=max(self.finding.deadline, self.day))
            self.act(self.officer, "submit_plan", plan=plan)

    def request_extension(self) -> None:
        self.tick()
        if self.day > self.finding.deadline:
            return  # too late: an extension is asked for before the term runs out, and this officer did not
        new_deadline = self.finding.deadline + timedelta(days=self.rng.randint(10, 30))
        reason = self.rng.choice(EXTENSION_REASONS)
        self.act(self.officer, "request_extension", new_deadline=new_deadline, reason=reason)

    def decide_extension(self) -> None:
        if not self.finding.extension_pending:
            return  # the request came too late to be made
        self.tick()
        approved = self.rng.random() < 0.7
        comment = "同意延期，请按新期限完成整改。" if approved else "延期理由不充分，请按原期限完成整改。"
        self.act(self.rng.choice(self.supervisors), "decide_extension", approved=approved, comment=comment)

    def nudge(self) -> None:
        self.tick()
        self.act(self.inspector, "comment", text="已电话督促企业负责人，要求尽快完成整改并上报。")

    def rectify(self) -> None:
        self.tick()
        photo_id = self._uuid()
        self.photo(self.officer, "rectification", photo_id)
        fix = {"measures": self.template["measures"], "completed_on": self.day, "photo_ids": [photo_id]}
        self.act(self.officer, "submit_rectification", **fix)

    def approve(self) -> None:
        self.tick()
        on_site = self.finding.level == "major" or self.rng.random() < 0.5
        comment = self.rng.choice(APPROVE_COMMENTS)
        self.act(self.rng.choice(self.supervisors), "approve", on_site=on_site, comment=comment)

    def reject(self) -> None:
        self.tick()
        comment, new_deadline = self.rng.choice(REJECT_COMMENTS), self.later(7)
        self.act(self.rng.choice(self.supervisors), "reject", comment=comment, new_deadline=new_deadline)

    def reopen(self) -> None:
        self.tick((24, 24 * 20))
        reason, new_deadline = "复查发现同类问题再次出现，重新打开督促整改。", self.later(10)
        self.act(self.rng.choice(self.supervisors), "reopen", reason=reason, new_deadline=new_deadline)

    def void(self) -> None:
        self.tick()
        duplicate = self.finding.status == "reported"
        reason = "与已登记的隐患重复，予以撤销。" if duplicate else "经复核，该问题不属于本企业责任范围，予以撤销。"
        self.act(self.rng.choice(self.supervisors), "void", reason=reason)


def _summary(session: Session, today: date) -> str:
    def count(*where) -> int:
        return session.scalar(select(func.count()).select_from(Finding).where(*where))

    tables = (Area, Enterprise, User, Finding, Notification)
    totals = [f"{t.__tablename__} {session.scalar(select(func.count()).select_from(t))}" for t in tables]
    states = [f"{s} {count(Finding.status == s)}" for s in State]
    overdue = count(overdue_clause(today))
    pending = count(Finding.extension_pending)
    return f"{', '.join(totals)} ({', '.join(states)}; overdue {overdue}, extension pending {pending})"

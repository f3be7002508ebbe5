"""挂牌督办: a major hazard listed for supervision, and what its listing changes in the lifecycle (issue 12).

- Only a major finding being rectified may be listed, once at a time (a reopened finding may be listed again).
- Its 督办期限 is the finding's deadline, and it moves only with an approved extension: a rejection of a listed
  finding may not set a new deadline.
- It is approved (and so delisted, 摘牌, in the same event) only after a check on site: `on_site: true` and the
  approval made within ON_SITE_RADIUS_M of the enterprise, or an explicit `off_site_reason`.
"""

from app.domain.actors import Actor, FindingFacts
from app.domain.errors import InvalidTransition, RuleViolation
from app.domain.geo import distance_m
from app.domain.terms import Level, SupervisionLevel

ON_SITE_RADIUS_M = 500
LISTING_TEXT = ("authority", "document_no", "leader")  # 督办单位, 文号, 责任领导
LEVEL_WORDS = "province 省级, city 市级 or county 县级"


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# --- the listing ------------------------------------------------------------------------


def listable(f: FindingFacts, actor: Actor) -> None:
    """A precondition: a major finding, not listed now."""
    if f.level is not Level.MAJOR:
        raise InvalidTransition("Only a major hazard (重大事故隐患) is listed for supervision (挂牌督办).")
    if f.supervised:
        raise InvalidTransition("This hazard is already listed for supervision; it is delisted by its approval.")


def check_listing(f: FindingFacts, p: dict, today) -> None:
    problems = {name: "This field is required." for name in LISTING_TEXT if _blank(p.get(name))}
    if p.get("level") not in set(SupervisionLevel):
        problems["level"] = f"One of {LEVEL_WORDS}."
    if p.get("public") is not None and not isinstance(p["public"], bool):
        problems["public"] = "true or false."
    if problems:
        raise RuleViolation(
            "A listing names its level, the supervising authority (督办单位), the document (文号) and the leader "
            "responsible (责任领导).",
            problems,
        )


# --- what a listing changes --------------------------------------------------------------


def check_listed_rejection(f: FindingFacts, p: dict) -> None:
    """The 督办期限 is the listing's term: only an approved extension moves it."""
    if f.supervised and p.get("new_deadline") is not None:
        raise RuleViolation(
            "A listed hazard's term (督办期限) moves only by an approved extension, not by a rejection.",
            {"new_deadline": "Leave it out: the enterprise asks for an extension, a supervisor decides it."},
        )


def on_site_problem(on_site, location: dict | None, enterprise_at: tuple[float, float] | None) -> dict | None:
    """What keeps an approval from counting as made on site at the enterprise: None when nothing does."""
    problems = {}
    if on_site is not True:
        problems["on_site"] = "Confirm that the fix was checked on site (现场核验)."
    if enterprise_at is None:
        problems["location"] = "The enterprise has no location on record, so the check cannot be placed there."
    elif not location or location.get("lat") is None or location.get("lng") is None:
        problems["location"] = "Send the device's location: the approval must be made at the enterprise."
    else:
        metres = distance_m(location["lat"], location["lng"], *enterprise_at)
        if metres > ON_SITE_RADIUS_M:
            problems["location"] = (
                f"{metres:.0f} m from the enterprise; the check must be made within {ON_SITE_RADIUS_M} m."
            )
    return problems or None


def check_listed_approval(f: FindingFacts, p: dict) -> None:
    """Closing a listed hazard (and so delisting it) needs the on-site check at the enterprise, or a reason."""
    if not f.supervised or not _blank(p.get("off_site_reason")):
        return
    problems = on_site_problem(p.get("on_site"), p.get("location"), f.enterprise_location)
    if problems:
        problems["off_site_reason"] = "Or say why the check could not be made on site."
        raise RuleViolation(
            f"A listed hazard is approved (and delisted, 摘牌) only after a check on site within "
            f"{ON_SITE_RADIUS_M} m of the enterprise, or with the reason why not.",
            problems,
        )

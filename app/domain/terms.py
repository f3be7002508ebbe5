"""The words of the domain: states, actions, roles, levels."""

from enum import StrEnum


class State(StrEnum):
    REPORTED = "reported"  # 待确认
    RECTIFYING = "rectifying"  # 整改中
    PENDING_REVIEW = "pending_review"  # 待验收
    CLOSED = "closed"  # 已销号
    VOIDED = "voided"  # 已撤销


class Action(StrEnum):
    REPORT = "report"
    CONFIRM = "confirm"
    ACKNOWLEDGE = "acknowledge"
    SUBMIT_PLAN = "submit_plan"
    REQUEST_EXTENSION = "request_extension"
    DECIDE_EXTENSION = "decide_extension"
    SUBMIT_RECTIFICATION = "submit_rectification"
    APPROVE = "approve"
    REJECT = "reject"
    VOID = "void"
    REOPEN = "reopen"
    COMMENT = "comment"
    LIST_SUPERVISION = "list_supervision"  # 挂牌督办: a major hazard put on the register (approval delists it)
    PHOTO_ADDED = "photo_added"  # written by the server when a photo's bytes arrive; no client sends it
    ESCALATE = "escalate"  # written by the deadline job (the system actor) as an overdue finding climbs the tree


class ExtensionStatus(StrEnum):
    PENDING = "pending"  # 待审批
    APPROVED = "approved"  # 已批准 (with the granted date)
    REFUSED = "refused"  # 未批准
    WITHDRAWN = "withdrawn"  # 已撤回: the officer's own later step (a submission) made it moot, or a void
    LAPSED = "lapsed"  # 已失效: a supervisor's later step (reject, reopen, approve) passed it by


class SupervisionLevel(StrEnum):
    """Who lists a major hazard for supervision (挂牌督办)."""

    PROVINCE = "province"  # 省级
    CITY = "city"  # 市级
    COUNTY = "county"  # 县级


class SupervisionStatus(StrEnum):
    LISTED = "listed"  # 挂牌中
    DELISTED = "delisted"  # 已摘牌


class Role(StrEnum):
    INSPECTOR = "inspector"
    GRID_WORKER = "grid_worker"
    ENTERPRISE_OFFICER = "enterprise_officer"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"
    SYSTEM = "system"  # the jobs' own actor (one user, made by a migration); never signs in, never a person


# The roles a person can hold: what an admin may give, an import may name and sign-in accepts.
PERSON_ROLES = tuple(r for r in Role if r is not Role.SYSTEM)


class Level(StrEnum):
    GENERAL = "general"  # 一般
    MAJOR = "major"  # 重大


class Nature(StrEnum):
    UNSAFE_CONDITION = "unsafe_condition"  # 物的不安全状态
    UNSAFE_ACT = "unsafe_act"  # 人的不安全行为
    MANAGEMENT_DEFECT = "management_defect"  # 管理缺陷


class RectifyMode(StrEnum):
    DEADLINE = "deadline"  # 限期整改
    IMMEDIATE = "immediate"  # 立即整改


class LocationSource(StrEnum):
    GPS = "gps"
    MANUAL = "manual"
    EXIF = "exif"


class AreaLevel(StrEnum):
    CITY = "city"
    DISTRICT = "district"
    STREET = "street"
    COMMUNITY = "community"
    GRID = "grid"


OPEN_STATES = frozenset({State.REPORTED, State.RECTIFYING})
# Photos may arrive while the finding is still being worked on; pending_review only for its own after-photos.
PHOTO_STATES = frozenset({State.REPORTED, State.RECTIFYING, State.PENDING_REVIEW})

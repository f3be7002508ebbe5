"""Request and response bodies of the findings endpoints."""


import marshmallow as ma
from marshmallow import validate

from app.api.fastdump import FastDumpSchema
from app.api.fields import Embedded, Location, Moment, Text, id_field, one_of
from app.domain.lifecycle import EVENT_ACTIONS
from app.domain.terms import Action, Level, Nature, RectifyMode, SupervisionLevel


class MajorBasis(ma.Schema):
    criterion = Text(required=True, min_length=1, max_length=40, metadata={"description": "criterion code"})
    clause = Text(required=True, min_length=1, max_length=100, metadata={"example": "第四条(一)"})


def photo_ids(description: str):
    return ma.fields.List(ma.fields.UUID(), validate=validate.Length(max=9), metadata={"description": description})


class FixOnTheSpot(ma.Schema):
    measures = Text(required=True, min_length=1, max_length=5000)
    completed_on = ma.fields.Date(required=True)
    photo_ids = photo_ids("after-photos to be uploaded as kind=rectification")


class FindingCreate(ma.Schema):
    id = ma.fields.UUID(required=True, metadata={"description": "Made by the client; the idempotency key"})
    enterprise_id = id_field(allow_none=True)
    category = Text(required=True, min_length=1, max_length=40, metadata={"description": "category code"})
    level = one_of(Level, load_default=Level.GENERAL.value)
    nature = one_of(Nature, allow_none=True)
    title = Text(required=True, min_length=1, max_length=200)
    description = Text(max_length=5000, load_default="")
    location = ma.fields.Nested(Location, allow_none=True)
    address = Text(max_length=300, load_default="")
    observed_at = Moment(metadata={"description": "device time, ISO 8601 with offset"})
    rectify_mode = one_of(
        RectifyMode, allow_none=True, metadata={"description": "deadline when left out; not for grid workers"}
    )
    deadline = ma.fields.Date(allow_none=True, metadata={"description": "not for grid workers: set at confirm"})
    major_basis = ma.fields.Nested(MajorBasis, allow_none=True, metadata={"description": "not for grid workers"})
    rectification = ma.fields.Nested(FixOnTheSpot, allow_none=True, metadata={"description": "立查立改"})
    photo_ids = photo_ids("evidence photos the client will upload; listed in missing_photos until they arrive")


class Plan(ma.Schema):
    """Order 16 Art. 15's six elements."""

    objective = Text(max_length=5000, metadata={"description": "治理的目标和任务"})
    measures = Text(max_length=5000)
    responsible = Text(max_length=200)
    funds = Text(max_length=200)
    time_limit = ma.fields.Date()
    contingency = Text(max_length=5000)


class EventCreate(ma.Schema):
    id = ma.fields.UUID(required=True, metadata={"description": "Made by the client; the idempotency key"})
    action = one_of(EVENT_ACTIONS, required=True)
    version = ma.fields.Integer(
        strict=True,
        validate=validate.Range(1, 2**31 - 1),
        metadata={"description": "The finding version the client saw"},
    )
    client_at = Moment()
    location = ma.fields.Nested(Location, allow_none=True)
    level = one_of(
        [*Level, *SupervisionLevel],
        metadata={"description": "confirm: general or major; list_supervision: province, city or county"},
    )
    category = Text(min_length=1, max_length=40, metadata={"description": "confirm: the corrected category code"})
    nature = one_of(Nature)
    deadline = ma.fields.Date()
    enterprise_id = id_field()
    major_basis = ma.fields.Nested(MajorBasis)
    plan = ma.fields.Nested(Plan)
    new_deadline = ma.fields.Date()
    reason = Text(max_length=2000)
    approved = ma.fields.Boolean()
    granted_deadline = ma.fields.Date(metadata={"description": "decide_extension: default the requested date"})
    comment = Text(max_length=2000)
    measures = Text(max_length=5000)
    completed_on = ma.fields.Date()
    photo_ids = photo_ids("submit_rectification: the after-photos (kind=rectification)")
    on_site = ma.fields.Boolean()
    off_site_reason = Text(max_length=2000, metadata={"description": "approve of a listed hazard: why not on site"})
    text = Text(max_length=5000)
    authority = Text(max_length=200, metadata={"description": "list_supervision: 督办单位"})
    document_no = Text(
        max_length=100, metadata={"description": "list_supervision: 文号", "example": "厦安办督〔2026〕12号"}
    )
    leader = Text(max_length=100, metadata={"description": "list_supervision: 责任领导"})
    public = ma.fields.Boolean(metadata={"description": "list_supervision: 公开挂牌"})
    lead_department = Text(max_length=200, metadata={"description": "list_supervision: 牵头单位"})

    @ma.validates_schema
    def _level_of_its_action(self, data, **kwargs):
        """`level` is the finding's (confirm) or the listing's (list_supervision): each action takes its own."""
        if "level" not in data:
            return
        listing = data.get("action") == Action.LIST_SUPERVISION.value
        choices = [str(c) for c in (SupervisionLevel if listing else Level)]
        if data["level"] not in choices:
            raise ma.ValidationError(f"Must be one of: {', '.join(choices)}.", "level")


# --- responses --------------------------------------------------------------------------


class Ref(ma.Schema):
    code = ma.fields.String()
    name = ma.fields.String()


class CategoryRef(ma.Schema):
    code = ma.fields.String()
    name_zh = ma.fields.String()
    name_en = ma.fields.String()


class EnterpriseRef(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    credit_code = ma.fields.String()
    address = ma.fields.String()


class PersonRef(ma.Schema):
    """Names are null when the viewer may not know them (a grid worker's report, to the enterprise)."""

    id = ma.fields.Integer(allow_none=True)
    username = ma.fields.String(allow_none=True)
    display_name = ma.fields.String(allow_none=True)
    role = ma.fields.String()
    unit = ma.fields.String(allow_none=True, metadata={"description": "the reporter's home area"})


class MajorBasisOut(ma.Schema):
    criterion = ma.fields.String()
    title = ma.fields.String()
    document_number = ma.fields.String()
    clause = ma.fields.String()


class Rectification(FastDumpSchema):
    measures = ma.fields.String()
    completed_on = ma.fields.Date()
    submitted_at = ma.fields.DateTime()


class Review(FastDumpSchema):
    comment = ma.fields.String(allow_none=True)
    on_site = ma.fields.Boolean(allow_none=True)
    at = ma.fields.DateTime()


class FindingSchema(FastDumpSchema):
    id = ma.fields.UUID()
    number = ma.fields.String()
    status = ma.fields.String()
    version = ma.fields.Integer()
    level = ma.fields.String()
    nature = ma.fields.String(allow_none=True)
    category = Embedded(CategoryRef)
    enterprise = Embedded(EnterpriseRef, allow_none=True)
    area = Embedded(Ref)
    title = ma.fields.String()
    description = ma.fields.String()
    location = Embedded(Location, allow_none=True)
    address = ma.fields.String()
    observed_at = ma.fields.DateTime()
    received_at = ma.fields.DateTime()
    updated_at = ma.fields.DateTime()
    reported_by = Embedded(PersonRef)
    rectify_mode = ma.fields.String()
    deadline = ma.fields.Date(allow_none=True)
    major_basis = Embedded(MajorBasisOut, allow_none=True)
    overdue = ma.fields.Boolean()
    days_overdue = ma.fields.Integer()
    triage_days = ma.fields.Integer(allow_none=True, metadata={"description": "reported: days waiting for triage"})
    acknowledged = ma.fields.Boolean()
    acknowledged_at = ma.fields.DateTime(allow_none=True)
    extension_pending = ma.fields.Boolean()
    plan_complete = ma.fields.Boolean()
    rectification = ma.fields.Nested(Rectification, allow_none=True)
    review = ma.fields.Nested(Review, allow_none=True)
    closed_at = ma.fields.DateTime(allow_none=True)
    void_reason = ma.fields.String(allow_none=True)
    reopen_reason = ma.fields.String(allow_none=True)
    supervision_level = ma.fields.String(
        allow_none=True, metadata={"description": "挂牌督办 now: province, city or county; null when not listed"}
    )
    allowed_actions = ma.fields.List(ma.fields.String())


class PlanOut(FastDumpSchema, Plan):
    submitted_at = ma.fields.DateTime()


class ExtensionOut(FastDumpSchema):
    id = ma.fields.Integer()
    previous_deadline = ma.fields.Date(allow_none=True)
    requested_deadline = ma.fields.Date()
    granted_deadline = ma.fields.Date(allow_none=True)
    reason = ma.fields.String()
    status = ma.fields.String(metadata={"description": "pending, approved, refused, withdrawn or lapsed"})
    requested_at = ma.fields.DateTime()
    decided_at = ma.fields.DateTime(allow_none=True)
    decision_comment = ma.fields.String(allow_none=True)


class PhotoSchema(ma.Schema):
    id = ma.fields.UUID()
    kind = ma.fields.String()
    round = ma.fields.Integer(allow_none=True, metadata={"description": "the rectification round it proves"})
    arrived = ma.fields.Boolean()
    sha256 = ma.fields.String(allow_none=True)
    media_type = ma.fields.String(allow_none=True)
    byte_size = ma.fields.Integer(allow_none=True)
    width = ma.fields.Integer(allow_none=True)
    height = ma.fields.Integer(allow_none=True)
    taken_at = ma.fields.DateTime(allow_none=True)
    exif_location = ma.fields.Dict(allow_none=True, metadata={"description": "from the photo's EXIF, if any"})
    camera = ma.fields.String(allow_none=True)
    urls = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String())


class RoundReview(FastDumpSchema):
    result = ma.fields.String(metadata={"description": "approved or rejected"})
    comment = ma.fields.String(allow_none=True)
    on_site = ma.fields.Boolean(allow_none=True)
    at = ma.fields.DateTime()


class Round(FastDumpSchema):
    round = ma.fields.Integer()
    measures = ma.fields.String(allow_none=True)
    completed_on = ma.fields.Date(allow_none=True)
    submitted_at = ma.fields.DateTime()
    photo_ids = ma.fields.List(ma.fields.UUID())
    review = ma.fields.Nested(RoundReview, allow_none=True)


class PersonName(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String(allow_none=True)


class Listing(FastDumpSchema):
    id = ma.fields.Integer()
    level = ma.fields.String(metadata={"description": "province, city or county"})
    authority = ma.fields.String(metadata={"description": "督办单位"})
    document_no = ma.fields.String(metadata={"description": "文号"})
    leader = ma.fields.String(metadata={"description": "责任领导"})
    public = ma.fields.Boolean(metadata={"description": "公开挂牌"})
    lead_department = ma.fields.String(allow_none=True, metadata={"description": "牵头单位"})
    status = ma.fields.String(metadata={"description": "listed or delisted (摘牌, by the approval)"})
    listed_at = ma.fields.DateTime()
    listed_by = Embedded(PersonName)
    delisted_at = ma.fields.DateTime(allow_none=True)
    delisted_by = Embedded(PersonName, allow_none=True)


class InspectionItemRef(ma.Schema):
    id = ma.fields.UUID()
    content = ma.fields.String(metadata={"description": "the failed checklist item's 检查内容"})
    basis = ma.fields.String(metadata={"description": "its 依据: the clause of a standard or regulation it checks"})


class InspectionRef(ma.Schema):
    id = ma.fields.UUID()
    inspected_on = ma.fields.Date()
    item = ma.fields.Nested(InspectionItemRef, allow_none=True)


class FindingDetailSchema(FindingSchema):
    photos = ma.fields.List(ma.fields.Nested(PhotoSchema))
    missing_photos = ma.fields.List(ma.fields.UUID(), metadata={"description": "declared, not arrived yet"})
    plan = ma.fields.Nested(PlanOut, allow_none=True)
    extension_requests = ma.fields.List(ma.fields.Nested(ExtensionOut))
    rounds = ma.fields.List(ma.fields.Nested(Round), metadata={"description": "rectification rounds, oldest first"})
    supervision = ma.fields.Nested(
        Listing, allow_none=True, metadata={"description": "挂牌督办: the latest listing, open or delisted"}
    )
    inspection = ma.fields.Nested(
        InspectionRef, allow_none=True, metadata={"description": "检查记录 it came from; null if reported alone"}
    )


class FindingPage(FastDumpSchema):
    items = ma.fields.List(ma.fields.Nested(FindingSchema))
    next_cursor = ma.fields.String(allow_none=True)


class EventSchema(FastDumpSchema):
    id = ma.fields.UUID()
    seq = ma.fields.Integer()
    action = ma.fields.String()
    actor = ma.fields.Nested(PersonRef)
    role = ma.fields.String()
    client_at = ma.fields.DateTime(allow_none=True)
    received_at = ma.fields.DateTime()
    location = ma.fields.Dict(allow_none=True)
    from_state = ma.fields.String(allow_none=True)
    to_state = ma.fields.String()
    version = ma.fields.Integer()
    payload = ma.fields.Dict(metadata={"description": "what was sent, with deadline_change and extension_settled"})


class EventList(FastDumpSchema):
    items = ma.fields.List(ma.fields.Nested(EventSchema))

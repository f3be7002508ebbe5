"""All tables, imported here so Alembic and the application see the whole metadata."""

from app.models.accounts import ApiToken, User, UserSession
from app.models.audit import AdminChange
from app.models.calendar import HolidayDay, HolidayYear
from app.models.documents import Document, DocumentSequence, IssuingAuthority
from app.models.findings import ExtensionRequest, Finding, FindingCounter, FindingEvent, RectificationPlan
from app.models.geography import Area, Enterprise
from app.models.inspections import (
    Campaign,
    CampaignArea,
    CampaignChecklist,
    CampaignTarget,
    Checklist,
    ChecklistItem,
    ChecklistVersion,
    Inspection,
    InspectionInspector,
    InspectionNote,
    InspectionResult,
)
from app.models.notifications import Delivery, Notification
from app.models.photos import Photo, PhotoBlob
from app.models.reference import Category, MajorCriterion
from app.models.supervision import Supervision

__all__ = [
    "AdminChange",
    "ApiToken",
    "Area",
    "Campaign",
    "CampaignArea",
    "CampaignChecklist",
    "CampaignTarget",
    "Category",
    "Checklist",
    "ChecklistItem",
    "ChecklistVersion",
    "Delivery",
    "Document",
    "DocumentSequence",
    "Enterprise",
    "ExtensionRequest",
    "Finding",
    "FindingCounter",
    "FindingEvent",
    "HolidayDay",
    "HolidayYear",
    "Inspection",
    "InspectionInspector",
    "InspectionNote",
    "InspectionResult",
    "IssuingAuthority",
    "MajorCriterion",
    "Notification",
    "Photo",
    "PhotoBlob",
    "RectificationPlan",
    "Supervision",
    "User",
    "UserSession",
]

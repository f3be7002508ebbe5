"""Domain errors. The API maps each class to one HTTP status in one place."""


class DomainError(Exception):
    code = "error"

    def __init__(self, message: str, fields: dict | None = None, *, code: str | None = None, detail=None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}
        if code:
            self.code = code
        self.detail = detail  # e.g. the current finding for a stale write


class RuleViolation(DomainError):
    """The input breaks a business rule (a past deadline, a missing comment)."""

    code = "validation_error"


class ImportRejected(RuleViolation):
    """A file with problems in it: nothing of it was written. `detail` is the report, every row's problems."""


class NotFound(DomainError):
    code = "not_found"


class Forbidden(DomainError):
    code = "forbidden"


class InvalidTransition(DomainError):
    code = "invalid_transition"


class Conflict(DomainError):
    """The same client id was used for different content."""

    code = "conflict"


class Stale(DomainError):
    """The client acted on a version that is no longer current."""

    code = "stale"


class UnsupportedMedia(DomainError):
    """The bytes are not a kind of file we accept (the name and the Content-Type are not asked)."""

    code = "unsupported_media_type"


class TooLarge(DomainError):
    code = "payload_too_large"


class PhotosMissing(InvalidTransition):
    """The fix cannot be signed off while the after-photos it declared are still on their way."""

    code = "photos_missing"

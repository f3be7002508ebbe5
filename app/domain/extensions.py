"""Extension requests (延期申请) never outlive their moment.

A request is asked while the finding is being rectified and decided by a supervisor. Any later step that makes
the question moot settles a pending request in the same event, so no request is left to be decided against a
finding that has moved on (and no decision can move a deadline the finding no longer runs against).
"""

from app.domain.terms import Action, ExtensionStatus

# The officer's own step (handing in the fix) or a void withdraws the request; a supervisor's review or
# reopening passes it by.
SETTLED_BY: dict[Action, ExtensionStatus] = {
    Action.SUBMIT_RECTIFICATION: ExtensionStatus.WITHDRAWN,
    Action.VOID: ExtensionStatus.WITHDRAWN,
    Action.REJECT: ExtensionStatus.LAPSED,
    Action.REOPEN: ExtensionStatus.LAPSED,
    Action.APPROVE: ExtensionStatus.LAPSED,
}


def settlement(action: Action, extension_pending: bool) -> ExtensionStatus | None:
    """What `action` makes of a pending request: None when there is none or the action leaves it waiting."""
    if not extension_pending:
        return None
    return SETTLED_BY.get(action)


def decision(approved: bool) -> ExtensionStatus:
    return ExtensionStatus.APPROVED if approved else ExtensionStatus.REFUSED

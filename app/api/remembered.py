"""Requests let in with the account remembered for their bearer token (services.account_memory): the create and
the photo upload, whose own statements read the account again before anything is written, so no request of
theirs reads it apart. Every other request signs in by reading it, as always.

A remembered account that no longer holds (its token ended, or any of its columns changed) surfaces as
StaleCredential from the statement that read it again; the request is then signed in afresh and either stopped
(401, the password gate's 403) or run again as the fresh account."""

from collections.abc import Callable

from flask import g, request
from flask_login import current_user

from app.api.auth import _require_password_change as password_change_gate
from app.domain.calendar import utcnow
from app.domain.errors import DomainError
from app.extensions import db, login_manager
from app.services.account_memory import StaleCredential
from app.services.accounts import remembered_account, same_account

# The requests whose own statement reads the account again before anything is written: the only ones let in with
# a remembered account. Another may join only with that statement (and tests like tests/api/test_upload_remembered).
REREADING = frozenset({("findings.Findings", "POST"), ("photos.upload", "PUT")})


def init_app(app) -> None:
    """The hook before every other (it must run before anything signs the request in), and the refusal check."""
    app.before_request_funcs.setdefault(None, []).insert(0, _let_in_with_remembered_account)
    app.after_request(refusal_as_signed_in_afresh)


def _let_in_with_remembered_account() -> None:
    if (request.endpoint, request.method) not in REREADING:
        return
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        g.unverified_account = remembered_account(token.strip())


def run_as_signed_in(work: Callable) -> tuple:
    """(None, work(unverified)) with the remembered account (or None), or (None, work(None)) after a fresh sign-in
    when that account no longer holds; (the answer, None) when the fresh sign-in stops the request.

    A refusal (DomainError) is only as good as the account it was judged for: given to a remembered account that
    no longer holds, it is judged again for the fresh one."""
    unverified = g.get("unverified_account")
    try:
        try:
            return None, work(unverified)
        except DomainError:
            if unverified is not None and not same_account(db.session, *unverified, now=utcnow()):
                raise StaleCredential from None
            raise
    except StaleCredential:
        db.session.rollback()
        refused = signed_in_afresh()
        if refused is not None:
            return refused, None
        return None, work(None)


def refusal_as_signed_in_afresh(response):
    """A refusal given to a request let in with a remembered account before its statement read the account again
    (the schema refused the body, say) is the one a fresh sign-in would give: 401 when the token no longer works,
    the password gate's 403; otherwise it stands."""
    remembered = g.get("unverified_account")
    if remembered is None or response.status_code < 400 or same_account(db.session, *remembered, now=utcnow()):
        return response
    return signed_in_afresh() or response


def signed_in_afresh():
    """Sign the request in again, without the remembered account: None to go on, or the answer that stops it
    (401 when the token no longer works, the password gate's 403)."""
    g.pop("unverified_account", None)
    g.pop("_login_user", None)
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    return password_change_gate()

"""Flask's signed-cookie session, with the work it does for a request that has no cookie left out.

Flask builds the cookie's signer (itsdangerous objects, the key list) before it looks for the cookie, and reads
seven cookie settings before it sees there is nothing to save. A phone's request carries a bearer token and no
cookie, and most of the API's requests are a phone's: they get the empty session Flask would give them, without
either. A request with a cookie, and any session written to, go through Flask's own code."""

from flask.sessions import SecureCookieSessionInterface


class CookieSessionInterface(SecureCookieSessionInterface):
    def open_session(self, app, request):
        if app.secret_key and self.get_cookie_name(app) not in request.cookies:
            return self.session_class()  # what Flask answers for a missing cookie, once it has built the signer
        return super().open_session(app, request)

    def save_session(self, app, session, response) -> None:
        if not session and not session.modified:  # nothing to set and nothing to delete: Flask only adds Vary
            if session.accessed:
                response.vary.add("Cookie")
            return
        super().save_session(app, session, response)

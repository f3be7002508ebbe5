"""The Flask extensions, created unbound and initialised by the application factory."""

from flask import current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Named constraints, so Alembic can drop and alter them on every database.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})
migrate = Migrate()


class SignIns(LoginManager):
    """Flask-Login, whose session protection is off here (api.auth: the server-side session replaces it).
    Flask-Login hashes the client's address and user agent before it looks whether protection is on, at every
    request that asks who is signed in: not done when it is off."""

    def _session_protection_failed(self):
        if not current_app.config.get("SESSION_PROTECTION", self.session_protection):
            return False  # what Flask-Login answers when protection is off, after the hash
        return super()._session_protection_failed()


login_manager = SignIns()
limiter = Limiter(key_func=get_remote_address, default_limits=[], headers_enabled=True)

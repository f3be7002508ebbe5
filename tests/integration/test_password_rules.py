"""The password rule holds wherever a password is set, and every account, the demo's included, has a proper hash."""

import factories as f
import pytest
from sqlalchemy import select

from app.demo.seed import DEMO_PASSWORD, seed
from app.domain.errors import RuleViolation
from app.models import User
from app.services.accounts import authenticate, create_user


@pytest.mark.parametrize(
    "password,why",
    [("short1", "At least 10"), ("1234567890", "Too common"), ("zhangsan-2024!", "username"), ("aaaaabbbbb", "common")],
)
def test_create_user_refuses_a_weak_password(session, world, password, why):
    with pytest.raises(RuleViolation) as refused:
        create_user(session, username="zhangsan", password=password, role="inspector", now=f.NOW, area_code="350206")
    assert why in refused.value.fields["password"]
    assert session.scalars(select(User).where(User.username == "zhangsan")).first() is None


def test_users_create_on_the_command_line_applies_the_rule(app, world):
    runner = app.test_cli_runner()
    weak = runner.invoke(
        args=["users", "create", "wang", "--role", "inspector", "--area", "350206", "--password", "wang12345678"]
    )
    assert weak.exit_code != 0 and "password: Must not contain the username." in weak.output
    good = runner.invoke(
        args=["users", "create", "wang", "--role", "inspector", "--area", "350206", "--password", "long enough phrase"]
    )
    assert good.exit_code == 0, good.output


def test_the_demo_gives_every_account_a_hash_of_the_configured_method(app, session):
    seed(session, findings=10)
    session.commit()
    method = app.config["PASSWORD_HASH_METHOD"]  # scrypt:1024:8:1 in the tests, scrypt in make run
    hashes = session.scalars(select(User.password_hash).where(User.role != "system")).all()  # it has none
    assert len(hashes) > 30
    assert all(h.startswith(method + "$") for h in hashes), {h.split("$")[0] for h in hashes}
    staff = session.scalars(select(User).where(User.username.like("officer-%"))).first()
    assert authenticate(session, staff.username, DEMO_PASSWORD) is None  # the staff who never sign in cannot
    assert authenticate(session, "officer", DEMO_PASSWORD) is not None
    assert authenticate(session, "system", "!") is None  # the jobs' actor never signs in

"""app/services/bulk.among, the deadline job's look-ups by id: one `= ANY(array)` on PostgreSQL, IN lists of 900 on
SQLite (its limit on bound parameters); either way the same rows, however many ids."""

import factories as f
from sqlalchemy import select
from testbed import ON_POSTGRES

from app.models import User
from app.services.bulk import among


def test_a_lookup_by_thousands_of_ids_finds_exactly_the_rows_named(session):
    world = f.World(session)
    people = [world.user("inspector") for _ in range(3)]
    session.commit()
    wanted = [people[0].id, people[2].id]
    ids = wanted + list(range(10**6, 10**6 + 2_000))  # ids no row has, past SQLite's limit twice over
    conditions = list(among(session, User.id, ids))
    assert len(conditions) == (1 if ON_POSTGRES else 3)
    found = {i for condition in conditions for i in session.scalars(select(User.id).where(condition))}
    assert found == set(wanted)
    assert list(among(session, User.id, [])) == []

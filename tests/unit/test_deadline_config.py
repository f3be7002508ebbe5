"""Issue 12's table as a deployment sets it, from DEADLINE_* variables; a value that cannot be read says which."""

from datetime import time

import pytest

from app.domain.deadlines import DEFAULT_SETTINGS
from app.jobs.deadline_config import deadline_settings


def test_nothing_set_is_the_table_of_the_issue():
    assert deadline_settings({}) == DEFAULT_SETTINGS
    assert deadline_settings({"DEADLINE_REMIND_DAYS": "", "DEADLINE_STREET_AFTER": ""}) == DEFAULT_SETTINGS


def test_each_variable_sets_its_rule():
    settings = deadline_settings({
        "DEADLINE_REMIND_DAYS": "5, 1,0", "DEADLINE_NOTIFY_AT": "08:30", "DEADLINE_OVERDUE_AFTER": "2",
        "DEADLINE_STREET_AFTER": "4", "DEADLINE_DISTRICT_AFTER": "10", "DEADLINE_CITY_AFTER": "20",
        "DEADLINE_ESCALATE_EVERY": "5", "DEADLINE_TRIAGE_WORKDAYS": "3",
    })  # fmt: skip
    assert settings.remind_days_before == (5, 1, 0) and settings.notify_at == time(8, 30)
    assert (settings.overdue_after, settings.street_after, settings.district_after, settings.city_after) == (
        2, 4, 10, 20)  # fmt: skip
    assert (settings.escalate_every, settings.triage_workdays) == (5, 3)
    assert settings.catch_up == DEFAULT_SETTINGS.catch_up


@pytest.mark.parametrize(
    ("config", "named"),
    [
        ({"DEADLINE_REMIND_DAYS": "3,x"}, "DEADLINE_REMIND_DAYS"),
        ({"DEADLINE_REMIND_DAYS": "-1"}, "DEADLINE_REMIND_DAYS"),
        ({"DEADLINE_NOTIFY_AT": "9点"}, "DEADLINE_NOTIFY_AT"),
        ({"DEADLINE_STREET_AFTER": "3.5"}, "DEADLINE_STREET_AFTER"),
        ({"DEADLINE_ESCALATE_EVERY": "0"}, "DEADLINE_ESCALATE_EVERY"),
        ({"DEADLINE_OVERDUE_AFTER": "0"}, "DEADLINE_OVERDUE_AFTER"),
        ({"DEADLINE_CITY_AFTER": "5"}, "DEADLINE_CITY_AFTER"),  # before the district's 7
    ],
)
def test_a_value_that_cannot_be_read_names_its_variable(config, named):
    with pytest.raises(ValueError, match=named):
        deadline_settings(config)

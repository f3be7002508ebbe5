"""The list's filters as query parameters: one schema, used by the list, the statistics, the exports and the map,
and turned into the read side's one FindingFilter."""

from datetime import date

import marshmallow as ma
from marshmallow import validate
from webargs.fields import DelimitedList

from app.api.fields import Moment, Text, cursor_field, id_field, one_of
from app.domain.terms import Level, State
from app.read.filters import FindingFilter, date_range_problem
from app.read.findings import DEFAULT_ORDER, ORDERS

# The days a range may name: the columns hold instants from 2000 to 2100 (read.cursors.EARLIEST, LATEST).
DAYS_KEPT = (date(2000, 1, 1), date(2099, 12, 31))


class ListFilters(ma.Schema):
    """The list's filters: the same parameters on the list, the statistics, the exports and the map."""

    status = DelimitedList(one_of(State), metadata={"description": "comma-separated states"})
    level = one_of(Level)
    category = Text(max_length=40)
    enterprise_id = id_field(in_query=True)
    area = Text(max_length=20, metadata={"description": "area code: its whole subtree"})
    overdue = ma.fields.Boolean()
    reported_by = one_of(["me"])
    q = Text(max_length=200)
    updated_since = Moment()
    from_ = ma.fields.Date(
        data_key="from",
        validate=validate.Range(*DAYS_KEPT),
        metadata={"description": "observed on or after (YYYY-MM-DD, Asia/Shanghai)"},
    )
    to = ma.fields.Date(
        validate=validate.Range(*DAYS_KEPT),
        metadata={"description": "observed on or before (YYYY-MM-DD, Asia/Shanghai)"},
    )

    @ma.validates_schema
    def _range(self, data, **kwargs):
        problem = date_range_problem(data.get("from_"), data.get("to"))
        if problem:
            raise ma.ValidationError(problem)


class ListQuery(ListFilters):
    limit = ma.fields.Integer(validate=validate.Range(1, 200), load_default=50)
    cursor = cursor_field()
    sort = one_of(list(ORDERS), load_default=DEFAULT_ORDER)


def filters_from(query: dict) -> FindingFilter:
    """The parsed ListFilters as the read side's FindingFilter."""
    return FindingFilter(
        status=tuple(query.get("status") or ()),
        level=query.get("level"),
        category=query.get("category"),
        enterprise_id=query.get("enterprise_id"),
        area=query.get("area"),
        overdue=query.get("overdue"),
        reported_by_me=query.get("reported_by") == "me",
        q=query.get("q"),
        updated_since=query.get("updated_since"),
        observed_from=query.get("from_"),
        observed_to=query.get("to"),
    )

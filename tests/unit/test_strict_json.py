"""app/api/parsing.strict_json looks for a lone surrogate only in a body with a \\u escape: it accepts and refuses
exactly what the check of every body did, for arbitrary JSON (surrogates, pairs, Chinese written out or escaped,
deep nesting) and for the byte strings around them."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from werkzeug.exceptions import BadRequest

from app.api.parsing import _refuse_constant, strict_json


def every_body_checked(data: bytes):
    """The rule before: every body encoded again to find a lone surrogate."""
    body = json.loads(data.decode("utf-8"), parse_constant=_refuse_constant)
    json.dumps(body, ensure_ascii=False).encode("utf-8")
    return body


def outcome(parse, data: bytes):
    try:
        return "accepted", parse(data)
    except BadRequest as refused:
        return "refused", refused.data["message"]
    except (ValueError, RecursionError) as error:  # the rule before, unwrapped: only the kind is compared
        return "refused", type(error).__name__


def same_outcome(data: bytes) -> None:
    ours, before = outcome(strict_json, data), outcome(every_body_checked, data)
    assert ours[0] == before[0], (data[:80], ours, before)
    if ours[0] == "accepted":
        assert ours[1] == before[1]


TEXT = st.text(st.characters(codec=None, blacklist_categories=()), max_size=12)  # surrogates included
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=400, deadline=None)
@given(JSON, st.booleans())
def test_any_json_is_accepted_or_refused_as_before(value, escaped):
    data = json.dumps(value, ensure_ascii=escaped).encode("utf-8", "surrogatepass")
    same_outcome(data)


@pytest.mark.parametrize(
    "data",
    [
        '{"title": "消防通道堵塞"}'.encode(),  # Chinese written out: no escape, nothing to look through
        b'{"title": "\\u6d88\\u9632"}',
        b'{"title": "\\ud800"}',  # a lone high surrogate
        b'{"title": "x\\udfff"}',  # a lone low one
        b'{"\\ud800": 1}',  # in a key
        b'{"title": "\\ud83d\\ude00"}',  # a pair: one character
        b'{"title": "\\\\ud800"}',  # an escaped backslash, then "ud800": text, no surrogate
        b'{"title": "\xed\xa0\x80"}',  # a surrogate written out in UTF-8's form: not UTF-8
        b'{"n": NaN}',
        b"[" * 5000 + b"]" * 5000,
        b"[" * 900 + b'"\\ud800"' + b"]" * 900,
    ],
)
def test_the_edges_of_the_rule(data):
    same_outcome(data)


def test_a_lone_surrogate_is_refused_with_its_reason():
    with pytest.raises(BadRequest) as refused:
        strict_json(b'{"title": "\\ud800"}')
    assert "lone UTF-16 surrogate" in refused.value.data["message"]

"""callback_data: what we encode round-trips and fits; whatever else a client sends is rejected."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planbot.bot.telegram import callbacks
from planbot.bot.telegram.callbacks import Kind


def test_round_trip_of_every_kind():
    token = callbacks.new_token()
    cases = [(Kind.full, (123456789012,)), (Kind.more, (token, 9999)), (Kind.add, (token,)),
             (Kind.remove, (token,)), (Kind.cancel, (token,)), (Kind.due, ("20210601", "20210630", 20)),
             (Kind.plans, (40,))]
    for kind, args in cases:
        data = callbacks.encode(kind, *args)
        assert len(data.encode()) <= callbacks.MAX_BYTES
        action = callbacks.decode(data)
        assert action.kind is kind and action.args == tuple(map(str, args))


@pytest.mark.parametrize("data", [
    None, "", "f:1", "1:f:", "1:f:abc", "1:f:1:2", "2:f:1", "1:z:1", "1:m:tok:1",
    "1:m:abcdefgh", "1:m:abcdefgh:-1", "1:a:" + "x" * 60, "1:a:ab cd", "1:f:1\n",
    "1:f:１２",  # full-width digits are \d in Python regexes by default
    "1:d:2021061:20210630:0", "1:d:20210601:20210630", "1:d:20210601-20210630:0", "1:p:", "1:p:x",
])
def test_forged_or_malformed_data_is_rejected(data):
    assert callbacks.decode(data) is None


def test_encode_refuses_what_would_not_decode():
    with pytest.raises(ValueError):
        callbacks.encode(Kind.more, "bad token!", 1)
    with pytest.raises(ValueError):
        callbacks.encode(Kind.full, "x" * 70)


@given(st.text(max_size=80))
def test_decode_never_raises(data):
    action = callbacks.decode(data)
    if action is not None:
        assert callbacks.encode(action.kind, *action.args) == data


def test_a_due_span_reads_back_as_dates_or_not_at_all():
    import datetime as dt

    data = callbacks.due_data(dt.date(2021, 6, 1), dt.date(2021, 6, 30), 20)
    action = callbacks.decode(data)
    assert action.span == (dt.date(2021, 6, 1), dt.date(2021, 6, 30)) and action.offset == 20
    assert callbacks.decode("1:d:20211301:20211331:0").span is None  # digits, but no dates
    assert callbacks.decode("1:d:20210630:20210601:0").span is None  # backwards

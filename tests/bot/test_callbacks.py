"""callback_data: what we encode round-trips and fits; whatever else a client sends is rejected."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planbot.bot.telegram import callbacks
from planbot.bot.telegram.callbacks import Kind


def test_round_trip_of_every_kind():
    token = callbacks.new_token()
    cases = [(Kind.full, (123456789012,)), (Kind.more, (token, 9999)), (Kind.add, (token,)),
             (Kind.remove, (token,)), (Kind.cancel, (token,))]
    for kind, args in cases:
        data = callbacks.encode(kind, *args)
        assert len(data.encode()) <= callbacks.MAX_BYTES
        action = callbacks.decode(data)
        assert action.kind is kind and action.args == tuple(map(str, args))


@pytest.mark.parametrize("data", [
    None, "", "f:1", "1:f:", "1:f:abc", "1:f:1:2", "2:f:1", "1:z:1", "1:m:tok:1",
    "1:m:abcdefgh", "1:m:abcdefgh:-1", "1:a:" + "x" * 60, "1:a:ab cd", "1:f:1\n",
    "1:f:１２",  # full-width digits are \d in Python regexes by default
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

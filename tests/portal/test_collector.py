"""``portal.collector``: the cycle collector is paused inside and restored as it was after."""

from __future__ import annotations

import gc

import pytest

from portal.collector import collector_paused, without_collector


def test_paused_inside_and_resumed_after_even_on_error():
    assert gc.isenabled()
    with pytest.raises(ValueError), collector_paused():
        assert not gc.isenabled()
        raise ValueError
    assert gc.isenabled()


def test_left_off_when_it_was_off():
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_decorated_function_runs_without_collector():
    @without_collector
    def view(value):
        return value, gc.isenabled()

    assert view(3) == (3, False)
    assert gc.isenabled()

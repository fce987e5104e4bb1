"""Linking sets the objects alive before it aside from the collector, and hands them back."""

from __future__ import annotations

import gc

from storydiff.run.heap import older_objects_set_aside


def test_objects_alive_before_are_set_aside_and_handed_back() -> None:
    assert gc.get_freeze_count() == 0
    with older_objects_set_aside():
        assert gc.get_freeze_count() > 0
        cycle: list[object] = []
        cycle.append(cycle)  # garbage made inside is still collected
        del cycle
        assert gc.collect() >= 1
    assert gc.get_freeze_count() == 0


def test_a_callers_own_freeze_is_left_as_it_was() -> None:
    gc.freeze()
    try:
        before = gc.get_freeze_count()
        with older_objects_set_aside():
            pass
        assert gc.get_freeze_count() == before
    finally:
        gc.unfreeze()

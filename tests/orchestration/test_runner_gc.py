"""The in-process refresh leaves the objects alive before it out of the garbage collector's
collections while it runs (issue 18: one full collection scanned them all), and gives them
back afterwards, also when the run raises; a process's own freeze is left alone."""

from __future__ import annotations

import gc

import pytest

from orchestration.runner import objects_before_frozen


def test_objects_alive_before_the_run_are_frozen_during_it_and_given_back_after():
    assert gc.get_freeze_count() == 0
    before = [object() for _ in range(3)] + [[]]  # a tracked container made before
    with objects_before_frozen():
        assert gc.get_freeze_count() > 0
        made_during = [[]]
        assert gc.is_tracked(made_during)
    assert gc.get_freeze_count() == 0
    assert before and made_during


def test_objects_are_given_back_when_the_run_raises():
    with pytest.raises(RuntimeError), objects_before_frozen():
        raise RuntimeError("step failed")
    assert gc.get_freeze_count() == 0


def test_a_freeze_made_by_the_process_itself_is_kept():
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with objects_before_frozen():
            pass
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()

"""Turns on the spaCy pipeline: the short articles' thread goes before the long lane, which still gets its turns."""

import threading
import time

from streams.entities.recognizer import PipelineTurns, mark_background_thread


def take_turn(turns: PipelineTurns, name: str, order: list[str], background: bool, asking: threading.Event) -> None:
    if background:
        mark_background_thread()
    asking.set()
    with turns.turn():
        order.append(name)


def start(turns: PipelineTurns, name: str, order: list[str], background: bool) -> threading.Thread:
    asking = threading.Event()
    thread = threading.Thread(target=take_turn, args=(turns, name, order, background, asking))
    thread.start()
    asking.wait(5)
    time.sleep(0.1)  # let threads ask in the order they were started
    return thread


def wait_until_asking(turns: PipelineTurns, foreground: int, background: int) -> None:
    deadline = time.monotonic() + 5
    while (turns._waiting[False] < foreground or turns._waiting[True] < background) and time.monotonic() < deadline:
        time.sleep(0.01)


def test_a_waiting_foreground_thread_goes_before_a_background_thread_that_asked_first():
    turns, order = PipelineTurns(), []
    with turns.turn():
        threads = [
            start(turns, "long lane", order, background=True),
            start(turns, "short lane", order, background=False),
        ]
        wait_until_asking(turns, foreground=1, background=1)
        assert order == []  # one thread at a time: both wait while this one holds the pipeline
    for thread in threads:
        thread.join(5)
    assert order == ["short lane", "long lane"]


def test_a_waiting_background_thread_goes_after_at_most_a_streak_of_foreground_turns():
    turns, order = PipelineTurns(foreground_streak=1), []
    with turns.turn():
        threads = [
            start(turns, "long lane", order, background=True),
            start(turns, "short lane 1", order, background=False),
            start(turns, "short lane 2", order, background=False),
        ]
        wait_until_asking(turns, foreground=2, background=1)
    for thread in threads:
        thread.join(5)
    assert order[1] == "long lane" and len(order) == 3


def test_a_background_thread_gets_the_pipeline_when_no_foreground_thread_wants_it():
    turns, order = PipelineTurns(), []
    start(turns, "long lane", order, background=True).join(5)
    assert order == ["long lane"]


def test_every_waiting_foreground_thread_gets_its_turn():
    turns, order = PipelineTurns(), []
    with turns.turn():
        threads = [start(turns, "first", order, background=False), start(turns, "second", order, background=False)]
    for thread in threads:
        thread.join(5)
    assert sorted(order) == ["first", "second"]

"""The time limit on regex searches: kept by the CPU-time ticker while a document is linted,
by `regex`'s own timeout otherwise."""

import signal
import threading
import time

import pytest
import regex

from claimlint import searchlimit

CATASTROPHIC = regex.compile(r"(a|aa)+$")
TEXT = "a" * 60 + "!"


def test_a_runaway_search_is_stopped_while_ticking():
    start = time.process_time()
    with searchlimit.ticking(0.3):
        with pytest.raises(TimeoutError):
            searchlimit.search(CATASTROPHIC, TEXT, 0, 0.3)
    assert 0.3 <= time.process_time() - start < 2


def test_find_all_is_stopped_while_ticking():
    with searchlimit.ticking(0.3), pytest.raises(TimeoutError):
        searchlimit.find_all(CATASTROPHIC, TEXT, 0.3)


def test_without_the_ticker_the_regex_timeout_applies():
    with pytest.raises(TimeoutError):
        searchlimit.search(CATASTROPHIC, TEXT, 0, 0.3)


def test_quick_searches_are_not_stopped_and_find_the_same():
    pattern = regex.compile(r"\bcures?\b", regex.IGNORECASE)
    with searchlimit.ticking(0.3):
        found = [searchlimit.search(pattern, "It cures colds " * 50, pos, 0.3).span() for pos in range(0, 700, 7)]
        for _ in range(2000):
            searchlimit.find_all(pattern, "It cures colds " * 50, 0.3)
    assert found == [pattern.search("It cures colds " * 50, pos).span() for pos in range(0, 700, 7)]


def test_the_timer_stops_and_the_handler_stays_after_the_block():
    with searchlimit.ticking(1.0):
        assert signal.getitimer(signal.ITIMER_PROF)[0] > 0
    assert signal.getitimer(signal.ITIMER_PROF) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGPROF) is searchlimit._on_tick


def test_another_thread_keeps_the_regex_timeout():
    outcome = []

    def lint():
        with searchlimit.ticking(0.3):
            try:
                searchlimit.search(CATASTROPHIC, TEXT, 0, 0.3)
            except TimeoutError:
                outcome.append("stopped")

    thread = threading.Thread(target=lint, daemon=True)
    thread.start()
    thread.join(30)
    assert outcome == ["stopped"]

"""The time limit on each regular-expression search, kept by a CPU-time ticker.

`regex`'s own `timeout=` reads the process CPU clock as a search starts and as it ends: two
system calls per search, which cost more than most searches do (about 7 us against 1-10 us
for the search itself on the benchmark machine, where a run makes ~400 searches an article).

While `ticking()` is on (the engine turns it on while it lints a document), an interval timer
on process CPU time interrupts every TICK seconds instead, and `search` / `find_all` only note
which search is running. A tick that finds the same search still running after the limit
raises TimeoutError inside it, as `timeout=` would: `regex` checks for signals while it
matches, so even a search that backtracks for ever is stopped (between the limit and one
TICK later).

Where the ticker cannot run (no setitimer, not the main thread, or another SIGPROF handler is
installed) searches keep `timeout=`; so do searches made while it is off.
"""

from __future__ import annotations

import signal
from contextlib import contextmanager
from math import ceil
from threading import get_ident, main_thread

TICK = 0.05  # seconds of process CPU time between two looks at the running search

_ticking_thread: int | None = None  # the thread whose searches the ticker watches
_ticks_allowed = 0  # ticks a search may be seen running before it is stopped
_search = 0  # number of the search running, or last run
_running = False
_seen = -1  # the search the last tick saw running
_seen_ticks = 0  # how many ticks since then saw it still running


def _on_tick(signum, frame) -> None:
    global _seen, _seen_ticks
    if not _running:
        return
    if _search != _seen:  # the first tick to see this search: it started less than TICK ago
        _seen, _seen_ticks = _search, 0
        return
    _seen_ticks += 1
    if _seen_ticks >= _ticks_allowed:  # it has run more than the limit
        _seen = -1
        raise TimeoutError("regular expression search ran past its time limit")


@contextmanager
def ticking(limit: float):
    """Watch this thread's searches with the ticker for the block (if it can run here)."""
    global _ticking_thread, _ticks_allowed
    if _ticking_thread is not None or not _install():
        yield
        return
    _ticking_thread, _ticks_allowed = get_ident(), ceil(limit / TICK)
    signal.setitimer(signal.ITIMER_PROF, TICK, TICK)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        _ticking_thread = None


def _install() -> bool:
    """Make _on_tick the SIGPROF handler (kept for the process's life: a tick already on its
    way when the timer stops finds nothing running), unless something else handles it."""
    if not hasattr(signal, "setitimer") or not hasattr(signal, "SIGPROF"):
        return False
    if get_ident() != main_thread().ident:  # handlers run in the main thread only
        return False
    current = signal.getsignal(signal.SIGPROF)
    if current is _on_tick:
        return True
    if current not in (signal.SIG_DFL, signal.SIG_IGN):
        return False
    signal.signal(signal.SIGPROF, _on_tick)
    return True


def search(pattern, text: str, pos: int, limit: float):
    """pattern.search(text, pos), stopped by TimeoutError after `limit` seconds."""
    global _search, _running
    if _ticking_thread != get_ident():
        return pattern.search(text, pos, timeout=limit)
    _search += 1
    _running = True
    try:
        return pattern.search(text, pos)
    finally:
        _running = False


def find_all(pattern, text: str, limit: float) -> list:
    """list(pattern.finditer(text)), stopped by TimeoutError after `limit` seconds."""
    global _search, _running
    if _ticking_thread != get_ident():
        return list(pattern.finditer(text, timeout=limit))
    _search += 1
    _running = True
    try:
        return list(pattern.finditer(text))
    finally:
        _running = False

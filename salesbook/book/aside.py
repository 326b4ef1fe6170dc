"""Work handed to a second process while this one goes on: ``salesbook report`` reads the results tables of
a computed book there while it reads the inputs here, and ``salesbook run`` computes the leads and KPI jobs
there while targets and commissions are computed here (``pipeline.compute``).

Why: reading and computing are single-threaded Python, so the second core waited. On the 1,000-rep demo
book the reviews' inputs and results take about as long to read as each other (7.3 s in order, 4 s side by
side), and the run's two halves about as long to compute (the run: 22 s to 19 s). The child sends back what
it made (pickled) or the exception it raised; it never outlives the caller (``_die_with``).

Where processes cannot be forked (Windows, a daemonic worker, a platform without ``fork``), the work runs
here, in order, exactly as it would in the child.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import pickle
import signal
import sys
from collections.abc import Callable
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class Aside(Generic[T]):
    """``fn(*args)`` started in a forked process now; ``result()`` waits for it (or runs it here)."""

    def __init__(self, fn: Callable[..., T], *args: Any, parallel: bool = True):
        self._fn, self._args = fn, args
        self._proc: Any = None
        self._recv: Any = None
        if parallel and can_fork():
            ctx = mp.get_context("fork")
            recv, send = os.pipe()
            try:
                proc = ctx.Process(target=_child, args=(send, recv, os.getpid(), fn, args), daemon=True)
                proc.start()
            except (OSError, AssertionError):   # no processes left, or a daemonic caller may not have children
                os.close(recv)
            else:
                self._proc, self._recv = proc, os.fdopen(recv, "rb")
            finally:
                os.close(send)

    @property
    def forked(self) -> bool:
        return self._proc is not None

    def result(self) -> T:
        if self._proc is None:
            return self._fn(*self._args)
        try:
            ok, value = pickle.load(self._recv)
        except (EOFError, pickle.UnpicklingError):   # the child died (killed, out of memory) or could not
            self.close()                             # send all it made: do the work here instead
            return self._fn(*self._args)
        self.close()
        if ok:
            return value
        raise value

    def close(self) -> None:
        """Stop the child if it still runs (the caller failed first) and reap it."""
        if self._proc is None:
            return
        if self._proc.is_alive():
            self._proc.terminate()
        self._proc.join()
        self._recv.close()
        self._proc = None

    def __enter__(self) -> Aside[T]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def room_for_a_copy() -> bool:
    """Free memory for a second process that may come to hold as much as this one does now (1.5 times its
    resident size is asked for), where the system says how much is free (Linux); else yes."""
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            free = next(int(line.split()[1]) * 1024 for line in meminfo if line.startswith("MemAvailable:"))
        with open("/proc/self/statm", encoding="ascii") as statm:
            resident = int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, StopIteration):
        return True
    return free >= 1.5 * resident


def can_fork() -> bool:
    """Fork is there, the machine has a second core, and this process may have children."""
    if "fork" not in mp.get_all_start_methods() or (os.cpu_count() or 1) < 2:
        return False
    return not mp.current_process().daemon


def _child(send: int, recv: int, parent: int, fn: Callable[..., Any], args: tuple[Any, ...]) -> None:
    os.close(recv)   # only the parent reads: if it dies, sending fails instead of waiting on a full pipe for ever
    _die_with(parent)
    out = os.fdopen(send, "wb")
    try:
        outcome = (True, fn(*args))
    except BaseException as exc:   # handed to the parent, which raises it
        outcome = (False, _picklable(exc))
    try:
        pickle.dump(outcome, out, protocol=pickle.HIGHEST_PROTOCOL)
        out.close()
    except Exception:   # the parent is gone (nobody to tell), or the result does not pickle: the cut-off
        with contextlib.suppress(Exception):   # stream makes the parent do the work itself
            out.close()


def _picklable(exc: BaseException) -> BaseException:
    """The exception itself when it pickles, else its type and message (the parent raises what it gets)."""
    try:
        pickle.dumps(exc, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:
        return RuntimeError(f"{type(exc).__name__}: {exc}")
    return exc


def _die_with(parent: int) -> None:
    """Ask Linux to end this process when its parent ends, even by kill -9 (prctl PR_SET_PDEATHSIG), so a
    killed run never leaves its second process working for nobody; elsewhere the closed pipe ends it later."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:   # the parent ended before the request was in place
        os._exit(1)


_PR_SET_PDEATHSIG = 1

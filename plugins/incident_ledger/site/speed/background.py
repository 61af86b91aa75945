"""Run feeds and open data beside MkDocs' page rendering, on the other core where possible.

The build itself is single-threaded; feeds and open data depend only on the loaded
ledger, so a forked child can compute them meanwhile. The child inherits the data
(nothing is pickled on the way in) and, once released, also delivers them (writes the
files) itself: the files never cross back to the build process, which would otherwise
hold the largest of them twice (pickled and unpickled) at its memory peak.
Under `mkdocs serve`, where forking beside the live-reload server's threads is unsafe,
the same work runs on a thread once released: writing files mostly waits on the file
system, with the GIL free.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")


def can_fork() -> bool:
    """Workers inherit loaded data only where processes fork (not on Windows)."""
    return "fork" in multiprocessing.get_all_start_methods()


def fork_workers() -> int:
    """How many processes may check a large tree: the cores, where processes can fork."""
    return (os.cpu_count() or 1) if can_fork() else 1


class Deferred(Generic[T, R]):
    """`deliver(compute())`: computed at once in a forked child where possible, delivered once released.

    Without a fork, nothing runs before `release`, which starts a thread; `result` runs whatever has not
    run yet. The result of `deliver` is what comes back, so it should be small.
    """

    def __init__(self, compute: Callable[[], T], deliver: Callable[[T], R], *, fork: bool) -> None:
        self._job = lambda: deliver(compute())
        self._process: multiprocessing.process.BaseProcess | None = None
        self._connection: Connection | None = None
        self._thread: threading.Thread | None = None
        self._outcome: tuple[bool, object] | None = None
        if fork and can_fork() and (os.cpu_count() or 1) > 1:
            context = multiprocessing.get_context("fork")
            self._connection, child = context.Pipe(duplex=True)
            self._process = context.Process(target=_child, args=(compute, deliver, child), daemon=True)
            self._process.start()
            child.close()

    def release(self) -> None:
        """From now on the result may be delivered (the files written): in the child, or on a thread."""
        if self._process is not None and self._connection is not None:
            # A child that has already ended (it failed) cannot be told; `result` reports why.
            with contextlib.suppress(OSError):
                self._connection.send("deliver")
        elif self._thread is None and self._outcome is None:
            self._thread = threading.Thread(target=self._run, daemon=True)
            self._thread.start()

    def result(self) -> R:
        """What `deliver` returned; an exception raised on the way is raised here as RuntimeError."""
        if self._process is not None and self._connection is not None:
            self.release()
            try:
                ok, value = self._connection.recv()
            except (EOFError, OSError):  # the child ended without sending: a closed or reset connection
                self._process.join()
                ok, value = False, f"the worker process ended without a result (exit code {self._process.exitcode})"
            finally:
                self._stop()
        else:
            if self._thread is None and self._outcome is None:
                self._run()
            if self._thread is not None:
                self._thread.join()
            assert self._outcome is not None
            ok, value = self._outcome
        if not ok:
            raise RuntimeError(value)
        return value  # type: ignore[return-value]

    def cancel(self) -> None:
        """Stop the work of a build that failed: the child is ended, a running thread is waited for."""
        if self._process is not None:
            self._process.terminate()
            self._stop()
        elif self._thread is not None:
            self._thread.join()

    def _run(self) -> None:
        try:
            self._outcome = (True, self._job())
        except Exception as error:  # handed to whoever asks for the result
            self._outcome = (False, f"{type(error).__name__}: {error}")

    def _stop(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        if self._process is not None:
            self._process.join()
            self._process = None


def _child(compute: Callable[[], object], deliver: Callable[[object], object], connection: Connection) -> None:
    try:
        value = compute()
        if connection.recv() != "deliver":
            return
        message: tuple[bool, object] = (True, deliver(value))
    except EOFError:  # the build went away before releasing the result
        return
    except Exception as error:  # reported to the parent, which decides how to fail
        message = (False, f"{type(error).__name__}: {error}")
    connection.send(message)
    connection.close()

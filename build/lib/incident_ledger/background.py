"""Run a pure computation on the other core while MkDocs renders pages.

The build itself is single-threaded; feeds and open data depend only on the loaded
ledger, so a forked child can produce them meanwhile. The child inherits the data
(nothing is pickled on the way in) and sends back only its result.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Generic, TypeVar

T = TypeVar("T")


def can_fork() -> bool:
    """Workers inherit loaded data only where processes fork (not on Windows)."""
    return "fork" in multiprocessing.get_all_start_methods()


class Deferred(Generic[T]):
    """The result of `compute`, made in a forked child where possible, else on first request."""

    def __init__(self, compute: Callable[[], T], *, fork: bool) -> None:
        self._compute = compute
        self._process: multiprocessing.process.BaseProcess | None = None
        self._receiver: Connection | None = None
        if fork and can_fork() and (os.cpu_count() or 1) > 1:
            context = multiprocessing.get_context("fork")
            self._receiver, sender = context.Pipe(duplex=False)
            self._process = context.Process(target=_run, args=(compute, sender), daemon=True)
            self._process.start()
            sender.close()

    def result(self) -> T:
        """The computed value; an exception in the child is raised here as RuntimeError."""
        if self._process is None or self._receiver is None:
            return self._compute()
        try:
            ok, value = self._receiver.recv()
        except EOFError:
            ok, value = False, f"the worker process ended without a result (exit code {self._process.exitcode})"
        finally:
            self._receiver.close()
            self._process.join()
            self._process = None
        if not ok:
            raise RuntimeError(value)
        return value

    def cancel(self) -> None:
        """Stop the child of a build that failed; its result is no longer wanted."""
        if self._process is not None and self._receiver is not None:
            self._receiver.close()
            self._process.terminate()
            self._process.join()
            self._process = None


def _run(compute: Callable[[], object], sender: Connection) -> None:
    try:
        message = (True, compute())
    except Exception as error:  # reported to the parent, which decides how to fail
        message = (False, f"{type(error).__name__}: {error}")
    sender.send(message)
    sender.close()

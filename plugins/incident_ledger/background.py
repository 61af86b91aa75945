"""Run a pure computation on the other core while MkDocs renders pages.

The build itself is single-threaded; feeds and open data depend only on the loaded
ledger, so a forked child can produce them meanwhile. The child inherits the data
(nothing is pickled on the way in) and sends back only its result. A mapping result
(file name to bytes) comes back one entry at a time, so the parent never holds the
whole result twice (pickled and unpickled) and can write each file as it arrives.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection
from typing import Any, Generic, TypeVar

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
        if self._process is None:
            return self._compute()
        try:
            kind, value = self._receive()
            return dict(self._entries(value)) if kind == "items" else value  # type: ignore[return-value]
        finally:
            self._finish()

    def items(self) -> Iterator[tuple[Any, Any]]:
        """The entries of a mapping result, each handed over as soon as it arrives from the child."""
        if self._process is None:
            yield from self._compute().items()  # type: ignore[attr-defined]
            return
        try:
            kind, value = self._receive()
            yield from self._entries(value) if kind == "items" else value.items()
        finally:
            self._finish()

    def _receive(self) -> tuple[str, Any]:
        assert self._receiver is not None and self._process is not None
        try:
            kind, value = self._receiver.recv()
        except EOFError:
            self._process.join()
            raise RuntimeError(
                f"the worker process ended without a result (exit code {self._process.exitcode})"
            ) from None
        if kind == "error":
            raise RuntimeError(value)
        return kind, value

    def _entries(self, count: int) -> Iterator[tuple[Any, Any]]:
        assert self._receiver is not None
        for _ in range(count):
            try:
                yield self._receiver.recv()
            except EOFError:
                raise RuntimeError("the worker process ended before sending its whole result") from None

    def _finish(self) -> None:
        if self._process is not None and self._receiver is not None:
            self._receiver.close()
            self._process.join()
            self._process = None

    def cancel(self) -> None:
        """Stop the child of a build that failed; its result is no longer wanted."""
        if self._process is not None and self._receiver is not None:
            self._receiver.close()
            self._process.terminate()
            self._process.join()
            self._process = None


class Threaded(Generic[T]):
    """`compute` on a thread, for work that waits on the file system: the GIL is released during system
    calls, so writing files overlaps the page rendering on the main thread (where forking is not safe)."""

    def __init__(self, compute: Callable[[], T]) -> None:
        self._value: T | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(compute,), daemon=True)
        self._thread.start()

    def _run(self, compute: Callable[[], T]) -> None:
        try:
            self._value = compute()
        except BaseException as error:  # handed to the thread that asks for the result
            self._error = error

    def result(self) -> T:
        """The value, once the thread is done; its exception, if any, is raised here."""
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value  # type: ignore[return-value]


def _run(compute: Callable[[], object], sender: Connection) -> None:
    try:
        value = compute()
    except Exception as error:  # reported to the parent, which decides how to fail
        sender.send(("error", f"{type(error).__name__}: {error}"))
    else:
        if isinstance(value, dict):
            sender.send(("items", len(value)))
            for entry in value.items():
                sender.send(entry)
        else:
            sender.send(("value", value))
    sender.close()

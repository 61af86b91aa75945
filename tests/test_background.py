"""Feeds and open data are computed in a forked child during the build and delivered (written) there
once the build releases them; only a small result comes back."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from incident_ledger.site.speed.background import Deferred


def test_compute_and_deliver_run_in_another_process(tmp_path: Path) -> None:
    target = tmp_path / "big.bin"

    def deliver(payload: bytes) -> tuple[int, int]:
        target.write_bytes(payload)
        return os.getpid(), len(payload)

    deferred = Deferred(lambda: b"x" * 5_000_000, deliver, fork=True)
    time.sleep(0.2)
    assert not target.exists(), "nothing is delivered before the build releases it"
    deferred.release()
    pid, size = deferred.result()
    assert pid != os.getpid() and size == 5_000_000
    assert target.read_bytes() == b"x" * 5_000_000, "the payload never crossed back to the parent"


def test_without_fork_nothing_runs_before_release_then_a_thread_does() -> None:
    calls: list[int] = []
    deferred = Deferred(lambda: calls.append(1) or threading.get_ident(), lambda ident: ident, fork=False)
    time.sleep(0.05)
    assert calls == []
    deferred.release()
    assert deferred.result() != threading.get_ident()
    assert calls == [1]
    unreleased = Deferred(threading.get_ident, lambda ident: ident, fork=False)
    assert unreleased.result() == threading.get_ident(), "result runs on the caller when never released"


@pytest.mark.parametrize("fork", [True, False])
def test_a_failure_is_raised_without_a_traceback(fork: bool) -> None:
    def broken() -> int:
        raise ValueError("feed title missing")

    deferred = Deferred(broken, lambda value: value, fork=fork)
    deferred.release()
    with pytest.raises(RuntimeError, match=r"^ValueError: feed title missing$"):
        deferred.result()


def test_a_failure_while_delivering_is_reported() -> None:
    def deliver(value: int) -> int:
        raise OSError("disk full")

    with pytest.raises(RuntimeError, match=r"^OSError: disk full$"):
        Deferred(lambda: 1, deliver, fork=True).result()


def test_cancel_stops_the_child_before_it_delivers(tmp_path: Path) -> None:
    target = tmp_path / "feed.xml"
    deferred = Deferred(lambda: time.sleep(60), lambda _: target.write_text("late"), fork=True)
    process = deferred._process
    assert process is not None and process.is_alive()
    deferred.cancel()
    assert not process.is_alive() and not target.exists()


def test_a_child_that_dies_is_reported() -> None:
    with pytest.raises(RuntimeError, match=r"ended without a result \(exit code 3\)"):
        Deferred(lambda: os._exit(3), lambda value: value, fork=True).result()

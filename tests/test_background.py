"""Feeds and open data are computed in a forked child during the build; its result must come back intact."""

from __future__ import annotations

import os
import time

import pytest

from incident_ledger.background import Deferred


def test_result_comes_from_another_process() -> None:
    deferred = Deferred(lambda: (os.getpid(), b"x" * 5_000_000), fork=True)
    pid, payload = deferred.result()
    assert pid != os.getpid()
    assert payload == b"x" * 5_000_000, "results larger than a pipe buffer arrive whole"


def test_without_fork_the_value_is_computed_on_request() -> None:
    calls: list[int] = []
    deferred = Deferred(lambda: calls.append(1) or os.getpid(), fork=False)
    assert calls == []
    assert deferred.result() == os.getpid()
    assert calls == [1]


def test_a_failure_in_the_child_is_raised_without_a_traceback() -> None:
    def broken() -> int:
        raise ValueError("feed title missing")

    with pytest.raises(RuntimeError, match=r"^ValueError: feed title missing$"):
        Deferred(broken, fork=True).result()


def test_cancel_stops_the_child() -> None:
    deferred = Deferred(lambda: time.sleep(60), fork=True)
    process = deferred._process
    assert process is not None and process.is_alive()
    deferred.cancel()
    assert not process.is_alive()


def test_a_mapping_comes_back_entry_by_entry() -> None:
    files = {f"feeds/{n}.xml": bytes([n]) * 200_000 for n in range(20)}
    streamed = Deferred(lambda: {**files, "pid": str(os.getpid()).encode()}, fork=True)
    received = []
    for name, content in streamed.items():
        received.append(name)
        if name != "pid":
            assert content == files[name]
    assert received[:-1] == list(files) and received[-1] == "pid"
    assert Deferred(lambda: dict(files), fork=True).result() == files
    assert dict(Deferred(lambda: dict(files), fork=False).items()) == files


def test_a_failure_reaches_the_stream_before_any_entry() -> None:
    def broken() -> dict[str, bytes]:
        raise OSError("disk full")

    received = []
    with pytest.raises(RuntimeError, match=r"^OSError: disk full$"):
        for entry in Deferred(broken, fork=True).items():
            received.append(entry)
    assert received == []


def test_a_child_that_dies_is_reported() -> None:
    with pytest.raises(RuntimeError, match=r"ended without a result \(exit code 3\)"):
        Deferred(lambda: os._exit(3), fork=True).result()


def test_a_thread_hands_over_its_value_or_its_exception() -> None:
    import threading

    from incident_ledger.background import Threaded

    assert Threaded(lambda: threading.get_ident()).result() != threading.get_ident()

    def broken() -> None:
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        Threaded(broken).result()

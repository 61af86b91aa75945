"""Writing the ledger's files: each whole or not at all, and coverage merged under a lock.

A file is written to a temporary file beside it and renamed over it, so a kill or a full disk
leaves the old file or the new one, never half of one. `coverage.yml` is re-read and merged
under an exclusive lock on the incidents folder, so two collects running at once each keep
the vendors the other wrote. A signal that arrives while a vendor is being written is held
until that vendor is whole (`Stop.hold`).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import signal
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

from ..ledger.coverage import Coverage
from ..ledger.coverage_file import COVERAGE_NAME, load_coverage, render_coverage
from ..ledger.model import Registry


class WriteError(Exception):
    """A file could not be written; the message names it and says that nothing of it was written."""


class Interrupted(BaseException):
    """SIGTERM or SIGINT: the run stops after what it is writing, and reports what did not finish."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: Path, text: str) -> None:
    """Replace `path` with `text` in one rename; on any failure the old file stays and no temporary is left."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.chmod(temporary, 0o666 & ~_umask())  # as an ordinary write would make it, not mkstemp's 0600
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def write_files(root: Path, writes: dict[str, str]) -> None:
    """Each planned file, atomically; the first that cannot be written stops the rest, with a clear error."""
    for relative, text in writes.items():
        try:
            write_atomic(root / relative, text)
        except OSError as error:
            raise WriteError(
                f"cannot write {root.as_posix()}/{relative}: {error.strerror or error}; "
                "it was left as it was, and nothing after it was written"
            ) from None


@contextlib.contextmanager
def ledger_lock(root: Path) -> Iterator[None]:
    """An exclusive lock on the incidents folder, held while one collect writes a vendor."""
    handle = os.open(root, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)


def merge_coverage(root: Path, registry: Registry, vendor_id: str, coverage: Coverage) -> None:
    """Write one vendor's coverage into coverage.yml as it is on disk now (call under `ledger_lock`)."""
    path = root / COVERAGE_NAME
    current, problems = load_coverage(path, registry)
    if problems:
        raise WriteError(f"{path.as_posix()} changed and no longer reads: {problems[0].human()}")
    vendors = dict(current.vendors)
    vendors[vendor_id] = coverage.vendors.get(vendor_id, ())
    text = render_coverage(Coverage(vendors))
    if text != render_coverage(current):  # the file as it stands says the same: leave its bytes alone
        try:
            write_atomic(path, text)
        except OSError as error:
            reason = error.strerror or error
            raise WriteError(f"cannot write {path.as_posix()}: {reason}; it was left as it was") from None


class Stop:
    """Turns SIGTERM and SIGINT into `Interrupted`, held back while a vendor's files are being written."""

    def __init__(self) -> None:
        self.signum: int | None = None
        self.holding = 0

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        self.signum = signum
        if not self.holding:
            raise Interrupted(signum)

    @contextlib.contextmanager
    def installed(self) -> Iterator[Stop]:
        previous = {sig: signal.signal(sig, self._handle) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            yield self
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    @contextlib.contextmanager
    def hold(self) -> Iterator[None]:
        self.holding += 1
        try:
            yield
        finally:
            self.holding -= 1
        if not self.holding and self.signum is not None:
            raise Interrupted(self.signum)

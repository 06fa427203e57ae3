"""Every write sdd makes goes through here: atomic replace and exclusive create.

``write_atomic`` never leaves a half-written file: it writes a temporary file in the same
folder, fsyncs it and renames it over the target. ``create_exclusive`` publishes a complete
file under a name only if that name is free, so concurrent creators never share a number.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

MAX_READ_BYTES = 64 * 1024 * 1024
# Temporary files are named ``.<target>.<pid>.sdd-<random>.tmp``: the pid tells a crashed
# writer's leftover (its process is gone) from a file another process is writing right now.
TEMP_MARK = ".sdd-"
TEMP_SUFFIX = ".tmp"
_TEMP_NAME = re.compile(r"^\..+\.(?P<pid>\d+)\.sdd-[^/]*\.tmp$")


def process_alive(pid: int) -> bool:
    """Whether a process with ``pid`` exists (a crashed writer's pid no longer does)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


def is_leftover_temp(path: Path) -> bool:
    """Whether ``path`` is a temporary file of an sdd writer that died (kill -9, power loss)."""
    match = _TEMP_NAME.match(path.name)
    return match is not None and not process_alive(int(match.group("pid")))


def remove_leftovers(folder: Path) -> list[Path]:
    """Delete the temporary files crashed sdd writers left in ``folder``; return them."""
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if entry.name.endswith(TEMP_SUFFIX) and entry.is_file(follow_symlinks=False):
            path = Path(entry.path)
            if is_leftover_temp(path):
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()
                    removed.append(path)
    return removed


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _to_bytes(content: str | bytes) -> bytes:
    return content.encode("utf-8") if isinstance(content, str) else content


@contextlib.contextmanager
def _temp_file_beside(
    path: Path, data: bytes, mode: int | None, *, durable: bool = True
) -> Iterator[Path]:
    """Write ``data`` to a temporary file in ``path``'s folder (synced when ``durable``);
    remove it afterwards."""
    import tempfile  # only writers pay for it

    fd, tmp_name = tempfile.mkstemp(
        prefix=f".{path.name}.{os.getpid()}{TEMP_MARK}", suffix=TEMP_SUFFIX, dir=path.parent
    )
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        yield tmp
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_atomic(
    path: Path, content: str | bytes, *, mode: int | None = None, durable: bool = True
) -> None:
    """Replace ``path`` with ``content`` atomically, keeping an existing file's permissions.
    ``durable=False``: readers still see the old or the new file whole, but a crash may lose
    the write (no ``fsync``): for data that is only ever a cache."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if mode is None:
        try:
            mode = stat.S_IMODE(path.stat().st_mode)
        except FileNotFoundError:
            mode = _default_mode()
    with _temp_file_beside(path, _to_bytes(content), mode, durable=durable) as tmp:
        os.replace(tmp, path)
    if durable:
        _fsync_dir(path.parent)


def create_exclusive(path: Path, content: str | bytes, *, mode: int | None = None) -> bool:
    """Create ``path`` with ``content`` only if it does not exist; return whether it was created.

    The complete file appears at once (hard link of a synced temporary file), so a reader
    never sees it half written and two creators never both succeed.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    with _temp_file_beside(path, _to_bytes(content), mode or _default_mode()) as tmp:
        try:
            os.link(tmp, path)
        except FileExistsError:
            return False
        except OSError:
            # File systems without hard links: fall back to O_EXCL, then fill the file.
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode or _default_mode())
            except FileExistsError:
                return False
            with os.fdopen(fd, "wb") as handle:
                handle.write(tmp.read_bytes())
                handle.flush()
                os.fsync(handle.fileno())
    _fsync_dir(path.parent)
    return True


def read_text(path: Path, *, limit: int = MAX_READ_BYTES) -> str:
    """Read a UTF-8 text file, refusing files over ``limit`` bytes and binary content."""
    from sdd.base.errors import ParseError

    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        raise ParseError("file not found", path=path) from None
    too_large = f"file is larger than {limit // (1024 * 1024)} MB"
    try:  # one open and fstat: the size checked is the size of the file read
        status = os.fstat(fd)
        size = status.st_size
        if size > limit:
            raise ParseError(too_large, path=path)
        chunks = [os.read(fd, size + 1)]
        read = len(chunks[0])
        # A regular file that gave exactly its size is at its end (one byte more was asked
        # for): no second read. Others have grown since, or their size is not in stat.
        complete = read == size and stat.S_ISREG(status.st_mode)
        while chunks[-1] and not complete:
            if read > limit:
                raise ParseError(too_large, path=path)
            chunks.append(os.read(fd, 1 << 16))
            read += len(chunks[-1])
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if b"\x00" in data[:8192]:
        raise ParseError("file is binary, not text", path=path)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ParseError("file is not valid UTF-8", path=path, line=line) from None


LOCK_TIMEOUT_SECONDS = 30.0


def _wait_for(acquire: Callable[[], bool], timeout: float, busy: str) -> None:
    """Call ``acquire`` until it returns True; ``RefusedError(busy)`` after ``timeout`` s."""
    import time

    from sdd.base.errors import RefusedError

    deadline = time.monotonic() + timeout
    while not acquire():
        if time.monotonic() > deadline:
            raise RefusedError(busy)
        time.sleep(0.005)


@contextlib.contextmanager
def locked(folder: Path, *, timeout: float = LOCK_TIMEOUT_SECONDS) -> Iterator[None]:
    """Hold an exclusive lock on ``folder`` while choosing and creating a numbered name in it.

    POSIX: ``flock`` on the folder itself, so no lock file is left behind and a crashed holder
    releases it. Elsewhere: an exclusively created ``.sdd.lock`` file. Waits at most
    ``timeout`` seconds, then raises ``RefusedError`` (never hangs). Re-entrant within a
    thread, so a locked read-modify-write may call another that locks the same folder.
    """
    folder.mkdir(parents=True, exist_ok=True)
    key = os.path.realpath(folder)
    held = _held_locks()
    if key in held:
        # Already held by this thread (a locked command calling another): flock on a second
        # descriptor would wait for ourselves.
        yield
        return
    held.add(key)
    try:
        with _lock_folder(folder, timeout):
            yield
    finally:
        held.discard(key)


_LOCAL = threading.local()


def _held_locks() -> set[str]:
    held: set[str] | None = getattr(_LOCAL, "held", None)
    if held is None:
        held = set()
        _LOCAL.held = held
    return held


@contextlib.contextmanager
def _lock_folder(folder: Path, timeout: float) -> Iterator[None]:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        marker = folder / ".sdd.lock"

        def create_marker() -> bool:
            try:
                os.close(os.open(marker, os.O_WRONLY | os.O_CREAT | os.O_EXCL))
            except FileExistsError:
                return False
            return True

        _wait_for(create_marker, timeout, f"{marker} is held by another sdd process")
        try:
            yield
        finally:
            with contextlib.suppress(FileNotFoundError):
                marker.unlink()
        return
    fd = os.open(folder, os.O_RDONLY)
    try:

        def take_lock() -> bool:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return False
            return True

        _wait_for(take_lock, timeout, f"{folder} is locked by another sdd process; try again")
        yield
    finally:
        os.close(fd)


def read_input(name: str, *, what: str, flag: str, limit: int, stdin: IO[bytes] | None) -> bytes:
    """The bytes of the file ``name``, or of standard input for ``-`` (the only stdin read).

    Reads at most ``limit`` bytes (a device such as /dev/zero has no size) and refuses more;
    a pipe such as ``<(git diff)`` works because the file is opened, not only checked. Every
    failure is one ``UsageError`` line naming ``what`` (``prompt``, ``diff``) and ``flag``.
    """
    from sdd.base.errors import UsageError

    too_large = f"{what} is larger than {limit // (1024 * 1024)} MB"
    if name == "-":
        if stdin is None:
            raise UsageError(f"{flag} - reads standard input, but stdin is closed")
        try:
            data = stdin.read(limit + 1)
        except (OSError, ValueError) as exc:
            raise UsageError(f"{flag} - cannot read standard input: {exc}") from None
        name = "stdin"
    else:
        try:
            with open(name, "rb") as handle:
                if os.fstat(handle.fileno()).st_size > limit:
                    raise UsageError(f"{name}: {too_large}")
                data = handle.read(limit + 1)
        except FileNotFoundError:
            raise UsageError(f"{name}: no such {what} file") from None
        except IsADirectoryError:
            raise UsageError(f"{name}: is a folder, not a {what} file") from None
        except OSError as exc:
            raise UsageError(f"{name}: cannot read the {what} file ({exc.strerror})") from None
    if len(data) > limit:
        raise UsageError(f"{name}: {too_large}")
    return data

"""Sorting more items than a command should hold at once (ADR 0174).

Items are sorted a run at a time; when there is more than one run, each is written to a
temporary file and the runs are merged as they are read back, so what is held is a run and
one batch per merged run, whatever the number of items. The order is ``sorted(items,
key=key)``'s, ties included (runs are cut in input order and merged stably).
"""

from __future__ import annotations

import heapq
import marshal
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import IO, Any, Generic, TypeVar

T = TypeVar("T")

RUN_SIZE = 4096  # items sorted in memory at a time
BATCH_SIZE = 256  # items written, and read back, at a time
FAN_IN = 16  # runs merged at a time (at least 2)

Run = list[tuple[int, int]]  # (offset, length) of each of a run's batches


def _temporary_file() -> IO[bytes]:
    import io
    import tempfile

    try:
        return tempfile.TemporaryFile()
    except OSError:  # no writable temporary folder: the runs stay in memory, written compactly
        return io.BytesIO()


class SpilledSort(Generic[T]):
    """``items`` sorted by ``key``, iterable any number of times until ``close``; items are
    what ``marshal`` writes (str, int, tuples and lists of them)."""

    def __init__(self, items: Iterable[T], key: Callable[[T], Any]) -> None:
        self._key = key
        self._file: IO[bytes] | None = None
        self._runs: list[Run] = []
        self._count = 0
        self._held: list[T] = []  # the items, when they fit in one run
        try:
            self._sort(iter(items))
        except BaseException:
            self.close()
            raise

    def _sort(self, source: Iterator[T]) -> None:
        while chunk := list(islice(source, RUN_SIZE)):
            chunk.sort(key=self._key)
            self._count += len(chunk)
            if len(chunk) < RUN_SIZE and not self._runs:
                self._held = chunk
            else:
                self._runs.append(self._write(chunk))
        while len(self._runs) > FAN_IN:
            self._runs = [
                self._write(self._merge(self._runs[start : start + FAN_IN]))
                for start in range(0, len(self._runs), FAN_IN)
            ]

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[T]:
        return self._merge(self._runs) if self._runs else iter(self._held)

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    def __enter__(self) -> SpilledSort[T]:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _write(self, items: Iterable[T]) -> Run:
        if self._file is None:
            self._file = _temporary_file()
        file = self._file
        run: Run = []
        source = iter(items)
        while batch := list(islice(source, BATCH_SIZE)):
            data = marshal.dumps(batch)
            offset = file.seek(0, 2)  # reading another run moved the position
            file.write(data)
            run.append((offset, len(data)))
        return run

    def _read(self, run: Run) -> Iterator[T]:
        for offset, length in run:
            if self._file is None:
                raise ValueError("the sorted items were closed")
            self._file.seek(offset)
            batch: list[T] = marshal.loads(self._file.read(length))
            yield from batch

    def _merge(self, runs: list[Run]) -> Iterator[T]:
        return heapq.merge(*(self._read(run) for run in runs), key=self._key)

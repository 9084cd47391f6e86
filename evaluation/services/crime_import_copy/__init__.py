"""The PostgreSQL side of the crime import (evaluation.services.crime_import): `load` stages the
file with COPY (`staging`) and moves the staged rows into `CrimeRecord` (`loading`).

Pipelined: the file is staged a chunk at a time, and a second connection, in a thread started by
the first chunk, checks and loads each chunk while this one stages the next, so the two halves of
the work use both cores. The load is one transaction on that connection, from its first chunk to
its last index; the chunks it reads are committed as they are staged (that is also how the
progress bar moves). Anything that stops the staging (an error, a Celery time limit) stops the
thread at its next step, and its transaction rolls back. When the caller is already inside a
transaction (a test), a second connection could not see its chunks: they are then all staged
first and loaded on the same connection ("inline"), by the same code; so is a file staged row by
row (the csv module is slow, and the loader would keep the crime table locked all that time).

Pages that read crime data do not wait for the load: a large file (at least half the rows held)
is loaded into a new table, indexed once at the end and switched in for the crime table in the
last moments of the transaction; a smaller one goes into the crime table with its indexes kept
(`loading` says how). Until the commit, readers see the rows held before.

Where the time went (500,000 rows, 2 cores; see benchmarks/test_crime_import.py for the runs):
- 2026-11-25: reading each row with Python's csv module and sending it with `write_row` took
  4.9 s, against 1.4 s for PostgreSQL to parse the same bytes itself; the insert took 13.8 s, of
  which about 6.5 s was keeping the two search indexes up to date row by row in random order.
  ON CONFLICT itself costs little (an anti-join insert took as long).
- 2026-11-26: 5.0 s against a 0.7 s raw COPY (7x) became about 2.7 s (about 4x) when the natural
  key became the primary key (no surrogate id, the Crime ID stored once), key and LSOA code took
  the "C" collation (byte-order sorts), COPY read the coordinates (the checks lost their regular
  expressions: 0.56 s to 0.17 s), and the inserts lost a sort and a held-key test they did not
  need. The work was then strictly in turn: staging (the raw COPY's own cost), checks, ASB rows
  (MD5 and numbering), crimes, indexes, each on one core while the other idled.
- Later that day, pipelined: the checks, the crimes' insert and the ASB rows' hashing of one chunk
  run while the next is staged; what is left after the last chunk is numbering and inserting the
  ASB rows and building the indexes. About 0.8 s less on a 3.7 s import.
- 2026-11-27: loaded into a new table switched in at the end, rather than dropping and rebuilding
  the live table's indexes, so that readers never wait (benchmarks/test_crime_import.py has the
  problem page's latency during an import).
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterator
from types import TracebackType
from typing import IO, Any

import psycopg
from django.db import DatabaseError, IntegrityError, connection, transaction

from evaluation.services.crime_import_copy.loading import ChunkLoader, LoadResult
from evaluation.services.crime_import_copy.staging import (
    NeedsRowByRow,
    Staging,
    drop_abandoned,
    stage_file,
    stage_rows,
)

__all__ = ["LoadResult", "load"]

# About twenty progress steps (and chunks) per file, each between these sizes; a chunk is also at
# least one block read (staging.BLOCK_BYTES, about 5,000 rows), so a small file has fewer.
MIN_CHUNK_ROWS = 1_000
CHUNK_ROWS = 25_000


def _roomy_temp_buffers(cursor: Any) -> None:
    """Temporary tables are cached in the session's own buffers, 8 MB by default, which the pending
    ASB rows of a large file overflow; PostgreSQL lets that be raised only before the session's
    first temporary table, so a session that has had one keeps its size (a little slower, not
    wrong)."""
    try:
        with transaction.atomic():
            cursor.execute("SET temp_buffers = '256MB'")
    except (psycopg.Error, DatabaseError):
        pass


def _load_inline(tables: list[str], *, run_id: int, rows_expected: int, fresh: bool) -> LoadResult:
    with transaction.atomic(), connection.cursor() as cursor:
        loader = ChunkLoader(cursor, run_id=run_id, rows_expected=rows_expected, fresh=fresh)
        loader.begin()
        for table in tables:
            loader.take(table)
        return loader.finish()


class _Loading:
    """Hands staged chunks to a ChunkLoader: with `pipelined`, on a second connection in a thread,
    started by the first chunk, each as it comes; otherwise on this connection once all are staged.
    A context manager: leaving it other than through `result` (an error, a COPY refused, a Celery
    time limit while waiting) stops the thread at its next step and rolls its load back."""

    def __init__(self, *, run_id: int, rows_expected: int, pipelined: bool) -> None:
        self.run_id, self.rows_expected = run_id, rows_expected
        # A second connection sees only committed chunks: inside a transaction (a test) or with
        # autocommit off, the chunks are loaded here instead.
        self.pipelined = pipelined and connection.get_autocommit() and not connection.in_atomic_block
        self._chunks: queue.SimpleQueue[str | None] = queue.SimpleQueue()
        self._abort = threading.Event()
        self._outcome: LoadResult | BaseException | None = None
        self._thread: threading.Thread | None = None

    def _load_in_thread(self) -> None:
        # Django gives this thread its own connection; closed at the end, whatever happens.
        try:
            with connection.cursor() as cursor:
                _roomy_temp_buffers(cursor)
            with transaction.atomic(), connection.cursor() as cursor:
                loader = ChunkLoader(cursor, run_id=self.run_id, rows_expected=self.rows_expected)
                loader.begin()
                while (table := self._chunks.get()) is not None:
                    if self._abort.is_set():
                        raise _Aborted
                    loader.take(table)
                result = loader.finish()
                # The last moment to roll back: asked after the slowest step (the indexes).
                if self._abort.is_set():
                    raise _Aborted
                self._outcome = result
        except BaseException as error:
            self._outcome = error
        finally:
            connection.close()

    def put(self, table: str) -> None:
        if not self.pipelined:
            return
        if self._thread is None:
            self._thread = threading.Thread(target=self._load_in_thread, name=f"crime-import-{self.run_id}")
            self._thread.start()
        self._chunks.put(table)

    def _stop(self) -> None:
        if self._thread is not None:
            self._chunks.put(None)
            self._thread.join()
            self._thread = None

    def result(self, staging: Staging) -> LoadResult:
        """Wait for the load; when a Crime ID given twice stopped the rebuilt key, load the chunks
        again on this connection, each Crime ID once."""
        if self._thread is not None:
            self._stop()
            outcome = self._outcome
            if isinstance(outcome, LoadResult):
                return outcome
            if not isinstance(outcome, IntegrityError):
                raise outcome or RuntimeError("the crime loader stopped without a result")
        else:
            try:
                return _load_inline(staging.tables, run_id=self.run_id, rows_expected=self.rows_expected, fresh=True)
            except IntegrityError:
                pass
        return _load_inline(staging.tables, run_id=self.run_id, rows_expected=self.rows_expected, fresh=False)

    def __enter__(self) -> _Loading:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self._thread is not None:
            self._abort.set()
            self._stop()


class _Aborted(Exception):
    pass


def load(
    *,
    run_id: int,
    rows_expected: int,
    stream: IO[bytes] | None,
    rows: Callable[[], Iterator[tuple[int, list[Any]]]],
    after_chunk: Callable[[int | None], None],
) -> tuple[LoadResult, int | None]:
    """Stage the file and load it. `stream` (seekable) is staged by COPY; without it, or when COPY
    cannot stage it line for line, `rows()` gives the rows (from the csv reader) to stage row by
    row. `after_chunk` is called after each chunk with the rows staged so far (None: row by row,
    the reader counts). Returns the load and the rows staged by COPY (None when row by row)."""
    with connection.cursor() as cursor:
        # The progress written between chunks need not wait for the disk: a crash loses the import
        # anyway (it is then run again).
        cursor.execute("SET synchronous_commit = off")
        _roomy_temp_buffers(cursor)  # for a load on this connection (inline, or the second try)
        drop_abandoned(cursor)
        staging = Staging(run_id)
        staging.hold(cursor)
        chunk_rows = max(MIN_CHUNK_ROWS, min(CHUNK_ROWS, rows_expected // 20))
        began = time.perf_counter()
        try:
            if stream is not None:
                try:
                    with _Loading(run_id=run_id, rows_expected=rows_expected, pipelined=True) as loading:

                        def copied(table: str, total: int) -> None:
                            loading.put(table)
                            after_chunk(total)

                        staged = stage_file(cursor, stream, staging, chunk_rows=chunk_rows, after_chunk=copied)
                        staged_at = time.perf_counter()
                        result = loading.result(staging)
                    return _timed(result, began, staged_at), staged
                except NeedsRowByRow:
                    staging.drop(cursor)
            # Not pipelined: the csv module is several times slower than COPY, and the loader's
            # transaction would stay open (and keep other imports waiting) all that time.
            with _Loading(run_id=run_id, rows_expected=rows_expected, pipelined=False) as loading:

                def sent(table: str) -> None:
                    loading.put(table)
                    after_chunk(None)

                stage_rows(cursor, rows(), staging, chunk_rows=chunk_rows, after_chunk=sent)
                staged_at = time.perf_counter()
                result = loading.result(staging)
            return _timed(result, began, staged_at), None
        finally:
            try:
                staging.drop(cursor)
            finally:
                # Whatever the drop did: a table left is dropped by a later import once the lock
                # is released, and a pooled connection must not keep committing asynchronously.
                staging.release(cursor)
                cursor.execute("RESET synchronous_commit")


def _timed(result: LoadResult, began: float, staged_at: float) -> LoadResult:
    """The staging's own time and the load's time after it, beside the load's steps (which, when
    pipelined, overlap the staging)."""
    result.timings = {
        "read_and_stage": staged_at - began,
        "load_after_staging": time.perf_counter() - staged_at,
        **result.timings,
    }
    return result

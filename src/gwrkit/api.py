"""The Python API; the CLI is a thin layer over these functions."""
from __future__ import annotations

import os
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

from .ingest.readers import DEFAULT_MAX_BYTES, TEXT_FORMATS, InputError

if TYPE_CHECKING:
    from .extract.lexicon import Lexicon
    from .ingest.pieces import StreamOptions

DEFAULT_DB = "gwrkit.db"


@dataclass
class FileOutcome:
    path: str
    status: str                 # ingested | replaced | unchanged | duplicate | failed
    reports: int = 0
    reason: str | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass
class IngestResult:
    outcomes: list[FileOutcome] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)   # (path, why) of what was not read

    @property
    def failed(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.status == "failed"]

    @property
    def ok(self) -> bool:
        return not self.failed

    def count(self, status: str) -> int:
        return sum(o.status == status for o in self.outcomes)


def input_files(paths: Iterable[str | os.PathLike], skipped: list | None = None) -> list[Path]:
    """Files named, and supported files found under directories (sorted, no hidden).
    What a directory holds but is not read goes to ``skipped`` as (path, why): files of
    an unsupported type (with the type), and folders that cannot be read. A file named
    twice (or found again under another folder or link) is read once."""
    out: list[Path] = []
    skipped = skipped if skipped is not None else []
    for p in map(Path, paths):
        if p.is_dir():
            def unreadable(exc: OSError) -> None:
                skipped.append((str(exc.filename or p), f"folder cannot be read ({exc.strerror or exc})"))
            for root, dirs, files in os.walk(p, onerror=unreadable):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for f in sorted(files):
                    if f.startswith("."):
                        continue
                    if Path(f).suffix.lower() in TEXT_FORMATS:
                        out.append(Path(root) / f)
                    else:
                        skipped.append((str(Path(root) / f), f"unsupported file type ({Path(f).suffix.lower() or 'no extension'})"))
        else:
            out.append(p)
    seen: set[str] = set()
    unique = []
    for path in out:
        key = os.path.realpath(path)
        if key not in seen:
            seen.add(key)
            unique.append(path)
    return unique


def _parse_to_record(path: str, text_column: str | None, max_bytes: int, lexicon=None):
    """Worker: parse one file into a storable record, or a one-line failure reason."""
    from .extract.lexicon import resolve_lexicon
    from .pipeline import parse_file
    from .store.db import to_record

    try:
        record = to_record(parse_file(path, text_column=text_column, max_bytes=max_bytes,
                                      lexicon=resolve_lexicon(lexicon)))
        return path, record, None
    except InputError as exc:
        return path, None, str(exc)
    except MemoryError:
        return path, None, "not enough memory to parse it (the batch goes on)"
    except Exception as exc:  # a bug must not stop the batch; say what happened
        return path, None, f"internal error while parsing ({type(exc).__name__}: {exc})"


BATCH_FILES = 4


def _warm_up() -> None:
    """Load what every parse needs once, before the workers fork, so that they share
    it instead of each loading it again."""
    from .extract.lexicon import default_lexicon
    from .pipeline import parse_text
    from .structure.regions import gazetteer

    gazetteer().automaton()
    default_lexicon()
    from .ingest.normalize import _t2s

    _t2s()
    parse_text("各位代表：现在，我代表市人民政府向大会报告工作。地区生产总值增长百分之五点二，达到二十亿元。")


def _fork_context():
    import multiprocessing

    try:
        return multiprocessing.get_context("fork")
    except ValueError:            # platforms without fork: each worker loads for itself
        return None


def _parse_batch(paths: list[str], text_column: str | None, max_bytes: int, lexicon=None):
    return [_parse_to_record(p, text_column, max_bytes, lexicon) for p in paths]


def _sha256(path: Path, max_bytes: int) -> str | None:
    from .ingest.readers import file_sha256, special_file

    try:
        st = path.stat()
        if st.st_size > max_bytes or special_file(st.st_mode):
            return None                 # the reader refuses it with the reason
        return file_sha256(path)        # a block at a time: never the whole file in memory
    except OSError:
        return None


def _read_in_pieces(path: str, options) -> bool:
    from .ingest.pieces import streamed

    try:
        return streamed(path, Path(path).stat().st_size, options)
    except OSError:
        return False                    # the reader says why


def ingest(paths: Iterable[str | os.PathLike], db: str | os.PathLike = DEFAULT_DB, *, jobs: int = 1,
           text_column: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES,
           lexicon: "Lexicon | str | os.PathLike | None" = None,
           on_file: Callable[[FileOutcome], None] | None = None, search_index: bool = False,
           stream: "StreamOptions | None" = None) -> IngestResult:
    """Ingest files and directories into the SQLite store at ``db``. Unchanged files
    are skipped; changed files replace their rows; failures are reported per file
    and never touch what is already stored. ``lexicon``: a user's indicators CSV
    merged into the package lexicon, or a Lexicon (default: the package lexicon).
    ``search_index``: build the search index at the end if the store has none (once
    built, every ingest keeps it in step). A large text, CSV or JSON file is read,
    parsed and stored a piece at a time, in this process, after the other files
    (``stream``: when and how; see ingest/pieces.py)."""
    if isinstance(lexicon, (str, os.PathLike)):      # a path goes to the workers, a Lexicon as it is
        lexicon = str(Path(lexicon).resolve())
    from .extract.lexicon import resolve_lexicon
    from .ingest.pieces import DEFAULT_STREAM
    from .pipeline import analysis_version
    from .store.db import Store

    stream = stream or DEFAULT_STREAM
    result = IngestResult()
    files = input_files(paths, result.skipped)
    with Store(db, version=analysis_version(resolve_lexicon(lexicon))) as store:
        todo, shas = [], {}
        for path in files:
            sha = _sha256(path, max_bytes)
            state = store.status(str(path), sha) if sha else "new"
            if state in ("unchanged", "duplicate"):
                _emit(result, on_file, FileOutcome(str(path), state))
            else:
                todo.append((str(path), state))
                shas[str(path)] = sha
        states = dict(todo)
        pieced = {p for p, _ in todo if _read_in_pieces(p, stream)}
        todo = [(p, state) for p, state in todo if p not in pieced]

        def finish(path: str, record, reason: str | None) -> None:
            if record is None:
                store.record_error(path, reason or "unknown error")
                _emit(result, on_file, FileOutcome(path, "failed", reason=reason))
                return
            if states[path] == "new" and store.stored_elsewhere(record.path, record.sha256):
                # the same content as a file stored earlier in this run: what a run that
                # had stored that one already (a resumed run) finds, so both store the same
                _emit(result, on_file, FileOutcome(path, "duplicate"))
                return
            try:
                store.replace_document(record)
            except (UnicodeEncodeError, ValueError) as exc:     # this file's text, not the store
                store.record_error(path, f"cannot store its text ({exc})")
                _emit(result, on_file, FileOutcome(path, "failed", reason=f"cannot store its text ({exc})"))
                return
            status = "replaced" if states[path] == "changed" else "ingested"
            _emit(result, on_file, FileOutcome(path, status, len(record.reports), warnings=record.warnings))

        def finish_pieces(path: str, pieces: int, outcome: FileOutcome) -> None:
            if outcome.status == "failed":
                store.record_error(path, outcome.reason or "unknown error")
            else:
                store.finish_file(path, pieces)
            _emit(result, on_file, outcome)

        pool = _start_pool(jobs) if jobs > 1 and len(todo) > 1 else None
        # parsing in this process: written in turn (see _InlineWriter); else by a writer
        # thread, started after the fork (workers inherit no thread of ours)
        writer = _Writer(finish) if pool is not None else _InlineWriter(finish)
        try:
            _parse_all([p for p, _ in todo], pool, jobs, text_column, max_bytes, lexicon, writer.put)
            if pool is not None:
                pool.shutdown()
                pool = None
            # large files last, in this process, once the workers are gone: a piece at a
            # time is parsed, handed to the writer, and dropped
            for path in sorted(pieced, key=list(states).index):
                if states[path] == "new" and shas[path] and writer.ask(store.stored_elsewhere, path, shas[path]):
                    # stored whole earlier in this run (as a resumed run would find it)
                    writer.call(_emit, result, on_file, FileOutcome(path, "duplicate"))
                    continue
                _parse_pieces(path, states[path], shas[path], text_column, max_bytes, resolve_lexicon(lexicon),
                              stream, writer, store, finish_pieces)
        except BaseException:
            writer.close(abort=True)     # (Ctrl-C) the document being written is finished whole
            raise
        else:
            writer.close()
        finally:
            if pool is not None:
                pool.shutdown(cancel_futures=True)
        if search_index:
            store.build_search_index()
    order = {str(p): i for i, p in enumerate(files)}
    result.outcomes.sort(key=lambda o: order.get(o.path, len(order)))
    return result


# pieces parsed and waiting for the writer (a piece of many short reports holds some
# 20 MB of rows): the writer's queue alone would let QUEUE_DEPTH of them wait
PIECES_IN_FLIGHT = 2


def _parse_pieces(path: str, state: str, sha: str | None, text_column: str | None, max_bytes: int, lexicon,
                  stream, writer: "_Writer", store, finish_pieces: Callable) -> None:
    """Read and parse a large file a piece at a time; the writer stores each piece (in
    a transaction of its own) and then the file's outcome."""
    from collections import Counter

    from .pipeline import NO_REPORT, parse_pieces
    from .store.db import to_record

    import threading

    stored = reports = 0
    said: Counter = Counter()           # each piece's warnings are stored with it; said once here
    slots = threading.Semaphore(PIECES_IN_FLIGHT)

    def store_piece(record) -> None:    # by the writer (in its thread, when it has one)
        try:
            store.replace_document(record)
        finally:
            slots.release()

    def warnings(failed: bool = False) -> list[str]:
        out = [w if n == 1 else f"{w} ({n} pieces)" for w, n in said.items() if w != NO_REPORT]
        return out + ([NO_REPORT] if not reports and not failed else [])   # of the file, not of a piece

    try:
        for doc in parse_pieces(path, text_column=text_column, max_bytes=max_bytes, lexicon=lexicon,
                                options=stream, sha256=sha):
            record = to_record(doc)
            del doc
            stored += 1
            reports += len(record.reports)
            said.update(record.warnings)
            while not slots.acquire(timeout=1.0):
                if writer.error is not None:
                    raise writer.error
            writer.call(store_piece, record)
            del record
    except Exception as exc:  # a bug must not stop the batch; say what happened
        if writer.error is not None:
            raise                       # the store failed, not the file: the caller says so
        if isinstance(exc, InputError):
            reason = str(exc)
        elif isinstance(exc, MemoryError):
            reason = "not enough memory to parse it (the batch goes on)"
        else:
            reason = f"internal error while parsing ({type(exc).__name__}: {exc})"
        if stored:
            reason += f" (after {stored} piece(s) were stored: the file is read again on the next run)"
        writer.call(finish_pieces, path, stored, FileOutcome(path, "failed", reason=reason, warnings=warnings(True)))
        return
    status = "replaced" if state == "changed" else "ingested"
    writer.call(finish_pieces, path, stored, FileOutcome(path, status, reports, warnings=warnings()))


def _start_pool(jobs: int) -> ProcessPoolExecutor:
    """Worker processes, forked warm (what every parse loads is loaded once, before), and
    forked now, before the writer thread starts."""
    _warm_up()
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=_fork_context(), initializer=_die_with_parent,
                               initargs=(os.getpid(),))
    pool.submit(int).result()            # with fork, the first task starts every worker
    return pool


def _die_with_parent(parent: int) -> None:
    """Worker start: a parent killed outright (kill -9, the OOM killer) cannot stop its
    pool, and its workers would wait for work forever; on Linux the kernel kills them
    with it (PR_SET_PDEATHSIG)."""
    import ctypes
    import signal

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)          # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):         # not Linux: no such call
        return
    if os.getppid() != parent:                # the parent died before the call
        os._exit(1)


def _parse_all(paths: list[str], pool: ProcessPoolExecutor | None, jobs: int, text_column, max_bytes: int,
               lexicon, finish) -> None:
    """Parse the files (in the pool's workers when there is one) and hand each result to
    ``finish`` as it comes."""
    if pool is None:
        for path in paths:
            finish(*_parse_to_record(path, text_column, max_bytes, lexicon))
        return
    # files go to the workers in small batches (fewer round trips), and only a bounded
    # window of batches is in flight: parsed records wait for the writer in memory, so
    # memory stays flat however many files there are
    size = max(1, min(BATCH_FILES, len(paths) // (4 * jobs)))
    pending: deque = deque()
    for i in range(0, len(paths), size):
        pending.append(pool.submit(_parse_batch, paths[i:i + size], text_column, max_bytes, lexicon))
        if len(pending) >= 3 * jobs:
            for done in pending.popleft().result():
                finish(*done)
    while pending:
        for done in pending.popleft().result():
            finish(*done)


class _Writer:
    """Stores parsed records in a thread of its own, in the order they come. SQLite does
    its work without holding the GIL, so writing overlaps parsing (on a second core when
    there is one). At most QUEUE_DEPTH records wait, so memory stays flat; an error in
    the writer stops the parsing at the next record and is raised in the caller."""

    QUEUE_DEPTH = 8

    def __init__(self, finish: Callable) -> None:
        import queue
        import threading

        self._finish = finish
        self._queue: "queue.Queue" = queue.Queue(self.QUEUE_DEPTH)
        self._error: BaseException | None = None
        self._stop = False
        self._thread = threading.Thread(target=self._run, name="gwrkit-writer", daemon=True)
        self._thread.start()

    def put(self, *item) -> None:
        self.call(self._finish, *item)

    def call(self, fn: Callable, *args) -> None:
        """Have the writer thread run fn(*args), after what was handed over before."""
        if self._error is not None:
            raise self._error
        self._queue.put((fn, args))

    def ask(self, fn: Callable, *args):
        """fn(*args) run by the writer thread after what was handed over before (what it
        reads is then up to date), and its answer."""
        import threading

        done, answer = threading.Event(), []

        def run() -> None:
            try:
                answer.append(fn(*args))
            finally:
                done.set()
        self.call(run)
        while not done.wait(0.1):
            if self._error is not None or not self._thread.is_alive():
                break
        if not answer:
            raise self._error or RuntimeError("the writer thread stopped")
        return answer[0]

    @property
    def error(self) -> BaseException | None:
        """What stopped the writer, if anything did."""
        return self._error

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            if self._error is None and not self._stop:
                try:
                    item[0](*item[1])
                except BaseException as exc:     # raised in the caller's thread
                    self._error = exc

    def close(self, abort: bool = False) -> None:
        """Wait for the records handed over to be stored; with ``abort`` (the caller is
        leaving on an error of its own) only for the one being written, the others are
        dropped (they are read again on the next run). The wait goes on through a Ctrl-C,
        which is raised after it: the connection is the writer's until it is done, so a
        document is never committed half written."""
        interrupted = None
        self._stop = self._stop or abort
        while True:
            try:
                if not interrupted:
                    self._queue.put(None)
                self._thread.join()
                break
            except KeyboardInterrupt as exc:
                interrupted, self._stop = exc, True
        if interrupted is not None:
            raise interrupted
        if self._error is not None and not abort:
            raise self._error


class _InlineWriter:
    """The writer's interface, writing at once in the caller's thread. A single job
    parses and writes in one thread: a writer thread beside a parsing thread costs more
    than it overlaps, since each of its SQLite calls waits for the parser to hand over
    the GIL (the lawtext corpus took 23.6 s with a writer thread, 20.0 s without)."""

    def __init__(self, finish: Callable) -> None:
        self._finish = finish
        self.error: BaseException | None = None   # what failed in a write (raised at once too)

    def put(self, *item) -> None:
        self.call(self._finish, *item)

    def call(self, fn: Callable, *args) -> None:
        self.ask(fn, *args)

    def ask(self, fn: Callable, *args):
        try:
            return fn(*args)
        except BaseException as exc:     # the store failed, not a file: callers tell the two apart
            self.error = exc
            raise

    def close(self, abort: bool = False) -> None:
        pass


def _emit(result: IngestResult, on_file, outcome: FileOutcome) -> None:
    result.outcomes.append(outcome)
    if on_file:
        on_file(outcome)


def extract(path: str | os.PathLike, *, text_column: str | None = None,
            max_bytes: int = DEFAULT_MAX_BYTES, lexicon: "Lexicon | str | os.PathLike | None" = None) -> dict:
    """Schema v1 record for one file, without a database (``lexicon`` as for ingest)."""
    from .extract.lexicon import resolve_lexicon
    from .pipeline import parse_file
    from .schema_v1 import document_record

    return document_record(parse_file(path, text_column=text_column, max_bytes=max_bytes,
                                      lexicon=resolve_lexicon(lexicon)))


def reports(db: str | os.PathLike = DEFAULT_DB, *, region: str | None = None, year: int | None = None,
            level: str | None = None) -> list[dict]:
    from .store.db import Reader

    with Reader(db) as store:
        return store.reports(region=region, year=year, level=level)


def reports_frame(db: str | os.PathLike = DEFAULT_DB, **filters):
    """The stored reports as a pandas DataFrame."""
    import pandas as pd

    return pd.DataFrame(reports(db, **filters))


def figures(db: str | os.PathLike = DEFAULT_DB, *, region: str | None = None, year: int | None = None,
            indicator: str | None = None, kind: str | None = None, headline: bool = False,
            level: str | None = None) -> list[dict]:
    """Stored figures with their provenance (report, section, paragraph, span, evidence)."""
    from .store.db import Reader

    with Reader(db) as store:
        return store.figures(region=region, year=year, indicator=indicator, kind=kind, headline=headline,
                             level=level)


def figures_frame(db: str | os.PathLike = DEFAULT_DB, **filters):
    """The stored figures as a pandas DataFrame."""
    import pandas as pd

    return pd.DataFrame(figures(db, **filters))


def coverage(db: str | os.PathLike = DEFAULT_DB):
    """What every stored report has and lacks, and why (see gwrkit.analysis.coverage)."""
    from .analysis.coverage import coverage as run

    return run(db)


def coverage_frame(db: str | os.PathLike = DEFAULT_DB):
    """Per-report coverage as a pandas DataFrame."""
    from .analysis.coverage import coverage_frame as run

    return run(db)


def show(report_id: int, db: str | os.PathLike = DEFAULT_DB) -> dict | None:
    from .store.db import Reader

    with Reader(db) as store:
        return store.report(report_id)


def index(db: str | os.PathLike = DEFAULT_DB, rebuild: bool = False) -> dict:
    """Build the full-text search index of a store (again with ``rebuild``); ingest keeps
    it up to date from then on. Returns whether it was built, the paragraphs indexed and
    the seconds it took."""
    import time

    from .store.db import Reader, Store

    Reader(db).close()          # a missing file, a folder or another program's database is refused
    start = time.perf_counter()
    with Store(db) as store:
        built = store.build_search_index(rebuild)
        n = store.conn.execute("SELECT count(*) FROM paragraphs").fetchone()[0]
    return {"built": built, "paragraphs": n, "seconds": round(time.perf_counter() - start, 2)}


def search(query: str, db: str | os.PathLike = DEFAULT_DB, **filters) -> list[dict]:
    """Paragraphs containing ``query`` (see gwrkit.analysis.search for the language and
    the filters region, province, level, year_from, year_to, section, limit, offset)."""
    from .analysis.search import search as run

    return run(db, query, **filters)


def search_frame(query: str, db: str | os.PathLike = DEFAULT_DB, **filters):
    """:func:`search` as a pandas DataFrame."""
    import pandas as pd

    return pd.DataFrame(search(query, db, **filters))


def scorecard(db: str | os.PathLike = DEFAULT_DB, **filters):
    """Targets against outcomes, one row per government, year, indicator and metric, with
    the verdict and gap (a DataFrame; see gwrkit.analysis.panel for the rules and the
    filters indicator, metric, level, region, province, year_from, year_to, rules)."""
    from .analysis.panel import scorecard as run

    return run(db, **filters)


def panel(db: str | os.PathLike = DEFAULT_DB, **filters):
    """The wide panel: one row per government-year (a DataFrame; filters as scorecard)."""
    from .analysis.panel import panel as run

    return run(db, **filters)


def attention(db: str | os.PathLike = DEFAULT_DB, **options):
    """Topic counts per report (a DataFrame; see gwrkit.analysis.attention: topics,
    topic, by_section, region, level, province, year_from, year_to)."""
    from .analysis.attention import attention as run

    return run(db, **options)


def compare(a: int, b: int, db: str | os.PathLike = DEFAULT_DB, **options):
    """Two reports side by side (a Comparison of DataFrames: metadata, targets,
    attention, sections, paragraphs; see gwrkit.analysis.compare)."""
    from .analysis.compare import compare as run

    return run(db, a, b, **options)


def reuse(db: str | os.PathLike = DEFAULT_DB, options=None, **filters):
    """Text reuse between reports (a ReuseResult with pairs_frame(), paragraphs_frame(),
    reports_frame(), common_frame(); see gwrkit.analysis.reuse for ReuseOptions)."""
    from .analysis.reuse import reuse as run

    return run(db, options, **filters)

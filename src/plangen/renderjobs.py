"""Render and write documents, on one core or several, results in task order.

The main process decides what to render (fingerprints, manifest) and assembles
each context; a ``RenderTask`` carries only that context and where to write.
Each worker prepares the templates once (its own ``Renderer``), renders, and
writes the file atomically itself, so only a task and a digest cross between
processes, never a document.
"""

from __future__ import annotations

import os
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from jinja2 import TemplateError

from .config import Branding
from .render import Renderer
from .write import (
    DurableBatches,
    OutputModes,
    PendingBatch,
    make_private_dir,
    output_modes,
    set_output_modes,
    write_atomic_many,
)

if TYPE_CHECKING:  # loaded only when a run starts processes
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing.context import BaseContext

# Tasks handed to a worker at a time: enough to keep pipes quiet, few enough to balance the cores.
# Also the batch whose files are made durable together (``write.write_atomic_many``).
CHUNK = 16
# Chunks in flight per worker: enough to keep it busy, few enough to bound memory.
WINDOW = 3
# Batches rendered in one process and still on their way to disk while the next render: enough
# that a slow flush of the disk (a few hundred milliseconds) does not stop the rendering. Each
# holds its files' names and outcomes only: their bytes are in temporary files already.
WRITES_IN_FLIGHT = 32


@dataclass(frozen=True)
class RenderTask:
    row: int  # index of the row result this document belongs to
    name: str  # template
    language: str
    context: dict[str, Any]
    folder: Path  # where the document goes: a few folders hold thousands of documents
    # Its name there, a string: Python 3.11 interns every part of every Path made (and unpickled,
    # in a worker), and its table of interned strings grew by 1 MB a process with the documents.
    file_name: str
    # Adds pictures made for this document (a packet's charts); picklable, it may run in a worker.
    images: Callable[[Any], dict[str, Any]] | None = None

    @property
    def target(self) -> Path:
        return self.folder / self.file_name


@dataclass(frozen=True)
class RenderOutcome:
    sha256: str = ""  # of the bytes written; empty when it failed
    error: str = ""


def _rendered(task: RenderTask) -> RenderTask:
    """``task`` as it is reported once rendered: where its document goes, without its context."""
    return RenderTask(task.row, task.name, task.language, {}, task.folder, task.file_name)


def default_jobs() -> int:
    """One worker per core the process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def _render_only(
    renderer: Renderer, tasks: list[RenderTask], folders: set[Path]
) -> tuple[list[RenderOutcome], list[tuple[str, bytes]]]:
    """Each task's outcome, and the files to write for those that rendered.

    ``folders``: those this run has made already (a few folders hold thousands of documents).
    """
    outcomes: list[RenderOutcome] = []
    files: list[tuple[str, bytes]] = []
    for task in tasks:
        try:
            data, digest = renderer.render_document(task.name, task.context, task.language, images=task.images)
        except TemplateError as exc:
            outcomes.append(RenderOutcome(error=f"template {task.name}: {exc.message or type(exc).__name__}"))
            continue
        if task.folder not in folders:
            make_private_dir(task.folder)
            folders.add(task.folder)
        files.append((os.path.join(task.folder, task.file_name), data))
        outcomes.append(RenderOutcome(sha256=digest))
    return outcomes, files


def _render_batch(renderer: Renderer, tasks: list[RenderTask], folders: set[Path]) -> list[RenderOutcome]:
    """Render each task, then write the batch's files atomically, made durable together."""
    outcomes, files = _render_only(renderer, tasks, folders)
    write_atomic_many(files)
    return outcomes


_WORKER: Renderer | None = None
_WORKER_FOLDERS: set[Path] = set()  # made by this worker, during this pool's life


def _start_worker(branding: Branding, templates_dir: Path | None, modes: OutputModes) -> None:
    global _WORKER
    _end_with_the_build()
    _return_big_blocks()
    set_output_modes(modes)  # plangen.toml's [output] modes: a worker does not inherit them
    _WORKER = Renderer(branding, templates_dir)
    _WORKER_FOLDERS.clear()


def _return_big_blocks() -> bool:
    """Blocks of a mebibyte or more (a packet's XML) go back to the system once freed (glibc only).

    glibc raises its threshold for such blocks each time one is freed, after which they come from
    its heap and stay: a worker's peak grew with the packets it had rendered (57, 60 and 61 MB at
    2,000, 10,000 and 50,000 visits; 56, 57 and 59 MB with the threshold fixed). The main process
    keeps glibc's default: there the fixed threshold made a one-core build 6 % slower (more memory
    mapped and zeroed).
    Whether the threshold was set.
    """
    import ctypes

    if not sys.platform.startswith("linux"):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):  # a C library without it
        return False
    return bool(mallopt(_M_MMAP_THRESHOLD, BIG_BLOCK_BYTES))  # 1 once set (musl's does nothing: 0)


_M_MMAP_THRESHOLD = -3  # glibc's malloc.h
BIG_BLOCK_BYTES = 1 << 20


def _end_with_the_build() -> None:
    """End this worker when the build that started it ends, even killed (SIGKILL, out of memory).

    Otherwise it waits for work forever: the pool's queue has no end it could see closed (each
    worker holds both), and its server waits for it. A killed run left four processes behind.
    """
    import multiprocessing
    import threading
    from multiprocessing.connection import wait

    build = multiprocessing.parent_process()  # its sentinel is ready once the build is gone
    if build is None:
        return

    def watch() -> None:
        wait([build.sentinel])
        os._exit(1)  # as if killed with it: each file is whole or a temporary one the next run clears

    threading.Thread(target=watch, name="plangen-watch-build", daemon=True).start()


def _work(tasks: list[RenderTask]) -> list[RenderOutcome]:
    assert _WORKER is not None
    return _render_batch(_WORKER, tasks, _WORKER_FOLDERS)


Done = list[tuple[RenderTask, RenderOutcome]]


def _context() -> BaseContext:
    """Workers forked from a small server process, where there is one (not Windows); else spawned.

    Not forked from this process: a worker forked here would begin as large as this process is
    by then (the workbook's rows are read), and 50,000 rows made each worker 80 MB larger.
    The server starts once per process, with plangen's rendering modules already imported.
    """
    import multiprocessing

    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["__main__", __name__])
    return context


class Runner:
    """Tasks fed one at a time, rendered in batches here or by ``jobs`` processes; outcomes in feed order.

    At most ``jobs × WINDOW`` chunks are in flight, so a run of any size holds a bounded number of
    tasks (and contexts). Processes start only once two chunks are waiting: a handful of documents
    is rendered here, with the templates already prepared.
    """

    def __init__(self, renderer: Renderer, jobs: int, before_writing: Callable[[], None] | None = None) -> None:
        self.renderer = renderer
        self.jobs = jobs
        # Called before a chunk is rendered here or handed to a worker, either of which may put its
        # documents in place: the manifest's journal goes to the system first (``flush_journal``).
        self.before_writing = before_writing or (lambda: None)
        self._chunk: list[RenderTask] = []
        self._held: list[list[RenderTask]] = []  # full chunks, until the pool is worth starting
        self._pool: ProcessPoolExecutor | None = None
        self._window: deque[tuple[list[RenderTask], Future[list[RenderOutcome]]]] = deque()
        self._batches: DurableBatches | None = None  # one process: files made durable behind the rendering
        self._writing: deque[tuple[list[RenderTask], list[RenderOutcome], PendingBatch]] = deque()
        self._folders: set[Path] = set()  # made by this process for this run

    def __enter__(self) -> Runner:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close(cancel=kind is not None)

    def feed(self, task: RenderTask) -> Done:
        """Take ``task``; return the tasks done so far (in order), with their outcomes."""
        self._chunk.append(task)
        # A packet (it draws charts: ``images``) holds a whole caseload: it goes in a chunk of its own,
        # so a few packets are in memory at a time, not all of them (40 × 3 MB at 50,000 visits).
        if len(self._chunk) < CHUNK and task.images is None:
            if self._window:
                return self._ready()
            return self._written() if self._writing and self._writing[0][2].durable.done() else []
        chunk, self._chunk = self._chunk, []
        if self.jobs <= 1:
            return self._write_behind(chunk)
        if self._pool is None:
            self._held.append(chunk)
            if len(self._held) < 2:
                return []
            self._pool = self._start_pool()
            held, self._held = self._held, []
            return [item for c in held for item in self._submit(c)]
        return self._submit(chunk)

    def finish(self) -> Done:
        """Every task fed so far, done, with its outcome."""
        rest = [*(t for c in self._held for t in c), *self._chunk]
        self._held, self._chunk = [], []
        done: Done = []
        if self._pool is None:
            for start in range(0, len(rest), CHUNK):
                done.extend(self._write_behind(rest[start : start + CHUNK]))
            while self._writing:
                done.extend(self._written())
            return done
        for start in range(0, len(rest), CHUNK):
            done.extend(self._submit(rest[start : start + CHUNK]))
        while self._window:
            chunk, future = self._window.popleft()
            done.extend(zip(chunk, future.result(), strict=True))
        return done

    def close(self, cancel: bool = False) -> None:
        """Stop the processes and the writing thread, once the documents they are writing are written."""
        if self._batches is not None:
            for _chunk, _outcomes, batch in self._writing:  # only when stopped before finish
                self._batches.abandon(batch)
            self._writing.clear()
            self._batches.close()
            self._batches = None
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=cancel)
            self._pool = None
            self._window.clear()

    def _start_pool(self) -> ProcessPoolExecutor:
        from concurrent.futures import ProcessPoolExecutor

        return ProcessPoolExecutor(
            max_workers=self.jobs,
            mp_context=_context(),
            initializer=_start_worker,
            initargs=(self.renderer.branding, self.renderer.templates_dir, output_modes()),
        )

    def _write_behind(self, chunk: list[RenderTask]) -> Done:
        """Render ``chunk`` here and write its files; the batches already in place.

        Making files durable waits on the disk, rendering on the processor: a batch's files are
        written at once and made durable in the background while the next batch renders, so a
        run on one core pays mostly for rendering. A task counts as done only once its file is
        in place.
        """
        self.before_writing()
        outcomes, files = _render_only(self.renderer, chunk, self._folders)
        if self._batches is None:
            self._batches = DurableBatches()
        batch = self._batches.start(files)
        # Rendered: what waits for the disk keeps no context (a packet's is a caseload).
        self._writing.append(([_rendered(task) for task in chunk], outcomes, batch))
        done: Done = []
        while self._writing and (len(self._writing) > WRITES_IN_FLIGHT or self._writing[0][2].durable.done()):
            done.extend(self._written())
        return done

    def _written(self) -> Done:
        """The oldest batch, once durable and in place (its error, if any, raised here)."""
        chunk, outcomes, batch = self._writing.popleft()
        assert self._batches is not None
        self._batches.finish(batch)
        return list(zip(chunk, outcomes, strict=True))

    def _submit(self, chunk: list[RenderTask]) -> Done:
        assert self._pool is not None
        self.before_writing()
        self._window.append((chunk, self._pool.submit(_work, chunk)))
        done: Done = []
        # Full, or more packets in flight than workers (each holds a caseload, 3 MB at 156
        # children): wait for the oldest.
        while len(self._window) > self.jobs * WINDOW or self._packets_in_flight() > self.jobs:
            oldest, future = self._window.popleft()
            done.extend(zip(oldest, future.result(), strict=True))
        return done + self._ready()

    def _packets_in_flight(self) -> int:
        return sum(1 for chunk, _future in self._window if chunk[-1].images is not None)

    def _ready(self) -> Done:
        """The oldest chunks already done, without waiting."""
        done: Done = []
        while self._window and self._window[0][1].done():
            chunk, future = self._window.popleft()
            done.extend(zip(chunk, future.result(), strict=True))
        return done


def run_tasks(
    tasks: Iterable[RenderTask], renderer: Renderer, jobs: int, runner: Runner | None = None
) -> Iterator[tuple[RenderTask, RenderOutcome]]:
    """Each task with its outcome, in the order given, rendered by ``jobs`` processes.

    ``tasks`` is consumed as the work goes: it may be a generator planning them one by one.
    ``runner``: one the caller keeps (and closes) for more work, its processes already started.
    """
    if runner is not None:
        for task in tasks:
            yield from runner.feed(task)
        yield from runner.finish()
        return
    with Runner(renderer, jobs) as own:
        yield from run_tasks(tasks, renderer, jobs, own)

"""Render and write documents, on one core or several, results in task order.

The main process decides what to render (fingerprints, manifest) and assembles
each context; a ``RenderTask`` carries only that context and where to write.
Each worker prepares the templates once (its own ``Renderer``), renders, and
writes the file atomically itself, so only a task and a digest cross between
processes, never a document.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import TemplateError

from .config import Branding
from .render import Renderer
from .write import make_private_dir, write_atomic

# Tasks handed to a worker at a time: enough to keep pipes quiet, few enough to balance the cores.
CHUNK = 16


@dataclass(frozen=True)
class RenderTask:
    row: int  # index of the row result this document belongs to
    name: str  # template
    language: str
    context: dict[str, Any]
    target: Path
    # Adds pictures made for this document (a packet's charts); picklable, it may run in a worker.
    images: Callable[[Any], dict[str, Any]] | None = None


@dataclass(frozen=True)
class RenderOutcome:
    sha256: str = ""  # of the bytes written; empty when it failed
    error: str = ""


def default_jobs() -> int:
    """One worker per core the process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def _render_one(renderer: Renderer, task: RenderTask) -> RenderOutcome:
    try:
        data = renderer.render(task.name, task.context, task.language, images=task.images)
    except TemplateError as exc:
        return RenderOutcome(error=f"template {task.name}: {exc.message or type(exc).__name__}")
    make_private_dir(task.target.parent)
    write_atomic(task.target, data)
    return RenderOutcome(sha256=hashlib.sha256(data).hexdigest())


_WORKER: Renderer | None = None


def _start_worker(branding: Branding, templates_dir: Path | None) -> None:
    global _WORKER
    _WORKER = Renderer(branding, templates_dir)


def _work(task: RenderTask) -> RenderOutcome:
    assert _WORKER is not None
    return _render_one(_WORKER, task)


def run_tasks(tasks: list[RenderTask], renderer: Renderer, jobs: int) -> Iterator[tuple[RenderTask, RenderOutcome]]:
    """Each task with its outcome, in the order given, rendered by ``jobs`` processes."""
    if jobs <= 1 or len(tasks) < 2 * CHUNK:
        # Not worth starting processes: render here, with the templates already prepared.
        for task in tasks:
            yield task, _render_one(renderer, task)
        return
    # fork shares the parent's imports; where it doesn't exist, spawn re-imports plangen.
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    with ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=multiprocessing.get_context(method),
        initializer=_start_worker,
        initargs=(renderer.branding, renderer.templates_dir),
    ) as pool:
        yield from zip(tasks, pool.map(_work, tasks, chunksize=CHUNK), strict=True)

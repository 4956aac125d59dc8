"""Writing the period's documents (diaries, plan copies, coordinator packets) like the plans.

Each goes through the output folder's manifest when there is one (``manifest.Manifest``):
a document made from the same data is not rendered again, one edited by hand is kept,
and the run says so. Failures are values: the file name and the template error, no names.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .config import Branding
from .disclosure import Disclosure, log_disclosures
from .manifest import Decision, Manifest, fingerprint
from .read import Record
from .render import Renderer
from .renderjobs import Done, RenderTask, Runner
from .rowstore import SpooledList


def cells(records: list[Record | None]) -> list[str]:
    """The rows a document is made from, each once: 'Children!3', 'Visits!12'."""
    # Not interned: the manifest's entries wait in SQLite (manifest.Entries), and the interned
    # strings' table would keep the room of every row's name for the rest of the run.
    return list(dict.fromkeys(f"{r.sheet}!{r.row}" for r in records if r is not None))


@dataclass
class PeriodDocuments:
    """What a run did with its period documents."""

    out_dir: Path
    renderer: Renderer
    branding: Branding
    manifest: Manifest | None = None
    force: bool = False
    # Relative to out_dir, in a temporary file: 50,000 visits' diaries held as Paths took 2 MB, as
    # text 0.5 MB (``files``).
    _written: SpooledList[str] = field(default_factory=SpooledList)  # by this run
    _unchanged: SpooledList[str] = field(default_factory=SpooledList)
    kept: list[tuple[Path, str]] = field(default_factory=list)  # (document, why it was kept)
    failed: list[str] = field(default_factory=list)
    withheld: int = 0  # plan copies asked for without a valid consent
    # Copies for someone beyond the IFSP team: logged in <out>/disclosures.csv once written.
    disclosures: list[Disclosure] = field(default_factory=list)
    # Processes rendering the documents as they are written (at most a few batches in flight).
    jobs: int = 1
    # The build's own runner, its worker processes started for the plans: used, not closed, here.
    shared_runner: Runner | None = None
    # (relative, fingerprint, rows) of each document handed to the runner, in order: outcomes come
    # back in it.
    _planned: deque[tuple[str, str, list[str]]] = field(default_factory=deque)
    _runner: Runner | None = None

    @property
    def files(self) -> list[Path]:
        """The documents this run wrote."""
        return [self.out_dir / relative for relative in self._written]

    @property
    def unchanged(self) -> list[Path]:
        """The documents left as they were: the same as the last run would write."""
        return [self.out_dir / relative for relative in self._unchanged]

    def count_by_folder(self) -> Counter[str]:
        """How many documents this run stands behind in each folder ("diary", "coordinator", …)."""
        return Counter(relative.rpartition("/")[0] for relative in (*self._written, *self._unchanged))

    @property
    def present(self) -> list[Path]:
        """The documents this run stands behind: written now, or unchanged since the last run."""
        return [*self.files, *self.unchanged]

    def write(
        self,
        relative: str,
        template: str,
        language: str,
        context: dict[str, Any],
        rows: list[str],
        made_of: Any = None,
        images: Callable[[Any], dict[str, Any]] | None = None,
    ) -> None:
        """Render ``out_dir/relative`` unless it is unchanged or kept; ``flush`` waits for the last ones.

        ``made_of`` is what the document shows beyond ``context`` (a chart's data), for the fingerprint;
        ``images`` adds the pictures when it renders (picklable: it may run in another process).
        """
        digest = ""
        if self.manifest is not None:
            digest = fingerprint({**context, "made_of": made_of}, self.renderer.recipe(template, language))
            decision, why = self.manifest.decide(relative, digest, force=self.force)
            if decision is Decision.UNCHANGED:
                self._unchanged.append(relative)
                return
            if decision is Decision.KEPT:
                self.kept.append((self.out_dir / relative, why))
                return
        if self._runner is None:
            flush = self.manifest.flush_journal if self.manifest is not None else None
            self._runner = self.shared_runner or Runner(self.renderer, self.jobs, before_writing=flush)
        self._planned.append((relative, digest, rows))
        folder, _slash, file_name = relative.rpartition("/")
        task = RenderTask(0, template, language, context, self.out_dir / folder, file_name, images)
        self._record(self._runner.feed(task))

    def flush(self) -> None:
        """Render and write what is still in flight; record each."""
        runner, self._runner = self._runner, None
        if runner is not None and runner is self.shared_runner:
            self._record(runner.finish())
        elif runner is not None:
            with runner:
                self._record(runner.finish())
        if self.disclosures:  # else nothing to log, and no list of every document to make
            log_disclosures(self.out_dir.parent, self.disclosures, self.present)
        self.disclosures = []

    def abort(self) -> None:
        """Stop rendering (an error elsewhere): wait for the documents being written, drop the rest."""
        if self._runner is not None and self._runner is not self.shared_runner:
            self._runner.close(cancel=True)  # a shared one is closed by its owner
        self._runner = None
        self._planned = deque()

    def _record(self, done: Done) -> None:
        for _task, outcome in done:
            relative, digest, rows = self._planned.popleft()
            if outcome.error:
                self.failed.append(f"{relative}: {outcome.error}")
                continue
            if self.manifest is not None:
                self.manifest.record_written(relative, rows, digest, outcome.sha256)
            self._written.append(relative)

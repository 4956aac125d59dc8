"""Writing the period's documents (diaries, plan copies, coordinator packets) like the plans.

Each goes through the output folder's manifest when there is one (``manifest.Manifest``):
a document made from the same data is not rendered again, one edited by hand is kept,
and the run says so. Failures are values: the file name and the template error, no names.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import TemplateError

from .config import Branding
from .manifest import Decision, Manifest, fingerprint
from .read import Record
from .render import Renderer
from .write import make_private_dir, write_atomic


def cells(records: list[Record | None]) -> list[str]:
    """The rows a document is made from, each once: 'Children!3', 'Visits!12'."""
    return list(dict.fromkeys(f"{r.sheet}!{r.row}" for r in records if r is not None))


@dataclass
class PeriodDocuments:
    """What a run did with its period documents."""

    out_dir: Path
    renderer: Renderer
    branding: Branding
    manifest: Manifest | None = None
    force: bool = False
    files: list[Path] = field(default_factory=list)  # written by this run
    unchanged: list[Path] = field(default_factory=list)
    kept: list[tuple[Path, str]] = field(default_factory=list)  # (document, why it was kept)
    failed: list[str] = field(default_factory=list)
    withheld: int = 0  # plan copies asked for without a valid consent

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
        render: Callable[[], bytes],
        rows: list[str],
        made_of: Any = None,
    ) -> None:
        """Render (unless unchanged or kept) and write ``out_dir/relative``.

        ``made_of`` is what the document shows beyond ``context`` (a chart's data), for the fingerprint.
        """
        target = self.out_dir / relative
        try:
            if self.manifest is None:
                data = render()
                make_private_dir(target.parent)
                write_atomic(target, data)
                self.files.append(target)
                return
            digest = fingerprint(
                {**context, "made_of": made_of},
                self.renderer.templates[template].data,
                self.branding,
                language,
                template,
            )
            decision, why = self.manifest.produce(relative, digest, render, rows=rows, force=self.force)
        except TemplateError as exc:
            self.failed.append(f"{relative}: template {template}: {exc.message or type(exc).__name__}")
            return
        if decision is Decision.RENDER:
            self.files.append(target)
        elif decision is Decision.UNCHANGED:
            self.unchanged.append(target)
        else:
            self.kept.append((target, why))

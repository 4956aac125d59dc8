"""Benchmark: plangen's build against the usual docxtpl loop and the file-copy floor.

    python benchmarks/run.py                 # 2,000 visits
    python benchmarks/run.py --visits 10000 --visits 50000 --jobs 2

For each size it writes an N-visit workbook, then times, in the same run and
each in its own process (so each peak memory is its own):

  (a) docxtpl  the usual loop: DocxTemplate(path), render, save, per document
  (b) plangen  plangen's build, one core (--jobs 1) and --jobs N
  (c) copy     the floor: copying the template file once per document

and prints documents per second, the ratios of (b) to (a) and to (c), and peak
memory (main process, and the largest worker where there are workers).
Figures are ratios from one run on one machine: compare them, not the seconds.
(b) and (c) take seconds, so a passing hiccup on a shared machine moves them by
10-20 %: each is run ``--repeat`` times (default 3) and its median time is reported
(with its largest peak memory); (a) takes minutes and is run once.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

AS_OF = dt.date(2026, 11, 20)


def _peak_mb(descendants: dict[int, float]) -> tuple[float, float]:
    """Peak resident memory of this process and of its largest worker, in MB (Linux: KB units)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, max([children, *descendants.values()])


def _watch_descendants(peaks: dict[int, float]) -> None:
    """Note each descendant's peak memory (VmHWM) every 0.1 s, in ``peaks`` by pid (Linux only).

    plangen's workers are forked by a server process, not by this one: they are this process's
    grandchildren, which ``RUSAGE_CHILDREN`` does not count (it counts children waited for).
    """
    import threading

    def descendants() -> set[int]:
        parents: dict[int, int] = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    # The parent pid is the 2nd field after the command name, which may hold spaces.
                    parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                except (OSError, IndexError, ValueError):
                    continue
        found, frontier = set(), {os.getpid()}
        while frontier:
            frontier = {pid for pid, parent in parents.items() if parent in frontier} - found
            found |= frontier
        return found

    def watch() -> None:
        while True:
            for pid in descendants():
                try:
                    status = Path(f"/proc/{pid}/status").read_text()
                except OSError:
                    continue
                for line in status.splitlines():
                    if line.startswith("VmHWM:"):
                        peaks[pid] = max(peaks.get(pid, 0.0), int(line.split()[1]) / 1024)
            time.sleep(0.1)

    if Path("/proc/self/status").is_file():
        threading.Thread(target=watch, daemon=True).start()


def variant_docxtpl(workbook: Path, out: Path) -> int:
    """The usual way: for each document, load the template, render, save.

    The same documents as plangen's build, from the same contexts (plangen's own functions):
    each done visit's family plan and IFSP review, each child's progress diary, and each
    coordinator's packet with its charts (drawn by plangen's chart code, so the charts cost
    the same on both sides and only the rendering differs).
    """
    from functools import partial

    from docxtpl import DocxTemplate, InlineImage

    from plangen.assemble import family_language, family_plan_context, ifsp_review_context
    from plangen.build import default_period, load
    from plangen.config import Config
    from plangen.diary import diary_context, diary_visits
    from plangen.flags import compute_flags
    from plangen.packet import chart_data, chart_images, group_packets, packet_context
    from plangen.render import LOGO_HEIGHT, Renderer

    config = Config()
    dataset = load(workbook, config, AS_OF)
    period = default_period(dataset.visits)
    renderer = Renderer(config.branding)  # the branded templates and the sandboxed, translating Jinja
    logo = renderer._logo
    documents = 0

    def render(name: str, language: str, context: dict[str, Any], target: Path, images: Any = None) -> None:
        nonlocal documents
        template = DocxTemplate(io.BytesIO(renderer.templates[name].data))
        context = {**context, "logo": InlineImage(template, io.BytesIO(logo), height=LOGO_HEIGHT)}
        if images is not None:
            context.update(images(template))
        template.render(context, jinja_env=renderer.environment(language), autoescape=True)
        template.save(target)
        documents += 1

    for visit in dataset.visits:
        child = dataset.child_of(visit)
        if child is None or visit.get("visit_status") != "done":
            continue
        render("family-plan", family_language(child).code, family_plan_context(dataset, child, visit, config.branding),
               out / f"{child.child_id}_{visit.row}_family-plan.docx")
        render("ifsp-review", "en", ifsp_review_context(dataset, child, visit, config.branding),
               out / f"{child.child_id}_{visit.row}_ifsp-review.docx")
    for child in dataset.children.values():
        if diary_visits(dataset, child, period.end):
            render("diary", family_language(child).code, diary_context(dataset, child, period.end, config.branding),
                   out / f"{child.child_id}_diary.docx")
    flags = compute_flags(dataset, period, AS_OF, "en")
    for number, packet in enumerate(group_packets(dataset, period, flags)):
        context = packet_context(dataset, packet, period, config.branding)
        images = partial(chart_images, chart_data(packet, "en"), period, context["children"])
        render("coordinator-packet", "en", context, out / f"packet-{number}.docx", images)
    return documents


def variant_plangen(workbook: Path, out: Path, jobs: int) -> int:
    from plangen.build import BuildOptions, build
    from plangen.config import Config

    options = BuildOptions(out=out, as_of=AS_OF, jobs=jobs)
    result = build(workbook, Config(), options)
    # Every document it wrote: plans and reviews, diaries, packets (the report is a workbook).
    period = result.period_documents
    return result.written + (len(period.files) if period is not None else 0)


def variant_copy(out: Path, documents: int) -> int:
    from plangen.render import default_templates_dir

    source = default_templates_dir() / "family-plan.docx"
    for i in range(documents):
        shutil.copyfile(source, out / f"{i}.docx")
    return documents


def run_variant(args: argparse.Namespace) -> None:
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    descendants: dict[int, float] = {}
    if args.variant == "plangen" and args.jobs > 1:
        # Only where there are workers to watch: the watching thread reads every process's /proc
        # files ten times a second, taking Python's lock from the work it measures.
        _watch_descendants(descendants)
    start = time.perf_counter()
    if args.variant == "docxtpl":
        documents = variant_docxtpl(Path(args.workbook), out)
    elif args.variant == "plangen":
        documents = variant_plangen(Path(args.workbook), out, args.jobs)
    else:
        documents = variant_copy(out, args.documents)
    seconds = time.perf_counter() - start
    own, children = _peak_mb(descendants)
    print(json.dumps({"documents": documents, "seconds": seconds, "peak_mb": own, "worker_peak_mb": children}))


def measure(
    variant: str, workbook: Path, scratch: Path, jobs: int = 1, documents: int = 0, repeat: int = 1
) -> dict[str, float]:
    """The variant run ``repeat`` times, each in a new process and folder: the median time, the largest peaks."""
    runs = []
    for attempt in range(repeat):
        out = scratch / f"{variant}-{jobs}-{attempt}"
        if hasattr(os, "sync"):
            os.sync()  # the runs before's files on disk: not written back during this one's time
        command = [sys.executable, __file__, "--variant", variant, "--workbook", str(workbook), "--out", str(out),
                   "--jobs", str(jobs), "--documents", str(documents)]
        env = {**os.environ, "PYTHONHASHSEED": "0"}
        done = subprocess.run(command, capture_output=True, text=True, env=env)
        if done.returncode != 0:  # its own error, not a CalledProcessError that hides it
            sys.exit(f"The {variant} run (--jobs {jobs}) failed, exit code {done.returncode}:\n{done.stderr[-3000:]}")
        # The output stays until every variant has run: on this machine's ext4 (no journal), files
        # created within a minute of thousands being deleted cost several times as much (new inodes
        # skip the ones just freed), which charged each variant for the clean-up of the one before.
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    median = statistics.median_low(r["seconds"] for r in runs)
    chosen = next(r for r in runs if r["seconds"] == median)
    return {**chosen, "peak_mb": max(r["peak_mb"] for r in runs),
            "worker_peak_mb": max(r["worker_peak_mb"] for r in runs)}


def file_creation_us(folder: Path, files: int = 500) -> float:
    """Microseconds to create one empty file in ``folder``: the state of its disk, printed with the figures.

    On this machine's ext4, a folder whose files were deleted by the ten thousand took 300-800 µs a
    new file for an hour after, where another took 20: 4,255 documents then cost each variant
    1-3 s more, which moved plangen's ratio to the docxtpl loop by a third.
    """
    probe = Path(tempfile.mkdtemp(prefix="probe-", dir=folder))
    start = time.perf_counter()
    for number in range(files):
        os.close(os.open(probe / str(number), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    seconds = time.perf_counter() - start
    shutil.rmtree(probe)
    return seconds / files * 1e6


def compile_plangen() -> None:
    """plangen's modules compiled to bytecode, once, as an installed plangen has them.

    pip compiles a package's modules as it installs it; an editable install on a machine with
    PYTHONDONTWRITEBYTECODE=1 (CI machines, containers) compiles them again in every process,
    which would time Python's compiler (0.06 s a run here) along with each variant.
    """
    import compileall

    import plangen

    compileall.compile_dir(Path(plangen.__file__).parent, quiet=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--visits", type=int, action="append", help="workbook size (repeatable); default 2000")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="plangen's parallel run (default: cores)")
    parser.add_argument("--skip-docxtpl", action="store_true", help="skip the slow baseline (ratios then omitted)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of plangen and of the copy floor (median reported)")
    parser.add_argument("--scratch", type=Path, default=None,
                        help="folder for the workbooks and documents (default: the system's temporary folder)")
    parser.add_argument("--caseload", type=int, default=None,
                        help="children per coordinator (default 50: more visits, more coordinators)")
    parser.add_argument("--variant", help=argparse.SUPPRESS)
    parser.add_argument("--workbook", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--documents", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.variant:
        run_variant(args)
        return

    from benchmarks.workbook import CASELOAD, write_benchmark_workbook

    caseload = args.caseload or CASELOAD
    if args.scratch is not None:
        args.scratch.mkdir(parents=True, exist_ok=True)  # a new folder named on the command line
    compile_plangen()
    for visits in args.visits or [2000]:
        with tempfile.TemporaryDirectory(prefix="plangen-bench-", dir=args.scratch) as folder:
            scratch = Path(folder)
            creation = file_creation_us(scratch)
            workbook = scratch / f"visits-{visits}.xlsx"
            write_benchmark_workbook(workbook, visits, caseload)
            rows: list[tuple[str, dict[str, float]]] = []
            plangen_1 = measure("plangen", workbook, scratch, jobs=1, repeat=args.repeat)
            rows.append(("plangen --jobs 1", plangen_1))
            if args.jobs > 1:
                parallel = measure("plangen", workbook, scratch, jobs=args.jobs, repeat=args.repeat)
                rows.append((f"plangen --jobs {args.jobs}", parallel))
            docxtpl = None if args.skip_docxtpl else measure("docxtpl", workbook, scratch)
            if docxtpl:
                rows.insert(0, ("docxtpl loop", docxtpl))
            copy = measure("copy", workbook, scratch, documents=int(plangen_1["documents"]), repeat=args.repeat)
            rows.append(("copy floor", copy))
            report(visits, caseload, rows, docxtpl, copy, creation)


def report(visits: int, caseload: int, rows: list[tuple[str, dict[str, float]]], docxtpl: dict[str, float] | None,
           copy: dict[str, float], creation_us: float) -> None:
    def rate(row: dict[str, float]) -> float:
        return row["documents"] / row["seconds"]

    buffer = io.StringIO()
    buffer.write(f"\n{visits} visits, {caseload} children per coordinator (plangen and copy: the median of their runs); "
                 f"a new file took {creation_us:.0f} µs in the scratch folder before the runs\n")
    buffer.write(f"{'variant':<18}{'documents':>10}{'seconds':>9}{'docs/s':>9}{'vs docxtpl':>11}{'vs copy':>9}"
                 f"{'peak MB':>9}{'worker MB':>10}\n")
    for name, row in rows:
        versus = f"{rate(row) / rate(docxtpl):.1f}x" if docxtpl else "-"
        buffer.write(f"{name:<18}{row['documents']:>10.0f}{row['seconds']:>9.2f}{rate(row):>9.0f}{versus:>11}"
                     f"{rate(row) / rate(copy):>8.3f}x{row['peak_mb']:>9.0f}{row['worker_peak_mb']:>10.0f}\n")
    print(buffer.getvalue(), end="", flush=True)


if __name__ == "__main__":
    main()

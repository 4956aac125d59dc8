"""Benchmark: PDF conversion with LibreOffice, batched (plangen's way) against one soffice call per file.

    python benchmarks/pdf.py                      # 40 family plans
    python benchmarks/pdf.py --documents 80 --workers 2 --skip-per-file

It writes an invented workbook, builds it (Word documents only), takes the first N
family plans, and converts a fresh copy of them three ways, each timed on its own:

  (a) batched, 1 process    plangen.pdf.convert(workers=1): one soffice call per batch
  (b) batched, W processes  plangen.pdf.convert(workers=W): W soffice at once, each its own profile
  (c) per file              one soffice call per document, one after the other (one private profile)

Every variant starts from a new, empty LibreOffice profile, as a plangen run does, so
its first start-up (creating the profile) is counted. It prints seconds per document
for each and the ratios: per file / batched, and 1 process / W processes. Figures are
from one run on one machine: compare the ratios, not the seconds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

AS_OF = dt.date(2026, 11, 20)


def family_plans(scratch: Path, count: int) -> list[Path]:
    """``count`` family plans rendered by plangen from an invented workbook."""
    from benchmarks.workbook import write_benchmark_workbook
    from plangen.build import BuildOptions, build
    from plangen.config import Config

    workbook = scratch / "visits.xlsx"
    write_benchmark_workbook(workbook, visits=count * 2)  # some visits are cancelled or no-shows
    result = build(workbook, Config(), BuildOptions(out=scratch / "built", as_of=AS_OF))
    plans = sorted(f for f in result.files if f.parent.name == "family")[:count]
    if len(plans) < count:
        raise SystemExit(f"only {len(plans)} family plans were built; ask for fewer --documents")
    return plans


def fresh_copy(plans: list[Path], folder: Path) -> list[Path]:
    folder.mkdir(parents=True)
    copies = [folder / plan.name for plan in plans]
    for plan, copy in zip(plans, copies, strict=True):
        shutil.copyfile(plan, copy)
    return copies


def per_file(soffice: str, documents: list[Path]) -> None:
    """The usual loop: one soffice call for each document."""
    with tempfile.TemporaryDirectory(prefix="plangen-lo-") as profile:
        for document in documents:
            subprocess.run(
                [
                    soffice,
                    "--headless",
                    "--norestore",
                    f"-env:UserInstallation={Path(profile).as_uri()}",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    str(document.parent),
                    str(document),
                ],
                check=True,
                capture_output=True,
                timeout=300,
            )


def timed(name: str, documents: list[Path], convert: Callable[[list[Path]], object]) -> float:
    start = time.perf_counter()
    convert(documents)
    seconds = time.perf_counter() - start
    missing = [d.name for d in documents if not d.with_suffix(".pdf").is_file()]
    if missing:
        raise SystemExit(f"{name}: LibreOffice did not convert {len(missing)} document(s): {missing[:3]}")
    return seconds / len(documents)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--documents", type=int, default=40, help="family plans to convert (default 40)")
    parser.add_argument("--workers", type=int, default=2, help="soffice processes of variant (b) (default 2)")
    parser.add_argument("--skip-per-file", action="store_true", help="skip the slow per-file variant")
    args = parser.parse_args()

    from plangen.pdf import convert, find_soffice

    soffice = find_soffice()
    version = subprocess.run(
        [soffice, "--version"], capture_output=True, text=True, timeout=60
    ).stdout.strip()
    with tempfile.TemporaryDirectory(prefix="plangen-bench-pdf-") as folder:
        scratch = Path(folder)
        plans = family_plans(scratch, args.documents)
        results: list[tuple[str, float]] = []
        variants: list[tuple[str, Callable[[list[Path]], object]]] = [
            ("batched, 1 soffice process", lambda docs: convert(docs, soffice, workers=1)),
            (
                f"batched, {args.workers} soffice processes",
                lambda docs: convert(docs, soffice, workers=args.workers),
            ),
        ]
        if not args.skip_per_file:
            variants.append(("per file, 1 soffice call each", lambda docs: per_file(soffice, docs)))
        for number, (name, variant) in enumerate(variants):
            documents = fresh_copy(plans, scratch / f"variant-{number}")
            results.append((name, timed(name, documents, variant)))

    print(f"PDF conversion of {args.documents} family plans ({version or soffice}; {os.cpu_count()} cores)")
    for name, seconds in results:
        print(f"  {name:<34}{seconds:>6.2f} s per document  ({seconds * args.documents:.1f} s)")
    by_name = dict(results)
    one, many = results[0][1], results[1][1]
    ratios = [(f"1 process / {args.workers} processes", one / many)]
    if "per file, 1 soffice call each" in by_name:
        slow = by_name["per file, 1 soffice call each"]
        ratios += [
            ("per file / batched, 1 process", slow / one),
            (f"per file / batched, {args.workers} processes", slow / many),
        ]
    for name, ratio in ratios:
        print(f"  {name:<34}{ratio:>6.1f}x")


if __name__ == "__main__":
    main()

"""The benchmark runs end to end on a small workbook and prints its table (no timing asserted here)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_the_benchmark_compares_the_same_documents_made_each_way(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--visits", "40", "--repeat", "1", "--jobs", "2",
         "--scratch", str(tmp_path)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert lines[0].startswith("40 visits, 50 children per coordinator") and "µs in the scratch folder" in lines[0]
    assert lines[1].split() == ["variant", "documents", "seconds", "docs/s", "vs", "docxtpl", "vs", "copy", "peak",
                                "MB", "worker", "MB"]  # fmt: skip
    rows = {line[:18].strip(): line[18:].split() for line in lines[2:]}
    assert list(rows) == ["docxtpl loop", "plangen --jobs 1", "plangen --jobs 2", "copy floor"]
    # Each variant made the same documents: every done visit's plan and review, diaries and packets.
    assert len({row[0] for row in rows.values()}) == 1 and int(rows["docxtpl loop"][0]) > 80
    assert rows["docxtpl loop"][3] == "1.0x" and rows["copy floor"][4] == "1.000x"
    assert float(rows["plangen --jobs 2"][6]) > 0, "the workers' peak memory was seen"
    assert list(tmp_path.iterdir()) == [], "the scratch folder is left as it was"


def test_a_variant_that_fails_says_why(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(ROOT))
    from benchmarks.run import measure

    with pytest.raises(SystemExit) as stopped:
        measure("plangen", tmp_path / "no-such.xlsx", tmp_path)
    message = str(stopped.value.code)
    assert message.startswith("The plangen run (--jobs 1) failed, exit code 1:\n")
    assert "no-such.xlsx" in message, "the run's own error follows"

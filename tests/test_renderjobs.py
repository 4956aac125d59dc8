"""Documents rendered here or in worker processes: reported in order, each only once it is on disk."""

from __future__ import annotations

import hashlib
import platform
import stat
from pathlib import Path

import pytest

from plangen.assemble import family_plan_context
from plangen.build import load
from plangen.config import Config
from plangen.render import Renderer
from plangen.renderjobs import CHUNK, RenderTask, run_tasks
from plangen.write import TEMP_PREFIX, write_atomic_many

from conftest import AS_OF, SAMPLE, docx_text


def no_pictures(owner: object) -> dict[str, object]:
    """A packet's ``images``: nothing to add here (the plan template has no chart)."""
    return {}


def tasks(out: Path, count: int) -> list[RenderTask]:
    config = Config()
    dataset = load(SAMPLE, config, AS_OF)
    done = [v for v in dataset.visits if v.get("visit_status") == "done"]
    made = []
    for n in range(count):
        visit = done[n % len(done)]
        child = dataset.child_of(visit)
        assert child is not None
        context = family_plan_context(dataset, child, visit, config.branding)
        if n == 7:  # one document whose context lacks what the template shows: a template error
            context = {k: v for k, v in context.items() if k != "child_name"}
        made.append(RenderTask(n, "family-plan", "en", context, out, f"{n:03d}-{child.child_id}.docx"))
    return made


@pytest.mark.parametrize("jobs", [1, 2])
def test_each_document_is_reported_in_order_once_it_is_on_disk(tmp_path: Path, jobs: int) -> None:
    renderer = Renderer(Config().branding)
    given = tasks(tmp_path, 3 * CHUNK + 5)
    seen = []
    for task, outcome in run_tasks(iter(given), renderer, jobs):
        seen.append(task.row)
        if task.row == 7:
            assert outcome.error.startswith("template family-plan: ")
            assert not outcome.sha256 and not task.target.exists()
            continue
        assert outcome.error == ""
        data = task.target.read_bytes()  # already in place when reported
        assert hashlib.sha256(data).hexdigest() == outcome.sha256
        assert stat.S_IMODE(task.target.stat().st_mode) == 0o600
    assert seen == list(range(len(given)))
    assert "Our plan for" in docx_text(given[0].target)
    assert not list(tmp_path.glob(f"{TEMP_PREFIX}*")), "no temporary file left"


def test_a_batch_replaces_old_files_whole_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    (tmp_path / "a.docx").write_bytes(b"old")
    files = [(tmp_path / "a.docx", b"new a"), (tmp_path / "sub-b.docx", b"new b")]
    write_atomic_many(files)
    assert (tmp_path / "a.docx").read_bytes() == b"new a"
    assert (tmp_path / "sub-b.docx").read_bytes() == b"new b"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.docx", "sub-b.docx"]


@pytest.mark.parametrize("syncfs", [True, False], ids=["syncfs", "fsync-each"])
def test_batches_are_in_place_only_once_durable_with_syncfs_or_without(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, syncfs: bool
) -> None:
    """Where there is no syncfs (macOS, Windows), each file is synced: the same files either way."""
    import plangen.write as write

    synced: list[str] = []
    if syncfs and write._SYNCFS is not None:
        real = write._SYNCFS
        monkeypatch.setattr(write, "_SYNCFS", lambda fd: (synced.append("fs"), real(fd))[1])
    else:
        monkeypatch.setattr(write, "_SYNCFS", None)
        monkeypatch.setattr(write.os, "fsync", lambda fd: synced.append("file"))
    (tmp_path / "a.docx").write_bytes(b"old")
    batches = write.DurableBatches()
    batch = batches.start([(tmp_path / "a.docx", b"new a"), (tmp_path / "b.docx", b"new b")])
    assert (tmp_path / "a.docx").read_bytes() == b"old", "not in place before it is durable"
    assert not (tmp_path / "b.docx").exists()
    batches.finish(batch)
    batches.close()
    assert (tmp_path / "a.docx").read_bytes() == b"new a"
    assert (tmp_path / "b.docx").read_bytes() == b"new b"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.docx", "b.docx"]
    if syncfs and write._SYNCFS is not None:
        assert synced == ["fs"], "one call for the batch"
    else:
        assert synced[:2] == ["file", "file"], "each file, then the folder"


def test_batches_written_during_a_slow_flush_are_made_durable_by_the_next_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A flush of the disk that takes long does not cost one more per batch queued behind it."""
    import threading

    import plangen.write as write

    flushing, go_on = threading.Event(), threading.Event()
    flushes: list[int] = []

    def slow_first_flush(fd: int) -> None:
        flushes.append(fd)
        if len(flushes) == 1:
            flushing.set()
            assert go_on.wait(10)

    monkeypatch.setattr(write, "_SYNCFS", slow_first_flush)
    batches = write.DurableBatches()
    first = batches.start([(tmp_path / "a.docx", b"a")])
    assert flushing.wait(10)
    queued = [batches.start([(tmp_path / f"{name}.docx", name.encode())]) for name in "bcd"]
    go_on.set()
    for batch in [first, *queued]:
        batches.finish(batch)
    batches.close()
    assert len(flushes) == 2, "one flush for the first batch, one for the three queued behind it"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.docx", "b.docx", "c.docx", "d.docx"]
    assert (tmp_path / "d.docx").read_bytes() == b"d"
    again = batches.start([(tmp_path / "e.docx", b"e")])
    batches.finish(again)
    batches.close()
    assert (tmp_path / "e.docx").read_bytes() == b"e", "batches still work after a close"


def test_a_batch_that_cannot_be_made_durable_leaves_the_old_files_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import plangen.write as write

    def fails(handles: list[int], folders: list[Path]) -> None:
        write._close_all(handles)
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(write, "_make_durable", fails)
    (tmp_path / "a.docx").write_bytes(b"old")
    batches = write.DurableBatches()
    batch = batches.start([(tmp_path / "a.docx", b"new a"), (tmp_path / "b.docx", b"new b")])
    with pytest.raises(OSError, match="Input/output error"):
        batches.finish(batch)
    batches.close()
    assert (tmp_path / "a.docx").read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.docx"]
    stopped = write.DurableBatches()
    stopped.abandon(stopped.start([(tmp_path / "c.docx", b"c")]))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.docx"], "an abandoned batch leaves nothing"


def test_a_packet_is_rendered_at_once_and_what_waits_for_the_disk_keeps_no_context(tmp_path: Path) -> None:
    """Plans wait for a batch of 16; a packet (it draws charts) goes at once. Once rendered, a batch
    waiting for the disk keeps only where its documents go: not a packet's caseload."""
    from plangen.renderjobs import WRITES_IN_FLIGHT, Runner

    renderer = Renderer(Config().branding)
    plans = tasks(tmp_path / "plans", 3)
    packets = [
        RenderTask(t.row, t.name, t.language, t.context, tmp_path / "packets", t.file_name, no_pictures)
        for t in tasks(tmp_path / "packets", WRITES_IN_FLIGHT + 3)
    ]
    with Runner(renderer, 1) as runner:
        assert [done for t in plans for done in runner.feed(t)] == [], "plans wait for a full batch"
        reported = []
        for packet in packets:
            reported += runner.feed(packet)
            assert runner._chunk == [], "a packet is not held for a batch"
            assert len(runner._writing) <= WRITES_IN_FLIGHT
            waiting = [t for chunk, _outcomes, _batch in runner._writing for t in chunk]
            assert all(t.context == {} and t.images is None for t in waiting)
        assert len(reported) >= 3, "the oldest are reported while the rest are fed"
        rest = runner.finish()
    assert [t.target.name for t, _o in [*reported, *rest]] == [t.target.name for t in [*plans, *packets]]
    assert [t.row for t, o in [*reported, *rest] if o.error] == [7], "only the one made to fail"


def test_with_worker_processes_no_more_packets_are_in_flight_than_workers(tmp_path: Path) -> None:
    """Each packet in flight holds a caseload here and in a worker: one per worker at a time."""
    from plangen.renderjobs import Runner

    renderer = Renderer(Config().branding)
    plans = tasks(tmp_path / "plans", 2 * CHUNK)  # two batches: the processes start
    packets = [
        RenderTask(t.row, t.name, t.language, t.context, tmp_path / "packets", t.file_name, no_pictures)
        for t in tasks(tmp_path / "packets", 6)
    ]
    most = 0
    with Runner(renderer, 2) as runner:
        reported = [done for t in plans for done in runner.feed(t)]
        for packet in packets:
            reported += runner.feed(packet)
            most = max(most, runner._packets_in_flight())
        reported += runner.finish()
    assert most == 2
    assert [t.target.name for t, _o in reported] == [t.target.name for t in [*plans, *packets]]
    assert all(o.error == "" for t, o in reported if t.row != 7)
    assert "Our plan for" in docx_text(packets[-1].target)


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc's malloc only")
def test_a_worker_fixes_glibcs_threshold_for_big_blocks() -> None:
    """Each worker calls this as it starts: glibc takes the fixed threshold (mallopt returns 1),
    so a big block freed after a packet goes back to the system instead of raising the threshold."""
    from plangen.renderjobs import _return_big_blocks

    assert _return_big_blocks() is True

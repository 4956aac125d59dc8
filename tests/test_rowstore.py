"""Rows keep their short values in memory and the rest in an anonymous temporary file; so do row results."""

from __future__ import annotations

import datetime as dt
import gc
import os
import pickle
import tempfile
from pathlib import Path

import pytest

from plangen import read, render, rowstore
from plangen.build import BuildOptions, RowResult, RowResults, Status, build
from plangen.check import check
from plangen.config import Config
from plangen.fields import Sheet
from plangen.read import Record, read_workbook
from plangen.rowstore import RowStore

SAMPLE = Path(__file__).resolve().parents[1] / "input" / "sample-program.xlsx"
VISIT_FIELDS = read.KEPT_FIELDS[Sheet.VISITS]


@pytest.mark.parametrize("positioned", [True, False], ids=["pread", "seek (Windows)"])
def test_a_stored_visit_answers_every_field_as_before_and_keeps_only_short_values(
    positioned: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rowstore, "_POSITIONED", positioned)
    store = RowStore()
    values = {
        "child_id": "C-1", "visit_date": dt.date(2026, 11, 17), "visit_status": "done",
        "strategy_1": "Offer a choice of two foods", "strategy_1_steps": "Hold up two foods\nWait",
    }
    rows = read.StoredRows("Visits", {}, VISIT_FIELDS, store)
    record = Record("Visits", 7, dict(values), {}, frozenset(), {"Room": "Kitchen"})
    record.store_in(rows)
    assert record.stored and (record.sheet, record.row) == ("Visits", 7)
    assert record.values == values
    assert record.extra == {"Room": "Kitchen"}
    assert record.get("strategy_1_steps") == "Hold up two foods\nWait"
    assert record.get("practiced", "none") == "none"
    # The short values answer from memory; the text is read back from the file.
    store.load.cache_clear()
    reads: list[int] = []
    spool_get = store._spool.get
    monkeypatch.setattr(store._spool, "get", lambda where: reads.append(where) or spool_get(where))
    short = {n: record.get(n) for n in ("child_id", "visit_date", "visit_status")}
    assert short == {"child_id": "C-1", "visit_date": dt.date(2026, 11, 17), "visit_status": "done"}
    assert record.get("next_visit_date", "none") == "none" and record.has("visit_date")
    assert reads == []
    assert record.get("strategy_1") == "Offer a choice of two foods" and len(reads) == 1
    # Sent whole to another process: the values travel, not the file.
    copy = pickle.loads(pickle.dumps(record))
    assert (copy.sheet, copy.row, copy.values, copy.extra) == ("Visits", 7, values, {"Room": "Kitchen"})
    others = [Record("Visits", n, {"child_id": f"C-{n}", "practiced": "x" * n}, {}) for n in range(8, 700)]
    for other in others:
        other.store_in(rows)
    store.load.cache_clear()  # read back from the file, not the recent rows
    assert [o.get("practiced") for o in others] == ["x" * n for n in range(8, 700)]
    assert record.get("strategy_1_steps") == "Hold up two foods\nWait"
    store.close()


@pytest.fixture
def private_tempdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """This process's temporary files only: other programs' come and go in the system's."""
    # Jinja's cache of compiled templates (no row's values) stays in its own folder in the system's,
    # wherever the first test to render made it: this test alone must not make it here.
    render._bytecode_cache()
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def test_the_sample_workbook_stores_its_rows_in_a_file_with_no_name(private_tempdir: Path) -> None:
    data = read_workbook(SAMPLE, Config())
    assert data.store is not None
    stored = [v for v in data.visits if v.stored and v._rows.store is data.store]
    assert len(stored) == len(data.visits) == 52
    assert "strategy_1" not in VISIT_FIELDS.names, "plan text is not kept in memory"
    # A normalized workbook's visit rows hold no child fields: those columns take no memory.
    visits = data.visits[0]._rows
    assert isinstance(visits, read.StoredRows)
    columns = visits._page_of(0).columns
    assert all(columns[VISIT_FIELDS.index[f.name]] is None for f in read.CHILD_FIELDS_ON_VISITS)
    assert columns[VISIT_FIELDS.index["visit_date"]] is not None
    assert any(v.get("strategy_1") for v in data.visits), "and is still there when asked for"
    assert os.listdir(private_tempdir) == [], "nothing named on disk"
    # Children's and outcomes' rows too: names and outcome statements are read back when asked for.
    assert all(r.stored and r._rows.store is data.store for r in [*data.children, *data.outcomes])
    assert "child_name" not in read.KEPT_FIELDS[Sheet.CHILDREN].names
    assert "outcome_statement" not in read.KEPT_FIELDS[Sheet.OUTCOMES].names
    assert all(c.get("child_name") and c.get("coordinator_name") for c in data.children)
    assert all(o.get("outcome_statement") and o.get("outcome_number") for o in data.outcomes)


def test_a_builds_row_results_wait_in_a_file_and_read_back_as_they_were(tmp_path: Path, private_tempdir: Path) -> None:
    result = build(SAMPLE, Config(), BuildOptions(out=tmp_path / "out", as_of=dt.date(2026, 11, 20), jobs=1))
    gc.collect()
    assert not [o for o in gc.get_objects() if isinstance(o, RowResult)], "no row's result stays in memory"
    rows = list(result.rows)
    assert len(rows) == len(result.rows) == 52
    assert result.count(Status.RENDERED) == sum(r.status is Status.RENDERED for r in rows) > 0
    assert list(result.rows.statuses()) == [r.status for r in rows]
    assert result.written == len(result.files) == sum(len(r.written) for r in rows) > 0
    assert all(f.is_file() for f in result.files)
    assert os.listdir(private_tempdir) == [], "nothing named on disk"


def test_a_row_result_put_back_changes_its_status_count_and_documents() -> None:
    results = RowResults(Path("out"))
    for n in range(2, 6):
        results.append(
            RowResult("Visits", n, f"C-{n}", None, Status.RENDERED, written=(f"family/{n}.docx",), folder=Path("out"))
        )
    row = results[1]
    row.status, row.reason = Status.FAILED, "family/3.pdf: LibreOffice could not convert it"
    assert results[1].status is Status.RENDERED, "a row read back is a copy until it is put back"
    results[1] = row
    assert (results[1].status, results[1].reason) == (Status.FAILED, "family/3.pdf: LibreOffice could not convert it")
    assert (results.count_of(Status.RENDERED), results.count_of(Status.FAILED)) == (3, 1)
    assert [r.row for r in results] == [2, 3, 4, 5]
    assert results.written == 4
    assert results[2].files == [Path("out/family/4.docx")]


def test_the_rules_across_rows_read_no_row_back(monkeypatch: pytest.MonkeyPatch) -> None:
    """Which cells are filled is kept in memory (a set shared by rows alike): checking reads nothing back."""
    data = read_workbook(SAMPLE, Config())
    records = [*data.children, *data.outcomes, *data.visits]
    names = {f.name for sheet in Sheet for f in read.CATALOG[sheet]}
    assert all(r.has(n) == (n in r.values) for r in records for n in names)
    filled = {r._rows._page_of(r._at).filled[r._at] for r in data.visits}  # type: ignore[union-attr]
    assert len(filled) < len(data.visits) / 2, "rows alike share one set"
    assert data.store is not None
    reads: list[int] = []
    spool_get = data.store._spool.get
    monkeypatch.setattr(data.store._spool, "get", lambda where: reads.append(where) or spool_get(where))
    data.store.load.cache_clear()
    dataset = check(data, dt.date(2026, 11, 20))
    assert dataset.problems.warnings, "the sample's rules still find its warnings"
    assert reads == []


def test_equal_values_of_different_types_stay_apart() -> None:
    """``True == 1 == 1.0`` in Python: a yes/no cell read first must not stand in for a number."""
    store = RowStore()
    table = store.table("outcomes_addressed")
    numbers = [table.number(value) for value in (True, 1, 1.0, "1", 1, False, 0)]
    assert [type(table.values[n]) for n in numbers] == [bool, int, float, str, int, bool, int]
    assert numbers[1] == numbers[4], "equal values of one type are still kept once"
    assert len(set(numbers)) == 6
    store.close()


def test_a_record_list_holds_places_and_answers_like_a_list_of_its_records() -> None:
    store = RowStore()
    week_46, week_47 = (read.StoredRows(sheet, {}, VISIT_FIELDS, store) for sheet in ("Week 46", "Week 47"))
    records = []
    for n, (rows, day) in enumerate([(week_47, 19), (week_46, 12), (week_47, 17), (week_46, 10)], start=2):
        record = Record(rows.sheet, n, {"child_id": "C-1", "visit_date": dt.date(2026, 11, day)}, {})
        record.store_in(rows)
        records.append(record)
    loose = Record("Visits", 9, {"child_id": "C-2", "visit_date": dt.date(2026, 11, 18)}, {})
    visits = read.RecordList(records)
    visits.append(loose)
    assert len(visits) == 5 and list(visits) == [*records, loose] and visits == [*records, loose]
    # Each access makes a new Record for the same row: equal to it, and hashed the same.
    assert visits[2] is not visits[2] and visits[2] == records[2] and hash(visits[2]) == hash(records[2])
    assert visits[0] != visits[2], "the same sheet, another row"
    assert visits[1] != Record("Week 46", 3, {"child_id": "C-1", "visit_date": dt.date(2026, 11, 12)}, {})
    assert visits.index(records[3]) == 3 and records[3] in visits and visits.index(loose) == 4
    stranger = Record("Week 46", 3, {"child_id": "C-1"}, {})
    assert stranger not in visits
    with pytest.raises(ValueError):
        visits.index(stranger)
    visits.sort(key=lambda v: v.get("visit_date"))
    assert [(v.sheet, v.get("visit_date").day) for v in visits] == [
        ("Week 46", 10), ("Week 46", 12), ("Week 47", 17), ("Visits", 18), ("Week 47", 19)
    ]
    assert [v.row for v in visits[1:3]] == [3, 4], "a slice is a list of the records"
    store.close()


def test_a_record_list_of_one_sheets_rows_in_order_holds_no_places_until_they_are_not() -> None:
    store = RowStore()
    rows = read.StoredRows("Visits", {}, VISIT_FIELDS, store)
    records = [Record("Visits", n, {"child_id": f"C-{n}"}, {}) for n in range(2, 7)]
    for record in records:
        record.store_in(rows)
    visits = read.RecordList(records[:4])
    assert isinstance(visits._places, range), "a sheet's rows as read: no array"
    assert visits.index(records[2]) == 2 and visits.index(records[2], 1, 3) == 2 and records[3] in visits
    with pytest.raises(ValueError):
        visits.index(records[2], 3)
    assert records[4] not in visits and [v.row for v in visits[1:3]] == [3, 4] and visits[-1] == records[3]
    visits.append(records[0])  # out of order: now places
    assert not isinstance(visits._places, range)
    assert [v.get("child_id") for v in visits] == ["C-2", "C-3", "C-4", "C-5", "C-2"]
    assert visits.index(records[0], 1) == 4 and len(visits) == 5
    store.close()


def test_stored_rows_keep_their_numbers_on_the_sheet_across_skipped_rows() -> None:
    store = RowStore()
    rows = read.StoredRows("Visits", {}, VISIT_FIELDS, store)
    numbers = [2, 3, 4, 7, 8, 20, 21]  # blank rows 5-6 and a block of notes 9-19 skipped
    records = [Record("Visits", n, {"child_id": f"C-{n}"}, {}) for n in numbers]
    for record in records:
        record.store_in(rows)
    assert [r.row for r in records] == numbers and [rows.row_of(at) for at in range(7)] == numbers
    assert len(rows._run_starts) == 3, "a run of rows for each stretch between skipped ones"
    assert [r.get("child_id") for r in records] == [f"C-{n}" for n in numbers]
    store.close()


def test_a_column_of_stored_rows_grows_from_one_to_four_bytes_a_row_when_its_values_need_it() -> None:
    store = RowStore()
    child_ids = store.table("child_id")
    for n in range(70_000):  # more distinct values than two bytes number
        child_ids.number(f"other-{n}")
    rows = read.StoredRows("Visits", {}, VISIT_FIELDS, store)
    records = [Record("Visits", n, {"child_id": f"C-{n}", "visit_status": "done"}, {}) for n in range(2, 6)]
    early = Record("Visits", 1, {"child_id": "other-7", "visit_status": "done"}, {})
    for record in [early, *records]:
        record.store_in(rows)
    store.load.cache_clear()
    assert [r.get("child_id") for r in [early, *records]] == ["other-7", "C-2", "C-3", "C-4", "C-5"]
    assert all(r.get("visit_status") == "done" for r in records)
    column = rows._page_of(0).columns[VISIT_FIELDS.index["child_id"]]
    assert column is not None and column.typecode == "I" and column[0] == child_ids.number("other-7")
    statuses = rows._page_of(0).columns[VISIT_FIELDS.index["visit_status"]]
    assert statuses is not None and statuses.typecode == "B", "a column of few values stays at one byte"
    providers = read.StoredRows("Visits", {}, VISIT_FIELDS, store)
    for n in range(300):  # more than a byte numbers, fewer than two bytes do
        Record("Visits", n + 2, {"child_id": "C-1", "provider_name": f"Provider {n}"}, {}).store_in(providers)
    column = providers._page_of(255).columns[VISIT_FIELDS.index["provider_name"]]
    assert column is not None and column.typecode == "H"
    assert providers._page_of(299).columns[VISIT_FIELDS.index["provider_name"]].typecode == "H"  # type: ignore[union-attr]
    assert [providers.get(at, "provider_name", None) for at in (0, 255, 299)] == [
        "Provider 0", "Provider 255", "Provider 299"
    ]
    store.close()


def test_full_pages_of_short_values_go_to_the_file_and_answer_as_before(monkeypatch: pytest.MonkeyPatch) -> None:
    """A sheet of 50,000 rows keeps 8 bytes a page of their short values in memory, not 20 a row."""
    monkeypatch.setattr(rowstore, "RECENT_PAGES", 2)
    store = RowStore()
    rows = read.StoredRows("Visits", {}, VISIT_FIELDS, store)
    count = 3 * read.PAGE_ROWS + 5
    statuses = ("done", "cancelled", "no-show")
    for n in range(count):
        values = {"child_id": f"C-{n % 40}", "visit_status": statuses[n % 3], "practiced": f"text {n}"}
        if n % 7 == 0:
            values["visit_date"] = dt.date(2026, 11, 1 + n % 28)
        Record("Visits", n + 2, values, {}).store_in(rows)
    assert len(rows._pages) == 3, "three full pages in the file, five rows in the open one"
    assert len(rows._open.places) == 5
    store.load.cache_clear()
    store.page.cache_clear()
    for at in [0, 255, 256, 700, 3, count - 1, 511]:  # out of order: pages read back again
        assert rows.get(at, "child_id", None) == f"C-{at % 40}"
        assert rows.get(at, "visit_status", None) == statuses[at % 3]
        assert rows.has(at, "visit_date") == (at % 7 == 0)
        assert rows.get(at, "visit_date", "none") == (dt.date(2026, 11, 1 + at % 28) if at % 7 == 0 else "none")
        assert rows.get(at, "practiced", None) == f"text {at}" and rows.row_of(at) == at + 2
    assert store.page.cache_info().currsize <= 2, "only the recent pages stay decoded"
    store.close()


def test_a_spooled_list_keeps_full_pages_in_its_file_and_answers_like_a_list() -> None:
    items = rowstore.SpooledList[str]()
    count = 2 * rowstore.LIST_PAGE_ITEMS + 3
    for n in range(count):
        items.append(f"family/C-{n}_family-plan.docx")
    assert len(items) == count and len(items._pages) == 2 and len(items._open) == 3
    items[5] = "family/C-5_family-plan.pdf"  # in a full page: that page is written again
    items[-1] = "diary/C-last.docx"  # in the page being filled
    expected = [f"family/C-{n}_family-plan.docx" for n in range(count)]
    expected[5], expected[-1] = "family/C-5_family-plan.pdf", "diary/C-last.docx"
    assert list(items) == expected
    assert [items[i] for i in (300, 5, -1, 0, 511)] == [expected[i] for i in (300, 5, -1, 0, 511)]
    with pytest.raises(IndexError):
        items[count]

"""Visit rows keep their short values in memory and the rest in an anonymous temporary file."""

from __future__ import annotations

import datetime as dt
import os
import pickle
import tempfile
from pathlib import Path

import pytest

from plangen import read, rowstore
from plangen.config import Config
from plangen.read import Record, read_workbook
from plangen.rowstore import ABSENT, RowStore

SAMPLE = Path(__file__).resolve().parents[1] / "input" / "sample-program.xlsx"


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
    record = Record("Visits", 7, dict(values), {}, frozenset(), {"Room": "Kitchen"})
    record.store_in(store)
    assert record.values == values
    assert record.extra == {"Room": "Kitchen"}
    assert record.get("strategy_1_steps") == "Hold up two foods\nWait"
    assert record.get("practiced", "none") == "none"
    in_memory = {n: v for n, v in zip(read._SUMMARY_ORDER, record._summary, strict=False) if v is not ABSENT}
    assert in_memory == {"child_id": "C-1", "visit_date": dt.date(2026, 11, 17), "visit_status": "done"}
    assert record._values == {} and record._extra == {}
    # Sent whole to another process: the values travel, not the file.
    copy = pickle.loads(pickle.dumps(record))
    assert (copy.sheet, copy.row, copy.values, copy.extra) == ("Visits", 7, values, {"Room": "Kitchen"})
    others = [Record("Visits", n, {"child_id": f"C-{n}", "practiced": "x" * n}, {}) for n in range(8, 700)]
    for other in others:
        other.store_in(store)
    store.load.cache_clear()  # read back from the file, not the recent rows
    assert [o.get("practiced") for o in others] == ["x" * n for n in range(8, 700)]
    assert record.get("strategy_1_steps") == "Hold up two foods\nWait"
    store.close()


def test_the_sample_workbook_stores_its_visit_rows_in_a_file_with_no_name() -> None:
    before = set(os.listdir(tempfile.gettempdir()))
    data = read_workbook(SAMPLE, Config())
    assert data.store is not None
    stored = [v for v in data.visits if v._store is data.store]
    assert len(stored) == len(data.visits) == 52
    assert "strategy_1" not in read._SUMMARY_ORDER
    assert all(v._values == {} for v in data.visits), "plan text is not kept in memory"
    # A normalized workbook's visit rows hold no child fields: their summaries stop before those.
    first_child_field = min(read._SUMMARY_ORDER.index(f.name) for f in read.CHILD_FIELDS_ON_VISITS)
    assert max(len(v._summary) for v in data.visits) <= first_child_field < len(read._SUMMARY_ORDER)
    assert any(v.get("strategy_1") for v in data.visits), "and is still there when asked for"
    assert set(os.listdir(tempfile.gettempdir())) == before, "nothing named on disk"
    assert all(c._store is None for c in data.children), "children's rows stay in memory"

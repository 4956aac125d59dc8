"""Children linked to their outcomes and visits: what a run's documents and checks see of them.

``check.Children`` keeps every child's records as positions in arrays shared by all children and
makes a ``Child`` when one is asked for; these tests hold it to what a child made by hand answers.
"""

from __future__ import annotations

import datetime as dt
import zlib

import pytest

from plangen.check import Child, check
from plangen.config import Config
from plangen.read import read_workbook

from conftest import child, outcome, visit

AS_OF = dt.date(2026, 11, 20)


def workbook(make_workbook):
    return make_workbook(
        children=[child(), child(child_id="C-2", child_name="Kofi"), child(child_id="C-3", child_name="Ana")],
        outcomes=[
            outcome(child_id="C-2", outcome_number=2),
            outcome(outcome_number=2),
            outcome(child_id="C-9"),  # no such child
            outcome(),
            outcome(child_id="C-2", outcome_number=2, outcome_statement="Again"),  # number listed twice
            outcome(child_id="C-2", outcome_number=1),
        ],
        visits=[
            visit(visit_date=dt.date(2026, 11, 17)),
            visit(child_id="C-2", visit_date=dt.date(2026, 11, 10)),
            visit(visit_date=dt.date(2026, 11, 3)),
            visit(child_id="C-9"),  # no such child
            visit(visit_date=dt.date(2026, 11, 10), visit_status="cancelled by family"),
            visit(child_id="C-2", visit_date=dt.date(2026, 11, 3)),
        ],
    )


def test_each_child_has_its_outcomes_by_number_and_its_visits_by_date(make_workbook) -> None:
    dataset = check(read_workbook(workbook(make_workbook), Config()), AS_OF)
    assert list(dataset.children) == ["C-1", "C-2", "C-3"] and len(dataset.children) == 3
    assert "C-9" not in dataset.children and dataset.children.get("C-9") is None
    zoe, kofi, ana = (dataset.children[c] for c in ("C-1", "C-2", "C-3"))
    assert (zoe.get("child_name"), kofi.get("child_name"), ana.get("child_name")) == ("Zoë", "Kofi", "Ana")
    assert [(o.row, o.get("outcome_number")) for o in zoe.outcomes] == [(5, 1), (3, 2)]
    assert [(o.row, o.get("outcome_number")) for o in kofi.outcomes] == [(7, 1), (2, 2)], "the first row of 2"
    assert [(v.row, v.get("visit_date").day) for v in zoe.visits] == [(4, 3), (6, 10), (2, 17)]
    assert [(v.row, v.get("visit_date").day) for v in kofi.visits] == [(7, 3), (3, 10)]
    assert list(ana.outcomes) == [] and list(ana.visits) == [] and len(ana.visits) == 0
    assert zoe.outcome(2) == zoe.outcomes[1] and kofi.outcome(3) is None
    assert zoe.visits.index(zoe.visits[2]) == 2 and zoe.visits[-1] == zoe.visits[2]
    assert zoe.visits.index(zoe.visits[2], 1) == 2 and zoe.visits.index(zoe.visits[2], -1) == 2
    with pytest.raises(ValueError):
        zoe.visits.index(zoe.visits[2], 0, 2)
    assert kofi.visits[0] not in zoe.visits
    assert dataset.children["C-1"] == zoe, "made again, the same child"


def test_children_named_by_many_visits_come_each_once_in_the_order_first_named(make_workbook) -> None:
    """A period's diaries: one per child with a plan, in the order of the plans; an unknown ID is skipped."""
    dataset = check(read_workbook(workbook(make_workbook), Config()), AS_OF)
    named = ["C-2", "C-9", "C-1", "C-2", "C-1", "C-3", "C-2"]
    assert [c.child_id for c in dataset.children.each_once(named)] == ["C-2", "C-1", "C-3"]
    assert [c.get("child_name") for c in dataset.children.each_once(reversed(named))] == ["Kofi", "Ana", "Zoë"]


def test_a_childs_previous_done_visit_is_the_one_a_child_made_by_hand_finds(make_workbook) -> None:
    dataset = check(read_workbook(workbook(make_workbook), Config()), AS_OF)
    zoe = dataset.children["C-1"]
    by_hand = Child("C-1", zoe.record, list(zoe.outcomes), list(zoe.visits))  # type: ignore[arg-type]
    first, cancelled, last = zoe.visits
    assert [zoe.previous_done_visit(v) for v in zoe.visits] == [None, first, first]
    assert [by_hand.previous_done_visit(v) for v in zoe.visits] == [None, first, first]
    assert zoe.previous_done_visit(dataset.children["C-2"].visits[1]) is None, "not one of hers"
    assert cancelled.get("visit_status") == "cancelled by family" and last.get("visit_date").day == 17


def test_children_whose_ids_share_a_crc_are_told_apart_and_a_child_with_many_visits_keeps_them(make_workbook) -> None:
    """Children are found by their IDs' CRC-32 (no dict of IDs): 'plumless' and 'buckeroo' share one."""
    assert zlib.crc32(b"plumless") == zlib.crc32(b"buckeroo")
    start = dt.date(2026, 1, 5)
    path = make_workbook(
        children=[child(child_id="buckeroo", child_name="Kofi"), child(child_id="plumless", child_name="Ana")],
        outcomes=[outcome(child_id="buckeroo"), outcome(child_id="plumless")],
        # 300 visits: where a visit's previous one is among them needs more than a byte.
        visits=[visit(child_id="plumless", visit_date=start + dt.timedelta(days=n)) for n in range(300)],
    )
    dataset = check(read_workbook(path, Config()), AS_OF)
    assert list(dataset.children) == ["buckeroo", "plumless"]
    assert dataset.children["plumless"].get("child_name") == "Ana"
    assert dataset.children["buckeroo"].get("child_name") == "Kofi" and len(dataset.children["buckeroo"].visits) == 0
    assert "plumless" in dataset.children and "plumles" not in dataset.children and 7 not in dataset.children
    with pytest.raises(KeyError):
        dataset.children["buckaroo"]
    ana = dataset.children["plumless"]
    last = ana.visits[-1]
    assert last.get("visit_date") == start + dt.timedelta(days=299)
    assert ana.previous_done_visit(last) == ana.visits[298]
    assert dataset.children._previous.typecode == "h"


def test_an_unknown_child_and_an_outcome_listed_twice_are_reported_by_cell(run, make_workbook) -> None:
    result = run("validate", workbook(make_workbook), "--as-of", "2026-11-20")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "  error: Outcomes!A4: Child ID is not on the Children sheet. Add the child to Children or fix the ID.",
        "  error: Outcomes!B6 (Outcome #): Outcome 2 is listed twice for this child. Give each outcome its own number.",
        "  error: Visits!A5: Child ID is not on the Children sheet. Add the child to Children or fix the ID.",
        "program.xlsx: 3 children, 6 visit rows; 3 error(s), 0 warning(s).",
    ]

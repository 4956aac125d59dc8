"""The coordinator update packet, the plan copies consent allows, and the follow-up, on the sample."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from docx.oxml.ns import qn

from plangen.assemble import Formatter
from plangen.build import load
from plangen.cli import cli
from plangen.config import load_config
from plangen.dates import range_period
from plangen.flags import Scope, child_flags, compute_flags, count_by_code
from plangen.packet import group_packets, packets_of

from conftest import AS_OF, SAMPLE, child, docx_text, outcome, visit

PERIOD = "2026-10-05_to_2026-11-20"  # the sample's visits, all of them

# The flags the sample fires as of 2026-11-20: the table at the top of tools/make_sample.py,
# in the packet's order (overdue, then due within 30 days, by date; then follow-ups by visit date).
EXPECTED = {
    "Harriet Okafor": [
        ("C-1005", "no-recent-visit"),  # last done visit 2026-10-19: a visit was due by 11-18
        ("C-1002", "transition-window-opens"),  # DOB 2024-09-05: opens 2026-12-05
        ("C-1003", "annual-ifsp"),  # IFSP 2025-12-08
        ("C-1001", "periodic-review"),  # IFSP 2026-06-10, no review yet: due 2026-12-10
        ("C-1002", "copy-withheld"),  # 2026-11-11 copy for "grandfather": consent names grandmother only
        ("C-1004", "outcome-met-not-marked"),  # 2026-11-16: outcome 2 seen met, still "in progress"
    ],
    "Miguel Serrano-Díaz": [
        ("C-1009", "case-past-15-months"),  # case opened 2025-07-15
        ("C-1006", "periodic-review"),  # last review 2026-05-05: was due 2026-11-05
        ("C-1009", "annual-ifsp"),  # IFSP 2025-11-12
        ("C-1006", "resources-requested"),  # 2026-11-03
        ("C-1007", "change-requested"),  # 2026-11-04
        ("C-1008", "concern"),  # 2026-11-05
        ("C-1010", "exit-requested"),  # 2026-11-16
        ("C-1008", "missed-visits"),  # 2026-11-12 cancelled by provider, 2026-11-19 no-show
    ],
    "Tamsin Boyle": [
        ("C-1014", "services-ending"),  # ended 2026-11-13, last review 2026-08-20
        ("C-1012", "transition-window-closes"),  # 2026-11-27
        ("C-1013", "services-ending"),  # ends 2026-12-12, last review 2026-09-24
        ("C-1011", "lea-notification"),  # part B eligible: notify by 2026-12-15
        ("C-1011", "transition-window-closes"),  # the same day closes his window
        ("C-1014", "copy-withheld"),  # consent for "aunt" revoked 2026-10-02
    ],
}
TITLES = {
    "no-recent-visit": "No visit in the last 30 days",
    "transition-window-opens": "Transition window opens",
    "transition-window-closes": "Transition window closes",
    "annual-ifsp": ("Annual IFSP meeting due", "Annual IFSP meeting overdue"),
    "periodic-review": ("Periodic IFSP review due", "Periodic IFSP review overdue"),
    "outcome-met-not-marked": "Outcome 2 reported met",
    "case-past-15-months": "Child-welfare case past 15 months",
    "resources-requested": "Resources requested",
    "change-requested": "Change to the IFSP requested",
    "concern": "Concern for the coordinator",
    "exit-requested": "The family asked to end services",
    "missed-visits": "2 visits missed in a row",
    "services-ending": ("Services ended without a review", "Services end soon without a review"),
    "lea-notification": "LEA notification due",
}
PACKETS = {
    "Harriet Okafor": "harriet-okafor_update-packet.docx",
    "Miguel Serrano-Díaz": "miguel-serrano-diaz_update-packet.docx",
    "Tamsin Boyle": "tamsin-boyle_update-packet.docx",
}


@pytest.fixture(scope="module")
def sample_build(tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("sample") / "out"
    result = CliRunner().invoke(cli, ["build", str(SAMPLE), "--out", str(out), "--as-of", AS_OF.isoformat()])
    assert result.exit_code == 0, result.output
    return out / PERIOD, result


def action_rows(path: Path) -> list[tuple[str, str]]:
    """(child id, title) of each row of the packet's "Needs your action" table, in order."""
    table = next(t for t in Document(str(path)).tables if t.rows[0].cells[0].text == "Due")
    return [(row.cells[1].text, row.cells[2].paragraphs[0].text) for row in table.rows[1:]]


def test_each_coordinator_gets_one_packet_with_exactly_the_expected_flags(sample_build) -> None:
    folder, _ = sample_build
    assert sorted(p.name for p in (folder / "coordinator").iterdir()) == sorted(PACKETS.values())
    dataset = load(SAMPLE, load_config(SAMPLE.parent / "plangen.toml"), AS_OF)
    period = range_period(dt.date(2026, 10, 5), dt.date(2026, 11, 20))
    packets = group_packets(dataset, period, compute_flags(dataset, period, AS_OF))
    assert {p.coordinator: [(f.child_id, f.code) for f in p.flags] for p in packets} == EXPECTED
    # A build makes them a coordinator at a time, each child's flags worked out as its packet is made.
    scope = Scope(AS_OF, period, Formatter("en"))
    made = packets_of(dataset, period, lambda child: child_flags(child, scope))
    assert [(p.coordinator, p.children, p.flags) for p in made] == [(p.coordinator, p.children, p.flags) for p in packets]
    for coordinator, expected in EXPECTED.items():
        rows = action_rows(folder / "coordinator" / PACKETS[coordinator])
        assert [child_id for child_id, _ in rows] == [child_id for child_id, _ in expected]
        for (_, title), (_, code) in zip(rows, expected, strict=True):
            wanted = TITLES.get(code, ())
            assert title in (wanted if isinstance(wanted, tuple) else (wanted,)) or code == "copy-withheld", (
                title
            )
    harriet = action_rows(folder / "coordinator" / PACKETS["Harriet Okafor"])
    assert ("C-1002", "Copy withheld: no recorded consent for grandfather") in harriet
    tamsin = action_rows(folder / "coordinator" / PACKETS["Tamsin Boyle"])
    assert ("C-1014", "Copy withheld: consent for aunt was revoked") in tamsin


def test_the_sample_fires_every_kind_of_flag(sample_build) -> None:
    dataset = load(SAMPLE, load_config(SAMPLE.parent / "plangen.toml"), AS_OF)
    period = range_period(dt.date(2026, 10, 5), dt.date(2026, 11, 20))
    assert count_by_code(compute_flags(dataset, period, AS_OF)) == {
        "periodic-review": 2,
        "annual-ifsp": 2,
        "transition-window-opens": 1,
        "transition-window-closes": 2,
        "lea-notification": 1,
        "services-ending": 2,
        "outcome-met-not-marked": 1,
        "change-requested": 1,
        "resources-requested": 1,
        "concern": 1,
        "exit-requested": 1,
        "copy-withheld": 2,
        "missed-visits": 1,
        "no-recent-visit": 1,
        "case-past-15-months": 1,
    }


def test_no_flag_names_a_child(sample_build) -> None:
    dataset = load(SAMPLE, load_config(SAMPLE.parent / "plangen.toml"), AS_OF)
    period = range_period(dt.date(2026, 10, 5), dt.date(2026, 11, 20))
    names = [c.get("child_name") for c in dataset.children.values()]
    for flag in compute_flags(dataset, period, AS_OF):
        for text in (flag.title, flag.detail, flag.rule):
            assert not [n for n in names if n in text], (flag.code, text)


def test_the_build_says_what_it_wrote_without_names(sample_build) -> None:
    _, result = sample_build
    assert (
        "Coordinator packets: 3 (20 flag(s)); progress diaries: 14; plan copies: 1 "
        "(2 withheld: no valid consent).\n"
    ) in result.stdout
    for name in ("Zoë", "grandfather", "aunt", "Little Steps"):
        assert name not in result.output


def test_the_packet_has_a_cover_a_header_a_footer_and_a_section_per_child(sample_build) -> None:
    folder, _ = sample_build
    path = folder / "coordinator" / PACKETS["Tamsin Boyle"]
    document = Document(str(path))
    header = "\n".join(
        p.text for t in document.sections[0].header.tables for c in t._cells for p in c.paragraphs
    )
    assert "Tamsin Boyle · Oct 5, 2026 – Nov 20, 2026" in header
    footer = document.sections[0].footer.paragraphs[0]
    assert footer.text.endswith("\tUpdate packet · page  of ")  # Word and LibreOffice fill in the numbers
    assert [f.get(qn("w:instr")) for f in footer._p.iter(qn("w:fldSimple"))] == [" PAGE ", " NUMPAGES "]
    text = docx_text(path)
    for expected in (
        "Coordinator update packet",
        "For Tamsin Boyle · Oct 5, 2026 – Nov 20, 2026",
        "Families seen\n4\nVisits\n13\nVisits done\n13\nCancelled\n0\nNeeds your action\n6 (1 overdue)\nNo-show\n0",
        "Most urgent first: overdue, then due within 30 days, then follow-ups.",
        "Nov 13, 2026\n7 days overdue\nC-1014\nServices ended without a review",
        "34 CFR 303.209(b): notify the SEA and LEA at least 90 days before the 3rd birthday",
        "Nov 12, 2026 · Visits!40",
    ):
        assert expected in text, expected
    headings = [p for p in document.paragraphs if p.style.name == "Heading 1"]
    assert [p.text for p in headings] == [
        "Coordinator update packet",
        "C-1011 · Theo",
        "C-1012 · Noor",
        "C-1013 · Oskar",
        "C-1014 · Ivy",
    ]
    assert [bool(p.paragraph_format.page_break_before) for p in headings] == [False, True, True, True, True]
    assert len(document.inline_shapes) == 4, "one chart per child"
    assert document.paragraphs[-1].text == "No notes for you this period.", "nothing after the last section"


def test_a_child_section_shows_the_ifsp_review_the_plans_and_the_notes_for_the_coordinator(
    sample_build,
) -> None:
    folder, _ = sample_build
    text = docx_text(folder / "coordinator" / PACKETS["Harriet Okafor"])
    for expected in (
        "C-1004 · Amara",
        "Outcome 2 reported met",
        "Provider reports met (Nov 16): update the IFSP",
        "Provider reports met (Nov 16): update the IFSP\nWorked on: Oct 19, Nov 9, Nov 16",
        "5 visits this period: 4 done, 1 cancelled by family. Last plan used: yes 2, partly 1.",
        "Oct 26, 2026\n1:00\u00a0PM\ncancelled by family\nMaren Holloway\nNo plan: the visit did not happen.",
        "“Amara will use a spoon to feed herself yogurt and oatmeal.”",  # the outcome, in the action list
    ):
        assert expected in text, expected
    miguel = docx_text(folder / "coordinator" / PACKETS["Miguel Serrano-Díaz"])
    assert "Nov 5, 2026 · Concern: Brianna says Kai wakes 4–5 times" in miguel  # the provider's words
    assert "Nov 16, 2026 · Family asked to end services:" in miguel


def test_the_concurrent_planning_stage_is_shown_with_what_it_expects(sample_build) -> None:
    folder, _ = sample_build
    harriet = docx_text(folder / "coordinator" / PACKETS["Harriet Okafor"])
    assert "Concurrent planning: stage 1, Doing For (months 1–4)" in harriet  # Rowan, entered by hand
    assert "Entered by hand; the case-open date gives stage 2." in harriet
    assert "Worker: Plans and gets the resources; role-models phone calls and appointments" in harriet
    miguel = docx_text(folder / "coordinator" / PACKETS["Miguel Serrano-Díaz"])
    assert "Concurrent planning: stage 2, Doing With (months 5–8)" in miguel  # Valentina
    assert "Case opened May 4, 2026: 6 months ago. From the case-open date." in miguel
    assert "Concurrent planning: stage 3, Moving towards Independence (months 9–15)" in miguel  # Luca
    assert "The case is past 15 months: see Needs your action." in miguel
    tamsin = docx_text(folder / "coordinator" / PACKETS["Tamsin Boyle"])
    assert "Concurrent planning" not in tamsin


def test_a_copy_is_made_only_where_the_consent_names_the_recipient(sample_build) -> None:
    folder, _ = sample_build
    copies = sorted(p.name for p in (folder / "shared").iterdir())
    assert copies == ["C-1001_2026-11-17_family-plan-copy-d4ccd5438a.docx"]
    copy = docx_text(folder / "shared" / copies[0])
    assert copy == docx_text(folder / "family" / "C-1001_2026-11-17_family-plan.docx")


def test_every_family_plan_opens_with_the_follow_up_of_the_previous_plan(sample_build) -> None:
    folder, _ = sample_build
    dataset = load(SAMPLE, load_config(SAMPLE.parent / "plangen.toml"), AS_OF)
    checked = 0
    for c in dataset.children.values():
        done = [v for v in c.visits if v.get("visit_status") == "done"]
        for i, v in enumerate(done):
            path = folder / "family" / f"{c.child_id}_{v.get('visit_date').isoformat()}_family-plan.docx"
            first_box = Document(str(path)).tables[0]  # the first block after the title lines
            text = "\n".join(p.text for cell in first_box._cells for p in cell.paragraphs)
            if i == 0:
                assert "This is our first plan together." in text or "primer plan juntos" in text, path.name
                continue
            assert text.startswith(("How did it go?", "¿Cómo le fue?")), path.name
            previous = done[i - 1].get("visit_date")
            assert f"{previous.day}" in text.split("\n")[1], path.name  # "Last plan: <its date>, …"
            worked = v.get("followup_worked")
            assert worked and worked in text, path.name
            checked += 1
    assert checked == 48 - 14


def test_coordinator_filter_writes_only_that_coordinator_s_packet(run, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("build", SAMPLE, "--out", out, "--as-of", AS_OF.isoformat(), "--coordinator", "tamsin boyle")
    assert result.exit_code == 0
    assert [p.name for p in (out / PERIOD / "coordinator").iterdir()] == [PACKETS["Tamsin Boyle"]]
    assert (
        "Coordinator packets: 1 (6 flag(s)); progress diaries: 4; plan copies: 0 (1 withheld: no valid consent)."
        in result.stdout
    )


def test_a_packet_for_a_small_program_with_nothing_to_act_on(run, make_workbook, tmp_path: Path) -> None:
    path = make_workbook(
        children=[child(date_of_birth=dt.date(2025, 6, 1), ifsp_date=dt.date(2026, 9, 1))],
        outcomes=[outcome()],
        visits=[visit()],
    )
    out = tmp_path / "out"
    result = run("build", path, "--out", out, "--as-of", AS_OF.isoformat(), "--week", "2026-W47")
    assert result.exit_code == 0
    packet = out / "2026-W47" / "coordinator" / "dana-whitfield_update-packet.docx"
    text = docx_text(packet)
    assert "Nothing needs your action for these families." in text
    assert "Nothing flagged for this child." in text
    assert "1 visit this period: 1 done." in text
    assert "Coordinator packets: 1 (0 flag(s)); progress diaries: 1; plan copies: 0." in result.stdout


def test_outcome_numbers_read_as_numbers_in_every_review_and_packet(sample_build) -> None:
    """An outcome's number is 1 or 2, never "True": a child's yes/no cell read earlier equals 1
    in Python, and the rows' shared values once handed one for the other."""
    folder, _ = sample_build
    numbers: list[str] = []
    for document in sorted([*(folder / "ifsp-review").iterdir(), *(folder / "coordinator").iterdir()]):
        for table in Document(str(document)).tables:
            if table.rows[0].cells[0].text == "#":
                numbers.extend(row.cells[0].text for row in table.rows[1:])
    assert len(numbers) >= 48 and set(numbers) <= {"1", "2", "3", "4"}, sorted(set(numbers))

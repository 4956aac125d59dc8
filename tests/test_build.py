"""`plangen build` writes a family plan and an IFSP review per done visit, and reports the rest."""

from __future__ import annotations

import datetime as dt
import stat
from pathlib import Path

from docx import Document

from plangen.build import BuildOptions, build
from plangen.config import Config
from plangen.render import Renderer

from conftest import AS_OF, child, docx_text, file_digest, outcome, visit

PERIOD = "2026-11-17_to_2026-11-17"


def build_cli(run, workbook: Path, out: Path, *extra: str):
    return run("build", workbook, "--out", out, "--as-of", AS_OF.isoformat(), *extra)


def test_family_plan_reads_as_typed(run, make_workbook, tmp_path: Path) -> None:
    result = build_cli(run, make_workbook(), tmp_path / "out")
    assert result.exit_code == 0, result.output
    plan = tmp_path / "out" / PERIOD / "family" / "C-1_2026-11-17_family-plan.docx"
    text = docx_text(plan)
    for expected in (
        "Our plan for Zoë",
        "Siobhán O'Connor",
        "Tuesday, November 17, 2026",
        "10:30\u00a0AM",
        "Bath & bedtime",
        "Zoë will ask for more food with a word or sign.",
        "Offer a choice of two foods",
        "Hold up two foods",
        "Wait < 5 seconds",
        "Name the one she picks",
        "She learns her words get her what she wants",
        'Say just the first sound: "mmm"',
        "I'll hold up two & wait.",
        "Tuesday, November 24, 2026",
        "Try it at snack time",
        "This is our first plan together.",
        "Early Intervention Program",
    ):
        assert expected in text, expected
    assert "{{" not in text and "{%" not in text
    assert "homework" not in text.lower()


def test_ifsp_review_is_written_for_the_coordinator(run, make_workbook, tmp_path: Path) -> None:
    path = make_workbook(
        visits=[visit(sc_resources_requested="Library story time & WIC", sc_outcome_met="1")]
    )
    assert build_cli(run, path, tmp_path / "out").exit_code == 0
    review = tmp_path / "out" / PERIOD / "ifsp-review" / "C-1_2026-11-17_ifsp-review.docx"
    text = docx_text(review)
    for expected in (
        "C-1",
        "Dana Whitfield",
        "Zoë will ask for more food with a word or sign.",
        "in progress",
        "Library story time & WIC",
        "Outcome 1 reported met",
        "Update the IFSP.",
    ):
        assert expected in text, expected


def test_cancelled_visit_is_skipped_not_an_error(run, make_workbook, tmp_path: Path) -> None:
    path = make_workbook(
        visits=[
            visit(),
            visit(
                visit_date=dt.date(2026, 11, 10),
                visit_status="cancelled by family",
                strategy_1=None,
                strategy_1_steps=None,
                routine=None,
            ),
        ]
    )
    result = build_cli(run, path, tmp_path / "out")
    assert result.exit_code == 0
    assert (
        "  skipped: Visits!3 child C-1 2026-11-10: visit cancelled by family: no plan to write"
        in result.output
    )
    assert result.output.endswith(
        "2026-11-10 to 2026-11-17: 2 visit(s); 1 rendered, 1 skipped, 0 with errors, 0 failed; "
        f"2 document(s) in {tmp_path / 'out' / '2026-11-10_to_2026-11-17'}.\n"
    )


def broken_program(make_workbook) -> Path:
    return make_workbook(
        children=[child(), child(child_id="C-2", child_name="D'Andre", caregiver_names="Keisha")],
        outcomes=[outcome(), outcome(child_id="C-2")],
        visits=[
            visit(),
            visit(child_id="C-2", visit_date=dt.date(2026, 11, 18), visit_time="half past ten"),
            visit(child_id="C-7", visit_date=dt.date(2026, 11, 19)),
        ],
    )


def test_a_broken_row_names_its_cell_and_the_other_families_still_get_documents(run, make_workbook, tmp_path):
    path = broken_program(make_workbook)
    before = file_digest(path)
    result = build_cli(run, path, tmp_path / "out")
    assert result.exit_code == 1
    assert (
        "  error: Visits!C3: Visit time is not a time plangen can read. Type it as 10:30 AM or 10:30."
        in result.stderr
    )
    assert "  invalid: Visits!3 child C-2 2026-11-18: 1 error(s) in Visits!C3" in result.stderr
    assert "  invalid: Visits!4 child C-7 2026-11-19: 1 error(s) in Visits!A4" in result.stderr
    written = sorted(p.name for p in (tmp_path / "out").rglob("*.docx"))
    assert written == [
        "C-1_2026-11-17_family-plan.docx",
        "C-1_2026-11-17_ifsp-review.docx",
        "C-1_progress-diary.docx",
        "dana-whitfield_update-packet.docx",
    ]
    assert file_digest(path) == before, "the input workbook must never change"


def test_strict_writes_nothing_when_any_row_has_an_error(run, make_workbook, tmp_path: Path) -> None:
    result = build_cli(run, broken_program(make_workbook), tmp_path / "out", "--strict")
    assert result.exit_code == 1
    assert "--strict: 2 error(s) found; no documents were written." in result.stderr
    assert not list((tmp_path / "out").rglob("*.docx"))


def test_week_selects_the_period_and_names_the_folder(run, make_workbook, tmp_path: Path) -> None:
    path = make_workbook(
        visits=[visit(), visit(visit_date=dt.date(2026, 11, 10), next_visit_date=dt.date(2026, 11, 17))]
    )
    result = build_cli(run, path, tmp_path / "out", "--week", "2026-W47")
    assert result.exit_code == 0
    assert sorted(p.relative_to(tmp_path / "out").as_posix() for p in (tmp_path / "out").rglob("*.docx")) == [
        "2026-W47/coordinator/dana-whitfield_update-packet.docx",
        "2026-W47/diary/C-1_progress-diary.docx",
        "2026-W47/family/C-1_2026-11-17_family-plan.docx",
        "2026-W47/ifsp-review/C-1_2026-11-17_ifsp-review.docx",
    ]
    assert "week 2026-W47 (2026-11-16 to 2026-11-22): 1 visit(s)" in result.output


def test_from_to_and_bad_period_options(run, make_workbook, tmp_path: Path) -> None:
    path = make_workbook()
    assert build_cli(run, path, tmp_path / "o", "--from", "2026-11-01", "--to", "2026-11-30").exit_code == 0
    assert (tmp_path / "o" / "2026-11-01_to_2026-11-30" / "family").is_dir()
    bad = build_cli(run, path, tmp_path / "o", "--week", "2026-W60")
    assert bad.exit_code == 2
    assert "Error: '2026-W60': 2026 has no week 60." in bad.stderr
    both = build_cli(
        run, path, tmp_path / "o", "--week", "2026-W47", "--from", "2026-11-01", "--to", "2026-11-02"
    )
    assert both.exit_code == 2 and "Give either --week or --from/--to, not both." in both.stderr


def test_second_visit_follows_up_the_first(run, make_workbook, tmp_path: Path) -> None:
    path = make_workbook(
        visits=[
            visit(
                visit_date=dt.date(2026, 11, 10), next_visit_date=dt.date(2026, 11, 17), routine="Mealtime"
            ),
            visit(
                followup_used="partly",
                followup_worked="She reached for the banana",
                followup_hard="Busy mornings",
                followup_still_priority="yes",
            ),
        ]
    )
    assert build_cli(run, path, tmp_path / "out").exit_code == 0
    text = docx_text(next((tmp_path / "out").rglob("C-1_2026-11-17_family-plan.docx")))
    assert "This is our first plan together." not in text
    for expected in (
        "Tuesday, November 10, 2026",
        "Mealtime",
        "You used the plan some of the time.",
        "She reached for the banana",
        "Busy mornings",
    ):
        assert expected in text, expected


def test_files_are_named_by_id_and_date_and_readable_by_the_owner_only(
    run, make_workbook, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    build_cli(
        run,
        make_workbook(
            children=[child(child_id="../../etc/Zoë CON")],
            outcomes=[outcome(child_id="../../etc/Zoë CON")],
            visits=[visit(child_id="../../etc/Zoë CON")],
        ),
        out,
    )
    files = list(out.rglob("*.docx"))
    # The id's safe letters, and a fingerprint of the id as typed (write.safe_component).
    assert sorted(f.name for f in files) == [
        "dana-whitfield_update-packet.docx",
        "etc-Zo-CON-7575b1e4_2026-11-17_family-plan.docx",
        "etc-Zo-CON-7575b1e4_2026-11-17_ifsp-review.docx",
        "etc-Zo-CON-7575b1e4_progress-diary.docx",
    ]
    for f in files:
        assert f.resolve().is_relative_to(out.resolve())
        assert stat.S_IMODE(f.stat().st_mode) == 0o600
    for folder in [out / PERIOD, out / PERIOD / "family"]:
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert not list(out.rglob(".plangen-*")), "no temporary files left behind"


def test_a_template_that_names_a_missing_field_fails_loudly_never_blank(
    run, make_workbook, tmp_path: Path
) -> None:
    own = tmp_path / "own"
    own.mkdir()
    doc = Document()
    doc.add_paragraph("Hello {{ child_nickname }}")
    doc.save(str(own / "family-plan.docx"))
    result = build_cli(run, make_workbook(), tmp_path / "out", "--templates", own)
    # The template check runs first (issue 5): exit 4, nothing written.
    assert result.exit_code == 4
    assert "unknown variable 'child_nickname'. Did you mean 'child_name'?" in result.stderr
    assert "Error: template errors; nothing was written." in result.stderr
    assert "Note: ifsp-review.docx not found in" in result.output
    assert not (tmp_path / "out").exists()


def test_each_template_is_compiled_once_per_run(make_workbook, tmp_path: Path) -> None:
    days = [dt.date(2026, 11, d) for d in (3, 10, 17)]
    path = make_workbook(visits=[visit(visit_date=d, next_visit_date=d + dt.timedelta(days=7)) for d in days])
    compiled: list[int] = []
    original = Renderer.render_document

    def counting(self: Renderer, name, context, language="en", **kwargs):
        data = original(self, name, context, language, **kwargs)
        if name in ("family-plan", "ifsp-review"):  # the diary and the packet come once, at the end
            compiled.append(sum(len(env._compiled) for env in self._environments.values()))
        return data

    Renderer.render_document = counting  # type: ignore[method-assign]
    try:
        result = build(path, Config(), BuildOptions(out=tmp_path / "out", as_of=AS_OF))
    finally:
        Renderer.render_document = original  # type: ignore[method-assign]
    assert len(result.files) == 6
    assert compiled[1] == compiled[-1], "later rows compiled nothing new"


def test_caregiver_words_typed_in_quotes_are_not_quoted_twice(run, make_workbook, tmp_path: Path) -> None:
    path = make_workbook(visits=[visit(caregiver_words='"I\'ll wait for her to reach."')])
    assert build_cli(run, path, tmp_path / "out").exit_code == 0
    text = docx_text(next((tmp_path / "out").rglob("*_family-plan.docx")))
    assert "“I'll wait for her to reach.”" in text
    assert '"I\'ll' not in text

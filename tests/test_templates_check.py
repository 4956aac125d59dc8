"""`plangen templates check` finds a template's mistakes and shows where, in the template's own text."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from docxkit import docx_bytes, make_docx
from plangen.assemble import CONTEXT_VARIABLES, Variable, family_plan_context, ifsp_review_context
from plangen.build import load
from plangen.config import Branding, Config
from plangen.diary import diary_context
from plangen.render import TEMPLATE_FILES
from plangen.templatecheck import check_template, check_templates

from conftest import AS_OF, child, outcome, visit


def problems_of(*paragraphs: Any, table: Any = (), name: str = "family-plan") -> list[tuple[str, str, str]]:
    found = check_template(name, f"{name}.docx", docx_bytes(*paragraphs, table=table))
    return [(p.severity.value, p.code, p.message) for p in found]


def describe(*paragraphs: Any, table: Any = ()) -> str:
    found = check_template("family-plan", "family-plan.docx", docx_bytes(*paragraphs, table=table))
    return "\n".join(p.describe() for p in found)


def test_the_default_templates_have_no_problems() -> None:
    report = check_templates()
    assert [p.describe() for p in report.problems] == []
    assert [p.name for p in report.checked] == list(TEMPLATE_FILES.values())


def test_a_typo_in_a_variable_is_caught_with_a_suggestion_and_its_paragraph() -> None:
    assert describe("Our plan", "Hello {{ child_nmae }}, welcome", "Next paragraph") == (
        "error: family-plan.docx (body): unknown variable 'child_nmae'. Did you mean 'child_name'?\n"
        "      Our plan\n"
        "    > Hello {{ child_nmae }}, welcome\n"
        "      Next paragraph\n"
        "    A workbook column that is not a plangen field is {{ extra.column_name }}. "
        "docs/templates.md lists every variable of each template."
    )


def test_members_of_objects_loop_items_and_lists_are_checked() -> None:
    found = problems_of(
        "{{ followup.usd }} {{ program.nme }} {{ strategies.title }}",
        "{% for s in strategies %}{{ s.titel }}{% for step in s.steps %}{{ step|upper }}{% endfor %}{% endfor %}",
    )
    assert found == [
        ("error", "unknown-variable", "'followup' has no 'usd'. Did you mean 'used'?"),
        ("error", "unknown-variable", "'program' has no 'nme'. Did you mean 'name'?"),
        ("error", "unknown-variable", "'strategies' is a list, so it has no 'title'."),
        ("error", "unknown-variable", "'s' has no 'titel'. Did you mean 'title'?"),
    ]


def test_names_the_template_can_use_pass() -> None:
    assert (
        problems_of(
            "{{ program.name }} {{ logo }} {{ extra.favourite_song }} {{ _('Our plan for') }}",
            "{% for s in strategies %}{{ loop.index }} {{ s.title|upper }}{% endfor %}",
            "{% set first = strategies[0] %}{{ first.title }} {% if nickname is defined %}yes{% endif %}",
            "{% if extra.song is defined %}{{ extra.song }}{% endif %}",
            "{% if previous %}{{ previous.strategies|join('; ') }}{% endif %}",
        )
        == []
    )


def test_the_review_has_its_own_variables() -> None:
    assert problems_of("{{ coordinator_name }} {% for o in outcomes %}{{ o.status }}{% endfor %}") == [
        ("error", "unknown-variable", "unknown variable 'coordinator_name'."),
        ("error", "unknown-variable", "unknown variable 'outcomes'. Did you mean 'outcomes_served'?"),
    ]
    assert problems_of("{{ coordinator_name }}", name="ifsp-review") == []


def test_a_broken_tag_is_shown_in_its_paragraph() -> None:
    assert describe("Our plan", "Hello {{ child_name } and welcome", "{{ routine }}") == (
        "error: family-plan.docx (body): '{{ child_name } and welcome' is not closed with '}}' in this "
        "paragraph.\n"
        "    > Hello {{ child_name } and welcome\n"
        "    Add the missing '}}'. A tag must open and close in the same paragraph."
    )
    assert problems_of("Hello { child_name }}") == [
        ("error", "broken-tag", "'}}' closes a tag that was never opened.")
    ]


def test_a_syntax_error_shows_the_template_text_around_it_not_xml() -> None:
    text = describe("First", "Second", "{{ child_name | }}", "Fourth")
    assert text == (
        "error: family-plan.docx (body): Jinja syntax error: expected token 'name', got 'end of print statement'\n"
        "      First\n"
        "      Second\n"
        "    > {{ child_name | }}\n"
        "      Fourth\n"
        "    Fix the tag in Word: each {{ … }} and {% … %} must be whole and closed, and each {% if %} or "
        "{% for %} needs its {% endif %} or {% endfor %}."
    )
    assert "<w:" not in text


def test_an_if_never_closed_points_at_the_if() -> None:
    text = describe("Intro", "{% if routine %}Routine: {{ routine }}", "More", "The end")
    assert text.splitlines()[:4] == [
        "error: family-plan.docx (body): Jinja syntax error: this {% if %} is never closed.",
        "      Intro",
        "    > {% if routine %}Routine: {{ routine }}",
        "      More",
    ]
    assert "Add {% endif %}" in text


def test_a_tag_word_split_across_runs_is_reported_with_its_paragraph() -> None:
    found = check_template(
        "family-plan", "family-plan.docx", docx_bytes(["Hi {{ child_na", "me }}, welcome"])
    )
    assert [p.describe() for p in found] == [
        "warning: family-plan.docx (body): Word split the tag '{{ child_name }}' into 2 pieces of text "
        "('{{ child_na' + 'me }}').\n"
        "    > Hi {{ child_name }}, welcome\n"
        "    plangen joins the pieces, but their formatting is lost. Select the whole tag, delete it and "
        "type it again in one go (or paste it as plain text)."
    ]


def test_a_row_loop_outside_a_table_is_an_error() -> None:
    assert problems_of("{%tr for s in strategies %}", "{{ s.title }}", "{%tr endfor %}") == [
        ("error", "row-loop", "'{%tr for s in strategies %}' is not in a table row."),
        ("error", "row-loop", "'{%tr endfor %}' is not in a table row."),
    ]


def test_a_for_loop_spanning_table_cells_without_tr_is_an_error() -> None:
    text = describe(table=[["{% for s in strategies %}{{ s.title }}", "{{ s.who }}{% endfor %}"]])
    assert text == (
        "error: family-plan.docx (body): '{% for s in strategies %}' starts in one table cell (or outside "
        "the table) and '{% endfor %}' is in another.\n"
        "    > {% for s in strategies %}{{ s.title }}\n"
        "    > {{ s.who }}{% endfor %}\n"
        "    To repeat whole table rows, use {%tr for … %} and {%tr endfor %}, each alone in a row of its own; "
        "otherwise keep both tags in the same cell."
    )


def test_a_row_loop_used_right_passes_and_one_closed_in_a_cell_does_not() -> None:
    good = [["{%tr for s in strategies %}", ""], ["{{ s.title }}", "{{ s.who }}"], ["{%tr endfor %}", ""]]
    assert problems_of(table=good) == []
    mixed = [["{%tr for s in strategies %}", ""], ["{{ s.title }}", "{{ s.who }}{% endfor %}"]]
    assert problems_of(table=mixed)[0][:2] == ("error", "row-loop")


def test_a_row_tag_sharing_its_row_with_text_warns_that_the_text_is_dropped() -> None:
    table = [["{%tr for s in strategies %}", "Steps"], ["{{ s.title }}", ""], ["{%tr endfor %}", ""]]
    assert problems_of(table=table) == [
        (
            "warning",
            "tag-not-alone",
            "'{%tr for s in strategies %}' shares its table row with other text, which is dropped: “Steps”.",
        )
    ]


def test_reaching_into_python_is_refused_by_the_check() -> None:
    assert problems_of("{{ ''.__class__.__mro__ }}", "{{ child_name|attr('__class__') }}") == [
        (
            "error",
            "unsafe",
            "''.__class__ is not allowed: templates run in a sandbox and cannot reach Python internals "
            "(names starting with _).",
        ),
        ("error", "unsafe", "attr('__class__') is not allowed: templates run in a sandbox."),
    ]


def test_an_unknown_filter_and_an_include_are_errors() -> None:
    assert problems_of("{{ child_name|shout }}")[0][2] == "Jinja syntax error: No filter named 'shout'."
    assert problems_of("{% include 'other.docx' %}") == [
        ("error", "include", "a template cannot include, import or extend another template.")
    ]


def test_a_sentence_a_shipped_language_does_not_translate_is_a_warning() -> None:
    assert problems_of("{{ _('We wrote this plan as a team.') }} {{ _('Our plan for') }}") == [
        (
            "warning",
            "untranslated",
            "1 sentence(s) have no Spanish translation, so Spanish-speaking families see them in English: "
            "“We wrote this plan as a team.”",
        )
    ]
    assert problems_of("{{ _('Only for the coordinator') }}", name="ifsp-review") == []


def test_a_file_that_is_not_a_word_document(tmp_path: Path) -> None:
    (tmp_path / "family-plan.docx").write_text("not a zip")
    report = check_templates(tmp_path)
    assert [p.describe() for p in report.errors] == [
        "error: family-plan.docx: is not a Word document (.docx) plangen can read.\n"
        "    Save it from Word as a Word Document (.docx)."
    ]


def test_cli_check_exits_1_on_errors_and_shows_where(run, tmp_path: Path) -> None:
    make_docx(tmp_path / "family-plan.docx", "Our plan for {{ child_nmae }}", "Hello {{ routine }")
    make_docx(tmp_path / "notes.docx", "x")
    result = run("templates", "check", tmp_path)
    assert result.exit_code == 1
    others = [name for name in TEMPLATE_FILES.values() if name != "family-plan.docx"]
    assert result.output.splitlines() == [
        *(f"Note: {name} is not in {tmp_path}; the build uses the default template." for name in others),
        f"Note: notes.docx is not a plangen template name ({', '.join(sorted(TEMPLATE_FILES.values()))}); "
        "it is not used.",
        "error: family-plan.docx (body): '{{ routine }' is not closed with '}}' in this paragraph.",
        "    > Hello {{ routine }",
        "    Add the missing '}}'. A tag must open and close in the same paragraph.",
        "family-plan.docx: 1 error(s), 0 warning(s).",
    ]
    make_docx(tmp_path / "family-plan.docx", "Our plan for {{ child_nmae }}")
    result = run("templates", "check", tmp_path)
    assert result.exit_code == 1
    assert "error: family-plan.docx (body): unknown variable 'child_nmae'. Did you mean 'child_name'?" in (
        result.output
    )
    assert "    > Our plan for {{ child_nmae }}" in result.output


def test_cli_check_of_the_defaults_passes(run) -> None:
    result = run("templates", "check")
    assert result.exit_code == 0
    assert result.output == f"{', '.join(TEMPLATE_FILES.values())}: 0 error(s), 0 warning(s).\n"


def test_build_stops_with_exit_4_before_writing_anything(run, make_workbook, tmp_path: Path) -> None:
    own = tmp_path / "own"
    make_docx(own / "family-plan.docx", "Our plan for {{ child_name }", "{{ routin }}")
    out = tmp_path / "out"
    result = run("build", make_workbook(), "--out", out, "--templates", own, "--as-of", AS_OF.isoformat())
    assert result.exit_code == 4
    assert result.stderr.splitlines() == [
        "error: family-plan.docx (body): '{{ child_name }' is not closed with '}}' in this paragraph.",
        "    > Our plan for {{ child_name }",
        "    Add the missing '}}'. A tag must open and close in the same paragraph.",
        "Error: template errors; nothing was written. Fix them in Word and run again.",
    ]
    assert f"Note: ifsp-review.docx not found in {own}; using the default template." in result.stdout
    assert not out.exists()


def test_build_with_a_file_that_is_not_a_word_document_is_a_template_error(
    run, make_workbook, tmp_path: Path
) -> None:
    own = tmp_path / "own"
    own.mkdir()
    (own / "family-plan.docx").write_text("saved as plain text by mistake")
    result = run("build", make_workbook(), "--out", tmp_path / "out", "--templates", own)
    assert result.exit_code == 4
    assert result.stderr.splitlines()[:2] == [
        "error: family-plan.docx: is not a Word document (.docx) plangen can read.",
        "    Save it from Word as a Word Document (.docx).",
    ]
    assert not (tmp_path / "out").exists()


def test_build_reports_template_warnings_as_notes_and_goes_on(run, make_workbook, tmp_path: Path) -> None:
    own = tmp_path / "own"
    make_docx(own / "family-plan.docx", ["Our plan for {{ child_", "name }}"])
    result = run("build", make_workbook(), "--out", tmp_path / "out", "--templates", own)
    assert result.exit_code == 0, result.output
    assert (
        "Note: template warning: family-plan.docx (body): Word split the tag '{{ child_name }}' into 2 pieces "
        "of text ('{{ child_' + 'name }}')."
    ) in result.stdout
    assert list((tmp_path / "out").rglob("*family-plan.docx"))


# --- the registry the check and the docs read is what the contexts really hold --------------------


def _shape(variables: tuple[Variable, ...]) -> dict[str, Any]:
    return {v.name: _shape(v.members) if v.members else None for v in variables}


def _context_shape(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _context_shape(v) for k, v in value.items()}
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return _context_shape(value[0])
    return None


@pytest.mark.parametrize("name", ["family-plan", "ifsp-review"])
def test_the_registry_lists_exactly_what_each_context_provides(make_workbook, name: str) -> None:
    path = make_workbook(
        outcomes=[outcome()],
        visits=[
            visit(visit_date=dt.date(2026, 11, 10), next_visit_date=dt.date(2026, 11, 17)),
            visit(followup_used="partly", sc_concern="Sleep", strategy_2="Sing", strategy_2_plan_b="Hum"),
        ],
        children=[child()],
    )
    dataset = load(path, Config(), AS_OF)
    c = dataset.children["C-1"]
    make = family_plan_context if name == "family-plan" else ifsp_review_context
    context = make(dataset, c, c.visits[-1], Branding())
    context["logo"] = "added by the renderer"
    registry = _shape(CONTEXT_VARIABLES[name])
    shape = _context_shape(context)
    # extra is a mapping: any key; previous is an object (or None on a first visit).
    shape["extra"] = registry["extra"] = None
    assert shape == registry


def test_the_registry_lists_exactly_what_the_diary_provides(make_workbook) -> None:
    path = make_workbook(
        visits=[
            visit(visit_date=dt.date(2026, 11, 10), next_visit_date=dt.date(2026, 11, 17)),
            visit(followup_used="partly", followup_worked="Liked it"),
        ],
    )
    dataset = load(path, Config(), AS_OF)
    context = diary_context(dataset, dataset.children["C-1"], AS_OF, Branding())
    context["logo"] = "added by the renderer"
    assert _context_shape(context) == _shape(CONTEXT_VARIABLES["diary"])


def test_every_template_has_a_registry_entry() -> None:
    assert set(TEMPLATE_FILES) <= set(CONTEXT_VARIABLES)

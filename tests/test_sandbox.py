"""Templates are code and run in a sandbox; values are data and are never evaluated."""

from __future__ import annotations

from pathlib import Path

import pytest
from jinja2.exceptions import UndefinedError
from jinja2.sandbox import SecurityError

from docxkit import make_docx
from plangen.config import Branding
from plangen.render import Renderer

from conftest import AS_OF, docx_text, visit

PERIOD = "2026-11-17_to_2026-11-17"


def test_a_template_reaching_into_python_fails_with_a_security_error(tmp_path: Path) -> None:
    make_docx(tmp_path / "family-plan.docx", "{{ ''.__class__.__mro__ }}")
    renderer = Renderer(Branding(), tmp_path)
    with pytest.raises(SecurityError, match="access to attribute '__class__' of 'str' object is unsafe"):
        renderer.render_document("family-plan", {"child_name": "Zoë"})


def test_a_dict_key_is_found_as_jinja_finds_it_and_its_methods_stay_methods(tmp_path: Path) -> None:
    """Keys come first only where the dict has no such attribute, as in Jinja's own sandbox."""
    values = {"visit": {"routine": "Bath", "items": "x", "__len__": "y"}}
    make_docx(
        tmp_path / "family-plan.docx",
        "[{{ visit.routine }}] [{{ visit['routine'] }}] [{{ visit.items is callable }}]",
    )
    document = tmp_path / "out.docx"
    document.write_bytes(Renderer(Branding(), tmp_path).render_document("family-plan", values)[0])
    assert "[Bath] [Bath] [True]" in docx_text(document)
    make_docx(tmp_path / "family-plan.docx", "{{ visit.__len__ }}")
    with pytest.raises(SecurityError, match="access to attribute '__len__' of 'dict' object is unsafe"):
        Renderer(Branding(), tmp_path).render_document("family-plan", values)
    make_docx(tmp_path / "family-plan.docx", "{{ visit.routin }}")
    with pytest.raises(UndefinedError, match="no value named 'routin' here"):
        Renderer(Branding(), tmp_path).render_document("family-plan", values)


def test_the_build_refuses_such_a_template_before_writing(run, make_workbook, tmp_path: Path) -> None:
    make_docx(tmp_path / "own" / "family-plan.docx", "{{ ''.__class__.__mro__ }}")
    result = run("build", make_workbook(), "--out", tmp_path / "out", "--templates", tmp_path / "own")
    assert result.exit_code == 4
    assert result.stderr.splitlines()[0] == (
        "error: family-plan.docx (body): ''.__class__ is not allowed: templates run in a sandbox and cannot "
        "reach Python internals (names starting with _)."
    )
    assert not (tmp_path / "out").exists()


def test_a_disguised_attempt_is_a_template_error_on_its_row(run, make_workbook, tmp_path: Path) -> None:
    """What the check cannot see statically, the sandbox stops at render time: that row fails, reported."""
    make_docx(
        tmp_path / "own" / "family-plan.docx",
        '{% set name = "__cla" ~ "ss__" %}{{ child_name|attr(name) }}',
    )
    result = run("build", make_workbook(), "--out", tmp_path / "out", "--templates", tmp_path / "own")
    assert result.exit_code == 1
    assert (
        "  failed: Visits!2 child C-1 2026-11-17: template family-plan: access to attribute '__class__' of "
        "'str' object is unsafe."
    ) in result.stderr
    assert not list((tmp_path / "out").rglob("*family-plan.docx"))


def test_a_value_that_looks_like_a_template_prints_literally(run, make_workbook, tmp_path: Path) -> None:
    workbook = make_workbook(
        visits=[visit(routine="{{ 7*7 }}", caregiver_words="{% for x in range(3) %}x{% endfor %} <b>&</b>")]
    )
    result = run("build", workbook, "--out", tmp_path / "out", "--as-of", AS_OF.isoformat())
    assert result.exit_code == 0, result.output
    text = docx_text(tmp_path / "out" / PERIOD / "family" / "C-1_2026-11-17_family-plan.docx")
    assert "Routine: {{ 7*7 }}" in text
    assert "49" not in text
    assert "“{% for x in range(3) %}x{% endfor %} <b>&</b>”" in text

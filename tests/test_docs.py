"""docs/templates.md is generated from the field catalog and the variable registry, and stays in sync."""

from __future__ import annotations

import dataclasses

from plangen.assemble import CONTEXT_VARIABLES
from plangen.config import Branding
from plangen.docs import DOCS_PATH, TEMPLATE_PURPOSE, render_docs
from plangen.render import TEMPLATE_FILES


def test_the_committed_guide_is_what_the_code_generates() -> None:
    """Run `python -m plangen.docs` when this fails."""
    assert DOCS_PATH.read_text(encoding="utf-8") == render_docs()


def test_the_guide_lists_every_template_variable_and_setting() -> None:
    text = render_docs()
    for name, filename in TEMPLATE_FILES.items():
        assert name in TEMPLATE_PURPOSE, f"add {name} to plangen.docs.TEMPLATE_PURPOSE"
        assert f"- `{filename}`: {TEMPLATE_PURPOSE[name]}" in text
    for variables in CONTEXT_VARIABLES.values():
        for variable in variables:
            assert f"| `{variable.name}` |" in text, variable.name
            for member in variable.members:
                assert f"| `{member.name}` |" in text, f"{variable.name}.{member.name}"
    for setting in dataclasses.fields(Branding):
        assert f"| `{setting.name}` |" in text, setting.name


def test_the_guide_has_the_worked_example_and_the_commands() -> None:
    text = render_docs()
    for expected in (
        "## Worked example: a new column in the handout",
        "{{ extra.favourite_song }}",
        "plangen templates export",
        "plangen templates check",
        "plangen templates messages",
        "exits with code 4",
        "To add a language:",
    ):
        assert expected in text, expected

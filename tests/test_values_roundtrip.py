"""Values come out exactly as typed: whatever a cell holds, the family plan shows the cleaned text.

The property test renders through the real renderer (the family plan's prepared template, the
fast package renderer, docxtpl's listing of line breaks and tabs) with one context built once
from the sample workbook, changing only the caregiver's words, then reads the document's text
back with python-docx. "Cleaned" is defined here independently of plangen: the characters XML 1.0
allows, line ends as \\n, no surrounding space.
"""

from __future__ import annotations

import io
import os
from typing import Any

import pytest
from docx import Document
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from plangen.assemble import family_plan_context
from plangen.build import load
from plangen.config import Config
from plangen.render import Renderer
from plangen.values import parse_text

from conftest import AS_OF, SAMPLE, docx_text, visit

# CI runs the full 2,000 examples; a developer can ask for fewer (PLANGEN_HYPOTHESIS_EXAMPLES=200).
EXAMPLES = int(os.environ.get("PLANGEN_HYPOTHESIS_EXAMPLES", "2000"))

SPECIAL = [
    *map(chr, range(0x00, 0x20)),  # every C0 control: tab, line feed and carriage return stay
    "\x7f", "\x85", "\u00a0", "\u2028", "\u2029", "\ufeff", "\ufffe", "\uffff",
    "\ud800", "\udfff",  # lone surrogates
    "&", "<", ">", '"', "'", "{", "}", "%", "#", "_", "\\", "/",
    "😀", "👩‍👧", "🏳️‍🌈", "\U0001f9d1\U0001f3fd",  # emoji, with joiners and skin tone
    "שלום", "مرحبا", "\u202e", "\u200f", "\u200d",  # right-to-left text and marks
    "é", "e\u0301", "ß", "İ", "日本語", "𝔘",
    "{{ 7*7 }}", "{% for x in y %}", "{#", "{_{", "}_}", "{_%", "%_}", "{%p", "{{r",
]  # fmt: skip
# Any code point (lone surrogates included) or one of the pieces above, up to 80 of them.
PIECE = st.one_of(st.characters(exclude_categories=[]), st.sampled_from(SPECIAL))
TEXT = st.lists(PIECE, max_size=80).map("".join)


def xml_char(ch: str) -> bool:
    """XML 1.0's Char production: what a Word document can hold."""
    code = ord(ch)
    return (
        code in (0x9, 0xA, 0xD)
        or 0x20 <= code <= 0xD7FF
        or 0xE000 <= code <= 0xFFFD
        or 0x10000 <= code <= 0x10FFFF
    )


def cleaned(raw: str) -> str:
    kept = "".join(ch for ch in raw if xml_char(ch))
    return kept.replace("\r\n", "\n").replace("\r", "\n").strip()


@pytest.fixture(scope="module")
def family_plan() -> tuple[Renderer, dict[str, Any]]:
    """The renderer and one done visit's family-plan context from the sample, built once."""
    config = Config.default()
    dataset = load(SAMPLE, config, AS_OF)
    done = next(v for v in dataset.visits if v.get("visit_status") == "done")
    child = dataset.child_of(done)
    assert child is not None
    return Renderer(config.branding), family_plan_context(dataset, child, done, config.branding)


def plan_text(renderer: Renderer, context: dict[str, Any]) -> str:
    """The text of the body's paragraphs and of every table cell (the caregiver's words are in one)."""
    document = Document(io.BytesIO(renderer.render_document("family-plan", context)[0]))
    parts = [p.text for p in document.paragraphs]
    tables = list(document.tables)
    while tables:
        table = tables.pop()
        for cell in {id(c): c for row in table.rows for c in row.cells}.values():
            parts.extend(p.text for p in cell.paragraphs)
            tables.extend(cell.tables)
    return "\n".join(parts)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(raw=TEXT)
@example(raw="{{ 7*7 }} {% if true %}yes{% endif %} {# note #}")
@example(raw="Tom & Jerry <b>bold</b> \"quoted\" 'single'\r\nline two\tafter a tab")
@example(raw="a\x00b\x07c\x0cd\x1be\ufffef\uffff\ud800g")
@example(raw="  {_{ stays }_} and {_% too %_}  ")
@example(raw="שלום עולם 😀 مرحبا \u202eevil\u202c")
def test_any_text_comes_out_as_typed_without_what_word_cannot_hold(
    family_plan: tuple[Renderer, dict[str, Any]], raw: str
) -> None:
    renderer, base = family_plan
    text = parse_text(raw)
    assert text == cleaned(raw)
    if not text:
        return
    shown = plan_text(renderer, {**base, "caregiver_words": text})
    assert f"\u201c{text}\u201d" in shown, (raw, text)


def test_very_long_text_and_markup_come_out_whole(run, make_workbook, tmp_path) -> None:
    """Through a real workbook: 32,767 characters (Excel's most), markup, quotes, emoji, RTL, a tag."""
    long_text = ("Wait for her to reach. " * 1500)[:32_767].strip()
    typed = {
        "routine": 'Bath & bedtime <with "bubbles">',
        "strategy_1": "{{ 7*7 }} and {% raw %}",
        "strategy_1_plan_b": "Say it again\nthen wait\tfive seconds 😀",
        "strategy_1_why": "שלום — مرحبا — she learns her words count",
        "caregiver_words": long_text,
    }
    out = tmp_path / "out"
    result = run("build", make_workbook(visits=[visit(**typed)]), "--out", out, "--as-of", AS_OF.isoformat())
    assert result.exit_code == 0, result.output
    text = docx_text(next(out.rglob("*_family-plan.docx")))
    for value in typed.values():
        assert value in text, value[:40]
    steps = docx_text(next(out.rglob("*_family-plan.docx"))).split("Steps", 1)[1]
    assert "1.\tHold up two foods\n2.\tWait < 5 seconds\n3.\tName the one she picks" in steps
    assert "49" not in text

"""The family handout's fixed English text reads at or below US grade 6, and never says "homework"."""

from __future__ import annotations

import pytest
import textstat
from textstat.backend.counts import _count_syllables

from plangen.messages import extract_messages, template_messages
from plangen.render import default_templates_dir

MAX_GRADE = 6.0


def as_sentences(messages: list[str]) -> str:
    """Each message a sentence: a heading or label ("Routine:") ends with a full stop."""
    return " ".join(m if m.rstrip()[-1:] in ".?!" else m.rstrip().rstrip(":") + "." for m in messages)


@pytest.fixture
def grade(monkeypatch: pytest.MonkeyPatch):
    """Flesch-Kincaid grade, counting syllables with Pyphen's bundled dictionary.

    textstat would download NLTK's CMU dictionary for English; offline (and in CI) the
    hyphenation dictionary that ships with Pyphen gives the same answer every time.
    """
    monkeypatch.setattr(_count_syllables, "get_cmudict", lambda lang: None)
    return lambda text: textstat.flesch_kincaid_grade(text)


def family_plan_text() -> list[str]:
    """The handout's fixed text: the template's _() messages and the sentences plangen adds to it."""
    template = template_messages((default_templates_dir() / "family-plan.docx").read_bytes())
    added = [m.id for m in extract_messages() if "plangen/assemble.py" in m.locations]
    return list(dict.fromkeys([*template, *added]))


def test_the_family_handout_reads_at_grade_6_or_below(grade) -> None:
    messages = family_plan_text()
    assert len(messages) > 20
    measured = grade(as_sentences(messages))
    assert measured <= MAX_GRADE, f"Flesch-Kincaid grade {measured:.1f}: reword the family-plan sentences"


def test_its_full_sentences_alone_read_at_grade_6_or_below(grade) -> None:
    sentences = [m for m in family_plan_text() if m.rstrip()[-1:] in ".?!" and len(m.split()) >= 4]
    assert len(sentences) >= 8
    assert grade(" ".join(sentences)) <= MAX_GRADE


def test_the_plan_is_never_called_homework() -> None:
    for message in extract_messages():
        assert "homework" not in message.id.lower(), message.id

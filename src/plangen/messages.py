"""The fixed text to translate: every ``_("…")`` of the templates, into a gettext .pot file.

A template's XML is patched the way docxtpl renders it (so a tag Word split is
read whole), then Jinja's i18n extension lists the ``_()`` calls. The fixed text
``assemble`` writes into family documents (``assemble.TRANSLATED_TEXT``) is added.

Run ``python -m plangen.messages`` after changing the default templates: it
rewrites ``src/plangen/locales/plangen.pot`` (a test keeps it in sync). A new
language starts as a copy of that file named ``<code>.po``.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.pofile import escape
from docxtpl import DocxTemplate

from .assemble import TRANSLATED_TEXT
from .i18n import DEFAULT_LANGUAGE, LOCALES_DIR, available_languages, translations
from .render import TEMPLATE_FILES, default_templates_dir, template_environment
from .templatecheck import patched_source, template_parts

POT_NAME = "plangen.pot"
POT_HEADER = """\
# The fixed text of plangen's documents, to translate.
# To add a language: copy this file to <code>.po (vi.po, so.po, ar.po…), write each
# msgstr in the new language, and put the file in src/plangen/locales/.
# Regenerate this file with: python -m plangen.messages
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"""


@dataclass
class Message:
    id: str
    locations: list[str] = field(default_factory=list)


def template_messages(data: bytes) -> list[str]:
    """The ``_("…")`` texts of one template, in order, each once."""
    env = template_environment()
    tpl = DocxTemplate(io.BytesIO(data))
    found: list[str] = []
    for part in template_parts(data):
        source = patched_source(tpl, part.xml)
        for _lineno, _function, message in env.extract_translations(source):  # type: ignore[attr-defined]
            if isinstance(message, str) and message:
                found.append(message)
    return list(dict.fromkeys(found))


def extract_messages(directory: Path | None = None) -> list[Message]:
    """Every message of the templates (``directory``'s own, the defaults for the rest) and of assemble."""
    messages: dict[str, Message] = {}

    def add(text: str, location: str) -> None:
        message = messages.setdefault(text, Message(text))
        if location not in message.locations:
            message.locations.append(location)

    for filename in TEMPLATE_FILES.values():
        path = directory / filename if directory is not None else None
        if path is None or not path.is_file():
            path = default_templates_dir() / filename
        for text in template_messages(path.read_bytes()):
            add(text, filename)
    for text in TRANSLATED_TEXT:
        add(text, "plangen/assemble.py")
    return list(messages.values())


def render_pot(messages: list[Message]) -> str:
    entries = [POT_HEADER]
    for message in messages:
        entries.append(f'#: {" ".join(message.locations)}\nmsgid {escape(message.id)}\nmsgstr ""\n')
    return "\n".join(entries)


@dataclass(frozen=True)
class Coverage:
    code: str
    translated: int
    missing: list[str]


def coverage(messages: list[Message]) -> list[Coverage]:
    """How much of ``messages`` each shipped catalog translates."""
    result = []
    for code in available_languages():
        if code == DEFAULT_LANGUAGE:
            continue
        catalog = translations(code)
        missing = [m.id for m in messages if m.id not in catalog]
        result.append(Coverage(code, len(messages) - len(missing), missing))
    return result


def main() -> None:
    target = LOCALES_DIR / POT_NAME
    messages = extract_messages()
    target.write_text(render_pot(messages), encoding="utf-8")
    print(f"wrote {len(messages)} messages to {target}")


if __name__ == "__main__":
    main()

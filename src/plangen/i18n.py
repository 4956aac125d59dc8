"""Languages: which locale a family gets, and the catalogs of fixed text.

A family's language comes from the ``family_language`` field, as a name in
English or in the language itself ("Spanish", "Español") or a code ("es").
Fixed text in templates is marked ``{{ _("…") }}``; a language is supported
when ``locales/<code>.po`` exists next to this file (Babel reads it directly,
so no compile step). A language without a catalog gets English.

Documents written *to the family* (``FAMILY_DOCUMENTS``) follow the family's
language; the others (IFSP review, coordinator packet) stay in the program's
language, ``language`` under ``[program]`` in plangen.toml. ``plangen templates
messages`` (``plangen.messages``) extracts every ``_()`` text into
``locales/plangen.pot``, the starting point of a new ``<code>.po``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.pofile import read_po

from .fields import normalize_header

LOCALES_DIR = Path(__file__).parent / "locales"
DEFAULT_LANGUAGE = "en"
# Templates written to the family, rendered in the family's language. Any other template is
# rendered in the program's language. A new family document only needs its name here.
FAMILY_DOCUMENTS = frozenset({"family-plan", "diary"})


@dataclass(frozen=True)
class Language:
    """The language a family asked for and the one its handout is written in."""

    requested: str  # as typed, may be ""
    code: str  # the locale the handout uses
    has_catalog: bool

    @property
    def fell_back(self) -> bool:
        return not self.has_catalog


class Translations:
    """The gettext interface Jinja's i18n extension calls, over a Babel catalog."""

    def __init__(self, messages: dict[str, str]) -> None:
        self._messages = messages

    def __contains__(self, message: object) -> bool:
        """True when the catalog translates ``message``."""
        return message in self._messages

    def gettext(self, message: str) -> str:
        return self._messages.get(message) or message

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.gettext(singular if n == 1 else plural)

    def pgettext(self, context: str, message: str) -> str:
        return self.gettext(message)

    def npgettext(self, context: str, singular: str, plural: str, n: int) -> str:
        return self.ngettext(singular, plural, n)


def available_languages() -> tuple[str, ...]:
    codes = {DEFAULT_LANGUAGE} | {p.stem for p in LOCALES_DIR.glob("*.po")}
    return tuple(sorted(codes))


@cache
def translations(code: str) -> Translations:
    path = LOCALES_DIR / f"{code}.po"
    if code == DEFAULT_LANGUAGE or not path.is_file():
        return Translations({})
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=code)
    return Translations({str(m.id): str(m.string) for m in catalog if m.id and m.string and not m.fuzzy})


@cache
def _names_to_codes() -> dict[str, str]:
    """Language names in English and in each language itself → code."""
    names: dict[str, str] = {}
    english = Locale("en")
    for code, name in english.languages.items():
        names.setdefault(normalize_header(name), code)
        names.setdefault(normalize_header(code), code)
    for code in available_languages():
        own = Locale.parse(code)
        if own.language_name:
            names[normalize_header(own.language_name)] = code
    return names


@lru_cache(maxsize=256)
def resolve_language(requested: str) -> Language:
    text = (requested or "").strip()
    if not text:
        return Language("", DEFAULT_LANGUAGE, True)
    code = _names_to_codes().get(normalize_header(text))
    if code is None:
        try:
            code = Locale.parse(text.replace("-", "_")).language
        except (ValueError, UnknownLocaleError):
            code = None
    if code and code not in available_languages():
        code = code.split("_")[0]  # "es_MX", "Mexican Spanish": the Spanish catalog serves
    if code in available_languages():
        return Language(text, code, True)
    return Language(text, DEFAULT_LANGUAGE, False)


@cache  # asked for each visit; Babel parses the locale each time
def language_display_name(code: str) -> str:
    """The language's name in itself: 'English', 'español'."""
    name = Locale.parse(code).language_name or code
    return name[:1].upper() + name[1:]

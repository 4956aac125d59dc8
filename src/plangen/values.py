"""Cell values → typed values, one parser per field kind.

Each parser returns the value, or raises ``ValueProblem`` with a message and
a hint that say what to type instead. Parsers never guess: an ambiguous text
date such as ``03/04/2026`` is an error unless the program set ``date_order``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from .fields import Field, Kind, normalize_header

EXCEL_ERRORS = frozenset(
    {"#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!", "#GETTING_DATA", "#SPILL!", "#CALC!"}
)
EXCEL_EPOCH = dt.date(1899, 12, 30)
YES = frozenset({"yes", "y", "true", "t", "x", "1", "si", "sí", "✓", "✔", "☑", "ok"})
NO = frozenset({"no", "n", "false", "f", "0", "✗", "✘", ""})
CHOICE_SYNONYMS = {
    "canceled by family": "cancelled by family",
    "canceled by provider": "cancelled by provider",
    "family cancelled": "cancelled by family",
    "family canceled": "cancelled by family",
    "provider cancelled": "cancelled by provider",
    "provider canceled": "cancelled by provider",
    "no show": "no-show",
    "noshow": "no-show",
    "completed": "done",
    "complete": "done",
    "attended": "done",
    "inprogress": "in progress",
    "ongoing": "in progress",
    "speech": "speech-language",
    "slp": "speech-language",
    "ot": "occupational therapy",
    "pt": "physical therapy",
    "cps": "child protective services",
}


class ValueProblem(Exception):
    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# What XML 1.0, and so a Word document, cannot hold: control characters other than tab, line
# feed and carriage return (\f would also become a page break, \a a new paragraph), lone
# surrogates, U+FFFE and U+FFFF. A cell holding one is read without it, with a warning.
NOT_IN_WORD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def has_characters_word_cannot_show(value: Any) -> bool:
    return isinstance(value, str) and NOT_IN_WORD.search(value) is not None


def word_text(text: str) -> str:
    """``text`` without the characters a Word document cannot hold."""
    return NOT_IN_WORD.sub("", text)


def parse_text(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ", "minutes")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    # Normalise Windows and old-Mac line ends; keep the typed text otherwise.
    return word_text(str(value)).replace("\r\n", "\n").replace("\r", "\n").strip()


_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$")
_SLASHED = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$")


def parse_date(value: Any, date_order: str = "") -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1 <= value < 2958466:  # Excel's serial range (1900-01-01 … 9999-12-31)
            return EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise ValueProblem("is a number, not a date.", "Type the date as 2026-11-17.")
    text = str(value).strip()
    if text.isdigit() and len(text) == 5:
        return EXCEL_EPOCH + dt.timedelta(days=int(text))
    m = _ISO.match(text)
    if m:
        return _make_date(int(m[1]), int(m[2]), int(m[3]))
    m = _SLASHED.match(text)
    if m:
        a, b, year = int(m[1]), int(m[2]), int(m[3])
        if year < 100:
            year += 2000
        order = date_order.upper()
        if order == "MDY":
            return _make_date(year, a, b)
        if order == "DMY":
            return _make_date(year, b, a)
        # No order set: only unambiguous forms are read.
        if a > 12 and b <= 12:
            return _make_date(year, b, a)
        if b > 12 and a <= 12:
            return _make_date(year, a, b)
        if a == b:
            return _make_date(year, a, b)
        raise ValueProblem(
            "is an ambiguous date (month/day or day/month?).",
            'Type it as 2026-11-17, or set date_order = "MDY" (or "DMY") under [workbook] in plangen.toml.',
        )
    raise ValueProblem("is not a date plangen can read.", "Type the date as 2026-11-17 or use a date cell.")


def _make_date(year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueProblem("is not a real calendar date.", "Check the day and month.") from None


_TIME = re.compile(r"^(\d{1,2})(?:[:.h](\d{2}))?\s*([ap])?\.?\s*m?\.?$", re.IGNORECASE)


def parse_time(value: Any) -> dt.time:
    if isinstance(value, dt.datetime):
        return value.time().replace(second=0, microsecond=0)
    if isinstance(value, dt.time):
        return value.replace(second=0, microsecond=0)
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value < 1:
        minutes = round(value * 24 * 60)
        return dt.time(minutes // 60 % 24, minutes % 60)
    text = str(value).strip()
    m = _TIME.match(text)
    if m and (m[2] is not None or m[3] is not None):
        hour, minute, half = int(m[1]), int(m[2] or 0), (m[3] or "").lower()
        if half:
            if not 1 <= hour <= 12:
                raise ValueProblem("is not a time of day.", "Type it as 10:30 AM or 10:30.")
            hour = hour % 12 + (12 if half == "p" else 0)
        if hour < 24 and minute < 60:
            return dt.time(hour, minute)
    raise ValueProblem("is not a time plangen can read.", "Type it as 10:30 AM or 10:30.")


def parse_integer(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueProblem("is not a whole number.", "Type a number such as 1.")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = str(value).strip().lstrip("#")
    if text.isdigit():
        return int(text)
    raise ValueProblem("is not a whole number.", "Type a number such as 1.")


def parse_yesno(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = parse_text(value).casefold().rstrip(".")
    if text in YES:
        return True
    if text in NO:
        return False
    raise ValueProblem("is not yes or no.", "Type yes or no (y/n, true/false, x and ✓ also work).")


def parse_choice(value: Any, choices: tuple[str, ...]) -> str:
    text = parse_text(value)
    key = normalize_header(text)
    for choice in choices:
        if normalize_header(choice) == key:
            return choice
    synonym = CHOICE_SYNONYMS.get(text.casefold()) or CHOICE_SYNONYMS.get(key)
    if synonym in choices:
        return synonym
    raise ValueProblem(
        "is not one of the allowed values.",
        "Use one of: " + ", ".join(choices) + ".",
    )


def parse_list(value: Any) -> tuple[str, ...]:
    text = parse_text(value)
    return tuple(part.strip() for part in re.split(r"[;,\n]", text) if part.strip())


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def parse_email(value: Any) -> str:
    text = parse_text(value)
    if not _EMAIL.match(text):
        raise ValueProblem("is not an email address.", "Type it as name@example.org.")
    return text


# Stands in a cell whose formula was saved without its value (see xlsxread).
FORMULA_WITHOUT_VALUE = "\x00formula-without-value"


def parse_cell(field: Field, value: Any, *, date_order: str = "") -> Any:
    """Parse one non-blank cell for ``field``; raise ``ValueProblem`` when it can't be read."""
    if value == FORMULA_WITHOUT_VALUE:
        raise ValueProblem(
            "is a formula saved without its value (the file was saved by a program that does not calculate).",
            "Open the workbook in Excel or LibreOffice, let it recalculate, and save it; or type the value.",
        )
    if isinstance(value, str) and value.strip() in EXCEL_ERRORS:
        raise ValueProblem(
            f"holds the spreadsheet error {value.strip()}.",
            "Fix the formula or type the value.",
        )
    kind = field.kind
    if kind is Kind.DATE:
        return parse_date(value, date_order)
    if kind is Kind.CHOICE:
        return parse_choice(value, field.choices)
    return _PARSERS[kind](value)


# The kinds whose parser needs nothing but the value (dates need the order, choices the field's).
_PARSERS: dict[Kind, Callable[[Any], Any]] = {
    Kind.TEXT: parse_text,
    Kind.TIME: parse_time,
    Kind.INTEGER: parse_integer,
    Kind.YESNO: parse_yesno,
    Kind.LIST: parse_list,
    Kind.EMAIL: parse_email,
}

"""``plangen.toml``: the program's branding and how to read its workbook."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

from .problems import InputError
from .write import OutputModes, folder_mode

CONFIG_NAME = "plangen.toml"
_COLOUR = re.compile(r"^#?[0-9A-Fa-f]{6}$")


@dataclass(frozen=True)
class Branding:
    name: str = "Early Intervention Program"
    phone: str = ""
    email: str = ""
    address: str = ""
    website: str = ""
    footer: str = (
        "Confidential: personal information about a child and family. "
        "Share only with the family's written consent."
    )
    logo: Path | None = None
    accent_color: str = "1F6F8B"
    font: str = "Calibri"
    language: str = "en"

    @property
    def contact_line(self) -> str:
        return " · ".join(p for p in (self.phone, self.email, self.address, self.website) if p)


@dataclass(frozen=True)
class Config:
    branding: Branding = field(default_factory=Branding)
    # How to read text dates like 03/04/2026: "MDY", "DMY", or "" to refuse to guess.
    date_order: str = ""
    # Sheet name → {their header → catalog field name}.
    columns: dict[str, dict[str, str]] = field(default_factory=dict)
    templates: Path | None = None
    path: Path | None = None
    # Permissions of the documents and folders written ([output] file_mode; owner only by default).
    output: OutputModes = field(default_factory=OutputModes)

    @classmethod
    def default(cls) -> Config:
        return cls()


def find_config(workbook: Path | None, explicit: Path | None) -> Path | None:
    """``--config`` if given, else ``plangen.toml`` beside the workbook, else in the working folder."""
    if explicit is not None:
        return explicit
    candidates = []
    if workbook is not None:
        candidates.append(workbook.parent / CONFIG_NAME)
    candidates.append(Path.cwd() / CONFIG_NAME)
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    return None


def load_config(path: Path | None) -> Config:
    if path is None:
        return Config.default()
    if not path.is_file():
        raise InputError(f"{path}: configuration file not found.", hint="Check the --config path.")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: not valid TOML ({exc}).", hint="Fix the line it names.") from None
    return _config_from(data, path)


def _text(section: dict[str, object], key: str, where: str, default: str) -> str:
    value = section.get(key, default)
    if not isinstance(value, str):
        raise InputError(f"{where}: setting '{key}' must be text in quotes.")
    return value.strip()


def _table(data: dict[str, object], key: str, path: Path) -> dict[str, object]:
    table = data.get(key, {})
    if not isinstance(table, dict):
        raise InputError(f"{path}: [{key}] must be a table (a [{key}] heading with settings under it).")
    return table


def _config_from(data: dict[str, object], path: Path) -> Config:
    program, workbook, columns, output = (
        _table(data, key, path) for key in ("program", "workbook", "columns", "output")
    )
    where = f"{path} [program]"
    defaults = Branding()
    colour = _text(program, "accent_color", where, defaults.accent_color)
    if not _COLOUR.match(colour):
        raise InputError(
            f"{where}: accent_color '{colour}' is not a colour.",
            hint='Use six hex digits, e.g. accent_color = "#1F6F8B".',
        )
    logo_text = _text(program, "logo", where, "")
    logo: Path | None = None
    if logo_text:
        logo = (path.parent / logo_text).resolve()
        if not logo.is_file():
            raise InputError(
                f"{where}: logo file '{logo_text}' not found (looked in {path.parent}).",
                hint="Put the image next to plangen.toml or fix the 'logo' setting; leave it empty for no logo.",
            )
        if logo.suffix.lower() not in {".png", ".jpg", ".jpeg", ".gif", ".bmp"}:
            raise InputError(f"{where}: logo '{logo_text}' must be a PNG, JPEG, GIF or BMP image.")
    branding = Branding(
        name=_text(program, "name", where, defaults.name),
        phone=_text(program, "phone", where, ""),
        email=_text(program, "email", where, ""),
        address=_text(program, "address", where, ""),
        website=_text(program, "website", where, ""),
        footer=_text(program, "footer", where, defaults.footer),
        logo=logo,
        accent_color=colour.lstrip("#").upper(),
        font=_text(program, "font", where, defaults.font),
        language=_text(program, "language", where, defaults.language),
    )
    date_order = _text(workbook, "date_order", f"{path} [workbook]", "").upper()
    if date_order not in {"", "MDY", "DMY"}:
        raise InputError(f'{path} [workbook]: date_order must be "MDY", "DMY" or empty.')
    templates_text = _text(workbook, "templates", f"{path} [workbook]", "")
    if templates_text and not (path.parent / templates_text).is_dir():
        raise InputError(
            f"{path} [workbook]: templates folder '{templates_text}' not found (looked in {path.parent}).",
            hint="Fix the 'templates' setting, or run 'plangen templates export' to make the folder.",
        )
    mapping: dict[str, dict[str, str]] = {}
    for sheet, table in columns.items():
        if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
            raise InputError(f'{path} [columns.{sheet}]: each line must be "Their header" = "field_name".')
        mapping[str(sheet)] = {str(k): str(v) for k, v in table.items()}
    return Config(
        branding=branding,
        date_order=date_order,
        columns=mapping,
        templates=(path.parent / templates_text).resolve() if templates_text else None,
        path=path,
        output=_output_modes(output, f"{path} [output]"),
    )


def _output_modes(section: dict[str, object], where: str) -> OutputModes:
    """``file_mode = "0640"``: owner read-write, optionally group read; never anyone else."""
    text = _text(section, "file_mode", where, "")
    if not text:
        return OutputModes()
    try:
        mode = int(text, 8)
    except ValueError:
        mode = -1
    if not 0 <= mode <= 0o777 or mode & ~0o640 or not mode & 0o400:
        raise InputError(
            f"{where}: file_mode '{text}' is not allowed.",
            hint='Use "0600" (only you, the default) or "0640" (you and your group may read). '
            "Documents about children are never readable by every account on the computer.",
        )
    return OutputModes(file=mode, folder=folder_mode(mode))


STARTER_CONFIG = """\
# plangen settings for this program. Paths are relative to this file.

[program]
name = "{name}"
phone = "(555) 010-2040"
email = "info@example.org"
address = "100 Main Street, Springfield"
website = "www.example.org"
# A PNG or JPEG shown at the top of every document. Leave empty for none.
logo = ""
# The colour of headings and table headers: six hex digits.
accent_color = "#1F6F8B"
font = "Calibri"
# Language of the coordinator documents (family handouts follow each family's language).
language = "en"
footer = "Confidential: personal information about a child and family. Share only with the family's written consent."

[workbook]
# How to read typed dates such as 03/04/2026: "MDY" (US), "DMY", or "" to refuse to guess.
date_order = ""

[output]
# Who may read the documents: "0600" only you (the default), "0640" you and your group.
# file_mode = "0600"

# Map your own column headers to plangen's fields, per sheet, e.g.
# [columns.Visits]
# "Date of Visit" = "visit_date"
"""

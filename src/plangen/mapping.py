"""``plangen map``: how each sheet's headers were read, and the mapping to write down.

For every sheet: its role and header row, which header became which field
(and whether plangen.toml said so), which headers were ignored (with the
closest fields: "did you mean …"), and which required fields have no column.
``write_mapping`` records what was found under ``[columns.<sheet>]`` in
plangen.toml with tomlkit, so the comments and layout of the file survive.
"""

from __future__ import annotations

import difflib
import json
import os
import stat
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

import tomlkit
from openpyxl.utils import get_column_letter
from tomlkit.items import Table

from .config import CONFIG_NAME, Config
from .fields import CATALOG, Field, Sheet, normalize_header
from .problems import InputError
from .read import (
    HEADER_SEARCH_ROWS,
    MIN_HEADER_MATCHES,
    Column,
    SheetLayout,
    columns_table,
    missing_fields,
    read_layouts,
    role_fields,
)
from .write import write_atomic

MAX_SUGGESTIONS = 3
SUGGESTION_CUTOFF = 0.6
CONFIG_MODE = 0o644
NEW_CONFIG_HEADER = "plangen settings for this program (see 'plangen init' for the others)."


@dataclass(frozen=True)
class HeaderMatch:
    """One header cell and what plangen made of it."""

    column: int  # 1-based
    header: str
    field: str = ""  # "" when the column is ignored
    mapped: bool = False  # decided by plangen.toml
    same_as: int = 0  # an ignored column whose field an earlier column already has
    suggestions: tuple[Field, ...] = ()

    @property
    def letter(self) -> str:
        return str(get_column_letter(self.column))


@dataclass
class SheetMap:
    layout: SheetLayout
    headers: list[HeaderMatch]
    missing: list[Field] = field(default_factory=list)

    @property
    def read(self) -> bool:
        return self.layout.role is not None and self.layout.header_row > 0

    def found(self) -> dict[str, str]:
        """Header as typed → field, for every column plangen reads."""
        return {h.header: h.field for h in self.headers if h.field}


@dataclass
class WorkbookMap:
    path: Path
    flat: bool
    sheets: list[SheetMap]

    @property
    def ok(self) -> bool:
        """A Visits sheet was found, and no sheet plangen reads lacks a required column."""
        has_visits = any(s.read and s.layout.role is Sheet.VISITS for s in self.sheets)
        return has_visits and not any(s.missing for s in self.sheets if s.read)

    def lines(self) -> list[str]:
        """The explanation for the terminal."""
        kind = (
            "flat: the child's columns are on each visit row" if self.flat else "Children, Outcomes, Visits"
        )
        out = [f"{self.path.name} ({kind})"]
        for sheet in self.sheets:
            out.append("")
            out.extend(_sheet_lines(sheet))
        out.append("")
        out.extend(self._summary())
        return out

    def _summary(self) -> list[str]:
        read = [s for s in self.sheets if s.read]
        by_role = ", ".join(
            f"{sum(1 for s in read if s.layout.role is role)} {role.value}"
            for role in Sheet
            if any(s.layout.role is role for s in read)
        )
        missing = sum(len(s.missing) for s in read)
        text = f"Read {len(read)} of {len(self.sheets)} sheet(s)" + (f" ({by_role})" if by_role else "")
        text += f"; {missing} required column(s) missing."
        lines = [text]
        if not any(s.layout.role is Sheet.VISITS for s in read):
            lines.append(
                "No Visits sheet: plangen needs a sheet whose header row has at least a Child ID "
                "and a Visit date column. Map your headers under [columns.<sheet>] in plangen.toml."
            )
        elif missing:
            lines.append(
                "Add the missing columns, or map your own headers to them under [columns.<sheet>] in "
                "plangen.toml ('plangen map --write' writes what was found, for you to complete)."
            )
        return lines

    def sections(self) -> dict[str, dict[str, str]]:
        """``[columns.<key>]`` tables recording what was found.

        Sheets of one role share one table named after the role when no header means two
        different fields on them (so next week's sheet is read the same way); else one per sheet.
        """
        tables: dict[str, dict[str, str]] = {}
        for role in Sheet:
            sheets = [s for s in self.sheets if s.read and s.layout.role is role]
            merged: dict[str, str] = {}
            keys: dict[str, str] = {}  # normalised header → field
            conflict = False
            for sheet in sheets:
                for header, name in sheet.found().items():
                    key = normalize_header(header)
                    conflict = conflict or keys.get(key, name) != name
                    keys[key] = name
                    merged.setdefault(header, name)
            if not sheets:
                continue
            if conflict:
                tables.update({s.layout.name: s.found() for s in sheets})
            else:
                tables[role.value] = merged
        return tables

    def unmatched(self, key: str) -> list[HeaderMatch]:
        """Ignored headers of the sheets a ``sections`` table covers (for comments beside it)."""
        seen: set[str] = set()
        found = []
        for sheet in self.sheets:
            if not sheet.read or key not in (
                sheet.layout.name,
                sheet.layout.role.value if sheet.layout.role else "",
            ):
                continue
            for h in sheet.headers:
                if not h.field and not h.same_as and not h.mapped and h.header not in seen:
                    seen.add(h.header)
                    found.append(h)
        return found


def map_workbook(path: Path, config: Config, *, encoding: str | None = None) -> WorkbookMap:
    layouts, flat = read_layouts(path, config, encoding=encoding)
    return WorkbookMap(path, flat, [_sheet_map(layout, flat) for layout in layouts])


def _sheet_map(layout: SheetLayout, flat: bool) -> SheetMap:
    columns = sorted(
        [(c, name) for name, c in layout.columns.items()] + [(c, "") for c in layout.ignored],
        key=lambda pair: pair[0].index,
    )
    fields = role_fields(layout.role, flat=flat) if layout.role else _all_fields()
    taken = {name: c.index for name, c in layout.columns.items()}
    headers = []
    for column, name in columns:
        if name:
            headers.append(HeaderMatch(column.index, column.header, name, column.mapped))
            continue
        headers.append(_ignored(column, fields, taken))
    read = layout.role is not None and layout.header_row > 0
    return SheetMap(layout, headers, missing_fields(layout, flat=flat) if read else [])


def _ignored(column: Column, fields: tuple[Field, ...], taken: dict[str, int]) -> HeaderMatch:
    if column.mapped:
        return HeaderMatch(column.index, column.header, mapped=True)
    key = normalize_header(column.header)
    for f in fields:
        texts = (f.name, f.label, *f.aliases)
        if f.name in taken and key in {normalize_header(t) for t in texts}:
            return HeaderMatch(column.index, column.header, same_as=taken[f.name])
    return HeaderMatch(column.index, column.header, suggestions=suggest(column.header, fields, set(taken)))


def suggest(header: str, fields: tuple[Field, ...], exclude: Collection[str] = ()) -> tuple[Field, ...]:
    """The fields whose name, label or an alias is closest to ``header`` (difflib), best first."""
    texts: dict[str, Field] = {}
    for f in fields:
        if f.name in exclude:
            continue
        for text in (f.name, f.label, *f.aliases):
            texts.setdefault(normalize_header(text), f)
    key = normalize_header(header)
    if not key:
        return ()
    matcher = difflib.SequenceMatcher(b=key)
    scored = []
    for order, (text, f) in enumerate(texts.items()):
        matcher.set_seq1(text)
        if matcher.real_quick_ratio() >= SUGGESTION_CUTOFF and matcher.quick_ratio() >= SUGGESTION_CUTOFF:
            score = matcher.ratio()
            if score >= SUGGESTION_CUTOFF:
                scored.append((-score, order, f))  # a tie goes to the field listed first (strategy 1)
    found: list[Field] = []
    for _, _, f in sorted(scored, key=lambda s: s[:2]):
        if f not in found:
            found.append(f)
    return tuple(found[:MAX_SUGGESTIONS])


def _all_fields() -> tuple[Field, ...]:
    return role_fields(Sheet.VISITS, flat=True) + tuple(
        f for f in CATALOG[Sheet.OUTCOMES] if f.name != "child_id"
    )


def _describe_field(f: Field) -> str:
    return f"{f.name} ({f.label})"


def _header_line(h: HeaderMatch, width: int) -> str:
    header = h.header.replace("\n", " ")
    text = f"  {h.letter:<3} {header:<{width}}  "
    if h.field:
        return text + f"→ {h.field}" + (" (plangen.toml)" if h.mapped else "")
    if h.mapped:
        return text + 'ignored (plangen.toml says "")'
    if h.same_as:
        return text + f"ignored: column {get_column_letter(h.same_as)} already gives this field"
    if h.suggestions:
        return text + "ignored; did you mean " + " or ".join(_describe_field(f) for f in h.suggestions) + "?"
    return text + "ignored (no field like it)"


def _sheet_lines(sheet: SheetMap) -> list[str]:
    layout = sheet.layout
    hidden = " (hidden)" if layout.hidden else ""
    if not sheet.read:
        role = f" as {layout.role.value}" if layout.role else ""
        lines = [
            f"Sheet '{layout.name}'{hidden}: not read{role}: no header row with a Child ID column and "
            f"another plangen field in the first {HEADER_SEARCH_ROWS} rows."
        ]
        matched = [h.field for h in sheet.headers if h.field]
        if len(matched) >= MIN_HEADER_MATCHES and "child_id" not in matched:
            # It looks like a plangen sheet but for its Child ID: say which column may be it.
            lines.append(
                f"  Row {layout.candidate_row} has {len(matched)} plangen fields ({', '.join(matched)}) "
                "but no Child ID column."
            )
            for h in sheet.headers:
                if any(f.name == "child_id" for f in h.suggestions):
                    lines.append(
                        f"  If {h.letter} '{h.header}' holds the child's id, map it: "
                        f'"{h.header}" = "child_id" under {columns_table(layout.name)} in plangen.toml.'
                    )
        return lines
    assert layout.role is not None
    rows = (
        f"rows {layout.group_row}–{layout.header_row} (group titles on row {layout.group_row})"
        if layout.group_row
        else f"row {layout.header_row}"
    )
    lines = [f"Sheet '{layout.name}'{hidden}: {layout.role.value}, header on {rows}"]
    lines.extend(_column_lines(sheet.headers))
    for f in sheet.missing:
        lines.append(f"  missing required field: {_describe_field(f)}")
    return lines


def _column_lines(headers: list[HeaderMatch]) -> list[str]:
    width = min(max((len(h.header) for h in headers), default=0), 32)
    return [_header_line(h, width) for h in headers]


def write_mapping(wmap: WorkbookMap, config: Config, workbook: Path) -> tuple[Path, list[str]]:
    """Record the mapping found in plangen.toml (the one in use, else a new one beside the workbook).

    Returns the file written and the tables written (``[columns.Visits]``). Lines already there
    for the same header are replaced; every other line and comment is kept.
    """
    path = config.path or workbook.parent / CONFIG_NAME
    if path.is_file():
        try:
            doc = tomlkit.parse(path.read_text(encoding="utf-8"))
        except (tomlkit.exceptions.TOMLKitError, UnicodeDecodeError) as exc:
            raise InputError(f"{path}: not valid TOML ({exc}).", hint="Fix the line it names.") from None
        mode = stat.S_IMODE(os.stat(path).st_mode)
    else:
        doc = tomlkit.document()
        doc.add(tomlkit.comment(NEW_CONFIG_HEADER))
        mode = CONFIG_MODE
    columns = doc.get("columns")
    if not isinstance(columns, Table):
        columns = tomlkit.table(is_super_table=True)
        doc["columns"] = columns
    written = []
    for key, found in wmap.sections().items():
        table = columns.get(key)
        if not isinstance(table, Table):
            table = tomlkit.table()
            columns[key] = table
        existing = {normalize_header(k): k for k in table}
        for header, name in found.items():
            old = existing.get(normalize_header(header))
            if old is not None and old != header:
                del table[old]  # the same header typed another way: one line for it
            table[header] = name  # in place when the line is there
        text = tomlkit.dumps(table)
        for h in wmap.unmatched(key):
            header = json.dumps(h.header, ensure_ascii=False)
            if h.suggestions:
                guess = h.suggestions[0].name
                comment = f'{header} = "{guess}"  (not read; the closest field: uncomment to use it, or fix)'
            else:
                comment = f'{header} = ""  (not read: put a field name in the quotes to read this column)'
            if comment not in text:
                table.add(tomlkit.comment(comment))
        written.append(columns_table(key))
    write_atomic(path, tomlkit.dumps(doc).encode("utf-8"), mode=mode)
    return path, written

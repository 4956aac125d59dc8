"""Check Word templates before a run: the mistakes a template author makes in Word.

``plangen templates check`` and every ``plangen build`` run these checks on each
template part (body, headers, footers, footnotes) and report, as values:

- **syntax errors** from Jinja, with the template's own text around the mistake
  (the paragraph text, tags stripped), never a line number in one-line XML;
- **unknown variables**, against the registry of what each template's context
  provides (``assemble.CONTEXT_VARIABLES``, generated from the field catalog),
  with "did you mean" for typos; names starting with ``_`` are refused (sandbox);
- **broken tags**: a ``{{`` or ``{%`` not closed in its own paragraph, a stray ``}}``;
- **split tags** (a warning): a tag Word split over runs of text with their own
  formatting, e.g. one run ending in ``{{ child_na``;
- **row loops misused in a table**: ``{%tr … %}`` outside a table row, or a
  ``{% for %}``/``{% if %}`` that starts in one table cell and ends in another;
- **untranslated sentences** (a warning): ``_()`` text of a family document that a
  shipped catalog (``locales/<code>.po``) does not translate.

Errors stop ``plangen build`` (exit code 4) before anything is written.
"""

from __future__ import annotations

import difflib
import html
import io
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from babel import Locale
from docxtpl import DocxTemplate
from jinja2 import TemplateSyntaxError, nodes
from lxml import etree

from .assemble import CONTEXT_VARIABLES, Variable
from .i18n import DEFAULT_LANGUAGE, FAMILY_DOCUMENTS, LOCALES_DIR, available_languages, translations
from .problems import Severity
from .render import TEMPLATE_FILES, PreparedTemplate, default_templates_dir, template_environment

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_P, _R, _T = f"{{{W}}}p", f"{{{W}}}r", f"{{{W}}}t"
_TC, _TR, _TBL, _BODY = f"{{{W}}}tc", f"{{{W}}}tr", f"{{{W}}}tbl", f"{{{W}}}body"
_PART_FILE = re.compile(r"^word/(header|footer)(\d*)\.xml$")
_OPENER = re.compile(r"\{[{%#]")
_CLOSER_OF = {"{": "}}", "%": "%}", "#": "#}"}
_STRAY = re.compile(r"\}\}|%\}")
# docxtpl's special tags: {%p …%} (paragraph), {%tr …%} (row), {%tc …%} (cell), {%r …%} (run).
_STATEMENT = re.compile(r"^\{%(?:(?P<kind>p|tr|tc|r)\s)?[-+]?\s*(?P<word>\w+)?")
_PRINT = re.compile(r"^\{\{(?:(?P<kind>p|tr|tc|r)\s)")
_BLOCKS = {"for", "if", "with", "macro", "call", "filter", "block", "autoescape", "trans", "raw"}
_MIDDLES = {"elif", "else", "pluralize"}
_DICT_METHODS = {"items", "keys", "values", "get"}
_GUIDE = "docs/templates.md lists every variable of each template."
EXCERPT_WIDTH = 110
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)


@dataclass(frozen=True)
class TemplateProblem:
    """One mistake in a template: which file and part, what, where (its own text), what to do."""

    severity: Severity
    template: str  # the file name: family-plan.docx
    part: str  # body, header, footer 2, footnotes
    code: str
    message: str
    excerpt: tuple[str, ...] = ()  # the template's text around it; the line at fault starts with ">"
    hint: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    @property
    def where(self) -> str:
        return f"{self.template} ({self.part})" if self.part else self.template

    def describe(self) -> str:
        """Lines for the terminal: where and what, the text around it, what to do."""
        lines = [f"{self.severity.value}: {self.where}: {self.message}"]
        lines += [f"    {line}" for line in self.excerpt]
        if self.hint:
            lines.append(f"    {self.hint}")
        return "\n".join(lines)


@dataclass
class TemplateReport:
    checked: list[Path] = field(default_factory=list)
    problems: list[TemplateProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[TemplateProblem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[TemplateProblem]:
        return [p for p in self.problems if not p.is_error]


class TemplateErrors(Exception):
    """Templates with errors: nothing can be rendered from them."""

    def __init__(self, report: TemplateReport) -> None:
        super().__init__(f"{len(report.errors)} template error(s)")
        self.report = report


@dataclass(frozen=True)
class TemplatePart:
    name: str  # body, header, footer 2, footnotes
    xml: str  # as docxtpl reads it, before its patching


def template_parts(data: bytes) -> list[TemplatePart]:
    """The parts docxtpl renders: the body, headers, footers and footnotes."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        root = etree.fromstring(archive.read("word/document.xml"), _PARSER)
        body = root.find(_BODY)
        parts = [TemplatePart("body", etree.tostring(body if body is not None else root, encoding="unicode"))]
        found: dict[str, list[tuple[int, str]]] = {"header": [], "footer": []}
        for name in names:
            match = _PART_FILE.match(name)
            if match:
                found[match[1]].append((int(match[2] or 0), name))
        for kind in ("header", "footer"):
            numbered = sorted(found[kind])
            for index, (_, name) in enumerate(numbered, start=1):
                label = kind if len(numbered) == 1 else f"{kind} {index}"
                parts.append(TemplatePart(label, archive.read(name).decode("utf-8")))
        if "word/footnotes.xml" in names:
            parts.append(TemplatePart("footnotes", archive.read("word/footnotes.xml").decode("utf-8")))
    return parts


def patched_source(tpl: DocxTemplate, xml: str) -> str:
    """The Jinja source docxtpl renders for a part: one paragraph per line."""
    return re.sub(r"<w:p([ >])", r"\n<w:p\1", tpl.patch_xml(xml))


def _shorten(text: str, width: int = EXCERPT_WIDTH, around: int = 0) -> str:
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    start = max(0, min(around - width // 3, len(text) - width))
    piece = text[start : start + width - 2]
    return ("…" if start else "") + piece + ("…" if start + width - 2 < len(text) else "")


def _line_text(line: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", line)).strip()


def excerpt(source: str, lineno: int, before: int = 2, after: int = 1) -> tuple[str, ...]:
    """The text of the paragraphs around ``lineno`` of a patched source; the one at fault marked '>'."""
    lines = source.split("\n")
    target = min(max(lineno, 1), len(lines)) - 1
    shown: list[str] = []
    for index in range(target - 1, -1, -1):
        if len(shown) == before:
            break
        text = _line_text(lines[index])
        if text:
            shown.insert(0, "  " + _shorten(text))
    shown.append("> " + _shorten(_line_text(lines[target])))
    count = 0
    for index in range(target + 1, len(lines)):
        if count == after:
            break
        text = _line_text(lines[index])
        if text:
            shown.append("  " + _shorten(text))
            count += 1
    return tuple(shown)


# --- the raw XML: paragraphs, tags, runs ----------------------------------------------------------


@dataclass
class _Paragraph:
    element: Any
    text: str = ""
    run_ends: list[int] = field(default_factory=list)  # the offset where each run's text ends
    run_texts: list[str] = field(default_factory=list)

    def nearest(self, tag: str) -> Any:
        return next(self.element.iterancestors(tag), None)


@dataclass
class _Tag:
    paragraph: _Paragraph
    start: int
    end: int

    @property
    def text(self) -> str:
        return self.paragraph.text[self.start : self.end]

    @property
    def kind(self) -> str:
        """p, tr, tc or r for docxtpl's special tags; '' for a plain Jinja tag."""
        match = (_STATEMENT if self.text.startswith("{%") else _PRINT).match(self.text)
        return (match["kind"] or "") if match else ""

    @property
    def word(self) -> str:
        match = _STATEMENT.match(self.text) if self.text.startswith("{%") else None
        return (match["word"] or "") if match else ""

    @property
    def level(self) -> str:
        return {"tr": "row", "tc": "cell"}.get(self.kind, "text")

    def container(self) -> str:
        """Where the tag's block must open and close: the same table, row or cell (or the page)."""
        tag = {"row": _TBL, "cell": _TR}.get(self.level, _TC)
        element = self.paragraph.nearest(tag)
        return "" if element is None else element.getroottree().getpath(element)

    def quoted(self) -> str:
        return "'" + _shorten(self.text, 60) + "'"

    def context(self) -> str:
        return _shorten(self.paragraph.text, around=self.start)


def _paragraphs(root: Any) -> list[_Paragraph]:
    by_element: dict[Any, _Paragraph] = {}
    ordered: list[_Paragraph] = []
    for element in root.iter(_P):
        paragraph = _Paragraph(element)
        by_element[element] = paragraph
        ordered.append(paragraph)
    runs: dict[Any, tuple[_Paragraph, int]] = {}
    for t in root.iter(_T):
        p = next(t.iterancestors(_P), None)
        if p is None or p not in by_element:
            continue
        paragraph = by_element[p]
        run = next(t.iterancestors(_R), t)
        text = t.text or ""
        if run in runs and runs[run][0] is paragraph:
            index = runs[run][1]
            paragraph.run_texts[index] += text
        else:
            runs[run] = (paragraph, len(paragraph.run_texts))
            paragraph.run_texts.append(text)
    for paragraph in ordered:
        total = 0
        for text in paragraph.run_texts:
            total += len(text)
            paragraph.run_ends.append(total)
        paragraph.text = "".join(paragraph.run_texts)
    return ordered


class _Part:
    """One template part under check: its paragraphs, tags and the problems found."""

    def __init__(self, template: str, part: TemplatePart, problems: list[TemplateProblem]) -> None:
        self.template = template
        self.name = part.name
        self.problems = problems
        self.broken = False
        self.tags: list[_Tag] = []
        root = etree.fromstring(part.xml.encode("utf-8"), _PARSER)
        self.paragraphs = _paragraphs(root)

    def add(
        self, severity: Severity, code: str, message: str, context: tuple[str, ...] = (), hint: str = ""
    ) -> None:
        self.problems.append(
            TemplateProblem(severity, self.template, self.name, code, message, context, hint)
        )

    def scan_tags(self) -> None:
        for paragraph in self.paragraphs:
            text, pos = paragraph.text, 0
            while True:
                opener = _OPENER.search(text, pos)
                stray = _STRAY.search(text, pos, opener.start() if opener else len(text))
                if stray:
                    self.broken = True
                    self.add(
                        Severity.ERROR,
                        "broken-tag",
                        f"'{stray[0]}' closes a tag that was never opened.",
                        ("> " + _shorten(text, around=stray.start()),),
                        "Every tag opens with {{ or {% and closes with }} or %} in the same paragraph.",
                    )
                if opener is None:
                    break
                closer = _CLOSER_OF[text[opener.start() + 1]]
                end = text.find(closer, opener.end())
                if end < 0:
                    self.broken = True
                    self.add(
                        Severity.ERROR,
                        "broken-tag",
                        f"'{_shorten(text[opener.start() :], 40)}' is not closed with '{closer}' in this paragraph.",
                        ("> " + _shorten(text, around=opener.start()),),
                        f"Add the missing '{closer}'. A tag must open and close in the same paragraph.",
                    )
                    break
                self.tags.append(_Tag(paragraph, opener.start(), end + 2))
                pos = end + 2

    def check_split_tags(self) -> None:
        for tag in self.tags:
            ends = tag.paragraph.run_ends
            first = next(i for i, e in enumerate(ends) if e > tag.start)
            last = next(i for i, e in enumerate(ends) if e >= tag.end)
            if first == last:
                continue
            starts = [0, *ends]
            pieces = [
                tag.paragraph.text[max(starts[i], tag.start) : min(ends[i], tag.end)]
                for i in range(first, last + 1)
            ]
            pieces = [p for p in pieces if p]
            if len(pieces) < 2:
                continue
            shown = " + ".join(f"'{p}'" for p in pieces)
            self.add(
                Severity.WARNING,
                "split-tag",
                f"Word split the tag {tag.quoted()} into {len(pieces)} pieces of text ({shown}).",
                ("> " + tag.context(),),
                "plangen joins the pieces, but their formatting is lost. Select the whole tag, "
                "delete it and type it again in one go (or paste it as plain text).",
            )

    def check_layout(self) -> None:
        """docxtpl's row and paragraph tags where they work, and blocks that open and close together."""
        stack: list[_Tag] = []
        for tag in self.tags:
            if tag.kind in ("tr", "tc"):
                needed = _TR if tag.kind == "tr" else _TC
                if tag.paragraph.nearest(needed) is None:
                    what = "row" if tag.kind == "tr" else "cell"
                    self.add(
                        Severity.ERROR,
                        "row-loop",
                        f"{tag.quoted()} is not in a table {what}.",
                        ("> " + tag.context(),),
                        f"{{%{tag.kind} … %}} repeats or hides a whole table {what}: put it alone in a {what} of "
                        "a table. Outside a table, use {%p … %} alone in its paragraph.",
                    )
                    continue
            if tag.kind == "tr":
                self._check_alone(tag, tag.paragraph.nearest(_TR), "table row")
            elif tag.kind == "p":
                self._check_alone(tag, tag.paragraph.element, "paragraph")
            word = tag.word
            if word in _BLOCKS or (word == "set" and "=" not in tag.text):
                stack.append(tag)
            elif word in _MIDDLES or word.startswith("end"):
                opening = stack[-1] if stack else None
                if opening is None or (word.startswith("end") and word != f"end{opening.word}"):
                    return  # unbalanced: Jinja's own check reports it, with the text around it
                if word.startswith("end"):
                    stack.pop()
                self._check_pair(opening, tag)

    def _check_alone(self, tag: _Tag, element: Any, what: str) -> None:
        other = "".join(t.text or "" for t in element.iter(_T))
        rest = other.replace(tag.text, "", 1).strip()
        if rest:
            self.add(
                Severity.WARNING,
                "tag-not-alone",
                f"{tag.quoted()} shares its {what} with other text, which is dropped: “{_shorten(rest, 60)}”.",
                ("> " + tag.context(),),
                f"docxtpl replaces the whole {what} with the tag: give the tag a {what} of its own.",
            )

    def _check_pair(self, opening: _Tag, closing: _Tag) -> None:
        if opening.level != closing.level:
            special = opening if opening.level != "text" else closing
            self.add(
                Severity.ERROR,
                "row-loop",
                f"{opening.quoted()} is closed by {closing.quoted()}: one is a {{%{special.kind} … %}} tag and "
                "the other is not.",
                ("> " + opening.context(), "> " + closing.context()),
                f"Open and close with the same kind: {{%{special.kind} {opening.word} … %}} … "
                f"{{%{special.kind} end{opening.word} %}}, each alone in its {special.level}.",
            )
        elif opening.container() != closing.container():
            if opening.level == "row":
                message = f"{opening.quoted()} and {closing.quoted()} are in different tables."
                hint = "Keep a row loop's opening and closing rows in the same table."
            else:
                message = (
                    f"{opening.quoted()} starts in one table cell (or outside the table) and "
                    f"{closing.quoted()} is in another."
                )
                verb = "repeat" if opening.word == "for" else "show or hide"
                hint = (
                    f"To {verb} whole table rows, use {{%tr {opening.word} … %}} and {{%tr end{opening.word} %}}, "
                    "each alone in a row of its own; otherwise keep both tags in the same cell."
                )
            self.add(
                Severity.ERROR,
                "row-loop",
                message,
                ("> " + opening.context(), "> " + closing.context()),
                hint,
            )


# --- Jinja: syntax, names, sandbox ----------------------------------------------------------------


def _path(node: nodes.Node) -> str:
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{_path(node.node)}.{node.attr}"
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
        return f"{_path(node.node)}[{node.arg.value!r}]"
    if isinstance(node, nodes.Const):
        return repr(node.value)
    return "…"


def _did_you_mean(name: str, candidates: list[str]) -> str:
    close = difflib.get_close_matches(name, candidates, n=1, cutoff=0.6)
    return f" Did you mean '{close[0]}'?" if close else ""


def _item_of(variable: Variable | None) -> Variable | None:
    if variable is None or variable.type != "list":
        return None
    return Variable(variable.name, "", "object" if variable.members else "text", members=variable.members)


class _NameCheck:
    """Walk a template's syntax tree: every name and member against the registry."""

    def __init__(self, variables: tuple[Variable, ...] | None, known: set[str]) -> None:
        self.top = {v.name: v for v in variables or ()}
        self.check_names = variables is not None
        self.known = known
        self.found: list[tuple[int, str, str, str]] = []  # lineno, code, message, hint
        self.messages: list[str] = []  # the _("…") texts
        self.soft = 0

    def report(self, node: nodes.Node, code: str, message: str, hint: str = "") -> None:
        if not self.soft or code == "unsafe":
            self.found.append((node.lineno, code, message, hint))

    def visit(self, node: nodes.Node, scope: dict[str, Variable | None]) -> Variable | None:
        method = getattr(self, f"visit_{type(node).__name__}", None)
        if method is not None:
            result: Variable | None = method(node, scope)
            return result
        for child in node.iter_child_nodes():
            self.visit(child, scope)
        return None

    def visit_Name(self, node: nodes.Name, scope: dict[str, Variable | None]) -> Variable | None:
        if node.ctx != "load":
            return None
        if node.name in scope:
            return scope[node.name]
        if node.name in self.top:
            return self.top[node.name]
        if node.name.startswith("_") and node.name != "_":
            self.report(node, "unsafe", f"'{node.name}' is not allowed: names starting with _ are private.")
        elif self.check_names and node.name not in self.known:
            self.report(
                node,
                "unknown-variable",
                f"unknown variable '{node.name}'.{_did_you_mean(node.name, sorted(self.top))}",
                "A workbook column that is not a plangen field is {{ extra.column_name }}. " + _GUIDE,
            )
        return None

    def _member(self, node: nodes.Node, base: Variable | None, name: str) -> Variable | None:
        if name.startswith("_"):
            if re.search(r"(^|\.)_", _path(getattr(node, "node", node))):
                return None  # reported at the first private name of the chain
            self.report(
                node,
                "unsafe",
                f"{_path(node)} is not allowed: templates run in a sandbox and cannot reach "
                "Python internals (names starting with _).",
                "Use only the variables listed in docs/templates.md.",
            )
            return None
        if base is None:
            return None
        where = _path(node).rsplit(".", 1)[0] if isinstance(node, nodes.Getattr) else _path(node)
        if base.type == "object":
            members = {m.name: m for m in base.members}
            if name in members:
                return members[name]
            if name not in _DICT_METHODS:
                self.report(
                    node,
                    "unknown-variable",
                    f"'{where}' has no '{name}'.{_did_you_mean(name, sorted(members))}",
                    f"'{where}' has: {', '.join(members)}. " + _GUIDE,
                )
        elif base.type == "mapping":
            return Variable(name, "", "text")
        elif base.type == "list":
            if not hasattr(list, name):
                self.report(
                    node,
                    "unknown-variable",
                    f"'{where}' is a list, so it has no '{name}'.",
                    f"Go through it: {{% for item in {where} %}} … {{{{ item.{name} }}}} … {{% endfor %}}"
                    + (" (or {%tr for … %} for table rows)." if base.members else "."),
                )
        elif not hasattr(str, name):
            self.report(node, "unknown-variable", f"'{where}' is {base.type}; it has no '{name}'.", _GUIDE)
        return None

    def visit_Getattr(self, node: nodes.Getattr, scope: dict[str, Variable | None]) -> Variable | None:
        return self._member(node, self.visit(node.node, scope), node.attr)

    def visit_Getitem(self, node: nodes.Getitem, scope: dict[str, Variable | None]) -> Variable | None:
        base = self.visit(node.node, scope)
        if isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
            return self._member(node, base, node.arg.value)
        if isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, int):
            return _item_of(base)
        self.visit(node.arg, scope)
        return None

    def visit_Test(self, node: nodes.Test, scope: dict[str, Variable | None]) -> Variable | None:
        # `x is defined` may name something that is not there: that is what it tests.
        soft = node.name in ("defined", "undefined")
        self.soft += soft
        self.visit(node.node, scope)
        self.soft -= soft
        for child in (*node.args, *node.kwargs):
            self.visit(child, scope)
        return None

    def visit_Filter(self, node: nodes.Filter, scope: dict[str, Variable | None]) -> Variable | None:
        first = node.args[0] if node.args else None
        if node.name == "attr" and isinstance(first, nodes.Const) and str(first.value).startswith("_"):
            self.report(
                node,
                "unsafe",
                f"attr('{first.value}') is not allowed: templates run in a sandbox.",
                "Use only the variables listed in docs/templates.md.",
            )
        for child in node.iter_child_nodes():
            self.visit(child, scope)
        return None

    def visit_Call(self, node: nodes.Call, scope: dict[str, Variable | None]) -> Variable | None:
        if (
            isinstance(node.node, nodes.Name)
            and node.node.name in ("_", "gettext")
            and node.args
            and isinstance(node.args[0], nodes.Const)
            and isinstance(node.args[0].value, str)
        ):
            self.messages.append(node.args[0].value)
        for child in node.iter_child_nodes():
            self.visit(child, scope)
        return None

    def visit_For(self, node: nodes.For, scope: dict[str, Variable | None]) -> Variable | None:
        iterated = self.visit(node.iter, scope)
        inner = dict(scope)
        if isinstance(node.target, nodes.Name):
            inner[node.target.name] = _item_of(iterated)
        else:
            for name in node.target.find_all(nodes.Name):
                inner[name.name] = None
        inner["loop"] = None
        if node.test is not None:
            self.visit(node.test, inner)
        for child in node.body:
            self.visit(child, inner)
        for child in node.else_:
            self.visit(child, scope)
        return None

    def visit_Assign(self, node: nodes.Assign, scope: dict[str, Variable | None]) -> Variable | None:
        value = self.visit(node.node, scope)
        if isinstance(node.target, nodes.Name):
            scope[node.target.name] = value
        else:
            for name in node.target.find_all(nodes.Name):
                scope[name.name] = None
        return None

    def visit_AssignBlock(
        self, node: nodes.AssignBlock, scope: dict[str, Variable | None]
    ) -> Variable | None:
        for child in node.body:
            self.visit(child, scope)
        for name in node.target.find_all(nodes.Name):
            scope[name.name] = None
        return None

    def _bind(self, names: list[nodes.Node], scope: dict[str, Variable | None]) -> dict[str, Variable | None]:
        inner = dict(scope)
        for target in names:
            for name in target.find_all(nodes.Name):
                inner[name.name] = None
            if isinstance(target, nodes.Name):
                inner[target.name] = None
        return inner

    def visit_Macro(self, node: nodes.Macro, scope: dict[str, Variable | None]) -> Variable | None:
        scope[node.name] = None
        for default in node.defaults:
            self.visit(default, scope)
        inner = self._bind(list(node.args), scope)
        inner.update(varargs=None, kwargs=None, caller=None)
        for child in node.body:
            self.visit(child, inner)
        return None

    def visit_CallBlock(self, node: nodes.CallBlock, scope: dict[str, Variable | None]) -> Variable | None:
        self.visit(node.call, scope)
        inner = self._bind(list(node.args), scope)
        for child in node.body:
            self.visit(child, inner)
        return None

    def visit_With(self, node: nodes.With, scope: dict[str, Variable | None]) -> Variable | None:
        for value in node.values:
            self.visit(value, scope)
        inner = self._bind(list(node.targets), scope)
        for child in node.body:
            self.visit(child, inner)
        return None

    def _no_includes(self, node: nodes.Node, scope: dict[str, Variable | None]) -> None:
        self.report(
            node,
            "include",
            "a template cannot include, import or extend another template.",
            "Copy the text into this template instead.",
        )

    visit_Include = visit_Import = visit_FromImport = visit_Extends = _no_includes


def _language_name(code: str) -> str:
    return str(Locale("en").languages.get(code, code))


def check_template(name: str, filename: str, data: bytes) -> list[TemplateProblem]:
    """Every problem found in one template (``name`` as in render.TEMPLATE_FILES)."""
    problems: list[TemplateProblem] = []
    unreadable = TemplateProblem(
        Severity.ERROR,
        filename,
        "",
        "not-a-template",
        "is not a Word document (.docx) plangen can read.",
        hint="Save it from Word as a Word Document (.docx).",
    )
    try:
        parts = template_parts(data)
        parsed = [_Part(filename, part, problems) for part in parts]
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError, UnicodeDecodeError):
        return [unreadable]
    env = template_environment()
    known = set(env.globals) | {"logo"}
    variables = CONTEXT_VARIABLES.get(name)
    tpl = DocxTemplate(io.BytesIO(data))
    messages: list[str] = []
    for part, checking in zip(parts, parsed, strict=True):
        found_before = len([p for p in problems if p.is_error])
        checking.scan_tags()
        checking.check_split_tags()
        if not checking.broken:
            checking.check_layout()
        source = patched_source(tpl, part.xml)
        try:
            tree = env.parse(source)
            env.compile(tree, raw=True)  # what Jinja checks (filters, tests, names); no Python bytecode
        except TemplateSyntaxError as exc:
            # A broken tag or a misplaced row tag found above is the cause: it is reported already.
            if len([p for p in problems if p.is_error]) == found_before:
                problems.append(_syntax_problem(filename, part.name, source, exc))
            continue
        walker = _NameCheck(variables, known)
        walker.visit(tree, {})
        seen: set[tuple[int, str]] = set()
        for lineno, code, message, hint in walker.found:
            if (lineno, message) in seen:
                continue
            seen.add((lineno, message))
            problems.append(
                TemplateProblem(
                    Severity.ERROR, filename, part.name, code, message, excerpt(source, lineno), hint
                )
            )
        messages += walker.messages
    if name in FAMILY_DOCUMENTS:
        problems += _untranslated(filename, messages)
    return problems


def _syntax_problem(filename: str, part: str, source: str, exc: TemplateSyntaxError) -> TemplateProblem:
    message = (exc.message or "syntax error").replace("\n", " ")
    lineno = exc.lineno or 1
    hint = (
        "Fix the tag in Word: each {{ … }} and {% … %} must be whole and closed, and each {% if %} "
        "or {% for %} needs its {% endif %} or {% endfor %}."
    )
    if message.startswith(("No filter named", "No test named")):
        hint = "Check the spelling; Jinja's filters and tests are listed at https://jinja.palletsprojects.com/templates/."
    elif "end of template" in message:
        opened = _unclosed_block(source)
        if opened is not None:
            lineno, word = opened
            message = f"this {{% {word} %}} is never closed."
            hint = (
                f"Add {{% end{word} %}} (or {{%p end{word} %}} alone in a paragraph) where the {word} ends."
            )
    return TemplateProblem(
        Severity.ERROR,
        filename,
        part,
        "syntax-error",
        f"Jinja syntax error: {message}",
        excerpt(source, lineno),
        hint,
    )


def _unclosed_block(source: str) -> tuple[int, str] | None:
    """The innermost block tag left open at the end of a source, and its line."""
    env = template_environment()
    stack: list[tuple[int, str]] = []
    try:
        tokens = list(env.lex(source))
    except TemplateSyntaxError:
        return None
    tokens = [t for t in tokens if t[1] != "whitespace"]
    for index, (lineno, kind, _value) in enumerate(tokens):
        if kind != "block_begin" or index + 1 >= len(tokens):
            continue
        word = tokens[index + 1][2]
        if word in _BLOCKS:
            stack.append((lineno, word))
        elif word.startswith("end") and stack and stack[-1][1] == word[3:]:
            stack.pop()
    return stack[-1] if stack else None


def _untranslated(filename: str, messages: list[str]) -> list[TemplateProblem]:
    problems = []
    unique = list(dict.fromkeys(messages))
    for code in available_languages():
        if code == DEFAULT_LANGUAGE:
            continue
        catalog = translations(code)
        missing = [m for m in unique if m not in catalog]
        if not missing:
            continue
        language = _language_name(code)
        shown = "; ".join(f"“{_shorten(m, 60)}”" for m in missing[:3]) + ("; …" if len(missing) > 3 else "")
        problems.append(
            TemplateProblem(
                Severity.WARNING,
                filename,
                "",
                "untranslated",
                f"{len(missing)} sentence(s) have no {language} translation, so {language}-speaking "
                f"families see them in English: {shown}",
                hint=f"Add them to {LOCALES_DIR / (code + '.po')} ('plangen templates messages' lists them all).",
            )
        )
    return problems


# --- which templates ------------------------------------------------------------------------------


def check_templates(directory: Path | None = None) -> TemplateReport:
    """Check the templates in ``directory`` (the ones it has), or the default templates."""
    report = TemplateReport()
    source = directory or default_templates_dir()
    for name, filename in TEMPLATE_FILES.items():
        path = source / filename
        if not path.is_file():
            report.notes.append(f"{filename} is not in {source}; the build uses the default template.")
            continue
        report.checked.append(path)
        report.problems += check_template(name, filename, path.read_bytes())
    if directory is not None:
        expected = set(TEMPLATE_FILES.values())
        for other in sorted(directory.glob("*.docx")):
            if other.name not in expected and not other.name.startswith("~$"):
                report.notes.append(
                    f"{other.name} is not a plangen template name ({', '.join(sorted(expected))}); it is not used."
                )
    return report


def check_prepared(templates: Mapping[str, PreparedTemplate]) -> TemplateReport:
    """Check the templates a run will use (``Renderer.templates``)."""
    report = TemplateReport()
    for name, prepared in templates.items():
        report.checked.append(prepared.path)
        report.problems += check_template(name, prepared.path.name, prepared.data)
    return report

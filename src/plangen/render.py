"""Render documents from docxtpl templates, preparing each template once per run.

Preparation applies the program's branding to the template's bytes (accent
colour, font, neutral document properties) and keeps them in memory; Jinja
compiles each template part once, because docxtpl asks the environment for the
same source on every row and ``_CompilingEnvironment`` remembers it.
Templates run in Jinja's sandbox with ``StrictUndefined``: a template cannot
reach the machine, and a missing field is an error, never a silent blank.
Values are data: they are escaped, never evaluated as template text.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import StrictUndefined, Template
from jinja2.sandbox import SandboxedEnvironment

from .config import Branding
from .i18n import translations

# Template authors colour accent things with this hex; the program's colour replaces it.
ACCENT_PLACEHOLDER = "1F6F8B"
LOGO_HEIGHT = Mm(14)
TEMPLATE_FILES = {
    "family-plan": "family-plan.docx",
    "ifsp-review": "ifsp-review.docx",
}


def default_templates_dir() -> Path:
    """Templates shipped in the wheel, or the repository's ``templates/`` in a checkout."""
    packaged = Path(__file__).parent / "default_templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "templates"


class _CompilingEnvironment(SandboxedEnvironment):
    """A sandboxed environment that compiles each distinct template source once."""

    def __init__(self, language: str) -> None:
        super().__init__(undefined=StrictUndefined, extensions=["jinja2.ext.i18n"], autoescape=True)
        self.install_gettext_translations(translations(language), newstyle=True)  # type: ignore[attr-defined]
        self._compiled: dict[str, Template] = {}

    def from_string(self, source: Any, globals: Any = None, template_class: Any = None) -> Template:
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        template = self._compiled.get(source)
        if template is None:
            template = self._compiled[source] = super().from_string(source)
        return template


@dataclass
class PreparedTemplate:
    name: str
    path: Path
    data: bytes  # the branded template, ready to load


@dataclass
class Renderer:
    """All templates of a run, prepared once; ``render`` makes one document's bytes."""

    branding: Branding
    templates_dir: Path | None = None
    templates: dict[str, PreparedTemplate] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    _environments: dict[str, _CompilingEnvironment] = field(default_factory=dict)
    _logo: bytes | None = None

    def __post_init__(self) -> None:
        defaults = default_templates_dir()
        for name, filename in TEMPLATE_FILES.items():
            path = defaults / filename
            if self.templates_dir is not None:
                own = self.templates_dir / filename
                if own.is_file():
                    path = own
                else:
                    self.notes.append(
                        f"{filename} not found in {self.templates_dir}; using the default template."
                    )
            self.templates[name] = PreparedTemplate(
                name, path, brand_template(path.read_bytes(), self.branding)
            )
        logo = self.branding.logo or defaults / "logo.png"
        self._logo = logo.read_bytes() if logo.is_file() else None

    def environment(self, language: str) -> _CompilingEnvironment:
        if language not in self._environments:
            self._environments[language] = _CompilingEnvironment(language)
        return self._environments[language]

    def render(self, name: str, context: dict[str, Any], language: str = "en") -> bytes:
        template = DocxTemplate(io.BytesIO(self.templates[name].data))
        context = dict(context)
        context["logo"] = (
            InlineImage(template, io.BytesIO(self._logo), height=LOGO_HEIGHT) if self._logo else ""
        )
        template.render(context, jinja_env=self.environment(language), autoescape=True)
        out = io.BytesIO()
        template.save(out)
        return out.getvalue()


_CORE_PEOPLE = re.compile(r"<(dc:creator|cp:lastModifiedBy)>[^<]*</\1>")
_FONT_ATTRS = re.compile(r'(w:(?:ascii|hAnsi|cs|eastAsia))="[^"]*"')
_THEME_LATIN = re.compile(r'(<a:latin typeface=)"[^"]*"')


def brand_template(data: bytes, branding: Branding) -> bytes:
    """Apply accent colour and font to a template's XML, and clear people from its properties."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename.endswith(".xml"):
                text = content.decode("utf-8")
                text = text.replace(ACCENT_PLACEHOLDER, branding.accent_color)
                if item.filename == "docProps/core.xml":
                    text = _CORE_PEOPLE.sub(lambda m: f"<{m[1]}>plangen</{m[1]}>", text)
                elif item.filename == "word/styles.xml":
                    text = _FONT_ATTRS.sub(lambda m: f'{m[1]}="{branding.font}"', text)
                elif item.filename.startswith("word/theme/"):
                    text = _THEME_LATIN.sub(lambda m: f'{m[1]}"{branding.font}"', text)
                content = text.encode("utf-8")
            target.writestr(item, content)
    return out.getvalue()

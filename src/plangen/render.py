"""Render documents from docxtpl templates, preparing each template once per run.

Preparation applies the program's branding to the template's bytes (accent
colour, font, neutral document properties) and keeps them in memory; Jinja
compiles each template part once, because docxtpl asks the environment for the
same source on every row and ``_CompilingEnvironment`` remembers it.
Templates run in Jinja's sandbox with ``StrictUndefined``: a template cannot
reach the machine, and a missing field is an error, never a silent blank.
Values are data: they are escaped, never evaluated as template text.

Which templates a run uses: ``--templates DIR``, else ``templates`` under
``[workbook]`` in plangen.toml, else a ``templates/`` folder next to the
workbook, else the defaults; a template missing from the chosen folder falls
back to the default, and the run says so.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import re
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import CodeType
from typing import Any

from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import FileSystemBytecodeCache, StrictUndefined, Template
from jinja2.sandbox import SandboxedEnvironment
from jinja2.utils import missing
from markupsafe import escape

from . import __version__
from .config import Branding
from .fastrender import PackageTemplate
from .i18n import DEFAULT_LANGUAGE, translations
from .manifest import recipe

# Template authors colour accent things with this hex; the program's colour replaces it.
ACCENT_PLACEHOLDER = "1F6F8B"
LOGO_HEIGHT = Mm(14)
TEMPLATE_FILES = {
    "family-plan": "family-plan.docx",
    "ifsp-review": "ifsp-review.docx",
    "diary": "progress-diary.docx",
    "coordinator-packet": "coordinator-packet.docx",
}
OWN_TEMPLATES_DIR = "templates"  # a folder of this name next to the workbook is used when present


def default_templates_dir() -> Path:
    """Templates shipped in the wheel, or the repository's ``templates/`` in a checkout."""
    packaged = Path(__file__).parent / "default_templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "templates"


class TemplatesExist(Exception):
    """``export_templates`` would overwrite files."""

    def __init__(self, paths: list[Path]) -> None:
        super().__init__(", ".join(str(p) for p in paths))
        self.paths = paths


def export_templates(directory: Path, *, force: bool = False) -> list[Path]:
    """Copy the default templates into ``directory`` for a program to edit; never overwrite unasked."""
    source = default_templates_dir()
    targets = [directory / filename for filename in TEMPLATE_FILES.values()]
    existing = [t for t in targets if t.exists()]
    if existing and not force:
        raise TemplatesExist(existing)
    directory.mkdir(parents=True, exist_ok=True)
    for target in targets:
        shutil.copyfile(source / target.name, target)
    return targets


def resolve_templates_dir(
    workbook: Path | None, explicit: Path | None, configured: Path | None
) -> tuple[Path | None, list[str]]:
    """The folder of the program's own templates for a run (None: the defaults), and what to tell."""
    if explicit is not None:
        return explicit, []
    if configured is not None:
        return configured, []
    if workbook is not None:
        beside = workbook.parent / OWN_TEMPLATES_DIR
        if beside.is_dir() and beside.resolve() != default_templates_dir().resolve():
            return beside, [f"Using the templates in {beside} (the folder next to the workbook)."]
    return None, []


class _Undefined(StrictUndefined):
    """A missing name is an error that says what is there instead."""

    __slots__ = ()

    @property
    def _undefined_message(self) -> str:
        if self._undefined_hint:
            return self._undefined_hint
        name, obj = self._undefined_name, self._undefined_obj
        if obj is missing:
            return f"'{name}' is not a variable of this template (docs/templates.md lists them)"
        if isinstance(obj, dict):
            there = ", ".join(sorted(str(k) for k in obj)) or "nothing"
            return f"no value named '{name}' here (there is: {there})"
        return f"a {type(obj).__name__} value has no '{name}'"


def template_environment(language: str = DEFAULT_LANGUAGE) -> SandboxedEnvironment:
    """The sandboxed Jinja environment templates are rendered (and checked) with."""
    return _CompilingEnvironment(language)


_DICT_ATTRIBUTES = frozenset(dir(dict))


class _CompilingEnvironment(SandboxedEnvironment):
    """A sandboxed environment that compiles each distinct template source once."""

    def __init__(self, language: str) -> None:
        super().__init__(undefined=_Undefined, extensions=["jinja2.ext.i18n"], autoescape=True)
        catalog = translations(language)
        # Jinja marks a translation safe as it is; escape it, or an '&' in a catalog breaks the XML.
        self.install_gettext_callables(  # type: ignore[attr-defined]
            lambda text: escape(catalog.gettext(text)),
            lambda singular, plural, n: escape(catalog.ngettext(singular, plural, n)),
            newstyle=True,
        )
        self.plangen_gettext = catalog.gettext
        self._compiled: dict[str, Template] = {}

    def getattr(self, obj: Any, attribute: str) -> Any:
        # ``visit.date`` on a context's dict: the key, as the sandbox finds it once ``getattr`` fails,
        # without raising and catching AttributeError on every value of every row.
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)

    def from_string(self, source: Any, globals: Any = None, template_class: Any = None) -> Template:
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        template = self._compiled.get(source)
        if template is None:
            code = _compiled_code(self, source)
            template = self._compiled[source] = self.template_class.from_code(self, code, self.make_globals(None))
        return template


def _compiled_code(environment: SandboxedEnvironment, source: str) -> CodeType:
    """``source`` compiled, from Jinja's bytecode cache when an earlier run compiled it.

    Each run prepares the same few template parts, and compiling them is half of preparing a
    template (about 20 ms each). The cache is Jinja's own, in its private folder under the system's
    temporary folder (0700): it holds the templates' compiled text, never a row's values. An entry
    is keyed by the source, plangen's version and the environment's settings that shape the code
    (its extensions, escaping and gettext style: a change to them in a working copy, with the same
    version, is not given old code), so programs with their own templates share the folder without
    taking each other's entries, and an edited template gets a new one. A cache that cannot be
    used is left alone.
    """
    settings = (sorted(environment.extensions), getattr(environment, "newstyle_gettext", None), environment.optimized,
                *(getattr(s, "__qualname__", s) for s in (environment.autoescape, environment.finalize)))  # fmt: skip
    key = f"plangen {__version__} {settings} {hashlib.sha256(source.encode('utf-8')).hexdigest()}"
    try:
        cache = _bytecode_cache()
        bucket = cache.get_bucket(environment, key, None, source)
    except (OSError, RuntimeError):  # no safe folder, or no room
        return environment.compile(source)
    if bucket.code is None:
        bucket.code = environment.compile(source)
        with contextlib.suppress(OSError):
            cache.set_bucket(bucket)
    return bucket.code


@cache
def _bytecode_cache() -> FileSystemBytecodeCache:
    return FileSystemBytecodeCache(pattern="plangen-%s.cache")


@dataclass
class PreparedTemplate:
    name: str
    path: Path
    data: bytes  # the branded template, ready to load


@dataclass
class Renderer:
    """All templates of a run, prepared once; ``render_document`` makes one document's bytes."""

    branding: Branding
    templates_dir: Path | None = None
    templates: dict[str, PreparedTemplate] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    _environments: dict[str, _CompilingEnvironment] = field(default_factory=dict)
    _packages: dict[tuple[str, str], PackageTemplate] = field(default_factory=dict)
    _recipes: dict[tuple[str, str], bytes] = field(default_factory=dict)
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

    def render_document(
        self,
        name: str,
        context: dict[str, Any],
        language: str = "en",
        images: Callable[[DocxTemplate], dict[str, Any]] | None = None,
    ) -> tuple[bytes, str]:
        """One document, and the SHA-256 of its bytes (for the manifest); ``images(template)`` may
        add InlineImages made for this template (charts)."""
        context = dict(context)
        context["logo"] = (
            # The logo's bytes themselves (fastrender takes bytes), so its digest is computed once.
            InlineImage(_IMAGE_OWNER, self._logo, height=LOGO_HEIGHT) if self._logo else ""
        )
        pictures = ["logo"]
        if images is not None:
            added = images(_IMAGE_OWNER)
            context.update(added)
            pictures.extend(added)
        # The assembled context holds text only: just the pictures added here need a row's part.
        return self.package(name, language).render_document(context, images=pictures)

    def recipe(self, name: str, language: str) -> bytes:
        """What each document of template ``name`` in ``language`` is made from besides its context
        (``manifest.fingerprint``), worked out once per run."""
        key = (name, language)
        if key not in self._recipes:
            self._recipes[key] = recipe(self.templates[name].data, self.branding, language, name, self._logo)
        return self._recipes[key]

    def package(self, name: str, language: str) -> PackageTemplate:
        """The template prepared for fast rendering, once per run and language."""
        key = (name, language)
        if key not in self._packages:
            env = self.environment(language)
            self._packages[key] = PackageTemplate(self.templates[name].data, env, env.plangen_gettext)
        return self._packages[key]


# InlineImage wants a template; the prepared renderer gives each row's pictures their part.
_IMAGE_OWNER: Any = object()


_CORE_PEOPLE = re.compile(r"<(dc:creator|cp:lastModifiedBy)>[^<]*</\1>")
# What a template's author (or Word) may have typed into the properties: cleared, never carried over.
_CORE_TEXT = re.compile(r"<(dc:title|dc:subject|cp:keywords|dc:description|cp:category|cp:contentStatus)>[^<]*</\1>")
_CORE_DROPPED = re.compile(r"<cp:lastPrinted>[^<]*</cp:lastPrinted>|<cp:lastPrinted/>")
_APP_TEXT = re.compile(r"<(Company|Manager|HyperlinkBase)>[^<]*</\1>")
_FONT_ATTRS = re.compile(r'(w:(?:ascii|hAnsi|cs|eastAsia))="[^"]*"')
_THEME_LATIN = re.compile(r'(<a:latin typeface=)"[^"]*"')


def brand_template(data: bytes, branding: Branding) -> bytes:
    """Apply accent colour and font to a template's XML, and clear people from its properties.

    A file that is not a Word document is returned as it is: the template check reports it.
    """
    try:
        source = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return data
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename.endswith(".xml"):
                text = content.decode("utf-8")
                text = text.replace(ACCENT_PLACEHOLDER, branding.accent_color)
                if item.filename == "docProps/core.xml":
                    text = _CORE_PEOPLE.sub(lambda m: f"<{m[1]}>plangen</{m[1]}>", text)
                    text = _CORE_DROPPED.sub("", _CORE_TEXT.sub(lambda m: f"<{m[1]}/>", text))
                elif item.filename == "docProps/app.xml":
                    text = _APP_TEXT.sub(lambda m: f"<{m[1]}/>", text)
                elif item.filename == "word/styles.xml":
                    text = _FONT_ATTRS.sub(lambda m: f'{m[1]}="{branding.font}"', text)
                elif item.filename.startswith("word/theme/"):
                    text = _THEME_LATIN.sub(lambda m: f'{m[1]}"{branding.font}"', text)
                content = text.encode("utf-8")
            target.writestr(item, content)
    return out.getvalue()

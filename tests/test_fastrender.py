"""The prepared renderer makes the same documents docxtpl does: text, images, headers, footers."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage, RichText
from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from plangen.fastrender import PackageTemplate

from conftest import AS_OF, REPO, docx_text

LOGO = REPO / "templates" / "logo.png"


def docxtpl_render(data: bytes, context: dict[str, Any], images: dict[str, Path]) -> bytes:
    template = DocxTemplate(io.BytesIO(data))
    context = dict(context, **{k: InlineImage(template, str(p), height=Mm(12)) for k, p in images.items()})
    template.render(context, jinja_env=SandboxedEnvironment(undefined=StrictUndefined), autoescape=True)
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()


def fast_render(data: bytes, context: dict[str, Any], images: dict[str, Path]) -> bytes:
    prepared = PackageTemplate(data, SandboxedEnvironment(undefined=StrictUndefined, autoescape=True))
    scratch = DocxTemplate(io.BytesIO(data))  # InlineImage wants a tpl; the renderer rebinds it
    context = dict(context, **{k: InlineImage(scratch, str(p), height=Mm(12)) for k, p in images.items()})
    return prepared.render(context)


def media(data: bytes) -> list[bytes]:
    package = zipfile.ZipFile(io.BytesIO(data))
    return sorted(package.read(n) for n in package.namelist() if "/media/" in n)


def assert_same_document(tmp_path: Path, expected: bytes, actual: bytes) -> None:
    (tmp_path / "docxtpl.docx").write_bytes(expected)
    (tmp_path / "fast.docx").write_bytes(actual)
    assert docx_text(tmp_path / "fast.docx") == docx_text(tmp_path / "docxtpl.docx")
    assert media(actual) == media(expected)
    assert zipfile.ZipFile(io.BytesIO(actual)).testzip() is None


def feature_template(path: Path) -> bytes:
    """A template with docxtpl's row loop, conditionals, rich text, an inline image, header and footer."""
    doc = Document()
    doc.sections[0].header.paragraphs[0].add_run("{{ program }} header")
    doc.sections[0].footer.paragraphs[0].add_run("Footer for {{ child_id }}")
    doc.add_paragraph().add_run("Plan for {{ name }}")
    doc.add_paragraph().add_run("{%p if show_note %}")
    doc.add_paragraph().add_run("Note: {{ note }}")
    doc.add_paragraph().add_run("{%p endif %}")
    doc.add_paragraph().add_run("{%p if hidden %}")
    doc.add_paragraph().add_run("This must not appear")
    doc.add_paragraph().add_run("{%p endif %}")
    doc.add_paragraph().add_run("{{r rich }}")
    doc.add_paragraph().add_run("{{ picture }}")
    table = doc.add_table(rows=3, cols=2)
    table.cell(0, 0).paragraphs[0].add_run("Step")
    table.cell(0, 1).paragraphs[0].add_run("Who")
    table.cell(1, 0).paragraphs[0].add_run("{%tr for s in steps %}")
    table.cell(2, 0).paragraphs[0].add_run("{{ s.text }}")
    table.cell(2, 1).paragraphs[0].add_run("{{ s.who }}")
    extra = doc.add_table(rows=1, cols=1)
    extra.cell(0, 0).paragraphs[0].add_run("{%tr endfor %}")
    # Move the endfor row into the first table so the loop spans rows 2–3 like real templates.
    table._tbl.append(extra.rows[0]._tr)
    extra._tbl.getparent().remove(extra._tbl)
    doc.save(str(path))
    return path.read_bytes()


def test_row_loops_conditionals_rich_text_and_images_match_docxtpl(tmp_path: Path) -> None:
    data = feature_template(tmp_path / "features.docx")
    rich = RichText("bold & red", bold=True, color="FF0000")
    rich.add(" then plain <text>")
    context = {
        "program": "Riverbend & Co", "child_id": "C-1", "name": "Zoë O'Connor", "show_note": True,
        "note": "line one\nline two\ttabbed {{ not a tag }}", "hidden": False, "rich": rich,
        "steps": [{"text": "Hold up two foods", "who": "Mom"}, {"text": "Wait < 5 seconds", "who": "Dad"}],
    }
    images = {"picture": LOGO}
    expected, actual = docxtpl_render(data, context, images), fast_render(data, context, images)
    assert_same_document(tmp_path, expected, actual)
    text = docx_text(tmp_path / "fast.docx")
    for seen in ("Plan for Zoë O'Connor", "line one\nline two", "{{ not a tag }}", "bold & red then plain <text>",
                 "Wait < 5 seconds", "Riverbend & Co header", "Footer for C-1"):
        assert seen in text, seen
    assert "This must not appear" not in text
    assert len(media(actual)) == 1


def test_the_prepared_template_renders_many_rows_independently(tmp_path: Path) -> None:
    data = feature_template(tmp_path / "features.docx")
    prepared = PackageTemplate(data, SandboxedEnvironment(undefined=StrictUndefined, autoescape=True))
    base = {"program": "P", "child_id": "C", "show_note": False, "note": "", "hidden": False,
            "rich": RichText("r"), "picture": "", "steps": []}
    first = prepared.render(dict(base, name="First family"))
    second = prepared.render(dict(base, name="Second family"))
    (tmp_path / "1.docx").write_bytes(first)
    (tmp_path / "2.docx").write_bytes(second)
    assert "First family" in docx_text(tmp_path / "1.docx")
    assert "Second family" in docx_text(tmp_path / "2.docx")
    assert "First family" not in docx_text(tmp_path / "2.docx")


def test_pictures_new_on_every_document_keep_no_memory_behind(tmp_path: Path) -> None:
    """A packet's charts are new pictures each time: the renderer's caches of pictures stay bounded."""
    import plangen.fastrender as fastrender
    from plangen.chart import ChartVisit, visit_chart
    from plangen.dates import range_period

    data = feature_template(tmp_path / "features.docx")
    prepared = PackageTemplate(data, SandboxedEnvironment(undefined=StrictUndefined, autoescape=True))
    scratch = DocxTemplate(io.BytesIO(data))
    period = range_period(AS_OF, AS_OF)
    base = {"program": "P", "child_id": "C", "name": "N", "show_note": False, "note": "", "hidden": False,
            "rich": RichText("r"), "steps": []}
    for n in range(3 * fastrender._REPEATED_CACHE_SIZE):
        chart = visit_chart([ChartVisit(AS_OF, f"day {n}", "done", "yes")], period)  # a new picture each time
        out = prepared.render(dict(base, picture=InlineImage(scratch, io.BytesIO(chart), height=Mm(12))))
    assert chart in media(out)
    for cache in (fastrender._IMAGE_CACHE, fastrender._INLINE_CACHE, fastrender._DIGESTS):
        assert len(cache) <= fastrender._REPEATED_CACHE_SIZE


@pytest.mark.parametrize("name", ["family-plan", "ifsp-review"])
def test_shipped_templates_match_docxtpl_on_the_sample(name: str, tmp_path: Path) -> None:
    from plangen.assemble import family_plan_context, ifsp_review_context
    from plangen.build import load
    from plangen.config import load_config

    config = load_config(REPO / "input" / "plangen.toml")
    dataset = load(REPO / "input" / "sample-program.xlsx", config, AS_OF)
    make = {"family-plan": family_plan_context, "ifsp-review": ifsp_review_context}[name]
    data = (REPO / "templates" / f"{name}.docx").read_bytes()
    env = SandboxedEnvironment(undefined=StrictUndefined, extensions=["jinja2.ext.i18n"], autoescape=True)
    env.install_null_translations(newstyle=True)  # type: ignore[attr-defined]
    done = [v for v in dataset.visits if v.get("visit_status") == "done"]
    for visit in (done[0], done[-1]):
        context = make(dataset, dataset.child_of(visit), visit, config.branding)
        template = DocxTemplate(io.BytesIO(data))
        context_a = dict(context, logo=InlineImage(template, str(LOGO), height=Mm(14)))
        template.render(context_a, jinja_env=env, autoescape=True)
        out = io.BytesIO()
        template.save(out)
        prepared = PackageTemplate(data, env)
        context_b = dict(context, logo=InlineImage(DocxTemplate(io.BytesIO(data)), str(LOGO), height=Mm(14)))
        assert_same_document(tmp_path, out.getvalue(), prepared.render(context_b))


def test_the_same_content_gives_the_same_bytes(tmp_path: Path) -> None:
    data = feature_template(tmp_path / "features.docx")
    context = {"program": "P", "child_id": "C", "show_note": False, "note": "", "hidden": False,
               "rich": RichText("r"), "steps": [], "name": "Same family"}
    first = fast_render(data, context, {"picture": LOGO})
    second = fast_render(data, context, {"picture": LOGO})
    assert first == second


def test_tabs_breaks_and_new_paragraphs_typed_in_values_come_out_as_docxtpl_makes_them(tmp_path: Path) -> None:
    """Only paragraphs holding a tab, line break, \\a or \\f are resolved; the XML is docxtpl's to the byte."""
    data = feature_template(tmp_path / "features.docx")
    context = {
        "program": "Riverbend\tEI", "child_id": "C-1", "name": "Zoë", "show_note": True,
        "note": "one\ttwo\nthree\afour\fpage two", "hidden": False, "rich": "",
        "steps": [{"text": "Hold up\ntwo foods", "who": "Mom"}, {"text": "Wait", "who": "Dad\tand Grandma"}],
    }
    expected, actual = docxtpl_render(data, context, {"picture": LOGO}), fast_render(data, context, {"picture": LOGO})
    assert_same_document(tmp_path, expected, actual)

    def body(document: bytes) -> str:
        return zipfile.ZipFile(io.BytesIO(document)).read("word/document.xml").decode()

    for piece in ('<w:br/><w:t xml:space="preserve">three', '<w:br w:type="page"/>', "<w:tab/>"):
        assert piece in body(actual)
    assert body(actual).count("<w:br/>") == body(expected).count("<w:br/>") == 2
    assert body(actual).count("<w:tab/>") == body(expected).count("<w:tab/>")


def test_a_template_compiled_by_an_earlier_run_is_loaded_not_compiled_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Jinja's bytecode cache: a second run renders the same document without compiling; a template
    that changed (here its accent colour) is compiled anew; a cache that cannot be used costs nothing."""
    import dataclasses

    from jinja2 import FileSystemBytecodeCache

    import plangen.render as render
    from plangen.assemble import family_plan_context
    from plangen.build import load
    from plangen.config import Config

    config = Config()
    dataset = load(REPO / "input" / "sample-program.xlsx", config, AS_OF)
    visit = next(v for v in dataset.visits if v.get("visit_status") == "done")
    context = family_plan_context(dataset, dataset.child_of(visit), visit, config.branding)
    (tmp_path / "cache").mkdir()
    cache = FileSystemBytecodeCache(str(tmp_path / "cache"), pattern="plangen-%s.cache")
    monkeypatch.setattr(render, "_bytecode_cache", lambda: cache)
    compiled: list[str] = []
    compile_source = render._CompilingEnvironment.compile

    def counted(self: Any, source: Any, *args: Any, **kwargs: Any) -> Any:
        compiled.append(source)
        return compile_source(self, source, *args, **kwargs)

    monkeypatch.setattr(render._CompilingEnvironment, "compile", counted)

    def run(branding: Any) -> bytes:  # a new run: nothing compiled in memory yet
        return render.Renderer(branding).render_document("family-plan", context, "en")[0]

    first = run(config.branding)
    assert len(compiled) >= 1, "the first run compiles the template's parts"
    assert len(list((tmp_path / "cache").glob("plangen-*.cache"))) == len(compiled)
    compiled.clear()
    assert run(config.branding) == first
    assert compiled == [], "the second run loads what the first compiled"
    recoloured = run(dataclasses.replace(config.branding, accent_color="AA3377"))
    assert len(compiled) >= 1, "a changed template is compiled anew"
    assert "AA3377" in zipfile.ZipFile(io.BytesIO(recoloured)).read("word/document.xml").decode()

    compiled.clear()
    escaping, plain = render.template_environment("en"), render.template_environment("en")
    plain.autoescape = False
    for env in (escaping, plain, escaping, plain):
        code = render._compiled_code(env, "{{ x }}")
        printed = env.template_class.from_code(env, code, env.make_globals(None)).render(x="<b>")
        assert printed == ("&lt;b&gt;" if env is escaping else "<b>"), "each setting gets its own code"
    assert compiled == ["{{ x }}", "{{ x }}"], "once per setting, then from the cache"

    def unusable() -> FileSystemBytecodeCache:
        raise RuntimeError("Cannot determine safe temp directory.")

    monkeypatch.setattr(render, "_bytecode_cache", unusable)
    compiled.clear()
    assert run(config.branding) == first, "without a cache, the same document"
    assert len(compiled) >= 1, "compiled as it always was"

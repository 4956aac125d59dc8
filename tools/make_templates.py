"""Write plangen's default templates: templates/family-plan.docx, ifsp-review.docx, logo.png.

Run: /work/venv/bin/python tools/make_templates.py (the output is byte-identical on every run).
The renderer string-replaces ACCENT in every XML part and swaps the docDefaults font, so ACCENT
marks accent things only, never via theme colours. Family-plan phrases go through gettext `_()`.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Inches, Pt, RGBColor
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from PIL import Image, ImageDraw, ImageFont

OUT = Path(__file__).resolve().parent.parent / "templates"
ACCENT = "1F6F8B"  # placeholder for the program colour: accent things only
GREY, RULE, FONT = "595959", "BFBFBF", "Calibri"
WIDTH, PAD = 7.2, 85  # text width (in: Letter minus 0.65 in margins), cell padding (twips)
RIGHT = WD_ALIGN_PARAGRAPH.RIGHT
Part = str | tuple[str, str]  # text or (text, flags): b/n bold/not, i, a accent, g grey, s small

# Word rejects properties out of schema order: each element goes before these siblings.
_BEFORE = {
    "w:tblW": ("w:jc", "w:tblBorders", "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook"),
    "w:tblBorders": ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook"),
    "w:tblCellMar": ("w:tblLook",),
    "w:tcBorders": ("w:shd", "w:noWrap", "w:tcMar", "w:vAlign", "w:hideMark"),
    "w:shd": ("w:noWrap", "w:tcMar", "w:vAlign", "w:hideMark"),
    "w:pBdr": ("w:shd", "w:tabs", "w:spacing", "w:ind", "w:jc", "w:outlineLvl", "w:rPr"),
    "w:cantSplit": ("w:trHeight", "w:tblHeader", "w:jc"),
    "w:tblHeader": ("w:jc",),
    "w:rPr": ("w:sectPr", "w:pPrChange"),
}


def _t(text: str) -> str:
    """A fixed family-plan phrase for gettext: whole phrases, so translators have context."""
    if '"' in text:
        raise ValueError(f"no double quotes inside _(): {text}")
    return '{{ _("' + text + '") }}'


def _put(parent: BaseOxmlElement, tag: str, **attrs: str) -> BaseOxmlElement:
    """Add (or replace) a property element, in schema order."""
    if (old := parent.find(qn(tag))) is not None:
        parent.remove(old)
    el = OxmlElement(tag, {qn(f"w:{k}"): val for k, val in attrs.items()})
    parent.insert_element_before(el, *_BEFORE.get(tag, ()))
    return el


def lines(pr: BaseOxmlElement, tag: str, edges: str, color: str = RULE, sz: int = 4,
          val: str = "single") -> None:
    """Borders on a tblPr/tcPr/pPr; edges in schema order (top left bottom right insideH)."""
    box = _put(pr, tag)
    for edge in edges.split():
        attrs = {"val": val, "sz": str(sz), "space": "1", "color": color}
        box.append(OxmlElement(f"w:{edge}", {qn(f"w:{k}"): a for k, a in attrs.items()}))


def tint(cell: _Cell, pct: int) -> None:
    # A pattern of ACCENT over white: a light tint that follows the renderer's colour swap.
    _put(cell._tc.get_or_add_tcPr(), "w:shd", val=f"pct{pct}", color=ACCENT, fill="FFFFFF")


def fmt_run(run: Run, flags: str) -> Run:
    run.bold = True if "b" in flags else (False if "n" in flags else None)
    run.italic = "i" in flags or None
    if "a" in flags or "g" in flags:
        run.font.color.rgb = RGBColor.from_string(ACCENT if "a" in flags else GREY)
    if "s" in flags:
        run.font.size = Pt(8.5)
    return run


def para(box: Any, *parts: Part, style: str | None = None, **fmt: Any) -> Paragraph:
    """Runs with every tag whole in one run (docxtpl needs that); fmt: paragraph_format attrs."""
    fresh = isinstance(box, _Cell) and len(box.paragraphs) == 1 and not box.paragraphs[0].runs
    p = box.paragraphs[0] if fresh else box.add_paragraph()
    if style:
        p.style = style
        if isinstance(box, _Cell):  # a heading's keep-with-next would chain whole tables
            fmt.setdefault("keep_with_next", False)
    for part in parts:
        text, flags = (part, "") if isinstance(part, str) else part
        fmt_run(p.add_run(text), flags)
    for key, value in fmt.items():
        setattr(p.paragraph_format, key, value)
    return p


def gap(box: Any, after: float = 0) -> None:
    """A hairline paragraph: keeps tables apart (Word merges adjacent ones), no blank line."""
    mark = _put(para(box, space_after=Pt(after))._p.get_or_add_pPr(), "w:rPr")
    mark.append(OxmlElement("w:sz", {qn("w:val"): "2"}))


def tag(box: Any, statement: str) -> None:
    """A docxtpl block tag: its whole paragraph (or table row) becomes `{% statement %}`."""
    if isinstance(box, Table):
        para(box.add_row().cells[0], "{%tr " + statement + " %}")
    else:
        para(box, "{%p " + statement + " %}")


def optional(box: Any, cond: str, *parts: Part, **fmt: Any) -> None:
    tag(box, f"if {cond}")
    para(box, *parts, **fmt)
    tag(box, "endif")


def table(box: Any, widths: list[float], rows: int = 1, header: tuple[str, ...] = ()) -> Table:
    # tblInd 0 (compat mode 14) starts cell text at the margin: widen by the padding on both
    # sides so table text lines up with body text left and right.
    widths = [*widths[:-1], widths[-1] + 2 * PAD / 1440]
    if isinstance(box, DocxDocument):
        t = box.add_table(rows, len(widths))
    else:
        t = box.add_table(rows, len(widths), Inches(sum(widths)))
    t.autofit = False  # fixed layout: Word and LibreOffice agree on the widths
    _put(t._tbl.tblPr, "w:tblW", w=str(round(sum(widths) * 1440)), type="dxa")
    mar = _put(t._tbl.tblPr, "w:tblCellMar")
    for side, twips in (("top", 20), ("left", PAD), ("bottom", 20), ("right", PAD)):
        mar.append(OxmlElement(f"w:{side}", {qn("w:w"): str(twips), qn("w:type"): "dxa"}))
    for col, w in zip(t.columns, widths, strict=True):
        for cell in col.cells:
            cell.width = Inches(w)
        col.width = Inches(w)
    if header:  # tinted, repeated on each page, rules between rows
        for cell, label in zip(new_row(t, header=True).cells, header, strict=True):
            tint(cell, 15)
            para(cell, (label, "ba"))
        lines(t._tbl.tblPr, "w:tblBorders", "bottom insideH")
    return t


def new_row(t: Table, header: bool = False) -> _Row:
    row = t.rows[0] if header else t.add_row()
    _put(row._tr.get_or_add_trPr(), "w:cantSplit")  # a strategy or outcome stays on one page
    if header:
        _put(row._tr.get_or_add_trPr(), "w:tblHeader")
    return row


def boxed(doc: DocxDocument, title: str) -> _Cell:
    """A tinted one-cell box with an accent bar on the left, opened by a heading."""
    cell = table(doc, [WIDTH]).cell(0, 0)
    tint(cell, 10)
    lines(cell._tc.get_or_add_tcPr(), "w:tcBorders", "left", ACCENT, sz=24)
    para(cell, title, style="Heading 2", space_before=Pt(2))
    return cell


def new_doc(title: str, page: str = "") -> DocxDocument:
    """Letter page, docDefaults font, accent headings, branded header and footer."""
    doc = Document()
    doc.core_properties.title, doc.core_properties.author = title, "plangen"
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Inches(8.5), Inches(11)
    sec.top_margin = sec.bottom_margin = Inches(0.6)
    sec.left_margin = sec.right_margin = Inches(0.65)
    sec.header_distance = sec.footer_distance = Inches(0.3)
    for rf in doc.styles.element.iter(qn("w:rFonts")):  # theme fonts would beat the font swap
        for attr in [a for a in rf.attrib if a.lower().endswith("theme")]:
            del rf.attrib[attr]
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    defaults.find(".//" + qn("w:rFonts")).attrib.update(
        {qn(f"w:{a}"): FONT for a in ("ascii", "hAnsi", "eastAsia", "cs")})
    for size in ("w:sz", "w:szCs"):
        defaults.find(".//" + qn(size)).set(qn("w:val"), "21")  # 10.5 pt
    spacing = {qn("w:after"): "30", qn("w:line"): "240"}  # compact: 1.5 pt after, single
    defaults.find(".//" + qn("w:spacing")).attrib.update(spacing)
    for name, pt, before in (("Heading 1", 16, 4), ("Heading 2", 12, 6)):
        style = doc.styles[name]
        style.element.remove(style.element.rPr)  # drops the theme colour and theme font
        style.font.bold, style.font.size = True, Pt(pt)
        style.font.color.rgb = RGBColor.from_string(ACCENT)
        style.paragraph_format.space_before, style.paragraph_format.space_after = Pt(before), Pt(1)

    hdr = sec.header
    hdr._element.remove(hdr.paragraphs[0]._p)
    logo_cell, name = table(hdr, [1.2, WIDTH - 1.2]).rows[0].cells
    para(logo_cell, "{{ logo }}")  # own run: docxtpl swaps in the InlineImage's drawing
    para(name, ("{{ program.name }}", "ba"), alignment=RIGHT).runs[0].font.size = Pt(13)
    para(name, ("{{ program.contact_line }}", "gs"), alignment=RIGHT)
    for cell in (logo_cell, name):
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    lines(hdr.tables[0]._tbl.tblPr, "w:tblBorders", "bottom", ACCENT, sz=8)
    gap(hdr)  # a header must end with a paragraph

    foot = sec.footer.paragraphs[0]
    foot.style = doc.styles["Normal"]  # the stock Footer style's tab stops would beat ours
    lines(foot._p.get_or_add_pPr(), "w:pBdr", "top", ACCENT)
    fmt_run(foot.add_run("{{ program.footer }}"), "gs")
    foot.alignment = None if page else WD_ALIGN_PARAGRAPH.CENTER
    if page:
        foot.paragraph_format.tab_stops.add_tab_stop(Inches(WIDTH), WD_TAB_ALIGNMENT.RIGHT)
        for text, field in ((f"\t{page} · page ", "PAGE"), (" of ", "NUMPAGES")):
            fmt_run(foot.add_run(text), "gs")
            run = fmt_run(foot.add_run("1"), "gs")
            fld = OxmlElement("w:fldSimple", {qn("w:instr"): f" {field} "})  # updated on open
            run._r.addprevious(fld)
            fld.append(run._r)
    return doc


def family_plan() -> DocxDocument:
    doc = new_doc("Our plan")
    para(doc, _t("Our plan for") + " {{ child_name }}", style="Heading 1")
    para(doc, ("{{ visit_date }}{% if visit_time %}, {{ visit_time }}{% endif %}", "b"),
         "  ·  " + _t("Who was there:") + " {{ caregiver_names }}, {{ provider_name }}"
         "{% if provider_discipline %} ({{ provider_discipline }}){% endif %}")
    para(doc, (_t("We made this plan together. You know your child best."), "i"),
         "{% if family_strengths %} ", (_t("What your family does well:"), "b"),
         " {{ family_strengths }}{% endif %}", space_after=Pt(5))

    # Follow-up on the last plan opens the page: the plan is a bridge between visits.
    box = boxed(doc, _t("How did it go?"))
    tag(box, "if is_first_visit")
    para(box, _t("This is our first plan together."))
    tag(box, "elif previous or followup.used_text or followup.worked or followup.hard")
    optional(box, "previous", (_t("Last plan:"), "b"),
             " {{ previous.visit_date }}{% if previous.routine %}, {{ previous.routine }}"
             '{% endif %}{% if previous.strategies %}: {{ previous.strategies|join("; ") }}'
             "{% endif %}")
    optional(box, "followup.used_text or followup.still_priority",
             '{{ followup.used_text }}{% if followup.still_priority == "yes" %} '
             + _t("It is still our top priority.") + '{% elif followup.still_priority == "no" %} '
             + _t("We are ready for a new focus.") + "{% endif %}")
    optional(box, "followup.worked or followup.hard",
             "{% if followup.worked %}", (_t("What worked:"), "b"), " {{ followup.worked }}",
             "{% if followup.hard %}  ·  {% endif %}{% endif %}{% if followup.hard %}",
             (_t("What was hard:"), "b"), " {{ followup.hard }}{% endif %}")
    tag(box, "else")
    para(box, _t("We start fresh with this plan."))
    tag(box, "endif")

    para(doc, _t("Where the plan lives"), style="Heading 2")
    para(doc, (_t("Routine:"), "b"), " {{ routine }}")
    tag(doc, "for o in outcomes_served")
    para(doc, (_t("Our goal") + " {{ o.number }}:", "b"), " {{ o.statement }}")
    tag(doc, "endfor")

    para(doc, _t("What we will do"), style="Heading 2")
    why = _t("Why: what") + " {{ child_name }} " + _t("will learn")
    t = table(doc, [3.55, 0.95, 1.1, 1.6], header=(_t("Steps"), _t("Who"), _t("When"), why))
    tag(t, "for s in strategies")
    steps, *rest = new_row(t).cells
    para(steps, ("{{ s.title }}", "b"))
    tag(steps, "for step in s.steps")
    para(steps, "{{ loop.index }}.\t{{ step }}", left_indent=Inches(0.2),
         first_line_indent=Inches(-0.2))
    tag(steps, "endfor")
    for cell, key in zip(rest, ("who", "when", "why"), strict=True):
        para(cell, f"{{{{ s.{key} }}}}")
    for p in [p for cell in (steps, *rest) for p in cell.paragraphs]:
        p.paragraph_format.keep_with_next = True  # the strategy stays with its Plan B
    tag(t, "if s.plan_b")
    plan_b = new_row(t).cells
    para(plan_b[0].merge(plan_b[-1]), (_t("Plan B."), "ba"), " ",
         (_t("If it does not work, try:"), "i"), " {{ s.plan_b }}", space_after=Pt(3))
    tag(t, "endif")
    tag(t, "endfor")
    gap(doc, after=2)

    def next_visit(box: Any) -> None:
        para(box, _t("Our next visit"), style="Heading 2")
        para(box, ("{% if next_visit_date %}{{ next_visit_date }}{% if next_visit_time %}, "
                   "{{ next_visit_time }}{% endif %}{% else %}"
                   + _t("We will set the date together.") + "{% endif %}", "b"))
        optional(box, "next_visit_focus", (_t("What we will do:"), "b"), " {{ next_visit_focus }}")

    # The family's words and the next visit sit side by side, to keep the plan to one page.
    tag(doc, "if caregiver_words")
    words, later = table(doc, [3.8, 3.4]).rows[0].cells
    para(words, _t("In your words"), style="Heading 2")
    para(words, ("“{{ caregiver_words }}”", "i"))
    next_visit(later)
    tag(doc, "else")
    next_visit(doc)
    tag(doc, "endif")

    para(doc, _t("Notes for this week"), "   ",
         (_t("Write down what you notice. We will look at it together next time."), "gn"),
         style="Heading 2").runs[-1].font.size = Pt(9)
    notes = table(doc, [2.3, 0.15, 2.3, 0.15, 2.3], rows=3)  # narrow gaps split the rules
    for col, label in zip((0, 2, 4), ("What went well", "What was hard", "Questions for next time"),
                          strict=True):
        para(notes.cell(0, col), (_t(label), "ba"))
        for r in (1, 2):  # dotted writing lines
            lines(notes.cell(r, col)._tc.get_or_add_tcPr(), "w:tcBorders", "bottom", val="dotted")
    for i, row in enumerate(notes.rows):
        if i:
            row.height, row.height_rule = Inches(0.28), WD_ROW_HEIGHT_RULE.EXACTLY
        for cell in row.cells if i < 2 else ():  # the notes block never splits across pages
            cell.paragraphs[0].paragraph_format.keep_with_next = True
    return doc


def ifsp_review() -> DocxDocument:
    doc = new_doc("IFSP review", page="Child ID {{ child_id }}")
    para(doc, "IFSP review — Child ID {{ child_id }}", style="Heading 1")
    para(doc, ("Prepared {{ generated_on }} for the IFSP team. Contains confidential "
               "information about a child and family.", "gs"), space_after=Pt(4))

    def facts(title: str, per_row: int, *rows: str) -> None:
        """Rows 'Label|value' or, one per row, 'Label|value|condition' (shown only if true)."""
        para(doc, title, style="Heading 2")
        t = table(doc, [1.4, WIDTH / per_row - 1.4] * per_row, rows=0)
        for i, row in enumerate(rows):
            label, value, cond = (*row.split("|"), "")[:3]
            if cond:
                tag(t, f"if {cond}")
            cells = (new_row(t) if i % per_row == 0 else t.rows[-1]).cells
            para(cells[i % per_row * 2], (label, "g"))
            para(cells[i % per_row * 2 + 1], value)
            if cond:
                tag(t, "endif")

    facts("Child", 2, "Name|{{ child_name }}", "Date of birth|{{ date_of_birth }}", "Age|{{ age }}",
          "Family language|{{ family_language }}", "Caregivers|{{ caregiver_names }}",
          "Service coordinator|{{ coordinator_name }}", "Primary provider|{{ primary_provider }}")
    facts("IFSP dates", 2, "IFSP date|{{ ifsp_date }}", "Last review|{{ last_review_date }}",
          "Next review due|{{ next_review_due }}", "Services end|{{ service_end_date }}")
    gap(doc, after=8)
    action = boxed(doc, "Needs your action")
    tag(action, "for item in sc_items")
    para(action, ("{{ item.label }}:", "b"), " {{ item.text }}")
    tag(action, "else")
    para(action, "Nothing from this visit needs your action.")
    tag(action, "endfor")

    facts("This visit", 1,
          "Date|{{ visit_date }}{% if visit_time %}, {{ visit_time }}{% endif %}",
          "Provider|{{ provider_name }}{% if provider_discipline %} ({{ provider_discipline }})"
          "{% endif %}", "Visit status|{{ visit_status }}", "Routine|{{ routine }}",
          "Practiced|{{ practiced }}|practiced",
          "Strategies|{% for s in strategies %}{{ s.number }}. {{ s.title }}{% if s.who %} "
          "({{ s.who }}){% endif %}{% if not loop.last %}; {% endif %}{% endfor %}|strategies",
          'Last plan|Used: {{ followup.used or "not recorded" }}. Still the priority: '
          '{{ followup.still_priority or "not recorded" }}.{% if followup.worked %} Worked: '
          "{{ followup.worked }}{% endif %}{% if followup.hard %} Hard: {{ followup.hard }}"
          "{% endif %}|not is_first_visit",
          "Next visit|{{ next_visit_date }}{% if next_visit_time %}, {{ next_visit_time }}"
          "{% endif %}{% if next_visit_focus %} — {{ next_visit_focus }}{% endif %}"
          "|next_visit_date or next_visit_focus")

    para(doc, "Outcomes", style="Heading 2")
    tag(doc, "if outcomes")
    columns = ("#", "Outcome", "Status", "Progress / this visit")
    t = table(doc, [0.35, 3.25, 1.1, 2.5], header=columns)
    tag(t, "for o in outcomes")
    num, outcome, status, progress = new_row(t).cells
    para(num, ("{{ o.number }}", "b"))
    para(outcome, "{{ o.statement }}")
    optional(outcome, "o.criteria", ("We'll know when: {{ o.criteria }}", "gs"))
    optional(outcome, "o.kind or o.target_date",
             ("{% if o.kind %}{{ o.kind|capitalize }} outcome{% endif %}{% if o.kind and "
              "o.target_date %} · {% endif %}{% if o.target_date %}target {{ o.target_date }}"
              "{% endif %}", "gs"))
    para(status, "{{ o.status }}")
    optional(status, "o.status_date", ("{{ o.status_date }}", "gs"))
    optional(progress, "o.reported_met", ("Provider reports met — update the IFSP", "ba"))
    optional(progress, "o.addressed_this_visit", ("Worked on this visit", "a"))
    para(progress, "{{ o.progress_notes }}")
    tag(t, "endfor")
    tag(doc, "else")
    para(doc, "No IFSP outcomes on file for this child.")
    tag(doc, "endif")
    return doc


def facts_grid(box: Any, rows: list[str], per_row: int = 2, label: float = 1.3) -> Table:
    """A borderless grid of 'Label|value' pairs, ``per_row`` pairs to a row."""
    t = table(box, [label, WIDTH / per_row - label] * per_row, rows=0)
    for i, row in enumerate(rows):
        name, value = row.split("|", 1)
        cells = (new_row(t) if i % per_row == 0 else t.rows[-1]).cells
        para(cells[i % per_row * 2], (name, "g"))
        para(cells[i % per_row * 2 + 1], value)
    return t


def progress_diary() -> DocxDocument:
    """Every plan of a child and how it went, in the family's language: theirs to keep."""
    doc = new_doc("Our progress diary")
    para(doc, _t("Our progress diary") + " · {{ child_name }}", style="Heading 1")
    para(doc, ("{{ caregiver_names }}", "b"), "  ·  ",
         (_t("Every plan we made together, and how it went. It is yours to keep."), "i"))
    optional(doc, "family_strengths", (_t("What your family does well:"), "b"), " {{ family_strengths }}")
    gap(doc, after=4)

    tag(doc, "for e in entries")
    para(doc, "{{ e.visit_date }}{% if e.routine %}  ·  {{ e.routine }}{% endif %}", style="Heading 2",
         keep_with_next=True, space_before=Pt(10))
    para(doc, (_t("Who was there:"), "g"), " {{ caregiver_names }}, {{ e.provider_name }}"
         "{% if e.provider_discipline %} ({{ e.provider_discipline }}){% endif %}", keep_with_next=True)
    tag(doc, "for o in e.outcomes_served")
    para(doc, (_t("Our goal") + " {{ o.number }}:", "b"), " {{ o.statement }}", keep_with_next=True)
    tag(doc, "endfor")
    why = _t("Why: what") + " {{ child_name }} " + _t("will learn")
    t = table(doc, [3.55, 0.95, 1.1, 1.6], header=(_t("Steps"), _t("Who"), _t("When"), why))
    tag(t, "for s in e.strategies")
    steps, *rest = new_row(t).cells
    para(steps, ("{{ s.title }}", "b"))
    tag(steps, "for step in s.steps")
    para(steps, "{{ loop.index }}.\t{{ step }}", left_indent=Inches(0.2), first_line_indent=Inches(-0.2))
    tag(steps, "endfor")
    for cell, key in zip(rest, ("who", "when", "why"), strict=True):
        para(cell, f"{{{{ s.{key} }}}}")
    tag(t, "if s.plan_b")
    plan_b = new_row(t).cells
    para(plan_b[0].merge(plan_b[-1]), (_t("Plan B."), "ba"), " ", (_t("If it does not work, try:"), "i"),
         " {{ s.plan_b }}")
    tag(t, "endif")
    tag(t, "endfor")
    optional(doc, "e.caregiver_words", (_t("In your words") + ": ", "b"), ("“{{ e.caregiver_words }}”", "i"),
             space_before=Pt(3))
    tag(doc, "if e.how_it_went or e.is_latest")
    gap(doc, after=2)
    box = boxed(doc, _t("How did it go?"))
    tag(box, "if e.how_it_went")
    optional(box, "e.how_it_went.used_text or e.how_it_went.still_priority",
             '{{ e.how_it_went.used_text }}{% if e.how_it_went.still_priority == "yes" %} '
             + _t("It is still our top priority.") + '{% elif e.how_it_went.still_priority == "no" %} '
             + _t("We are ready for a new focus.") + "{% endif %}")
    optional(box, "e.how_it_went.worked", (_t("What worked:"), "b"), " {{ e.how_it_went.worked }}")
    optional(box, "e.how_it_went.hard", (_t("What was hard:"), "b"), " {{ e.how_it_went.hard }}")
    tag(box, "else")
    para(box, _t("We will look at how it went at our next visit."))
    tag(box, "endif")
    tag(doc, "endif")
    tag(doc, "endfor")
    return doc


def coordinator_packet() -> DocxDocument:
    """One per service coordinator per period: flags first, then a section per child."""
    doc = new_doc("Coordinator update packet", page="Update packet")
    name_cell = doc.sections[0].header.tables[0].cell(0, 1)
    para(name_cell, ("{{ coordinator_name }} · {{ period }}", "b"), alignment=RIGHT)

    para(doc, "Coordinator update packet", style="Heading 1")
    para(doc, ("For {{ coordinator_name }} · {{ period }}", "b"))
    para(doc, ("Prepared {{ generated_on }}; deadlines are judged on this date. For the IFSP team: "
               "confidential information about children and families.", "gs"), space_after=Pt(4))
    facts_grid(doc, ["Families seen|{{ families_seen }}", "Visits|{{ visits_total }}",
                     "Visits done|{{ visits_done }}", "Cancelled|{{ visits_cancelled }}",
                     "Needs your action|{{ flags|length }} ({{ overdue }} overdue)",
                     "No-show|{{ visits_no_show }}"])

    para(doc, "Families in this packet", style="Heading 2")
    t = table(doc, [0.9, 1.9, 3.6, 0.8], header=("Child ID", "Name", "This period", "Flags"))
    tag(t, "for c in children")
    cid, name, period, count = new_row(t).cells
    para(cid, ("{{ c.child_id }}", "b"))
    para(name, "{{ c.child_name }}")
    para(period, "{{ c.visits_brief }}")
    para(count, "{{ c.flags|length }}")
    tag(t, "endfor")
    gap(doc, after=6)

    para(doc, "Needs your action", style="Heading 2")
    tag(doc, "if flags")
    para(doc, ("Most urgent first: overdue, then due within 30 days, then follow-ups.", "gs"))
    t = table(doc, [1.05, 0.7, 2.75, 1.45, 1.25],
              header=("Due", "Child", "What happened", "Rule or reason", "From visit"))
    tag(t, "for f in flags")
    due, child, what, why, source = new_row(t).cells
    para(due, ("{{ f.due or f.urgency }}", "b"))
    optional(due, "f.due_note", ("{{ f.due_note }}", "as"))
    para(child, ("{{ f.child_id }}", "b"))
    para(what, ("{{ f.title }}", "b"))
    para(what, "{{ f.detail }}")
    optional(what, "f.note", ("“{{ f.note }}”", "i"))
    para(why, ("{{ f.rule }}", "gs"))
    para(source, ("{{ f.source }}", "s"))
    tag(t, "endfor")
    tag(doc, "else")
    para(doc, "Nothing needs your action for these families.")
    tag(doc, "endif")

    # One section per child, each on a new page; the header and footer stay the same.
    tag(doc, "for c in children")
    para(doc, "{{ c.child_id }} · {{ c.child_name }}", style="Heading 1", page_break_before=True)
    facts_grid(doc, ["Date of birth|{{ c.date_of_birth }} (age {{ c.age }})",
                     "Caregivers|{{ c.caregiver_names }}",
                     "Family language|{{ c.family_language }}",
                     "Primary provider|{{ c.primary_provider }}",
                     "IFSP date|{{ c.ifsp_date }}", "Annual IFSP due|{{ c.annual_due }}",
                     "Last review|{{ c.last_review_date or 'none yet' }}",
                     "Next review due|{{ c.next_review_due }}",
                     "Services end|{{ c.service_end_date }}",
                     "Transition window|{{ c.transition_window }}"])
    tag(doc, "if c.stage")
    gap(doc, after=4)
    box = boxed(doc, "Concurrent planning: stage {{ c.stage.number }}, {{ c.stage.name }} "
                     "({{ c.stage.months }})")
    para(box, ("{{ c.stage.opened }} {{ c.stage.how }}", "gs"))
    para(box, ("Parent: ", "b"), "{{ c.stage.parent }}")
    para(box, ("Worker: ", "b"), "{{ c.stage.worker }}")
    optional(box, "c.stage.past_limit", ("The case is past 15 months: see Needs your action.", "ba"))
    tag(doc, "endif")

    para(doc, "Needs your action", style="Heading 2")
    tag(doc, "for f in c.flags")
    para(doc, ("{{ f.title }}", "b"), "{% if f.due %}: {{ f.due }} ({{ f.due_note }}){% endif %}",
         left_indent=Inches(0.15))
    tag(doc, "else")
    para(doc, "Nothing flagged for this child.")
    tag(doc, "endfor")

    para(doc, "Visits", style="Heading 2")
    para(doc, "{{ c.chart }}", keep_with_next=True)  # own run: docxtpl swaps in the picture
    para(doc, ("{{ c.visit_summary }}", "gs"))
    tag(doc, "if c.plans")
    t = table(doc, [1.25, 1.45, 3.3, 1.2], header=("Date", "Visit", "Plan in brief", "Last plan used"))
    tag(t, "for p in c.plans")
    date, visit, plan, used = new_row(t).cells
    para(date, "{{ p.date }}")
    optional(date, "p.time", ("{{ p.time }}", "gs"))
    para(visit, "{{ p.status }}")
    para(visit, ("{{ p.provider }}", "gs"))
    para(plan, "{% if p.done %}{% if p.routine %}{{ p.routine }}: {% endif %}{{ p.strategies }}"
               "{% else %}No plan: the visit did not happen.{% endif %}")
    para(used, "{{ p.plan_used or '—' }}")
    tag(t, "endfor")
    tag(doc, "endif")

    para(doc, "IFSP outcomes", style="Heading 2")
    tag(doc, "if c.outcomes")
    t = table(doc, [0.35, 3.45, 1.1, 2.3], header=("#", "Outcome", "Status", "Progress this period"))
    tag(t, "for o in c.outcomes")
    num, outcome, status, progress = new_row(t).cells
    para(num, ("{{ o.number }}", "b"))
    para(outcome, "{{ o.statement }}")
    optional(outcome, "o.kind", ("{{ o.kind|capitalize }} outcome", "gs"))
    para(status, "{{ o.status }}")
    optional(status, "o.status_date", ("{{ o.status_date }}", "gs"))
    optional(progress, "o.reported_met and not o.marked_met",
             ("Provider reports met ({{ o.reported_met }}): update the IFSP", "ba"))
    optional(progress, "o.worked_on", ("Worked on: {{ o.worked_on }}", "a"))
    para(progress, "{{ o.progress_notes }}")
    tag(t, "endfor")
    tag(doc, "else")
    para(doc, "No IFSP outcomes on file for this child.")
    tag(doc, "endif")

    para(doc, "The provider's notes for you", style="Heading 2")
    tag(doc, "for n in c.notes")
    para(doc, ("{{ n.date }} · {{ n.label }}:", "b"), " {{ n.text }}")
    tag(doc, "else")
    para(doc, "No notes for you this period.")
    tag(doc, "endfor")
    tag(doc, "endfor")
    return doc


# Parts python-docx's default template carries that no plangen document needs: Word 2010's copy
# of the styles (438 KB unpacked), the thumbnail of a blank page, and an empty bibliography. Every
# generated document carried them: dropping them halves each file (54 KB to about 25 KB).
DROPPED_PARTS = ("word/stylesWithEffects.xml", "docProps/thumbnail.jpeg", "customXml/")


def save(doc: DocxDocument, path: Path) -> None:
    doc.save(str(path))
    # python-docx stamps zip entries with the current time; pin it so reruns are byte-identical.
    with zipfile.ZipFile(path) as zin:
        entries = [(info.filename, zin.read(info)) for info in zin.infolist()]
    with zipfile.ZipFile(path, "w") as zout:
        for name, data in entries:
            if name.startswith(DROPPED_PARTS):
                continue
            if name.endswith(".rels") or name == "[Content_Types].xml":
                data = _without_dropped(data)
            zout.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)


def _without_dropped(xml: bytes) -> bytes:
    """Relationships and content-type overrides that point at a dropped part, removed."""
    text = xml.decode("utf-8")
    for part in DROPPED_PARTS:
        name = part.rsplit("/", 1)[-1] if not part.endswith("/") else part
        pattern = rf'<(?:Relationship|Override)\b[^>]*?"[^"]*{re.escape(name)}[^"]*"[^>]*/>'
        text = re.sub(pattern, "", text)
    return text.encode("utf-8")


def logo(path: Path, size: int = 600, scale: int = 4) -> None:
    """A rounded accent square with white initials, drawn large and scaled down for clean edges."""
    big = size * scale
    img = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=big // 5, fill=f"#{ACCENT}")
    try:
        font: Any = ImageFont.truetype("DejaVuSans-Bold.ttf", big * 2 // 5)
    except OSError:  # no DejaVu here: Pillow's bundled font looks fine too
        font = ImageFont.load_default(big * 2 // 5)
    draw.text((big / 2, big * 0.45), "EI", font=font, fill="white", anchor="mm")
    draw.rounded_rectangle((big * 0.35, big * 0.72, big * 0.65, big * 0.755), radius=big // 60,
                           fill="white")
    img.resize((size, size), Image.Resampling.LANCZOS).save(path, optimize=True)


def main() -> None:
    OUT.mkdir(exist_ok=True)
    save(family_plan(), OUT / "family-plan.docx")
    save(ifsp_review(), OUT / "ifsp-review.docx")
    save(progress_diary(), OUT / "progress-diary.docx")
    save(coordinator_packet(), OUT / "coordinator-packet.docx")
    logo(OUT / "logo.png")
    print(f"wrote family-plan.docx, ifsp-review.docx, progress-diary.docx, coordinator-packet.docx "
          f"and logo.png in {OUT}")


if __name__ == "__main__":
    main()

"""Render a docxtpl template many times, doing the per-template work once.

The usual loop (``DocxTemplate(path)``, ``render``, ``save`` per row) spends
most of its time re-reading and re-writing the same package with python-docx.
``PackageTemplate`` does that once: it patches and compiles each XML part that
holds tags (with docxtpl's own ``patch_xml``, so templates stay docxtpl
templates), zips every other part once, and for each row renders only the
tagged parts and appends them to a copy of that zip.

Per row it applies the same steps docxtpl's ``render`` does to each part:
the Jinja render (a template's ``{_{`` literals compiled to print ``{{``), ``resolve_listing`` (line
breaks, tabs), and for the body ``fix_tables`` and the renumbering of drawing
ids. Inline images go through ``_ImagePart``, which stands in for python-docx's
story part: it records each picture so the row's package gets the media file
and the relationship.
"""

from __future__ import annotations

import hashlib
import io
import re
import struct
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from docx.image.image import Image
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.parser import parse_xml
from docx.oxml.shape import CT_Inline
from docxtpl import DocxTemplate, InlineImage
from jinja2 import Environment, Template
from lxml import etree

try:  # ISA-L's deflate: the same format, in under half zlib's time at the lowest levels
    from isal import isal_zlib as deflating
except ImportError:  # pragma: no cover (installed with plangen; zlib where it could not be)
    import zlib as deflating  # type: ignore[no-redef]

_TAG = re.compile(rb"\{[{%#]")
# {{ _("Fixed text") }}: its translation is the same on every row of a language.
_GETTEXT_LITERAL = re.compile(r"""\{\{-?\s*_\(\s*(?:"([^"\\]*)"|'([^'\\]*)')\s*\)\s*-?\}\}""")
_LISTING_CHARS = "\t\n\a\f"  # what resolve_listing turns into tabs, breaks and page breaks
_PARAGRAPH = re.compile(r"<w:p(?: [^>]*)?>.*?</w:p>", re.DOTALL)  # as docxtpl's resolve_listing
_LITERAL_TAGS = {"{_{": "{{", "}_}": "}}", "{_%": "{%", "%_}": "%}"}
_LITERAL_TAG = re.compile("|".join(map(re.escape, _LITERAL_TAGS)))
_DOCPR_ID = re.compile(r'(<wp:docPr\b[^>]*?\bid=")\d+(")')
# Tags that change how many cells a table row has: only then does docxtpl's fix_tables matter.
_CELL_TAGS = re.compile(r"\{%-?\s*(?:tc\b|colspan\b|hm\b|vm\b)|\{%tc\b")
_BODY_OPEN = re.compile(r"<w:body[ >]")
_IMAGE_TYPES = {"png": "image/png", "jpeg": "image/jpeg", "jpg": "image/jpeg", "gif": "image/gif", "bmp": "image/bmp"}
_ENTRY_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can carry
_SHAPE_ID_START = 5000  # above the ids Word gives a template's own drawings
_DOCPR_ID_START = 1000  # docxtpl renumbers the body's drawings from here
# Level 1 for the parts rendered per document: most of a row's time would otherwise go to
# squeezing XML a little smaller (level 6: about 2× the time for a few % smaller files).
_ROW_LEVEL = 1
# zipfile's layouts of a central directory record and of the end record (APPNOTE 4.3.12, 4.3.16).
_DIRECTORY_RECORD = struct.Struct("<4s4B4HL2L5H2L")
_END_RECORD = struct.Struct("<4s4H2LH")
_OFFSET = struct.Struct("<L")  # where a directory record says its entry starts
_OFFSET_AT = _DIRECTORY_RECORD.size - _OFFSET.size
_REPEATED_CACHE_SIZE = 64  # rendered parts that repeat row after row (headers, footers, rels, logo)
K = TypeVar("K")
V = TypeVar("V")


@dataclass
class _Picture:
    r_id: str
    target: str  # relative to the part, e.g. media/plangen-ab12.png
    blob: bytes


@dataclass
class _ImagePart:
    """Stands in for python-docx's story part while one XML part renders."""

    name: str
    counter: list[int]
    pictures: dict[str, _Picture] = field(default_factory=dict)  # sha1 → picture

    def new_pic_inline(self, image_descriptor: Any, width: Any, height: Any) -> _Inline:
        blob = _read_image(image_descriptor)
        sha = _sha1(blob)
        image = _image_info(blob, sha)
        picture = self.pictures.get(sha)
        if picture is None:
            ext = image.ext if image.ext in _IMAGE_TYPES else "png"
            picture = _Picture(f"rIdPlangen{len(self.pictures) + 1}", f"media/plangen-{sha[:16]}.{ext}", blob)
            self.pictures[sha] = picture
        cx, cy = image.scaled_dimensions(width, height)
        self.counter[0] += 1
        xml = _kept(
            _INLINE_CACHE,
            (sha, picture.r_id, cx, cy),
            lambda: CT_Inline.new_pic_inline(_SHAPE_ID_MARK, picture.r_id, image.filename, cx, cy).xml,
        )
        return _Inline(xml.replace(f'"{_SHAPE_ID_MARK}"', f'"{self.counter[0]}"'))


@dataclass(frozen=True)
class _Inline:
    """The part of a picture element InlineImage reads: its XML."""

    xml: str


_SHAPE_ID_MARK = 987654321
_INLINE_CACHE: dict[tuple[str, str, int, int], str] = {}


class _RowTemplate:
    """What ``InlineImage`` needs of its ``tpl``: the part being rendered."""

    def __init__(self) -> None:
        self.current_rendering_part: _ImagePart | None = None


def _read_image(descriptor: Any) -> bytes:
    if isinstance(descriptor, (bytes, bytearray)):
        return bytes(descriptor)  # the same object when it is bytes
    if hasattr(descriptor, "read"):
        descriptor.seek(0)
        return bytes(descriptor.read())
    with open(descriptor, "rb") as handle:
        return handle.read()


_IMAGE_CACHE: dict[str, Image] = {}
_DIGESTS: dict[int, tuple[bytes, str]] = {}  # id → (the picture, its SHA-1): the logo, given as is each row


def _sha1(blob: bytes) -> str:
    """A picture's SHA-1, computed once for a picture given again as the same bytes object
    (the entry holds the picture, so its id is not another's while it is kept)."""
    return _kept(_DIGESTS, id(blob), lambda: (blob, hashlib.sha1(blob).hexdigest()))[1]


def _image_info(blob: bytes, sha: str) -> Image:
    """Image headers parsed once per distinct picture (a logo repeats on every row)."""
    return _kept(_IMAGE_CACHE, sha, lambda: Image.from_blob(blob))


def _kept(cache: dict[K, V], key: K, make: Callable[[], V]) -> V:
    """``cache[key]``, made once. What repeats row after row (a logo, a header) comes back at once;
    what is new on every document (a packet's charts) fills the cache, which then starts again."""
    found = cache.get(key)
    if found is None:
        if len(cache) >= _REPEATED_CACHE_SIZE:
            cache.clear()
        found = cache[key] = make()
    return found


@dataclass
class _TaggedPart:
    name: str
    template: Template
    is_body: bool
    prefix: str = ""  # document.xml around the body
    suffix: str = ""
    rels: bytes | None = None  # the part's own relationships file, if it has one
    fix_tables: bool = False  # cells may change per row: let docxtpl repair the grid


class PackageTemplate:
    """A docxtpl template prepared once; ``render`` returns one document's bytes."""

    def __init__(self, data: bytes, env: Environment, gettext: Callable[[str], str] | None = None) -> None:
        self.env = env
        self.gettext = gettext
        # For patch_xml, resolve_listing and fix_tables, which work on text and need no document
        # loaded (loading one parses every part of the package).
        self._docxtpl = DocxTemplate(io.BytesIO(data))
        source = zipfile.ZipFile(io.BytesIO(data))
        names = source.namelist()
        tagged = [n for n in names if n.endswith(".xml") and _TAG.search(source.read(n))]
        self.parts = [self._prepare(n, source.read(n).decode("utf-8"), source, names) for n in tagged]
        dynamic = set(tagged) | {_rels_name(p.name) for p in self.parts if p.rels is not None}
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as static:
            for info in source.infolist():
                if info.filename in dynamic:
                    continue
                content = source.read(info)
                if info.filename == "[Content_Types].xml":
                    content = _with_image_types(content)
                static.writestr(info, content)
        self._static = out.getvalue()
        # The static parts' local entries, copied as they are into each document, and their
        # directory records, reused as they are: only the rendered parts are deflated per row.
        with zipfile.ZipFile(io.BytesIO(self._static)) as built:
            self._static_infos = built.infolist()
            self._static_body = self._static[: built.start_dir]
            self._static_digest = hashlib.sha256(self._static_body)
            self._static_directory = b"".join(_directory_record(info) for info in self._static_infos)
        self._entries: dict[tuple[str, bytes], tuple[bytes, bytes]] = {}  # a repeating part's entry
        self._finished: dict[str, str] = {}  # a repeating part's rendering → its finished XML

    def _prepare(self, name: str, xml: str, source: zipfile.ZipFile, names: list[str]) -> _TaggedPart:
        rels_name = _rels_name(name)
        rels = source.read(rels_name) if rels_name in names else None
        if name == "word/document.xml":
            start = _BODY_OPEN.search(xml)
            end = xml.rindex("</w:body>") + len("</w:body>")
            assert start is not None
            # docxtpl patches the body as lxml serialises it once python-docx has parsed it; do the same.
            body = self._docxtpl.xml_to_string(parse_xml(source.read(name)).body)
            patched = self._docxtpl.patch_xml(body)
            # fix_tables only changes a grid whose cells differ from its columns; without
            # cell tags, that can only be the template's own tables, checked here once.
            fix = bool(_CELL_TAGS.search(patched)) or _grid_needs_fixing(self._docxtpl, body)
            return _TaggedPart(name, self._compile(patched), True, xml[: start.start()], xml[end:], rels, fix)
        return _TaggedPart(name, self._compile(self._docxtpl.patch_xml(xml)), False, rels=rels)

    def _compile(self, patched: str) -> Template:
        if self.gettext is not None:
            patched = _GETTEXT_LITERAL.sub(self._translated, patched)
        # A template's literal {_{ prints as {{: made an expression here, not replaced after the
        # render as docxtpl does, so a value that holds "{_{" is printed as typed.
        patched = _LITERAL_TAG.sub(lambda m: '{{ "' + _LITERAL_TAGS[m[0]] + '" }}', patched)
        # docxtpl puts each paragraph on a line of its own for Jinja and joins them again after the
        # render: the same output, so neither is done here (templatecheck does it, for its messages).
        return self.env.from_string(patched)

    def _translated(self, match: re.Match[str]) -> str:
        assert self.gettext is not None
        # As Jinja's newstyle gettext does: the translation, %-formatted with no variables.
        text = self.gettext(match[1] if match[1] is not None else match[2]) % {}
        return _xml_text(text)

    def render(self, context: dict[str, Any], images: Iterable[str] | None = None) -> bytes:
        """One document's bytes; ``images``: the only keys that may hold pictures (None: any may)."""
        return self.render_document(context, images)[0]

    def render_document(self, context: dict[str, Any], images: Iterable[str] | None = None) -> tuple[bytes, str]:
        """``render``, with the SHA-256 of the bytes (the static parts' share hashed once per run)."""
        row = _RowTemplate()
        counter = [_SHAPE_ID_START]
        # InlineImage objects made for docxtpl need this row's stand-in part.
        if images is None:
            context = {k: _rebind(v, row) for k, v in context.items()}
        else:
            context = dict(context)
            for key in images:
                if key in context:
                    context[key] = _rebind(context[key], row)
        rendered: list[tuple[str, bytes]] = []
        for part in self.parts:
            image_part = _ImagePart(part.name, counter)
            row.current_rendering_part = image_part
            xml = part.template.render(context)
            xml = self._finish(xml) if part.is_body else self._finish_repeated(xml)
            if part.is_body:
                if part.fix_tables:
                    xml = etree.tostring(self._docxtpl.fix_tables(xml), encoding="unicode")
                xml = part.prefix + _renumber_drawings(xml) + part.suffix
            rendered.append((part.name, xml.encode("utf-8")))
            pictures = list(image_part.pictures.values())
            if pictures or part.rels is not None:
                rels = _with_pictures(part.rels or _EMPTY_RELS, pictures)
                rendered.append((_rels_name(part.name), rels))
                folder = part.name.rsplit("/", 1)[0]
                rendered.extend((f"{folder}/{p.target}", p.blob) for p in pictures)
        return self._package(rendered)

    def _package(self, rendered: list[tuple[str, bytes]]) -> tuple[bytes, str]:
        """The static parts' entries as they are, then each rendered part deflated, as one zip.

        Laid out as ``zipfile`` lays out ``writestr`` entries (fixed entry times), so the same
        content gives the same document; parts that repeat row after row are deflated once.
        """
        buffer = io.BytesIO()
        buffer.write(self._static_body)
        directory = [self._static_directory]
        seen: set[str] = set()
        for name, content in rendered:
            if name in seen:
                continue
            seen.add(name)
            # The body changes on every row; the other parts mostly repeat, and so do their entries.
            if name == "word/document.xml":
                local, record = _entry(name, content)
            else:
                local, record = self._repeated_entry(name, content)
            offset = buffer.tell()
            buffer.write(local)
            directory.append(record[:_OFFSET_AT] + _OFFSET.pack(offset) + record[_OFFSET_AT + _OFFSET.size :])
        start = buffer.tell()
        count = len(self._static_infos) + len(seen)
        if start + sum(map(len, directory)) >= zipfile.ZIP64_LIMIT or count >= 0xFFFF:
            data = self._package_with_zipfile(rendered)  # never for a document; zipfile knows ZIP64
            return data, hashlib.sha256(data).hexdigest()
        buffer.writelines(directory)
        size = buffer.tell() - start
        buffer.write(_END_RECORD.pack(b"PK\005\006", 0, 0, count, count, size, start, 0))
        data = buffer.getvalue()
        digest = self._static_digest.copy()  # the document starts with the static parts' entries
        digest.update(memoryview(data)[len(self._static_body) :])
        return data, digest.hexdigest()

    def _package_with_zipfile(self, rendered: list[tuple[str, bytes]]) -> bytes:
        """What ``_package`` makes, by ``zipfile`` itself (sizes that need ZIP64)."""
        buffer = io.BytesIO(self._static)
        buffer.seek(0, io.SEEK_END)
        with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED, compresslevel=_ROW_LEVEL) as package:
            seen: set[str] = set()
            for name, content in rendered:
                if name not in seen:
                    seen.add(name)
                    entry = zipfile.ZipInfo(name, date_time=_ENTRY_TIME)
                    entry.compress_type = zipfile.ZIP_DEFLATED
                    package.writestr(entry, content, compresslevel=_ROW_LEVEL)
        return buffer.getvalue()

    def _repeated_entry(self, name: str, content: bytes) -> tuple[bytes, bytes]:
        return _kept(self._entries, (name, content), lambda: _entry(name, content))

    def _finish(self, xml: str) -> str:
        """docxtpl's ``resolve_listing``, the step its render_xml_part applies after Jinja.

        It only acts on tabs, line breaks, \\a and \\f typed in values: it is given only the
        paragraphs that hold one (its own paragraph pattern, so the result is the same).
        """
        if not any(char in xml for char in _LISTING_CHARS):
            return xml
        return _PARAGRAPH.sub(self._resolve_paragraph, xml)

    def _finish_repeated(self, xml: str) -> str:
        """``_finish`` of a part whose rendering repeats row after row (a header, a footer)."""
        return _kept(self._finished, xml, lambda: self._finish(xml))

    def _resolve_paragraph(self, match: re.Match[str]) -> str:
        paragraph = match[0]
        if any(char in paragraph for char in _LISTING_CHARS):
            return str(self._docxtpl.resolve_listing(paragraph))
        return paragraph


def _entry(name: str, content: bytes) -> tuple[bytes, bytes]:
    """A rendered part's local entry (header and data) and its directory record, at offset 0.

    The header and directory record ``zipfile`` writes for ``writestr``, with a fixed entry time,
    and the data deflated at ``_ROW_LEVEL``: the same content gives the same document every run.
    """
    entry = zipfile.ZipInfo(name, date_time=_ENTRY_TIME)
    entry.compress_type = zipfile.ZIP_DEFLATED
    entry.external_attr = 0o600 << 16  # as zipfile's writestr sets it
    compressor = deflating.compressobj(_ROW_LEVEL, deflating.DEFLATED, -15)
    deflated = compressor.compress(content) + compressor.flush()
    entry.CRC, entry.compress_size, entry.file_size = deflating.crc32(content), len(deflated), len(content)
    entry.header_offset = 0
    return entry.FileHeader(False) + deflated, _directory_record(entry)


def _directory_record(info: zipfile.ZipInfo) -> bytes:
    """An entry's central directory record, as ``zipfile`` writes it (no ZIP64: checked by the caller)."""
    year, month, day, hour, minute, second = info.date_time
    filename: bytes
    flags: int
    filename, flags = info._encodeFilenameFlags()  # type: ignore[attr-defined]
    record = _DIRECTORY_RECORD.pack(
        b"PK\001\002",
        info.create_version,
        info.create_system,
        info.extract_version,
        info.reserved,
        flags,
        info.compress_type,
        hour << 11 | minute << 5 | second // 2,
        (year - 1980) << 9 | month << 5 | day,
        info.CRC,
        info.compress_size,
        info.file_size,
        len(filename),
        len(info.extra),
        len(info.comment),
        0,
        info.internal_attr,
        info.external_attr,
        info.header_offset,
    )
    return record + filename + info.extra + info.comment


def _xml_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&#34;")


def _grid_needs_fixing(docxtpl: DocxTemplate, body: str) -> bool:
    fixed: str = etree.tostring(docxtpl.fix_tables(body), encoding="unicode")
    original: str = etree.tostring(etree.fromstring(body), encoding="unicode")
    return fixed != original


def _renumber_drawings(xml: str) -> str:
    """docxtpl's fix_docpr_ids: the body's drawings get ids 1001, 1002, … in order."""
    counter = iter(range(_DOCPR_ID_START + 1, 1 << 31))
    return _DOCPR_ID.sub(lambda m: f"{m[1]}{next(counter)}{m[2]}", xml) if "<wp:docPr" in xml else xml


def _rebind(value: Any, row: _RowTemplate) -> Any:
    if isinstance(value, InlineImage):
        return InlineImage(row, value.image_descriptor, value.width, value.height, value.anchor)
    if isinstance(value, dict):
        return {k: _rebind(v, row) for k, v in value.items()}
    if isinstance(value, list):
        return [_rebind(v, row) for v in value]
    return value


_EMPTY_RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>'
)


def _rels_name(part: str) -> str:
    folder, _, leaf = part.rpartition("/")
    return f"{folder}/_rels/{leaf}.rels" if folder else f"_rels/{leaf}.rels"


def _with_pictures(rels: bytes, pictures: Any) -> bytes:
    extra = "".join(f'<Relationship Id="{p.r_id}" Type="{RT.IMAGE}" Target="{p.target}"/>' for p in pictures)
    if not extra:
        return rels
    text = rels.decode("utf-8")
    if text.rstrip().endswith("/>") and "</Relationships>" not in text:
        text = text.rstrip()[:-2] + "></Relationships>"  # an empty <Relationships/>
    return text.replace("</Relationships>", extra + "</Relationships>").encode("utf-8")


def _with_image_types(content_types: bytes) -> bytes:
    """Declare the picture types a row may add, once for the whole run."""
    text = content_types.decode("utf-8")
    missing = [
        f'<Default Extension="{ext}" ContentType="{mime}"/>'
        for ext, mime in _IMAGE_TYPES.items()
        if f'Extension="{ext}"' not in text and f"Extension='{ext}'" not in text
    ]
    return text.replace("</Types>", "".join(missing) + "</Types>").encode("utf-8") if missing else content_types

"""Word files for the notice parser's tests, built with python-docx or, for automatic
numbering (python-docx cannot write numbering definitions), zipped by hand."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import docx

SEED = Path("/work/shared/seed/000_471f950f126653cb.txt")
# Where the text rendering of the seed broke a paragraph across pages.
_PAGE_BREAKS = ("集中解决共", "中心党", "帮助各党支部")


def seed_paragraphs() -> list[str]:
    """The seed notice's paragraphs: blank lines separate them; a single line break and a page
    break inside a sentence do not."""
    chunks = [
        "".join(line.strip() for line in block.splitlines())
        for block in SEED.read_text(encoding="utf-8").split("\n\n")
    ]
    paragraphs: list[str] = []
    for chunk in filter(None, chunks):
        if paragraphs and paragraphs[-1].endswith(_PAGE_BREAKS):
            paragraphs[-1] += chunk
        else:
            paragraphs.append(chunk)
    return paragraphs


def docx_bytes(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def seed_docx() -> bytes:
    document = docx.Document()
    for text in seed_paragraphs():
        paragraph = document.add_paragraph()
        # Word splits text into runs wherever formatting or editing history changes.
        middle = len(text) // 2
        paragraph.add_run(text[:middle])
        paragraph.add_run(text[middle:]).bold = True
    return docx_bytes(document)


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="{main}"/>
<Override PartName="/word/numbering.xml"
 ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>
</Types>"""
DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
DOCM_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"
_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Target="word/document.xml"
 Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>
</Relationships>"""
_DOC_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Target="numbering.xml"
 Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering"/>
</Relationships>"""


def level(ilvl: int, fmt: str, text: str, start: int = 1, restart: int | None = None) -> str:
    restart_xml = f'<w:lvlRestart w:val="{restart}"/>' if restart is not None else ""
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/>{restart_xml}'
        f'<w:numFmt w:val="{fmt}"/><w:lvlText w:val="{escape(text)}"/></w:lvl>'
    )


def numbering_xml(abstracts: dict[int, list[str]], nums: dict[int, tuple[int, str]]) -> str:
    """``abstracts``: abstractNumId → its levels; ``nums``: numId → (abstractNumId, overrides)."""
    parts = [
        f'<w:abstractNum w:abstractNumId="{a}">{"".join(lv)}</w:abstractNum>'
        for a, lv in abstracts.items()
    ]
    parts += [
        f'<w:num w:numId="{n}"><w:abstractNumId w:val="{a}"/>{extra}</w:num>'
        for n, (a, extra) in nums.items()
    ]
    head = f'<?xml version="1.0" encoding="UTF-8"?><w:numbering xmlns:w="{W}">'
    return head + "".join(parts) + "</w:numbering>"


def p(text: str, num: tuple[int, int] | None = None) -> str:
    """A paragraph; ``num`` = (numId, ilvl) numbers it automatically. Text in two runs."""
    ppr = (
        f'<w:pPr><w:numPr><w:ilvl w:val="{num[1]}"/><w:numId w:val="{num[0]}"/></w:numPr></w:pPr>'
        if num
        else ""
    )
    half = len(text) // 2
    runs = "".join(
        f'<w:r><w:t xml:space="preserve">{escape(part)}</w:t></w:r>'
        for part in (text[:half], text[half:])
    )
    return f"<w:p>{ppr}{runs}</w:p>"


def handmade_docx(
    body: str, numbering: str, *, main_type: str = DOCX_MAIN, extra: dict | None = None
) -> bytes:
    head = f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}">'
    document = f"{head}<w:body>{body}</w:body></w:document>"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES.format(main=main_type))
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("word/_rels/document.xml.rels", _DOC_RELS)
        archive.writestr("word/document.xml", document)
        archive.writestr("word/numbering.xml", numbering)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return out.getvalue()

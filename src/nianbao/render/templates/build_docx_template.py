"""Build ``report.docx``, the Word template of the rendered report.

The template file is committed; this script documents how it was made and rebuilds it::

    .venv/bin/python src/nianbao/render/templates/build_docx_template.py

Everything about page and type lives in the template, after GB/T 9704—2012《党政机关公文格式》:

* A4 (210 × 297 mm); margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm, i.e. the
  156 × 225 mm type area; body lines exactly 28.95 pt, i.e. 22 lines a page;
* title 二号 方正小标宋简体, centred, one blank line under it; body 三号 仿宋_GB2312 with a
  two-character first-line indent; first-level headings (一、) 三号 黑体, second-level ((一)) 三号
  楷体_GB2312; tables 五号 仿宋_GB2312 with single-line ruling;
* page numbers 四号半角宋体 “— 1 —”, odd pages right and even pages left, one character in;
* the agency two characters from the right margin, the date four, two lines under the text.

Fonts are named with ``w:eastAsia`` set (Word and WPS pick the Chinese font from it) and listed in
the font table with a fallback (``w:altName``) and the GB2312 character set, so a PC without
the 方正/GB2312 fonts substitutes 宋体, 仿宋, 楷体 or 黑体 instead of a Western font.

The body is a docxtpl (Jinja) template over :class:`nianbao.render.view.ReportView`: title lines,
preamble, then for each section its heading, its paragraphs and, in sections 2–4, its table.
Tables are drawn from the view's grid: one row template with one cell template; the cell tag
``{% cell c row %}`` (added by :mod:`nianbao.render.docx`) sets the cell's ``w:gridSpan`` and
``w:vMerge``, so merged cells come out exactly as the view draws them.  Column widths are set in
each table's grid here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import lxml.etree
from docx import Document
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn

HERE = Path(__file__).resolve().parent
OUT = HERE / "report.docx"

TITLE_FONT, BODY_FONT, HEADING1_FONT, HEADING2_FONT, PAGE_FONT = (
    "方正小标宋简体",
    "仿宋_GB2312",
    "黑体",
    "楷体_GB2312",
    "宋体",
)
# Fallback names Word/WPS use when the font itself is not installed, and the panose numbers
FALLBACKS = {
    TITLE_FONT: ("宋体", "02000000000000000000"),
    BODY_FONT: ("仿宋", "02010609030101010101"),
    HEADING1_FONT: ("SimHei", "02010609060101010101"),
    HEADING2_FONT: ("楷体", "02010609030101010101"),
    PAGE_FONT: ("SimSun", "02010600030101010101"),
}

LINE = 579  # 28.95 pt in twips: 22 lines on the 225 mm type area
CHAR = 320  # one 三号 character (16 pt) in twips
TYPE_AREA = 8844  # 156 mm in twips
BODY_SIZE, TITLE_SIZE, TABLE_SIZE, PAGE_SIZE = 32, 44, 21, 28  # half-points: 三号, 二号, 五号, 四号

# Column widths (twips) of each table's grid; they add up to the type area.
TABLE_WIDTHS = {
    "table2": [2652] + [1032] * 6,  # 信息内容, then six value slots shared by one to three columns
    "table3": [663, 884, 2719] + [654] * 7,  # group, sub-group, row label, seven applicant columns
    "table4": [590] * 14 + [584],  # three groups of five
}


def _fonts(name: str) -> str:
    return f'<w:rFonts w:ascii="{name}" w:hAnsi="{name}" w:eastAsia="{name}" w:cs="{name}" w:hint="eastAsia"/>'


def _style(
    style_id: str,
    name: str,
    *,
    based_on: str | None = "Normal",
    ppr: str = "",
    rpr: str = "",
    default: bool = False,
) -> Any:
    based = f'<w:basedOn w:val="{based_on}"/>' if based_on else ""
    flag = ' w:default="1"' if default else ""
    return parse_xml(
        f'<w:style {nsdecls("w")} w:type="paragraph"{flag} w:styleId="{style_id}">'
        f'<w:name w:val="{name}"/>{based}<w:qFormat/><w:pPr>{ppr}</w:pPr><w:rPr>{rpr}</w:rPr></w:style>'
    )


def _size(half_points: int) -> str:
    return f'<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/>'


def set_styles(document: Any) -> None:
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    styles.remove(defaults)
    styles.insert(
        0,
        parse_xml(
            f"<w:docDefaults {nsdecls('w')}><w:rPrDefault><w:rPr>{_fonts(BODY_FONT)}{_size(BODY_SIZE)}"
            '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
            "<w:pPrDefault><w:pPr/></w:pPrDefault></w:docDefaults>"
        ),
    )
    replaced = {"Normal", "Title", "Heading1", "Heading2", "Footer"}
    for style in list(styles.findall(qn("w:style"))):
        if style.get(qn("w:styleId")) in replaced:
            styles.remove(style)
    no_indent = '<w:ind w:firstLine="0" w:firstLineChars="0"/>'
    table = (
        '<w:keepNext/><w:snapToGrid w:val="0"/><w:spacing w:line="270" w:lineRule="exact"/>'
        f'{no_indent}<w:jc w:val="left"/>'
    )
    for style in (
        _style(
            "Normal",
            "Normal",
            based_on=None,
            default=True,
            ppr=f'<w:spacing w:line="{LINE}" w:lineRule="exact"/>'
            f'<w:ind w:firstLineChars="200" w:firstLine="{2 * CHAR}"/><w:jc w:val="both"/>',
            rpr=_fonts(BODY_FONT) + _size(BODY_SIZE),
        ),
        _style(
            "Title",
            "Title",
            ppr=f'<w:keepNext/><w:contextualSpacing/><w:spacing w:after="{LINE}" w:line="700" w:lineRule="exact"/>'
            f'{no_indent}<w:jc w:val="center"/>',
            rpr=_fonts(TITLE_FONT) + _size(TITLE_SIZE),
        ),
        _style(
            "Heading1",
            "heading 1",
            ppr='<w:keepNext/><w:outlineLvl w:val="0"/>',
            rpr=_fonts(HEADING1_FONT) + _size(BODY_SIZE),
        ),
        _style(
            "Heading2",
            "heading 2",
            ppr='<w:keepNext/><w:outlineLvl w:val="1"/>',
            rpr=_fonts(HEADING2_FONT) + _size(BODY_SIZE),
        ),
        _style("TableText", "表格文字", ppr=table, rpr=_size(TABLE_SIZE)),
        _style("TableCenter", "表格居中", based_on="TableText", ppr='<w:jc w:val="center"/>'),
        _style(
            "Signature",
            "署名",
            ppr=f'<w:spacing w:before="{2 * LINE}"/>'
            f'<w:ind w:firstLine="0" w:firstLineChars="0" w:right="{2 * CHAR}" w:rightChars="200"/>'
            '<w:jc w:val="right"/>',
        ),
        _style(
            "SignatureDate",
            "成文日期",
            ppr=f'<w:ind w:firstLine="0" w:firstLineChars="0" w:right="{4 * CHAR}" w:rightChars="400"/>'
            '<w:jc w:val="right"/>',
        ),
        _style(
            "Footer",
            "footer",
            ppr=f'<w:snapToGrid w:val="0"/><w:spacing w:line="240" w:lineRule="auto"/>{no_indent}',
            rpr=_fonts(PAGE_FONT) + _size(PAGE_SIZE),
        ),
    ):
        styles.append(style)


def set_font_table(document: Any) -> None:
    """List the four 公文 fonts with their fallbacks and the GB2312 character set."""
    part = next(p for p in document.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml")
    root = parse_xml(part.blob)
    for name, (alt, panose) in FALLBACKS.items():
        root.append(
            parse_xml(
                f'<w:font {nsdecls("w")} w:name="{name}"><w:altName w:val="{alt}"/>'
                f'<w:panose1 w:val="{panose}"/><w:charset w:val="86"/><w:family w:val="modern"/>'
                '<w:pitch w:val="fixed"/></w:font>'
            )
        )
    part._blob = lxml.etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def set_page(document: Any) -> None:
    section = document.sections[0]
    sect = section._sectPr
    for tag in ("w:pgSz", "w:pgMar", "w:cols", "w:docGrid"):
        for old in sect.findall(qn(tag)):
            sect.remove(old)
    sect.append(parse_xml(f'<w:pgSz {nsdecls("w")} w:w="11906" w:h="16838"/>'))
    sect.append(
        parse_xml(
            f'<w:pgMar {nsdecls("w")} w:top="2098" w:right="1474" w:bottom="1984" w:left="1588"'
            ' w:header="851" w:footer="1304" w:gutter="0"/>'
        )
    )
    sect.append(parse_xml(f'<w:cols {nsdecls("w")} w:space="425"/>'))
    sect.append(parse_xml(f'<w:docGrid {nsdecls("w")} w:type="lines" w:linePitch="{LINE}"/>'))
    document.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer.paragraphs[0], "right")
    _page_number(section.even_page_footer.paragraphs[0], "left")


def _page_number(para: Any, side: str) -> None:
    """— 1 —, one character in from the outer edge."""
    ppr = para._p.get_or_add_pPr()
    for child in list(ppr):
        ppr.remove(child)
    ppr.append(_w('<w:pStyle w:val="Footer"/>'))
    ppr.append(parse_xml(f'<w:ind {nsdecls("w")} w:{side}="{PAGE_SIZE * 10}" w:{side}Chars="100"/>'))
    ppr.append(parse_xml(f'<w:jc {nsdecls("w")} w:val="{side}"/>'))
    para.add_run("— ")
    for xml in (
        '<w:fldChar w:fldCharType="begin"/>',
        '<w:instrText xml:space="preserve"> PAGE </w:instrText>',
        '<w:fldChar w:fldCharType="separate"/>',
        "<w:t>1</w:t>",
        '<w:fldChar w:fldCharType="end"/>',
    ):
        run = para.add_run()
        run._r.append(_w(xml))
    para.add_run(" —")


def _w(xml: str) -> Any:
    """Parse one w: element written without its namespace declaration."""
    name_end = xml.index(" ") if " " in xml.split(">")[0] else xml.index(">")
    return parse_xml(f"{xml[:name_end]} {nsdecls('w')}{xml[name_end:]}")


def paragraph(document: Any, text: str, style: str = "Normal") -> None:
    body = document.element.body
    body.insert(len(body) - 1, _p(text, style))  # before the section properties


def grid_table(document: Any, key: str) -> None:
    """A table whose rows come from ``s.table.rows`` and whose cells from ``row.cells``."""
    widths = TABLE_WIDTHS[key]
    if sum(widths) != TYPE_AREA:  # LibreOffice splits columns of a grid wider or narrower than the table
        raise ValueError(f"{key}: column widths add up to {sum(widths)}, not {TYPE_AREA}")
    n = len(widths)
    table = document.add_table(rows=3, cols=n)
    tbl = table._tbl
    tbl.remove(tbl.tblPr)
    tbl.insert(
        0,
        parse_xml(
            f'<w:tblPr {nsdecls("w")}><w:tblW w:w="5000" w:type="pct"/><w:jc w:val="center"/>'
            "<w:tblBorders>"
            + "".join(
                f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="auto"/>'
                for side in ("top", "left", "bottom", "right", "insideH", "insideV")
            )
            + '</w:tblBorders><w:tblLayout w:type="fixed"/>'
            '<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="57" w:type="dxa"/>'
            '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar>'
            '<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0"'
            ' w:noHBand="1" w:noVBand="1"/></w:tblPr>'
        ),
    )
    for col, width in zip(tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True):
        col.set(qn("w:w"), str(width))
    first, body, last = table.rows
    for row, tag in ((first, "{%tr for row in s.table.rows %}"), (last, "{%tr endfor %}")):
        merged = row.cells[0].merge(row.cells[-1])
        _clear(merged._tc)
        merged._tc.append(_p(tag, "TableText"))
    cells = body._tr.findall(qn("w:tc"))
    for extra in cells[3:]:
        body._tr.remove(extra)
    loop_start, cell, loop_end = cells[:3]
    for tc, tag in ((loop_start, "{%tc for c in row.cells %}"), (loop_end, "{%tc endfor %}")):
        _clear(tc)
        tc.append(_p(tag, "TableText"))
    _clear(cell)
    tcpr = cell.find(qn("w:tcPr"))
    tcpr.append(parse_xml(f'<w:vAlign {nsdecls("w")} w:val="center"/>'))
    for text, style in (
        ('{%p if c.align == "left" %}', "TableText"),
        ("{% cell c row %}{{ c.text }}", "TableText"),
        ("{%p else %}", "TableText"),
        ("{{ c.text }}", "TableCenter"),
        ("{%p endif %}", "TableText"),
    ):
        cell.append(_p(text, style))
    trpr = body._tr.get_or_add_trPr()
    trpr.append(parse_xml(f"<w:cantSplit {nsdecls('w')}/>"))


def _clear(tc: Any) -> None:
    """Empty a cell, keep its properties without a fixed width (the grid gives the width)."""
    for child in list(tc):
        if child.tag != qn("w:tcPr"):
            tc.remove(child)
    tcpr = tc.find(qn("w:tcPr"))
    if tcpr is None:
        tcpr = OxmlElement("w:tcPr")
        tc.insert(0, tcpr)
    for width in tcpr.findall(qn("w:tcW")):
        tcpr.remove(width)


def _p(text: str, style: str) -> Any:
    return parse_xml(
        f'<w:p {nsdecls("w")}><w:pPr><w:pStyle w:val="{style}"/></w:pPr>'
        f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'
    )


def build() -> None:
    document = Document()
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    set_styles(document)
    set_font_table(document)
    set_page(document)

    paragraph(document, "{%p for line in title_lines %}")
    paragraph(document, "{{ line }}", "Title")
    paragraph(document, "{%p endfor %}")
    paragraph(document, "{%p for para in preamble %}")
    paragraph(document, "{{ para.text }}")
    paragraph(document, "{%p endfor %}")
    paragraph(document, "{%p for s in sections %}")
    paragraph(document, "{{ s.heading }}", "Heading1")
    paragraph(document, "{%p for para in s.paragraphs %}")
    paragraph(document, "{%p if para.level == 2 %}")
    paragraph(document, "{{ para.text }}", "Heading2")
    paragraph(document, "{%p else %}")
    paragraph(document, "{{ para.text }}")
    paragraph(document, "{%p endif %}")
    paragraph(document, "{%p endfor %}")
    for number, key in ((2, "table2"), (3, "table3"), (4, "table4")):
        paragraph(document, f"{{%p if s.table and s.number == {number} %}}")
        grid_table(document, key)
        paragraph(document, "{%p endif %}")
    paragraph(document, "{%p endfor %}")
    paragraph(document, "{%p if agency %}")
    paragraph(document, "{{ agency }}", "Signature")
    paragraph(document, "{%p endif %}")
    paragraph(document, "{%p if date %}")
    paragraph(document, "{{ date }}", "SignatureDate")
    paragraph(document, "{%p endif %}")

    properties = document.core_properties
    properties.title = properties.subject = properties.author = properties.comments = ""
    properties.keywords = properties.category = ""
    properties.last_modified_by = "nianbao"
    properties.language = "zh-CN"
    document.save(str(OUT))


if __name__ == "__main__":
    build()
    print(OUT)

"""From a :class:`~nianbao.document.Document` to a :class:`~nianbao.model.Report`.

Extraction never knows the file type: it sees one stream of paragraph and cell tokens, finds
the six sections, reads tables 2–4 against the format's templates, and reads the agency, year,
dates and the narrative's numbers.
"""

from __future__ import annotations

import dataclasses
import re
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from operator import attrgetter

from ..document import Document, Location
from ..errors import NotAReportError
from ..formats import FORMATS, GOV2021, PRE2019, FormatSpec, format_for_year, get_format
from ..formats.detect import detect_version
from ..formats.labels import label_key, misprint_of
from ..model import Heading, HeadingWording, NarrativeFigure, Note, Report, Section, TableData
from ..settings import DEFAULT_SETTINGS, Settings
from .glued import resolve_by_narrative, search_budget, segment
from .meta import extract_meta
from .narrative import extract_narrative
from .sections import HeadingMatch, canonical_numbering, find_sections, numbering_of
from .tables import Region, TableResult, extract_table2, extract_table3, extract_table4
from .tokens import TEXT, Token, make_token, tokenize

_OLD_LAW = re.compile(r"国务院令第?\s*492\s*号")
_KEY_OF = attrgetter("key")


def extract(document: Document, settings: Settings = DEFAULT_SETTINGS) -> Report:
    with search_budget() as budget:  # the glued-digit search of one file is bounded as a whole
        report = _extract(document, settings)
    # a bound the reader or the search hit is said, as a warning: what lies past it was not read
    bounds = list(document.bounds)
    if budget.spent:
        bounds.append(
            f"连写数字的拆分搜索已达全文件上限（{budget.steps:,} 步），其余连写数字未再拆分，相应单元格无法读取"
        )
    report.notes.extend(Note(kind="work_bounded", message=message) for message in bounds)
    return report


def _extract(document: Document, settings: Settings) -> Report:
    tokens = segment(tokenize(document), tuple(FORMATS.values()))
    keys = set(map(_KEY_OF, tokens))
    keys.discard("")  # the empty cells' key
    # the paragraphs that print something, in order: what every later pass but the tables reads
    paragraphs = [token for token in tokens if not token.is_cell and token.text]
    full_text = "\n".join([token.text for token in paragraphs])
    detection = detect_version(keys, has_tables=bool(document.tables()), cites_old_law=bool(_OLD_LAW.search(full_text)))
    notes: list[Note] = []

    headings, _candidates = find_sections(paragraphs, get_format(detection.version))
    first_heading = min((h.token.index for h in headings.values()), default=None)
    meta = extract_meta(paragraphs, first_heading)

    version = detection.version
    if version is None:
        version = format_for_year(meta.year) if meta.year else GOV2021.key
        if version != PRE2019:
            notes.append(
                Note(
                    kind="version_guessed",
                    message=f"表格中没有能区分格式版本的标题，按报告年度推定为{FORMATS[version].name}",
                )
            )
    spec = get_format(version)
    if version != detection.version:
        headings, _candidates = find_sections(paragraphs, spec)

    results = _read_tables(tokens, headings, spec, settings)
    consumed = set().union(*(result.consumed for result in results.values()))
    for result in results.values():
        notes.extend(result.notes)

    missing = _what_is_missing(headings, results)
    if missing is not None:
        raise NotAReportError(missing, source=document.source)

    sections, section_of = _sections(paragraphs, headings, consumed)
    narrative_paragraphs = [(token, section_of.get(token.index)) for token in paragraphs if token.index not in consumed]
    tables_present = version != PRE2019
    # every part is extraction's own, of the declared types (tests/test_extract_models.py)
    report = Report(
        format_version=version,
        agency=meta.agency,
        year=meta.year,
        published=meta.published,
        sections=sections,
        table2=results["table2"].data if tables_present else None,
        table3=results["table3"].data if tables_present else None,
        table4=results["table4"].data if tables_present else None,
        title=meta.title,
        source={"file": document.source, "kind": document.kind, "encoding": document.encoding, "notes": document.notes},
        facts=meta.facts or {},
        period=meta.period,
        headings=[_heading(match) for _number, match in sorted(headings.items())],
        row_labels={row: location for result in results.values() for row, location in result.row_labels.items()},
        narrative=extract_narrative(narrative_paragraphs),
        notes=notes,
        preamble="\n".join(
            [token.text for token in paragraphs if first_heading is None or token.index < first_heading]
        ),
        full_text=full_text,
    )
    resolve_by_narrative(report, spec)  # glued table-2 runs the narrative states a cell of
    return report


# ---------------------------------------------------------------------------- tables


def _read_tables(
    tokens: list[Token], headings: dict[int, HeadingMatch], spec: FormatSpec, settings: Settings
) -> dict[str, TableResult]:
    # where a table starts when its heading is missing; table 2 also by any of its row labels
    anchors = {
        2: {label_key(text) for text in spec.table2.anchors}
        | {key for _block, row in spec.table2.rows for key in row.match_keys()},
        3: {label_key(text) for text in spec.table3.anchors},
        4: {label_key(spec.table4.top_header[0])},
    }
    # an anchor misprinted (钩稽, 行政复复议) still opens its table where it fits no other table's
    owners = {key: number for number, keys in anchors.items() for key in keys}
    heading_at = sorted(h.token.index for h in headings.values())
    regions: dict[int, Region] = {}
    for number in (2, 3, 4):
        if number in headings:
            start = headings[number].token.index + 1
        else:
            # after the table before it begins: a table without its heading lies in the previous
            # table's region, which then ends where this one begins (below)
            after = max((region.start for region in regions.values() if region.start < len(tokens)), default=0)
            start = next(
                (
                    t.index
                    for t in tokens[after:]
                    if t.key in anchors[number] or (t.kind == TEXT and misprint_of(t.key, owners) == number)
                ),
                len(tokens),
            )
        end = next((index for index in heading_at if index >= start), len(tokens))
        regions[number] = Region(start, end)
    # a table whose heading is missing must not run into the next table
    for number in (2, 3):
        following = regions[number + 1]
        if number + 1 not in headings and regions[number].start < following.start < regions[number].end:
            regions[number].end = following.start
    return {
        "table2": extract_table2(tokens, regions[2], spec.table2, settings),
        "table3": extract_table3(tokens, regions[3], spec.table3, settings),
        "table4": extract_table4(tokens, regions[4], spec.table4, settings),
    }


# A report is recognised by its structure, never by its title alone: a notice on compiling the
# reports or a manual of the reporting system is titled like one.  Every real report read so far
# shows all six headings and all three tables; three headings (a pre-2019 report has no tables)
# or one table with a few of its rows (the headings misprinted or reworded) are enough, so a report
# with a table that cannot be read is still checked.
_MIN_HEADINGS = 3
_MIN_TABLE_ROWS = 3
_TABLE_NAMES = {"table2": "表二", "table3": "表三", "table4": "表四"}


def _what_is_missing(headings: dict[int, HeadingMatch], results: dict[str, TableResult]) -> str | None:
    """None for a report; otherwise the one sentence that says what a report shows and this does not."""
    if len(headings) >= _MIN_HEADINGS:
        return None
    if any(_rows_found(result.data) >= _MIN_TABLE_ROWS for result in results.values()):
        return None
    if headings:
        found = "、".join(f"第{number}部分" for number in sorted(headings))
        shown = f"六个部分的标题只找到{len(headings)}个（{found}）"
    else:
        shown = "没有六个部分的标题（一、总体情况至六、其他需要报告的事项）"
    partial = [_TABLE_NAMES[name] for name, result in results.items() if _rows_found(result.data)]
    tables = f"统计表只找到{'、'.join(partial)}的个别行" if partial else "也没有表二、表三、表四三张统计表"
    return f"不是政府信息公开工作年度报告：{shown}，{tables}，无法核查"


def _rows_found(data: TableData) -> int:
    return sum(1 for cols in data.values() if any(cell.status != "missing" for cell in cols.values()))


# ---------------------------------------------------------------------------- sections


def _sections(
    paragraphs: list[Token], headings: dict[int, HeadingMatch], consumed: set[int]
) -> tuple[dict[str, Section], dict[int, int]]:
    """Each section's text (its paragraphs no table consumed) and the section of each paragraph
    after its heading; a section runs to the next heading."""
    ordered = sorted(headings.values(), key=lambda h: h.token.index)
    starts = [match.token.index for match in ordered]
    lines: list[list[str]] = [[] for _ in ordered]
    section_of: dict[int, int] = {}
    for token in paragraphs:
        k = bisect_right(starts, token.index) - 1  # the last heading at or before the paragraph
        if k < 0 or starts[k] == token.index:
            continue  # before the first heading, or a heading itself
        section_of[token.index] = ordered[k].section
        if token.index not in consumed:
            lines[k].append(token.text)
    sections: dict[str, Section] = {}
    for match, section_lines in zip(ordered, lines, strict=True):
        if match.run_on:
            section_lines.insert(0, match.run_on)
        sections[str(match.section)] = Section(
            heading=match.text, text="\n".join(section_lines), location=match.token.location
        )
    return sections, section_of


def _heading(match: HeadingMatch) -> Heading:
    return Heading(
        number=match.section,
        text=match.text,
        numbering=match.numbering,
        printed_number=match.printed_number,
        canonical=match.canonical,
        wording=match.wording,
        location=match.token.location,
    )


# ---------------------------------------------------------------------------- text given as such


def narrative_of(paragraphs: Iterable[tuple[str, int | None, Location | None]]) -> list[NarrativeFigure]:
    """The figures stated in paragraphs given as (text, section number, location)."""
    pairs = [
        (make_token(k, text, location or Location(), None, None, None, False), section)
        for k, (text, section, location) in enumerate(paragraphs)
    ]
    figures = extract_narrative(pairs)
    # a paragraph without a known place gives figures without one, not an empty location
    return [
        figure if figure.location != Location() else dataclasses.replace(figure, location=None) for figure in figures
    ]


def narrative_of_sections(sections: Mapping[str, Section]) -> list[NarrativeFigure]:
    """The figures stated in the sections' texts (a report given as data, not as a document)."""
    return narrative_of(
        (line, int(number) if number.isdigit() else None, None)
        for number, section in sorted(sections.items())
        for line in section.text.splitlines()
        if line.strip()
    )


def section_headings(sections: Mapping[str, Section], spec: FormatSpec) -> list[Heading]:
    """The headings of sections given as data, their numbering judged as in a document."""
    headings = []
    for number, section in sorted(sections.items()):
        if not number.isdigit():
            continue
        token = make_token(0, section.heading, section.location or Location(), None, None, None, False)
        _chosen, candidates = find_sections([token], spec)
        # the key says which section it is; the heading finder says how the line is numbered
        match = next((c for c in candidates if c.section == int(number)), None)
        wording: HeadingWording
        if match is None:  # a title in other words: only its numbering can be judged
            numbering, printed = numbering_of(section.heading)
            canonical, wording = canonical_numbering(int(number), numbering, printed), "reworded"
        else:
            numbering, printed, canonical, wording = (
                match.numbering,
                match.printed_number,
                match.canonical,
                match.wording,
            )
        heading = Heading(
            number=int(number),
            text=section.heading,
            numbering=numbering,
            printed_number=printed,
            canonical=canonical,
            wording=wording,
            location=section.location,
        )
        headings.append(heading)
    return headings

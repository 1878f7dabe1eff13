"""Agencies: the office's own list, and matching a report's printed agency name to it.

A report is matched only when its name leads to exactly one agency: by the normalised name, an
explicit alias, or the region's name followed by the name (平潭综合实验区 + 财政金融局).  Two
candidates, or none, and the report waits for a person (``nianbao agencies match``); nothing is
merged by guess.  While no list is loaded, agencies are created from the reports themselves.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from ... import StoreError
from ..models import Agency, AuditEntry, Level
from . import crosscheck

COLUMNS = ("名称", "行政区划代码", "行政区划名称", "层级", "上级机关", "别名")
_REQUIRED = ("名称",)
_IGNORED = re.compile(r"[\s·•・\u3000\"'“”‘’《》〈〉「」『』]")
_LEVEL_BY_TEXT = {label: value for value, label in Level.choices} | {value: value for value, _ in Level.choices}
_LEVEL_BY_TEXT.update({"乡镇人民政府": Level.TOWNSHIP_GOVERNMENT, "街道办事处": Level.TOWNSHIP_GOVERNMENT})
# the short labels lists (and `nianbao sample`'s 名录.csv) use: 省级政府 … 乡级政府
_LEVEL_BY_TEXT.update(
    {"省级政府": Level.PROVINCE_GOVERNMENT, "市级政府": Level.CITY_GOVERNMENT, "县级政府": Level.COUNTY_GOVERNMENT}
    | {"乡级政府": Level.TOWNSHIP_GOVERNMENT, "乡镇政府": Level.TOWNSHIP_GOVERNMENT}
)
# other spellings of the template's column names (`nianbao sample` writes the first three)
_COLUMN_ALIASES = {"机关名称": "名称", "区划代码": "行政区划代码", "区划名称": "行政区划名称", "上级": "上级机关"}


def normalize_name(name: str) -> str:
    """The key two printed names of one agency share: width, spaces, quotes and brackets unified."""
    text = unicodedata.normalize("NFKC", name)
    text = text.replace("(", "（").replace(")", "）")
    return _IGNORED.sub("", text)


@dataclass
class Match:
    agency: Agency | None
    status: str  # matched, created, ambiguous, unknown, unnamed
    candidates: list[Agency] = field(default_factory=list)

    @property
    def reason(self) -> str:
        if self.status == "unnamed":
            return "未能从报告中读出发布机关名称，请用 nianbao agencies match 指定机关"
        if self.status == "ambiguous":
            shown = "、".join(f"{a.name}（{a.region_name or '未填区划'}，编号 {a.pk}）" for a in self.candidates[:5])
            return f"机关名称对应名录中多个机关：{shown}，请用 nianbao agencies match 指定"
        if self.status == "unknown":
            return "名录中没有与报告所署名称对应的机关，请补充名录（别名）或用 nianbao agencies match 指定"
        return ""


class AgencyIndex:
    """Every agency's keys, loaded once per import run (a province's list has tens of thousands)."""

    def __init__(self) -> None:
        self.list_loaded = Agency.objects.filter(from_list=True).exists()
        self._by_key: dict[str, dict[int, Agency]] = {}
        self._regions: dict[int, str] = {}
        for agency in Agency.objects.all():
            self.add(agency)

    def add(self, agency: Agency) -> None:
        keys = {agency.normalized_name} | {normalize_name(alias) for alias in agency.aliases or ()}
        region = normalize_name(agency.region_name) if agency.region_name else ""
        if region:
            self._regions[agency.pk] = region
            keys |= {region + key for key in keys if not key.startswith(region)}
        for key in keys:
            self._by_key.setdefault(key, {})[agency.pk] = agency

    def match(self, printed: str | None, title: str | None = None) -> Match:
        if not printed or not normalize_name(printed):
            return Match(None, "unnamed")
        found = list(self._by_key.get(normalize_name(printed)[:200], {}).values())
        if len(found) > 1 and title:
            # the title often names the region ("平潭综合实验区财政局2023年…") when the signature does not
            in_title = [a for a in found if self._regions.get(a.pk, "\0") in normalize_name(title)]
            if len(in_title) == 1:
                found = in_title
        if len(found) == 1:
            return Match(found[0], "matched")
        if found:
            return Match(None, "ambiguous", found)
        if self.list_loaded:
            return Match(None, "unknown")
        return Match(None, "create")

    def create(self, printed: str) -> Agency:
        """An agency made from a report's name, while no list is loaded."""
        agency = Agency.objects.create(name=printed.strip()[:200], normalized_name=normalize_name(printed)[:200])
        self.add(agency)
        return agency


# ---------------------------------------------------------------------------------- the list


def read_rows(path: Path) -> list[dict[str, str]]:
    """The rows of a 名录 in CSV (UTF-8 or GB18030) or XLSX, keyed by the template's column names."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _xlsx_rows(path)
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise StoreError(f"{path}：无法识别文件编码，请另存为 UTF-8 编码的 CSV 或 XLSX")
    reader = csv.DictReader(io.StringIO(text))
    return [{_column(key): (value or "").strip() for key, value in row.items() if key} for row in reader]


def _column(header: str) -> str:
    return _COLUMN_ALIASES.get(header.strip(), header.strip())


def _xlsx_rows(path: Path) -> list[dict[str, str]]:
    import openpyxl  # type: ignore[import-untyped]

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several unrelated types for a damaged file
        raise StoreError(f"{path}：无法打开该 Excel 文件（{exc}）") from None
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [_column(str(cell)) if cell is not None else "" for cell in next(rows, ())]
    out = []
    for values in rows:
        if all(value is None or str(value).strip() == "" for value in values):
            continue
        out.append({key: _cell_text(value) for key, value in zip(header, values, strict=False) if key})
    book.close()
    return out


def _cell_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a region code typed as a number
    return "" if value is None else str(value).strip()


def load_list(rows: Iterable[dict[str, str]], *, who: str) -> dict[str, int]:
    """Load (or update) the office's list, all rows or none; returns counts created/updated.

    An agency already created from reports under exactly the same name (while no list was loaded)
    becomes the list's entry, keeping its reports.
    """
    rows = list(rows)
    errors: list[str] = []
    if rows and "名称" not in rows[0]:
        raise StoreError(
            f"名录缺少「名称」列；应有的列：{'、'.join(COLUMNS)}（可用 nianbao agencies template 生成模板）"
        )
    parsed = []
    for number, row in enumerate(rows, start=2):
        name = row.get("名称", "")
        level_text = row.get("层级", "")
        level = _LEVEL_BY_TEXT.get(level_text)
        if not name:
            errors.append(f"第 {number} 行：名称为空")
        elif level is None:
            errors.append(
                f"第 {number} 行：层级「{level_text}」无法识别，应为 {'、'.join(label for _, label in Level.choices[:-1])} 之一"
            )
        else:
            parsed.append((number, row, name, level))
    if errors:
        raise StoreError("名录有误，未导入任何一行：" + "；".join(errors[:10]) + ("……" if len(errors) > 10 else ""))
    counts = {"created": 0, "updated": 0}
    relevelled: list[int] = []  # agencies whose level changed: their reports' deadlines may have
    with transaction.atomic():
        loaded: dict[int, tuple[Agency, str]] = {}
        for number, row, name, level in parsed:
            key = normalize_name(name)
            region_code = row.get("行政区划代码", "")
            agency = (
                Agency.objects.filter(normalized_name=key, region_code=region_code).first()
                or Agency.objects.filter(normalized_name=key, from_list=False).first()
            )
            created = agency is None
            if agency is not None and agency.level != level:
                relevelled.append(agency.pk)
            agency = agency or Agency(normalized_name=key)
            agency.name = name
            agency.region_code = region_code
            agency.region_name = row.get("行政区划名称", "")
            agency.level = level
            agency.aliases = [alias for alias in re.split(r"[;；,，、]", row.get("别名", "")) if alias.strip()]
            agency.from_list = True
            agency.save()
            counts["created" if created else "updated"] += 1
            loaded[number] = (agency, row.get("上级机关", ""))
        for number, (agency, parent_name) in loaded.items():
            if not parent_name:
                continue
            parents = list(Agency.objects.filter(normalized_name=normalize_name(parent_name), from_list=True))
            if len(parents) != 1:
                problem = "不在名录中" if not parents else "在名录中不唯一"
                raise StoreError(f"名录有误，未导入任何一行：第 {number} 行的上级机关「{parent_name}」{problem}")
            agency.parent = parents[0]
            agency.save(update_fields=["parent"])
        AuditEntry.objects.create(who=who, action="agency_load", object_type="agency", detail=counts)
        crosscheck.mark_agencies(relevelled)
    if relevelled:
        crosscheck.check_due(who=who)
    return counts


def write_template(path: Path) -> None:
    """An XLSX with the list's columns, one example row and the accepted levels."""
    import openpyxl
    from openpyxl.styles import Font  # type: ignore[import-untyped]
    from openpyxl.worksheet.datavalidation import DataValidation  # type: ignore[import-untyped]

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "名录"
    sheet.append(list(COLUMNS))
    sheet.append(
        [
            "平潭综合实验区财政金融局",
            "350128",
            "平潭综合实验区",
            "县级部门",
            "平潭综合实验区管理委员会",
            "平潭财政金融局",
        ]
    )
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column, width in zip("ABCDEF", (36, 14, 20, 22, 36, 30), strict=True):
        sheet.column_dimensions[column].width = width
    levels = ",".join(label for _, label in Level.choices[:-1])
    validation = DataValidation(type="list", formula1=f'"{levels}"', allow_blank=False)
    sheet.add_data_validation(validation)
    validation.add("D2:D5000")
    notes = book.create_sheet("说明")
    for line in (
        "每行一个机关。名称：报告上署的全称。行政区划代码：6 位或 12 位代码。",
        "层级：从下拉列表中选择（政府与部门的法定公开期限不同）。上级机关：名录中另一行的名称，可空。",
        "别名：报告上可能出现的其他写法，多个用；分隔。导入：nianbao agencies load 名录.xlsx",
    ):
        notes.append([line])
    tmp = path.with_name(path.name + ".tmp")
    book.save(tmp)
    tmp.replace(path)

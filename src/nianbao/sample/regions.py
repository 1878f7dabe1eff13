"""A fictional region tree and its agencies: 示例省 → 甲市 … → 甲东县 … → 青山镇 ….

Codes follow the real scheme (province ``91`` + ``0000``, city ``9101`` + ``00``, county
``910101``; townships add three digits, ``910101001``) with a province number no real province
uses, so a sample can never be mistaken for real data.  Every agency name is unique, because
reports are matched to agencies by name.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Level = Literal["省", "市", "县", "乡"]
AgencyType = Literal["政府", "部门"]

PROVINCE_CODE = "91"
PROVINCE_NAME = "示例省"
CITY_STEMS = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥"
COUNTY_STEMS = "东西南北中安平宁和兴丰永长清新广泰定福康"
TOWNSHIPS = (
    "青山镇",
    "白石镇",
    "金沙镇",
    "红旗乡",
    "柳河乡",
    "松林镇",
    "桃源乡",
    "石桥镇",
    "杏花乡",
    "梅岭镇",
)
# (province, city, county) names of one department; the province uses 厅/委员会, lower levels 局
DEPARTMENTS = (
    ("发展和改革委员会", "发展和改革委员会", "发展和改革局"),
    ("教育厅", "教育局", "教育局"),
    ("司法厅", "司法局", "司法局"),
    ("财政厅", "财政局", "财政局"),
    ("自然资源厅", "自然资源和规划局", "自然资源局"),
    ("住房和城乡建设厅", "住房和城乡建设局", "住房和城乡建设局"),
    ("交通运输厅", "交通运输局", "交通运输局"),
    ("农业农村厅", "农业农村局", "农业农村局"),
    ("卫生健康委员会", "卫生健康委员会", "卫生健康局"),
    ("市场监督管理局", "市场监督管理局", "市场监督管理局"),
    ("人民政府办公厅", "人民政府办公室", "人民政府办公室"),
    ("民政厅", "民政局", "民政局"),
)
LEVEL_NAMES: dict[str, str] = {"省": "省级", "市": "市级", "县": "县级", "乡": "乡级"}


@dataclass(frozen=True)
class Region:
    code: str
    name: str  # the name agencies are prefixed with: 示例省, 甲市, 甲东县, 甲东县青山镇
    level: Level
    parent: str | None  # the parent region's code

    def as_dict(self) -> dict[str, str | None]:
        return {"code": self.code, "name": self.name, "level": self.level, "parent": self.parent}


@dataclass(frozen=True)
class Agency:
    name: str
    region: Region
    type: AgencyType
    parent: str | None  # the supervising agency: a department's own government, a government's superior

    @property
    def level(self) -> Level:
        return self.region.level

    @property
    def level_label(self) -> str:
        """县级部门, 乡级政府 …: the level as an office's list of agencies writes it."""
        return LEVEL_NAMES[self.level] + self.type

    def as_dict(self) -> dict[str, str | None]:
        return {
            "name": self.name,
            "region_code": self.region.code,
            "region": self.region.name,
            "level": self.level,
            "type": self.type,
            "parent": self.parent,
        }


@dataclass(frozen=True)
class Shape:
    """How big the tree is: cities, counties per city, townships per county, departments per government."""

    cities: int
    counties: int
    townships: int
    departments: int

    def agencies(self) -> int:
        county = 1 + self.departments + self.townships
        city = 1 + self.departments + self.counties * county
        return 1 + self.departments + self.cities * city


MAX_SHAPE = Shape(len(CITY_STEMS), len(COUNTY_STEMS), len(TOWNSHIPS), len(DEPARTMENTS))


def shape_for(agencies: int) -> Shape:
    """The smallest tree in a fixed growth order with at least ``agencies`` agencies.

    Sizes grow in turn (departments, townships, counties, cities), so even a small sample has
    agencies at every level and of both types.
    """
    if agencies > MAX_SHAPE.agencies():
        raise ValueError(f"at most {MAX_SHAPE.agencies()} agencies")
    sizes = {"departments": 1, "townships": 1, "counties": 1, "cities": 1}
    limits = {name: getattr(MAX_SHAPE, name) for name in sizes}
    while Shape(**sizes).agencies() < agencies:
        for name in ("departments", "townships", "counties", "cities"):
            if sizes[name] < limits[name]:
                sizes[name] += 1
                if Shape(**sizes).agencies() >= agencies:
                    break
    return Shape(**sizes)


def _governed(region: Region, parent_government: str | None, departments: int, tier: int) -> list[Agency]:
    government = f"{region.name}人民政府"
    out = [Agency(government, region, "政府", parent_government)]
    for names in DEPARTMENTS[:departments]:
        out.append(Agency(region.name + names[tier], region, "部门", government))
    return out


def build_tree(shape: Shape) -> tuple[list[Region], list[Agency]]:
    """Regions and agencies in tree order (a region, its agencies, then its children)."""
    province = Region(PROVINCE_CODE + "0000", PROVINCE_NAME, "省", None)
    regions = [province]
    agencies = _governed(province, None, shape.departments, 0)
    province_government = agencies[0].name
    for c, city_stem in enumerate(CITY_STEMS[: shape.cities], start=1):
        city = Region(f"{PROVINCE_CODE}{c:02d}00", f"{city_stem}市", "市", province.code)
        regions.append(city)
        city_agencies = _governed(city, province_government, shape.departments, 1)
        agencies += city_agencies
        for k, county_stem in enumerate(COUNTY_STEMS[: shape.counties], start=1):
            suffix = "区" if k <= 2 else "县"  # the first two are the city's districts
            county = Region(f"{PROVINCE_CODE}{c:02d}{k:02d}", f"{city_stem}{county_stem}{suffix}", "县", city.code)
            regions.append(county)
            county_agencies = _governed(county, city_agencies[0].name, shape.departments, 2)
            agencies += county_agencies
            for t, township_name in enumerate(TOWNSHIPS[: shape.townships], start=1):
                township = Region(f"{county.code}{t:03d}", county.name + township_name, "乡", county.code)
                regions.append(township)
                agencies.append(Agency(f"{township.name}人民政府", township, "政府", county_agencies[0].name))
    return regions, agencies


def region_tree(agencies: int) -> tuple[list[Region], list[Agency]]:
    """Exactly ``agencies`` agencies and the regions they use.

    The tree is cut down by dropping departments from the end of the tree order, so every
    government (and with it every level) stays; only a tree smaller than its governments loses
    its last ones.
    """
    regions, everyone = build_tree(shape_for(agencies))
    surplus = len(everyone) - agencies
    dropped: set[int] = set()
    for k in range(len(everyone) - 1, -1, -1):
        if len(dropped) == surplus:
            break
        if everyone[k].type == "部门":
            dropped.add(k)
    chosen = [agency for k, agency in enumerate(everyone) if k not in dropped][:agencies]
    used = {agency.region.code for agency in chosen}
    by_code = {region.code: region for region in regions}
    for code in list(used):  # keep the ancestors of every used region
        region = by_code[code]
        while region.parent is not None:
            used.add(region.parent)
            region = by_code[region.parent]
    return [region for region in regions if region.code in used], chosen

"""The sample's content: which agency reports which year, its tables, text, date and errors.

Everything is drawn from ``random.Random`` streams seeded with the sample's seed, in a fixed
order, so one seed always gives the same sample.  The kind of each file (txt, html …) has a
stream of its own: the same seed with other ``kinds`` gives the same reports in other files.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from ..formats import GOV2021
from ..model import Report, Section
from ..rules.timeliness import publication_deadline
from . import wording as words
from .regions import Agency, Region, region_tree
from .tables import APPLICANTS, T3, T4, Table, start, year_tables

ERROR_KINDS = ("arithmetic", "carry_over", "copied_text", "late", "missing")
# The rule each kind of seeded error is meant to be found by.
EXPECTED_RULES = {
    "carry_over": ["X-CARRY"],
    "copied_text": ["DUP"],
    "late": ["DEADLINE"],
    "missing": ["MISSING"],
}
KINDS = ("txt", "md", "html", "docx", "pdf")
T4_COLUMN_NAMES = {col.key: col.name for col in T4.columns}


@dataclass(frozen=True)
class SampleParams:
    reports: int
    seed: int = 0
    error_rate: float = 0.05
    kinds: tuple[str, ...] = ("txt", "html")
    first_year: int = 2021
    last_year: int = 2025

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(range(self.first_year, self.last_year + 1))

    def as_dict(self) -> dict[str, Any]:
        return {
            "reports": self.reports,
            "seed": self.seed,
            "error_rate": self.error_rate,
            "kinds": list(self.kinds),
            "years": [self.first_year, self.last_year],
        }


@dataclass
class SeededError:
    kind: str
    detail: str
    cells: list[str] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)
    changes: list[dict[str, Any]] = field(default_factory=list)  # cell, printed, consistent

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "cells": self.cells, "rules": self.rules, "detail": self.detail}
        if self.changes:
            out["changes"] = self.changes
        return out


@dataclass
class PlannedReport:
    """One file of the sample: the report as printed and what was seeded in it."""

    agency: Agency
    year: int
    kind: str
    encoding: str  # txt only: utf-8 or gb18030
    report: Report
    tables: dict[str, Table]  # the printed values, contract-shaped
    deadline: dt.date
    errors: list[SeededError]


@dataclass(frozen=True)
class Missing:
    agency: Agency
    year: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "agency": self.agency.name,
            "region_code": self.agency.region.code,
            "year": self.year,
            "rules": EXPECTED_RULES["missing"],
        }


@dataclass
class Plan:
    params: SampleParams
    regions: list[Region]
    agencies: list[Agency]
    missing: list[Missing]
    slots: int  # agency-years in the plan (reports + missing)


def plan(params: SampleParams) -> tuple[Plan, Iterator[PlannedReport]]:
    """The tree, the agencies and the missing reports now; the reports one by one, in order.

    Agencies are as many as needed for ``reports`` files over the years with about
    ``error_rate`` of them missing; exactly ``reports`` files come out.
    """
    years = params.years
    agencies_needed = math.ceil(round(params.reports * (1 + params.error_rate) / len(years), 6))
    regions, agencies = region_tree(agencies_needed)
    slots = len(agencies) * len(years)
    rng = random.Random(f"nianbao-sample:{params.seed}")
    missing_slots = set(rng.sample(range(slots), slots - params.reports))
    missing = [Missing(agencies[slot // len(years)], years[slot % len(years)]) for slot in sorted(missing_slots)]
    layout = Plan(params, regions, agencies, missing, slots)
    return layout, _reports(params, agencies, missing_slots, rng)


def _reports(
    params: SampleParams, agencies: list[Agency], missing_slots: set[int], rng: random.Random
) -> Iterator[PlannedReport]:
    kinds_rng = random.Random(f"nianbao-sample:{params.seed}:kinds")
    years = params.years
    for a, agency in enumerate(agencies):
        history = start(rng, agency)
        last: words.Wording | None = None  # the wording of the agency's last published report
        for y, year in enumerate(years):
            t2, t3, t4 = year_tables(rng, agency, history)
            if a * len(years) + y in missing_slots:
                continue
            previous_published = y > 0 and (a * len(years) + y - 1) not in missing_slots
            errors: list[SeededError] = []
            choice = _error_kind(rng, params.error_rate, previous_published)
            if choice == "arithmetic":
                errors.append(_arithmetic(rng, t3, t4))
            elif choice == "carry_over":
                errors.append(_carry_over(t3, year))
            if choice == "copied_text" and last is not None:
                wording = words.copied(rng, last)
                errors.append(
                    SeededError(
                        "copied_text",
                        f"正文沿用{year - 1}年度报告的文字，仅数字不同",
                        rules=EXPECTED_RULES["copied_text"],
                    )
                )
            else:
                wording = words.draw(rng, last)
            last = wording
            statutory = publication_deadline(year, agency.name)
            # 乡镇人民政府: 第四十九条 sets no date, so no late publication is seeded; they publish by 3月31日
            due = statutory[0] if statutory else dt.date(year + 1, 3, 31)
            late = choice == "late" and statutory is not None
            published = _published(rng, year, due, late=late)
            if late:
                errors.append(
                    SeededError(
                        "late",
                        f"发布日期{published.isoformat()}晚于法定期限{due.isoformat()}（晚{(published - due).days}天）",
                        rules=EXPECTED_RULES["late"],
                    )
                )
            report = _report(agency, year, published, t2, t3, t4)
            report = replace(report, sections=_sections(report, wording))
            kind = kinds_rng.choice(params.kinds)
            encoding = kinds_rng.choice(("utf-8", "utf-8", "gb18030")) if kind == "txt" else "utf-8"
            yield PlannedReport(
                agency, year, kind, encoding, report, {"table2": t2, "table3": t3, "table4": t4}, due, errors
            )


def _error_kind(rng: random.Random, rate: float, previous_published: bool) -> str | None:
    if rng.random() >= rate:
        return None
    kinds = ["arithmetic", "late"] + (["carry_over", "copied_text"] if previous_published else [])
    return rng.choice(kinds)


def _published(rng: random.Random, year: int, due: dt.date, *, late: bool) -> dt.date:
    if late:
        return due + dt.timedelta(days=rng.randint(1, 120))
    first = dt.date(year + 1, 1, 5)
    return first + dt.timedelta(days=rng.randint(0, (due - first).days))


def _report(agency: Agency, year: int, published: dt.date, t2: Table, t3: Table, t4: Table) -> Report:
    return Report.from_contract(
        {
            "schema": "nianbao.report/1",
            "format_version": GOV2021.key,
            "agency": agency.name,
            "year": year,
            "published": published.isoformat(),
            "sections": {},
            "table2": t2,
            "table3": t3,
            "table4": t4,
        }
    )


def _sections(report: Report, wording: words.Wording) -> dict[str, Section]:
    return {
        number: Section(heading=section["heading"], text=section["text"])
        for number, section in words.sections(report, wording).items()
    }


# ---------------------------------------------------------------------------------- errors


def _column_name(key: str) -> str:
    return T3.column(key).name


def _change(table_name: str, table: Table, row: str, col: str, value: int) -> dict[str, Any]:
    before = table[row][col]
    table[row][col] = value
    return {"cell": f"{table_name}.{row}.{col}", "printed": value, "consistent": before}


def _arithmetic(rng: random.Random, t3: Table, t4: Table) -> SeededError:
    """One cell changed so that an identity of table 3 or 4 fails; the rest left as it was."""
    variant = rng.choice(("result", "received", "review"))
    step = rng.randint(1, 3)
    if variant == "review":
        group = rng.choice([g.key for g in T4.groups])
        col = rng.choice(("upheld", "corrected", "other", "pending"))
        value = int(t4[group][col] or 0)
        new = value + step if value < step or rng.random() < 0.5 else value - step
        change = _change("table4", t4, group, col, new)
        group_name = {g.key: g.name for g in T4.groups}[group]
        outcome = T4_COLUMN_NAMES[col]
        return SeededError(
            "arithmetic",
            f"表四{group_name}“{outcome}”由{value}改为{new}，该组总计不再等于各项之和",
            [change["cell"]],
            ["T4-SUM"],
            [change],
        )
    col = rng.choice(APPLICANTS)
    if variant == "received":
        row, rules = T3.received_new, ["T3-ID", "T3-COL"]
    else:
        row, rules = rng.choice(T3.result_rows), ["T3-SUM", "T3-COL"]
    value = int(t3[row][col] or 0)
    new = value + step if value < step or rng.random() < 0.5 else value - step
    change = _change("table3", t3, row, col, new)
    return SeededError(
        "arithmetic",
        f"表三“{T3.row(row).name}”行{_column_name(col)}列由{value}改为{new}，"
        + ("一＋二不再等于三（七）＋四" if row == T3.received_new else "（七）总计不再等于各项办理结果之和")
        + "，总计列也不再等于各列之和",
        [change["cell"]],
        rules,
        [change],
    )


def _carry_over(t3: Table, year: int) -> SeededError:
    """二、上年结转 moved away from last year's 四, with 一 (or a result row) moved to match, so
    table 3 still adds up and only the comparison with last year's report shows the error."""
    new, carried, granted = T3.received_new, T3.carried_over_in, "granted"
    total = T3.total_column

    def shift(row: str, col: str, by: int) -> dict[str, Any]:
        return _change("table3", t3, row, col, int(t3[row][col] or 0) + by)

    col = next((c for c in APPLICANTS if int(t3[new][c] or 0) >= 1), None)
    if col is not None:
        changes = [shift(carried, col, 1), shift(carried, total, 1), shift(new, col, -1), shift(new, total, -1)]
    else:
        col = next((c for c in APPLICANTS if int(t3[carried][c] or 0) >= 1), None)
        if col is not None:
            changes = [shift(carried, col, -1), shift(carried, total, -1), shift(new, col, 1), shift(new, total, 1)]
        else:
            col = APPLICANTS[0]
            changes = [
                shift(carried, col, 1),
                shift(carried, total, 1),
                *(shift(row, c, 1) for row in (granted, T3.results_total) for c in (col, total)),
            ]
    printed = int(t3[carried][col] or 0)
    return SeededError(
        "carry_over",
        f"表三“二、上年结转”{_column_name(col)}列为{printed}，与{year - 1}年度报告“四、结转下年度继续办理”的"
        f"{changes[0]['consistent']}不符（表三本身仍平衡）",
        [f"table3.{carried}.{col}", f"table3.{carried}.{total}"],
        EXPECTED_RULES["carry_over"],
        changes,
    )

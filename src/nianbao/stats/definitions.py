"""What statistics count: the measures (sums of cells), the rates and the thresholds, declared once.

docs/statistics.md prints these tables (a test checks it against :func:`definitions_markdown`),
so the written definitions cannot drift from the code.

A measure lists its cells as alternatives: a report is read with the first alternative it
prints (（六）其他处理 is three sub-rows in the 2021 format, one row in the 2019 format and in
some 2021 reports).  A rate is one measure over another, computed over the members whose
numerator and denominator are both known.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from ..formats import GOV2021

T3 = GOV2021.table3
T4 = GOV2021.table4
_APPLICANTS = tuple(col.key for col in T3.applicant_columns)
_LEGAL_PERSONS = _APPLICANTS[1:]


@dataclass(frozen=True)
class Measure:
    key: str
    name: str  # Chinese, as tables and sheets head it
    terms: tuple[tuple[str, ...], ...]  # alternatives, each a tuple of cell ids summed
    table: str  # which table it comes from: 表二 / 表三 / 表四


@dataclass(frozen=True)
class Rate:
    key: str
    name: str
    numerator: str  # a measure key
    denominator: str  # a measure key
    definition: str  # Chinese, for people
    higher_is: str  # "better" / "worse": how rankings read it


def _t3(row: str, cols: tuple[str, ...] = ("total",)) -> tuple[str, ...]:
    return tuple(f"table3.{row}.{col}" for col in cols)


def _t3_rows(prefix: str) -> tuple[str, ...]:
    return tuple(f"table3.{key}.total" for key in T3.result_rows if key.startswith(prefix))


def _t4(groups: tuple[str, ...], col: str) -> tuple[str, ...]:
    return tuple(f"table4.{group}.{col}" for group in groups)


_LITIGATION = ("litigation_direct", "litigation_after_review")

MEASURES: tuple[Measure, ...] = (
    Measure("received_new", "本年新收申请", (_t3("received_new"),), "表三"),
    Measure("received_natural_person", "自然人申请", (_t3("received_new", ("natural_person",)),), "表三"),
    Measure("received_legal_persons", "法人或其他组织申请", (_t3("received_new", _LEGAL_PERSONS),), "表三"),
    Measure("carried_over_in", "上年结转", (_t3("carried_over_in"),), "表三"),
    Measure("results_total", "办理结果总计", (_t3("results_total"),), "表三"),
    Measure("granted", "予以公开", (_t3("granted"),), "表三"),
    Measure("partly_granted", "部分公开", (_t3("partly_granted"),), "表三"),
    Measure("disclosed", "予以公开＋部分公开", (_t3("granted") + _t3("partly_granted"),), "表三"),
    Measure("withheld", "不予公开", (_t3_rows("withheld_"),), "表三"),
    Measure("unavailable", "无法提供", (_t3_rows("unavailable_"),), "表三"),
    Measure("not_processed", "不予处理", (_t3_rows("not_processed_"),), "表三"),
    Measure("other_handling", "其他处理", (_t3_rows("other_"), _t3("other")), "表三"),
    Measure("carried_over_out", "结转下年度", (_t3("carried_over_out"),), "表三"),
    Measure("in_hand", "新收＋上年结转", (_t3("received_new") + _t3("carried_over_in"),), "表三"),
    Measure("review_total", "行政复议总计", (_t4(("review",), "total"),), "表四"),
    Measure("review_corrected", "复议结果纠正", (_t4(("review",), "corrected"),), "表四"),
    Measure(
        "review_decided",
        "复议已审结",
        (_t4(("review",), "upheld") + _t4(("review",), "corrected") + _t4(("review",), "other"),),
        "表四",
    ),
    Measure("litigation_total", "行政诉讼总计", (_t4(_LITIGATION, "total"),), "表四"),
    Measure("litigation_corrected", "诉讼结果纠正", (_t4(_LITIGATION, "corrected"),), "表四"),
    Measure("regulations_in_force", "现行有效规章", (("table2.regulations.in_force",),), "表二"),
    Measure("normative_in_force", "现行有效行政规范性文件", (("table2.normative_documents.in_force",),), "表二"),
    Measure(
        "documents_issued",
        "本年制发规章和规范性文件",
        (("table2.regulations.issued", "table2.normative_documents.issued"),),
        "表二",
    ),
    Measure("licensing", "行政许可决定", (("table2.licensing.decisions",),), "表二"),
    Measure("punishment", "行政处罚决定", (("table2.punishment.decisions",),), "表二"),
    Measure("coercion", "行政强制决定", (("table2.coercion.decisions",),), "表二"),
    Measure("fees", "行政事业性收费（万元）", (("table2.fees.amount",),), "表二"),
)
MEASURE_BY_KEY = {measure.key: measure for measure in MEASURES}

# Every cell a statistic reads: the store may select only these for ``compute_stats``.
STATS_CELLS = frozenset(cell for measure in MEASURES for cells in measure.terms for cell in cells)
# The order of a per-report vector of those cells a store keeps (rows.stats_vector), and its
# name: a vector is read only under the same name (a measure added or changed makes the stored
# vectors stale, and so does another layout of the vector).
STATS_CELLS_ORDER = tuple(sorted(STATS_CELLS))
STATS_CELLS_KEY = hashlib.sha256("\n".join(("stats-vector/1", *STATS_CELLS_ORDER)).encode()).hexdigest()[:16]

RATES: tuple[Rate, ...] = (
    Rate(
        "disclosure_rate",
        "公开率",
        "disclosed",
        "results_total",
        "（表三“（一）予以公开”＋“（二）部分公开”）÷ 表三“三（七）总计”，均取总计列",
        "better",
    ),
    Rate(
        "withheld_rate",
        "不予公开率",
        "withheld",
        "results_total",
        "表三“（三）不予公开”1–8项之和 ÷ “三（七）总计”",
        "worse",
    ),
    Rate(
        "unavailable_rate",
        "无法提供率",
        "unavailable",
        "results_total",
        "表三“（四）无法提供”1–3项之和 ÷ “三（七）总计”",
        "worse",
    ),
    Rate(
        "carry_over_rate",
        "结转率",
        "carried_over_out",
        "in_hand",
        "表三“四、结转下年度继续办理” ÷（“一、本年新收”＋“二、上年结转”），均取总计列",
        "worse",
    ),
    Rate(
        "review_correction_rate",
        "复议纠错率",
        "review_corrected",
        "review_total",
        "表四行政复议“结果纠正” ÷ 行政复议“总计”（总计含尚未审结）",
        "worse",
    ),
    Rate(
        "litigation_loss_rate",
        "诉讼败诉率",
        "litigation_corrected",
        "litigation_total",
        "表四行政诉讼两组（未经复议直接起诉、复议后起诉）“结果纠正”之和 ÷ 两组“总计”之和（总计含尚未审结）",
        "worse",
    ),
)
RATE_BY_KEY = {rate.key: rate for rate in RATES}

# The measures shown in year-over-year views, checked for jumps, and ranked.
HEADLINE = ("received_new", "results_total", "review_total", "litigation_total", "licensing", "punishment")
RANKED_MEASURES = ("received_new",)
RANKED_RATES = ("disclosure_rate", "review_correction_rate", "litigation_loss_rate")


@dataclass(frozen=True)
class Thresholds:
    """The thresholds anomalies and rankings use (docs/statistics.md names each)."""

    jump_up: float = 5.0  # this year over last year above this is a jump
    jump_down: float = 0.2  # … below this is a drop
    jump_min: float = 10  # the larger of the two years must reach this, so 1 → 6 is not a jump
    peer_large: float = 20  # a zero is odd when the peers' median is at least this
    min_peers: int = 5  # … and there are at least this many peers with the figure known
    rank_min_denominator: float = 5  # a rate is ranked only over at least this many cases


THRESHOLDS = Thresholds()

THRESHOLD_TEXT = {
    "jump_up": "本年数值超过上年的该倍数，判为异常增长",
    "jump_down": "本年数值低于上年的该倍数，判为异常下降",
    "jump_min": "两年中较大者不少于该数才判增减异常（避免1件变6件之类）；上年为0、本年不少于该数亦判为异常增长",
    "peer_large": "同层级同类型单位的中位数不少于该数而本单位为0，判为“同类单位较大而本单位为零”",
    "min_peers": "判“同类单位较大而本单位为零”所需的同类单位数（数值已知者）",
    "rank_min_denominator": "比率排名只列分母不少于该数的单位",
}


def definitions_markdown() -> str:
    """The measures, rates and thresholds as Markdown tables (docs/statistics.md holds this text)."""
    lines = ["| 指标 key | 名称 | 来源 | 单元格之和（列出多种时，取报告所印的第一种） |", "|---|---|---|---|"]
    for m in MEASURES:
        alternatives = " 或 ".join(" + ".join(f"`{c}`" for c in alt) for alt in m.terms)
        lines.append(f"| `{m.key}` | {m.name} | {m.table} | {alternatives} |")
    lines += ["", "| 比率 key | 名称 | 分子 | 分母 | 定义 | 排名 |", "|---|---|---|---|---|---|"]
    for r in RATES:
        num, den = MEASURE_BY_KEY[r.numerator], MEASURE_BY_KEY[r.denominator]
        order = "越高越好" if r.higher_is == "better" else "越高越差"
        lines.append(
            f"| `{r.key}` | {r.name} | {num.name} (`{num.key}`) | {den.name} (`{den.key}`) | {r.definition} | {order} |"
        )
    lines += ["", "| 阈值 | 默认值 | 含义 |", "|---|---|---|"]
    for name, text in THRESHOLD_TEXT.items():
        lines.append(f"| `{name}` | {getattr(THRESHOLDS, name):g} | {text} |")
    return "\n".join(lines) + "\n"

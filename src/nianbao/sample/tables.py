"""Tables 2–4 of one agency, year after year, consistent by construction.

Per applicant column, an agency's applications flow through the years: what it had in hand
(二、上年结转 = last year's 四、结转下年度) plus what arrived (一) is either answered (one result
row each, summed in （七）总计) or carried to next year (四), so 一＋二＝三（七）＋四 holds and
X-CARRY holds between years.  Table 4 counts cases per outcome; table 2's 现行有效 follows
last year's 现行有效 ＋ 本年制发 − 本年废止.  Values are plain contract values (row → column →
number); every cell has a number (no blanks), so a parsed file can be compared exactly.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field

from ..formats import GOV2021
from .regions import Agency

Table = dict[str, dict[str, int | float | None]]

T3 = GOV2021.table3
T4 = GOV2021.table4
APPLICANTS = tuple(col.key for col in T3.applicant_columns)
APPLICANT_WEIGHTS = (70, 14, 2, 2, 5, 7)
# How often each result row is the answer, roughly as in published reports.
RESULT_WEIGHTS = {
    "granted": 34,
    "partly_granted": 10,
    "withheld_state_secret": 1,
    "withheld_prohibited_by_law": 1,
    "withheld_security_stability": 1,
    "withheld_third_party": 2,
    "withheld_internal_affairs": 1,
    "withheld_process_info": 2,
    "withheld_enforcement_file": 1,
    "withheld_inquiry": 2,
    "unavailable_not_held": 22,
    "unavailable_needs_creation": 3,
    "unavailable_unclear": 2,
    "not_processed_petition": 4,
    "not_processed_duplicate": 3,
    "not_processed_publication": 1,
    "not_processed_excessive": 1,
    "not_processed_reconfirm": 1,
    "other_no_correction": 3,
    "other_no_fee": 1,
    "other_other": 4,
}
assert tuple(RESULT_WEIGHTS) == T3.result_rows
OUTCOME_WEIGHTS = {"upheld": 55, "corrected": 12, "other": 18, "pending": 15}
# Applications per year: (low, high) by level and type
VOLUME = {
    ("省", "政府"): (120, 600),
    ("省", "部门"): (20, 200),
    ("市", "政府"): (40, 300),
    ("市", "部门"): (5, 80),
    ("县", "政府"): (10, 120),
    ("县", "部门"): (0, 30),
    ("乡", "政府"): (0, 8),
}


def _spread(rng: random.Random, count: int, keys: tuple[str, ...], weights: tuple[int, ...]) -> Counter[str]:
    return Counter(rng.choices(keys, weights, k=count)) if count else Counter()


@dataclass
class AgencyHistory:
    """What one year leaves to the next: open applications per column, documents in force."""

    carried: dict[str, int] = field(default_factory=dict)
    in_force: dict[str, int] = field(default_factory=dict)


def start(rng: random.Random, agency: Agency) -> AgencyHistory:
    """The state at the end of the year before the first sample year."""
    high = VOLUME[(agency.level, agency.type)][1]
    open_share = max(high // 40, 1)
    carried = {col: rng.randint(0, open_share) if col == APPLICANTS[0] else rng.randint(0, 1) for col in APPLICANTS}
    makes_rules = agency.type == "政府" and agency.level in ("省", "市")
    in_force = {
        "regulations": rng.randint(10, 120) if makes_rules else 0,
        "normative_documents": rng.randint(5, 150) if agency.level != "乡" else rng.randint(0, 12),
    }
    return AgencyHistory(carried, in_force)


def year_tables(rng: random.Random, agency: Agency, history: AgencyHistory) -> tuple[Table, Table, Table]:
    """Tables 2, 3 and 4 of the next year; ``history`` is advanced to that year's end."""
    return _table2(rng, agency, history), _table3(rng, agency, history), _table4(rng, agency)


def _table3(rng: random.Random, agency: Agency, history: AgencyHistory) -> Table:
    low, high = VOLUME[(agency.level, agency.type)]
    received = _spread(rng, rng.randint(low, high), APPLICANTS, APPLICANT_WEIGHTS)
    rows: Table = {row.key: {} for row in T3.rows}
    for col in APPLICANTS:
        carried_in = history.carried.get(col, 0)
        in_hand = received[col] + carried_in
        carried_out = min(in_hand, rng.choice((0, 0, 0, 1, 2)) + in_hand // 25)
        results = _spread(rng, in_hand - carried_out, T3.result_rows, tuple(RESULT_WEIGHTS.values()))
        rows[T3.received_new][col] = received[col]
        rows[T3.carried_over_in][col] = carried_in
        for key in T3.result_rows:
            rows[key][col] = results[key]
        rows[T3.results_total][col] = in_hand - carried_out
        rows[T3.carried_over_out][col] = carried_out
        history.carried[col] = carried_out
    for cols in rows.values():
        cols[T3.total_column] = sum(int(cols[col] or 0) for col in APPLICANTS)
    return rows


def _table4(rng: random.Random, agency: Agency) -> Table:
    scale = VOLUME[(agency.level, agency.type)][1] // 30
    table: Table = {}
    for group, share in zip(T4.groups, (1.0, 0.6, 0.4), strict=True):
        cases = rng.randint(0, int(scale * share) + (1 if rng.random() < 0.3 else 0))
        outcomes = _spread(rng, cases, tuple(OUTCOME_WEIGHTS), tuple(OUTCOME_WEIGHTS.values()))
        table[group.key] = {key: outcomes[key] for key in OUTCOME_WEIGHTS}
        table[group.key][T4.total_column] = cases
    return table


def _table2(rng: random.Random, agency: Agency, history: AgencyHistory) -> Table:
    table: Table = {}
    for row in ("regulations", "normative_documents"):
        before = history.in_force[row]
        if row == "regulations" and before == 0:
            issued = repealed = 0  # only provincial and city governments make 规章
        else:
            issued = rng.randint(0, 12 if agency.type == "政府" else 5)
            repealed = rng.randint(0, min(before + issued, 6))
        history.in_force[row] = before + issued - repealed
        table[row] = {"issued": issued, "repealed": repealed, "in_force": history.in_force[row]}
    enforcing = agency.type == "部门" and agency.level != "乡"
    for row, high in (("licensing", 3000), ("punishment", 800), ("coercion", 120)):
        table[row] = {"decisions": rng.randint(0, high if enforcing else high // 20)}
    cents = rng.randint(1, 500_000) if enforcing and rng.random() < 0.4 else 0
    table["fees"] = {"amount": cents // 100 if cents % 100 == 0 else cents / 100}  # 万元, to the cent
    return table

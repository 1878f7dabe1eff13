"""The trial format: 《中华人民共和国政府信息公开工作年度报告格式（试行）》 (国办公开办函〔2019〕60号),
used for reports on 2019 and 2020.

Differences from 2021: table 2 has five blocks with other columns, and table 3 prints
（六）其他处理 as one row.  Sections and table 4 are the same.
"""

from __future__ import annotations

from dataclasses import replace

from . import gov2021
from .spec import FormatSpec, Label, SectionSpec, Table2Block, Table2Spec

_PREVIOUS = Label("previous", "上一年项目数量", ("上一年项目数",), "上一年项目数量")
_CHANGE = Label("change", "本年增/减", ("本年增减", "本年增（减）"), "本年增/减")
_DECISIONS = Label("decisions", "处理决定数量", ("本年处理决定数量",), "处理决定数量")

TABLE2 = Table2Spec(
    title="主动公开政府信息情况",
    blocks=(
        Table2Block(
            "第二十条第（一）项",
            (
                Label("made", "本年新制作数量", ("本年新制作数",), "本年新制作数量"),
                Label("published", "本年新公开数量", ("本年新公开数",), "本年新公开数量"),
                Label("public_total", "对外公开总数量", ("对外公开总数",), "对外公开总数量"),
            ),
            (Label("regulations", "规章"), Label("normative_documents", "规范性文件", ("行政规范性文件",))),
        ),
        Table2Block(
            "第二十条第（五）项",
            (_PREVIOUS, _CHANGE, _DECISIONS),
            (Label("licensing", "行政许可"), Label("other_services", "其他对外管理服务事项")),
        ),
        Table2Block(
            "第二十条第（六）项",
            (_PREVIOUS, _CHANGE, _DECISIONS),
            (Label("punishment", "行政处罚"), Label("coercion", "行政强制")),
        ),
        Table2Block("第二十条第（八）项", (_PREVIOUS, _CHANGE), (Label("fees", "行政事业性收费"),)),
        Table2Block(
            "第二十条第（九）项",
            (
                Label("projects", "采购项目数量", ("采购项目数",), "采购项目数量"),
                Label("amount", "采购总金额", (), "采购总金额"),
            ),
            (Label("procurement", "政府集中采购"),),
        ),
    ),
    signed_columns=(_CHANGE.key,),
)

_SECTIONS = tuple(
    replace(
        section,
        title="政府信息公开工作存在的主要问题及改进情况",
        variants=(gov2021.SECTIONS[4].title, *gov2021.SECTIONS[4].variants),
    )
    if section.number == 5
    else section
    for section in gov2021.SECTIONS
)

_RESULT_ROWS = (*gov2021.RESULT_ROWS_BEFORE_OTHER, gov2021.ROW_OTHER_SINGLE)

TABLE3 = replace(
    gov2021.TABLE3,
    rows=(
        gov2021.ROW_RECEIVED_NEW,
        gov2021.ROW_CARRIED_OVER_IN,
        *_RESULT_ROWS,
        gov2021.ROW_RESULTS_TOTAL,
        gov2021.ROW_CARRIED_OVER_OUT,
    ),
    result_rows=tuple(row.key for row in _RESULT_ROWS),
    groups=tuple(group for group in gov2021.TABLE3_GROUPS if group.key != "other_group"),
    collapsed_rows={},
    collapsed_labels=(),
)

TRIAL2019 = FormatSpec(
    key="trial2019",
    name="国办公开办函〔2019〕60号（格式试行）",
    first_year=2019,
    last_year=2020,
    sections=_SECTIONS,
    table2=TABLE2,
    table3=TABLE3,
    table4=gov2021.TABLE4,
    signatures=(
        "本年新制作数量",
        "本年新公开数量",
        "对外公开总数量",
        "上一年项目数量",
        "本年增/减",
        "其他对外管理服务事项",
        "第二十条第（九）项",
        "采购项目数量",
        "政府集中采购",
    ),
)

__all__ = ["TRIAL2019", "SectionSpec"]

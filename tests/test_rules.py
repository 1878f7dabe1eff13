"""Each rule on a report changed in the model, so the expected numbers are worked out by hand."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from helpers import SEEDS
from nianbao import parse_bytes, parse_file
from nianbao.model import CellValue, NarrativeFigure, Report
from nianbao.rules import RULES, run_rules


def report(index: int = 3) -> Report:
    return parse_file(SEEDS[index])  # 003: 将乐县工业和信息化局 2023, one application granted


def codes(rep: Report, previous: Report | None = None) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for finding in run_rules(rep, previous):
        out.setdefault(finding.code, []).append(f"{finding.severity}:{finding.message}")
    return out


def set_cell(rep: Report, cell_id: str, value: float | None, status: str = "value") -> None:
    table, row, col = cell_id.split(".")
    getattr(rep, table)[row][col] = CellValue(value=value, raw="" if value is None else str(value), status=status)


def test_clean_report_has_no_findings() -> None:
    assert run_rules(report()) == []


def test_t3_identity_message_names_the_numbers() -> None:
    rep = report()
    set_cell(rep, "table3.carried_over_out.natural_person", 2)
    set_cell(rep, "table3.carried_over_out.total", 2)
    found = codes(rep)["T3-ID"]
    assert found == [
        "error:自然人列：一(1)+二(0) ≠ 三（七）(1)+四(2)",
        "error:总计列：一(1)+二(0) ≠ 三（七）(1)+四(2)",
    ]


def test_t3_sum_lists_the_contributing_rows() -> None:
    rep = report()
    set_cell(rep, "table3.unavailable_not_held.natural_person", 1)
    set_cell(rep, "table3.unavailable_not_held.total", 1)
    found = codes(rep)["T3-SUM"]
    assert (
        found[0]
        == "error:自然人列：三（七）总计(1) ≠ 各项办理结果之和(2)，即（一）予以公开1+（四）1.本机关不掌握相关政府信息1"
    )


def test_t3_column_sum() -> None:
    rep = report()
    set_cell(rep, "table3.granted.commercial", 1)
    assert codes(rep)["T3-COL"] == [
        "error:“（一）予以公开”行：总计(1) ≠ 自然人1+商业企业1+科研机构0+社会公益组织0+法律服务机构0+其他0 = 2"
    ]


def test_t4_sum_names_the_group() -> None:
    rep = report()
    set_cell(rep, "table4.review.upheld", 10)
    set_cell(rep, "table4.review.corrected", 1)
    assert codes(rep)["T4-SUM"] == ["error:行政复议：总计(0) ≠ 结果维持10+结果纠正1+其他结果0+尚未审结0 = 11"]


def test_blank_counts_as_zero_and_is_reported() -> None:
    rep = report()
    set_cell(rep, "table3.granted.total", None, status="blank")
    found = codes(rep)
    assert found["BLANK"] == ["info:表三有1个空白单元格，按0计：表三“（一）予以公开”行总计列"]
    assert (
        "error:“（一）予以公开”行：总计(空) ≠ 自然人1+商业企业0+科研机构0+社会公益组织0+法律服务机构0+其他0 = 1"
        in found["T3-COL"]
    )


def test_unreadable_cells_skip_arithmetic() -> None:
    rep = report()
    set_cell(rep, "table3.granted.total", None, status="unreadable")
    found = codes(rep)
    assert "T3-COL" not in found and "T3-SUM" not in found
    assert found["UNREADABLE"]


def test_negative_and_fractional_counts() -> None:
    rep = report()
    set_cell(rep, "table3.carried_over_in.research", -1)
    set_cell(rep, "table4.review.pending", 0.5)
    found = codes(rep)["T3-NONNEG"]
    assert "error:表三“二、上年结转”行科研机构列为负数(-1)" in found
    assert "error:表四行政复议“尚未审结”应为整数件数，却是0.5" in found


def test_missing_section_and_order() -> None:
    rep = report()
    rep.headings = [h for h in rep.headings if h.number != 5]
    rep.full_text = rep.full_text.replace("五、存在的主要问题及改进情况", "")
    assert codes(rep)["SEC-6"] == ["error:缺少第五部分“存在的主要问题及改进情况”"]


def test_version_must_match_year() -> None:
    rep = report()
    rep.format_version = "trial2019"
    assert codes(rep)["VER"] == [
        "error:2023年度报告应使用国办公开办函〔2021〕30号，实际使用国办公开办函〔2019〕60号（格式试行）"
    ]
    rep.year = 2020
    rep.format_version = "gov2021"
    assert codes(rep)["VER"][0].startswith("warning:2020年度报告应使用")


def test_year_period_and_publication() -> None:
    rep = report()
    rep.period = (dt.date(2022, 1, 1), dt.date(2022, 12, 31))
    rep.published = dt.date(2023, 12, 1)
    found = codes(rep)["YEAR"]
    assert "error:报告年度为2023年，但统计期限为2022年01月01日至2022年12月31日" in found
    assert "warning:发布日期2023-12-01早于2023年度结束，年度或日期可能有误" in found
    rep.period = (dt.date(2023, 9, 1), dt.date(2023, 12, 31))
    assert any("不是完整的自然年度" in m for m in codes(rep)["YEAR"])


def test_deadline_for_departments_and_governments() -> None:
    rep = report()
    rep.published = dt.date(2024, 2, 5)
    assert codes(rep)["DEADLINE"] == [
        "warning:发布日期2024-02-05晚于县级以上人民政府部门年度报告的法定期限2024-01-31（晚5天）"
    ]
    rep.agency = "将乐县人民政府"
    assert "DEADLINE" not in codes(rep)
    rep.published = dt.date(2024, 4, 1)
    assert codes(rep)["DEADLINE"][0].endswith("法定期限2024-03-31（晚1天）")


def test_old_law_citation() -> None:
    rep = report()
    rep.full_text += "\n根据《中华人民共和国政府信息公开条例》（国务院令第492号）"
    assert codes(rep)["LAW-CITE"] == ["warning:2023年度报告引用了“国务院令第492号”，现行条例为国务院令第711号"]


def test_narrative_against_tables() -> None:
    rep = report()
    rep.narrative.append(
        NarrativeFigure(kind="applications_received", value=3, unit="件", text="收到政府信息公开申请3件")
    )
    assert codes(rep)["NARR-TAB"] == ["warning:正文称“收到政府信息公开申请3件”，而表格中收到申请为1"]
    rep.narrative.append(NarrativeFigure(kind="applications_received", value=1, unit="件", text="其中本年新收1件"))
    assert "NARR-TAB" not in codes(rep)


def test_preamble_count() -> None:
    rep = report()
    rep.preamble = "本报告由总体情况等五个部分组成。"
    assert codes(rep)["PREAMBLE-COUNT"] == ["warning:导语称报告共五个部分，正文实际有6个部分"]


def test_fee_statement() -> None:
    rep = report()
    rep.sections["6"].text = "无。"
    rep.full_text = rep.full_text.replace("2023年度未收取信息处理费。", "")
    assert codes(rep)["FEE-6"] == ["info:全文未说明信息处理费的收取情况（未收取也应写明）"]
    for stated in (
        "本年度未发生收费情况。",
        "2023年收取信息处理费0元。",
        "未收取任何费用。",
        "本年度未产生信息处理费。",
        "本机关未收取信息公开处理费。",
        "2023年度未产生费用。",
        "本年度不涉及收费。",
        "申请人所需信息均免费提供。",
        "没有产生相关费用。",
    ):
        rep.sections["6"].text = stated
        assert "FEE-6" not in codes(rep), stated


def test_fee_notice_in_other_words() -> None:
    rep = report()
    set_cell(rep, "table3.other_no_fee.natural_person", 2)
    set_cell(rep, "table3.other_no_fee.total", 2)
    assert "info:表三（六）2逾期未缴费有2件，正文未提及收费通知的发出情况" in codes(rep)["FEE-6"]
    for stated in ("向申请人发出缴费通知书2份。", "书面通知申请人缴纳信息处理费，申请人逾期未缴纳。"):
        rep.full_text += stated
        assert "FEE-6" not in codes(rep), stated


def test_carry_over_against_last_year() -> None:
    this_year, last_year = report(), report()
    last_year.year = 2022
    set_cell(last_year, "table3.carried_over_out.natural_person", 2)
    found = codes(this_year, last_year)["X-CARRY"]
    assert found == ["warning:自然人列：本年“二、上年结转”为0，上年报告“四、结转下年度继续办理”为2"]


def test_extra_row_is_a_structure_warning() -> None:
    text = SEEDS[2].read_text(encoding="utf-8")
    text = text.replace("(七) 总计", "小计\t\t0\t0\t0\t0\t0\t0\t0\t\n(七) 总计")
    rep = parse_bytes(text.encode("utf-8"), "x.txt")
    assert any("小计" in m for m in codes(rep)["STRUCT"])


def test_every_rule_is_documented_and_coded() -> None:
    docs = (Path(__file__).parents[1] / "docs" / "rules.md").read_text(encoding="utf-8")
    for code, rule in RULES.items():
        assert f"`{code}`" in docs
        assert rule.severity in ("error", "warning", "info")


@pytest.mark.parametrize("index", range(len(SEEDS)))
def test_findings_point_into_the_source(index: int) -> None:
    rep = report(index)
    set_cell(rep, "table4.review.upheld", 1)
    rep.table4["review"]["upheld"].location = rep.table4["review"]["total"].location  # type: ignore[index]
    finding = next(f for f in run_rules(rep) if f.code == "T4-SUM")
    assert finding.locations and finding.locations[0].line


def test_low_ocr_confidence_leaves_the_number_unread() -> None:
    from nianbao.document import Cell, Document, Location, Paragraph, Table
    from nianbao.extract import extract
    from nianbao.settings import Settings

    base = parse_file(SEEDS[2])  # tab rows: rebuild its blocks as a scan would give them
    document = Document(blocks=[], source="scan.png", kind="ocr")
    for line_number, line in enumerate(SEEDS[2].read_text(encoding="utf-8").split("\n"), start=1):
        if "\t" in line:
            cells = [
                Cell(text.strip(), 0, col, Location(line=line_number, column=col + 1), confidence=0.99)
                for col, text in enumerate(line.split("\t"))
            ]
            if line.startswith("(七) 总计"):
                cells[2].confidence = 0.55  # 自然人 of （七）总计
            document.blocks.append(Table(cells, Location(line=line_number)))
        elif line.strip():
            document.blocks.append(Paragraph(line.strip(), Location(line=line_number), confidence=0.99))
    rep = extract(document)
    cell = rep.cell("table3.results_total.natural_person")
    assert cell is not None and cell.value is None and cell.status == "unreadable" and cell.raw == "0"
    assert rep.cell("table3.results_total.total").value == base.cell("table3.results_total.total").value  # type: ignore[union-attr]
    found = codes(rep)
    assert found["OCR-CONF"] == [
        "warning:表三有1个数值识别置信度低，暂不采用，请对照原件核对：表三“三（七）总计”行自然人列（识别为“0”，置信度0.55）"
    ]
    assert "UNREADABLE" not in found  # said once, by OCR-CONF
    assert (cell.reason, cell.threshold) == ("ocr_low_confidence", 0.8)  # the decision, recorded once
    assert extract(document, Settings(ocr_min_confidence=0.5)).cell("table3.results_total.natural_person").value == 0  # type: ignore[union-attr]


# ---------------------------------------------------------------------------------- META


def test_meta_names_what_the_report_lacks() -> None:
    rep = report()
    assert "META" not in codes(rep)  # agency, date, no placeholder
    rep.agency, rep.published = None, None
    assert codes(rep)["META"] == [
        "warning:未能从标题、导语或落款识别机关名称，请确认报告写明了机关全称",
        "info:报告未载明发布（落款）日期，无法核查发布时限",
    ]


@pytest.mark.parametrize(
    ("text", "marks"),
    [
        ("本机关共主动公开信息【待填写】条。", ["【待填写】"]),
        ("联系人：【请填写联系人姓名】。", ["【请填写联系人姓名】"]),
        ("（此处填写本机关政府信息管理情况）", ["此处填写"]),
        ("XXX局认真贯彻条例，XX县人民政府指导。", ["XXX", "XX"]),
        ("2024年×月×日，××局召开会议。", ["×", "××"]),
        ("ＸＸ区政务公开办公室", ["ＸＸ"]),
    ],
)
def test_meta_finds_the_placeholders_left_in(text: str, marks: list[str]) -> None:
    rep = report()
    rep.sections["5"].text += "\n" + text
    found = codes(rep)["META"]
    quoted = "、".join(f"“{mark}”" for mark in marks)
    assert found == [f"warning:报告留有模板占位符{quoted}（第五部分），须填写完整后再发布"]
    assert run_rules(rep, codes={"META"})[0].locations == [rep.sections["5"].location]


def test_meta_placeholders_are_the_ones_nianbao_itself_prints() -> None:
    from nianbao.ledger.tables import PLACEHOLDER as LEDGER_PLACEHOLDER
    from nianbao.render.narrative import PLACEHOLDER as RENDER_PLACEHOLDER
    from nianbao.rules.structure import placeholders

    assert placeholders(RENDER_PLACEHOLDER) == ["【待填写】"]
    assert placeholders(LEDGER_PLACEHOLDER) == ["【待填写】"]


@pytest.mark.parametrize(
    "text",
    [
        "网址www.xxx.gov.cn，邮箱xx@163.com，型号XXL-2，编号AXXB。",
        "二〇二四年，本机关开展X光机采购1次，3×4米展板2块。",
        "待填写的表格已全部收回，此处不再赘述。",
    ],
)
def test_meta_no_placeholder_in_ordinary_text(text: str) -> None:
    rep = report()
    rep.sections["5"].text += "\n" + text
    assert "META" not in codes(rep)


# ---------------------------------------------------------------------------------- NARR-TAB


def _narrate(rep: Report, text: str, section: int = 3) -> None:
    from nianbao.extract import narrative_of

    rep.narrative = narrative_of([(text, section, None)])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("本年度共收到5件申请。", "warning:正文称“收到5件申请”，而表格中收到申请为1"),
        (
            "共收到各类政府信息公开申请（含上年结转3件）5件。",
            "warning:正文称“收到各类政府信息公开申请（含上年结转3件）5件”，而表格中收到申请为1",
        ),
        (
            "本年度办结政府信息公开申请4件。",
            "warning:正文称“办结政府信息公开申请4件”，而表格中办结申请（三（七）总计）为1",
        ),
        (
            "全年办理政府信息公开申请3件。",
            "warning:正文称“办理政府信息公开申请3件”，而表格中办理申请（本年新收、加上年结转或办结）为1",
        ),
        ("其中予以公开及部分公开2件。", "warning:正文称“予以公开及部分公开2件”，而表格中予以公开及部分公开为1"),
    ],
)
def test_narrative_phrasings_against_the_tables(text: str, message: str) -> None:
    rep = report()  # one application received and granted
    _narrate(rep, text)
    assert codes(rep)["NARR-TAB"] == [message]
    _narrate(rep, text.replace("5件", "1件").replace("4件", "1件").replace("3件。", "1件。").replace("2件", "1件"))
    assert "NARR-TAB" not in codes(rep)


def test_a_review_application_is_not_an_application_for_information() -> None:
    rep = report()
    _narrate(rep, "本年度受理行政复议申请2件，收到3件行政复议申请，办结行政诉讼案件1件。")
    assert {figure.kind for figure in rep.narrative} <= {"review_cases", "litigation_cases"}


def test_a_blank_total_column_is_compared_through_the_applicant_columns() -> None:
    rep = report()
    set_cell(rep, "table3.granted.total", None, "blank")
    set_cell(rep, "table3.partly_granted.total", None, "blank")
    set_cell(rep, "table3.partly_granted.natural_person", 2)
    _narrate(rep, "予以公开及部分公开1件。")
    found = run_rules(rep, codes={"NARR-TAB"})
    assert [f.message for f in found] == ["正文称“予以公开及部分公开1件”，而表格中予以公开及部分公开为3"]
    assert "table3.partly_granted.natural_person" in found[0].cells


def test_cases_in_table_four_never_mentioned() -> None:
    rep = report()
    set_cell(rep, "table4.review.upheld", 2)
    set_cell(rep, "table4.review.total", 2)
    assert codes(rep)["NARR-TAB"] == ["info:表四有行政复议2件，正文未提及，宜在第四部分说明案件情况"]
    rep.preamble = "本报告包括总体情况、政府信息公开行政复议、行政诉讼情况等六个部分。"  # a list of the parts
    assert "NARR-TAB" in codes(rep)
    rep.sections["4"].text += "\n本年度发生政府信息公开行政复议2件，均维持原行政行为。"
    assert "NARR-TAB" not in codes(rep)

"""The current format: 国办公开办函〔2021〕30号, used for reports on 2021 and later.

Labels are reproduced as the standard prints them (full-width punctuation kept); variants are
wordings seen in real reports.  Keys are the ``nianbao.report/1`` contract keys.
"""

from __future__ import annotations

from .spec import FormatSpec, Label, SectionSpec, Table2Block, Table2Spec, Table3Spec, Table4Spec

SECTIONS = (
    SectionSpec(1, "一", "总体情况", ("概述", "基本情况", "总体概况")),
    SectionSpec(2, "二", "主动公开政府信息情况", ("主动公开政府信息", "主动公开情况")),
    SectionSpec(
        3,
        "三",
        "收到和处理政府信息公开申请情况",
        ("收到和处理政府信息公开申请", "收到和处理政府信息公开申请的情况", "依申请公开政府信息情况"),
    ),
    SectionSpec(
        4,
        "四",
        "政府信息公开行政复议、行政诉讼情况",
        (
            "因政府信息公开工作被申请行政复议、提起行政诉讼情况",
            "因政府信息公开工作被申请行政复议和提起行政诉讼情况",
            "因政府信息公开被申请行政复议、提起行政诉讼情况",
            "政府信息公开行政复议及行政诉讼情况",
            "政府信息公开行政复议、诉讼情况",
            "政府信息公开行政复议和行政诉讼情况",
            "政府信息公开行政复议与行政诉讼情况",
            "政府信息公开行政复议、行政诉讼的情况",
            "因政府信息公开申请行政复议、提起行政诉讼的情况",
            "因政府信息公开申请行政复议、提起行政诉讼情况",
            "行政复议、行政诉讼情况",
        ),
    ),
    SectionSpec(
        5,
        "五",
        "存在的主要问题及改进情况",
        (
            "政府信息公开工作存在的主要问题及改进情况",
            "存在的问题及改进情况",
            "存在问题及改进情况",
            "存在的主要问题和改进情况",
            "存在的主要问题及改进措施",
            "存在的问题及改进措施",
            "存在的主要问题及整改措施",
        ),
    ),
    SectionSpec(6, "六", "其他需要报告的事项", ("其他需要报告事项", "其它需要报告的事项")),
)

_DECISIONS = Label("decisions", "本年处理决定数量", ("处理决定数量", "本年处理决定数"), "本年处理决定数量")

TABLE2 = Table2Spec(
    title="主动公开政府信息情况",
    blocks=(
        Table2Block(
            "第二十条第（一）项",
            (
                Label("issued", "本年制发件数", ("本年发件", "本年制发件", "本年制发数"), "本年制发件数"),
                Label("repealed", "本年废止件数", ("本年废止件", "本年废止数"), "本年废止件数"),
                Label("in_force", "现行有效件数", ("现行有效件", "现行有效数"), "现行有效件数"),
            ),
            (
                Label("regulations", "规章"),
                Label("normative_documents", "行政规范性文件", ("规范性文件",)),
            ),
        ),
        Table2Block("第二十条第（五）项", (_DECISIONS,), (Label("licensing", "行政许可"),)),
        Table2Block(
            "第二十条第（六）项",
            (_DECISIONS,),
            (Label("punishment", "行政处罚"), Label("coercion", "行政强制")),
        ),
        Table2Block(
            "第二十条第（八）项",
            (
                Label(
                    "amount",
                    "本年收费金额（单位：万元）",
                    ("本年收费金额(单位:万元)", "本年收费金额（万元）", "本年收费金额"),
                    "本年收费金额",
                ),
            ),
            (Label("fees", "行政事业性收费"),),
        ),
    ),
    narrative_cells=(
        ("normative_documents_issued", "normative_documents.issued"),
        ("normative_documents_in_force", "normative_documents.in_force"),
    ),
)

APPLICANT_COLUMNS = (
    Label("natural_person", "自然人"),
    Label("commercial", "商业企业"),
    Label("research", "科研机构"),
    Label("social_welfare", "社会公益组织"),
    Label("legal_service", "法律服务机构"),
    Label("other_org", "其他"),
    Label("total", "总计"),
)

_SIX_OTHER = (
    Label(
        "other_no_correction",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        ("1.申请人无正当理由逾期不补正，行政机关不再处理其政府信息公开申请",),
        "（六）1.逾期不补正",
    ),
    Label(
        "other_no_fee",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        ("2.申请人逾期未按收费通知要求缴纳费用，行政机关不再处理其政府信息公开申请",),
        "（六）2.逾期未缴费",
    ),
    Label("other_other", "3.其他", (), "（六）3.其他"),
)

RESULT_ROWS_BEFORE_OTHER = (
    Label("granted", "（一）予以公开", (), "（一）予以公开"),
    Label(
        "partly_granted",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        ("（二）部分公开",),
        "（二）部分公开",
    ),
    Label("withheld_state_secret", "1.属于国家秘密", (), "（三）1.属于国家秘密"),
    Label(
        "withheld_prohibited_by_law",
        "2.其他法律行政法规禁止公开",
        ("2.其他法律、行政法规禁止公开",),
        "（三）2.其他法律行政法规禁止公开",
    ),
    Label(
        "withheld_security_stability",
        "3.危及“三安全一稳定”",
        ("3.危及三安全一稳定",),
        "（三）3.危及“三安全一稳定”",
    ),
    Label("withheld_third_party", "4.保护第三方合法权益", (), "（三）4.保护第三方合法权益"),
    Label("withheld_internal_affairs", "5.属于三类内部事务信息", (), "（三）5.属于三类内部事务信息"),
    Label("withheld_process_info", "6.属于四类过程性信息", (), "（三）6.属于四类过程性信息"),
    Label("withheld_enforcement_file", "7.属于行政执法案卷", (), "（三）7.属于行政执法案卷"),
    Label("withheld_inquiry", "8.属于行政查询事项", (), "（三）8.属于行政查询事项"),
    Label("unavailable_not_held", "1.本机关不掌握相关政府信息", (), "（四）1.本机关不掌握相关政府信息"),
    Label("unavailable_needs_creation", "2.没有现成信息需要另行制作", (), "（四）2.没有现成信息需要另行制作"),
    Label("unavailable_unclear", "3.补正后申请内容仍不明确", (), "（四）3.补正后申请内容仍不明确"),
    Label("not_processed_petition", "1.信访举报投诉类申请", (), "（五）1.信访举报投诉类申请"),
    Label("not_processed_duplicate", "2.重复申请", (), "（五）2.重复申请"),
    Label("not_processed_publication", "3.要求提供公开出版物", (), "（五）3.要求提供公开出版物"),
    Label("not_processed_excessive", "4.无正当理由大量反复申请", (), "（五）4.无正当理由大量反复申请"),
    Label(
        "not_processed_reconfirm",
        "5.要求行政机关确认或重新出具已获取信息",
        (),
        "（五）5.要求行政机关确认或重新出具已获取信息",
    ),
)

ROW_RECEIVED_NEW = Label(
    "received_new", "一、本年新收政府信息公开申请数量", ("一、本年新收政府信息公开申请数",), "一、本年新收"
)
ROW_CARRIED_OVER_IN = Label(
    "carried_over_in", "二、上年结转政府信息公开申请数量", ("二、上年结转政府信息公开申请数",), "二、上年结转"
)
ROW_RESULTS_TOTAL = Label("results_total", "（七）总计", (), "三（七）总计")
ROW_CARRIED_OVER_OUT = Label(
    "carried_over_out", "四、结转下年度继续办理", ("四、结转下年度继续办理数量",), "四、结转下年度"
)
ROW_OTHER_SINGLE = Label("other", "（六）其他处理", (), "（六）其他处理")

TABLE3_GROUPS = (
    Label("results", "三、本年度办理结果", ("三、本年度办理结果数量",)),
    Label("withheld", "（三）不予公开"),
    Label("unavailable", "（四）无法提供"),
    Label("not_processed", "（五）不予处理"),
    Label("other_group", "（六）其他处理"),
)

TABLE3_IDENTITY_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
TABLE3_HEADER = (
    "申请人情况",
    "自然人",
    "法人或其他组织",
    "商业企业",
    "科研机构",
    "社会公益组织",
    "法律服务机构",
    "其他",
    "总计",
)

_RESULT_KEYS = tuple(row.key for row in RESULT_ROWS_BEFORE_OTHER + _SIX_OTHER)

TABLE3 = Table3Spec(
    title="收到和处理政府信息公开申请情况",
    identity_note=TABLE3_IDENTITY_NOTE,
    columns=APPLICANT_COLUMNS,
    rows=(
        ROW_RECEIVED_NEW,
        ROW_CARRIED_OVER_IN,
        *RESULT_ROWS_BEFORE_OTHER,
        *_SIX_OTHER,
        ROW_RESULTS_TOTAL,
        ROW_CARRIED_OVER_OUT,
    ),
    result_rows=_RESULT_KEYS,
    groups=TABLE3_GROUPS,
    header_labels=TABLE3_HEADER,
    collapsed_rows={ROW_OTHER_SINGLE.key: ("other_no_correction", "other_no_fee", "other_other")},
    collapsed_labels=(ROW_OTHER_SINGLE,),
)

TABLE4 = Table4Spec(
    title="政府信息公开行政复议、行政诉讼情况",
    groups=(
        Label("review", "行政复议"),
        Label("litigation_direct", "未经复议直接起诉", (), "行政诉讼·未经复议直接起诉"),
        Label("litigation_after_review", "复议后起诉", (), "行政诉讼·复议后起诉"),
    ),
    columns=(
        Label("upheld", "结果维持"),
        Label("corrected", "结果纠正"),
        Label("other", "其他结果"),
        Label("pending", "尚未审结"),
        Label("total", "总计"),
    ),
    header_labels=(
        "行政复议",
        "行政诉讼",
        "未经复议直接起诉",
        "复议后起诉",
        "结果维持",
        "结果纠正",
        "其他结果",
        "尚未审结",
        "总计",
    ),
)

GOV2021 = FormatSpec(
    key="gov2021",
    name="国办公开办函〔2021〕30号",
    first_year=2021,
    last_year=None,
    sections=SECTIONS,
    table2=TABLE2,
    table3=TABLE3,
    table4=TABLE4,
    signatures=(
        "本年制发件数",
        "本年废止件数",
        "现行有效件数",
        "本年收费金额（单位：万元）",
        "行政规范性文件",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    ),
)

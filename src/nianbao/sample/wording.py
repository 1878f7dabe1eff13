"""The narrative of a sample report: varied wording pieces around the numbers of its tables.

Each paragraph slot has a pool of sentences; a report draws a few from each pool, avoiding the
ones the same agency used the year before, so two consecutive clean reports share little text
beyond headings and the sentences that state table figures.  A copied report (the DUP error)
keeps last year's :class:`Wording` — the same sentences and fillers — and only its numbers
change.  The sentences that state table figures (申请件数, 行政复议/行政诉讼件数, 规范性文件件数 …)
take them from the printed tables, in phrasings nianbao's narrative check reads back; the other
figures (信息条数, 培训次数 …) are this year's own numbers.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from ..model import Report, TableData
from ..render.values import format_number

PLATFORMS = ("政府门户网站", "政务新媒体", "政府信息公开专栏", "政务服务网", "政府公报")
TOPICS = (
    "优化营商环境",
    "乡村振兴",
    "生态环境保护",
    "教育民生",
    "安全生产",
    "城市更新",
    "医疗卫生",
    "就业创业",
    "养老服务",
    "食品药品安全",
)

# slot → (sentences to draw, pool); {figures} are filled from Figures, {received} from table 3
POOLS: dict[str, tuple[int, tuple[str, ...]]] = {
    "intro": (
        1,
        (
            "{year}年，{agency}认真贯彻落实《中华人民共和国政府信息公开条例》，以公开促落实、以公开促规范、以公开促服务。",
            "{year}年，{agency}坚持以人民为中心的发展思想，把政务公开作为建设法治政府的重要抓手。",
            "{year}年，{agency}在上级政务公开工作主管部门的指导下，扎实推进决策、执行、管理、服务、结果公开。",
            "{year}年，{agency}围绕中心工作，持续深化政务公开，保障人民群众的知情权、参与权和监督权。",
        ),
    ),
    "proactive": (
        3,
        (
            "全年通过{platform}主动公开政府信息{items}条，其中政策文件{policies}条。",
            "围绕{topic}等重点领域，及时发布工作动态和办事指南，全年新增和调整栏目{columns}个。",
            "坚持以公开为常态、不公开为例外，对拟公开的政府信息逐条开展保密审查。",
            "组织政策解读{readings}篇，采用图解、视频等形式解读政策{graphics}次，帮助公众准确理解政策内容。",
            "在{platform}开设“{topic}”专题，集中公开相关政策和工作进展。",
            "召开新闻发布会{briefings}场，回应社会关切问题{answers}个。",
            "主动公开规划计划、财政预决算、重大项目等信息，做到应公开尽公开。",
            "按照年初印发的政务公开工作要点，逐项明确责任分工和完成时限。",
        ),
    ),
    "requests": (
        3,
        (
            "畅通网上申请、信函申请和当面申请等渠道，规范受理、登记、答复等环节。",
            "严格按照法定时限答复申请人，对答复文书实行统一格式、集中审核。",
            "对申请量较大的事项加强分析研判，将其中具有普遍性的信息转为主动公开。",
            "建立依申请公开工作台账，实行一事一档管理。",
            "{received_sentence}",
            "在答复前与申请人充分沟通，准确把握申请人的信息需求。",
            "邀请法律顾问参与疑难申请的办理，提高答复的规范性。",
        ),
    ),
    "management": (
        3,
        (
            "严格执行公文公开属性源头认定制度，在文件起草时即明确公开方式。",
            "定期开展政策文件清理，及时公布清理结果。",
            "落实信息发布三级审核制度，防止泄露国家秘密和个人隐私。",
            "完善政府信息公开指南和目录，及时更新机构职能和联系方式。",
            "加强政府信息档案化管理，做到纸质与电子档案同步归集。",
            "建立政策文件库，按照主题和发文机关分类汇集政策文件。",
        ),
    ),
    "platforms": (
        3,
        (
            "持续优化{platform}的栏目设置，提升检索和浏览体验。",
            "政务新媒体账号全年发布信息{posts}条，及时转载上级政策解读。",
            "推进政务公开专区建设，在办事大厅设置查阅点{desks}个。",
            "对网站进行常态化巡查，全年整改错链、空白栏目等问题{fixes}处。",
            "做好政府公报的编辑和发行，全年出版{issues}期。",
            "完善无障碍浏览和适老化改造，方便老年人和残障人士获取信息。",
        ),
    ),
    "oversight": (
        3,
        (
            "将政务公开纳入年度绩效考核，考核结果作为评先评优的重要依据。",
            "组织工作人员参加政务公开业务培训{trainings}次。",
            "主要负责同志专题听取政务公开工作汇报，研究部署重点任务。",
            "聘请政务公开社会监督员，广泛听取群众意见建议。",
            "本年度未发生因政务公开工作不到位被责任追究的情况。",
            "对上级通报的问题逐条建立整改台账，明确整改时限。",
        ),
    ),
    "fig2": (
        1,
        (
            "本年度制发规章{ri}件、行政规范性文件{ni}件，废止规章{rr}件、行政规范性文件{nr}件，"
            "现行有效行政规范性文件{nf}件、规章{rf}件。作出行政许可决定{lic}件、行政处罚决定{pun}件、"
            "行政强制决定{coe}件，收取行政事业性收费{fee}万元。",
            "全年印发行政规范性文件{ni}件、规章{ri}件，清理废止行政规范性文件{nr}件、规章{rr}件；截至12月31日，"
            "现行有效的行政规范性文件共{nf}件，规章{rf}件。办理行政许可{lic}件，实施行政处罚{pun}件、"
            "行政强制{coe}件，行政事业性收费金额为{fee}万元。",
            "行政规范性文件方面，本年新制发{ni}件、废止{nr}件，现行有效{nf}件；规章方面，新制发{ri}件、"
            "废止{rr}件，现行有效{rf}件。行政许可、行政处罚、行政强制决定分别为{lic}件、{pun}件、{coe}件；"
            "行政事业性收费{fee}万元。",
        ),
    ),
    "fig3": (
        1,
        (
            "本年度新收政府信息公开申请{r}件（自然人{p}件、法人或其他组织{o}件），上年结转{ci}件；"
            "本年度办结{h}件，结转下年度继续办理{co}件。",
            "全年共受理政府信息公开申请{r}件，另有上年结转的申请{ci}件。当年办理完毕{h}件，"
            "其中予以公开{g}件、部分公开{pg}件；尚有{co}件转入下一年度办理。",
            "{year}年，本机关收到政府信息公开申请{r}件，加上上年结转的{ci}件，全年办结{h}件"
            "（予以公开{g}件、部分公开{pg}件），另有{co}件结转下年度。",
        ),
    ),
    "fig4": (
        1,
        (
            "本年度因政府信息公开工作被申请行政复议{rv}件，被提起行政诉讼{lt}件"
            "（未经复议直接起诉{ld}件、复议后起诉{la}件）。",
            "全年发生政府信息公开行政复议案件{rv}件，其中结果维持{ru}件、结果纠正{rc}件；行政诉讼案件{lt}件。",
            "{year}年，涉及本机关政府信息公开工作的行政复议{rv}件、行政诉讼{lt}件，尚未审结的复议案件{rp}件。",
        ),
    ),
    "lead2": (
        1,
        (
            "本机关依照条例第二十条的规定公开下列信息。",
            "表中数据来源于本机关政务公开工作台账，截至12月31日。",
            "主动公开的法定内容已在{platform}同步发布。",
            "以下为本年度主动公开政府信息的统计情况。",
        ),
    ),
    "lead3": (
        1,
        (
            "表中按申请人类型统计了本年度收到和处理申请的情况。",
            "依申请公开的统计口径与上级主管部门的要求一致。",
            "各项办理结果均按答复文书的类型分别统计。",
            "以下为本年度依申请公开的统计情况。",
        ),
    ),
    "lead4": (
        1,
        (
            "本机关因政府信息公开工作引起的复议、诉讼统计如下。",
            "表中“尚未审结”为截至12月31日仍在审理中的案件。",
            "复议和诉讼案件均按案件收到的年度统计。",
            "以下为本年度复议、诉讼的统计情况。",
        ),
    ),
    "problems": (
        3,
        (
            "政策解读的形式还不够丰富，图解、视频类解读占比不高",
            "部分栏目更新不够及时，内容的时效性有待提高",
            "依申请公开答复文书的说理还不够充分",
            "基层政务公开标准化规范化建设推进不够平衡",
            "政务公开工作人员专业能力有待提升",
            "公众参与政策制定的渠道还不够多",
        ),
    ),
    "improvements": (
        3,
        (
            "丰富解读形式，提高解读的针对性和可读性",
            "建立栏目内容更新提醒机制，确保信息及时发布",
            "加强答复文书审核，规范告知理由和救济途径",
            "推动标准目录向基层延伸，开展规范化建设试点",
            "组织专题培训和案例研讨，提升工作人员业务能力",
            "拓展意见征集、网络问政等参与渠道",
        ),
    ),
    "fees": (
        1,
        (
            "本年度未收取信息处理费。",
            "依据《政府信息公开信息处理费管理办法》，本年度未收取信息处理费。",
            "本机关严格执行《政府信息公开信息处理费管理办法》，全年未收取信息处理费。",
        ),
    ),
    "other": (
        1,
        (
            "本年度无其他需要报告的事项。",
            "本年度办理人大代表建议和政协委员提案{motions}件，办理结果已按规定公开。",
            "本机关政府信息公开工作年度报告同时在{platform}公开，欢迎社会各界监督。",
            "本年度落实上级政务公开工作要点的情况已在门户网站专栏公开。",
        ),
    ),
}
ORDINALS = "一二三四五六"
FIGURES = {  # figure → (low, high)
    "items": (80, 4000),
    "policies": (5, 60),
    "columns": (1, 12),
    "readings": (2, 40),
    "graphics": (1, 20),
    "briefings": (1, 12),
    "answers": (3, 80),
    "posts": (50, 2000),
    "desks": (1, 6),
    "fixes": (2, 30),
    "issues": (4, 24),
    "trainings": (1, 8),
    "motions": (2, 60),
}


@dataclass(frozen=True)
class Wording:
    """Which sentences a report uses (indexes into :data:`POOLS`) and its fillers."""

    pieces: dict[str, tuple[int, ...]]
    platform: str
    topic: str
    figures: dict[str, int] = field(default_factory=dict)


def draw(rng: random.Random, previous: Wording | None) -> Wording:
    """New wording; sentences, platform and topic differ from ``previous`` where the pools allow."""
    pieces = {}
    for slot, (count, pool) in POOLS.items():
        used = set(previous.pieces[slot]) if previous else set()
        fresh = [k for k in range(len(pool)) if k not in used]
        if len(fresh) < count:
            fresh = list(range(len(pool)))
        pieces[slot] = tuple(sorted(rng.sample(fresh, count)))
    platform = rng.choice([p for p in PLATFORMS if previous is None or p != previous.platform])
    topic = rng.choice([t for t in TOPICS if previous is None or t != previous.topic])
    return Wording(pieces, platform, topic, _figures(rng))


def copied(rng: random.Random, previous: Wording) -> Wording:
    """Last year's wording with this year's numbers: the copied-text error."""
    return Wording(previous.pieces, previous.platform, previous.topic, _figures(rng))


def _figures(rng: random.Random) -> dict[str, int]:
    figures = {name: rng.randint(low, high) for name, (low, high) in FIGURES.items()}
    figures["policies"] = min(figures["policies"], figures["items"])
    return figures


# What section 三 and 四 say when there is nothing to count (same size as fig3 / fig4).
NONE3 = (
    "本年度未收到政府信息公开申请，也没有上年结转的申请。",
    "全年没有收到政府信息公开申请，无上年结转的申请。",
    "{year}年本机关未收到政府信息公开申请，也无结转的申请。",
)
NONE4 = (
    "本年度未发生因政府信息公开工作被申请行政复议、提起行政诉讼的情况。",
    "全年没有发生政府信息公开方面的行政复议和行政诉讼。",
    "本机关本年度无政府信息公开行政复议、行政诉讼案件。",
)


def _table_figures(report: Report) -> dict[str, int | float]:
    """The printed table figures the text states, by the names the sentences use."""

    def value(table: TableData | None, row: str, col: str) -> int | float:
        cell = (table or {}).get(row, {}).get(col)
        return 0 if cell is None or cell.value is None else cell.value

    t2, t3, t4 = report.table2, report.table3, report.table4
    total = "total"
    names = {
        "ri": (t2, "regulations", "issued"),
        "rr": (t2, "regulations", "repealed"),
        "rf": (t2, "regulations", "in_force"),
        "ni": (t2, "normative_documents", "issued"),
        "nr": (t2, "normative_documents", "repealed"),
        "nf": (t2, "normative_documents", "in_force"),
        "lic": (t2, "licensing", "decisions"),
        "pun": (t2, "punishment", "decisions"),
        "coe": (t2, "coercion", "decisions"),
        "fee": (t2, "fees", "amount"),
        "r": (t3, "received_new", total),
        "p": (t3, "received_new", "natural_person"),
        "ci": (t3, "carried_over_in", total),
        "h": (t3, "results_total", total),
        "g": (t3, "granted", total),
        "pg": (t3, "partly_granted", total),
        "co": (t3, "carried_over_out", total),
        "rv": (t4, "review", total),
        "ru": (t4, "review", "upheld"),
        "rc": (t4, "review", "corrected"),
        "rp": (t4, "review", "pending"),
        "ld": (t4, "litigation_direct", total),
        "la": (t4, "litigation_after_review", total),
        "unpaid": (t3, "other_no_fee", total),
    }
    out = {name: value(*where) for name, where in names.items()}
    out["o"] = out["r"] - out["p"]
    out["lt"] = out["ld"] + out["la"]
    return out


def sections(report: Report, wording: Wording) -> dict[str, dict[str, str]]:
    """The six sections' text (contract shape) for ``report``, whose tables are final."""
    figures = _table_figures(report)
    received = figures["r"]
    fill = {
        "year": str(report.year),
        "agency": report.agency or "本机关",
        "platform": wording.platform,
        "topic": wording.topic,
        "received_sentence": (
            f"全年共收到政府信息公开申请{format_number(received)}件，均依法作出答复或按规定结转办理。"
            if received
            else "本年度未收到政府信息公开申请，依申请公开渠道保持畅通。"
        ),
        **{name: format_number(value) for name, value in figures.items()},
        **{name: str(value) for name, value in wording.figures.items()},
    }

    def pick(slot: str, pool: tuple[str, ...] | None = None) -> list[str]:
        sentences = pool or POOLS[slot][1]
        return [sentences[k].format(**fill) for k in wording.pieces[slot]]

    section1 = [
        *pick("intro"),
        "（一）主动公开",
        "".join(pick("proactive")),
        "（二）依申请公开",
        "".join(pick("requests")),
        "（三）政府信息管理",
        "".join(pick("management")),
        "（四）政府信息公开平台建设",
        "".join(pick("platforms")),
        "（五）监督保障",
        "".join(pick("oversight")),
    ]
    quiet3 = not figures["r"] and not figures["ci"]
    quiet4 = not figures["rv"] and not figures["lt"]
    problems = "；".join(f"{ORDINALS[k]}是{text}" for k, text in enumerate(pick("problems")))
    improvements = "；".join(f"{ORDINALS[k]}是{text}" for k, text in enumerate(pick("improvements")))
    unpaid = (
        [f"本年度因申请人逾期未按收费通知要求缴纳费用、行政机关不再处理的申请{format_number(figures['unpaid'])}件。"]
        if figures["unpaid"]
        else []
    )
    texts = {
        1: section1,
        2: [*pick("lead2"), *pick("fig2")],
        3: [*pick("lead3"), *pick("fig3", NONE3 if quiet3 else None)],
        4: [*pick("lead4"), *pick("fig4", NONE4 if quiet4 else None)],
        5: [f"存在的主要问题：{problems}。", f"改进情况：{improvements}。"],
        6: [*unpaid, *pick("fees"), *pick("other")],
    }
    return {str(number): {"heading": "", "text": "\n".join(lines)} for number, lines in texts.items()}

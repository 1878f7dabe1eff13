"""Publication deadlines (条例第四十九条).

第四十九条 sets two dates: 县级以上人民政府部门 publish by 1月31日; the 主管部门 of a
县级以上地方人民政府 publishes that government's report by 3月31日.  It sets none for 乡镇人民政府 and
街道办事处 (they are not 县级以上), so their reports are not judged here: a local date set by the
county is not the statute's.  Which case an agency is comes from the office's list when it says
(:class:`~nianbao.rules.registry.AgencyInfo`), else from the agency's name.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from ..model import Finding
from .registry import AgencyInfo, Context, rule

DEPARTMENT = "县级以上人民政府部门年度报告"
GOVERNMENT = "县级以上地方人民政府年度报告"

# a township-level government or sub-district office named as such: …镇人民政府, …乡人民政府,
# …苏木人民政府, …街道办事处 (a 区 or 县 ending in 镇/乡 is not written with 人民政府 after it)
_TOWNSHIP_NAME = re.compile(r"(?:[镇乡]|苏木)人民政府$|街道办事处$")


def publication_deadline(year: int, agency: str | None, info: AgencyInfo | None = None) -> tuple[dt.date, str] | None:
    """The statutory deadline for the report on ``year`` and who it applies to; None where 第四十九条
    sets none (乡镇人民政府, 街道办事处).

    ``info`` (from the office's list) decides where it says the tier or kind; the name decides the
    rest: a name ending in 人民政府 is a government, anything else is treated as a department, and
    so is an agency of kind ``other`` (the bodies of 第五十四条 apply the 条例 as agencies do).
    """
    info = info or AgencyInfo()
    name = agency or ""
    township = info.tier == "township" if info.tier is not None else bool(_TOWNSHIP_NAME.search(name))
    if township:
        return None
    government = info.kind == "government" if info.kind is not None else name.endswith("人民政府")
    if government:
        return dt.date(year + 1, 3, 31), GOVERNMENT
    return dt.date(year + 1, 1, 31), DEPARTMENT


@rule(
    "DEADLINE",
    "warning",
    "timeliness",
    "按期发布",
    "报告所载发布（落款）日期晚于条例第四十九条的期限：县级以上人民政府部门为次年1月31日，县级以上地方人民政府"
    "（由其政府信息公开工作主管部门公布）为次年3月31日。乡镇人民政府、街道办事处的报告条例未规定期限，不作判断。"
    "机关的层级和类别取自机关名录，名录未载明时按名称判断（以“人民政府”结尾为政府，其余按部门）。网页日期常不可靠，故为警告。",
    "条例第四十九条",
)
def deadline(ctx: Context) -> Iterator[Finding]:
    report = ctx.report
    if report.year is None or report.published is None:
        return
    statutory = publication_deadline(report.year, report.agency, ctx.agency)
    if statutory is None:
        return
    due, who = statutory
    if report.published > due:
        fact = report.facts.get("published")
        yield ctx.finding(
            f"发布日期{report.published.isoformat()}晚于{who}的法定期限{due.isoformat()}（晚{(report.published - due).days}天）",
            locations=[fact.location if fact else None],
        )

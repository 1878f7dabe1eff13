"""Publication deadlines (条例第四十九条).

第四十九条 sets two dates: 县级以上人民政府部门 publish by 1月31日; the 主管部门 of a
县级以上地方人民政府 publishes that government's report by 3月31日.  It sets none for 乡镇人民政府 and
街道办事处 (they are not 县级以上), so their reports are not judged here: a local date set by the
county is not the statute's.  Which case an agency is comes from the office's list when it says
(:class:`~nianbao.rules.registry.AgencyInfo`), else from the agency's name
(:func:`kind_by_name`); a name that tells neither way gets the later date and an info finding
when only the earlier one is passed, never a warning that may be false.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Literal

from .registry import AgencyInfo, Context, RuleOutput, rule

DEPARTMENT = "县级以上人民政府部门年度报告"
GOVERNMENT = "县级以上地方人民政府年度报告"
# the agency's kind is not known: the later of the two dates (a government's) bounds it
UNDECIDED = "县级以上地方人民政府或其部门年度报告"

NameKind = Literal["government", "department", "township"]

# a township-level government or sub-district office: …镇人民政府, …乡政府, …苏木人民政府,
# …街道办事处, or the place alone (…镇, …街道); a 区 or 县 ending in 镇/乡 is not written that way
_TOWNSHIP_NAME = re.compile(r"(?:[镇乡]|苏木)(?:人民)?(?:政府)?$|街道(?:办事处)?$")
_GOVERNMENT_NAME = re.compile(
    r"政府$"  # …人民政府, …县政府
    # the committee that governs a zone and publishes its area's report (…综合实验区管理委员会)
    r"|(?:区|园|新城|岛)(?:管理委员会|管委会)$"
    # a place name alone names its government's report (平潭综合实验区, 某新区, 某县, 某区);
    # 社区, 景区, 校区, 矿区, 保护区 are not governments
    r"|(?<![社景校矿护])(?:省|区|县|市|州|盟|旗)$"
)
# a committee whose name does not show a zone may govern one or be a department: not told
_COMMITTEE_NAME = re.compile(r"(?<!城市)(?:管理委员会|管委会)$")
_DEPARTMENT_NAME = re.compile(
    r"(?:局|厅|委员会|委|办公室|办公厅|办|院|中心|部|署|会|馆|站|所|队|处|室|集团|公司|银行|社|台|校|大学|监狱)$"
)


def kind_by_name(agency: str | None) -> NameKind | None:
    """What an agency's name says it is for 第四十九条: a township-level body, a government (by
    ``…人民政府``, a zone's 管理委员会, or a place name alone), a department (a name ending as
    departments' do: 局, 委员会, 办公室, 中心…); None when the name does not tell."""
    name = (agency or "").strip()
    if not name:
        return None
    if _TOWNSHIP_NAME.search(name):
        return "township"
    if _GOVERNMENT_NAME.search(name):
        return "government"
    if _COMMITTEE_NAME.search(name):
        return None
    if _DEPARTMENT_NAME.search(name):
        return "department"
    return None


def publication_deadline(year: int, agency: str | None, info: AgencyInfo | None = None) -> tuple[dt.date, str] | None:
    """The statutory deadline for the report on ``year`` and who it applies to; None where 第四十九条
    sets none (乡镇人民政府, 街道办事处).

    ``info`` (from the office's list) decides where it says the tier or kind (an agency of kind
    ``other`` is a department: the bodies of 第五十四条 apply the 条例 as agencies do); the name
    (:func:`kind_by_name`) decides the rest.  When neither tells government from department, the
    later date is given with ``UNDECIDED``: nothing before it is surely late.
    """
    info = info or AgencyInfo()
    by_name = kind_by_name(agency)
    township = info.tier == "township" if info.tier is not None else by_name == "township"
    if township:
        return None
    kind = ("government" if info.kind == "government" else "department") if info.kind is not None else by_name
    if kind == "government":
        return dt.date(year + 1, 3, 31), GOVERNMENT
    if kind == "department":
        return dt.date(year + 1, 1, 31), DEPARTMENT
    return dt.date(year + 1, 3, 31), UNDECIDED


@rule(
    "DEADLINE",
    "warning",
    "timeliness",
    "按期发布",
    "报告所载发布（落款）日期晚于条例第四十九条的期限：县级以上人民政府部门为次年1月31日，县级以上地方人民政府"
    "（由其政府信息公开工作主管部门公布）为次年3月31日。乡镇人民政府、街道办事处的报告条例未规定期限，不作判断。"
    "机关的层级和类别取自机关名录，名录未载明时按名称判断：以“人民政府”“政府”结尾、只写地名（如“某综合实验区”"
    "“某新区”“某县”“某区”）或开发区、新区等的管理委员会为政府，以局、委员会、办公室、中心等结尾为部门；"
    "名称不足以判断（如未载明机关名称）而发布日期在2月1日至3月31日之间的，提示核实，不作警告。网页日期常不可靠，故为警告。",
    "条例第四十九条",
)
def deadline(ctx: Context) -> Iterator[RuleOutput]:
    report = ctx.report
    subject = "在条例第四十九条规定的期限内发布"
    if report.year is None or report.published is None:
        yield ctx.not_checkable(subject, "报告年度未能确定" if report.year is None else "报告未载明发布（落款）日期")
        return
    statutory = publication_deadline(report.year, report.agency, ctx.agency)
    if statutory is None:
        yield ctx.not_applicable(subject, "条例未规定乡镇人民政府、街道办事处年度报告的发布期限")
        return
    due, who = statutory
    fact = report.facts.get("published")
    where = [fact.location if fact else None]
    published = report.published.isoformat()
    if report.published > due:
        yield ctx.finding(
            f"发布日期{published}晚于{who}的法定期限{due.isoformat()}（晚{(report.published - due).days}天）",
            locations=where,
            subject=subject,
        )
        return
    earlier = dt.date(report.year + 1, 1, 31)
    if who == UNDECIDED and report.published > earlier:
        named = f"机关名称“{report.agency}”" if report.agency else "报告未载明机关名称，"
        yield ctx.finding(
            f"发布日期{published}晚于{DEPARTMENT}的期限{earlier.isoformat()}，未晚于{GOVERNMENT}的期限{due.isoformat()}；"
            f"{named}不足以判断是政府部门还是本级政府，未作判断，请核实",
            severity="info",
            locations=where,
            subject=subject,
        )
    else:
        yield ctx.passed(subject)

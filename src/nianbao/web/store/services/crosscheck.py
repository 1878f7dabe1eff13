"""Checks across reports in the store: a report is checked again when its neighbouring year arrives.

At import a report is checked as the file alone, exactly as ``nianbao check`` checks it.  What
depends on the rest of the store is checked once the report is stored: the agency's report of
the year before (X-CARRY, X-VALID, T2-REPEAL, DUP, and a glued table-2 run last year's figures
leave one reading for) and the agency's level in the office's list (DEADLINE).  Storing a report
marks it and the agency's next-year report (``Report.needs_check``, in the storing transaction);
:func:`check_due` then checks every marked report, oldest year first, and writes the findings in
one transaction per report.  A kill between the two leaves the marks, so the next import or
worker run checks them.

Every mark adds one to ``check_revision``, and a check is written only while the revision it
read is current: a report whose previous year changed while it was being checked is checked
again, and two workers checking one report write it once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import Executor
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F, Q, QuerySet, TextField
from django.db.models.functions import Cast

from ....rules import AgencyInfo
from ....rules.timeliness import publication_deadline
from ..models import AuditEntry, Finding, ImportItem, ItemStatus, Report
from .cells import SOURCE_DIFF, json_value, rewrite_cells
from .parsing import Rechecked, check_again

BATCH = 100  # reports read, checked and written per round (their contracts are held in memory)

CheckCallback = Callable[[int, int], None]  # (reports checked so far, reports due)


def mark(report: Report, level: str) -> None:
    """Inside the transaction that stores or places ``report``: mark the checks it makes due
    (``level``: its agency's level in the store)."""
    if report.agency_id is None or report.year is None:
        return
    neighbours = Report.objects.filter(agency_id=report.agency_id, year__in=(report.year - 1, report.year + 1))
    years = set(neighbours.values_list("year", flat=True))
    if report.year + 1 in years:
        _mark(Report.objects.filter(agency_id=report.agency_id, year=report.year + 1))
    if report.year - 1 in years or _list_decides(report, level):
        _mark(Report.objects.filter(pk=report.pk))
        report.needs_check = True


def mark_agencies(agency_ids: Iterable[int]) -> None:
    """Every report of these agencies (their level in the list changed, and with it DEADLINE)."""
    ids = list(agency_ids)
    if ids:
        _mark(Report.objects.filter(agency_id__in=ids, year__isnull=False))


def marked_by(report_id: int) -> list[int]:
    """The report and the agency's next-year report: the ones storing ``report_id`` may mark."""
    found = Report.objects.filter(pk=report_id).values_list("agency_id", "year").first()
    agency, year = found if found is not None else (None, None)
    if agency is None or year is None:
        return [report_id]
    return [report_id, *Report.objects.filter(agency_id=agency, year=year + 1).values_list("pk", flat=True)]


def _mark(reports: QuerySet[Report]) -> None:
    reports.update(needs_check=True, check_revision=F("check_revision") + 1)


def _list_decides(report: Report, level: str) -> bool:
    """Whether the list's level gives this report another statutory date than its name does."""
    info = AgencyInfo.from_level(level)
    if report.year is None or info == AgencyInfo():
        return False
    name = report.agency_name or None
    return publication_deadline(report.year, name, info) != publication_deadline(report.year, name)


@dataclass(frozen=True)
class Due:
    """A marked report with what its check reads."""

    report_id: int
    revision: int
    contract: str  # JSON text
    previous: str | None
    level: str

    @property
    def arguments(self) -> tuple[str, str | None, str]:
        return self.contract, self.previous, self.level


def due_count(report_ids: Iterable[int] | None = None) -> int:
    return _due(report_ids).count()


def _due(report_ids: Iterable[int] | None) -> QuerySet[Report]:
    reports = Report.objects.filter(needs_check=True)
    return reports if report_ids is None else reports.filter(pk__in=list(report_ids))


def next_due(limit: int = BATCH, report_ids: Iterable[int] | None = None) -> list[Due]:
    # the contracts as JSON text: decoded in the checking process, not here, and cheap to send there
    text = Cast("contract", TextField())
    rows = list(
        _due(report_ids)
        .order_by("year", "pk")
        .annotate(text=text)
        .values_list("pk", "check_revision", "text", "agency_id", "year", "agency__level")[:limit]
    )
    wanted = Q(pk__in=[])
    for _pk, _revision, _contract, agency, year, _level in rows:
        if agency is not None and year is not None:
            wanted |= Q(agency_id=agency, year=year - 1)
    previous = {
        (agency, year): contract
        for agency, year, contract in Report.objects.filter(wanted)
        .annotate(text=text)
        .values_list("agency_id", "year", "text")
    }
    return [
        Due(pk, revision, contract, previous.get((agency, (year or 0) - 1)), level or "")
        for pk, revision, contract, agency, year, level in rows
    ]


def check_due(
    *,
    who: str,
    pool: Executor | None = None,
    report_ids: Iterable[int] | None = None,
    on_report: CheckCallback | None = None,
    debug: bool = False,
) -> int:
    """Check every marked report (or only those of ``report_ids``); returns how many were written.

    With ``pool`` the checks run in its processes, a round of :data:`BATCH` at a time."""
    ids = None if report_ids is None else list(report_ids)
    total = due_count(ids)
    written = 0
    while batch := next_due(BATCH, ids):
        futures = None if pool is None else [pool.submit(check_again, *due.arguments) for due in batch]
        for index, due in enumerate(batch):
            try:
                rechecked = check_again(*due.arguments) if futures is None else futures[index].result()
            except Exception as exc:  # a bug in one report's check must not stop the others
                if debug:
                    raise
                give_up(due, f"{type(exc).__name__}: {exc}", who)
                continue
            if write(due, rechecked, who):
                written += 1
            if on_report:
                on_report(written, max(total, written))
    return written


def write(due: Due, rechecked: Rechecked, who: str) -> bool:
    """The report's new findings (and cells read anew), if its mark is still the one checked."""
    with transaction.atomic():
        current = Report.objects.filter(pk=due.report_id, needs_check=True, check_revision=due.revision)
        if not current.update(needs_check=False):
            return False  # marked again since (its previous year changed), or written by another worker
        Finding.objects.filter(report_id=due.report_id).exclude(code=SOURCE_DIFF).delete()
        Finding.objects.bulk_create([Finding(report_id=due.report_id, **finding) for finding in rechecked.findings])
        if (checked := rechecked.checked) is not None:
            Report.objects.filter(pk=due.report_id).update(contract=json_value(checked.contract))
            resolved = set(rechecked.resolved)
            rewrite_cells(due.report_id, (cell for cell in checked.cells if ".".join(cell[:3]) in resolved))
            report = Report.objects.get(pk=due.report_id)
            if report.agency_id is not None and report.year is not None:
                _mark(Report.objects.filter(agency_id=report.agency_id, year=report.year + 1))
        errors = any(finding["severity"] == "error" for finding in rechecked.findings)
        ImportItem.objects.filter(
            report_id=due.report_id, status__in=(ItemStatus.IMPORTED, ItemStatus.IMPORTED_WITH_FINDINGS)
        ).update(status=ItemStatus.IMPORTED_WITH_FINDINGS if errors else ItemStatus.IMPORTED)
        AuditEntry.objects.create(
            who=who,
            action="recheck",
            object_type="report",
            object_id=str(due.report_id),
            detail={
                "previous_year": due.previous is not None,
                "findings": sorted({finding["code"] for finding in rechecked.findings}),
                "resolved": list(rechecked.resolved),
            },
        )
    return True


def give_up(due: Due, error: str, who: str) -> None:
    """A check that crashed: the findings of the import stay, the mark goes, the log says why."""
    with transaction.atomic():
        current = Report.objects.filter(pk=due.report_id, needs_check=True, check_revision=due.revision)
        if current.update(needs_check=False):
            AuditEntry.objects.create(
                who=who,
                action="recheck_failed",
                object_type="report",
                object_id=str(due.report_id),
                detail={"error": error},
            )

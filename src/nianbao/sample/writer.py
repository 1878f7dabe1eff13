"""Write a sample to a directory: the report files, ``manifest.json`` and ``名录.csv``.

The sample is written into a new hidden directory beside the target and renamed into place at
the end, so the target is either untouched or complete; an interrupted run leaves only that
hidden directory (removed on any error this process sees).  A target that exists must be
empty, or — with ``overwrite`` — hold a previous sample and nothing else: every file in it must
be one its manifest lists, so no file of the user's is ever deleted.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
import shutil
import tempfile
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from .. import __version__
from ..errors import NianbaoError
from ..render import render_bytes
from ..render.view import build_view
from .generate import KINDS, PlannedReport, SampleParams, plan
from .textlayout import render_text

SCHEMA = "nianbao.sample/1"
MANIFEST = "manifest.json"
AGENCY_LIST = "名录.csv"
AGENCY_LIST_HEADER = ("机关名称", "区划代码", "区划名称", "层级", "上级机关")
MAX_REPORTS = 50_000
SUFFIXES = {"txt": ".txt", "md": ".md", "html": ".html", "docx": ".docx", "pdf": ".pdf"}


class SampleError(NianbaoError):
    """Sample parameters or a target directory nianbao cannot use."""


@dataclass(frozen=True)
class Written:
    directory: Path
    files: int
    missing: int
    errors: dict[str, int]  # seeded errors by kind (missing included)
    by_kind: dict[str, int]


# ---------------------------------------------------------------------------------- parameters


def parse_kinds(text: str) -> tuple[str, ...]:
    kinds = tuple(dict.fromkeys(part.strip().lower() for part in text.split(",") if part.strip()))
    unknown = [kind for kind in kinds if kind not in KINDS]
    if unknown or not kinds:
        raise SampleError(f"不支持的文件类型“{'、'.join(unknown) or text}”，可选：{'、'.join(KINDS)}")
    return kinds


def parse_years(text: str) -> tuple[int, int]:
    """``2021-2025`` or ``2023``; the sample uses the 2021 format, so years start at 2021."""
    first, _, last = text.strip().partition("-")
    try:
        years = int(first), int(last or first)
    except ValueError:
        raise SampleError(f"年度范围“{text}”应写作 2021-2025 或 2023") from None
    if years[0] < 2021 or years[1] < years[0] or years[1] > 2100:
        raise SampleError(f"年度范围“{text}”无效：样本按2021年格式生成，年度应从2021年起且前小后大")
    return years


def params_from_text(reports: str, seed: str, error_rate: str, kinds: str, years: str) -> SampleParams:
    """Parameters as typed on the command line, each refused with one Chinese sentence."""
    try:
        count = int(reports)
    except ValueError:
        raise SampleError(f"报告数应为正整数，而不是“{reports}”") from None
    try:
        seed_value = int(seed)
    except ValueError:
        raise SampleError(f"随机种子应为整数，而不是“{seed}”") from None
    try:
        rate = float(error_rate)
    except ValueError:
        raise SampleError(f"错误比例应为0到0.5之间的小数，而不是“{error_rate}”") from None
    first, last = parse_years(years)
    params = SampleParams(count, seed_value, rate, parse_kinds(kinds), first, last)
    check_params(params)
    return params


def check_params(params: SampleParams) -> None:
    if not 1 <= params.reports <= MAX_REPORTS:
        raise SampleError(f"报告数应在1到{MAX_REPORTS}之间，而不是{params.reports}")
    if not 0 <= params.error_rate <= 0.5:  # also refuses NaN
        raise SampleError(f"错误比例应在0到0.5之间，而不是{params.error_rate:g}")
    if params.first_year < 2021 or params.last_year < params.first_year:
        raise SampleError(f"年度范围{params.first_year}-{params.last_year}无效")
    unknown = [kind for kind in params.kinds if kind not in KINDS]
    if unknown or not params.kinds:
        raise SampleError(f"不支持的文件类型“{'、'.join(unknown)}”，可选：{'、'.join(KINDS)}")


# ---------------------------------------------------------------------------------- files


def render_file(item: PlannedReport) -> bytes:
    """The file's bytes, made by the renderers; seeded errors are printed as they are (force)."""
    if item.kind == "txt":
        return render_text(build_view(item.report)).encode(item.encoding)
    data = render_bytes(item.report, item.kind, allow_errors=bool(item.errors))
    if item.kind == "docx":
        published = item.report.published or dt.date(item.year + 1, 1, 1)
        return _restamped(data, (published.year, published.month, published.day, 9, 0, 0))
    return data


def _restamped(package: bytes, when: tuple[int, int, int, int, int, int]) -> bytes:
    """The DOCX with every part dated ``when`` instead of now, so one seed gives the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            stamped = zipfile.ZipInfo(info.filename, date_time=when)
            stamped.compress_type = info.compress_type
            stamped.external_attr = info.external_attr
            target.writestr(stamped, source.read(info))
    return out.getvalue()


def file_name(item: PlannedReport) -> str:
    return f"{item.year}/{item.agency.region.code}_{item.agency.name}{SUFFIXES[item.kind]}"


def _file_entry(item: PlannedReport, path: str, data: bytes) -> dict[str, Any]:
    agency = item.agency
    return {
        "path": path,
        "kind": item.kind,
        "encoding": item.encoding if item.kind == "txt" else None,
        "sha256": hashlib.sha256(data).hexdigest(),
        "bytes": len(data),
        "agency": agency.name,
        "region_code": agency.region.code,
        "region": agency.region.name,
        "level": agency.level,
        "type": agency.type,
        "year": item.year,
        "published": item.report.published.isoformat() if item.report.published else None,
        "deadline": item.deadline.isoformat(),
        "tables": item.tables,
        "errors": [error.as_dict() for error in item.errors],
    }


# ---------------------------------------------------------------------------------- writing


def write_sample(
    params: SampleParams,
    directory: str | os.PathLike[str],
    *,
    overwrite: bool = False,
    progress: Callable[[int], None] | None = None,
) -> Written:
    """Generate the sample and put it at ``directory``; ``progress`` gets the files written so far."""
    check_params(params)
    target = Path(directory).absolute()
    _replaceable(target, overwrite)  # refuse before the work, not after
    parent = target.parent
    if not parent.is_dir():
        raise SampleError(f"上级目录不存在：{parent}")
    work = Path(tempfile.mkdtemp(dir=parent, prefix=f".{target.name}.", suffix=".partial"))
    try:
        written = _write_into(work, params, progress)
        _put_in_place(work, target, _replaceable(target, overwrite))  # looked at again: it may have changed
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return Written(target, written["files"], written["missing"], written["errors"], written["by_kind"])


def _write_into(work: Path, params: SampleParams, progress: Callable[[int], None] | None) -> dict[str, Any]:
    layout, reports = plan(params)
    files: list[dict[str, Any]] = []
    for year in params.years:
        (work / str(year)).mkdir()
    for item in reports:
        data = render_file(item)
        path = file_name(item)
        (work / path).write_bytes(data)
        files.append(_file_entry(item, path, data))
        if progress is not None:
            progress(len(files))
    errors = Counter(error["kind"] for entry in files for error in entry["errors"])
    errors["missing"] = len(layout.missing)
    by_kind = Counter(entry["kind"] for entry in files)
    manifest = {
        "schema": SCHEMA,
        "generator": f"nianbao {__version__}",
        "seed": params.seed,
        "parameters": params.as_dict(),
        "counts": {
            "files": len(files),
            "agencies": len(layout.agencies),
            "missing": len(layout.missing),
            "by_kind": dict(sorted(by_kind.items())),
            "errors": dict(sorted(errors.items())),
            "files_with_errors": sum(1 for entry in files if entry["errors"]),
        },
        "regions": [region.as_dict() for region in layout.regions],
        "agencies": [agency.as_dict() for agency in layout.agencies],
        "files": files,
        "missing": [missing.as_dict() for missing in layout.missing],
    }
    with (work / MANIFEST).open("w", encoding="utf-8") as out:
        write_manifest(manifest, out)
    (work / AGENCY_LIST).write_bytes(agency_list_csv(layout.agencies))
    return {"files": len(files), "missing": len(layout.missing), "errors": dict(errors), "by_kind": dict(by_kind)}


def write_manifest(manifest: dict[str, Any], out: TextIO) -> None:
    """JSON with one line per region, agency, file and missing report: valid JSON that greps well."""
    out.write("{\n")
    for n, (key, value) in enumerate(manifest.items()):
        out.write(f" {json.dumps(key)}: ")
        if isinstance(value, list):
            out.write("[" + ("\n" if value else ""))
            for k, item in enumerate(value):
                out.write("  " + json.dumps(item, ensure_ascii=False, separators=(",", ":")))
                out.write(",\n" if k < len(value) - 1 else "\n ")
            out.write("]")
        else:
            out.write(json.dumps(value, ensure_ascii=False))
        out.write(",\n" if n < len(manifest) - 1 else "\n")
    out.write("}\n")


def agency_list_csv(agencies: list[Any]) -> bytes:
    """名录.csv: name, region code and name, level (县级部门 …), parent — UTF-8 with BOM for Excel."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(AGENCY_LIST_HEADER)
    for agency in agencies:
        writer.writerow((agency.name, agency.region.code, agency.region.name, agency.level_label, agency.parent or ""))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _replaceable(target: Path, overwrite: bool) -> set[Path] | None:
    """None if ``target`` is absent or empty; the previous sample's files if it may be replaced."""
    if not target.exists():
        return None
    if not target.is_dir():
        raise SampleError(f"输出位置已有同名文件：{target}")
    present = {path for path in target.rglob("*") if not path.is_dir()}
    if not present:
        return None
    if not overwrite:
        raise SampleError(f"输出目录不为空：{target}（如要替换以前生成的样本，请加 --force）")
    listed = _previous_sample(target)
    strangers = sorted(present - listed)
    if strangers:
        raise SampleError(
            f"输出目录中有不属于以前样本的文件（如 {strangers[0].relative_to(target)}），不能替换：{target}"
        )
    return present


def _previous_sample(target: Path) -> set[Path]:
    try:
        manifest = json.loads((target / MANIFEST).read_text(encoding="utf-8"))
        if manifest.get("schema") != SCHEMA:
            raise ValueError(manifest.get("schema"))
        files = {target / entry["path"] for entry in manifest["files"]}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise SampleError(f"输出目录不为空，也不是 nianbao 生成的样本（没有可读的 {MANIFEST}）：{target}") from exc
    root = target.resolve()
    if any(root not in path.resolve().parents for path in files):
        raise SampleError(f"{MANIFEST} 列出了样本目录以外的文件，不能替换：{target}")
    return files | {target / MANIFEST, target / AGENCY_LIST}


def _put_in_place(work: Path, target: Path, old_files: set[Path] | None) -> None:
    if not target.exists():
        work.rename(target)
        return
    if old_files is None:  # empty: only empty folders
        shutil.rmtree(target)
        work.rename(target)
        return
    retired = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.", suffix=".old"))
    retired.rmdir()
    target.rename(retired)
    work.rename(target)
    shutil.rmtree(retired)

"""``nianbao doctor``: is everything nianbao needs on this machine, offline?

Each check says what it found and, when something is missing, how to install it.  Where a
reader depends on something, the check asks that reader's own probe (``legacy.find_soffice``,
``ocr.missing_models``), so doctor and the reader can never disagree about what is installed.
"""

from __future__ import annotations

import ctypes.util
import datetime as dt
import importlib
import importlib.metadata
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from . import __version__
from .settings import DEFAULT_SETTINGS, Settings

PACKAGES = (
    "pydantic",
    "click",
    "rich",
    "lxml",
    "python-docx",
    "olefile",
    "pdfplumber",
    "pypdfium2",
    "rapidocr",
    "onnxruntime",
    "docxtpl",
    "weasyprint",
    "openpyxl",
    "chinesecalendar",
)


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    found: str
    fix: str = ""  # how to install what is missing
    required: bool = True


def run_checks(today: dt.date | None = None, settings: Settings = DEFAULT_SETTINGS) -> list[Check]:
    return [
        _python(),
        *_packages(),
        _fonts(),
        _libreoffice(),
        _harfbuzz_subset(),
        _ocr_models(),
        *_calendar(today or dt.date.today(), settings.home),
        _pdftoppm(),
    ]


def _python() -> Check:
    version = ".".join(map(str, sys.version_info[:3]))
    return Check(
        "Python", sys.version_info >= (3, 11), f"{version}（nianbao {__version__}）", "需要 Python 3.11 或更高版本"
    )


def _packages() -> list[Check]:
    checks = []
    for package in PACKAGES:
        try:
            version = importlib.metadata.version(package)
            checks.append(Check(f"Python 包 {package}", True, version))
        except importlib.metadata.PackageNotFoundError:
            checks.append(
                Check(f"Python 包 {package}", False, "未安装", "在项目目录运行 make run（或 pip install -e .）")
            )
    return checks


def _fonts() -> Check:
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return Check(
            "中文字体", False, "未找到 fc-list（fontconfig）", "sudo apt-get install fontconfig fonts-noto-cjk"
        )
    try:
        listing = subprocess.run([fc_list, ":lang=zh", "family"], capture_output=True, text=True, timeout=20).stdout
    except (OSError, subprocess.SubprocessError) as exc:
        return Check("中文字体", False, f"fc-list 运行失败：{exc}", "sudo apt-get install fonts-noto-cjk")
    families = sorted({line.split(",")[0].strip() for line in listing.splitlines() if line.strip()})
    if not families:
        return Check("中文字体", False, "没有中文字体（PDF 输出会缺字）", "sudo apt-get install fonts-noto-cjk")
    shown = "、".join(families[:4]) + (f" 等{len(families)}种" if len(families) > 4 else "")
    return Check("中文字体", True, shown)


def _libreoffice() -> Check:
    from .readers.legacy import find_soffice

    soffice = find_soffice()
    if soffice is None:
        return Check("LibreOffice（读取 .doc/.wps）", False, "未安装", "sudo apt-get install libreoffice-writer-nogui")
    try:
        output = subprocess.run([soffice, "--version"], capture_output=True, text=True, timeout=60).stdout.strip()
    except (OSError, subprocess.SubprocessError) as exc:
        return Check(
            "LibreOffice（读取 .doc/.wps）", False, f"{soffice} 无法运行：{exc}", "重新安装 libreoffice-writer-nogui"
        )
    return Check("LibreOffice（读取 .doc/.wps）", True, output.splitlines()[0] if output else soffice)


def _harfbuzz_subset() -> Check:
    """WeasyPrint subsets fonts with HarfBuzz when it can; otherwise a CJK PDF takes ~15 s."""
    found = ctypes.util.find_library("harfbuzz-subset")
    return Check(
        "HarfBuzz 字体子集（快速生成 PDF）",
        found is not None,
        found or "未安装（生成 PDF 会慢十几倍）",
        "sudo apt-get install libharfbuzz-subset0",
        required=False,
    )


def _ocr_models() -> Check:
    name = "OCR 模型（扫描件）"
    try:
        from .readers import ocr  # brings OpenCV and numpy, as reading a scan does

        importlib.import_module("rapidocr")
        importlib.import_module("onnxruntime")
    except ImportError as exc:
        return Check(name, False, f"无法导入：{exc}", "在项目目录运行 make run（或 pip install -e .）")
    missing = ocr.missing_models()
    if missing:
        return Check(
            name,
            False,
            f"缺少 {'、'.join(missing)}",
            f"重新安装 rapidocr=={importlib.metadata.version('rapidocr')}（模型随安装包提供，运行时不下载）",
        )
    models = ocr.model_dir()
    files = list(ocr.MODEL_FILES.values())
    size = sum((models / file).stat().st_size for file in files) / 1024 / 1024
    return Check(name, True, f"{len(files)} 个模型，{size:.0f} MB，随 rapidocr 安装包提供")


def _calendar(today: dt.date, home: Path) -> list[Check]:
    """Working days must be known for this year (deadlines) and, once announced, the next."""
    from .errors import NianbaoError
    from .ledger.calendar import load_calendar, overrides_path

    try:
        calendar = load_calendar(home)
    except NianbaoError as exc:
        return [Check("节假日日历", False, str(exc), f"修正覆盖表 {overrides_path(home)}")]
    checks = []
    for year, required in ((today.year, True), (today.year + 1, False)):
        covered = calendar.covers(year)
        checks.append(
            Check(
                f"{year}年节假日与调休",
                covered,
                "已收录" if covered else "尚未收录（计算期限时会报错，不会猜测）",
                f"国务院办公厅公布{year}年节假日安排后，把放假日和调休上班日写入 {overrides_path(home)}（见 docs/ledger.md）",
                required=required,
            )
        )
    return checks


def _pdftoppm() -> Check:
    found = shutil.which("pdftoppm")
    return Check(
        "pdftoppm（开发时查看 PDF，可选）",
        found is not None,
        found or "未安装",
        "sudo apt-get install poppler-utils",
        required=False,
    )

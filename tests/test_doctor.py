from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from nianbao import doctor
from nianbao.cli import main
from nianbao.readers import legacy, ocr


def test_this_machine_has_everything() -> None:
    checks = doctor.run_checks(dt.date(2026, 6, 1))
    missing = [c.name for c in checks if c.required and not c.ok]
    assert missing == [], "the setup (make test / .ci/run) installs these"
    result = CliRunner().invoke(main, ["doctor"])
    assert result.exit_code == 0 and "OCR 模型" in result.stdout


def test_missing_tools_are_named_with_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(doctor.shutil, "which", lambda name: None)
    monkeypatch.setattr(legacy, "find_soffice", lambda: None)
    by_name = {c.name: c for c in doctor.run_checks()}
    office = by_name["LibreOffice（读取 .doc/.wps）"]
    assert not office.ok and "libreoffice-writer-nogui" in office.fix
    assert not by_name["中文字体"].ok and "fonts-noto-cjk" in by_name["中文字体"].fix
    result = CliRunner().invoke(main, ["doctor"])
    assert result.exit_code == 1 and "必需条件未满足" in result.stderr


def test_libreoffice_is_found_where_the_reader_finds_it(monkeypatch: pytest.MonkeyPatch) -> None:
    # not on the PATH, but where an installer puts it: the reader converts with it, so it is there
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    monkeypatch.setattr(doctor.shutil, "which", lambda name: None)
    monkeypatch.setattr(legacy, "_SOFFICE_PLACES", ("/nonexistent/soffice", soffice))
    assert legacy.find_soffice() == soffice
    office = next(c for c in doctor.run_checks() if c.name.startswith("LibreOffice"))
    assert office.ok, office.found


def test_missing_ocr_model_is_reported(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # the models the OCR reader loads, looked for where it looks for them
    detector, recognizer, classifier = ocr.MODEL_FILES.values()
    for name in (detector, recognizer):
        (tmp_path / name).write_bytes(b"onnx")
    monkeypatch.setattr(ocr, "model_dir", lambda: tmp_path)
    check = next(c for c in doctor.run_checks() if c.name.startswith("OCR"))
    assert not check.ok and check.found == f"缺少 {classifier}" and "rapidocr==" in check.fix


def test_calendar_coverage_is_checked_for_this_year_and_next() -> None:
    by_name = {c.name: c for c in doctor.run_checks(dt.date(2026, 11, 23))}
    assert by_name["2026年节假日与调休"].ok
    next_year = by_name["2027年节假日与调休"]
    assert not next_year.ok and not next_year.required and "calendar-overrides" in next_year.fix
    assert not {c.name: c for c in doctor.run_checks(dt.date(2027, 3, 1))}["2027年节假日与调休"].ok

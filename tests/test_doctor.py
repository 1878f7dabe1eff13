from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner

from nianbao import doctor
from nianbao.cli import main


def test_this_machine_has_everything() -> None:
    checks = doctor.run_checks(dt.date(2026, 6, 1))
    missing = [c.name for c in checks if c.required and not c.ok]
    assert missing == [], "the setup (make test / .ci/run) installs these"
    result = CliRunner().invoke(main, ["doctor"])
    assert result.exit_code == 0 and "OCR 模型" in result.stdout


def test_missing_tools_are_named_with_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(doctor.shutil, "which", lambda name: None)
    by_name = {c.name: c for c in doctor.run_checks()}
    office = by_name["LibreOffice（读取 .doc/.wps）"]
    assert not office.ok and "libreoffice-writer-nogui" in office.fix
    assert not by_name["中文字体"].ok and "fonts-noto-cjk" in by_name["中文字体"].fix
    result = CliRunner().invoke(main, ["doctor"])
    assert result.exit_code == 1 and "必需条件未满足" in result.stderr


def test_missing_ocr_model_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(doctor, "OCR_MODELS", (*doctor.OCR_MODELS, "PP-OCRv9_missing.onnx"))
    check = next(c for c in doctor.run_checks() if c.name.startswith("OCR"))
    assert not check.ok and "PP-OCRv9_missing.onnx" in check.found


def test_calendar_coverage_is_checked_for_this_year_and_next() -> None:
    by_name = {c.name: c for c in doctor.run_checks(dt.date(2026, 11, 23))}
    assert by_name["2026年节假日与调休"].ok
    next_year = by_name["2027年节假日与调休"]
    assert not next_year.ok and not next_year.required and "calendar-overrides" in next_year.fix
    assert not {c.name: c for c in doctor.run_checks(dt.date(2027, 3, 1))}["2027年节假日与调休"].ok

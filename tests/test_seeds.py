"""The five seed reports read exactly as the hand-checked truth files say."""

from __future__ import annotations

from pathlib import Path

from helpers import truth_of
from nianbao import parse_file
from nianbao.rules import run_rules


def test_seed_matches_truth(seed: Path) -> None:
    truth = truth_of(seed)
    report = parse_file(seed).to_contract()
    for key in ("schema", "agency", "year", "format_version"):
        assert report[key] == truth[key], key
    for table in ("table2", "table3", "table4"):
        assert report[table] == truth[table], table


def test_seed_has_six_sections_with_text(seed: Path) -> None:
    report = parse_file(seed)
    assert sorted(report.sections) == ["1", "2", "3", "4", "5", "6"]
    assert report.sections["1"].text
    assert report.sections["5"].text


def test_seed_check_has_no_error(seed: Path) -> None:
    findings = run_rules(parse_file(seed))
    assert [f for f in findings if f.severity == "error"] == []


def test_seed_000_reports_its_arabic_headings() -> None:
    seed = Path(__file__).parent / "fixtures" / "seeds" / "000_5760a6a96cb60824.txt"
    findings = [f for f in run_rules(parse_file(seed)) if f.code == "SEC-6"]
    messages = " ".join(f.message for f in findings)
    assert "“3、”" in messages and "“4、”" in messages
    assert {f.severity for f in findings} == {"warning"}
    assert [loc.line for f in findings for loc in f.locations] == [57, 355]


def test_seed_001_reports_missing_header_and_reads_published_date() -> None:
    seed = Path(__file__).parent / "fixtures" / "seeds" / "001_7862af51daa0dff0.txt"
    report = parse_file(seed)
    assert report.published is not None and report.published.isoformat() == "2024-01-28"
    messages = [f.message for f in run_rules(report) if f.code == "STRUCT"]
    assert any("自然人" in m for m in messages)
    assert any("本年发件" in m for m in messages)


def test_seed_provenance_points_at_the_printed_cell(seed: Path) -> None:
    lines = seed.read_text(encoding="utf-8").splitlines()
    report = parse_file(seed)
    for cell_id, cell in report.iter_cells():
        assert cell.location is not None and cell.location.line is not None, cell_id
        line = lines[cell.location.line - 1]
        assert line[cell.location.column - 1 :].strip().startswith(cell.raw or ""), cell_id


def test_meta_from_title_preamble_and_signature() -> None:
    seeds = {p.stem[:3]: p for p in (Path(__file__).parent / "fixtures" / "seeds").glob("*.txt")}
    assert parse_file(seeds["000"]).facts["agency"].how == "preamble"
    assert parse_file(seeds["003"]).published.isoformat() == "2024-01-17"  # type: ignore[union-attr]
    period = parse_file(seeds["004"]).period
    assert period is not None and [d.isoformat() for d in period] == ["2024-01-01", "2024-12-31"]

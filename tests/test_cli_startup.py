"""A command loads only what it needs: ``--help`` no reader and no model, ``parse`` of a text
report the text reader only (the PDF, OCR, Word and HTML libraries take seconds to load), and
its readable view and ``check`` no pydantic (a third of a cold ``parse``: only JSON needs it)."""

from __future__ import annotations

import subprocess
import sys

from helpers import SEEDS

# runs the command in a fresh interpreter, then prints the modules it loaded on stderr
PROBE = """
import sys
from nianbao.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print(" ".join(sorted(sys.modules)), file=sys.stderr)
"""
READERS = [f"nianbao.readers.{kind}" for kind in ("html", "docx", "legacy", "pdf", "ocr")]
LIBRARIES = ["lxml", "docx", "pdfplumber", "pypdfium2", "rapidocr", "onnxruntime", "openpyxl", "weasyprint", "docxtpl"]


def loaded(*args: str) -> set[str]:
    done = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, encoding="utf-8", timeout=60)
    return set(done.stderr.splitlines()[-1].split())


def test_help_loads_no_core_beyond_the_settings() -> None:
    modules = loaded("--help")
    assert "nianbao.cli" in modules and "nianbao.settings" in modules
    heavy = ["nianbao.readers", "nianbao.extract", "nianbao.model", "nianbao.rules", "nianbao.ledger", "nianbao.sample"]
    assert sorted(modules & {*heavy, "nianbao.render", "pydantic", "rich", *LIBRARIES}) == []


def test_parse_of_a_text_report_loads_the_text_reader_only() -> None:
    modules = loaded("parse", str(SEEDS[0]), "--json")
    assert "nianbao.readers.text" in modules and "nianbao.pipeline" in modules
    assert sorted(modules & {*READERS, *LIBRARIES, "nianbao.ledger", "nianbao.render", "rich"}) == []


def test_the_readable_view_of_parse_loads_neither_rich_nor_pydantic() -> None:
    modules = loaded("parse", str(SEEDS[0]))
    assert "nianbao.cli.plain" in modules and "nianbao.model" in modules
    assert sorted(modules & {"rich", "pydantic", "pydantic_core", "nianbao.contract"}) == []


def test_checking_a_text_report_loads_no_pydantic() -> None:
    modules = loaded("check", str(SEEDS[0]))
    assert "nianbao.rules" in modules and "rich" in modules
    assert sorted(modules & {"pydantic", "pydantic_core", "nianbao.contract", *READERS, *LIBRARIES}) == []

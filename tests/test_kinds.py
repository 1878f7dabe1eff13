"""Note and document kinds: declared once, each with a meaning, documented by generated docs."""

from __future__ import annotations

import re
from pathlib import Path
from typing import get_args

from nianbao.document import DOCUMENT_KINDS, DocumentKind
from nianbao.kinds import kinds_markdown
from nianbao.model import NOTE_KINDS, NoteKind

SRC = Path(__file__).parents[1] / "src" / "nianbao"


def test_every_kind_has_a_meaning() -> None:
    assert list(NOTE_KINDS) == list(get_args(NoteKind))
    assert list(DOCUMENT_KINDS) == list(get_args(DocumentKind))
    assert all(meaning.strip() for meaning in (*NOTE_KINDS.values(), *DOCUMENT_KINDS.values()))


def test_kinds_docs_are_current() -> None:
    docs = (Path(__file__).parents[1] / "docs" / "kinds.md").read_text(encoding="utf-8")
    assert docs == kinds_markdown(), "docs/kinds.md is stale: run `make docs`"


def test_every_note_kind_extraction_emits_is_declared() -> None:
    source = "\n".join(path.read_text(encoding="utf-8") for path in (SRC / "extract").glob("*.py"))
    emitted = set(re.findall(r'note\(\s*"([a-z_]+)"', source)) | set(re.findall(r'kind="([a-z_]+)"', source))
    assert emitted and emitted <= set(NOTE_KINDS)
    assert set(NOTE_KINDS) <= emitted, "a declared note kind that extraction never emits"


def test_every_note_kind_is_read_by_a_rule() -> None:
    rules = "\n".join(path.read_text(encoding="utf-8") for path in (SRC / "rules").glob("*.py"))
    unread = [kind for kind in NOTE_KINDS if f'"{kind}"' not in rules]
    assert unread == []

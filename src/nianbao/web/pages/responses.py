"""Files the web app hands out: one content type per format, one way to name a download."""

from __future__ import annotations

from urllib.parse import quote

from django.http import HttpResponse

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
    "json": "application/json",
}


def download(body: bytes, filename: str) -> HttpResponse:
    """A file to save, never shown as a page of this site; its Chinese name kept (RFC 5987)."""
    response = HttpResponse(body, content_type=CONTENT_TYPES[filename.rsplit(".", 1)[-1]])
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    response["X-Content-Type-Options"] = "nosniff"
    return response

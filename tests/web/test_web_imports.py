"""Uploads through the web app: queued like ``import --queue``, taken by a worker, followed on
the job's page; what a reader could never use is refused with a reason before it is stored."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from store_fixtures import SEEDS
from web_fixtures import PASSWORD, person

from nianbao.settings import Settings
from nianbao.web.accounts.models import Role
from nianbao.web.store.models import ImportItem, ImportJob, ItemStatus, Report
from nianbao.web.store.services.queue import Worker, WorkerContext

pytestmark = pytest.mark.django_db


def client_of(username: str, role: Role) -> Client:
    person(username, role, region="" if role == Role.ADMIN else "910000")
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def zipped(**members: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.django_db(transaction=True)  # the tasks are enqueued once the job's rows are committed
def test_an_upload_is_queued_taken_by_a_worker_and_followed_on_its_page(store_settings: Settings) -> None:
    client = client_of("reviewer", Role.REVIEWER)
    files = [
        SimpleUploadedFile(SEEDS[0].name, SEEDS[0].read_bytes()),
        SimpleUploadedFile("batch.zip", zipped(**{"a/" + SEEDS[1].name: SEEDS[1].read_bytes(), "notes.txt": b"hello"})),
    ]
    response = client.post("/imports/", {"files": files})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/imports/{job.pk}/"
    assert set(ImportItem.objects.values_list("status", flat=True)) == {ItemStatus.QUEUED}
    assert not (store_settings.home / "uploads").exists() or not any((store_settings.home / "uploads").iterdir())
    waiting = client.get(f"/imports/{job.pk}/").content.decode("utf-8")
    assert 'hx-trigger="every 2s"' in waiting and "等待处理 3" in waiting

    Worker(WorkerContext(settings=store_settings), burst=True, interval=0.01).run()
    assert Report.objects.count() == 2
    done = client.get(f"/imports/{job.pk}/", HTTP_HX_REQUEST="true").content.decode("utf-8")
    assert "hx-trigger" not in done and "<html" not in done  # the fragment, no longer polling
    assert SEEDS[0].name in done and "notes.txt" in done and "失败" in done
    data = json.loads(client.get(f"/api/imports/{job.pk}").content)
    assert data["files"] == 3 and data["imported"] == 2 and data["failed"] == 1 and data["finished"]
    assert {item["file"] for item in data["items"]} == {SEEDS[0].name, SEEDS[1].name, "notes.txt"}


def test_files_no_reader_could_use_are_refused_with_a_reason_and_nothing_is_queued(store_settings: Settings) -> None:
    client = client_of("reviewer", Role.REVIEWER)
    response = client.post(
        "/imports/",
        {
            "files": [
                SimpleUploadedFile("tool.exe", b"MZ\x90\x00\x03\x00\x00\x00" * 64),
                SimpleUploadedFile("e.txt", b""),
            ]
        },
        follow=True,
    )
    page = response.content.decode("utf-8")
    assert "tool.exe：不是年报可用的文件格式" in page and "e.txt：文件是空的" in page
    assert not ImportJob.objects.exists()
    api = client.post("/api/imports", {"files": [SimpleUploadedFile("tool.exe", b"MZ\x00\x00" * 64)]})
    assert api.status_code == 400 and "不是年报可用的文件格式" in json.loads(api.content)["detail"]


def test_an_upload_over_the_limit_is_refused_before_it_is_read(store_settings: Settings, settings: object) -> None:
    settings.MAX_UPLOAD_BYTES = 1000  # type: ignore[attr-defined]
    client = client_of("reviewer", Role.REVIEWER)
    response = client.post("/imports/", {"files": [SimpleUploadedFile("big.txt", b"x" * 5000)]}, follow=True)
    assert "一次上传不能超过" in response.content.decode("utf-8") and not ImportJob.objects.exists()


def test_uploads_are_for_reviewers_and_each_sees_its_own_jobs(store_settings: Settings) -> None:
    reviewer = client_of("reviewer", Role.REVIEWER)
    other = client_of("other", Role.REVIEWER)
    clerk = client_of("viewer", Role.VIEWER)
    reviewer.post("/imports/", {"files": [SimpleUploadedFile(SEEDS[0].name, SEEDS[0].read_bytes())]})
    job = ImportJob.objects.get()
    assert other.get(f"/imports/{job.pk}/").status_code == 404
    assert other.get(f"/api/imports/{job.pk}").status_code == 404
    assert json.loads(other.get("/api/imports").content)["jobs"] == []
    assert clerk.get("/imports/").status_code == 403
    assert clerk.post("/api/imports", {"files": [SimpleUploadedFile("a.txt", b"x")]}).status_code == 403
    admin = client_of("admin", Role.ADMIN)
    assert admin.get(f"/imports/{job.pk}/").status_code == 200

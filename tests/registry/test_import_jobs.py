"""Imports from a page: stored, queued, run by the task queue, followed by the page, problems downloadable."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings

from huhang.registry import jobs
from huhang.registry.models import Entity, ImportJob
from tests.conftest import make_uscc

pytestmark = pytest.mark.django_db


def _csv(rows: list[tuple[str, str, str]]) -> SimpleUploadedFile:
    text = "主体类型,名称,统一社会信用代码\n" + "".join(f"{k},{n},{c}\n" for k, n, c in rows)
    return SimpleUploadedFile("主体.csv", text.encode("utf-8-sig"), content_type="text/csv")


def test_page_import_runs_and_shows_the_outcome(client, handler):
    client.force_login(handler)
    rows = [("企业", f"武汉导入{i}有限公司", make_uscc()) for i in range(3)]
    response = client.post("/registry/entities/import/", {"file": _csv(rows)})
    job = ImportJob.objects.get()
    assert response.url == f"/registry/imports/{job.pk}/"
    assert Entity.objects.count() == 3
    page = client.get(response.url).content.decode()
    assert "主体.csv" in page and "已导入" in page
    assert client.get(f"/registry/imports/{job.pk}/progress/").json() == {
        "done": 3, "total": 3, "status": "succeeded", "finished": True, "status_label": "已导入",
    }  # fmt: skip
    assert not list((jobs._upload_dir()).iterdir()), "the stored upload is removed once imported"


def test_rejected_import_lists_problems_and_offers_them_in_excel(client, handler):
    client.force_login(handler)
    good = make_uscc()
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    response = client.post(
        "/registry/entities/import/", {"file": _csv([("企业", "甲", make_uscc()), ("企业", "乙", bad)])}
    )
    job = ImportJob.objects.get()
    assert job.status == "rejected" and Entity.objects.count() == 0
    page = client.get(response.url).content.decode()
    assert "未导入任何记录" in page and "校验码错误" in page
    workbook = openpyxl.load_workbook(io.BytesIO(client.get(f"/registry/imports/{job.pk}/problems.xlsx").content))
    problems = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert problems[1][0] == 3 and "校验码" in problems[1][2]


def test_oversized_upload_is_refused_before_queueing(client, handler, settings):
    settings.HUHANG_IMPORT_MAX_BYTES = 10
    client.force_login(handler)
    response = client.post("/registry/entities/import/", {"file": _csv([("企业", "甲", make_uscc())])}, follow=True)
    assert "MB" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_someone_elses_import_is_not_found(client, handler, applicant, supervisor):
    client.force_login(handler)
    client.post("/registry/entities/import/", {"file": _csv([("企业", "甲", make_uscc())])})
    job = ImportJob.objects.get()
    client.force_login(applicant)
    assert client.get(f"/registry/imports/{job.pk}/").status_code == 404
    client.force_login(supervisor)
    assert client.get(f"/registry/imports/{job.pk}/progress/").status_code == 404


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_the_database_queue_and_its_worker_run_the_import(handler):
    upload = _csv([("企业", "队列测试有限公司", make_uscc())])
    job = jobs.import_job_submit(actor=handler, kind="entities", upload=upload)
    job.refresh_from_db()
    assert job.status == "queued" and not Entity.objects.exists()
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")
    job.refresh_from_db()
    assert job.status == "succeeded" and job.created_count == 1
    assert Entity.objects.get().name == "队列测试有限公司"

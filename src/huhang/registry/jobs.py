"""Imports submitted from a page: stored, queued, run by the task queue, with progress the page can show.

Progress lives in the cache (``HUHANG_DATA_DIR/cache`` by default), not in the database: the import writes
its rows in one transaction, and on SQLite no other connection may write until it ends.
"""

import hashlib
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from huhang.registry import access
from huhang.registry.models import ImportJob, ImportJobStatus
from huhang.registry.resources import resource_for
from huhang.registry.tabular import importing
from huhang.registry.tabular.errors import ImportRejected, TabularError, UnknownKind
from huhang.registry.tabular.reading import check_size

PROGRESS_EVERY_SECONDS = 0.3
REPORT_ERROR_LIMIT = 5000


def _upload_dir() -> Path:
    path = Path(settings.DATA_DIR) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _progress_key(job_id) -> str:
    return f"import-job:{job_id}"


def import_job_progress(job: ImportJob) -> dict:
    """Return ``{"done", "total", "status"}`` for the page; finished jobs answer from the database."""
    if job.is_finished:
        return {"done": job.created_count, "total": job.created_count, "status": job.status}
    progress = cache.get(_progress_key(job.pk)) or {"done": 0, "total": 0}
    return {**progress, "status": job.status}


@transaction.atomic
def import_job_submit(*, actor, kind: str, upload) -> ImportJob:
    """Store ``upload`` and queue its import; raise TabularError for a file refused before queueing."""
    resource = resource_for(kind)
    if resource is None:
        raise UnknownKind(_("No such register: %(kind)s") % {"kind": kind})
    access.require_edit(actor, resource.model)
    check_size(Path(upload.name).name, upload.size, settings.HUHANG_IMPORT_MAX_BYTES)
    digest = hashlib.sha256()
    stored_as = f"{uuid.uuid4().hex}.upload"
    with open(_upload_dir() / stored_as, "wb") as out:
        for chunk in upload.chunks():
            digest.update(chunk)
            out.write(chunk)
    job = ImportJob.objects.create(
        kind=kind, file_name=Path(upload.name).name[:255], stored_as=stored_as, size=upload.size, actor=actor
    )
    # The database queue stores the task in this same transaction: the job and its task exist together or
    # not at all, and no worker can pick the task up before the job row is committed.
    run_import_job.enqueue(str(job.pk))
    return job


@task()
def run_import_job(job_id: str) -> int:
    """Import the job's file, all or nothing, recording the outcome on the job; return rows created."""
    job = ImportJob.objects.select_related("actor").get(pk=job_id)
    if job.is_finished:
        return job.created_count
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJobStatus.RUNNING, started_at=timezone.now())
    last = 0.0

    def progress(done: int, total: int) -> None:
        nonlocal last
        now = time.monotonic()
        if now - last >= PROGRESS_EVERY_SECONDS or done == total:
            cache.set(_progress_key(job.pk), {"done": done, "total": total}, timeout=24 * 3600)
            last = now

    path = _upload_dir() / job.stored_as
    outcome = {"finished_at": timezone.now()}
    try:
        with open(path, "rb") as stored:
            source = File(stored, name=job.file_name)
            result = importing.import_rows(actor=job.actor, kind=job.kind, path_or_file=source, progress=progress)
    except ImportRejected as exc:
        report = exc.report
        outcome.update(
            status=ImportJobStatus.REJECTED,
            message=report.summary,
            report={
                "headers": report.headers,
                "errors": [[e.row, e.column, e.reason] for e in report.errors[:REPORT_ERROR_LIMIT]],
                "error_count": len(report.errors),
                "bad_rows": {str(k): v for k, v in list(report.bad_rows.items())[:REPORT_ERROR_LIMIT]},
            },
        )
    except TabularError as exc:
        outcome.update(status=ImportJobStatus.FAILED, message=str(exc))
    except Exception:
        outcome.update(status=ImportJobStatus.FAILED, message=_("The import stopped on an internal error."))
        raise
    else:
        outcome.update(status=ImportJobStatus.SUCCEEDED, created_count=result.created)
    finally:
        outcome["finished_at"] = timezone.now()
        ImportJob.objects.filter(pk=job.pk).update(**outcome)
        cache.delete(_progress_key(job.pk))
        path.unlink(missing_ok=True)
    return outcome.get("created_count", 0)

"""Attachments of progress reports: checked before anything is stored, content-addressed, downloadable."""

import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from huhang.evidence.storage import blob_key
from huhang.supervision import services
from huhang.supervision.models import Attachment, ProgressReport
from tests.supervision.conftest import PDF, PNG, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _stored(store):
    return sorted(p.name for p in store.rglob("*") if p.is_file() and "incoming" not in p.parts)


def test_attachments_are_stored_content_addressed_once(clerk, assigned, attachment_store):
    first = services.progress_report(
        actor=clerk,
        item=assigned,
        text="附方案",
        status="in_progress",
        uploads=[upload(PDF, "方案.pdf"), upload(PNG, "现场照片.png")],
    )
    second = services.progress_report(
        actor=clerk, item=assigned, text="再附方案", status="in_progress", uploads=[upload(PDF, "同一方案.pdf")]
    )
    pdf = first.attachments.get(original_name="方案.pdf")
    sha = hashlib.sha256(PDF).hexdigest()
    assert (pdf.sha256, pdf.storage_key, pdf.size, pdf.media_type) == (sha, blob_key(sha), len(PDF), "application/pdf")
    assert first.attachments.get(original_name="现场照片.png").media_type == "image/png"
    assert second.attachments.get().storage_key == pdf.storage_key
    assert (attachment_store / pdf.storage_key).read_bytes() == PDF
    assert _stored(attachment_store) == sorted([sha, hashlib.sha256(PNG).hexdigest()])


def test_the_type_is_sniffed_from_the_content_not_the_name(clerk, assigned, attachment_store):
    html = b"<!DOCTYPE html><html><script>alert(1)</script></html>"
    exe = b"MZ\x90\x00" + b"\x00" * 60 + b"PE\x00\x00"
    with pytest.raises(ValidationError) as refused:
        services.progress_report(
            actor=clerk,
            item=assigned,
            text="附件",
            status="in_progress",
            uploads=[upload(PDF, "ok.pdf"), upload(html, "报告.pdf"), upload(exe, "说明.docx")],
        )
    messages = refused.value.message_dict["attachments"]
    assert messages[0].startswith("The file 报告.pdf is text/html, which cannot be attached; attach PDF、PNG")
    assert messages[1].startswith("The file 说明.docx is application/x-msdownload, which cannot be attached")
    assert not ProgressReport.objects.exists() and not Attachment.objects.exists()
    assert _stored(attachment_store) == []  # not even the good file


def test_the_size_limit_and_empty_files(clerk, assigned, attachment_store, monkeypatch):
    monkeypatch.setattr(services, "ATTACHMENT_MAX_BYTES", 1024)
    with pytest.raises(ValidationError) as refused:
        services.progress_report(
            actor=clerk,
            item=assigned,
            text="附件",
            status="in_progress",
            uploads=[upload(PDF + b"0" * 1024, "大文件.pdf"), upload(b"", "空.txt")],
        )
    assert refused.value.message_dict["attachments"] == [
        "The file 大文件.pdf is larger than the limit of 1024 B.",
        "The file 空.txt is empty.",
    ]
    assert not ProgressReport.objects.exists() and _stored(attachment_store) == []


def test_a_file_larger_than_it_claims_is_refused_while_stored(clerk, assigned, attachment_store, monkeypatch):
    monkeypatch.setattr(services, "ATTACHMENT_MAX_BYTES", 1024)
    lying = upload(PDF + b"0" * 2048, "说谎.pdf")
    lying.size = 100
    with pytest.raises(ValidationError, match="larger than the limit"):
        services.progress_report(actor=clerk, item=assigned, text="附件", status="in_progress", uploads=[lying])
    assert not ProgressReport.objects.exists() and _stored(attachment_store) == []


def test_at_most_ten_files(clerk, assigned):
    files = [upload(PDF + bytes([n]), f"{n}.pdf") for n in range(services.ATTACHMENT_MAX_FILES + 1)]
    with pytest.raises(ValidationError) as refused:
        services.progress_report(actor=clerk, item=assigned, text="附件", status="in_progress", uploads=files)
    assert refused.value.message_dict == {"attachments": ["At most 10 attachments per report."]}


def test_an_uploader_s_path_never_becomes_a_path(clerk, assigned, attachment_store):
    report = services.progress_report(
        actor=clerk, item=assigned, text="附件", status="in_progress", uploads=[upload(PDF, "../../etc/进展.pdf")]
    )
    attachment = report.attachments.get()
    assert attachment.original_name == "进展.pdf"
    assert (attachment_store / attachment.storage_key).is_file()


def test_a_staff_member_downloads_and_an_applicant_gets_404(client, clerk, applicant, assigned):
    report = services.progress_report(
        actor=clerk, item=assigned, text="附件", status="in_progress", uploads=[upload(PDF, "方案.pdf")]
    )
    attachment = report.attachments.get()
    url = f"/supervision/items/{assigned.pk}/attachments/{attachment.pk}/"
    client.force_login(clerk)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert client.get(f"/supervision/items/{assigned.pk + 1}/attachments/{attachment.pk}/").status_code == 404
    client.force_login(applicant)
    assert client.get(url).status_code == 404

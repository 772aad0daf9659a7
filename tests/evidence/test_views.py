"""Pages: who sees what, submitting through the forms, receipts, certificates, the public verification page."""

import json
import shutil
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from huhang.evidence.models import Evidence
from huhang.ledger.receipt import verify_receipt
from tests.evidence.conftest import PNG, sha256

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def english(client, settings):
    """Pages in English (the default is Chinese whatever the browser asks): the tests read the message ids."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def test_applicant_sees_only_its_own_evidence(client, submit, stranger, owner, clerk, judge):
    mine = submit(title="本企业的证据")
    client.force_login(stranger)
    assert "本企业的证据" not in client.get("/evidence/").content.decode()
    assert client.get(f"/evidence/{mine.pk}/").status_code == 404
    assert client.get(f"/evidence/{mine.pk}/receipt.json").status_code == 404
    assert client.get(f"/evidence/{mine.pk}/certificate.pdf").status_code == 404
    assert client.get(f"/evidence/{mine.pk}/file").status_code == 404
    for user in (owner, clerk, judge):
        client.force_login(user)
        assert "本企业的证据" in client.get("/evidence/").content.decode()
        assert client.get(f"/evidence/{mine.pk}/receipt.json").status_code == 200


def test_partner_gets_receipts_but_not_files(client, submit, judge, owner):
    evidence = submit(b"confidential pages")
    client.force_login(judge)
    assert client.get(f"/evidence/{evidence.pk}/file").status_code == 403
    client.force_login(owner)
    response = client.get(f"/evidence/{evidence.pk}/file")
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"confidential pages"
    assert response["Content-Type"] == "application/octet-stream" and "attachment" in response["Content-Disposition"]


def test_list_filters_and_pagination(client, submit, ledger, owner, settings, monkeypatch):
    from huhang.evidence import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    for n in range(3):
        submit(f"document {n}".encode(), title=f"文档{n}")
    submit(PNG, name="photo.png", kind="image", title="照片")
    client.force_login(owner)
    page = client.get("/evidence/?kind=image").content.decode()
    assert "照片" in page and "文档0" not in page
    first = client.get("/evidence/").content.decode()
    assert "page=2" in first
    assert client.get("/evidence/?q=文档1").content.decode().count("文档1") >= 1


def test_upload_through_the_form(client, ledger, owner):
    client.force_login(owner)
    response = client.post(
        "/evidence/new/",
        {"kind": "image", "title": "侵权产品照片", "description": "", "file": SimpleUploadedFile("p.jpg", PNG)},
    )
    evidence = Evidence.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/evidence/{evidence.pk}/"
    assert evidence.holder == owner.entity and evidence.media_type == "image/png"
    assert "p.jpg" in client.get(response["Location"]).content.decode()


def test_form_errors_are_shown_and_nothing_is_kept(client, ledger, owner, settings, evidence_dir):
    client.cookies["huhang_language"] = "en"  # pages speak English only when the user chose it
    settings.HUHANG_EVIDENCE_MAX_BYTES = 10
    client.force_login(owner)
    response = client.post(
        "/evidence/new/", {"kind": "document", "title": "t", "file": SimpleUploadedFile("a.txt", b"x" * 11)}
    )
    assert response.status_code == 200 and "larger than the limit" in response.content.decode()
    assert Evidence.objects.count() == 0 and not any(p.is_file() for p in evidence_dir.rglob("*"))


def test_staff_name_the_holder_by_identifier(client, ledger, clerk, holder):
    client.cookies["huhang_language"] = "en"  # pages speak English only when the user chose it
    client.force_login(clerk)
    response = client.post(
        "/evidence/new/hash/",
        {"holder": "91420100000000000X", "kind": "other", "title": "t", "sha256": "ab" * 32},
    )
    assert "No entity with the identifier" in response.content.decode()
    response = client.post(
        "/evidence/new/hash/", {"holder": holder.uscc, "kind": "other", "title": "t", "sha256": "ab" * 32}
    )
    assert response.status_code == 302 and Evidence.objects.get().holder == holder


def test_partners_and_supervisors_cannot_submit(client, judge, ledger):
    client.force_login(judge)
    assert client.get("/evidence/new/").status_code == 403
    assert client.post("/evidence/new/hash/", {"kind": "other", "title": "t", "sha256": "ab" * 32}).status_code == 403


def test_receipt_download_verifies_offline(client, submit, owner, ledger):
    data = b"%PDF-1.4 a contract"
    evidence = submit(data)
    client.force_login(owner)
    response = client.get(f"/evidence/{evidence.pk}/receipt.json")
    assert response["Content-Disposition"] == f'attachment; filename="receipt-{evidence.ledger_index}.json"'
    receipt = json.loads(response.content)
    assert receipt["format"] == "huhang-receipt/v1" and receipt["summary"]["evidence"] == str(evidence.pk)
    verified = verify_receipt(response.content, verifier_key=ledger.record.verifier_key, file_bytes=data)
    assert verified.leaf_fields["sha256"] == sha256(data)


def test_public_verification_page(client, submit, ledger, tmp_path):
    client.cookies["huhang_language"] = "en"  # pages speak English only when the user chose it
    data = b"%PDF-1.4 public check"
    evidence = submit(data)
    client.force_login(evidence.submitted_by)
    receipt = client.get(f"/evidence/{evidence.pk}/receipt.json").content
    client.logout()
    client.cookies["huhang_language"] = "en"  # logging out cleared the cookies

    def post(**files):
        payload = {k: SimpleUploadedFile(k, v) for k, v in files.items()}
        return client.post("/verify/", payload).content.decode()

    assert "Verified." in post(receipt=receipt, file=data)
    assert "this is not the preserved file" in post(receipt=receipt, file=b"other")
    tampered = json.loads(receipt)
    tampered["proof"] = tampered["proof"].replace("\nindex ", "\nindex 1", 1)
    assert "Not verified." in post(receipt=json.dumps(tampered).encode())
    assert "not valid JSON" in post(receipt=b"{{{")
    by_id = client.get(f"/verify/?evidence={evidence.pk}").content.decode()
    assert evidence.title in by_id
    assert "Verified." in client.post("/verify/", {"evidence": str(evidence.pk)}).content.decode()
    assert client.get("/verify/?evidence=not-a-uuid").status_code == 200


def test_certificate_is_a_chinese_pdf_with_the_facts(client, submit, owner, ledger, tmp_path):
    evidence = submit(b"%PDF-1.4 certificate test", title="某型号激光器外观设计侵权证据")
    client.force_login(owner)
    response = client.get(f"/evidence/{evidence.pk}/certificate.pdf")
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    pdf = tmp_path / "certificate.pdf"
    pdf.write_bytes(response.content)
    if shutil.which("pdftotext") is None or shutil.which("pdftoppm") is None:
        pytest.skip("poppler-utils is not installed")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for expected in (
        "电子数据存证证明",
        "武汉长江光电有限公司",
        "某型号激光器外观设计侵权证据",
        "北京时间",
        evidence.sha256[:32],
    ):
        assert expected in text.replace(" ", ""), expected
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    cjk = [line for line in fonts.splitlines() if "WenQuanYi" in line]
    assert cjk and " yes yes yes " in cjk[0]  # embedded, subset, with a Unicode map
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-singlefile", str(pdf), str(tmp_path / "certificate")], check=True)
    assert (tmp_path / "certificate.png").stat().st_size > 10_000


def test_a_failing_ledger_records_nothing(client, ledger, owner, monkeypatch):
    from huhang.evidence import ledger_service
    from huhang.ledger.errors import LedgerError

    def broken(data, **options):
        raise LedgerError("disk full")

    monkeypatch.setattr(ledger_service, "ledger_submit_many", broken)
    client.force_login(owner)
    before = ledger.size
    response = client.post("/evidence/new/hash/", {"kind": "other", "title": "t", "sha256": "ab" * 32})
    assert response.status_code == 200 and "nothing was recorded: disk full" in response.content.decode()
    assert Evidence.objects.count() == 0 and ledger.size == before


def test_the_admin_shows_evidence_and_events_read_only(client, submit, admin_user, clerk):
    from huhang.evidence.services import ledger_record_event

    evidence = submit()
    event = ledger_record_event(actor=clerk, kind="case.opened", subject="case/1")
    client.force_login(admin_user)
    for model, pk in (("evidence", evidence.pk), ("ledgerevent", event.pk)):
        assert client.get(f"/admin/evidence/{model}/").status_code == 200
        assert client.get(f"/admin/evidence/{model}/add/").status_code == 403
        assert client.get(f"/admin/evidence/{model}/{pk}/delete/").status_code == 403
        page = client.get(f"/admin/evidence/{model}/{pk}/change/")
        assert page.status_code == 200 and b'name="_save"' not in page.content
        assert client.post(f"/admin/evidence/{model}/{pk}/change/", {"title": "changed"}).status_code == 403
    assert Evidence.objects.get().title == evidence.title

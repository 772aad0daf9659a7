"""In Chromium: upload a file and download its receipt; hash a trade secret in the page, never sending it."""

import json
import os
from pathlib import Path

import pytest

from huhang.evidence.models import Evidence
from huhang.evidence.storage import evidence_store
from huhang.ledger.receipt import verify_receipt
from tests.evidence.conftest import (  # noqa: F401 - the evidence fixtures
    PASSWORD,
    evidence_dir,
    holder,
    ledger,
    make_holder,
    owner,
    sha256,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = Path(os.environ.get("HUHANG_SCREENSHOTS", "var/screenshots"))


def _login(page, live_server, user):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{live_server.url}/registry/")


def test_upload_a_file_and_download_the_receipt(live_server, page, ledger, owner, tmp_path):  # noqa: F811
    data = b"%PDF-1.4\n% a scanned product manual, 2019\n"
    document = tmp_path / "产品手册.pdf"
    document.write_bytes(data)
    _login(page, live_server, owner)
    page.click("nav.sidebar a[href='/evidence/']")
    page.click("a.button.primary[href='/evidence/new/']")
    page.select_option("#id_kind", "document")
    page.fill("#id_title", "2019 年产品手册")
    page.fill("#id_description", "证明现有技术公开时间")
    page.set_input_files("#id_file", str(document))
    page.click("button[type=submit].primary")
    page.wait_for_selector("dl.record")
    assert "产品手册.pdf" in page.inner_text("dl.record") and sha256(data) in page.inner_text("dl.record")
    assert page.locator(".integrity.good").count() == 1
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "evidence-detail.png"), full_page=True)

    with page.expect_download() as download_info:
        page.click("a[href$='receipt.json']")
    receipt_path = tmp_path / "receipt.json"
    download_info.value.save_as(receipt_path)
    receipt = json.loads(receipt_path.read_text())
    verified = verify_receipt(receipt, verifier_key=ledger.record.verifier_key, file_bytes=data)
    assert verified.index == Evidence.objects.get().ledger_index

    page.goto(f"{live_server.url}/evidence/")
    assert "2019 年产品手册" in page.inner_text("table.records")
    page.screenshot(path=str(SCREENSHOTS / "evidence-list.png"), full_page=True)

    # The public page, signed out: the receipt and a wrong file, then the right one.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/verify/")
    page.set_input_files("#id_receipt", str(receipt_path))
    other = tmp_path / "other.pdf"
    other.write_bytes(b"%PDF-1.4 something else")
    page.set_input_files("#id_file", str(other))
    page.click("button[type=submit].primary")
    page.wait_for_selector(".verdict.bad")
    assert sha256(data) in page.inner_text(".verdict.bad")
    page.screenshot(path=str(SCREENSHOTS / "evidence-verify-bad.png"), full_page=True)
    page.set_input_files("#id_receipt", str(receipt_path))
    page.set_input_files("#id_file", str(document))
    page.click("button[type=submit].primary")
    page.wait_for_selector(".verdict.good")
    page.screenshot(path=str(SCREENSHOTS / "evidence-verify-good.png"), full_page=True)


def test_trade_secret_is_hashed_in_the_page_and_never_sent(live_server, page, ledger, owner, tmp_path):  # noqa: F811
    secret = b"TOP-SECRET-FORMULA: 37.5% resin, cure at 140 C for 12 minutes\n" * 50
    path = tmp_path / "formula.txt"
    path.write_bytes(secret)
    bodies = []
    page.on("request", lambda request: bodies.append(request.post_data_buffer or b""))
    _login(page, live_server, owner)
    page.goto(f"{live_server.url}/evidence/new/hash/")
    page.set_input_files("#local-file", str(path))
    page.wait_for_function("document.getElementById('id_sha256').value.length === 64")
    assert page.input_value("#id_sha256") == sha256(secret)
    page.check("#state-size")
    assert page.input_value("#id_size") == str(len(secret))
    page.select_option("#id_kind", "other")
    page.fill("#id_title", "涂料配方")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "evidence-trade-secret.png"), full_page=True)
    page.click("#hash-form button[type=submit].primary")
    page.wait_for_selector("dl.record")

    evidence = Evidence.objects.get()
    assert evidence.mode == "hash" and evidence.sha256 == sha256(secret) and evidence.size == len(secret)
    assert list(evidence_store().keys()) == []
    assert bodies and not any(b"TOP-SECRET" in body for body in bodies)
    verify_receipt(
        json.loads(page.request.get(f"{live_server.url}/evidence/{evidence.pk}/receipt.json").body()),
        verifier_key=ledger.record.verifier_key,
        file_bytes=secret,
    )

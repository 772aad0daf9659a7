"""A handler logs in, enters an invalid then a valid 统一社会信用代码, and sees the entity listed."""

import os
from pathlib import Path

import pytest

from huhang.accounts.models import User
from huhang.accounts.roles import Role
from tests.conftest import make_uscc

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(os.environ.get("HUHANG_SCREENSHOTS", "var/screenshots"))


def test_login_invalid_then_valid_uscc_then_listed(live_server, page, centre):
    User.objects.create_user(username="wang", password="a long passphrase", role=Role.HANDLER, organisation=centre)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "wang")
    page.fill("#id_password", "a long passphrase")
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{live_server.url}/registry/")

    page.goto(f"{live_server.url}/registry/entities/new/")
    good = make_uscc()
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    page.select_option("#id_kind", "enterprise")
    page.fill("#id_name", "武汉浏览器测试光电有限公司")
    page.fill("#id_uscc", bad)
    page.click("button[type=submit].primary")
    error = page.locator(".field-errors").first
    assert "校验码错误" in error.inner_text()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "entity-invalid-uscc.png"), full_page=True)

    page.fill("#id_uscc", good)
    page.click("button[type=submit].primary")
    page.wait_for_selector("dl.record")
    assert good in page.inner_text("dl.record")

    page.goto(f"{live_server.url}/registry/entities/?q=浏览器测试")
    row = page.locator("table.records tbody tr").first
    assert "武汉浏览器测试光电有限公司" in row.inner_text() and good in row.inner_text()
    page.screenshot(path=str(SCREENSHOTS / "entity-list.png"), full_page=True)

"""A handler uploads a spreadsheet; the page follows the queued import until the worker has done it."""

import pytest
from django.core.management import call_command
from django.test import override_settings

from huhang.accounts.models import User
from huhang.accounts.roles import Role
from huhang.registry.models import Entity
from tests.conftest import make_uscc
from tests.e2e.test_registry_browser import SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_upload_is_queued_then_followed_to_the_end(live_server, page, centre, tmp_path):
    User.objects.create_user(username="li", password="a long passphrase", role=Role.HANDLER, organisation=centre)
    csv = tmp_path / "企业名单.csv"
    rows = "".join(f"企业,武汉队列{i}有限公司,{make_uscc()}\n" for i in range(20))
    csv.write_bytes(("主体类型,名称,统一社会信用代码\n" + rows).encode("gb18030"))

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "li")
    page.fill("#id_password", "a long passphrase")
    page.click("button[type=submit].primary")
    page.goto(f"{live_server.url}/registry/entities/import/")
    page.set_input_files("#id_file", str(csv))
    page.click("button[type=submit].primary")
    page.wait_for_selector("#job-progress")
    assert page.get_attribute("#job-status", "data-status") == "queued"
    page.screenshot(path=str(SCREENSHOTS / "import-queued.png"), full_page=True)

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")
    page.wait_for_selector("#job-created")  # the page's script reloads it once the job has finished
    assert page.inner_text("#job-created") == "20"
    assert Entity.objects.filter(name__startswith="武汉队列").count() == 20
    page.screenshot(path=str(SCREENSHOTS / "import-done.png"), full_page=True)

"""The import, export and load_patents commands, as the ``huhang`` command line runs them."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from huhang.accounts.models import User
from huhang.audit.models import AuditEvent
from huhang.cli import main
from huhang.registry.models import Entity, Patent
from tests.conftest import make_uscc
from tests.registry.tabular.files import csv_bytes, read_csv, read_xlsx

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "patents"


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def good_file(write_file) -> Path:
    rows = [["主体类型", "名称", "统一社会信用代码"], ["企业", "甲", make_uscc()], ["企业", "乙", make_uscc()]]
    return write_file("entities.csv", csv_bytes(rows, encoding="gbk"))


def bad_file(write_file) -> Path:
    rows = [["主体类型", "名称", "统一社会信用代码"], ["企业", "甲", make_uscc()], ["公司", "", "x"]]
    return write_file("bad.csv", csv_bytes(rows))


def test_import(handler, write_file):
    out, _err = run("import", "entities", str(good_file(write_file)), "--as", "handler", "--language", "en")
    assert "Imported 2 rows into entities from entities.csv." in out
    assert Entity.objects.count() == 2


def test_import_of_a_bad_file_prints_every_problem_and_fails(handler, write_file, tmp_path):
    report = tmp_path / "report.xlsx"
    with pytest.raises(CommandError) as caught:
        run("import", "entities", str(bad_file(write_file)), "--as", "handler", "--errors-to", str(report))

    assert caught.value.returncode == 1
    assert Entity.objects.count() == 0
    rows = read_xlsx(report.read_bytes())
    # With no known kind, the identifier cannot be checked: an enterprise and a person need different ones.
    assert sorted((row[0], row[1]) for row in rows[1:]) == [(3, "主体类型"), (3, "名称")]


def test_the_command_line_exits_with_status_1_and_prints_the_rows(handler, write_file, capsys):
    with pytest.raises(SystemExit) as caught:
        main(["huhang", "import", "entities", str(bad_file(write_file)), "--as", "handler", "--language", "en"])

    assert caught.value.code == 1
    err = capsys.readouterr().err
    assert "     3  主体类型  Unknown value 公司" in err
    assert "     3  名称  A value is required." in err
    assert "Nothing was imported from bad.csv: 2 problem(s) in 1 row(s)." in err


def test_import_report_as_csv_and_a_bad_report_name(handler, write_file, tmp_path):
    report = tmp_path / "report.csv"
    with pytest.raises(CommandError):
        run("import", "entities", str(bad_file(write_file)), "--as", "handler", "--errors-to", str(report))
    assert len(read_csv(report.read_bytes())) == 3
    with pytest.raises(CommandError, match="xlsx"):
        run("import", "entities", str(bad_file(write_file)), "--as", "handler", "--errors-to", "r.txt")


def test_an_unreadable_file_fails_with_the_reason(handler, write_file):
    with pytest.raises(CommandError, match="PNG") as caught:
        run(
            "import",
            "entities",
            str(write_file("x.csv", b"\x89PNG\r\n\x1a\n....")),
            "--as",
            "handler",
            "--language",
            "en",
        )
    assert caught.value.returncode == 1


def test_who_acts(handler, supervisor, write_file):
    path = str(good_file(write_file))
    with pytest.raises(CommandError, match="exactly one administrator exists; there are 0"):
        run("import", "entities", path, "--language", "en")
    with pytest.raises(CommandError, match="No active user is named nobody"):
        run("import", "entities", path, "--as", "nobody", "--language", "en")
    with pytest.raises(CommandError, match="may not change the registry"):
        run("import", "entities", path, "--as", "supervisor", "--language", "en")


def test_the_only_administrator_acts_when_no_one_is_named(administrator, write_file):
    run("import", "entities", str(good_file(write_file)))
    assert AuditEvent.objects.get(action="registry.import").actor == administrator
    User.objects.create_superuser("root", password="correct horse battery")
    with pytest.raises(CommandError, match="--as"):
        run("import", "entities", str(good_file(write_file)))


def test_export(handler, supervisor, entity_factory, tmp_path):
    person = entity_factory(kind="individual")
    output = tmp_path / "entities.xlsx"

    run("export", "entities", "--output", str(output), "--as", "supervisor")

    rows = read_xlsx(output.read_bytes())
    assert rows[0][:2] == ("主体类型", "名称")
    assert rows[1][3] == person.resident_id[:6] + "********" + person.resident_id[-4:]
    event = AuditEvent.objects.get(action="registry.export")
    assert event.actor == supervisor
    assert event.details == {"file": "entities.xlsx", "format": "xlsx", "rows": 1}
    run("export", "entities", "--format", "csv", "--output", str(tmp_path / "e.dat"), "--as", "handler")
    assert read_csv((tmp_path / "e.dat").read_bytes())[1][3] == person.resident_id


def test_export_refusals_leave_no_file(handler, applicant, tmp_path):
    with pytest.raises(CommandError, match="--format"):
        run("export", "entities", "--output", str(tmp_path / "e.dat"), "--as", "handler", "--language", "en")
    with pytest.raises(CommandError, match="may not export"):
        run("export", "entities", "--output", str(tmp_path / "e.csv"), "--as", "applicant", "--language", "en")
    assert list(tmp_path.iterdir()) == []


def test_load_patents(handler, tmp_path):
    source = DATA / "cn_titles_ipc_lxingy3.jsonl"
    if not source.is_file():
        pytest.skip(f"the shared patent data is absent: {source.resolve()}")
    with source.open(encoding="utf-8") as handle:
        sample = [next(handle) for _ in range(20)]
    unnumbered = (DATA / "cn_abstracts_kppatent_zh.jsonl").open(encoding="utf-8").readline()
    path = tmp_path / "cn.jsonl"
    path.write_text("".join([*sample, unnumbered]), encoding="utf-8")

    out, _err = run("load_patents", str(path), "--as", "handler", "--language", "en")

    assert "cn.jsonl: 21 records, 20 created, 0 already in the register, 1 skipped." in out
    assert "skipped 1: its id is not a publication number, so it cannot be numbered (e.g. kppatent-zh-test-0000)" in out
    assert Patent.objects.count() == 20
    out, _err = run("load_patents", str(path), "--as", "handler", "--language", "en")
    assert "0 created, 20 already in the register" in out


def test_load_patents_needs_existing_files(handler, tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        run("load_patents", str(tmp_path / "missing.jsonl"), "--as", "handler", "--language", "en")

"""Court cases imported from a court's export, all or nothing, and K7/K8 computed from them
(CPL 2023 Arts. 152, 164, 168: 6, 3 and 2 months; 民诉法解释 Art. 243 for what is excluded)."""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from huhang.accounts.models import Organisation
from huhang.cases.court_import import CourtImportError, court_cases_import
from huhang.cases.models import Case
from huhang.cases.selectors import judicial_indicators
from tests.cases.conftest import make_user

pytestmark = pytest.mark.django_db
HEADERS = "案号,案件名称,程序,立案日期,延长审限（月）,延长批准日期,中止日期,恢复日期,结案方式,结案日期,涉外,原告,被告"
GOOD = [
    "（2025）鄂01知民初101号,甲公司诉乙公司侵害发明专利权纠纷,普通程序,2025-03-03,,,,,判决,2025-08-20,否,甲公司,乙公司",
    "（2025）鄂01知民初102号,丙公司诉丁公司侵害商标权纠纷,简易程序,2025-04-01,1,2025-06-20,,,调解,2025-07-25,否,丙公司,丁公司",
    "（2025）鄂01知民初103号,戊诉己侵害著作权纠纷,小额诉讼,2025-05-06,,,,,判决,2025-08-10,否,戊,己",
    "（2025）鄂01知民初104号,庚公司诉辛公司技术合同纠纷,普通程序,2025-09-01,,,2025-10-08,2025-11-10,,,否,庚公司,辛公司",
]


@pytest.fixture
def court_user(db):
    court = Organisation.objects.create(name="武汉知识产权法庭", kind="court")
    return make_user("court_clerk", "partner", court)


def _csv(tmp_path, rows, name="court.csv"):
    path = tmp_path / name
    path.write_text("\n".join([HEADERS, *rows]) + "\n", encoding="utf-8")
    return path


def test_court_cases_are_imported_with_their_steps(court_user, tmp_path):
    seen = []
    assert court_cases_import(actor=court_user, source=_csv(tmp_path, GOOD), progress=lambda d, t: seen.append(d)) == 4
    assert seen == [1, 2, 3, 4]
    summary = Case.objects.get(number="（2025）鄂01知民初102号")
    assert [e.action for e in summary.events.order_by("seq")] == [
        "file_summary",
        "extend_summary",
        "close_by_mediation",
    ]
    assert summary.events.get(action="extend_summary").actor_role == "court_president"
    still_open = Case.objects.get(number="（2025）鄂01知民初104号")
    assert still_open.is_open and [e.action for e in still_open.events.order_by("seq")][-1] == "resume"


def test_k7_and_k8_are_computed_from_the_imported_cases(court_user, tmp_path):
    court_cases_import(actor=court_user, source=_csv(tmp_path, GOOD))
    k = judicial_indicators(Case.objects.all())
    # 101: within 6 months; 102: within 3 + 1 months; 103: small claims, 2 months from 6 May (6 July, a Sunday →
    # 7 July) — closed 10 August, late.
    assert (k["closed"], k["within_limit"]) == (3, 2)
    days = [
        (dt.date(2025, 8, 20) - dt.date(2025, 3, 3)).days,
        (dt.date(2025, 7, 25) - dt.date(2025, 4, 1)).days,
        (dt.date(2025, 8, 10) - dt.date(2025, 5, 6)).days,
    ]
    assert k["mean_days"] == sum(days) / 3
    # the indicators K7 and K8 read the same figures
    from huhang.monitoring.measures import mean_closing_days, within_time_limit
    from huhang.monitoring.periods import parse_period

    year = parse_period("2025")
    k7, k8 = within_time_limit(year, dt.date(2025, 12, 31)), mean_closing_days(year, dt.date(2025, 12, 31))
    assert (k7.denominator, k7.numerator) == (k["closed"], k["within_limit"])
    assert k8.value == Decimal(k["mean_days"]).quantize(Decimal("0.1"), ROUND_HALF_UP)


def test_a_bad_file_is_refused_row_by_row_and_nothing_is_imported(court_user, tmp_path):
    bad = [
        GOOD[0],
        "（2025）鄂01知民初105号,某案,特别程序,2025-03-03,,,,,判决,2025-05-01,否,,",
        "（2025）鄂01知民初106号,某案,普通程序,2025-03-03,,,,,判决,2025-02-01,否,,",
        "（2025）鄂01知民初107号,某案,普通程序,2025-03-03,,,,,判决,,否,,",
        GOOD[0],
    ]
    with pytest.raises(CourtImportError) as caught:
        court_cases_import(actor=court_user, source=_csv(tmp_path, bad))
    rows = {p.row for p in caught.value.problems}
    assert rows == {3, 4, 5, 6}
    assert any("程序" in p.message for p in caught.value.problems if p.row == 3)
    assert not Case.objects.exists()


def test_only_a_court_user_imports(clerk, tmp_path):
    with pytest.raises(PermissionDenied):
        court_cases_import(actor=clerk, source=_csv(tmp_path, GOOD))


def test_the_command_imports_and_reports_errors(court_user, tmp_path, capsys):
    call_command("cases", "import-court", str(_csv(tmp_path, GOOD[:1])), "--as", "court_clerk")
    assert "imported 1 court cases" in capsys.readouterr().out
    with pytest.raises(CommandError, match="第2行"):
        call_command("cases", "import-court", str(_csv(tmp_path, GOOD[:1], "again.csv")), "--as", "court_clerk")


def test_dates_are_read_as_the_registry_imports_read_them(court_user, tmp_path):
    row = "（2025）鄂01知民初108号,甲公司诉乙公司侵害发明专利权纠纷,普通程序,2025/3/3,,,,,判决,2025年8月20日,否,甲,乙"
    assert court_cases_import(actor=court_user, source=_csv(tmp_path, [row])) == 1
    case = Case.objects.get(number="（2025）鄂01知民初108号")
    assert case.opened_on == dt.date(2025, 3, 3) and case.closed_on == dt.date(2025, 8, 20)
    with pytest.raises(CourtImportError) as caught:
        court_cases_import(
            actor=court_user,
            source=_csv(tmp_path, [row.replace("108号", "109号").replace("2025/3/3", "三月三日")], "bad.csv"),
        )
    assert "立案日期" in caught.value.problems[0].message

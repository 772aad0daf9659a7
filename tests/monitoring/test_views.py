"""The dashboard, an indicator's page with its records, the exports (numbers equal the page's) and access."""

import io
import shutil
import subprocess

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from huhang.monitoring import selectors
from huhang.monitoring.indicators import INDICATORS
from huhang.monitoring.models import Statistic
from huhang.monitoring.periods import year

from .conftest import TODAY


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


def test_applicants_do_not_see_the_indicators(client, applicant):
    client.force_login(applicant)
    assert client.get(reverse("monitoring:dashboard")).status_code == 403


def test_the_dashboard_shows_every_indicator_with_value_target_and_status(client, supervisor, zone):
    client.force_login(supervisor)
    page = client.get(reverse("monitoring:dashboard"), {"period": "2025"})
    html = page.content.decode()
    assert page.status_code == 200
    for n in range(1, 20):
        assert f'id="kpi-K{n}"' in html
    assert "66.67" in html and "无数据" in html and "83.5" in html
    assert "/static/huhang/vendor/echarts-5.6.0/echarts.common.min.js" in html and "cdn" not in html.lower()


def test_a_bad_period_is_explained_on_the_page(client, supervisor, zone):
    client.force_login(supervisor)
    html = client.get(reverse("monitoring:dashboard"), {"period": "2025Q7"}).content.decode()
    assert "无法识别期间" in html or "Cannot read the period" in html


def test_an_indicator_page_lists_the_records_behind_its_figure_with_links(client, supervisor, zone):
    from huhang.cases.models import Case

    client.force_login(supervisor)
    html = client.get(reverse("monitoring:detail", args=["K7"]), {"period": "2025"}).content.decode()
    for case in Case.objects.filter(category="judicial", closed_on__year=2025):
        assert reverse("cases:detail", args=[case.pk]) in html
    assert "2 ÷ 3" in html


def test_the_trend_json_has_the_months_and_the_published_history(client, supervisor, zone):
    client.force_login(supervisor)
    data = client.get(reverse("monitoring:trend", args=["K3"]), {"period": "2025"}).json()
    assert data["months"][0] == "2025-01" and data["values"][-1] == 3 and data["target"] == 85000


def test_the_xlsx_export_has_an_overview_and_a_sheet_per_indicator_equal_to_the_page(client, supervisor, zone):
    client.force_login(supervisor)
    response = client.get(reverse("monitoring:export"), {"period": "2025"})
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[0] == "总览" and len(book.sheetnames) == 20
    overview = {row[0]: row for row in book["总览"].iter_rows(min_row=3, values_only=True)}
    for figure in selectors.dashboard(year(2025), today=TODAY):
        cell = overview[figure.indicator.id][2]
        assert cell == ("无数据" if figure.value is None else pytest.approx(float(figure.value)))
    k9 = [row for row in book[book.sheetnames[9]].iter_rows(values_only=True)]
    assert k9[0][0] == "K9" and {"一站", "二站"} <= {row[0] for row in k9 if row}


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils is not installed")
def test_the_pdf_report_is_chinese_text_with_the_pages_numbers(client, supervisor, zone, tmp_path):
    client.force_login(supervisor)
    response = client.get(reverse("monitoring:report"), {"period": "2025"})
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "report.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True).stdout
    assert "武汉市国家知识产权保护示范区建设指标监测报告" in text
    assert "66.67" in text and "90.0" in text and "知识产权审判案件法定审限内结案率" in text


def test_editors_record_statistics_and_targets_from_the_pages(client, supervisor, handler, zone):
    client.force_login(handler)
    assert client.post(reverse("monitoring:statistics"), {"name": "x"}).status_code == 403
    client.force_login(supervisor)
    response = client.post(
        reverse("monitoring:statistics"),
        {"name": "地区生产总值", "code": "gdp", "period": "2026", "value": "22000", "unit": "亿元", "scope": "Wuhan",
         "source_title": ""},
    )  # fmt: skip
    assert response.status_code == 200 and not Statistic.objects.filter(period="2026").exists()
    response = client.post(
        reverse("monitoring:target", args=["K6"]),
        {"from_year": 2026, "value": "4000", "source_title": "2026年知识产权保护工作要点"},
    )
    assert response.status_code == 302
    assert selectors.target_for(INDICATORS[5], year(2026)).value == 4000


def test_editors_load_a_statistics_file_from_the_page_and_see_it_as_history(client, supervisor, zone):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(supervisor)
    header = "indicator,period,value,unit,scope,source_url,source_title,note,confidence\n"
    good = header + "作品版权登记量 (copyright work registrations),2022,77464,件,Wuhan,,新闻发布会,,press\n"
    bad = good + "作品版权登记量 (copyright work registrations),2023,many,件,Wuhan,,新闻发布会,,press\n"
    response = client.post(reverse("monitoring:statistics"), {"file": SimpleUploadedFile("s.csv", bad.encode())})
    assert response.status_code == 200 and not Statistic.objects.filter(indicator="K3").exists()
    response = client.post(reverse("monitoring:statistics"), {"file": SimpleUploadedFile("s.csv", good.encode())})
    assert response.status_code == 302
    data = client.get(reverse("monitoring:trend", args=["K3"]), {"period": "2025"}).json()
    assert data["history"] == [{"period": "2022", "value": 77464.0, "source": "新闻发布会"}]

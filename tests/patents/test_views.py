"""Pages of patent analytics: who may open them, what they show, bad input, the exports."""

import base64
import io
import re
import shutil
import subprocess
import sys
import zlib

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from huhang.audit.models import AuditEvent
from tests.patents.conftest import OWN

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_user(client, settings):
    """Log ``user`` in; pages in English (messages are checked in English), or Chinese with ``lang``."""

    def login(user, lang="en"):
        client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
        return client

    return login


# -------------------------------------------------------------------------------------------------- access


@pytest.mark.parametrize(
    "who, search, navigation, risk",
    [
        ("handler", 200, 200, 200),
        ("approver", 200, 200, 200),
        ("supervisor", 200, 200, 200),
        ("administrator", 200, 200, 200),
        ("partner", 200, 200, 403),
        ("applicant", 200, 403, 403),
    ],
)
def test_who_may_open_which_page(request, analytics, as_user, who, search, navigation, risk):
    client = as_user(request.getfixturevalue(who))
    assert client.get(reverse("patents:search")).status_code == search
    assert client.get(reverse("patents:navigation")).status_code == navigation
    assert client.get(reverse("patents:navigation-xlsx")).status_code == navigation
    assert client.get(reverse("patents:risk")).status_code == risk
    assert client.post(reverse("patents:risk-pdf"), {"products": "激光切割"}).status_code == risk


def test_pages_need_a_login(client, analytics):
    response = client.get(reverse("patents:search"), {"q": "驱鸟"})
    assert response.status_code == 302 and "login" in response["Location"]


# -------------------------------------------------------------------------------------------------- search


def test_search_shows_ranked_hits_with_highlighted_passages(analytics, as_user, applicant):
    client = as_user(applicant)
    response = client.get(reverse("patents:search"), {"q": "高压输电线路驱鸟", "top": "5"})
    assert response.status_code == 200
    hits = response.context["result"].hits
    assert hits[0].id == "CN114081026A"
    page = response.content.decode()
    assert "<mark>驱鸟</mark>" in page and reverse("patents:detail", args=["CN114081026A"]) in page


def test_search_keeps_the_chosen_language(analytics, as_user, handler):
    client = as_user(handler)
    english = client.get(reverse("patents:search"), {"q": "pizza box 切割", "lang": "en"}).context["result"]
    chinese = client.get(reverse("patents:search"), {"q": "pizza box 切割", "lang": "zh"}).context["result"]
    assert english.hits and {hit.lang for hit in english.hits} == {"en"}
    assert chinese.hits and {hit.lang for hit in chinese.hits} == {"zh"}


@pytest.mark.parametrize(
    "params, field, message",
    [
        ({"q": "的 一种 the"}, "q", "no word to search for"),
        ({"q": "驱鸟", "top": "0"}, "top", "greater than or equal to 1"),
        ({"q": "驱鸟", "top": "500"}, "top", "less than or equal to 100"),
        ({"q": "驱鸟", "lang": "fr"}, "lang", "Select a valid choice"),
        ({"q": "x" * 2001}, "q", "at most 2000 characters"),
    ],
)
def test_bad_search_input_is_refused_with_a_clear_message(analytics, as_user, handler, params, field, message):
    response = as_user(handler).get(reverse("patents:search"), params)
    assert response.status_code == 400 and list(response.context["form"].errors) == [field]
    assert message in response.content.decode().replace("&#x27;", "'")


def test_search_without_data_says_what_to_do(data_dir, as_user, handler):
    response = as_user(handler).get(reverse("patents:search"), {"q": "驱鸟"})
    assert response.status_code == 503 and "huhang patents load" in response.content.decode()


def test_search_without_an_index_says_to_build_it(analytics, as_user, handler):
    from huhang.patents.paths import index_dir

    shutil.rmtree(index_dir())
    response = as_user(handler).get(reverse("patents:search"), {"q": "驱鸟"})
    assert response.status_code == 503 and "huhang patents index" in response.content.decode()


def test_a_busy_store_is_reported_not_waited_for(analytics, as_user, handler):
    client = as_user(handler)
    holder = "import duckdb, sys; con = duckdb.connect(sys.argv[1]); print('locked', flush=True); sys.stdin.read()"
    writer = subprocess.Popen(
        [sys.executable, "-c", holder, str(analytics)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert writer.stdout.readline().strip() == "locked"
        response = client.get(reverse("patents:search"), {"q": "驱鸟"})
        assert response.status_code == 503 and "being updated" in response.content.decode()
    finally:
        writer.communicate("", timeout=30)
    assert client.get(reverse("patents:search"), {"q": "驱鸟"}).status_code == 200


# -------------------------------------------------------------------------------------------------- a patent


def test_detail_shows_the_record_and_its_classification(analytics, as_user, handler):
    response = as_user(handler, lang="zh-hans").get(reverse("patents:detail", args=["CN114081026A"]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "一种水电站高压输电线路驱鸟保护装置" in page and "H02G1/00" in page and "国网湖北省电力有限公司" in page
    names = [c["name"] for c in response.context["categories"]]
    assert names[0] == "有效发明专利" and "战略性新兴产业的发明专利" in names
    assert response.context["overall"] in ("yes", "no", "unknown")


def test_detail_of_an_unknown_patent_is_404(analytics, as_user, handler):
    assert as_user(handler).get(reverse("patents:detail", args=["CN999"])).status_code == 404


def test_detail_ids_may_contain_slashes(analytics, as_user, handler, tmp_path):
    from huhang.analytics import PatentStore
    from tests.analytics.conftest import record, write_jsonl

    with PatentStore(analytics) as store:
        store.load_files([write_jsonl(tmp_path / "za.jsonl", [record("za2005/02132", title="Slashed", lang="en")])])
    response = as_user(handler).get(reverse("patents:detail", args=["za2005/02132"]))
    assert response.status_code == 200 and "Slashed" in response.content.decode()


# -------------------------------------------------------------------------------------------------- navigation


def test_navigation_shows_counts_with_titles_and_chart_data(analytics, as_user, partner):
    response = as_user(partner).get(reverse("patents:navigation"), {"level": "subclass"})
    assert response.status_code == 200
    data = response.context["data"]
    assert data.total == 7
    assert data.by_ipc.rows[0]["code"] == "B23K" and data.by_ipc.rows[0]["patents"] == 3
    assert data.by_ipc.rows[0]["title"]  # the Chinese title
    assert response.context["charts"]["ipc"][0][:2] == ["B23K", 3]
    page = response.content.decode()
    assert 'id="landscape-data"' in page and "echarts.common.min.js" in page
    assert "国网湖北省电力有限公司" in page
    assert "2 of 7 patents have no IPC code." in response.context["notes"]


def test_navigation_filters_narrow_the_corpus(analytics, as_user, handler):
    client = as_user(handler)
    by_ipc = client.get(reverse("patents:navigation"), {"ipc": "b23k"}).context["data"]
    assert by_ipc.total == 3 and by_ipc.query.ipc == "B23K"
    years = client.get(reverse("patents:navigation"), {"year_from": "2021", "year_to": "2022"}).context["data"]
    assert [(r["year"], r["patents"]) for r in years.by_year.rows] == [(2021, 1), (2022, 2)]
    own = client.get(reverse("patents:navigation"), {"applicant": OWN}).context["data"]
    assert own.total == 1


@pytest.mark.parametrize(
    "params, message",
    [
        ({"ipc": "G06F17"}, "is not an IPC code"),
        ({"year_from": "2022", "year_to": "2020"}, "The last year comes before the first."),
        ({"sei": "9.9.9"}, "is not a strategic emerging industry code"),
        ({"year_from": "abc"}, "Enter a whole number."),
        ({"level": "kingdom"}, "Select a valid choice"),
    ],
)
def test_bad_navigation_filters_are_refused(analytics, as_user, handler, params, message):
    for name in ("patents:navigation", "patents:navigation-xlsx", "patents:navigation-pdf"):
        response = as_user(handler).get(reverse(name), params)
        assert response.status_code == 400, name
        assert message in response.content.decode().replace("&#x27;", "'")


def test_navigation_xlsx_opens_with_the_page_figures(analytics, as_user, handler):
    response = as_user(handler).get(reverse("patents:navigation-xlsx"), {"level": "subclass"})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[:3] == ["概况", "IPC小类", "IPC趋势"]
    overview = {row[0]: row[1] for row in book["概况"].iter_rows(values_only=True) if row[0]}
    assert overview["范围内专利"] == 7
    ipc = list(book["IPC小类"].iter_rows(values_only=True))
    assert ipc[0][:4] == ("IPC", "名称", "名称语言", "专利数") and ipc[1][0] == "B23K" and ipc[1][3] == 3
    applicants = list(book["主要申请人"].iter_rows(values_only=True))
    assert {applicants[1][:2], applicants[2][:2]} == {("国网湖北省电力有限公司", 2), ("Acme Corp.", 2)}


def _pdf_text(content: bytes, tmp_path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_navigation_pdf_is_a_chinese_report_with_the_figures(analytics, as_user, handler, tmp_path):
    response = as_user(handler).get(reverse("patents:navigation-pdf"), {"ipc": "B23K"})
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    text = _pdf_text(response.content, tmp_path)
    assert "专利导航分析报告" in text and "分析范围：IPC B23K" in text and "范围内专利 3 件" in text
    assert "主要申请人" in text and OWN in text
    assert b"/FontFile2" in response.content  # the CJK font is embedded


# -------------------------------------------------------------------------------------------------- risk report

PRODUCTS = "一种光纤激光切割装置，包括光纤激光器、切割头和聚焦镜\n\n  一种超声波驱鸟器  \n"


def test_risk_report_ranks_others_patents_and_leaves_out_own_and_lapsed(analytics, as_user, handler):
    response = as_user(handler).post(reverse("patents:risk"), {"company": OWN, "products": PRODUCTS, "top": "5"})
    assert response.status_code == 200
    report = response.context["report"]
    assert [p.text for p in report.products] == [
        "一种光纤激光切割装置，包括光纤激光器、切割头和聚焦镜",
        "一种超声波驱鸟器",
    ]
    laser = [hit.id for hit in report.products[0].hits]
    assert laser[0] == "CN200000002A"
    assert "CN200000001A" not in laser  # the company's own
    assert "CN200000003A" not in laser  # lapsed
    assert report.own_patents == 1
    assert report.products[1].hits[0].id == "CN114081026A"
    assert 0 < report.products[0].hits[0].coverage <= 1
    page = response.content.decode()
    assert "<mark>聚焦镜</mark>" in page and '<span class="unknown-status">legal status unknown</span>' in page
    event = AuditEvent.objects.get(action="patents.risk_report")
    assert event.target == OWN and event.details == {"products": 2, "hits": report.hit_count, "format": "page"}


@pytest.mark.parametrize(
    "products, message",
    [
        ("", "This field is required."),
        ("\n \n", "This field is required."),
        ("\n".join(f"产品{n}激光" for n in range(21)), "give at most 20 products"),
        ("激光切割\n的 一种", "Paragraph 2 has no word to compare"),
        ("激" * 2001, "Paragraph 1 has 2001 characters"),
    ],
)
def test_bad_risk_input_is_refused_and_nothing_is_recorded(analytics, as_user, handler, products, message):
    for name in ("patents:risk", "patents:risk-pdf"):
        response = as_user(handler).post(reverse(name), {"company": OWN, "products": products})
        assert response.status_code == 400, name
        assert message in response.content.decode()
    assert not AuditEvent.objects.filter(action="patents.risk_report").exists()


def test_risk_pdf_highlights_the_matching_passages_and_says_status_is_unknown(analytics, as_user, handler, tmp_path):
    response = as_user(handler).post(reverse("patents:risk-pdf"), {"company": OWN, "products": PRODUCTS, "top": "3"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = re.sub(r"\s+", "", _pdf_text(response.content, tmp_path))
    assert "专利侵权风险分析报告" in text and f"企业：{OWN}生成日期" in text
    assert "CN200000002A" in text and "CN200000001A" not in text
    assert "法律状态未知" in text and "须向国家知识产权局核实" in text
    assert "摘要：一种激光切割头，包括聚焦镜和喷嘴" in text  # the matching passage
    assert ".752941 0 0 rg" in _page_streams(response.content)  # the highlighted words are drawn in red
    assert AuditEvent.objects.get(action="patents.risk_report").details["format"] == "pdf"


def _page_streams(content: bytes) -> str:
    """The PDF's content streams, decoded (ASCII85, Flate), to see the colours the text is drawn in."""
    out = []
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", content, re.S):
        data = match.group(1).strip()
        if data.endswith(b"~>"):
            data = base64.a85decode(data[:-2])
        try:
            out.append(zlib.decompressobj().decompress(data).decode("latin-1"))
        except zlib.error:
            continue  # not a compressed stream (fonts are, pages are): nothing to read
    return "\n".join(out)


# -------------------------------------------------------------------------------------------------- review additions


def test_the_search_index_is_kept_per_process_used_when_stale_with_a_warning_and_reloaded_when_rebuilt(
    analytics, as_user, handler, tmp_path
):
    from huhang.analytics import PatentStore
    from huhang.analytics.search import PatentSearch
    from huhang.patents import selectors
    from huhang.patents.paths import index_dir
    from tests.analytics.conftest import record, write_jsonl

    def cached_index():
        with selectors.opened_store() as store:
            return selectors.searcher(store).lexical_index()

    client = as_user(handler)
    first = cached_index()
    assert cached_index() is first  # loaded once, not per request
    with PatentStore(analytics) as store:
        store.load_files([write_jsonl(tmp_path / "new.jsonl", [record("CN300000001A", title="一种无人机", lang="zh")])])
    response = client.get(reverse("patents:search"), {"q": "无人机"})
    assert response.status_code == 200 and response.context["result"].stale
    assert "The search index predates the last load of patents" in response.content.decode()
    assert response.context["result"].hits == []  # the new patent is not in the index yet
    assert cached_index() is first
    with PatentStore(analytics) as store:
        PatentSearch(store, index_dir()).build()
    response = client.get(reverse("patents:search"), {"q": "无人机"})
    assert not response.context["result"].stale and [hit.id for hit in response.context["result"].hits] == [
        "CN300000001A"
    ]
    assert cached_index() is not first  # the rebuilt index replaced the process's copy


def test_a_busy_store_is_reported_on_navigation_even_with_an_industry_filter(analytics, as_user, handler):
    from huhang.patents import selectors

    code = selectors.sei_industries()[0][0]
    client = as_user(handler)
    holder = "import duckdb, sys; con = duckdb.connect(sys.argv[1]); print('locked', flush=True); sys.stdin.read()"
    writer = subprocess.Popen(
        [sys.executable, "-c", holder, str(analytics)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert writer.stdout.readline().strip() == "locked"
        response = client.get(reverse("patents:navigation"), {"sei": code})
        assert response.status_code == 503 and "being updated" in response.content.decode()
        assert "is not a strategic emerging industry code" not in response.content.decode()
    finally:
        writer.communicate("", timeout=30)
    assert client.get(reverse("patents:navigation"), {"sei": code}).status_code == 200


def test_navigation_xlsx_writes_names_from_the_data_as_plain_text(analytics, as_user, handler, tmp_path):
    from huhang.analytics import PatentStore
    from tests.analytics.conftest import record, write_jsonl

    formula = '=HYPERLINK("http://example.com","x")'
    with PatentStore(analytics) as store:
        odd = record(
            "CN300000002A", title="一种装置", lang="zh", applicants=[formula, "响铃\x07公司"], ipc=["B23K26/38"]
        )
        store.load_files([write_jsonl(tmp_path / "odd.jsonl", [odd])])
    response = as_user(handler).get(reverse("patents:navigation-xlsx"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content))["主要申请人"]
    cells = {row[0].value: row[0] for row in sheet.iter_rows(min_row=2)}
    assert cells[formula].data_type == "s"  # text, not a formula Excel would run
    assert "响铃公司" in cells  # a control character Excel refuses is dropped, not a server error


def test_risk_coverage_uses_the_words_the_index_was_built_from(analytics, tmp_path):
    from huhang.analytics import PatentStore
    from huhang.analytics.search import Tokenizer
    from huhang.patents.risk import _words
    from tests.analytics.conftest import record, write_jsonl

    with PatentStore(analytics) as store:
        store.load_files(
            [write_jsonl(tmp_path / "late.jsonl", [record("CN300000003A", title="激光焊接机", lang="zh")])]
        )
    tokenizer = Tokenizer()
    with PatentStore(analytics, read_only=True) as store:
        texts = dict(store.query("SELECT id, concat_ws(' ', title, abstract, claims) FROM patents"))
        words = _words(store, tokenizer, list(texts))  # CN300000003A is not indexed: tokenised on the spot
    assert words == {patent_id: set(tokenizer.tokens(text)) for patent_id, text in texts.items()}
    assert {"激光", "焊接机"} <= words["CN300000003A"]

"""Fixtures of the patent-analytics app: the site's URLs with the app mounted, and a small analytical store
(real reference tables, a few hand-written records) in a throw-away data directory, indexed and classified."""

from __future__ import annotations

import shutil

import pytest

from tests.analytics.conftest import classification_dir, record, reference_template, write_jsonl  # noqa: F401

OWN = "武汉长江光电有限公司"
DOCS = [
    record(
        "CN114081026A", title="一种水电站高压输电线路驱鸟保护装置", lang="zh", country="CN", ipc=["H02G1/00"],
        abstract="本发明公开了一种高压输电线路驱鸟保护装置，通过超声波驱鸟器防止鸟类在输电线路杆塔上筑巢。",
        applicants=["国网湖北省电力有限公司"], app_date="2021-03-02",
        extra={"pub_date": "2022-02-22", "region": "湖北", "legal_status": "valid", "kind": "invention"},
    ),
    record(
        "CN114034375A", title="一种特高压输电线路噪声测量系统及方法", lang="zh", country="CN", ipc=["G01H17/00"],
        abstract="一种特高压输电线路噪声测量系统，包括声学传感器和数据采集装置。",
        applicants=["国网湖北省电力有限公司"], extra={"pub_date": "2022-02-18", "region": "湖北"},
    ),
    record(
        "CN200000001A", title="一种光纤激光切割装置", lang="zh", country="CN", ipc=["B23K26/38"], applicants=[OWN],
        abstract="一种光纤激光切割装置，包括光纤激光器、切割头和冷却水箱，切割头设有聚焦镜。",
        extra={"pub_date": "2020-05-01", "region": "湖北", "legal_status": "valid"},
    ),
    record(
        "CN200000002A", title="一种激光切割头", lang="zh", country="CN", ipc=["B23K26/38"],
        applicants=["深圳某激光公司"],
        abstract="一种激光切割头，包括聚焦镜和喷嘴，适用于光纤激光器的切割装置。",
        claims="1.一种激光切割头，其特征在于，包括聚焦镜、喷嘴和冷却水路。",
        extra={"pub_date": "2021-07-09", "region": "广东"},
    ),
    record(
        "CN200000003A", title="一种光纤激光切割机", lang="zh", country="CN", ipc=["B23K26/38"],
        applicants=["某失效专利公司"],
        abstract="一种光纤激光切割机，包括光纤激光器和切割头。",
        extra={"pub_date": "2019-03-01", "region": "江苏", "legal_status": "lapsed"},
    ),
    record(
        "US5375761", title="Pizza box and method of disposing of used pizza boxes", lang="en", country="US",
        abstract="A pizza box made of corrugated board that folds into a compact bundle for disposal.",
        applicants=["Acme Corp."], app_date="1994-12-27", extra={"pub_date": "1994-12-27"},
    ),
    record(
        "US0000001", title="Folding carton for baked goods", lang="en", country="US", applicants=["Acme Corp."],
        app_date="1999-02-01", extra={"pub_date": "1999-08-01"},
    ),
]  # fmt: skip


@pytest.fixture(autouse=True)
def _patents_urls(settings):
    settings.ROOT_URLCONF = "tests.patents.urls"


@pytest.fixture
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"
    return settings.DATA_DIR


@pytest.fixture
def analytics(data_dir, tmp_path, reference_template):  # noqa: F811
    """The small store, loaded, indexed and classified; returns its path."""
    from huhang.analytics import PatentStore, classify
    from huhang.analytics.search import PatentSearch
    from huhang.patents.paths import index_dir, store_path

    path = store_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(reference_template, path)
    with PatentStore(path) as store:
        store.load_files([write_jsonl(tmp_path / "docs.jsonl", DOCS)])
        PatentSearch(store, index_dir()).build()
        classify(store)
    return path

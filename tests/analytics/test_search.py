import hashlib
import itertools
import json

import numpy as np
import pytest

from huhang.analytics import LoadError, SearchError
from huhang.analytics.search import DenseIndex, PatentSearch, Query, SentenceTransformerEncoder, Tokenizer, read_queries
from tests.analytics.conftest import head, record, write_jsonl

DOCS = [
    record("CN114081026A", title="一种水电站高压输电线路驱鸟保护装置", lang="zh"),
    record("CN114034375A", title="一种特高压输电线路噪声测量系统及方法", lang="zh"),
    record(
        "CN106755349A",
        title="一种乳腺癌基因检测试剂盒",
        abstract="本发明公开了一种乳腺癌基因检测试剂盒。该试剂盒灵敏度高。",
        lang="zh",
    ),
    record(
        "US5255349A",
        title="Electronic neural network for solving traveling salesman problems",
        abstract="A novel high-speed neural network processor. It solves global optimization problems.",
        lang="en",
    ),
    record("US5375761", title="Pizza box and method of disposing of used pizza boxes", lang="en"),
    record("US0000001", title="Folding carton for baked goods", claims="1. A carton comprising a lid.", lang="en"),
]


class CharacterEncoder:
    """A small deterministic encoder for the tests: hashed character bigrams, 64 dimensions."""

    name = "test-bigrams"

    def encode(self, texts):
        out = np.zeros((len(texts), 64), dtype=np.float32)
        for row, text in enumerate(texts):
            text = text.lower()
            for a, b in itertools.pairwise(text):
                out[row, hashlib.blake2b((a + b).encode(), digest_size=1).digest()[0] % 64] += 1
        return out


@pytest.fixture
def loaded(store):
    store.load_records(DOCS, source="test")
    return store


@pytest.fixture
def search(loaded, tmp_path):
    searcher = PatentSearch(loaded, tmp_path / "search")
    searcher.build()
    return searcher


def test_chinese_is_segmented_so_a_word_inside_a_title_is_found(search):
    hits = search.search("输电线路驱鸟", top=3)  # no spaces: segmented like the titles
    assert hits[0].id == "CN114081026A"
    assert {hit.id for hit in hits} == {"CN114081026A", "CN114034375A"}
    passage = hits[0].passages[0]
    assert passage.field == "title"
    assert [passage.text[a:b] for a, b in passage.highlights] == ["输电线路驱鸟"]
    assert search.search("乳腺癌", top=1)[0].id == "CN106755349A"


def test_english_is_stemmed_and_stop_words_dropped(search):
    hits = search.search("the networks for salesmen", top=2)
    assert hits[0].id == "US5255349A"
    assert search.search("boxes", top=1)[0].id == "US5375761"
    assert search.search("of the and", top=5) == []
    passages = search.search("optimization processors", top=1)[0].passages  # one per sentence of the abstract
    assert [(p.field, [p.text[a:b] for a, b in p.highlights]) for p in passages] == [
        ("abstract", ["processor"]),
        ("abstract", ["optimization"]),
    ]  # equal weight (each word is in one document): in the order of the text


def test_batches_return_ids_and_scores_per_query(search):
    results = search.search_many([Query("q1", "pizza box"), Query(2, "高压输电"), Query("q3", "zzzz")], top=2)
    assert [i for i, _ in results[0]] == ["US5375761"]
    assert next(i for i, _ in results[1]) in {"CN114081026A", "CN114034375A"} and len(results[1]) == 2
    assert all(score > 0 for _, score in results[1]) and results[1][0][1] >= results[1][1][1]
    assert results[2] == []


def test_the_index_is_persisted_and_rebuilt_when_stale(search, loaded, tmp_path):
    again = PatentSearch(loaded, tmp_path / "search")
    assert again.is_current() and again.search("驱鸟", top=1)[0].id == "CN114081026A"
    loaded.load_records([record("CN999", title="一种智能驱鸟无人机", lang="zh")], source="test")
    assert not again.is_current()
    assert again.ensure() is True
    assert {hit.id for hit in again.search("驱鸟", top=5)} == {"CN114081026A", "CN999"}
    assert loaded.query("SELECT count(*) FROM search_tokens")[0][0] == len(DOCS) + 1


def test_no_index_and_empty_queries(loaded, tmp_path):
    searcher = PatentSearch(loaded, tmp_path / "nothing")
    with pytest.raises(SearchError, match="no search index"):
        searcher.search("驱鸟")
    with pytest.raises(SearchError, match="empty"):
        searcher.search("  ")
    with pytest.raises(SearchError, match="needs a local embedding model"):
        searcher.search("驱鸟", mode="dense")


def test_dense_option_with_an_encoder(loaded, tmp_path):
    searcher = PatentSearch(loaded, tmp_path / "search", encoder=CharacterEncoder())
    searcher.build()
    dense = searcher.search_many([Query(1, "pizza boxes")], top=1, mode="dense")[0]
    assert dense[0][0] == "US5375761" and 0 < dense[0][1] <= 1.0001
    hybrid = searcher.search("乳腺癌基因", top=3)  # hybrid by default when an encoder is configured
    assert hybrid[0].id == "CN106755349A"
    assert hybrid[0].score == pytest.approx(2 / 61)  # first in both lists: 1/(60+1) twice
    assert (tmp_path / "search" / "dense" / "test-bigrams" / "vectors.npy").is_file()
    other = CharacterEncoder()
    other.name = "another"
    with pytest.raises(SearchError, match="built with test-bigrams"):
        DenseIndex.load(tmp_path / "search" / "dense" / "test-bigrams").search(other, ["x"], 1)


def test_a_model_directory_is_required_and_nothing_is_downloaded(tmp_path):
    with pytest.raises(SearchError, match="not a local sentence-transformers model"):
        SentenceTransformerEncoder(tmp_path / "no-model")
    with pytest.raises(SearchError, match="not a local sentence-transformers model"):
        SentenceTransformerEncoder("sentence-transformers/all-MiniLM-L6-v2")


def test_read_queries_reports_bad_lines(tmp_path):
    path = write_jsonl(
        tmp_path / "q.jsonl",
        [
            {"id": "a", "text": "pizza"},
            "{bad",
            {"id": 7, "text": ""},
            {"text": "no id"},
            {"id": "a", "text": "again"},
            {"id": 8, "text": "ok"},
        ],
    )
    with pytest.raises(LoadError) as caught:
        read_queries(path)
    assert [(p.line, p.field) for p in caught.value.problems] == [(2, ""), (3, "text"), (4, "id"), (5, "id")]
    queries, problems = read_queries(path, skip_bad=True)
    assert [(q.id, q.text) for q in queries] == [("a", "pizza"), (8, "ok")] and len(problems) == 4


def test_tokenizer_offsets_point_into_the_text():
    text = "５Ｇ基站的天线，Antenna arrays"
    assert list(Tokenizer().spans(text)) == [
        ("5g", 0, 2),  # full-width read as half-width, offsets unchanged
        ("基站", 2, 4),
        ("天线", 5, 7),  # 的 is a stop word
        ("antenna", 8, 15),
        ("array", 16, 22),  # stemmed
    ]


def test_real_chinese_abstracts_are_searchable(store, tmp_path, patents_dir):
    path = head(patents_dir / "cn_abstracts_kppatent_zh.jsonl", tmp_path / "kp.jsonl", 200)
    store.load_files([path])
    first = json.loads(path.read_text(encoding="utf-8").splitlines()[0])
    searcher = PatentSearch(store, tmp_path / "search")
    searcher.build()
    assert searcher.search("薄矿体智能掘进机开采", top=3)[0].id == first["id"]


def test_keep_filters_hits_and_looks_deeper_until_enough_are_kept(search):
    asked = []

    def only_english(ids):
        asked.append(list(ids))
        return {i for i in ids if i.startswith("US")}

    hits = search.search("pizza 输电线路 neural", top=2, keep=only_english)
    assert {hit.id for hit in hits} == {"US5375761", "US5255349A"}
    assert all(hit.id.startswith("US") for hit in hits) and asked
    assert search.search("输电线路", top=5, keep=lambda ids: set()) == []
    assert len(search.lexical_index()) == search.document_count() == len(DOCS)


def test_a_loaded_index_can_be_handed_in(search, loaded, tmp_path):
    from huhang.analytics.search import LexicalIndex

    index = LexicalIndex.load(search.lexical_dir)
    shared = PatentSearch(search.store, search.index_dir, lexical=index)
    assert shared.lexical_index() is index
    assert [hit.id for hit in shared.search("驱鸟")] == ["CN114081026A"]

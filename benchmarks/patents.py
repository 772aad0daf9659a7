"""Patent-analytics benchmark: loading, high-value classification, a landscape and search at 1,000,000 patents,
and retrieval quality against plain BM25 on real data.

**The 1,000,000 records are the real records scaled up.** The shared data (``../shared/data/patents``, 72,709
records the loader accepts) are repeated until there are 1,000,000: copy 0 keeps each id, copy k gets the suffix
``-k`` on its id (``CN114081026A-3``); titles, abstracts, claims, codes and applicants are unchanged, so the
text statistics are those of the real data, with every text present about 14 times. Each measurement is set
against a reference done in the same run on the same data without the platform:

- load (``PatentStore.load_files``: validation line by line, normalised rows, IPC and applicant tables) against
  DuckDB's own ``read_json`` of the same file into one table, and SHA-256 of the file (read speed);
- classification (``high_value.classify``) against DuckDB scanning what it reads: the concordance join and the
  lower-cased text;
- landscape (everything the navigation page shows, ``selectors.landscape``; and ``by_ipc``) against the bare
  ``GROUP BY`` of IPC subclasses;
- search p50/p95 (``PatentSearch.search``: tokenise, BM25, passages) against bm25s's ``retrieve`` on the same
  index with the query already tokenised.

Retrieval quality (recall@10, nDCG@10) uses the real records only (72,709), two query sets:

- **citations (prior art, English)**: ``en_synbio_oldham`` lists for each family the patents it cites and is cited
  by. A query is a citing patent of that file (title, abstract, first claim); its relevant documents are the
  patents it cites that are in the corpus, found by their numbers among the family members of the file's
  records (either direction of the lists). Self-matches are removed from the ranking;
- **keyphrases (Chinese, a proxy)**: KPPatent-ZH's gold keyphrases of each abstract, joined, as the query; the
  relevant document is that abstract's patent. No real Chinese citation set is in the shared data.

Baselines use the same BM25 (bm25s, Lucene, k1 1.5, b 0.75) and the same fields, with other tokenisers: bm25s's
default (lower case, ``\\w\\w+`` runs, English stop words: a Chinese run is one token) and, for Chinese, character
bigrams (a segmentation-free baseline).
"""

from __future__ import annotations

import hashlib
import json
import math
import random
import re
import statistics
import time
from pathlib import Path

from benchmarks.harness import Result, median_p95, say

BENCHMARKS = ("load", "classify", "landscape", "search", "quality")
SHARED = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
FULL, QUICK = 1_000_000, 20_000
QUERIES = 200


def run(*, quick: bool, work_dir: Path, only: str | None = None) -> list[Result]:
    from huhang.analytics import PatentStore, load_reference
    from huhang.patents.paths import index_dir, store_path

    patents_dir, classification = SHARED / "patents", SHARED / "classification"
    if not patents_dir.is_dir() or not classification.is_dir():
        raise SystemExit(f"the shared data are not beside the repository ({SHARED.resolve()})")
    size = QUICK if quick else FULL
    results: list[Result] = []
    real = _real_records(patents_dir)
    wanted = set(BENCHMARKS) if only is None else {only}
    if wanted & {"load", "classify", "landscape", "search"}:
        scaled = work_dir / "scaled.jsonl"
        _scale(real, size, scaled)
        with PatentStore(store_path()) as store:
            load_reference(store, classification)
            results += _load(store, scaled, size)
            if wanted & {"classify", "landscape"}:
                results += _classify(store, size)
            if "search" in wanted:
                results += _index(store, index_dir(), size)
        if "landscape" in wanted:
            results += _landscape(size)
        if "search" in wanted:
            results += _search(real, size)
    if "quality" in wanted:
        results += _quality(real, work_dir / "quality", quick=quick)
    return results


# ---------------------------------------------------------------------------------------------------- data


def _real_records(patents_dir: Path) -> list[dict]:
    """Every record of the shared files that the loader accepts (the rest are reported by a load and skipped)."""
    from huhang.analytics.records import parse_record

    records = []
    for path in sorted(patents_dir.glob("*.jsonl")):
        with path.open(encoding="utf-8") as file:
            for number, line in enumerate(file, start=1):
                try:
                    record = json.loads(line)
                except json.JSONDecodeError:
                    continue
                if isinstance(record, dict) and parse_record(record, source=path.name, line=number).row is not None:
                    record["_file"] = path.name
                    records.append(record)
    seen, unique = set(), []
    for record in records:  # the loader keeps the last of an id repeated across files; keep one of each
        if record["id"] not in seen:
            seen.add(record["id"])
            unique.append(record)
    say(f"{len(unique):,} real records")
    return unique


def _scale(real: list[dict], size: int, path: Path) -> None:
    started = time.perf_counter()
    with path.open("w", encoding="utf-8") as file:
        for n in range(size):
            copy, record = divmod(n, len(real))
            data = {k: v for k, v in real[record].items() if k != "_file"}
            if copy:
                data["id"] = f"{data['id']}-{copy}"
            file.write(json.dumps(data, ensure_ascii=False))
            file.write("\n")
    say(
        f"wrote {size:,} scaled records ({path.stat().st_size / 2**20:,.0f} MiB) "
        f"in {time.perf_counter() - started:.0f} s"
    )


def _rate(count: int, seconds: float, unit: str = "records/s") -> str:
    return f"{count / seconds:,.0f} {unit} ({seconds:,.1f} s)"


# ---------------------------------------------------------------------------------------------------- load


def _load(store, scaled: Path, size: int) -> list[Result]:
    import duckdb

    say(f"loading {size:,} records")
    started = time.perf_counter()
    report = store.load_files([scaled])
    ours = time.perf_counter() - started
    assert report.loaded == size and store.count() == size, (report.loaded, store.count())
    say(f"loaded in {ours:,.0f} s")
    started = time.perf_counter()
    digest = hashlib.sha256()
    with scaled.open("rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    sha = time.perf_counter() - started
    with duckdb.connect() as raw:
        started = time.perf_counter()
        raw.execute(
            "CREATE TABLE raw AS SELECT * FROM read_json(?, format = 'newline_delimited', "
            "maximum_object_size = 1073741824, columns = {id: 'VARCHAR', title: 'VARCHAR', abstract: 'VARCHAR', "
            "claims: 'VARCHAR', ipc: 'VARCHAR[]', applicants: 'VARCHAR[]', app_date: 'DATE', pub_number: 'VARCHAR', "
            "country: 'VARCHAR', lang: 'VARCHAR', extra: 'JSON'})",
            [str(scaled)],
        )
        bare = time.perf_counter() - started
        assert raw.execute("SELECT count(*) FROM raw").fetchone()[0] == size
    mib = scaled.stat().st_size / 2**20
    return [
        Result(
            f"load {size:,} records (real ones scaled up), validated, with IPC and applicant tables",
            _rate(size, ours),
            f"DuckDB read_json into one table: {_rate(size, bare)}; SHA-256 of the file: {mib / sha:,.0f} MiB/s",
            f"{ours / bare:.1f}× the time of read_json",
        )
    ]


# ---------------------------------------------------------------------------------------------------- classify


def _classify(store, size: int) -> list[Result]:
    from huhang.analytics import HighValueConfig, classify

    say(f"classifying {size:,} patents")
    started = time.perf_counter()
    summary = classify(store, HighValueConfig())
    ours = time.perf_counter() - started
    assert summary.patents == size
    say(f"classified in {ours:,.1f} s")
    started = time.perf_counter()
    store.query("SELECT count(*) FROM patent_ipc i JOIN ref_sei_concordance c ON c.ipc_code = i.code")
    store.query("SELECT sum(length(lower(concat_ws(' ', title, abstract, claims)))) FROM patents")
    bare = time.perf_counter() - started
    counts = summary.categories["sei"]
    return [
        Result(
            f"high-value classification of {size:,} patents (5 categories, SEI keyword conditions, reasons)",
            f"{_rate(size, ours, 'patents/s')}; SEI yes {counts['yes']:,}, unknown {counts['unknown']:,}",
            f"DuckDB scan of the concordance join and the lower-cased texts: {bare * 1000:,.0f} ms",
            f"{ours / bare:.1f}×",
        )
    ]


# ---------------------------------------------------------------------------------------------------- landscape


def _landscape(size: int) -> list[Result]:
    from benchmarks.harness import repeat_ms
    from huhang.analytics import PatentStore, navigation
    from huhang.patents import selectors
    from huhang.patents.paths import store_path

    say("landscape queries")
    times = 3
    page = repeat_ms(lambda: selectors.landscape(selectors.LandscapeQuery()), times=times, warmup=1)
    filtered = repeat_ms(lambda: selectors.landscape(selectors.LandscapeQuery(ipc="H04")), times=times, warmup=1)
    with PatentStore(store_path(), read_only=True) as store:
        by_ipc = repeat_ms(lambda: navigation.by_ipc(store, level="subclass", top=20), times=5)
        bare = repeat_ms(
            lambda: store.query(
                "SELECT subclass, count(DISTINCT patent_id) AS n FROM patent_ipc WHERE subclass IS NOT NULL "
                "GROUP BY 1 ORDER BY n DESC LIMIT 20"
            ),
            times=5,
        )
    m_page, m_filtered, m_ipc, m_bare = (statistics.median(x) for x in (page, filtered, by_ipc, bare))
    return [
        *_landscape_postgres(size, m_ipc),
        Result(
            f"landscape page at {size:,} patents (IPC, trend, applicants, growth, years, regions, offices, industries)",
            f"{m_page / 1000:.2f} s median of {times}; filtered to IPC H04: {m_filtered / 1000:.2f} s",
            f"bare GROUP BY of subclasses: {m_bare:.1f} ms",
            f"{m_page / m_bare:.0f}× (nine breakdowns)",
        ),
        Result(
            f"patents by IPC subclass with Chinese titles at {size:,} (navigation.by_ipc)",
            f"{m_ipc:.0f} ms median of 5",
            f"bare GROUP BY of subclasses: {m_bare:.1f} ms",
            f"{m_ipc / m_bare:.1f}×",
        ),
    ]


def _landscape_postgres(size: int, duckdb_ms: float) -> list[Result]:
    """With DATABASE_URL on PostgreSQL: the store's tables copied there, and the same counts in its dialect."""
    from django.db import connection

    from benchmarks.harness import repeat_ms
    from huhang.analytics import PatentStore, navigation
    from huhang.patents.paths import store_path
    from huhang.patents.postgres import pg_by_ipc, pg_copy

    if connection.vendor != "postgresql":
        return []
    say("copying the store to PostgreSQL")
    with PatentStore(store_path(), read_only=True) as store:
        started = time.perf_counter()
        copied = pg_copy(store, connection)
        seconds = time.perf_counter() - started
        expected = navigation.by_ipc(store, level="subclass", top=20).rows
    rows = pg_by_ipc(connection, level="subclass", top=20)
    assert [(r["code"], r["patents"]) for r in rows] == [(r["code"], r["patents"]) for r in expected]
    pg = statistics.median(repeat_ms(lambda: pg_by_ipc(connection, level="subclass", top=20), times=5, warmup=1))
    rows_copied = sum(copied.values())
    return [
        Result(
            f"patents by IPC subclass with titles at {size:,} on PostgreSQL (huhang.patents.postgres, same rows)",
            f"{pg:,.0f} ms median of 5 (copy of {rows_copied:,} rows with COPY: {seconds:.0f} s)",
            f"the same query in DuckDB: {duckdb_ms:,.0f} ms",
            f"{pg / duckdb_ms:.1f}×",
        )
    ]


# ---------------------------------------------------------------------------------------------------- search


def _index(store, directory: Path, size: int) -> list[Result]:
    from huhang.analytics.search import PatentSearch

    say(f"tokenising and indexing {size:,} patents")
    started = time.perf_counter()
    PatentSearch(store, directory).build()
    seconds = time.perf_counter() - started
    say(f"indexed in {seconds:,.0f} s")
    return [Result(f"search index of {size:,} patents (jieba + stemming, BM25)", _rate(size, seconds, "patents/s"),
                   "—", "—")]  # fmt: skip


def _queries(real: list[dict], count: int) -> list[str]:
    rng = random.Random("bench-patents")
    zh = [r["title"] for r in real if r.get("lang") == "zh" and r.get("title")]
    en = [r["title"] for r in real if r.get("lang") == "en" and r.get("title")]
    return rng.sample(zh, count // 2) + rng.sample(en, count - count // 2)


def _search(real: list[dict], size: int) -> list[Result]:
    from huhang.analytics import PatentStore
    from huhang.analytics.search import LexicalIndex, PatentSearch, Tokenizer
    from huhang.patents import selectors
    from huhang.patents.paths import index_dir, store_path

    say("search latency")
    queries = _queries(real, QUERIES)
    tokenizer = Tokenizer()
    index = LexicalIndex.load(index_dir() / "bm25")
    tokens = [[t for t in tokenizer.tokens(q) if t in index.retriever.vocab_dict] for q in queries]
    ours, bare, page = [], [], []
    with PatentStore(store_path(), read_only=True) as store:
        search = PatentSearch(store, index_dir(), lexical=index)
        for query, query_tokens in zip(queries, tokens, strict=True):
            started = time.perf_counter()
            search.search(query, top=10)
            ours.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            index.retriever.retrieve([query_tokens], k=10, show_progress=False, n_threads=0)
            bare.append((time.perf_counter() - started) * 1000)
    for query in queries[:50]:  # through the platform: the store opened read-only per request, hits detailed
        started = time.perf_counter()
        selectors.patent_search(text=query, top=10)
        page.append((time.perf_counter() - started) * 1000)
    (p50, p95), (b50, b95), (g50, g95) = median_p95(ours), median_p95(bare), median_p95(page)
    return [
        Result(
            f"search at {size:,} patents, {QUERIES} real titles as queries (half Chinese), top 10 with passages",
            f"p50 {p50:.0f} ms, p95 {p95:.0f} ms; through the page's selector (50 queries): p50 {g50:.0f}, "
            f"p95 {g95:.0f} ms",
            f"bm25s retrieve, query pre-tokenised: p50 {b50:.1f} ms, p95 {b95:.1f} ms",
            f"{p50 / b50:.1f}× at p50",
        )
    ]


# ---------------------------------------------------------------------------------------------------- quality


def _citation_set(real: list[dict]) -> tuple[dict[str, str], dict[str, set[str]]]:
    """Queries (id → text) and relevant ids from en_synbio_oldham's citation lists (see the module docstring)."""
    synbio = [r for r in real if r["_file"] == "en_synbio_oldham.jsonl"]
    split = re.compile(r"[;,\s]+")
    owner: dict[str, str] = {}
    for r in synbio:
        owner[r["id"]] = r["id"]
        for number in split.split((r.get("extra") or {}).get("family_numbers") or ""):
            if number:
                owner.setdefault(number, r["id"])
    relevant: dict[str, set[str]] = {}
    for r in synbio:
        extra = r.get("extra") or {}
        for number in split.split(extra.get("cited_patent_numbers") or ""):
            if number in owner and owner[number] != r["id"]:
                relevant.setdefault(r["id"], set()).add(owner[number])
        for number in split.split(extra.get("citing_patent_numbers") or ""):
            if number in owner and owner[number] != r["id"]:
                relevant.setdefault(owner[number], set()).add(r["id"])
    texts = {r["id"]: " ".join(x for x in (r.get("title"), r.get("abstract"), r.get("claims")) if x) for r in synbio}
    return {q: texts[q] for q in relevant}, relevant


def _keyphrase_set(real: list[dict]) -> tuple[dict[str, str], dict[str, set[str]]]:
    queries, relevant = {}, {}
    for r in real:
        if r["_file"] != "cn_abstracts_kppatent_zh.jsonl":
            continue
        phrases = (r.get("extra") or {}).get("keyphrases")
        if isinstance(phrases, str):
            phrases = [p.strip(" '\"") for p in phrases.strip("[]").split(",")]
        phrases = [p for p in phrases or [] if p]
        if phrases:
            queries[r["id"]] = " ".join(phrases)
            relevant[r["id"]] = {r["id"]}
    return queries, relevant


def _metrics(
    rankings: dict[str, list[str]], relevant: dict[str, set[str]], *, drop_self: bool, k: int = 10
) -> tuple[float, float]:
    """Mean recall@k and nDCG@k (binary relevance); ``drop_self`` removes the query's own patent from its ranking."""
    recalls, ndcgs = [], []
    for query, wanted in relevant.items():
        ranked = [d for d in rankings.get(query, []) if not (drop_self and d == query)][:k]
        hits = [1 if d in wanted else 0 for d in ranked]
        recalls.append(sum(hits) / len(wanted))
        dcg = sum(h / math.log2(i + 2) for i, h in enumerate(hits))
        ideal = sum(1 / math.log2(i + 2) for i in range(min(len(wanted), k)))
        ndcgs.append(dcg / ideal)
    return statistics.mean(recalls), statistics.mean(ndcgs)


def _bigrams(text: str) -> list[str]:
    """Character bigrams of Chinese runs, lower-cased words elsewhere (no stemming, no stop words)."""
    out = []
    for run in re.findall(r"[\u3400-\u9fff]+|[A-Za-z0-9]+", text):
        if re.match(r"[\u3400-\u9fff]", run):
            out += [run[i : i + 2] for i in range(len(run) - 1)] or [run]
        else:
            out.append(run.lower())
    return out


def _baseline(ids: list[str], texts: list[str], queries: dict[str, str], tokenize, k: int) -> dict[str, list[str]]:
    """Plain BM25 (bm25s, same parameters as ours) with ``tokenize`` (a list of texts → a list of token lists)."""
    import bm25s

    retriever = bm25s.BM25(method="lucene", k1=1.5, b=0.75)
    retriever.index(tokenize(texts), show_progress=False)
    vocab = retriever.vocab_dict
    names = list(queries)
    asked = [[t for t in tokens if t in vocab] for tokens in tokenize([queries[q] for q in names])]
    out: dict[str, list[str]] = {}
    usable = [i for i, tokens in enumerate(asked) if tokens]
    if usable:
        docs, _scores = retriever.retrieve([asked[i] for i in usable], k=k, show_progress=False, n_threads=0)
        for row, i in enumerate(usable):
            out[names[i]] = [ids[int(d)] for d in docs[row]]
    return out


def _quality(real: list[dict], directory: Path, *, quick: bool) -> list[Result]:
    import bm25s

    from huhang.analytics import PatentStore
    from huhang.analytics.search import PatentSearch, Query

    records = real
    if quick:  # only the two files the query sets come from
        records = [r for r in real if r["_file"] in ("en_synbio_oldham.jsonl", "cn_abstracts_kppatent_zh.jsonl")]
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "corpus.jsonl"
    with path.open("w", encoding="utf-8") as file:
        for r in records:
            file.write(json.dumps({k: v for k, v in r.items() if k != "_file"}, ensure_ascii=False) + "\n")
    say(f"retrieval quality over {len(records):,} real records")
    sets = {"citations (en_synbio_oldham, English prior art)": _citation_set(real),
            "keyphrases (KPPatent-ZH, Chinese, proxy)": _keyphrase_set(real)}  # fmt: skip
    ids = [r["id"] for r in records]
    texts = [" ".join(x for x in (r.get("title"), r.get("abstract"), r.get("claims")) if x) for r in records]

    def plain(batch: list[str]) -> list[list[str]]:
        return bm25s.tokenize(batch, stopwords="en", return_ids=False, show_progress=False)

    def bigrams(batch: list[str]) -> list[list[str]]:
        return [_bigrams(text) for text in batch]

    results = []
    with PatentStore(directory / "patents.duckdb") as store:
        store.load_files([path])
        search = PatentSearch(store, directory / "search")
        search.build()
        for name, (queries, relevant) in sets.items():
            names = list(queries)
            ranked = search.search_many([Query(q, queries[q]) for q in names], top=11)
            ours = {q: [d for d, _s in r] for q, r in zip(names, ranked, strict=True)}
            drop_self = "citations" in name
            ours_r, ours_n = _metrics(ours, relevant, drop_self=drop_self)
            base_r, base_n = _metrics(_baseline(ids, texts, queries, plain, 11), relevant, drop_self=drop_self)
            line = f"bm25s default tokens: recall@10 {base_r:.3f}, nDCG@10 {base_n:.3f}"
            if "Chinese" in name:
                bi_r, bi_n = _metrics(_baseline(ids, texts, queries, bigrams, 11), relevant, drop_self=False)
                line += f"; character bigrams: recall@10 {bi_r:.3f}, nDCG@10 {bi_n:.3f}"
            pairs = sum(len(v) for v in relevant.values())
            results.append(Result(
                f"retrieval quality, {name}: {len(queries):,} queries, {pairs:,} relevant pairs, "
                f"corpus {len(records):,}",
                f"ours: recall@10 {ours_r:.3f}, nDCG@10 {ours_n:.3f}",
                line,
                f"nDCG {ours_n / base_n:.2f}× the default" if base_n else "—",
            ))  # fmt: skip
    return results

"""``huhang patents``: load patent records, search them, classify them, map the landscape.

    huhang patents reference DIR                   load the classification tables (IPC titles, SEI 2021)
    huhang patents load FILE... [--skip-bad]        load JSON-lines records (the shared schema)
    huhang patents load --registry                  load the registry's patents
    huhang patents index [--model DIR]              (re)build the search indexes
    huhang patents search [--top K] [--json] TEXT
    huhang patents search --json --top K --queries FILE     one JSON line per query
    huhang patents classify [--id ID ...] [--pledge-threshold YUAN] [--as-of DATE] [--population N ...]
    huhang patents classify --registry [--write] [--as USER]   K2 write-back: registry patents' high_value
    huhang patents landscape ipc|applicant|year|region|country|industry|trend|growth [options]

The store is ``HUHANG_DATA_DIR/analytics/patents.duckdb``. ``--model DIR`` (or ``HUHANG_PATENT_MODEL_DIR``)
names a local sentence-transformers model for the dense search option; nothing is ever downloaded.
Progress goes to standard error, results to standard output.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from huhang.analytics import (
    AnalyticsError,
    HighValueConfig,
    LoadError,
    PatentStore,
    Population,
    assess,
    classify,
    high_value,
    k2,
    load_reference,
    navigation,
)
from huhang.analytics.search import PatentSearch, SentenceTransformerEncoder, read_queries
from huhang.patents.paths import index_dir, store_path

LANDSCAPES = ("ipc", "applicant", "year", "region", "country", "industry", "trend", "growth")
SHOWN_PROBLEMS = 50


class Command(BaseCommand):
    help = "Patent analytics: load records, search, classify high-value patents, map the landscape."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        reference = sub.add_parser("reference", help="load the classification tables from a directory")
        reference.add_argument("directory")

        load = sub.add_parser("load", help="load JSON-lines patent records (idempotent by id)")
        load.add_argument("files", nargs="*", metavar="FILE")
        load.add_argument("--registry", action="store_true", help="load the registry's patents")
        load.add_argument("--skip-bad", action="store_true", help="load the good lines and report the bad ones")
        load.add_argument("--batch", type=int, default=10_000)

        index = sub.add_parser("index", help="(re)build the search indexes")
        index.add_argument("--model", help="local sentence-transformers model directory (dense option)")

        search = sub.add_parser("search", help="similarity search over titles, abstracts and claims")
        search.add_argument("text", nargs="*", metavar="TEXT")
        search.add_argument("--top", type=int, default=10)
        search.add_argument("--json", dest="as_json", action="store_true", help="JSON output")
        search.add_argument("--queries", metavar="FILE", help='JSON lines {"id": ..., "text": ...}')
        search.add_argument("--skip-bad", action="store_true", help="skip malformed query lines (reported)")
        search.add_argument("--mode", choices=("lexical", "dense", "hybrid"))
        search.add_argument("--model", help="local sentence-transformers model directory (dense option)")

        cls = sub.add_parser("classify", help="high-value classification (CNIPA's five categories)")
        cls.add_argument("--id", dest="ids", action="append", default=[], help="explain this patent (repeatable)")
        cls.add_argument("--as-of", type=_date, help="judge at this date (default: today)")
        cls.add_argument("--pledge-threshold", type=float, metavar="YUAN", help="pledge financing above this counts")
        cls.add_argument("--json", dest="as_json", action="store_true")
        cls.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of the reasons")
        cls.add_argument("--population", type=int, help="resident population for K2 (persons)")
        cls.add_argument("--population-source", default="", help="who published the population figure")
        cls.add_argument("--population-as-of", default="", help="the date the population figure describes")
        cls.add_argument("--region", action="append", help="K2 over applicants of this region (repeatable)")
        cls.add_argument("--all", dest="k2_all", action="store_true", help="K2 over every patent of the store")
        cls.add_argument(
            "--registry", action="store_true", help="load the registry's patents, classify, report what would change"
        )
        cls.add_argument("--write", action="store_true", help="with --registry: write high_value and its reasons")
        cls.add_argument("--as", dest="username", help="with --registry --write: the user recorded in the audit log")

        scape = sub.add_parser("landscape", help="patent navigation: counts and trends")
        scape.add_argument("by", choices=LANDSCAPES)
        scape.add_argument("--level", default=None, choices=("section", "class", "subclass", "main_group", "subgroup"))
        scape.add_argument("--top", type=int, default=20)
        scape.add_argument("--from", dest="year_from", type=int)
        scape.add_argument("--to", dest="year_to", type=int)
        scape.add_argument("--year-basis", default="application", choices=tuple(navigation.YEAR_BASES))
        scape.add_argument("--ipc", help="only patents with this IPC code or group")
        scape.add_argument("--applicant")
        scape.add_argument("--in-region", dest="region")
        scape.add_argument("--country")
        scape.add_argument("--sei", dest="sei_code", help="only patents of this SEI industry code")
        scape.add_argument("--dimension", default="ipc", choices=("ipc", "applicant", "region", "industry"))
        scape.add_argument("--key", dest="keys", action="append", help="trend of these keys (repeatable)")
        scape.add_argument("--end-year", type=int)
        scape.add_argument("--window", type=int, default=3)
        scape.add_argument("--min-base", type=int, default=5)
        scape.add_argument("--json", dest="as_json", action="store_true")

    def handle(self, *args, action, **options):
        try:
            getattr(self, f"_{action}")(**options)
        except AnalyticsError as exc:
            raise CommandError(str(exc)) from None

    # ------------------------------------------------------------------ output helpers

    def _err(self, text: str) -> None:
        self.stderr.write(text)

    def _progress(self, label: str):
        last = [-1]
        tty = sys.stderr.isatty()

        def report(done: int, total: int) -> None:
            percent = 100 * done // total if total else 100
            if percent == last[0] or (not tty and percent % 10 and done < total):
                return
            last[0] = percent
            width = 30
            filled = width * percent // 100
            end = "\n" if done >= total else ("\r" if tty else "\n")
            self.stderr.write(f"{label} [{'#' * filled}{'.' * (width - filled)}] {percent:3d}%", ending=end)

        return report

    def _problems(self, problems, what: str) -> None:
        for problem in problems[:SHOWN_PROBLEMS]:
            self._err(f"  {problem}")
        if len(problems) > SHOWN_PROBLEMS:
            self._err(f"  ... and {len(problems) - SHOWN_PROBLEMS:,} more {what}")

    def _json(self, data: Any) -> None:
        self.stdout.write(json.dumps(data, ensure_ascii=False, default=str))

    # ------------------------------------------------------------------ actions

    def _reference(self, directory: str, **_options) -> None:
        with PatentStore(store_path()) as store:
            report = load_reference(store, directory)
        self.stdout.write(
            f"IPC titles: {report.ipc_codes:,} ({report.english_fallback:,} in English only); "
            f"SEI: {report.sei_industries} industries, {report.sei_rules} rules ({report.sei_terms:,} keyword terms), "
            f"{report.concordance_rows:,} concordance rows"
        )
        if report.rules_without_terms:
            self._err(f"rules whose keyword condition names no usable term: {list(report.rules_without_terms)}")

    def _load(self, files: list[str], registry: bool, skip_bad: bool, batch: int, **_options) -> None:
        if not files and not registry:
            raise CommandError("name FILE(s) to load, or --registry")
        with PatentStore(store_path()) as store:
            if not store.has_reference():
                self._err("IPC codes are not checked: no classification tables yet (huhang patents reference DIR)")
            try:
                if registry:
                    from huhang.patents.registry import registry_patent_count, registry_records

                    report = store.load_records(
                        registry_records(),
                        source="registry",
                        skip_bad=skip_bad,
                        progress=self._progress("registry"),
                        total=registry_patent_count(),
                        batch_size=batch,
                    )
                    self._summarise_load(report)
                if files:
                    report = store.load_files(
                        files, skip_bad=skip_bad, progress=self._progress("loading"), batch_size=batch
                    )
                    self._summarise_load(report)
            except LoadError as exc:
                lines = len({(problem.source, problem.line) for problem in exc.problems})
                self._err(f"{lines:,} malformed line(s); nothing was loaded (--skip-bad loads the rest):")
                self._problems(exc.problems, "problems")
                raise CommandError("malformed records") from None

    def _summarise_load(self, report) -> None:
        if report.problems:
            self._err(f"{report.skipped:,} malformed line(s) skipped:")
            self._problems(report.problems, "problems")
        if report.duplicates:
            self._err(f"{len(report.duplicates):,} id(s) repeated; the later record is kept:")
            self._problems(report.duplicates, "repeats")
        if report.unknown_ipc:
            codes = sorted(report.unknown_ipc_codes.items(), key=lambda item: (-item[1], item[0]))
            listed = ", ".join(f"{code} ×{count}" for code, count in codes[:20])
            self._err(
                f"{len(report.unknown_ipc_codes):,} IPC code(s) in neither IPC table "
                f"({len(report.unknown_ipc):,} uses, loaded as given): {listed}{' ...' if len(codes) > 20 else ''}"
            )
            self._problems(report.unknown_ipc, "uses")
        self.stdout.write(
            f"{report.lines:,} lines: {report.inserted:,} new, {report.updated:,} updated, {report.skipped:,} skipped"
        )

    def _searcher(self, store: PatentStore, model: str | None) -> PatentSearch:
        model = model or os.environ.get("HUHANG_PATENT_MODEL_DIR") or None
        encoder = SentenceTransformerEncoder(model) if model else None
        return PatentSearch(store, index_dir(), encoder=encoder)

    def _build_progress(self):
        reporters: dict[str, Any] = {}

        def report(step: str, done: int, total: int) -> None:
            reporters.setdefault(step, self._progress(step))(done, total)

        return report

    def _index(self, model: str | None, **_options) -> None:
        with PatentStore(store_path()) as store:
            documents = self._searcher(store, model).build(progress=self._build_progress())
        self.stdout.write(f"indexed {documents:,} patents")

    def _search(self, text, top, as_json, queries, skip_bad, mode, model, **_options) -> None:
        if bool(queries) == bool(text):
            raise CommandError("give either a query TEXT or --queries FILE")
        if top < 1:
            raise CommandError("--top must be at least 1")
        with PatentStore(store_path()) as store:
            if store.count() == 0:
                raise CommandError("no patents loaded yet (huhang patents load FILE...)")
            search = self._searcher(store, model)
            if search.ensure(progress=self._build_progress()):
                self._err("the search index was out of date and has been rebuilt")
            if queries:
                try:
                    batch, problems = read_queries(queries, skip_bad=skip_bad)
                except LoadError as exc:
                    lines = len({(problem.source, problem.line) for problem in exc.problems})
                    self._err(f"{lines:,} malformed query line(s) (--skip-bad skips them):")
                    self._problems(exc.problems, "problems")
                    raise CommandError("malformed queries") from None
                if problems:
                    self._err(f"{len(problems):,} malformed query line(s) skipped:")
                    self._problems(problems, "problems")
                results = search.search_many(batch, top=top, mode=mode)
                for query, ranked in zip(batch, results, strict=True):
                    line = {"id": query.id, "results": [{"id": i, "score": round(s, 6)} for i, s in ranked]}
                    self._json(line)
                return
            query = " ".join(text)
            hits = search.search(query, top=top, mode=mode)
            if as_json:
                self._json({"query": query, "results": [hit.as_dict() for hit in hits]})
                return
            if not hits:
                self.stdout.write("no match")
            for rank, hit in enumerate(hits, start=1):
                self.stdout.write(f"{rank:>3}. {hit.id}  {hit.score:.3f}  {hit.title or ''}")
                for passage in hit.passages:
                    self.stdout.write(f"       {passage.field}: {_marked(passage.text, passage.highlights)}")

    def _classify(self, ids, as_of, pledge_threshold, as_json, lang, population, **options) -> None:
        config = HighValueConfig(as_of=as_of or dt.date.today(), pledge_threshold=pledge_threshold)
        if options.get("write") and not options.get("registry"):
            raise CommandError("--write writes the registry's patents: give --registry too")
        if options.get("username") and not options.get("write"):
            raise CommandError("--as names the user who writes: give --registry --write too")
        if options.get("registry"):
            self._write_back(config, options)
        with PatentStore(store_path()) as store:
            summary = classify(store, config) if not high_value.is_current(store, config) else high_value.summary(store)
            out: dict[str, Any] = {"summary": _summary_dict(summary)}
            if ids:
                found = []
                for patent_id in ids:
                    assessment = assess(store, patent_id)
                    if assessment is None:
                        raise CommandError(f"no patent {patent_id!r} in the store")
                    found.append(assessment.as_dict(lang))
                out["patents"] = found
            if population:
                out["k2"] = self._k2(store, population, options)
        if as_json:
            self._json(out)
            return
        self._print_summary(out["summary"])
        for patent in out.get("patents", []):
            self.stdout.write(
                f"\n{patent['id']}: {patent['high_value']} (matched: {', '.join(patent['matched']) or '—'})"
            )
            for name, part in [("eligible", patent["eligible"]), *patent["categories"].items()]:
                self.stdout.write(f"  {name}: {part['status']}")
                for reason in part["reasons"]:
                    self.stdout.write(f"    - [{reason['status']}] {reason['text']}")
        if "k2" in out:
            value = out["k2"]
            self.stdout.write(
                f"\nK2 = {value['value']:.2f} per 10,000 residents ({value['formula']}); "
                f"up to {value['upper_bound']:.2f} if the {value['unknown']:,} unknown ones were high-value"
            )

    def _write_back(self, config: HighValueConfig, options: dict[str, Any]) -> None:
        from django.contrib.auth import get_user_model

        from huhang.patents.services import registry_classify

        actor = None
        if options.get("username"):
            actor = get_user_model().objects.filter(username=options["username"]).first()
            if actor is None:
                raise CommandError(f"no user {options['username']!r}")
        reporters: dict[str, Any] = {}

        def progress(step: str, done: int, total: int) -> None:
            reporters.setdefault(step, self._progress({"load": "registry", "write": "writing"}.get(step, step)))(
                done, total
            )

        try:
            result = registry_classify(actor=actor, config=config, progress=progress, write=options["write"])
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from None
        if result.not_loaded:
            self._err(f"{len(result.not_loaded):,} registry patent(s) could not be loaded (classified unknown):")
            self._problems(result.not_loaded, "patents")
        answers = result.answers
        verb = "changed" if options["write"] else "would change (nothing written: add --write)"
        self._err(
            f"registry: {result.patents:,} patents; high-value yes {answers['yes']:,}, no {answers['no']:,}, "
            f"unknown {answers['unknown']:,}; {result.changed:,} {verb}; {result.seconds:.1f} s"
        )

    def _k2(self, store: PatentStore, population: int, options: dict[str, Any]) -> dict[str, Any]:
        stat = Population(population, options["population_as_of"] or "?", options["population_source"] or "?")
        if options.get("region"):
            result = k2(store, stat, regions=options["region"])
            scope = f"applicants in {', '.join(options['region'])}"
        elif options.get("k2_all"):
            result = k2(store, stat)
            scope = "every patent of the store"
        else:
            from huhang.patents.registry import local_patent_ids

            result = k2(store, stat, patent_ids=local_patent_ids())
            scope = "registry patents with local owners"
        return {
            "scope": scope,
            "high_value": result.high_value,
            "unknown": result.unknown,
            "population": population,
            "value": result.value,
            "upper_bound": result.upper_bound,
            "formula": result.formula,
        }

    def _print_summary(self, summary: dict[str, Any]) -> None:
        self.stdout.write(
            f"{summary['patents']:,} patents classified as of {summary['as_of']} "
            f"(pledge threshold: {summary['pledge_threshold'] or 'none set'})"
        )
        self.stdout.write(f"{'':<12}{'yes':>10}{'no':>10}{'unknown':>10}")
        rows = [
            ("eligible", summary["eligible"]),
            *summary["categories"].items(),
            ("high value", summary["high_value"]),
        ]
        for name, counts in rows:
            self.stdout.write(f"{name:<12}{counts['yes']:>10,}{counts['no']:>10,}{counts['unknown']:>10,}")

    def _landscape(self, by: str, as_json, **options) -> None:
        filters = navigation.Filters(
            year_from=options["year_from"],
            year_to=options["year_to"],
            year_basis=options["year_basis"],
            country=options["country"],
            ipc=options["ipc"],
            applicant=options["applicant"],
            region=options["region"],
            sei_code=options["sei_code"],
        )
        top, level = options["top"], options["level"]
        with PatentStore(store_path()) as store:
            if (
                by == "industry" or options["sei_code"] or options["dimension"] == "industry"
            ) and not high_value.is_current(store):
                classify(store, high_value.stored_config(store) or HighValueConfig())
            if by == "ipc":
                result = navigation.by_ipc(store, level=level or "subclass", top=top, filters=filters)
            elif by == "applicant":
                result = navigation.by_applicant(store, top=top, filters=filters)
            elif by == "year":
                result = navigation.by_year(store, filters=filters)
            elif by in ("region", "country"):
                result = navigation.by_region(store, top=top, field=by, filters=filters)
            elif by == "industry":
                result = navigation.by_industry(store, filters=filters)
            elif by == "trend":
                result = navigation.trend(
                    store,
                    dimension=options["dimension"],
                    level=level or "subclass",
                    keys=options["keys"],
                    top=min(top, 20),
                    filters=filters,
                )
            else:
                result = navigation.fastest_growing_ipc(
                    store,
                    level=level or "main_group",
                    end_year=options["end_year"],
                    window=options["window"],
                    min_base=options["min_base"],
                    top=top,
                    filters=filters,
                )
        if as_json:
            self._json(result.as_dict())
            return
        self.stdout.write(f"{result.title} ({result.total:,} patents in scope)")
        self.stdout.write("\t".join(result.columns))
        for row in result.rows:
            self.stdout.write("\t".join(_cell(row.get(column)) for column in result.columns))
        for note in result.notes:
            self._err(f"note: {note}")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{text!r} is not a date written YYYY-MM-DD") from None


def _marked(text: str, spans) -> str:
    out, last = [], 0
    for start, end in spans:
        out += [text[last:start], "【", text[start:end], "】"]
        last = end
    out.append(text[last:])
    return "".join(out)


def _cell(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.4f}"
    return str(value)


def _summary_dict(summary: high_value.Summary) -> dict[str, Any]:
    return {
        "patents": summary.patents,
        "as_of": summary.config.as_of.isoformat(),
        "pledge_threshold": summary.config.pledge_threshold,
        "eligible": summary.eligible,
        "categories": summary.categories,
        "high_value": summary.high_value,
    }

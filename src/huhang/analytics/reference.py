"""Reference tables from the classification CSVs: IPC titles (Chinese, with the English fallback), the 2021
strategic-emerging-industry (SEI) codes, rules and their concordance with the IPC.

:func:`load_reference` reads a directory holding the files below (the platform's data README describes
them and their sources) and replaces the ``ref_*`` tables of a store in one transaction::

    ipc_titles_zh_cnipa2026.csv   code, level, title_zh, title_zh_short, title_en_wipo   (CNIPA 2026.01)
    ipc_titles_en_wipo.csv        code, symbol14, level, title_en, alt_titles_en         (WIPO)
    sei2021_industry_codes.csv    sei_code, sei_name_zh, top_code, top_name_zh
    sei2021_industries.csv        sei_rule_id, sei_code, name_zh, ..., keywords, keyword_is_exclusion, ...
    sei2021_ipc_concordance.csv   ipc_code, ipc_level, sei_code, sei_rule_id, sei_name_zh,
                                  rule_has_keywords, keyword_is_exclusion

Tables made::

    ref_ipc               code, level, title_zh, title_en, title, title_lang  (title: Chinese where the
                          CNIPA table has it, else English, title_lang says which)
    ref_sei_industry      sei_code, name_zh, top_code, top_name_zh
    ref_sei_rule          rule_id, sei_code, keywords, is_exclusion, term_count
    ref_sei_term          rule_id, term_no, term (parts joined by +), part_no, part
    ref_sei_concordance   ipc_code, ipc_level, sei_code, rule_id, has_keywords, is_exclusion
    ref_sei_prefix        prefix (section, class or subclass), rows: concordance rows below it
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from pathlib import Path

from huhang.analytics.errors import ReferenceDataError
from huhang.analytics.keywords import keyword_terms
from huhang.analytics.store import PatentStore

FILES = {
    "ipc_zh": ("ipc_titles_zh_cnipa2026.csv", ("code", "level", "title_zh", "title_zh_short", "title_en_wipo")),
    "ipc_en": ("ipc_titles_en_wipo.csv", ("code", "level", "title_en")),
    "sei_codes": ("sei2021_industry_codes.csv", ("sei_code", "sei_name_zh", "top_code", "top_name_zh")),
    "sei_rules": ("sei2021_industries.csv", ("sei_rule_id", "sei_code", "keywords", "keyword_is_exclusion")),
    "concordance": (
        "sei2021_ipc_concordance.csv",
        ("ipc_code", "ipc_level", "sei_code", "sei_rule_id", "rule_has_keywords", "keyword_is_exclusion"),
    ),
}
# Cross-references inside titles ("（草坪修整机入A01G3/06）", "(... A01C0005000000 ...)") are dropped from the
# display title; the full title stays in title_zh / title_en.
_ZH_XREF = r"（[^（）]*[A-H][0-9]{2}[A-Z][^（）]*）"
_EN_XREF = r"\s*\([^()]*[A-H][0-9]{2}[A-Z][0-9]{4,}[^()]*\)"


@dataclass(frozen=True)
class ReferenceReport:
    """What was loaded: entries per table, and how many titles fell back to English."""

    ipc_codes: int
    english_fallback: int
    sei_industries: int
    sei_rules: int
    sei_terms: int
    concordance_rows: int
    rules_without_terms: tuple[int, ...]


def load_reference(store: PatentStore, directory: str | os.PathLike[str]) -> ReferenceReport:
    """Replace the reference tables of ``store`` with the CSVs in ``directory``."""
    directory = Path(directory)
    paths = {key: directory / name for key, (name, _) in FILES.items()}
    for key, (name, required) in FILES.items():
        _check_columns(paths[key], name, required)
    rules = _rules(paths["sei_rules"])
    sql_path = {key: str(path) for key, path in paths.items()}
    with store.transaction():
        store.con.execute(
            f"""CREATE OR REPLACE TABLE ref_ipc AS
            WITH zh AS (SELECT code, level, nullif(trim(title_zh), '') AS title_zh,
                               nullif(trim(title_zh_short), '') AS title_zh_short,
                               nullif(trim(title_en_wipo), '') AS title_en_wipo
                        FROM read_csv(?, header = true, all_varchar = true)),
                 en AS (SELECT code, level, nullif(trim(title_en), '') AS title_en
                        FROM read_csv(?, header = true, all_varchar = true))
            SELECT coalesce(zh.code, en.code) AS code, coalesce(zh.level, en.level) AS level,
                   coalesce(zh.title_zh_short, trim(regexp_replace(zh.title_zh, '{_ZH_XREF}', '', 'g'))) AS title_zh,
                   coalesce(en.title_en, zh.title_en_wipo) AS title_en
            FROM zh FULL OUTER JOIN en ON zh.code = en.code""",  # noqa: S608
            [sql_path["ipc_zh"], sql_path["ipc_en"]],
        )
        store.con.execute(
            f"""CREATE OR REPLACE TABLE ref_ipc AS
            SELECT code, level, nullif(title_zh, '') AS title_zh, title_en,
                   coalesce(nullif(title_zh, ''), trim(regexp_replace(title_en, '{_EN_XREF}', '', 'g'))) AS title,
                   CASE WHEN nullif(title_zh, '') IS NOT NULL THEN 'zh' WHEN title_en IS NOT NULL THEN 'en' END
                       AS title_lang
            FROM ref_ipc"""  # noqa: S608
        )
        store.con.execute(
            """CREATE OR REPLACE TABLE ref_sei_industry AS
            SELECT sei_code, sei_name_zh AS name_zh, top_code, top_name_zh
            FROM read_csv(?, header = true, all_varchar = true)""",
            [sql_path["sei_codes"]],
        )
        store.con.execute(
            """CREATE OR REPLACE TABLE ref_sei_rule (rule_id INTEGER, sei_code VARCHAR, keywords VARCHAR,
            is_exclusion BOOLEAN, term_count INTEGER)"""
        )
        store.con.execute(
            """CREATE OR REPLACE TABLE ref_sei_term (rule_id INTEGER, term_no INTEGER, term VARCHAR,
            part_no INTEGER, part VARCHAR)"""
        )
        rule_rows, term_rows = [], []
        for rule_id, sei_code, keywords, exclusion, terms in rules:
            rule_rows.append((rule_id, sei_code, keywords or None, exclusion, len(terms)))
            for term_no, term in enumerate(terms, start=1):
                for part_no, part in enumerate(term, start=1):
                    term_rows.append((rule_id, term_no, "+".join(term), part_no, part))
        store.con.executemany("INSERT INTO ref_sei_rule VALUES (?, ?, ?, ?, ?)", rule_rows)
        if term_rows:
            store.con.executemany("INSERT INTO ref_sei_term VALUES (?, ?, ?, ?, ?)", term_rows)
        store.con.execute(
            """CREATE OR REPLACE TABLE ref_sei_concordance AS
            SELECT trim(ipc_code) AS ipc_code, ipc_level, sei_code, CAST(sei_rule_id AS INTEGER) AS rule_id,
                   rule_has_keywords = '1' AS has_keywords, keyword_is_exclusion = '1' AS is_exclusion
            FROM read_csv(?, header = true, all_varchar = true)""",
            [sql_path["concordance"]],
        )
        store.con.execute(
            """CREATE OR REPLACE TABLE ref_sei_prefix AS
            SELECT prefix, count(*) AS rows FROM (
                SELECT left(ipc_code, n) AS prefix FROM ref_sei_concordance, (VALUES (1), (3), (4)) AS t(n)
                WHERE length(ipc_code) > n)
            GROUP BY prefix"""
        )
        unknown_rules = store.query(
            "SELECT DISTINCT rule_id FROM ref_sei_concordance WHERE rule_id NOT IN (SELECT rule_id FROM ref_sei_rule)"
        )
        if unknown_rules:
            raise ReferenceDataError(
                "the concordance names rules missing from sei2021_industries.csv: "
                f"{sorted(r[0] for r in unknown_rules)}"
            )
        store.set_meta("reference_version", str(int(store.meta("reference_version") or 0) + 1))
    counts = store.query(
        """SELECT (SELECT count(*) FROM ref_ipc), (SELECT count(*) FROM ref_ipc WHERE title_lang = 'en'),
                  (SELECT count(*) FROM ref_sei_industry), (SELECT count(*) FROM ref_sei_concordance)"""
    )[0]
    return ReferenceReport(
        ipc_codes=counts[0],
        english_fallback=counts[1],
        sei_industries=counts[2],
        sei_rules=len(rules),
        sei_terms=len({(r[0], r[1]) for r in term_rows}),
        concordance_rows=counts[3],
        rules_without_terms=tuple(rule_id for rule_id, _, keywords, _, terms in rules if keywords and not terms),
    )


def _check_columns(path: Path, name: str, required: tuple[str, ...]) -> None:
    if not path.is_file():
        raise ReferenceDataError(f"{name} is missing from {path.parent}")
    try:
        with path.open(encoding="utf-8", newline="") as file:
            header = next(csv.reader(file), [])
    except (OSError, UnicodeDecodeError) as exc:
        raise ReferenceDataError(f"{name} cannot be read: {exc}") from exc
    missing = [column for column in required if column not in header]
    if missing:
        raise ReferenceDataError(f"{name} lacks the column(s) {', '.join(missing)}")


def _rules(path: Path) -> list[tuple[int, str, str, bool, list[tuple[str, ...]]]]:
    rules = []
    with path.open(encoding="utf-8", newline="") as file:
        for number, record in enumerate(csv.DictReader(file), start=2):
            try:
                rule_id = int(record["sei_rule_id"])
            except (TypeError, ValueError):
                raise ReferenceDataError(f"{path.name}:{number}: sei_rule_id is not a number") from None
            exclusion = (record.get("keyword_is_exclusion") or "0").strip() == "1"
            keywords = (record.get("keywords") or "").strip()
            rules.append(
                (rule_id, record["sei_code"].strip(), keywords, exclusion, keyword_terms(keywords, exclusion=exclusion))
            )
    return rules

"""Case benchmarks: recomputing every clock of N cases (as after a holiday schedule is loaded) and the
worklist page at N cases (p95), each against the bare database work of the same size.

The cases are patent-infringement adjudications at realistic stages (filed, accepted, served, answered,
some suspended and resumed, some decided), written with bulk inserts; their clocks are then computed by
``huhang.cases.clocks.recompute`` — the code ``huhang cases recompute`` runs.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from benchmarks.harness import Result, median_p95, repeat_ms, say
from huhang.accounts.models import Organisation, User
from huhang.accounts.roles import OrganisationKind, Role
from huhang.cases.selectors import COUNT_CAP

BENCHMARKS = ("recompute", "worklist")
BATCH = 20_000
HANDLERS = 40


def run(*, quick: bool, work_dir: Path, only: str | None = None) -> list[Result]:
    count = 20_000 if quick else 1_000_000
    results: list[Result] = []
    handler = _ensure_cases(count, results)
    if only in (None, "recompute"):
        results += recompute_benchmark(count)
    if only in (None, "worklist"):
        if only == "worklist":
            results += recompute_benchmark(count, measure=False)
        results += worklist_benchmark(handler, repeats=10 if quick else 30)
    return results


def _staff() -> tuple[Organisation, list[User]]:
    org, _ = Organisation.objects.get_or_create(
        name="基准测试知识产权局", defaults={"kind": OrganisationKind.IP_BUREAU}
    )
    users = []
    for n in range(HANDLERS):
        user, _ = User.objects.get_or_create(
            username=f"bench_case_handler_{n}", defaults={"role": Role.HANDLER, "organisation": org}
        )
        users.append(user)
    return org, users


def _history(rng: random.Random, start: dt.date, today: dt.date) -> list[tuple[str, dt.date, str, dict]]:
    """A plausible event history of an adjudication case filed on ``start`` (never past ``today``)."""
    events = [("file_request", start, "applicant", {})]
    steps = [
        ("accept", "handler", {}, (1, 5)),
        ("serve_request_copy", "handler", {"respondent_domicile_in_prc": rng.random() > 0.05}, (1, 5)),
        ("file_answer", "handler", {}, (5, 15)),
        ("open_evidence", "handler", {}, (1, 10)),
    ]
    at = start
    depth = rng.choices(range(len(steps) + 1), weights=(10, 15, 20, 20, 35))[0]
    for action, role, payload, (low, high) in steps[:depth]:
        at = at + dt.timedelta(days=rng.randint(low, high))
        if at > today:
            return events
        events.append((action, at, role, payload))
    if depth == len(steps) and rng.random() < 0.3:
        at = at + dt.timedelta(days=rng.randint(3, 20))
        if at <= today:
            events.append(("suspend", at, "handler", {"reason": "无效宣告请求已受理"}))
            at = at + dt.timedelta(days=rng.randint(10, 60))
            if at <= today:
                events.append(("resume", at, "handler", {}))
    return events


def _ensure_cases(count: int, results: list[Result]) -> User:
    from huhang.cases.models import Case, CaseEvent

    org, users = _staff()
    missing = count - Case.objects.count()
    if missing <= 0:
        return users[0]
    say(f"writing {missing:,} cases with their events (bulk inserts)")
    rng = random.Random("bench-cases")
    today = timezone.localdate()
    first = today - dt.timedelta(days=540)
    started = time.perf_counter()
    events_written = 0
    now = timezone.now()
    base = Case.objects.count()
    for offset in range(0, missing, BATCH):
        size = min(BATCH, missing - offset)
        cases, histories = [], []
        for n in range(size):
            serial = base + offset + n + 1
            start = first + dt.timedelta(days=rng.randint(0, 538))
            cases.append(Case(
                number=f"基准〔{start.year}〕{serial}号", procedure="patent_adjudication", profile="S1-2025",
                category="adjudication", title=f"基准测试侵害专利权纠纷{serial}", organisation=org,
                handler=users[serial % HANDLERS], facts={}, opened_on=start, state="new",
                created_by=users[0],
            ))  # fmt: skip
            histories.append(_history(rng, start, today))
        with transaction.atomic():
            Case.objects.bulk_create(cases, batch_size=2000)
            rows = [
                CaseEvent(case=case, seq=seq, action=action, action_name_zh=action, at=at, payload=payload,
                          actor=None, actor_role=role, recorded_at=now, digest="0" * 64)
                for case, history in zip(cases, histories, strict=True)
                for seq, (action, at, role, payload) in enumerate(history, start=1)
            ]  # fmt: skip
            CaseEvent.objects.bulk_create(rows, batch_size=2000)
        events_written += len(rows)
        say(f"  {offset + size:,}/{missing:,} cases, {events_written:,} events")
    seconds = time.perf_counter() - started
    results.append(Result(
        f"write {missing:,} cases and {events_written:,} events (bulk inserts)",
        f"{(missing + events_written) / seconds:,.0f} rows/s ({seconds:.0f} s)", "—", "—",
    ))  # fmt: skip
    return users[0]


def recompute_benchmark(count: int, *, measure: bool = True) -> list[Result]:
    """Recompute every case's clocks (``clocks.recompute``), against a bare rewrite of the same rows."""
    from huhang.cases import clocks
    from huhang.cases.models import Case, CaseClock

    say(f"recomputing the clocks of {count:,} cases")
    last = [time.perf_counter()]

    def progress(done: int, total: int) -> None:
        if time.perf_counter() - last[0] > 30 or done == total:
            last[0] = time.perf_counter()
            say(f"  {done:,}/{total:,}")

    started = time.perf_counter()
    total = clocks.recompute(Case.objects.all(), batch_size=2000, progress=progress)
    seconds = time.perf_counter() - started
    if not measure:
        return []
    clock_rows = CaseClock.objects.count()
    say("bare rewrite: UPDATE every case row and rewrite every clock row with the same values")
    bare = _bare_rewrite()
    results = [Result(
        f"recompute every clock of {total:,} cases (`huhang cases recompute`; {clock_rows:,} clock rows)",
        f"{total / seconds:,.0f} cases/s ({seconds:.0f} s)",
        f"bare SQL rewrite of the same case and clock rows: {bare:.0f} s",
        f"{seconds / bare:.1f}× the bare time",
    )]  # fmt: skip
    results += _after_schedule(total)
    return results


def _bare_rewrite() -> float:
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE cases_case SET computed_at = computed_at, next_due = next_due")
        cursor.execute("CREATE TEMPORARY TABLE bench_clock AS SELECT * FROM cases_caseclock")
        cursor.execute("DELETE FROM cases_caseclock")
        cursor.execute("INSERT INTO cases_caseclock SELECT * FROM bench_clock")
        cursor.execute("DROP TABLE bench_clock")
    return time.perf_counter() - started


def _after_schedule(total: int) -> list[Result]:
    """Load a (made-up, clearly marked) 2027 schedule and recompute only the cases whose dates touch 2027."""
    from huhang.cases import clocks
    from huhang.schedules.calendar import invalidate
    from huhang.schedules.services import schedule_load

    year = timezone.localdate().year + 1
    admin, _ = User.objects.get_or_create(username="bench_admin", defaults={"role": Role.ADMIN, "is_superuser": True})
    schedule = {
        "year": year,
        "source": "基准测试用假设安排（非官方） / made-up schedule for the benchmark, not official",
        "published": None,
        "holidays": [{"name": "元旦", "dates": [f"{year}-01-01"]}],
        "workdays": [],
    }
    try:
        schedule_load(actor=admin, text_or_dict=schedule)
    except (ValidationError, PermissionDenied) as exc:
        say(f"loading the {year} schedule failed: {exc}")
        return [Result(f"recompute after loading the {year} schedule", f"skipped: {exc}", "", "")]
    invalidate()
    affected = clocks.affected_by_year(year)
    n = affected.count()
    say(f"recomputing the {n:,} cases whose dates touch {year}")
    started = time.perf_counter()
    clocks.recompute(affected, batch_size=2000)
    seconds = time.perf_counter() - started
    return [Result(
        f"after loading the {year} schedule: recompute the {n:,} of {total:,} cases whose dates touch {year}"
        f" (`huhang cases recompute --year {year}`)",
        f"{seconds:.0f} s ({n / seconds if seconds else 0:,.0f} cases/s)", "—", "—",
    )]  # fmt: skip


def worklist_benchmark(handler: User, *, repeats: int) -> list[Result]:
    from huhang.cases.models import Case

    total = Case.objects.count()
    client = Client(HTTP_HOST="localhost")
    client.force_login(handler)
    today = timezone.localdate().isoformat()
    pages = (
        ("own cases, first page", "/cases/", "c.handler_id = %s AND c.organisation_id = %s AND c.is_open",
         [handler.pk, handler.organisation_id], 0),
        ("all open cases of the organisation, first page", "/cases/?scope=all", "c.organisation_id = %s AND c.is_open",
         [handler.organisation_id], 0),
        ("overdue cases of the organisation", "/cases/?scope=all&urgency=overdue",
         "c.organisation_id = %s AND c.is_open AND c.next_due < %s", [handler.organisation_id, today], 0),
        ("all open cases, page 200", "/cases/?scope=all&page=200", "c.organisation_id = %s AND c.is_open",
         [handler.organisation_id], 199 * 50),
    )  # fmt: skip
    results = []
    for label, path, where, params, offset in pages:
        say(f"GET {path} × {repeats}")
        page = repeat_ms(lambda path=path: _get(client, path), times=repeats)
        bare = repeat_ms(lambda w=where, p=params, o=offset: _bare_page(w, p, o), times=repeats)
        (page_median, page_p95), (bare_median, bare_p95) = median_p95(page), median_p95(bare)
        results.append(Result(
            f"worklist, {label} ({total:,} cases): `GET {path}`",
            f"p95 {page_p95:.0f} ms, median {page_median:.0f} ms",
            f"bare SQL page + capped COUNT(*): p95 {bare_p95:.0f} ms, median {bare_median:.0f} ms",
            f"{page_p95 / bare_p95:.1f}× (p95)",
        ))  # fmt: skip
    return results


def _get(client: Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)


def _bare_page(where: str, params: list, offset: int) -> None:
    with connection.cursor() as cursor:
        cap = COUNT_CAP + 1
        cursor.execute(f"SELECT COUNT(*) FROM (SELECT 1 FROM cases_case c WHERE {where} LIMIT {cap}) AS t", params)
        cursor.fetchone()
        cursor.execute(
            "SELECT c.id, c.number, c.title, c.procedure, c.state, c.track, c.next_due, c.provisional, "
            "u.username FROM cases_case c LEFT JOIN accounts_user u ON u.id = c.handler_id "
            f"WHERE {where} ORDER BY c.next_due, c.id LIMIT 50 OFFSET {offset}",
            params,
        )
        cursor.fetchall()

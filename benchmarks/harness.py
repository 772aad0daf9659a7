"""What every benchmark shares: a throw-away instance, a timer and Markdown results."""

from __future__ import annotations

import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Result:
    """One line of the results table: what was measured, against which reference, and the ratio."""

    benchmark: str
    measured: str
    reference: str
    ratio: str


def prepare_instance() -> Path:
    """Point Huhang at a fresh data directory (and SQLite unless DATABASE_URL is set); migrate it."""
    data_dir = Path(tempfile.mkdtemp(prefix="huhang-bench-"))
    os.environ["HUHANG_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huhang.site.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    return data_dir


def say(message: str) -> None:
    """Report progress on stderr, so that stdout holds only the results."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def repeat_ms(action: Callable[[], object], *, times: int, warmup: int = 2) -> list[float]:
    """Run ``action`` ``warmup`` times untimed, then ``times`` times; return each run's milliseconds."""
    for _ in range(warmup):
        action()
    samples = []
    for _ in range(times):
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def median_p95(samples: list[float]) -> tuple[float, float]:
    """Return the median and the 95th percentile of ``samples``."""
    return statistics.median(samples), statistics.quantiles(samples, n=20, method="inclusive")[18]


def machine() -> dict[str, str]:
    """Describe the machine and the database the results were measured on."""
    from django import get_version
    from django.db import connection

    cpu = next(
        (line.split(":", 1)[1].strip() for line in _read("/proc/cpuinfo").splitlines() if "model name" in line),
        platform.processor() or "unknown",
    )
    mem_kb = next((int(line.split()[1]) for line in _read("/proc/meminfo").splitlines() if "MemTotal" in line), 0)
    with connection.cursor() as cursor:
        version = connection.Database.sqlite_version if connection.vendor == "sqlite" else _server_version(cursor)
    return {
        "CPU": f"{cpu}, {os.cpu_count()} logical cores",
        "memory": f"{mem_kb / 1024 / 1024:.1f} GiB",
        "database": f"{connection.vendor} {version}",
        "software": f"Python {platform.python_version()}, Django {get_version()}, {platform.system()}",
    }


def _server_version(cursor) -> str:
    cursor.execute("SELECT version()")
    return cursor.fetchone()[0].split(" on ")[0]


def _read(path: str) -> str:
    try:
        return Path(path).read_text()
    except OSError:
        return ""


def markdown(results: list[Result], info: dict[str, str], *, title: str) -> str:
    """Return the results as a Markdown section with a table."""
    lines = [f"## {title}", ""]
    lines += [f"- {key}: {value}" for key, value in info.items()]
    lines += ["", "| benchmark | measured | reference | ratio |", "|---|---|---|---|"]
    lines += [f"| {r.benchmark} | {r.measured} | {r.reference} | {r.ratio} |" for r in results]
    return "\n".join(lines) + "\n"

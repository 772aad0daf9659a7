"""Run the benchmarks: ``python -m benchmarks`` (all), ``python -m benchmarks registry`` (one capability) or
``python -m benchmarks registry --only import`` (one benchmark of it).

A throw-away data directory is created for the run (and removed afterwards unless ``--keep``); the database
is SQLite in it unless DATABASE_URL names another, which must then be an empty scratch database.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import inspect
import shutil
import time
from pathlib import Path

from benchmarks.harness import machine, markdown, prepare_instance, say

CAPABILITIES = {
    "registry": "benchmarks.registry",
    "ledger": "benchmarks.ledger",
    "cases": "benchmarks.cases",
    "monitoring": "benchmarks.monitoring",
    "patents": "benchmarks.patents",
}
OUT_DIR = Path(__file__).resolve().parent / "out"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("capabilities", nargs="*", metavar="capability", help=", ".join(CAPABILITIES))
    parser.add_argument("--quick", action="store_true", help="small sizes, to check that everything runs")
    parser.add_argument("--keep", action="store_true", help="keep the data directory afterwards")
    parser.add_argument("--only", metavar="benchmark", help="run only this benchmark of each capability, e.g. import")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.capabilities) - set(CAPABILITIES))
    if unknown:
        parser.error(f"unknown capability: {', '.join(unknown)} (known: {', '.join(CAPABILITIES)})")
    started = time.perf_counter()
    data_dir = prepare_instance()
    today = dt.datetime.now().astimezone()
    say(f"data directory {data_dir}")
    try:
        modules = [importlib.import_module(CAPABILITIES[name]) for name in args.capabilities or list(CAPABILITIES)]
        known = sorted({benchmark for module in modules for benchmark in module.BENCHMARKS})
        if args.only is not None and args.only not in known:
            parser.error(f"unknown benchmark: {args.only} (known: {', '.join(known)})")
        results = []
        for module in modules:
            # --keep also lets a module keep (and reuse) an expensive fixture, e.g. the ledger's 10M-entry log.
            keep = {"keep": args.keep} if "keep" in inspect.signature(module.run).parameters else {}
            results += module.run(quick=args.quick, work_dir=data_dir, only=args.only, **keep)
        info = {"date": f"{today:%Y-%m-%d %H:%M %z}", **machine()}
        only = f", only {args.only}" if args.only else ""
        info["run"] = f"{'quick' if args.quick else 'full'}{only}, {time.perf_counter() - started:.0f} s in all"
        text = markdown(results, info, title=f"Results of {today:%Y-%m-%d %H:%M}")
    finally:
        if not args.keep:
            shutil.rmtree(data_dir, ignore_errors=True)
    print(text)
    OUT_DIR.mkdir(exist_ok=True)
    out = OUT_DIR / f"results-{today:%Y-%m-%d}.md"
    with out.open("a", encoding="utf-8") as file:
        file.write(text + "\n")
    say(f"written to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""`python -m monitor.bench`: run the bench, print the table, write bench/results.json."""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from monitor.bench.corpus import CorpusSettings
from monitor.bench.report import render_table, write_results
from monitor.bench.run import BenchSettings, run_bench

REPO = Path(__file__).resolve().parents[3]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m monitor.bench", description=__doc__)
    parser.add_argument("--feeds", type=int, default=50)
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--real-pages", type=int, default=300)
    parser.add_argument(
        "--fresh-pages", type=int, default=200, help="new articles per growth cycle"
    )
    parser.add_argument(
        "--sizes", type=int, nargs="+", default=[1000, 5000], help="warehouse sizes"
    )
    parser.add_argument("--repeat", type=int, default=2, help="best of this many runs")
    parser.add_argument(
        "--real-dir", type=Path, default=REPO.parent / "shared" / "corpus" / "pages"
    )
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results.json")
    parser.add_argument("--workdir", type=Path, help="keep corpus and warehouses here")
    args = parser.parse_args(argv)
    settings = BenchSettings(
        corpus=CorpusSettings(
            feeds=args.feeds,
            pages=args.pages,
            real_pages=args.real_pages,
            fresh_pages=args.fresh_pages,
        ),
        real_dir=args.real_dir,
        warehouse_sizes=tuple(args.sizes),
        repeat=args.repeat,
    )
    if args.workdir:
        results = run_bench(settings, args.workdir)
    else:
        with tempfile.TemporaryDirectory(prefix="monitor-bench-") as work:
            results = run_bench(settings, Path(work))
    print(render_table(results))
    write_results(results, args.out)
    print(f"\nwritten to {args.out}")


if __name__ == "__main__":
    main()

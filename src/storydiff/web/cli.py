"""`storydiff serve`: the local web app over a store."""

from __future__ import annotations

import argparse
import ipaddress
import os
from typing import Any

from storydiff.errors import CliError

LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}
# How `storydiff serve --workers N` hands the store and the token to its worker processes.
SERVE_DB_VAR = "STORYDIFF_SERVE_DB"
SERVE_TOKEN_VAR = "STORYDIFF_SERVE_TOKEN"
# Two processes keep searches answered while an analysis takes the other cores; more mostly cost memory.
DEFAULT_WORKERS = min(os.cpu_count() or 1, 2)


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _workers(value: str) -> int:
    try:
        workers = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if workers < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return workers


def register(sub: Any) -> None:
    p = sub.add_parser(
        "serve",
        help="browse and search a store in the browser (local web app and JSON API)",
        description="Serve the store as a local web app: stories, speakers, outlets, search, articles "
        "with highlights, and a JSON API under /api (OpenAPI document at /openapi.json). Listens on "
        "127.0.0.1 unless --host is given; any other address needs --token (or $STORYDIFF_TOKEN), "
        "which every request must then carry (?token=..., or an 'Authorization: Bearer' header).",
    )
    p.add_argument("--db", help="the database (default: $STORYDIFF_DB or storydiff.db)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument("--token", default=os.environ.get("STORYDIFF_TOKEN"), help="required on every request")
    p.add_argument(
        "--workers",
        type=_workers,
        default=DEFAULT_WORKERS,
        help=f"server processes answering requests (default {DEFAULT_WORKERS}: up to two, one per core); "
        "more use more cores, each with its own connections to the store, and each loads its own spaCy "
        "pipeline the first time /analyze is used",
    )
    p.set_defaults(func=cmd_serve)


def app_from_environment() -> Any:
    """The app of one `--workers` process: its own store, opened from what `cmd_serve` passed on."""
    from storydiff.store import open_store
    from storydiff.web.app import create_app

    store = open_store(os.environ[SERVE_DB_VAR])
    return create_app(store, token=os.environ.get(SERVE_TOKEN_VAR) or None)


def cmd_serve(args: argparse.Namespace) -> int:
    if not is_loopback(args.host) and not args.token:
        raise CliError(
            f"--host {args.host} is reachable from other machines: give --token (or STORYDIFF_TOKEN)"
        )
    try:
        import uvicorn

        from storydiff.web.app import create_app
    except ModuleNotFoundError as e:
        raise CliError(f"the web app needs {e.name}: pip install 'storydiff[web]'") from e
    from storydiff.store import open_store

    store = open_store(args.db)
    try:
        print(f"storydiff: serving {store.display_url} on http://{args.host}:{args.port}/", flush=True)
        if args.workers > 1:
            # Each worker process imports the app factory and opens the store itself.
            os.environ[SERVE_DB_VAR] = store.url
            os.environ[SERVE_TOKEN_VAR] = args.token or ""
            uvicorn.run(
                "storydiff.web.cli:app_from_environment",
                factory=True,
                workers=args.workers,
                host=args.host,
                port=args.port,
                log_level="warning",
            )
        else:
            app = create_app(store, token=args.token)
            uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    finally:
        store.close()
    return 0

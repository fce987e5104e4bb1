"""`storydiff serve`: the local web app over a store."""

from __future__ import annotations

import argparse
import ipaddress
import os
from typing import Any

LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


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
    p.set_defaults(func=cmd_serve)


def cmd_serve(args: argparse.Namespace) -> int:
    from storydiff.cli import CliError

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
        app = create_app(store, token=args.token)
        print(f"storydiff: serving {store.display_url} on http://{args.host}:{args.port}/", flush=True)
        uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    finally:
        store.close()
    return 0

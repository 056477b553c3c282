"""``handbook serve``: preview a built site on 127.0.0.1."""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import sys
from pathlib import Path

from handbook.cli.registry import Command

DEFAULT_PORT = 8000


def cmd_serve(args) -> int:
    folder = Path(args.directory) if args.directory else Path("_build/html")
    if not (folder / "index.html").exists() and (folder / "_build" / "html" / "index.html").exists():
        folder = folder / "_build" / "html"  # a project folder: its built site
    if not (folder / "index.html").exists():
        print(f"handbook serve: {folder} has no index.html; build the site first (`handbook html`)", file=sys.stderr)
        return 2
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    # the default port may be taken (another preview still running): then the next free one
    ports = [args.port] if args.port is not None else list(range(DEFAULT_PORT, DEFAULT_PORT + 20))
    for n, port in enumerate(ports):
        try:
            httpd = http.server.ThreadingHTTPServer((args.bind, port), handler)
            break
        except OSError:
            if n == len(ports) - 1:
                raise
    with httpd:
        host, port = httpd.server_address[:2]
        print(f"Serving {folder} at http://{host}:{port}/ (Ctrl+C to stop)", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            httpd.serve_forever()
    return 0


def serve_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "directory", nargs="?", default=None, help="the built site, or a project folder (default: _build/html)"
    )
    p.add_argument("--port", type=int, default=None, help=f"the port (default: {DEFAULT_PORT}, or the next free one)")
    p.add_argument("--bind", default="127.0.0.1")


COMMAND = Command(
    "serve",
    "serve a built site on 127.0.0.1 for preview",
    "Serve the built HTML over HTTP (browsers do not load the charts' JavaScript modules from file://).",
    serve_arguments,
    cmd_serve,
)

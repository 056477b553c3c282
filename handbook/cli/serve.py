"""``handbook serve``: preview a built site on 127.0.0.1."""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import os
import sys
from pathlib import Path

from handbook.cli.registry import Command

DEFAULT_PORT = 8000


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """The site's files and nothing else: no folder listings (a folder without index.html is
    404), and no file reached through a symbolic link that leads out of the site."""

    def list_directory(self, path):  # type: ignore[override]
        self.send_error(404, "File not found")
        return None

    def send_head(self):  # type: ignore[override]
        path = self.translate_path(self.path)
        root = os.path.realpath(self.directory)
        real = os.path.realpath(path)
        if real != root and not real.startswith(root + os.sep):
            self.send_error(404, "File not found")
            return None
        return super().send_head()


def cmd_serve(args) -> int:
    folder = Path(args.directory) if args.directory else Path("_build/html")
    if not (folder / "index.html").exists() and (folder / "_build" / "html" / "index.html").exists():
        folder = folder / "_build" / "html"  # a project folder: its built site
    if not (folder / "index.html").exists():
        print(f"handbook serve: {folder} has no index.html; build the site first (`handbook html`)", file=sys.stderr)
        return 2
    handler = functools.partial(SiteHandler, directory=str(folder))
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

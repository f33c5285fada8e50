"""Commands of the publish stage: serve (the web site, JSON API and feeds) and build-site (a static copy)."""

from __future__ import annotations

import os
from pathlib import Path

import typer

from track287g.cli.common import UserError, app, open_db, out, state

SERVERS = ("uvicorn", "granian")
STOP_SECONDS = 1  # how long a request in flight may run on after SIGTERM before the worker is stopped


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8287, "--port", help="Port to listen on."),
    server: str = typer.Option("granian", "--server", help="granian (default) or uvicorn."),
    workers: int = typer.Option(1, "--workers", min=1, max=16, help="Worker processes."),
    base_url: str = typer.Option(
        None,
        "--base-url",
        envvar="TRACK287G_BASE_URL",
        help="The site's public address, for canonical links, preview cards and feeds (default: as each request "
        "came); with a path (https://example.org/track287g), every link begins with it (behind a proxy).",
    ),
) -> None:
    """Serve the web site, the JSON API (/api/v1) and the Atom feeds (/feeds) from the database."""
    from track287g.publish.downloads import EXPORTS_ENV, exports_root

    if server not in SERVERS:
        raise UserError(f"--server must be one of {', '.join(SERVERS)}")
    db = open_db()  # fail early, with one clear line, when there is no database
    location = db.location
    db.dispose()
    os.environ["TRACK287G_DB"] = location
    # workers log the requests in flight, and those cut, when told to stop (web.app.SERVE_ENV; not imported here:
    # this process only supervises them)
    os.environ["TRACK287G_SERVING"] = str(STOP_SECONDS)
    os.environ[EXPORTS_ENV] = str(exports_root(location, state.exports).resolve())
    if base_url:
        os.environ["TRACK287G_BASE_URL"] = base_url
    out.print(f"serving {location} on http://{host}:{port}/ (English) and http://{host}:{port}/es/ (español)")
    if server == "granian":
        from granian import Granian
        from granian.constants import Interfaces

        Granian(
            "track287g.web.app:app_from_env",
            address=host,
            port=port,
            interface=Interfaces.ASGI,
            workers=workers,
            factory=True,
            workers_kill_timeout=STOP_SECONDS,  # a request still running then is cut: the server stops within 2 s
        ).serve()
        _exit_now()
    import uvicorn

    uvicorn.run(
        "track287g.web.app:app_from_env",
        host=host,
        port=port,
        factory=True,
        workers=workers,
        log_level="warning",
        timeout_graceful_shutdown=STOP_SECONDS,
    )
    _exit_now()


def _exit_now() -> None:
    """The server has stopped and said so: exit without tearing down every loaded module (seconds on a busy
    machine), so that the whole process ends within 2 s of SIGTERM."""
    import logging
    import sys

    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


@app.command("build-site")
def build_site(
    directory: Path = typer.Argument(..., metavar="DIR", help="Where to write the site (updated in place)."),
    base_url: str = typer.Option(
        "http://127.0.0.1:8000",
        "--base-url",
        envvar="TRACK287G_BASE_URL",
        help="The address the site will be served at (canonical links, preview cards, feeds, sitemap.xml); with a "
        "path (https://example.github.io/track287g), links begin with it: publish DIR there.",
    ),
) -> None:
    """Write the whole site (every page in English and Spanish, JSON twins, API resources, feeds, preview cards,
    sitemap, bulk downloads) as static files; only what changed since the last build is written again."""
    from track287g import pipeline
    from track287g.publish.static_site import MANIFEST
    from track287g.publish.static_site import build_site as build
    from track287g.web.app import STATIC, code_version, create_app
    from track287g.web.site import Site

    if not base_url.startswith(("http://", "https://")):
        raise UserError(f"--base-url must be an http:// or https:// address, not {base_url!r}")
    db = open_db()
    if directory.exists() and any(directory.iterdir()) and not (directory / MANIFEST).exists():
        raise UserError(f"{directory} is not empty and is not a track287g site; choose an empty folder")
    pipeline.publish_downloads(db, state.exports)  # the downloads the site offers (written when missing)
    db.dispose()
    site = Site(state.db_location, state.exports, pinned=True)

    def make_app() -> object:  # in each worker process: its own connection to the database
        return create_app(Site(state.db_location, state.exports, pinned=True), base_url, inline=True)

    try:
        report = build(make_app, site, directory, static=STATIC, base_url=base_url, code=code_version())
    finally:
        site.close()
    if report.unchanged:
        what = f"unchanged since the last build (data version {site.version}): {report.files:,} files"
    else:
        what = f"{report.files:,} files, {report.written:,} written"
    largest = f"largest {report.largest[0].lstrip('/')} ({report.largest[1] / 1e6:.1f} MB)"
    out.print(
        f"{directory}: {what} ({report.bytes / 1e6:.1f} MB on disk; {largest}) in {report.seconds:.1f} s",
        highlight=False,
    )
    if report.kept:
        out.print(f"  {report.kept:,} pages kept as they were: their data did not change", highlight=False)
    for e in report.errors[:20]:
        out.print(f"  failed: {e}", highlight=False)
    if report.errors:
        raise UserError(f"{len(report.errors)} addresses failed", code=1)

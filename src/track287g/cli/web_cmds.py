"""Commands of the publish stage: serve (the web site, JSON API and feeds) and build-site (a static copy)."""

from __future__ import annotations

from pathlib import Path

import typer

from track287g.cli.common import UserError, app, open_db, out, state

SERVERS = ("uvicorn", "granian")


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8287, "--port", help="Port to listen on."),
    server: str = typer.Option("granian", "--server", help="granian (default) or uvicorn."),
    workers: int = typer.Option(1, "--workers", min=1, max=16, help="Worker processes."),
) -> None:
    """Serve the web site, the JSON API (/api/v1) and the Atom feeds (/feeds) from the database."""
    import os

    if server not in SERVERS:
        raise UserError(f"--server must be one of {', '.join(SERVERS)}")
    db = open_db()  # fail early, with one clear line, when there is no database
    location = db.location
    db.dispose()
    os.environ["TRACK287G_DB"] = location
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
        ).serve()
        return
    import uvicorn

    uvicorn.run(
        "track287g.web.app:app_from_env", host=host, port=port, factory=True, workers=workers, log_level="warning"
    )


@app.command("build-site")
def build_site(
    directory: Path = typer.Argument(..., metavar="DIR", help="Where to write the site (emptied first)."),
) -> None:
    """Write the whole site (every page in English and Spanish, JSON twins, API resources, feeds) as static files."""
    from track287g.publish.static_site import build_site as build
    from track287g.web.app import STATIC, create_app
    from track287g.web.site import Site

    db = open_db()
    db.dispose()
    if directory.exists() and any(directory.iterdir()) and not (directory / "index.html").exists():
        raise UserError(f"{directory} is not empty and is not a track287g site; choose an empty folder")
    site = Site(state.db_location)
    try:
        report = build(create_app(site), site, directory, static=STATIC)
    finally:
        site.close()
    out.print(
        f"wrote {report.files:,} files ({report.bytes / 1e6:.1f} MB) to {directory} in {report.seconds:.1f} s",
        highlight=False,
    )
    for e in report.errors[:20]:
        out.print(f"  failed: {e}", highlight=False)
    if report.errors:
        raise UserError(f"{len(report.errors)} addresses failed", code=1)

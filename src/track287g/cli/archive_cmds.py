"""Commands of the archive stage: build, ingest, publications, rebuild, summary, quarantine."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from track287g import pipeline, questions
from track287g.cli.common import UserError, app, err, open_db, out, print_json, print_json_line
from track287g.config import bundled_archive
from track287g.plurals import count


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    )


def _run_ingest(paths: list[str], as_json: bool, max_bytes: int | None) -> pipeline.IngestReport:
    db = open_db(create=True)
    with _progress() as progress:
        task = progress.add_task("ingesting", total=None)

        def on_file(result: pipeline.FileResult) -> None:
            progress.advance(task)
            if as_json:
                print_json_line(result.as_json())
            elif result.status == "rejected":
                progress.console.print(f"[red]rejected[/red] {result.file}: {result.error}", highlight=False)

        report = pipeline.ingest_paths(
            db,
            paths,
            max_bytes=max_bytes,
            on_file=on_file,
            total=lambda n: progress.update(task, total=n),
        )
    for path in report.missing:
        err.print(f"[red]error:[/red] {path}: no such file or folder", highlight=False)
    if not as_json:
        stored, unchanged, rejected = (report.count(s) for s in ("stored", "unchanged", "rejected"))
        files = count(len(report.results), "file", "files")
        out.print(
            f"{files}: {stored} stored, {unchanged} unchanged, {rejected} rejected"
            + (f"; neither lists nor PDFs, left aside: {_names(report.ignored)}" if report.ignored else "")
        )
        if report.history:
            h = report.history
            out.print(
                f"history rebuilt: {h.get('agencies', 0)} agencies, {h.get('agreements', 0)} agreements, "
                f"{h.get('events', 0)} events"
            )
    db.dispose()
    return report


@app.command()
def ingest(
    paths: list[str] = typer.Argument(..., metavar="PATH...", help="Files or folders (searched recursively)."),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per file on stdout."),
    max_bytes: int = typer.Option(None, "--max-bytes", help="Size limit per file (default 50 MB)."),
) -> None:
    """Archive ICE publications (byte for byte, by sha256) and read them into the database."""
    report = _run_ingest(paths, as_json, max_bytes)
    if not report.ok:
        raise typer.Exit(1)


@app.command()
def build(
    paths: list[str] = typer.Argument(None, metavar="[PATH...]", help="Default: the bundled archive."),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
) -> None:
    """The main job: ingest the bundled archive (or PATHs), rebuild the history, print what the database holds."""
    if not paths:
        archive = bundled_archive()
        if archive is None:
            raise UserError("no bundled archive found (data/archive in a source checkout); give PATHs")
        paths = [str(archive)]
    report = _run_ingest(paths, False, None) if not as_json else None
    if as_json:
        db = open_db(create=True)
        report = pipeline.ingest_paths(db, paths)
        db.dispose()
    db = open_db()
    with db.read() as conn:
        summary = questions.summary(conn)
    db.dispose()
    if as_json:
        print_json(summary)
    else:
        _print_summary(summary)
    if report is not None and not report.ok:
        raise typer.Exit(1)


def _names(paths: list[str], shown: int = 3) -> str:
    names = [Path(p).name for p in paths]
    return ", ".join(names[:shown]) + (f" and {len(names) - shown} more" if len(names) > shown else "")


def _print_summary(s: dict) -> None:
    out.print(
        f"\n[bold]track287g database[/bold]: {s['files']} files ({s['bytes'] / 1e6:.1f} MB) under "
        f"{s['names']} names; {s['quarantined']} quarantined"
    )
    table = Table("publications", "files", "rows", "first", "last")
    for kind, v in s["publications"].items():
        table.add_row(kind, str(v["publications"]), f"{v['rows']:,}", v["first"], v["last"])
    out.print(table)
    for kind, v in s["latest"].items():
        out.print(
            f"latest {kind} list: published {v['published']} {v['part']}, {v['rows']:,} rows "
            f"(sha256 {v['sha256'][:12]})"
        )
    out.print(f"{s['distinct_rows']:,} distinct rows as printed, {s['repairs']:,} repaired values")
    if s.get("matched") is not None:
        out.print(f"FBI rosters: {s['matched']:,} of {s['agencies']:,} agencies matched to an ORI")
    if s["agencies"]:
        out.print(
            f"history: {s['agencies']:,} agencies, {s['agreements']:,} agreements, "
            f"{s['pending_listings']:,} pending applications, {s['events']:,} events"
        )
    docs = s.get("documents") or {}
    if docs.get("documents"):
        by = docs["by_text_source"]
        how = f"{by.get('text-layer', 0):,} read from their text layer, {by.get('ocr', 0):,} with pages read by OCR"
        out.print(
            f"signed agreements (MOA PDFs): {docs['documents']:,} ({how}); {docs['linked']:,} linked to an agreement"
        )


@app.command()
def summary(as_json: bool = typer.Option(False, "--json")) -> None:
    """Print what the database holds."""
    db = open_db()
    with db.read() as conn:
        s = questions.summary(conn)
    print_json(s) if as_json else _print_summary(s)


@app.command()
def publications(
    kind: str = typer.Option(None, "--kind", help="participating or pending"),
    as_json: bool = typer.Option(False, "--json", help="A JSON list of publications."),
) -> None:
    """Every stored publication: kind, published date and how it was known, names, rows, models, flags."""
    db = open_db()
    with db.read() as conn:
        pubs = questions.publications(conn, kind)
    if as_json:
        print_json(pubs)
        return
    table = Table("kind", "published", "from", "rows", "models", "names", "sha256", "flags")
    for p in pubs:
        models = " ".join(f"{k} {v}" for k, v in p["models"].items())
        names = p["names"][0] + (f" +{len(p['names']) - 1}" if len(p["names"]) > 1 else "")
        table.add_row(
            p["kind"] + (" (html)" if p["derived"] else ""),
            f"{p['published']} {p['part']}".strip(),
            p["published_from"],
            str(p["rows"]),
            models,
            names,
            p["sha256"][:10],
            ", ".join(p["flags"]),
        )
    out.print(table)
    out.print(count(len(pubs), "publication", "publications"))


@app.command()
def rebuild() -> None:
    """Recreate everything derived from the archive (publications, rows, history) from the raw bytes."""
    db = open_db()
    with _progress() as progress:
        task = progress.add_task("rebuilding", total=None)
        result = pipeline.rebuild(db, on_file=lambda _sha: progress.advance(task))
    for sha, reason in result["unreadable"].items():
        err.print(f"[yellow]warning:[/yellow] archived file {sha[:12]} is no longer readable: {reason}")
    h = result["history"]
    out.print(
        f"rebuilt {result['publications']} publications; {h.get('agencies', 0)} agencies, "
        f"{h.get('agreements', 0)} agreements, {h.get('events', 0)} events"
    )


@app.command()
def quarantine(as_json: bool = typer.Option(False, "--json")) -> None:
    """Files that were rejected, with the reason (their bytes are kept for inspection)."""
    db = open_db()
    with db.read() as conn:
        rows = questions.quarantine(conn)
    if as_json:
        print_json(rows)
        return
    for r in rows:
        out.print(f"{r['received_at']}  {r['name']} ({r['size']:,} bytes): {r['reason']}", highlight=False)
    out.print(count(len(rows), "quarantined file", "quarantined files"))


__all__ = ["Path"]

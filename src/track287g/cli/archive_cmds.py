"""Commands of the archive stage: build, ingest, publications, rebuild, summary, quarantine."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import typer

from track287g.cli.common import (
    NO_WAIT_HELP,
    UserError,
    app,
    err,
    open_db,
    out,
    print_json,
    print_json_line,
    state,
)
from track287g.config import bundled_archive, bundled_places
from track287g.plurals import count

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

    from track287g import pipeline


class _NoProgress:
    """What a command reports its progress to when no terminal shows it (a log, a pipe, the watcher): the
    messages go to the console, the bar nowhere. Rich's progress bar, switched off, still cost its import: 7 ms
    of CPU and 32 million instructions of an add of one of ICE's lists (0.5%)."""

    def __init__(self) -> None:
        self.console = err.console

    def __enter__(self) -> _NoProgress:
        return self

    def __exit__(self, *_exc: object) -> None:
        return None

    def add_task(self, _description: str, **_fields: Any) -> TaskID:
        return cast("TaskID", 0)

    def advance(self, _task: TaskID) -> None:
        return None

    def update(self, _task: TaskID, **_fields: Any) -> None:
        return None


def _progress() -> Progress | _NoProgress:
    """A progress bar on a terminal; elsewhere the lines that say something, not a blank."""
    if not err.console.is_terminal:
        return _NoProgress()
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err.console,
        transient=True,
    )


HISTORY_HELD_EXIT = 4  # the history left lists out (held) or could not be rebuilt: the previous one stands


def _run_ingest(paths: list[str], as_json: bool, max_bytes: int | None, no_wait: bool) -> pipeline.IngestReport:
    from track287g import pipeline

    db = open_db(create=True, no_wait=no_wait)
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
            out.print(f"history rebuilt: {_history_counts(h)}")
            print_revised(h)
    print_history_problems(report.history, report.history_error)
    db.dispose()
    return report


def _history_counts(history: dict) -> str:
    """What a rebuilt history holds, counted in words that fit: "1,312 agencies, 1,570 agreements, 3,706 events"."""
    agencies = count(history.get("agencies", 0), "agency", "agencies")
    agreements = count(history.get("agreements", 0), "agreement", "agreements")
    return f"{agencies}, {agreements}, {count(history.get('events', 0), 'event', 'events')}"


def print_revised(history: dict) -> None:
    """How many changes already reported for earlier lists the rebuild withdrew or added, when any."""
    if history.get("revised"):
        changes = count(history["revised"], "change", "changes")
        out.print(f"{changes} to lists already in the record revised (track287g revisions)", highlight=False)


def print_history_problems(history: dict | None, error: str | None) -> None:
    """Lists held out of the history, or a history that could not be rebuilt: one line each, on stderr."""
    for sha, reason in ((history or {}).get("held") or {}).items():
        err.print(f"[yellow]held:[/yellow] list {sha[:12]} is not in the history: {reason}", highlight=False)
    if error:
        err.print(f"[red]error:[/red] {error}", highlight=False)


def _exit_code(report: pipeline.IngestReport) -> int:
    if report.history_error or report.newly_held:
        return HISTORY_HELD_EXIT
    return 0 if report.ok else 1


@app.command()
def ingest(
    paths: list[str] = typer.Argument(..., metavar="PATH...", help="Files or folders (searched recursively)."),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per file on stdout."),
    max_bytes: int = typer.Option(None, "--max-bytes", help="Size limit per file (default 50 MB)."),
    no_wait: bool = typer.Option(False, "--no-wait", help=NO_WAIT_HELP),
    exports: bool = typer.Option(
        False, "--exports", help="Then write the bulk downloads of the new data version (build and watch do so)."
    ),
) -> None:
    """Archive ICE publications (byte for byte, by sha256) and read them into the database."""
    if not exports:  # the process ends with the ingest: no garbage collection at its end, its exit frees the heap
        gc.disable()
    report = _run_ingest(paths, as_json, max_bytes, no_wait)
    if exports and report.count("stored"):
        _write_downloads(quiet=as_json)
    if not report.ok:
        raise typer.Exit(_exit_code(report))


@app.command()
def build(
    paths: list[str] = typer.Argument(None, metavar="[PATH...]", help="Default: the bundled archive."),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
    exports: bool = typer.Option(
        True, "--exports/--no-exports", help="Write the bulk downloads of the new data version (default: yes)."
    ),
    no_wait: bool = typer.Option(False, "--no-wait", help=NO_WAIT_HELP),
) -> None:
    """The main job: ingest the bundled archive (or PATHs), rebuild the history, print what the database holds,
    and write the bulk downloads of this data version beside the database (what /downloads/ and build-site offer)."""
    from track287g import pipeline, questions

    if not paths:
        archive = bundled_archive()
        if archive is None:
            places = " or ".join(str(p) for p in bundled_places("archive"))
            raise UserError(f"no bundled archive found (looked in {places}); give the folder of ICE's lists as PATH")
        paths = [str(archive)]
    report = _run_ingest(paths, False, None, no_wait) if not as_json else None
    if as_json:
        db = open_db(create=True, no_wait=no_wait)
        report = pipeline.ingest_paths(db, paths)
        print_history_problems(report.history, report.history_error)
        db.dispose()
    db = open_db()
    with db.read() as conn:
        summary = questions.summary(conn)
    db.dispose()
    if as_json:
        print_json(summary)
    else:
        _print_summary(summary)
    if exports:
        _write_downloads(quiet=as_json)
    if report is not None and not report.ok:
        raise typer.Exit(_exit_code(report))


def _write_downloads(quiet: bool) -> None:
    """Write the bulk exports of the current data version (unless they are there) and say so."""
    from track287g import pipeline

    db = open_db()
    try:
        result = pipeline.publish_downloads(db, state.exports)
    finally:
        db.dispose()
    if quiet:
        return
    total = sum(f["bytes"] for f in result["files"])
    files = count(len(result["files"]), "file", "files")
    done = f"written in {result['seconds']:.1f} s" if result["written"] else "already there"
    out.print(
        f"downloads: {files} ({total / 1e6:.1f} MB) for data version {result['version']} in {result['root']}, {done}",
        highlight=False,
    )


def _names(paths: list[str], shown: int = 3) -> str:
    names = [str(Path(*Path(p).parts[-2:])) for p in paths]  # the folder too: two PROVENANCE.md are two files
    return ", ".join(names[:shown]) + (f" and {len(names) - shown} more" if len(names) > shown else "")


def _print_summary(s: dict) -> None:
    from rich.table import Table

    out.print(
        f"\n[bold]track287g database[/bold]: {s['files']} files ({s['bytes'] / 1e6:.1f} MB) under "
        f"{s['names']} names; {s['quarantined']} quarantined"
    )
    table = Table("publications", "files", "rows", "first", "last")
    for kind, v in s["publications"].items():
        table.add_row(kind, str(v["publications"]), f"{v['rows']:,}", v["first"] or "–", v["last"] or "–")
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
    if s["history"]["note"]:
        label = "note" if s["history"]["state"] == "current" else f"history {s['history']['state']}"
        out.print(f"[yellow]{label}:[/yellow] {s['history']['note']}", highlight=False)
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
    from track287g import questions

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
    from rich.table import Table

    from track287g import questions

    db = open_db()
    with db.read() as conn:
        pubs = questions.publications(conn, kind)
    if as_json:
        print_json(pubs)
        return
    table = Table("kind", "published", "from", "rows", "models", "names", "sha256", "flags")
    held = [p for p in pubs if p["history"] != "in"]
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
            ", ".join(p["flags"] + ([f"HELD: {p['held_reason']}"] if p["history"] == "held" else []))
            + (" not yet in the history" if p["history"] == "waiting" else ""),
        )
    out.print(table)
    out.print(count(len(pubs), "publication", "publications") + (f"; {len(held)} not in the history" if held else ""))


@app.command()
def rebuild(no_wait: bool = typer.Option(False, "--no-wait", help=NO_WAIT_HELP)) -> None:
    """Recreate everything derived from the archive (publications, rows, history) from the raw bytes, in one
    transaction: readers see the old record until the new one is complete."""
    from track287g import pipeline

    db = open_db(no_wait=no_wait)
    with _progress() as progress:
        task = progress.add_task("rebuilding", total=None)
        result = pipeline.rebuild(db, on_file=lambda _sha: progress.advance(task))
    for sha, reason in result["unreadable"].items():
        err.print(f"[yellow]warning:[/yellow] archived file {sha[:12]} is no longer readable: {reason}")
    h = result["history"]
    out.print(f"rebuilt {count(result['publications'], 'publication', 'publications')}; {_history_counts(h)}")
    print_revised(h)
    print_history_problems(h, None)
    if h.get("newly_held"):
        raise typer.Exit(HISTORY_HELD_EXIT)


@app.command()
def quarantine(as_json: bool = typer.Option(False, "--json")) -> None:
    """Files that were rejected, with the reason (their bytes are kept for inspection)."""
    from track287g import questions

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

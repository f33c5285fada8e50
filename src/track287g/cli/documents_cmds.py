"""Commands of the documents stage: documents, document, moa-coverage, reread-documents, export-transcripts."""

from __future__ import annotations

from pathlib import Path

import typer

from track287g.cli.common import UserError, app, open_db, out, print_json
from track287g.plurals import count


def _signed(d: dict) -> str:
    return " / ".join(v or "?" for v in (d["signed_agency"], d["signed_ice"]))


@app.command("documents")
def documents_cmd(
    search: str = typer.Option(None, "--search", help='Full text: words (all required) and "quoted phrases".'),
    agency: str = typer.Option(
        None, "--agency", help="Part of the agency's name (as the document or ICE's list gives it)."
    ),
    state: str = typer.Option(None, "--state", help="USPS code."),
    agreement: str = typer.Option(None, "--agreement", help="Only documents linked to this agreement id."),
    as_json: bool = typer.Option(False, "--json", help="A JSON list of documents."),
) -> None:
    """The archived MOAs and addenda: what each says (models, agency, who signed and when) and its agreement."""
    from rich.table import Table

    from track287g import questions

    db = open_db()
    with db.read() as conn:
        found = questions.documents(conn, search, agency, state, agreement)
    if as_json:
        print_json(found)
        return
    table = Table("sha256", "kind", "text", "models", "state", "agency", "signed (agency / ICE)", "agreement")
    for d in found:
        table.add_row(
            d["sha256"][:10],
            d["kind"] or "?",
            d["text_source"] + (f" ({d['pages_ocr']} p.)" if d["pages_ocr"] else ""),
            ",".join(d["models"]) or "?",
            d["state"] or "?",
            d["agency"] or "?",
            _signed(d),
            d["agreement_id"] or "-",
        )
        for m in d.get("matches", [])[:3]:
            table.add_row("", "", f"p. {m['page']}", "", "", m["excerpt"], "", "")
    if found:
        out.print(table)
    what = ""
    if search:  # a search with its own "quoted phrases" is printed as typed
        what = f" mentioning {search}" if '"' in search else f" mentioning “{search}”"
    out.print(
        f"{len(found)} document{'s' if len(found) != 1 else ''}{what}; ? = not found in the document", highlight=False
    )


@app.command("document")
def document_cmd(
    ref: str = typer.Argument(..., help="A sha256 (or its first 6+ characters) or a file name it was found under."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """One document in full: every extracted field with the text it was read from, its page and confidence."""
    from rich.table import Table

    from track287g import questions

    db = open_db()
    with db.read() as conn:
        d = questions.document(conn, ref)
    if as_json:
        print_json(d)
        return
    out.print(
        f"[bold]{d['names'][0]}[/bold] ({d['kind'] or 'kind unknown'}, {count(d['pages'], 'page', 'pages')}, text: "
        f"{d['text_source']}{', OCR by ' + d['ocr_engine'] if d['ocr_engine'] else ''})",
        highlight=False,
    )
    out.print(
        f"sha256 {d['sha256']}; agreement {d['agreement_id'] or 'not linked'}"
        f"{' (' + d['link_rule'] + ')' if d['link_rule'] else ''}",
        highlight=False,
    )
    table = Table("field", "value", "page", "confidence", "rule", "read from")
    for name, f in d["fields"].items():
        table.add_row(name, f["value"], str(f["page"]), f"{f['confidence']:.2f}", f["rule"], f["raw"][:70])
    out.print(table)
    for s in d["signers"]:
        out.print(
            f"signer ({s['party']}, block {s['block']}, page {s['page']}): {s['name'] or '?'}, "
            f"{s['title'] or '?'}, signed {s['signed'] or '?'}",
            highlight=False,
        )
    for c in d["date_checks"]:
        out.print(f"date check {c['agreement_id']}: {c['result']} - {c['note']}", highlight=False)


@app.command("moa-coverage")
def moa_coverage(
    as_of: str = typer.Option(None, "--as-of", help="Use ICE's list in force on this date (default: the latest)."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """How many agreements on ICE's participating list have their MOA on file: nationally, per state and model."""
    from rich.table import Table

    from track287g import questions

    db = open_db()
    with db.read() as conn:
        c = questions.moa_coverage(conn, as_of)
    if as_json:
        print_json(c)
        return
    p, n = c["publication"], c["national"]
    out.print(
        f"{n['with_moa']:,} of {n['agreements']:,} agreements have their MOA on file, on ICE's participating list "
        f"published {p['published']} {p['part']}".rstrip(),
        highlight=False,
    )
    table = Table("model", "with MOA", "agreements")
    for model, v in c["by_model"].items():
        table.add_row(model, f"{v['with_moa']:,}", f"{v['agreements']:,}")
    out.print(table)
    states = [f"{s} {v['with_moa']}/{v['agreements']}" for s, v in c["by_state"].items() if v["with_moa"]]
    out.print("by state (with any): " + ", ".join(states), highlight=False)
    out.print(
        f"{c['documents']:,} documents archived; an agreement counts when an MOA (not an addendum) is linked to it"
    )


@app.command("reread-documents")
def reread_documents(
    ocr: bool = typer.Option(True, "--ocr/--no-ocr", help="OCR pages without a (readable) text layer."),
) -> None:
    """Read every archived PDF again (after a reader or Tesseract upgrade), then redo the documents stage."""
    from track287g import pipeline
    from track287g.documents.limits import limits_from_env
    from track287g.documents.reread import reread_all

    db = open_db()
    with pipeline.writing(db, "reread-documents"):  # one writer at a time
        result = reread_all(db, limits_from_env(ocr=ocr))
    for sha, reason in result["failed"].items():
        out.print(f"[yellow]warning:[/yellow] {sha[:12]} could not be read again: {reason}; the earlier reading stays")
    read = count(result["read"], "document", "documents")
    out.print(f"read {read} again; {result['stage']['linked']:,} linked to an agreement")


@app.command("export-transcripts")
def export_transcripts_cmd(
    path: Path = typer.Argument(..., help="The file to write (OCR-TRANSCRIPTS.jsonl beside the PDFs)."),
) -> None:
    """Write the OCR of every archived PDF as a transcript file that ingest takes instead of running OCR again."""
    from track287g.documents.transcripts import export_transcripts

    db = open_db()
    with db.read() as conn:
        pages = export_transcripts(conn, path)
    if not pages:
        raise UserError("no OCR'd page in the database: nothing to export")
    out.print(f"wrote {path} ({pages} OCR'd pages)")

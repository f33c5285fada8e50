"""Commands of the enrich stage: enrich, match-report, coverage, map, place; the state laws: laws, law-effect."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from track287g.cli.common import NO_WAIT_HELP, UserError, app, derived_mark, err, law_line, open_db, out, print_json
from track287g.messages import render
from track287g.plurals import count

if TYPE_CHECKING:
    from track287g.store import Database

DEFAULT_REVIEW = "match-review.csv"


def _ensure(db: Database, strict: bool) -> None:
    """Run the enrich stage if this database has never been enriched (built before it existed)."""
    with db.read() as conn:
        done = conn.exec_driver_sql("SELECT 1 FROM build_info WHERE key = 'enrich'").first()
    if not done:
        _enrich(db, strict)


def _enrich(db: Database, strict: bool, **paths: Path):
    from track287g import pipeline

    # under the writer lock; a bad table raises InputError: one line, from run_app
    with pipeline.writing(db, "enrich"), db.begin() as conn:
        from track287g.enrich import enrich_database

        given: dict[str, Any] = {k: v for k, v in paths.items() if v is not None}  # the *_path arguments
        result = enrich_database(conn, strict=strict, **given)
    for warning in result.warnings:
        err.print(f"[yellow]warning:[/yellow] {warning}", highlight=False)
    return result


def _pct(rate: float | None) -> str:
    return "-" if rate is None else f"{rate:.1%}"


@app.command()
def enrich(
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
    manual: Path = typer.Option(None, "--manual", metavar="CSV", help="A manual-match table (default: bundled)."),
    lee: Path = typer.Option(None, "--lee", metavar="CSV", help="An FBI LEE roster (default: bundled 2025)."),
    ucr: Path = typer.Option(None, "--ucr", metavar="CSV", help="An FBI UCR agency roster (default: bundled 2021)."),
    no_wait: bool = typer.Option(False, "--no-wait", help=NO_WAIT_HELP),
) -> None:
    """Match every agency to the FBI rosters and place it in a county (also part of every build)."""
    db = open_db(no_wait=no_wait)
    result = _enrich(db, strict=True, manual_path=manual, lee_path=lee, ucr_path=ucr)
    if as_json:
        print_json(result.as_json())
        return
    out.print(
        f"{result.matched:,} of {result.agencies:,} agencies matched to an FBI ORI "
        f"({result.matched / max(result.agencies, 1):.1%}), {result.placed:,} placed in a county; "
        f"matching took {result.match_seconds:.2f} s, the stage {result.total_seconds:.2f} s"
    )
    out.print("methods: " + ", ".join(f"{k} {v}" for k, v in sorted(result.methods.items())), highlight=False)


@app.command("match-report")
def match_report_cmd(
    as_json: bool = typer.Option(False, "--json", help="Rates and the unmatched list as JSON."),
    all_agencies: bool = typer.Option(False, "--all", help="Every agency ever listed, not just the latest list."),
    as_of: str = typer.Option(None, "--as-of", metavar="DATE", help="The list in force on DATE (YYYY-MM-DD)."),
    review: Path = typer.Option(
        Path(DEFAULT_REVIEW), "--review", metavar="PATH", help="Where to write the candidates left for review."
    ),
    sample: Path = typer.Option(
        None, "--sample", metavar="CSV", help="Score the matches against a hand-verified sample instead."
    ),
) -> None:
    """Match rates by agency kind, ICE's TYPE and state; the unmatched agencies and why; the review file."""
    from rich.table import Table

    from track287g import questions

    db = open_db()
    _ensure(db, strict=True)
    if sample is not None:
        _print_sample(db, sample, as_json)
        return
    with db.read() as conn:
        report = questions.match_report(conn, all_agencies, as_of)
        try:
            from track287g.enrich.report import write_review

            rows = write_review(conn, review)
        except OSError as exc:
            raise UserError(f"cannot write {review}: {exc.strerror or exc}") from None
    if as_json:
        print_json(report | {"review_file": str(review), "review_rows": rows})
        return
    pub = report["publication"]
    scope = f"ICE's list published {pub['published']} {pub['part']}".rstrip() if pub else "every agency ever listed"
    out.print(
        f"[bold]{report['matched']:,} of {report['agencies']:,} agencies[/bold] on {scope} have an FBI ORI "
        f"({_pct(report['rate'])})"
    )
    for title, key in (("kind", "by_kind"), ("ICE's TYPE", "by_type")):
        table = Table(title, "agencies", "matched", "rate")
        for k, v in report[key].items():
            table.add_row(k, f"{v['agencies']:,}", f"{v['matched']:,}", _pct(v["rate"]))
        out.print(table)
    out.print(
        "by state: " + ", ".join(f"{s} {v['matched']}/{v['agencies']}" for s, v in sorted(report["by_state"].items())),
        highlight=False,
    )
    out.print("methods: " + ", ".join(f"{k} {v}" for k, v in report["methods"].items()), highlight=False)
    out.print("\nwhy agencies stay unmatched, by kind:")
    for kind, v in report["unmatched_by_kind"].items():
        out.print(f"  {kind} ({v['unmatched']}): {render(v['why'])}", markup=False, highlight=False)
    out.print("\n" + count(len(report["unmatched"]), "agency", "agencies") + " without an ORI:")
    for u in report["unmatched"]:
        best = u["candidates"][0] if u["candidates"] else None
        hint = f" - best candidate {best['ori']} {best['name']} ({best['score']:.0f})" if best else ""
        out.print(f"  {u['state']}  {u['name']} ({u['kind']}, {u['method']}){hint}", markup=False, highlight=False)
    if report["enrich"]:
        out.print(f"\nmatching took {report['enrich']['match_seconds']:.2f} s")
    out.print(f"{rows} review candidates written to {review}")


@app.command("coverage")
def coverage_cmd(
    as_of: str = typer.Option(None, "--as-of", metavar="DATE", help="The list in force on DATE (YYYY-MM-DD)."),
    state: str = typer.Option(None, "--state", help="Only this state (USPS code) in the table and JSON."),
    as_json: bool = typer.Option(False, "--json", help="Every figure as JSON, counties included."),
) -> None:
    """Agreements, agencies, counties, sworn officers and people covered, by state and nationally."""
    from rich.table import Table

    from track287g import questions

    db = open_db()
    _ensure(db, strict=False)
    with db.read() as conn:
        figures = questions.coverage(conn, as_of, state)
    if as_json:
        print_json(figures)
        return
    pub, n = figures["publication"], figures["national"]
    label = f"{pub['published']} {pub['part']}".strip()
    later = pub["days_after_latest_list"]  # asked of a date after the record's latest list: say so
    when = (
        f" (the record's latest, {count(later, 'day', 'days')} before {pub['as_of']}: ICE may have listed more since)"
        if later
        else f" (in force on {pub['as_of']})"
    )
    out.print(
        f"[bold]ICE's participating list of {label}[/bold]"
        + (when if pub["as_of"] else "")
        + derived_mark(pub.get("derived"))
    )
    out.print(
        f"{n['agreements']:,} agreements ({', '.join(f'{m} {v:,}' for m, v in n['agreements_by_model'].items())}) "
        f"of {n['agencies']:,} agencies, {n['agencies_with_ori']:,} with an FBI ORI"
    )
    out.print(
        f"sworn officers of those agencies: {n['sworn_officers']:,} "
        f"({', '.join(f'{m} {v:,}' for m, v in n['sworn_officers_by_model'].items())}); "
        f"population they serve: {n['population_served']:,}"
    )
    out.print(
        f"{n['counties_with_county_level_agreement']:,} counties have a county-level agreement; "
        f"{n['population_in_county_level_counties']:,} people live in them, "
        f"{_pct(n['share_in_county_level_counties'])} of the {n['population']:,} in the 50 states and DC"
    )
    table = Table("state", "agreements", "agencies", "with ORI", "sworn", "counties", "people", "share")
    for s, v in figures["states"].items():
        table.add_row(
            s,
            f"{v['agreements']:,}",
            f"{v['agencies']:,}",
            f"{v['agencies_with_ori']:,}",
            f"{v['sworn_officers']:,}",
            f"{v['counties_with_county_level_agreement']:,}",
            f"{v['population_in_county_level_counties']:,}",
            _pct(v["share_in_county_level_counties"]),
        )
    out.print(table)
    out.print(
        "sworn: FBI 2025 sworn officers of matched agencies, each ORI once (by model in --json); "
        "counties, people, share: counties with a county-level agreement and their 2024 population"
    )


@app.command("map")
def map_cmd(
    state: str = typer.Option(None, "--state", help="A state (USPS code); default the whole country."),
    as_of: str = typer.Option(None, "--as-of", metavar="DATE", help="The list in force on DATE (YYYY-MM-DD)."),
    fmt: str = typer.Option("svg", "--format", help="svg or png"),
    output: Path = typer.Option(None, "--output", "-o", metavar="PATH", help="Default: map-<US|state>-<date>.<fmt>"),
) -> None:
    """Draw agreements by county for the country or one state, offline, as SVG or PNG."""
    from track287g import checks, questions

    db = open_db()
    _ensure(db, strict=False)
    with db.read() as conn:
        data = questions.county_map(conn, state, as_of, fmt)
    code, day = checks.state(state), checks.optional_day(as_of)
    target = output or Path(f"map-{code or 'US'}-{day or 'latest'}.{fmt.lower()}")
    try:
        target.write_bytes(data)
    except OSError as exc:
        raise UserError(f"cannot write {target}: {exc.strerror or exc}") from None
    out.print(f"wrote {target} ({len(data):,} bytes)")


REACH_WORDS = {
    "county": "county",
    "precinct": "precinct",
    "city": "town",
    "campus": "campus",
    "port": "port",
    "state": "statewide",
    "other": "local",
}


@app.command()
def place(
    query: str = typer.Argument(
        ..., metavar="QUERY", help='A county, town, ZIP code or state: "Multnomah County, OR".'
    ),
    as_of: str = typer.Option(None, "--as-of", help="YYYY-MM-DD (default: the latest list)"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Which agencies cover a county, a town or city, a ZIP code or a state on a date, and what was there before."""
    from rich.table import Table

    from track287g import questions

    db = open_db()
    with db.read() as conn:
        found = questions.place(conn, query, as_of)
    if as_json:
        print_json(found)
        return
    pub = found["publication"]
    where = found["name"] + (f" (county FIPS {found['county_fips']})" if found["county_fips"] else "")
    listed = f"ICE's participating list published {pub['label']}{derived_mark(pub.get('derived'))}"
    out.print(f"[bold]{where}[/bold]: {listed}", highlight=False)
    local = [c for c in found["covered_by"] if c["reach"] != "state"]
    statewide = [c for c in found["covered_by"] if c["reach"] == "state"]
    if not local:
        scope = "this county" if found["kind"] == "county" else found["name"]
        out.print(f"No agency in {scope} has a 287(g) agreement on ICE's list of {pub['label']}.", highlight=False)
    for title, rows in (("local", local), ("statewide", statewide)):
        if not rows:
            continue
        table = Table("agency", "reach", "agreements", title=f"{title}: {count(len(rows), 'agency', 'agencies')}")
        for c in rows:
            models = ", ".join(
                f"{a['model']} {a['signed'] or ''}".strip()
                + (f" (probably {a['signed_probable']})" if a.get("signed_probable") else "")
                for a in c["agreements"]
            )
            table.add_row(c["name"], REACH_WORDS.get(c["reach"], c["reach"]), models)
        out.print(table)
    for b in found["before"]:
        now = b["now"]["status"] + (" (provisional)" if b["now"]["provisional"] else "")
        line = f"before: {b['name']} ({', '.join(b['models'])}), last listed {b['last_listed']}; now {now}"
        out.print(line, highlight=False)
    for p in found["pending"]:
        approved = (
            f"; on ICE's participating list since {p['approved_listed']} (approved)" if p["approved_listed"] else ""
        )
        out.print(
            f"pending: {p['name']} {p['model']}, on the pending list since {p['first_listed']}{approved}",
            highlight=False,
        )
    if found.get("law"):
        out.print(law_line(found["law"], found.get("law_then")), highlight=False)


def _ensure_laws(db: Database) -> None:
    """Refuse, in one line, a database built before the state-law table existed (a read command never writes)."""
    with db.read() as conn:
        from track287g.enrich.laws import laws_loaded

        loaded = laws_loaded(conn)
    if not loaded:
        raise UserError("this database has no state-law table (built before it existed): run `track287g enrich`")


@app.command("laws")
def laws_cmd(
    stance: str = typer.Option(None, "--stance", help="mandate, encourage, restrict, ban or none-found"),
    state: str = typer.Option(None, "--state", help="Only this state (USPS code)."),
    as_json: bool = typer.Option(False, "--json", help="Every row as JSON, summary and source included."),
) -> None:
    """Each researched state's law on 287(g): stance, instrument, dates, confidence, source."""
    from rich.table import Table

    from track287g import questions

    db = open_db()
    _ensure_laws(db)
    with db.read() as conn:
        rows = questions.laws(conn, stance, state)
    if as_json:
        print_json(rows)
        return
    table = Table("state", "stance", "year", "effective", "confidence", "instrument")
    for r in rows:
        conf = f"[dim]{r['confidence']}[/dim]" if r["unverified"] else r["confidence"]
        table.add_row(r["state"], r["stance"], str(r["year"] or ""), r["effective_date"] or "", conf, r["instrument"])
    out.print(table)
    if len(rows) == 1:
        out.print(rows[0]["summary"], markup=False, highlight=False)
        out.print(f"source: {rows[0]['source_url']}", markup=False, highlight=False)
    if any(r["unverified"] for r in rows):
        out.print("unverified: inference or conflicting reports, not confirmed from the text of the law")
    out.print(f"{count(len(rows), 'state', 'states')}; table: data/laws/state-laws.csv (research to mid-2026)")


@app.command("law-effect")
def law_effect_cmd(
    stance: str = typer.Option("mandate", "--stance", help="mandate, encourage, restrict, ban or none-found"),
    as_of: str = typer.Option(None, "--as-of", metavar="DATE", help="'After' on the list in force on DATE."),
    as_json: bool = typer.Option(False, "--json", help="The figures as JSON."),
) -> None:
    """Agreements in each state of a stance before its law's date and on the latest list (with the method)."""
    from rich.table import Table

    from track287g import questions

    db = open_db()
    _ensure_laws(db)
    with db.read() as conn:
        result = questions.law_effect(conn, stance, as_of)
    if as_json:
        print_json(result)
        return
    table = Table("state", "law date", "before", "after", "change", "share of US change", "note")
    for r in result["states"]:
        b, a = r["before"], r["after"]
        table.add_row(
            r["state"],
            (r["law_date"] or "-") + (" (year only)" if r["date_basis"].startswith("year") else ""),
            f"{b['agreements']:,} on {b['published'][:10]}{' (derived)' if b['derived'] else ''}" if b else "-",
            f"{a['agreements']:,} on {a['published'][:10]}" if a else "-",
            f"{r['change']:+,}" if r["change"] is not None else "-",
            _pct(r["share_of_national_change"]),
            r["note"],
        )
    out.print(table)
    out.print(
        f"agreements in each {result['stance']} state on ICE's last list before the law's date and on the "
        f"{result['latest']}; share: the state's change over the national change between the same two lists; "
        "year only: the table has no effective date, the law is dated 1 January; (derived): an HTML-era table "
        "extracted by a third party; before and after are not cause and effect",
        highlight=False,
    )


def _print_sample(db: Database, path: Path, as_json: bool) -> None:
    with db.read() as conn:
        from track287g.enrich.report import check_sample

        sets = check_sample(conn, path)
    if as_json:
        print_json(sets)
        return
    for name, v in sets.items():
        out.print(
            f"{name}: {v['agencies']} agencies, {v['right']} right ({v['right_ori']} with the verified ORI, "
            f"{v['right_none']} rightly without), {len(v['wrong'])} wrong, {len(v['missed'])} missed",
            highlight=False,
        )
        for label in ("wrong", "missed"):
            for item in v[label]:
                out.print(
                    f"  {label}: {item['state']} {item['agency']}: got {item['got'] or 'none'}, "
                    f"verified {item['expected'] or 'none'}",
                    markup=False,
                    highlight=False,
                )

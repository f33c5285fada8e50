"""Commands of the analyze and publish stages: stats, growth, timeseries, signings, check-claims, chart, export.

Every figure printed says what it counts (agencies or agreements) and which publication it comes from.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import typer

from track287g.cli.common import UserError, app, beyond_record, derived_mark, no_list_line, open_db, out, print_json
from track287g.cli.common import state as cli_state
from track287g.config import bundled, bundled_places
from track287g.messages import render
from track287g.plurals import count


def _plain(text: str = "") -> None:
    out.print(text, markup=False, highlight=False)


def _grid(header: list[str], rows: list[list], indent: str = "  ") -> None:
    """A plain, aligned text table (numbers right-aligned), printed without markup."""
    cells = [[_cell(v) for v in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) if cells else len(h) for i, h in enumerate(header)]
    numeric = [bool(rows) and all(_numberlike(r[i]) for r in rows) for i in range(len(header))]

    def line(values: list[str]) -> str:
        return (
            indent
            + "  ".join(
                v.rjust(w) if num else v.ljust(w) for v, w, num in zip(values, widths, numeric, strict=True)
            ).rstrip()
        )

    _plain(line(header))
    for r in cells:
        _plain(line(r))


_NUMBER = re.compile(r"^([+-]?[\d,.]+%?|n/a|new)$")


def _numberlike(value) -> bool:
    return value is None or isinstance(value, int | float) or bool(_NUMBER.match(str(value)))


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() else f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _derived_as(year: dict) -> str:
    if year.get("old_list"):
        return " (derived: old list)"
    return " (derived: HTML-era table)" if year.get("derived") else ""


def _pub_line(pub: dict) -> str:
    if pub.get("kind") == "historical":
        return (
            f"the old list of {pub['label']}, {pub['source']} ({pub['names'][0]}; sha256 {pub['sha256'][:12]}) - "
            "derived by a third party from public records, not ICE's file"
        )
    line = f"ICE's participating list published {pub['label']} ({', '.join(pub['names'])}; sha256 {pub['sha256'][:12]})"
    return line + derived_mark(pub.get("derived"))


@app.command()
def stats(
    as_of: str = typer.Option(None, "--as-of", metavar="DATE", help="YYYY-MM-DD (default: the latest list)"),
    by: str = typer.Option(None, "--by", help="state, model, type (ICE's TYPE) or kind (from the name)"),
    state: str = typer.Option(None, "--state", help="USPS code, e.g. TX"),
    top: int = typer.Option(None, "--top", min=1, help="Only the first N groups."),
    as_json: bool = typer.Option(False, "--json", help="One JSON object: publication, totals, groups."),
) -> None:
    """Agencies and agreements active on a date, in total and by state, model or agency type."""
    from track287g import questions

    db = open_db()
    with db.read() as conn:
        result = questions.stats_counts(conn, as_of, by, state, top)
    if as_json:
        print_json(result)
        return
    pub = result["publication"]
    on = result["date"] or pub["published"]
    where = f" in {result['state']}" if result["state"] else ""
    where += beyond_record(result.get("days_after_latest_list"))
    _plain(
        f"On {on}{where}: {count(result['agencies'], 'agency', 'agencies')} held "
        f"{count(result['agreements'], 'agreement', 'agreements')}, in {count(result['states'], 'state', 'states')} "
        f"(incl. DC) and {count(result['territories'], 'territory', 'territories')}"
    )
    _plain(f"  by {_pub_line(pub)}")
    if by:
        _plain()
        _grid([by, "agencies", "agreements"], [[g[by], g["agencies"], g["agreements"]] for g in result["groups"]])
        if by in ("model", "type"):
            _plain(f"  (an agency with agreements in two {by}s counts in each; the total counts it once)")


@app.command()
def growth(
    start: str = typer.Argument(None, metavar="FROM", help="YYYY-MM-DD (or --since)"),
    end: str = typer.Argument(None, metavar="[TO]", help="YYYY-MM-DD (default: the latest list)"),
    since: str = typer.Option(None, "--since", metavar="DATE", help="The same as FROM."),
    by: str = typer.Option(None, "--by", help="state, model, type or kind"),
    state: str = typer.Option(None, "--state", help="USPS code"),
    top: int = typer.Option(None, "--top", min=1, help="Only the first N groups (by growth in agreements)."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Growth in agencies and agreements between two dates, absolute and percent."""
    from track287g import questions

    if (start is None) == (since is None):
        raise typer.BadParameter("give the start date once: FROM or --since DATE")
    db = open_db()
    with db.read() as conn:
        result = questions.growth(conn, start or since, end, by, state, top)
    if as_json:
        print_json(result)
        return
    a, b = result["from"], result["to"]
    where = f" in {result['state']}" if result["state"] else ""
    _plain(f"From {a['date']} to {b['date']}{where}{beyond_record(b['days_after_latest_list'])}:")
    rows = []
    for unit in ("agencies", "agreements", "states", "territories"):
        g = result[unit]
        pct = f"{g['percent']:+,.1f}%" if g["percent"] is not None else "n/a"
        rows.append([unit, g["from"], g["to"], f"{g['change']:+,}", pct])
    _grid(["counting", "from", "to", "change", "percent"], rows)
    _plain(f"  from: {_pub_line(a['publication'])}")
    _plain(f"  to:   {_pub_line(b['publication'])}")
    if result.get("years"):
        _plain()
        _plain("  year by year (the last list of each year; gap = no list known, not 0):")
        _grid(
            ["year", "list", "agencies", "agreements"],
            [
                [str(y["year"]), "gap: no list", "-", "-"]
                if y["gap"]
                else [str(y["year"]), y["date"] + _derived_as(y), y["agencies"], y["agreements"]]
                for y in result["years"]
            ],
        )
    if by:
        _plain()
        grid = []
        for g in result["groups"]:
            ag, ac = g["agreements"], g["agencies"]
            pct = f"{ag['percent']:+,.1f}%" if ag["percent"] is not None else "new"
            grid.append([g[by], ac["from"], ac["to"], ag["from"], ag["to"], f"{ag['change']:+,}", pct])
        _grid([by, "agencies from", "to", "agreements from", "to", "change", "percent"], grid)


@app.command()
def timeseries(
    every: str = typer.Option("month", "--every", help="publication, week or month"),
    by: str = typer.Option(None, "--by", help="state, model, type or kind"),
    since: str = typer.Option(None, "--since", metavar="DATE"),
    until: str = typer.Option(None, "--until", metavar="DATE"),
    html_era: bool = typer.Option(True, "--html-era/--no-html-era", help="Include the 2021-2025 HTML-era tables."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Active agencies and agreements over time: per publication, week or month (the list in force at its end)."""
    from track287g import questions

    db = open_db()
    with db.read() as conn:
        rows = questions.timeseries(conn, every, by, since, until, html_era)
        stale = _no_list_since(conn, since)
    if as_json:
        print_json(rows)
        return
    key = "date" if every == "publication" else "period"
    header = [key, *([by] if by else []), "agencies", "agreements", "list used"]
    grid = [[r[key], *([r[by]] if by else []), r["agencies"], r["agreements"], _used(r)] for r in rows]
    _grid(header, grid)
    rows_shown = count(len(rows), "row", "rows")
    _plain(f"{rows_shown}; counts are of ICE's participating list named on each row (* = HTML-era table)")
    if stale:
        _plain(stale)
    last = (rows[-1].get("end") or rows[-1]["date"]) if rows else None
    if until and last and until > last:  # cut at the record's latest list, not carried on as if it stood
        _plain(
            f"nothing after {rows[-1].get('period') or last}: ICE's list of {rows[-1]['published']} is the "
            "record's latest, and what ICE listed since is not known"
        )


def _used(row: dict) -> str:
    return f"{row['published']} {row['publication'][:10]}" + (" *" if row["derived"] else "")


@app.command()
def signings(
    every: str = typer.Option("month", "--every", help="week, month or year"),
    by: str = typer.Option(None, "--by", help="state, model, type or kind"),
    since: str = typer.Option(None, "--since", metavar="DATE"),
    until: str = typer.Option(None, "--until", metavar="DATE"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """New agreements by signing date, per week, month or year (and the agencies that signed them)."""
    from track287g import questions

    db = open_db()
    with db.read() as conn:
        result = questions.signings(conn, every, by, since, until)
        stale = _no_list_since(conn, since)
    if as_json:
        print_json(result)
        return
    rows = result["rows"]
    _grid(
        ["period", *([by] if by else []), "agencies", "agreements"],
        [[r["period"] + (" *" if r["may_grow"] else ""), *([r[by]] if by else []), r["agencies"], r["agreements"]]
         for r in rows],
    )  # fmt: skip
    pub = result["publication"]
    if any(r["may_grow"] for r in rows):
        _plain(
            f"* may still grow: it ends within {result['listing_lag_days']} days before ICE's latest list in the "
            f"record ({pub['label']}), and ICE lists an agreement days to weeks after its signing"
        )
    typos = ", or the date ICE probably meant where that is a year typo (below)" if result["probable"] else ""
    _plain(
        f"agreements by ICE's SIGNED date (as last printed){typos}, every agreement listed through "
        f"{_pub_line(pub)}; {result['undated']} without a valid date left out"
    )
    for p in result["probable"]:
        _plain(
            f"{p['agreement_id']} counted at {p['signed_probable']}: ICE's SIGNED {p['signed']} is probably a year "
            "typo (`track287g agency` says why)"
        )
    if stale:
        _plain(stale)


def _no_list_since(conn: Any, since: str | None) -> str:
    """The line a series asked from a date after the record's latest participating list ends with ("" when the
    record has a list since): its rows are none because the record holds no list since, not because ICE listed
    nothing."""
    from track287g.history.reads import no_list_since

    found = no_list_since(conn, since, "participating") if since else []
    return no_list_line(found[0], since) if found and since else ""


@app.command("check-claims")
def check_claims(
    path: Path = typer.Argument(
        None, metavar="[FILE_OR_FOLDER]", help="A claims YAML file or a folder of them (default: the bundled claims)."
    ),
    as_json: bool = typer.Option(False, "--json", help="A JSON list, one object per figure and unit."),
) -> None:
    """Check published figures against the record on each claim's date: claimed, record, verdict, publication."""
    from track287g import questions

    if path is None:
        path = bundled("claims")
        if path is None:
            raise UserError(f"no bundled claims found (looked in {' or '.join(map(str, bundled_places('claims')))})")
    db = open_db()
    with db.read() as conn:
        results = questions.check_claims(conn, path)
    if as_json:
        print_json(results)
    else:
        _print_claims(results)
    errors = [r for r in results if r["verdict"] == "error"]
    if errors:
        raise typer.Exit(2)


def _claim_cells(r: dict) -> list[str]:
    """figure, claimed, record, difference, verdict, publication used: one figure's row as text."""
    percent = "%" if r.get("change") == "percent" else ""
    metric = r["metric"] + (" (?)" if r.get("ambiguous") else "")
    if r["verdict"] == "error":
        return [metric, _cell(r["claimed"]) + percent, "", "", "error", ""]
    diff = r["difference"]
    text = "0" if not diff else (f"{diff:+,.0f}" if float(diff).is_integer() else f"{diff:+,.1f}")
    if diff and r["difference_percent"] is not None and not percent:
        text += f" ({r['difference_percent']:+.1f}%)"
    pub = r["published"] + (" *" if r.get("derived") else "")
    if r.get("from_published"):
        pub = f"{r['from_published']}{' *' if r.get('from_derived') else ''} -> {pub}"
    return [
        metric,
        _cell(r["claimed"]) + percent,
        _cell(r["actual"]) + percent,
        text,
        f"{r['verdict']} (±{r['tolerance'] * 100:.0f}%)",
        pub,
    ]


def _print_claims(results: list[dict]) -> None:
    header = ["figure", "claimed", "record", "difference", "verdict", "publication used"]
    other = ("listing", "arithmetic", "history", "law")
    cells = [_claim_cells(r) if r.get("figure") is not None and r.get("kind") not in other else None for r in results]
    widths = [max([len(h)] + [len(c[i]) for c in cells if c]) for i, h in enumerate(header)]
    right = {1, 2, 3}

    def line(values: list[str]) -> str:
        return (
            "  "
            + "  ".join(
                v.rjust(w) if i in right else v.ljust(w) for i, (v, w) in enumerate(zip(values, widths, strict=True))
            ).rstrip()
        )

    last = None
    for r, c in zip(results, cells, strict=True):
        key = (r["file"], r["id"])
        if key != last:
            if last is not None:
                _plain()
            last = key
            when = f" ({r['date']})" if r.get("date") else ""
            _plain(f'{r["id"]}{when}: "{r["claim"]}"' if r["claim"] else f"{r['id']} ({r['file']})")
            if r.get("note"):  # how the words were read: what was checked, and what the quote does not say
                _plain(f"  note: {r['note']}")
            if r.get("kind") in other and r["verdict"] != "error":
                _print_other(r)
                continue
            if c is None:
                _plain(f"  error: {r['error']}")
                continue
            _plain(line(header))
        elif r.get("kind") in other:
            _print_other(r)
            continue
        if c is not None:
            _plain(line(c))
        if r["verdict"] == "error":
            _plain(f"      error: {r['error']}")
        if r.get("from_value") is not None:
            _plain(f"      {r['unit']}: {r['from_value']:,} on {r['from']} -> {r['to_value']:,} on {r['date']}")
        if r.get("hint"):
            _plain(f"      hint: {render(r['hint'])}")
    verdicts: dict[str, int] = {}
    for r in results:
        verdicts[r["verdict"]] = verdicts.get(r["verdict"], 0) + 1
    _plain()
    _plain(
        f"{count(len(results), 'figure', 'figures')} checked: "
        + ", ".join(f"{n} {v}" for v, n in sorted(verdicts.items()))
        + ". record = ICE's latest participating list on or before the date; (?) = the text is ambiguous"
        " (agencies or agreements), both shown; * = HTML-era table extracted by a third party."
    )


def _print_other(r: dict) -> None:
    """A listing, history or law claim (verdict, what the record says, the evidence) or one item of a reader's
    arithmetic."""
    if r["kind"] in ("history", "law"):
        _plain(f"  {r['verdict']}: {render(r['record'])}")
        _plain(f"  {render(r['limits'] if r['kind'] == 'history' else r['coverage'])}")
        if r["kind"] == "law":
            law = r["evidence"]["law"]
            _plain(f"  law: {law['instrument']}; source: {law['source_url']}")
            without = r["evidence"]["sheriffs"]["without"]
            if without:
                _plain(f"  counties without their sheriff on the list: {', '.join(without)}")
        return
    if r["kind"] == "listing":
        _plain(f"  {r['verdict']}: {render(r['record'])}")
        ev = r["evidence"]
        searched = ", ".join(
            f"{k.replace('_', ' ')} {v['publications']} ({v['first']} to {v['last']})"
            for k, v in ev["publications"].items()
        )
        _plain(f"  searched: {searched}")
        for a in ev.get("agencies", []):
            _plain(f"  listed: {a['state']} {a['name']} ({a['status']}, {a['first_listed']} to {a['last_listed']})")
        near = ev.get("near_spellings", [])
        if near:
            _plain("  near spellings considered: " + "; ".join(f"{n['spelling']} ({n['state']})" for n in near[:12]))
        return
    parts = " + ".join(f"{p['part']} ${p['max_usd']:,}" for p in r["parts"])
    count = f" x {r['count']:,}" if r["count"] != 1 else ""
    _plain(
        f"  {r['item']}: claimed ${r['claimed']:,.0f}; offer's maximum ({parts}){count} = ${r['actual']:,} "
        f"({r['difference_percent']:+.1f}%), at the model's central assumptions ${r['model_central']:,}: {r['verdict']}"
    )
    for note in r["notes"]:
        _plain(f"      {render(note)}")


@app.command()
def chart(
    name: str = typer.Argument(..., help="models, signings, states or units"),
    out_file: Path = typer.Option(None, "--out", metavar="FILE", help="Where to write: .svg, .png or .json."),
    since: str = typer.Option(None, "--since", metavar="DATE", help="Start of a time chart."),
    as_of: str = typer.Option(None, "--as-of", metavar="DATE", help="End of a time chart, or the states' date."),
) -> None:
    """Render a chart offline as SVG or PNG (models, signings, states, units)."""
    from track287g import questions
    from track287g.analyze import charts

    target = out_file or Path(f"{name}.svg")
    db = open_db()
    with db.read() as conn:
        written = questions.chart(conn, name, target, since=since, on=as_of)
    _plain(f"wrote {written} ({charts.CHARTS[name]})")


@app.command()
def export(
    fmt: str = typer.Option(None, "--format", help="csv, csv.gz, parquet, xlsx or json"),
    out_dir: Path = typer.Option(Path("export"), "--out", metavar="DIR", help="Folder to write (default ./export)."),
    table_names: str = typer.Option(
        None,
        "--tables",
        help="Comma-separated subset of: publications, agencies, agreements, pending, listings, events (and more).",
    ),
    bulk: bool = typer.Option(
        False, "--all", help="Write the bulk exports of the current data version (what /downloads/ serves)."
    ),
) -> None:
    """Export agencies, agreements, publications, listings, pending and events, with a datapackage.json;
    --all writes every table in every format into the exports folder, as the build does when the data changes."""
    from track287g import questions

    if bulk:
        from track287g import pipeline

        db = open_db()
        result = pipeline.publish_downloads(db, cli_state.exports)
        root = Path(result["root"])
        total = sum(f["bytes"] for f in result["files"])
        what = "wrote" if result["written"] else "already there:"
        _plain(
            f"{what} {len(result['files'])} files ({total / 1e6:.1f} MB) for data version {result['version']} "
            f"in {root}" + (f" in {result['seconds']:.1f} s" if result["written"] else "")
        )
        if result["pruned"]:
            _plain(f"removed older versions: {', '.join(result['pruned'])}")
        return
    if fmt is None:
        raise UserError("give --format (csv, csv.gz, parquet, xlsx or json) and --out, or --all")

    chosen = [t.strip() for t in table_names.split(",") if t.strip()] if table_names else None
    db = open_db()
    with db.read() as conn:
        paths = questions.export(conn, fmt, out_dir, chosen)
    for p in paths:
        _plain(f"wrote {p} ({p.stat().st_size:,} bytes)")


@app.command("datasette-metadata")
def datasette_metadata(
    path: Path = typer.Option(Path("metadata.json"), "--out", metavar="FILE", help="File to write."),
) -> None:
    """Write Datasette's metadata for the database (titles, descriptions, licence, column descriptions, named
    queries): `datasette serve track287g.db -m metadata.json`."""
    import json

    from track287g.publish.datasette import DATABASE, metadata

    db = open_db()
    with db.read() as conn:
        document = metadata(conn)
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    described = document["databases"][DATABASE]
    _plain(f"wrote {path}: {len(described['tables'])} tables described, {len(described['queries'])} named queries")


__all__ = ["chart", "check_claims", "datasette_metadata", "export", "growth", "signings", "stats", "timeseries"]

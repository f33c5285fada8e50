"""Commands of the funding model: funding, funding-reconcile, funding-params."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import typer

from track287g.cli.common import UserError, app, open_db, out, print_json
from track287g.messages import render

if TYPE_CHECKING:
    from rich.table import Table

    from track287g.analyze import funding as fm

T = TypeVar("T")
LABELS = {
    "salary_benefits": "salary and benefits",
    "overtime": "overtime",
    "awards": "performance awards",
    "equipment": "equipment",
    "vehicles": "vehicles",
}


def _guard(fn: Callable[[], T]) -> T:
    """Run ``fn``; the model's own errors become one clear line."""
    from track287g.analyze import funding as fm

    try:
        return fn()
    except (fm.ParameterError, fm.FundingError, fm.NoListError) as exc:
        raise UserError(str(exc)) from None


def _money(x: float) -> str:
    return f"${x / 1e9:,.2f} billion" if abs(x) >= 1e9 else f"${x / 1e6:,.1f} million"


def _short(x: float) -> str:
    """Compact dollars for tables: $2.35B, $211.6M."""
    return f"${x / 1e9:,.2f}B" if abs(x) >= 1e9 else f"${x / 1e6:,.1f}M"


def _dollars(x: float) -> str:
    return f"${x:,.0f}"


def _agency_id(name: str, state: str | None) -> str:
    """The agency's id: any spelling ICE printed, an id or a former id, found as ``track287g agency`` finds it
    (a name that names none: one line with the agencies it may mean)."""
    from track287g.history import queries

    db = open_db(create=False)
    try:
        with db.read() as conn:
            return queries.find_agency(conn, name, state)
    finally:
        db.dispose()


def _inputs(params: fm.Parameters, as_of: str | None) -> fm.FundingInputs:
    from track287g.analyze import funding as fm

    day = as_of or params.scenarios[params.scenario].as_of
    db = open_db(create=False)
    try:
        with db.read() as conn:
            return _guard(lambda: fm.funding_inputs(conn, day))
    finally:
        db.dispose()


@app.command()
def funding(
    state: str = typer.Option(None, "--state", metavar="XX", help="One state (USPS code); default national."),
    year: int = typer.Option(2026, "--year", help="The year to cost."),
    basis: str = typer.Option("calendar", "--basis", help="calendar, or fiscal (federal: October to September)."),
    scenario: str = typer.Option("central", "--scenario", help="central, low, high, fwd-us, or one of --params."),
    params_file: str = typer.Option(None, "--params", metavar="FILE", help="A parameters file overriding entries."),
    as_of: str = typer.Option(None, "--as-of", metavar="DATE", help="Use ICE's list as of DATE (default latest)."),
    county: str = typer.Option(None, "--county", help="One county of --state: FIPS code or name (Lee County)."),
    agency: str = typer.Option(
        None, "--agency", metavar="NAME", help="One agency: any spelling ICE printed, or its id (as `agency`)."
    ),
    by: str = typer.Option("state", "--by", help="Breakdown printed: state, agency or none."),
    draws: int = typer.Option(None, "--draws", help="Monte Carlo draws (default from the parameters)."),
    as_json: bool = typer.Option(False, "--json", help="One JSON object: year, low, central, high, components, ..."),
) -> None:
    """What the federal 287(g) Task Force Model reimbursements cost in a year: central figure, range, drivers."""
    from track287g.analyze import funding as fm

    if by not in ("state", "agency", "none"):
        raise UserError(f"--by must be state, agency or none, not {by!r}")
    if draws is not None and draws < 1:
        raise UserError("--draws must be at least 1")
    params = _guard(lambda: fm.load_parameters(params_file, scenario))
    inputs = _inputs(params, as_of)
    if county or agency:
        code = state.upper() if state else None
        agency = _agency_id(agency, code) if agency else agency
        found = _guard(
            lambda: fm.answer(
                inputs, params, year=year, basis=basis, state=code, county=county, agency=agency, draws=draws
            )
        )
        if as_json:
            print_json(found)
        else:
            _print_place(found)
        return
    result = _guard(lambda: fm.estimate(inputs, params, year, basis, state, draws=draws, with_agencies=by == "agency"))
    if as_json:
        print_json(result.as_json())
        return
    _print_estimate(result, by)


def _print_estimate(r: fm.Estimate, by: str) -> None:
    from rich.table import Table

    j = r.as_json()
    where = r.state or "national"
    period = "calendar" if r.basis == "calendar" else "federal fiscal year"
    out.print(
        f"[bold]287(g) Task Force Model reimbursements, {period} {r.year} ({j['period']['start']} to "
        f"{j['period']['end']}), {where}[/bold], scenario {r.scenario}",
        highlight=False,
    )
    out.print(f"Agencies: {r.inputs.describe(r.state)}", highlight=False)
    mc = r.monte_carlo
    out.print(
        f"Estimate: [bold]{_money(r.central)}[/bold]  (range {_money(r.low)} to {_money(r.high)}: "
        f"{mc['percentiles'][0]:g}th-{mc['percentiles'][1]:g}th percentile of {mc['draws']:,} draws, "
        f"median {_money(mc['median'])})",
        highlight=False,
    )
    table = Table("component", "to date", "projected", "total", "range")
    for c, v in r.components.items():
        table.add_row(
            LABELS[c],
            _short(v["to_date"]),
            _short(v["projected"]),
            _short(v["central"]),
            f"{_short(v['low'])} to {_short(v['high'])}",
        )
    table.add_row(
        "[bold]total[/bold]",
        _short(r.to_date),
        _short(r.projected),
        _short(r.central),
        f"{_short(r.low)} to {_short(r.high)}",
    )
    out.print(table)
    out.print(
        f"to date = through the list's date ({r.inputs.as_of}); projected = after it, with new sign-ups",
        highlight=False,
    )
    o = r.officers
    out.print(
        f"Officers: {o['officers_on_list']:,.0f} trained task-force officers at {o['agencies_on_list']:,} listed "
        f"agencies ({o['officers_claimed']:,.0f} claimed); {o['new_agencies_by_period_end']:,.0f} new agencies "
        f"projected by the period's end, {o['officers_at_period_end']:,.0f} officers then",
        highlight=False,
    )
    p = r.program_to_date
    out.print(
        f"Program to date ({p['start']} to {p['end']}): {_money(p['central'])} accrued "
        f"(range {_money(p['low'])} to {_money(p['high'])}); accrued, not paid",
        highlight=False,
    )
    drivers = _table(("driver", True), "low to high", "total at low", "total at high", "swing")
    for d in r.drivers[:5]:
        drivers.add_row(
            d.parameter, f"{d.low:g} to {d.high:g}", _short(d.total_at_low), _short(d.total_at_high), _short(d.swing)
        )
    out.print(drivers)
    if by == "state" and r.state is None:
        states = Table("state", "TFM agencies", "total", "range", "to date")
        for s in r.by_state:
            states.add_row(
                s["state"],
                str(s["agencies"]),
                _short(s["central"]),
                f"{_short(s['low'])} to {_short(s['high'])}",
                _short(s["to_date"]),
            )
        out.print(states)
    if by == "agency":
        agencies = Table("agency", "state", "county", "since", "sworn", "officers", "wage", "total", "range")
        for a in r.agencies:
            i = a["inputs"]
            sworn = (
                "" if i["sworn"] is None else f"{i['sworn']:,}" + ("" if i["size_rule"].startswith("roster") else "*")
            )
            agencies.add_row(
                a["agency"],
                a["state"],
                a["county"] or "",
                i["since"] or "",
                sworn,
                f"{i['officers']:g}",
                _dollars(i["wage"]),
                _short(a["central"]),
                f"{_short(a['low'])} to {_short(a['high'])}",
            )
        out.print(agencies)
        out.print("sworn: FBI roster count; * = estimated (median of the agency's kind in its state)", highlight=False)
    for note in r.notes:
        out.print(f"note: {render(note)}", highlight=False)


def _print_place(a: dict[str, Any]) -> None:
    place = a["place"]
    name = place.get("agency") or place.get("agency_id") if a["level"] == "agency" else place.get("county")
    where = f"{name}, {place['state']}"
    out.print(
        f"[bold]{where}[/bold]: 287(g) Task Force Model reimbursements, {a['basis']} {a['year']} "
        f"({a['period']['start']} to {a['period']['end']}), scenario {a['scenario']}",
        highlight=False,
    )
    f = a["figure"]
    out.print(
        f"Estimate: [bold]{_money(f['central'])}[/bold] (range {_money(f['low'])} to {_money(f['high'])})",
        highlight=False,
    )
    if a.get("why_zero"):
        out.print(render(a["why_zero"]), highlight=False)
    from rich.table import Table

    table = Table("agency", "since", "sworn", "officers", "claimed", "wage", "total", "range")
    for row in a.get("agencies", []):
        i = row["inputs"]
        sworn = "" if i["sworn"] is None else f"{i['sworn']:,}" + ("" if i["size_rule"].startswith("roster") else "*")
        table.add_row(
            row["agency"],
            i["since"] or "",
            sworn,
            f"{i['officers']:g}",
            f"{i['officers_claimed']:g}",
            _dollars(i["wage"]),
            _short(row["central"]),
            f"{_short(row['low'])} to {_short(row['high'])}",
        )
    out.print(table)
    for row in a.get("agencies", []):
        out.print(f"  {row['agency']}: {render(row['inputs']['size_basis'])}", markup=False, highlight=False)
    drivers = _table(("driver", True), "low to high", "total at low", "total at high")
    for d in a["drivers"]:
        drivers.add_row(
            d["parameter"], f"{d['low']:g} to {d['high']:g}", _short(d["total_at_low"]), _short(d["total_at_high"])
        )
    out.print(drivers)
    for note in a["notes"]:
        out.print(f"note: {render(note)}", highlight=False)


@app.command("funding-reconcile")
def funding_reconcile(
    params_file: str = typer.Option(None, "--params", metavar="FILE", help="A parameters file overriding entries."),
    draws: int = typer.Option(None, "--draws", help="Monte Carlo draws (default from the parameters)."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Run the model on FWD.us's inputs (2026-01-26 list, 13,800-15,800 officers): does it land in $1.4-2 billion?"""
    from rich.table import Table

    from track287g.analyze import funding as fm

    params = _guard(lambda: fm.load_parameters(params_file))
    inputs = _inputs(params, params.calibration_value("fwd_list_date"))
    rec = _guard(lambda: fm.reconcile(inputs, params, draws=draws))
    if as_json:
        print_json(rec.as_json())
        return
    out.print(rec.verdict(), highlight=False)
    out.print(
        f"FWD.us's range over its officer counts: {_dollars(rec.fwd_per_officer[0])} to "
        f"{_dollars(rec.fwd_per_officer[1])} per officer-year.",
        highlight=False,
    )
    cases = Table(
        "case", f"{rec.officers_low:,.0f} officers", f"{rec.officers_high:,.0f} officers", "per officer", "in $1.4-2.0B"
    )
    for c in rec.cases:
        cases.add_row(
            c.label,
            _short(c.total_at_low),
            _short(c.total_at_high),
            f"{_dollars(c.per_officer_low)}",
            "inside" if c.inside_band else ("overlaps" if c.overlaps_band else "outside"),
        )
    out.print(cases)
    mc = rec.monte_carlo
    out.print(
        f"Monte Carlo over the model's ranges with FWD.us's officer range: {_money(mc['low'])} to "
        f"{_money(mc['high'])} (central {_money(mc['central'])}).",
        highlight=False,
    )
    solves = _table(
        ("one parameter alone", True),
        "central",
        "its range",
        f"for {_short(rec.band_low)} at {rec.officers_low:,.0f}",
        f"for {_short(rec.band_high)} at {rec.officers_high:,.0f}",
    )
    for s in rec.solves:
        solves.add_row(
            s.parameter,
            f"{s.central:g}",
            f"{s.low:g} to {s.high:g}",
            _needed(s.needed_for_low, s.low_within_range),
            _needed(s.needed_for_high, s.high_within_range),
        )
    out.print(solves)
    for end in rec.ends():
        out.print(render(end["message"]), highlight=False)
        for item in end["within_range"]:
            out.print(f"  {item['parameter']} = {item['value']:g} ({item['unit']})", highlight=False)
        for case in end["cases"]:
            out.print(f"  or: {case['case']} ({_money(case['total_usd'])})", highlight=False)
    a = rec.model_accrued_to_list
    out.print(
        f"Accrued {a['start']} to {a['end']}: {_money(a['central'])} (range {_money(a['low'])} to "
        f"{_money(a['high'])}) against at least {_money(rec.fwd_paid_to_date)} reported paid.",
        highlight=False,
    )


def _table(*columns: str | tuple[str, bool]) -> Table:
    """A table whose columns given as (name, True) never wrap (parameter names stay whole)."""
    from rich.table import Table

    table = Table()
    for col in columns:
        name, no_wrap = col if isinstance(col, tuple) else (col, False)
        table.add_column(name, no_wrap=no_wrap)
    return table


def _needed(value: float | None, inside: bool) -> str:
    if value is None:
        return "not reachable"
    return f"{value:.3g}" + ("" if inside else " (outside range)")


@app.command("funding-params")
def funding_params(
    scenario: str = typer.Option("central", "--scenario"),
    params_file: str = typer.Option(None, "--params", metavar="FILE"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Every parameter of the funding model: value, range, unit, source and confidence; and the scenarios."""
    from rich.table import Table

    from track287g.analyze import funding as fm

    params = _guard(lambda: fm.load_parameters(params_file, scenario))
    if as_json:
        print_json(
            {
                "scenario": scenario,
                "files": params.files,
                "parameters": params.as_json(),
                "calibration": {k: e.as_json() for k, e in params.calibration.items()},
                "scenarios": {k: _scenario_json(s) for k, s in params.scenarios.items()},
            }
        )
        return
    table = Table("parameter", "value", "range", "unit", "confidence", "source")
    for name, e in params.entries.items():
        rng = f"{e.low:g} to {e.high:g}" if e.low is not None else ""
        table.add_row(name, str(e.value), rng, e.unit, e.confidence, e.source)
    out.print(table)
    for name, s in params.scenarios.items():
        out.print(f"scenario {name}: {s.description}", highlight=False)


def _scenario_json(s: Any) -> dict[str, Any]:
    return {"description": s.description, "as_of": s.as_of, "set": s.set}

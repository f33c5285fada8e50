"""Charts of the record, rendered offline (Altair + vl-convert): SVG, PNG, or the Vega-Lite spec as JSON.

Charts (``CHARTS``): ``models`` (active agreements over time by support model), ``signings`` (new agreements
per week by signing date), ``states`` (states ranked by agreements, with agencies beside), ``units``
(agencies vs agreements over time). Each title says what is counted; each subtitle names the publications.
Rendering passes ``allowed_base_urls=[]`` so no chart can fetch anything.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import altair as alt
import pandas as pd
from sqlalchemy import Connection

from track287g.analyze import stats
from track287g.history.queries import QueryError, parse_date

CHARTS = {
    "models": "active agreements over time, by support model",
    "signings": "new agreements per week, by signing date and model",
    "states": "states ranked by active agreements (agencies beside)",
    "units": "agencies vs agreements over time",
}
FORMATS = ("svg", "png", "json")
DEFAULT_SINCE = "2024-12-01"  # the last HTML-era list before 2025 (2024-12-11) is the baseline
WIDTH, HEIGHT = 640, 320
MODEL_COLORS = {"JEM": "#4c78a8", "TFM": "#e45756", "WSO": "#f58518"}
CAVEAT = "Before 2025-02-21: HTML-era tables of ICE's page, extracted by a third party."


def _last_per_day(rows: list[dict]) -> list[dict]:
    """Keep, for each day, the rows of the day's last publication (ICE may post am, mid and pm lists)."""
    last = {r["date"]: r["publication"] for r in rows}
    return [r for r in rows if last[r["date"]] == r["publication"]]


def _span(rows: list[dict]) -> str:
    first, last = rows[0], rows[-1]
    return f"ICE participating lists published {first['published']} to {last['published']}"


def _models(conn: Connection, since: str | None, on: str | None) -> alt.Chart:
    rows = _last_per_day(stats.timeseries(conn, "publication", by="model", since=since or DEFAULT_SINCE, until=on))
    if not rows:
        raise QueryError("no publications in that span")
    df = pd.DataFrame(rows)
    return (
        alt.Chart(df)
        .mark_area(interpolate="step-after", opacity=0.85)
        .encode(
            x=alt.X("date:T", title="list published (the last list of each day)"),
            y=alt.Y("agreements:Q", title="active agreements", stack="zero"),
            color=_model_color(),
            order=alt.Order("model:N"),
        )
        .properties(
            title=alt.Title(
                "Active 287(g) agreements by support model",
                subtitle=[f"Agreements on each list; {_span(rows)}.", CAVEAT],
            )
        )
    )


def _model_color() -> alt.Color:
    """The support model as colour, the same in every chart."""
    return alt.Color(
        "model:N", title="model", scale=alt.Scale(domain=list(MODEL_COLORS), range=list(MODEL_COLORS.values()))
    )


def _signings(conn: Connection, since: str | None, on: str | None) -> alt.Chart:
    result = stats.signings(conn, "week", by="model", since=since or "2025-01-01", until=on)
    rows = result["rows"]
    if not rows:
        raise QueryError("no agreements signed in that span")
    df = pd.DataFrame(rows)
    pub = result["publication"]
    return (
        alt.Chart(df)
        .mark_bar()
        .encode(
            x=alt.X("start:T", title="week (Monday) of the signing date"),
            y=alt.Y("sum(agreements):Q", title="agreements signed"),
            color=_model_color(),
            order=alt.Order("model:N"),
        )
        .properties(
            title=alt.Title(
                "New 287(g) agreements per week, by signing date",
                subtitle=[
                    f"Agreements (not agencies) by ICE's SIGNED date, {rows[0]['start']} to {rows[-1]['end']}; "
                    f"every agreement listed through ICE's list of {pub['label']}.",
                    "Recent weeks fill in as ICE lists agreements signed earlier.",
                ],
            )
        )
    )


def _states(conn: Connection, since: str | None, on: str | None) -> alt.Chart:
    result = stats.counts(conn, on, by="state")
    pub = result["publication"]
    df = pd.DataFrame(result["groups"])
    df = df.sort_values(["agreements", "agencies", "state"], ascending=[False, False, True]).reset_index(drop=True)
    long = df.melt(id_vars=["state"], value_vars=["agreements", "agencies"], var_name="unit", value_name="count")
    order = list(df["state"])
    return (
        alt.Chart(long)
        .mark_bar()
        .encode(
            y=alt.Y("state:N", sort=order, title=None),
            x=alt.X("count:Q", title="active on the list"),
            yOffset=alt.YOffset("unit:N", sort=["agreements", "agencies"]),
            color=alt.Color(
                "unit:N",
                title=None,
                sort=["agreements", "agencies"],
                scale=alt.Scale(domain=["agreements", "agencies"], range=["#4c78a8", "#9ecae9"]),
            ),
        )
        .properties(
            height=alt.Step(7),
            title=alt.Title(
                "States ranked by active 287(g) agreements",
                subtitle=[
                    f"Agreements and agencies on ICE's participating list published {pub['label']} "
                    f"(sha256 {pub['sha256'][:12]}): {result['agreements']:,} agreements, "
                    f"{result['agencies']:,} agencies, {result['states']} states and {result['territories']} "
                    "territories."
                ],
            ),
        )
    )


def _units(conn: Connection, since: str | None, on: str | None) -> alt.Chart:
    rows = _last_per_day(stats.timeseries(conn, "publication", since=since or DEFAULT_SINCE, until=on))
    if not rows:
        raise QueryError("no publications in that span")
    df = pd.DataFrame(rows).melt(
        id_vars=["date", "published"], value_vars=["agreements", "agencies"], var_name="unit", value_name="count"
    )
    return (
        alt.Chart(df)
        .mark_line(interpolate="step-after")
        .encode(
            x=alt.X("date:T", title="list published"),
            y=alt.Y("count:Q", title="active on the list"),
            color=alt.Color(
                "unit:N",
                title=None,
                sort=["agreements", "agencies"],
                scale=alt.Scale(domain=["agreements", "agencies"], range=["#4c78a8", "#72b7b2"]),
            ),
        )
        .properties(
            title=alt.Title(
                "Agencies vs agreements on ICE's 287(g) list",
                subtitle=[
                    f"An agency can hold up to three agreements (JEM, TFM, WSO); {_span(rows)}.",
                    CAVEAT,
                ],
            )
        )
    )


_BUILDERS = {"models": _models, "signings": _signings, "states": _states, "units": _units}


def chart(conn: Connection, name: str, *, since: date | str | None = None, on: date | str | None = None) -> alt.Chart:
    """The Altair chart ``name`` (see ``CHARTS``); ``since`` starts time charts, ``on`` ends them (or dates
    the ``states`` ranking; default: the latest list)."""
    if name not in _BUILDERS:
        raise QueryError(f"unknown chart {name!r} (use {', '.join(CHARTS)})")
    since = parse_date(since).isoformat() if since else None
    on = parse_date(on).isoformat() if on else None
    return (
        _BUILDERS[name](conn, since, on)
        .properties(width=WIDTH, **({} if name == "states" else {"height": HEIGHT}))
        .configure_title(anchor="start", subtitleColor="#555")
        .configure_view(stroke=None)
    )


def render(spec: alt.Chart, fmt: str) -> bytes:
    """SVG, PNG (2x) or Vega-Lite JSON bytes for a chart, rendered offline with no outside request."""
    import vl_convert as vlc

    as_dict = spec.to_dict()
    if fmt == "svg":
        return vlc.vegalite_to_svg(as_dict, allowed_base_urls=[]).encode("utf-8")
    if fmt == "png":
        return vlc.vegalite_to_png(as_dict, scale=2, allowed_base_urls=[])
    if fmt == "json":
        import json

        return (json.dumps(as_dict, indent=2, sort_keys=True) + "\n").encode("utf-8")
    raise QueryError(f"unknown chart format {fmt!r} (use {', '.join(FORMATS)})")


def write_chart(
    conn: Connection, name: str, out: str | Path, *, since: date | str | None = None, on: date | str | None = None
) -> Path:
    """Render chart ``name`` to ``out``; the format follows the suffix (.svg, .png or .json)."""
    out = Path(out)
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise QueryError(f"{out}: the file name must end in .svg, .png or .json")
    data = render(chart(conn, name, since=since, on=on), fmt)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    return out


__all__ = ["CHARTS", "FORMATS", "chart", "render", "write_chart"]

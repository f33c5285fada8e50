"""Claim checks: published figures about 287(g), evaluated against the record on the claim's date.

A claims file (YAML) holds one report's claims::

    source: "where the quotes were printed"      # optional, free text
    published: 2026-01-27                         # optional: when the report was published
    tolerance: 0.05                               # optional: "close" band, a share of the claimed value
    claims:
      - id: jan-26-total                          # optional; defaults to the file name and position
        quote: "As of Jan. 26, there were 1,168 agencies ..."
        date: 2026-01-26                          # the date the figures are about
        note: "why the date or unit was chosen"   # optional
        figures:
          - metric: agencies|agreements           # "a|b": the text is ambiguous, both are checked
            value: 1168
            qualifier: exact                      # exact | about | over | at_least | under | at_most
            filters: {state: FL, model: TFM, type: county, kind: sheriff}   # optional
            change: percent                       # optional: growth (percent or absolute) ...
            from: 2025-01-20                      # ... from this date to the figure's date
            date: 2021-01-20                      # optional: overrides the claim's date

Metrics: ``agencies``, ``agreements``, ``states`` (50 states and DC), ``territories``,
``states_and_territories``. A figure is evaluated on ICE's latest participating list published on or before
its date. Verdicts: **matches** (the claim holds as worded: equal, or beyond the bound for over/under;
within 1% for ``about``), **close** (off by at most ``tolerance`` of the claimed value, default 5%),
**differs** (further off). A figure that does not match names the nearest lists where the record shows
the claimed value, when there are any: a hint of which publication the author may have used.

Bad input (malformed file, unknown metric or filter, a date outside the archive) is reported per claim as
an ``error`` row; the other claims are still checked.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml
from sqlalchemy import Connection

from track287g.analyze import stats
from track287g.errors import Track287gError
from track287g.history.queries import QueryError, as_of, participating_lists
from track287g.messages import message

METRICS = ("agencies", "agreements", "states", "territories", "states_and_territories")
QUALIFIERS = ("exact", "about", "over", "at_least", "under", "at_most")
CHANGES = ("percent", "absolute")
DEFAULT_TOLERANCE = 0.05
ABOUT_SHARE = 0.01
_FIGURE_KEYS = {"metric", "value", "qualifier", "filters", "change", "from", "date", "tolerance", "label"}
_CLAIM_KEYS = {
    "id",
    "quote",
    "date",
    "note",
    "figures",
    "source",
    "also_in",
    "published",
    "tolerance",
    "kind",
    "agency",
    "county",
    "state_agencies",
    "expect",
    "items",
    "history",
    "law",
}
_SPEC_KEYS = ("agency", "county", "state_agencies", "expect", "items", "history", "law")
KINDS = ("counts", "listing", "arithmetic", "history", "law")


class ClaimError(Track287gError):
    """A claim (or claims file) that cannot be checked as written."""


@dataclass
class Figure:
    metrics: list[str]
    value: float
    qualifier: str = "exact"
    filters: dict[str, str] = field(default_factory=dict)
    change: str | None = None
    start: date | None = None
    on: date | None = None
    tolerance: float = DEFAULT_TOLERANCE
    label: str | None = None


@dataclass
class Claim:
    id: str
    quote: str
    source: str | None
    on: date | None
    note: str | None
    file: str
    figures: list[Figure] = field(default_factory=list)
    error: str | None = None  # the claim could not be read; no figure is checked
    kind: str = "counts"  # counts | listing (an agency or county on ICE's lists) | arithmetic (a reader's sums)
    # | history (the program's past: ``context``) | law (a state's law: ``context``)
    spec: dict = field(default_factory=dict)  # listing and arithmetic claims: their fields as written
    also_in: list[str] = field(default_factory=list)  # other sources that printed the same quote


# --- reading claims files ---------------------------------------------------------------------------------


def _date(value, what: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise ClaimError(f"{what} {value!r} is not a date (use YYYY-MM-DD)") from None


def _number(value, what: str) -> float:
    if isinstance(value, bool):
        raise ClaimError(f"{what} must be a number, not {value!r}")
    if isinstance(value, int | float):
        return float(value)
    text = str(value).strip().replace(",", "").rstrip("%")
    try:
        return float(text)
    except ValueError:
        raise ClaimError(f"{what} must be a number, not {value!r}") from None


def _tolerance(value, default: float) -> float:
    if value is None:
        return default
    tol = _number(value, "tolerance")
    if not 0 <= tol < 1:
        raise ClaimError(f"tolerance must be a share between 0 and 1 (0.05 = 5%), not {value!r}")
    return tol


def _figure(raw, tolerance: float) -> Figure:
    if not isinstance(raw, dict):
        raise ClaimError(f"a figure must be a mapping with metric and value, not {raw!r}")
    unknown = sorted(set(raw) - _FIGURE_KEYS)
    if unknown:
        raise ClaimError(f"unknown figure field {unknown[0]!r} (use {', '.join(sorted(_FIGURE_KEYS))})")
    if "metric" not in raw or "value" not in raw:
        raise ClaimError("a figure needs a metric and a value")
    metrics = [m.strip() for m in str(raw["metric"]).split("|")]
    for m in metrics:
        if m not in METRICS:
            raise ClaimError(f"unknown metric {m!r} (use {', '.join(METRICS)}; a|b checks both)")
    qualifier = str(raw.get("qualifier", "exact")).strip()
    if qualifier not in QUALIFIERS:
        raise ClaimError(f"unknown qualifier {qualifier!r} (use {', '.join(QUALIFIERS)})")
    filters = raw.get("filters") or {}
    if not isinstance(filters, dict):
        raise ClaimError(f"filters must be a mapping like {{state: FL}}, not {filters!r}")
    try:
        filters = stats.normalize_filters(filters)
    except QueryError as exc:
        raise ClaimError(str(exc)) from None
    change = raw.get("change")
    if change is not None and change not in CHANGES:
        raise ClaimError(f"unknown change {change!r} (use percent or absolute)")
    if (change is None) != ("from" not in raw):
        raise ClaimError("a change needs both `change` (percent or absolute) and `from` (a date)")
    return Figure(
        metrics=metrics,
        value=_number(raw["value"], "value"),
        qualifier=qualifier,
        filters=filters,
        change=change,
        start=_date(raw["from"], "from") if "from" in raw else None,
        on=_date(raw["date"], "date") if raw.get("date") is not None else None,
        tolerance=_tolerance(raw.get("tolerance"), tolerance),
        label=raw.get("label"),
    )


def _claim(raw, file: str, position: int, source: str | None, tolerance: float, also_in: list | None = None) -> Claim:
    default_id = f"{Path(file).stem}#{position}"
    if not isinstance(raw, dict):
        return Claim(default_id, "", source, None, None, file, error=f"a claim must be a mapping, not {raw!r}")
    claim = Claim(
        id=str(raw.get("id") or default_id),
        quote=str(raw.get("quote") or ""),
        source=str(raw.get("source") or source or "") or None,
        on=None,
        note=raw.get("note"),
        file=file,
    )
    try:
        unknown = sorted(set(raw) - _CLAIM_KEYS)
        if unknown:
            raise ClaimError(f"unknown claim field {unknown[0]!r} (use {', '.join(sorted(_CLAIM_KEYS))})")
        if not claim.quote:
            raise ClaimError("the claim has no quote")
        claim.on = _date(raw["date"], "date") if raw.get("date") is not None else None
        claim.kind = str(raw.get("kind") or "counts")
        if claim.kind not in KINDS:
            raise ClaimError(f"unknown kind {claim.kind!r} (use {', '.join(KINDS)})")
        also = raw.get("also_in") or also_in or []
        claim.also_in = [str(a) for a in (also if isinstance(also, list) else [also])]
        if claim.kind != "counts":
            claim.spec = {k: raw[k] for k in _SPEC_KEYS if k in raw}
            if claim.on is None:
                raise ClaimError("the claim has no date")
            return claim
        figures = raw.get("figures")
        if not isinstance(figures, list) or not figures:
            raise ClaimError("the claim needs a list of figures")
        tol = _tolerance(raw.get("tolerance"), tolerance)
        for n, f in enumerate(figures, 1):
            try:
                fig = _figure(f, tol)
            except ClaimError as exc:
                raise ClaimError(f"figure {n}: {exc}") from None
            if fig.on is None and claim.on is None:
                raise ClaimError(f"figure {n}: no date (give the claim or the figure a date)")
            claim.figures.append(fig)
    except ClaimError as exc:
        claim.error = str(exc)
        claim.figures = []
    return claim


def load_claims(path: str | Path) -> list[Claim]:
    """Every claim in a YAML file, or in every ``*.yaml``/``*.yml`` file of a folder (sorted by name).

    A file that cannot be read becomes one claim carrying the error; a bad claim carries its own error.
    """
    path = Path(path)
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml") and p.stem != "sources")
        if not files:
            raise ClaimError(f"{path}: no .yaml claims files in this folder")
    elif path.exists():
        files = [path]
    else:
        raise ClaimError(f"{path}: no such file or folder")
    claims: list[Claim] = []
    for file in files:
        name = str(file)
        try:
            doc = yaml.safe_load(file.read_text(encoding="utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            where = getattr(exc, "problem_mark", None)
            line = f" at line {where.line + 1}" if where else ""
            claims.append(Claim(file.stem, "", None, None, None, name, error=f"not valid YAML{line}"))
            continue
        if isinstance(doc, list):
            doc = {"claims": doc}
        if not isinstance(doc, dict) or not isinstance(doc.get("claims"), list):
            claims.append(
                Claim(file.stem, "", None, None, None, name, error="expected a mapping with a `claims:` list")
            )
            continue
        try:
            tolerance = _tolerance(doc.get("tolerance"), DEFAULT_TOLERANCE)
        except ClaimError as exc:
            claims.append(Claim(file.stem, "", None, None, None, name, error=str(exc)))
            continue
        source = doc.get("source")
        for n, raw in enumerate(doc["claims"], 1):
            claims.append(_claim(raw, name, n, source, tolerance, doc.get("also_in")))
    return claims


# --- evaluating -------------------------------------------------------------------------------------------


def verdict(claimed: float, actual: float, qualifier: str = "exact", tolerance: float = DEFAULT_TOLERANCE) -> str:
    """matches / close / differs for one value (see the module docstring)."""
    if qualifier == "over":
        miss = max(0.0, claimed - actual) + (1 if actual <= claimed else 0)
    elif qualifier == "at_least":
        miss = max(0.0, claimed - actual)
    elif qualifier == "under":
        miss = max(0.0, actual - claimed) + (1 if actual >= claimed else 0)
    elif qualifier == "at_most":
        miss = max(0.0, actual - claimed)
    else:
        miss = abs(actual - claimed)
        if qualifier == "about" and miss <= max(0.5, abs(claimed) * ABOUT_SHARE):
            miss = 0.0
    if miss == 0 or math.isclose(miss, 0.0, abs_tol=1e-9):
        return "matches"
    if miss <= abs(claimed) * tolerance + 1e-9:
        return "close"
    return "differs"


class Checker:
    """Evaluates figures, caching snapshots and per-publication values across claims."""

    def __init__(self, conn: Connection):
        self.conn = conn
        self.span = stats.coverage(conn)
        self.snapshots: dict[date, dict] = {}
        self.series: dict[tuple, dict] = {}
        self.lists: list | None = None  # the lists each hint counts, read once
        self.pubs = {p["sha256"]: p for p in stats.participating_publications(conn)}

    def snapshot(self, on: date) -> dict:
        if self.span["first"] is None:
            raise ClaimError("the database holds no participating list (run `track287g build` first)")
        if on.isoformat() < self.span["first"] or on.isoformat() > self.span["last"]:
            raise ClaimError(
                f"date {on} is outside the archive's coverage ({self.span['first']} to {self.span['last']})"
            )
        if on not in self.snapshots:
            self.snapshots[on] = as_of(self.conn, on)
        return self.snapshots[on]

    def value(self, on: date, metric: str, filters: dict) -> tuple[int, dict]:
        snap = self.snapshot(on)
        items = stats.filter_items(snap["items"], **filters)
        return stats.measure(items)[metric], snap["publication"]

    def hint(self, figure: Figure, metric: str, on: date) -> dict | None:
        """The run of consecutive lists nearest to ``on`` where the record shows the claimed value (counts
        only): a hint of which publication the author may have used."""
        if figure.change:
            return None
        key = tuple(sorted(figure.filters.items()))
        if key not in self.series:
            if self.lists is None:
                self.lists = participating_lists(self.conn)
            self.series[key] = stats.active_by_publication(self.conn, None, figure.filters, self.lists)
        what = {"claimed": figure.value, "metric": metric, "filters": _filters_text(figure)}
        runs: list[list[dict]] = []
        previous = False
        for sha, pub in self.pubs.items():  # oldest first
            m = _cell_measure(self.series[key].get(sha, {}).get(None))
            ok = verdict(figure.value, m[metric], figure.qualifier, 0) == "matches"
            if ok:
                if previous:
                    runs[-1].append(pub)
                else:
                    runs.append([pub])
            previous = ok
        if not runs:
            return message("claims.hint.none", **what)
        day = on.isoformat()

        def distance(run: list[dict]) -> int:
            first, last = date.fromisoformat(run[0]["published"]), date.fromisoformat(run[-1]["published"])
            return 0 if first <= on <= last else min(abs((first - on).days), abs((last - on).days))

        run = min(runs, key=distance)
        where = "after" if run[0]["published"] > day else "before"
        if len(run) == 1:
            return message(f"claims.hint.one-{where}", **what, published=_label(run[0]))
        return message(f"claims.hint.run-{where}", **what, first=_label(run[0]), last=_label(run[-1]), lists=len(run))


def _cell_measure(cell: dict | None) -> dict:
    if not cell:
        return dict.fromkeys(METRICS, 0)
    states, territories = stats.state_kinds(cell["states"])
    return {
        "agencies": cell["agencies"],
        "agreements": cell["agreements"],
        "states": states,
        "territories": territories,
        "states_and_territories": states + territories,
    }


def _label(pub: dict) -> str:
    return f"{pub['published']} {pub.get('part') or ''}".strip()


def _fmt(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _filters_text(figure: Figure) -> str:
    """ " [state=FL, model=TFM]" (with its leading space), or "" without filters."""
    return f" [{', '.join(f'{k}={v}' for k, v in figure.filters.items())}]" if figure.filters else ""


def _metric_label(figure: Figure, metric: str) -> str:
    text = metric
    if figure.filters:
        text += " [" + ", ".join(f"{k}={v}" for k, v in figure.filters.items()) + "]"
    if figure.change:
        text += f" {'% ' if figure.change == 'percent' else ''}change since {figure.start}"
    return text


def base_row(claim: Claim) -> dict:
    """What every result row of a claim carries: its file, id, quote, source and note."""
    return {"file": claim.file, "id": claim.id, "claim": claim.quote, "source": claim.source, "note": claim.note}


def figure_rows(checker: Checker, claim: Claim) -> list[dict]:
    """One result per figure and metric of a counts claim (an ambiguous figure gives one per metric)."""
    results: list[dict] = []
    base = base_row(claim)
    for n, figure in enumerate(claim.figures, 1):
        on = figure.on or claim.on
        assert on is not None  # the claim's file gives every figure a date (checked when read)
        for metric in figure.metrics:
            row = {
                **base,
                "kind": "counts",
                "date": on.isoformat(),
                "figure": n,
                "metric": figure.label or _metric_label(figure, metric),
                "unit": metric,
                "ambiguous": len(figure.metrics) > 1,
                "filters": dict(figure.filters),
                "qualifier": figure.qualifier,
                "change": figure.change,
                "from": figure.start.isoformat() if figure.start else None,
                "claimed": figure.value,
                "tolerance": figure.tolerance,
            }
            try:
                row.update(_evaluate(checker, figure, metric, on))
            except (ClaimError, QueryError) as exc:
                row.update(error_row(str(exc)))
            results.append(row)
    return results


def error_row(text: str) -> dict:
    """The fields of a result that could not be checked, with the reason."""
    return {
        "verdict": "error",
        "error": text,
        "actual": None,
        "difference": None,
        "publication": None,
        "published": None,
    }


def _evaluate(checker: Checker, figure: Figure, metric: str, on: date) -> dict:
    value, pub = checker.value(on, metric, figure.filters)
    actual: float = value
    out: dict = {"publication": pub["sha256"], "published": pub["label"], "derived": pub["derived"]}
    if figure.change:
        assert figure.start is not None  # a change has its start (checked when read)
        start, start_pub = checker.value(figure.start, metric, figure.filters)
        out["from_value"] = start
        out["to_value"] = actual
        out["from_publication"] = start_pub["sha256"]
        out["from_published"] = start_pub["label"]
        out["from_derived"] = start_pub["derived"]
        if figure.change == "percent":
            if start == 0:
                raise ClaimError(f"no {metric} on {figure.start}: a percent change from zero is undefined")
            actual = round((actual - start) / start * 100, 1)
        else:
            actual = actual - start
    diff = actual - figure.value
    out.update(
        {
            "actual": actual,
            "difference": round(diff, 1),
            "difference_percent": round(diff / figure.value * 100, 1) if figure.value else None,
            "verdict": verdict(figure.value, actual, figure.qualifier, figure.tolerance),
            "error": None,
        }
    )
    out["hint"] = checker.hint(figure, metric, on) if out["verdict"] != "matches" else None
    return out

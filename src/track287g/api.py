"""The Python API: ``track287g.open(path)`` returns a ``Track287g`` whose methods mirror the CLI commands
(``as-of`` -> ``as_of()``, ``check-claims`` -> ``check_claims()``) and return pandas DataFrames.

    >>> import track287g
    >>> db = track287g.open("track287g.db")
    >>> df = db.as_of("2026-01-26")          # one row per active agreement
    >>> len(df), df.attrs["publication"]["label"]
    (1372, '2026-01-26 pm')

Every DataFrame names its source: the columns ``publication`` (sha256) and ``published`` (date and part of
ICE's list) where rows come from different lists, and ``df.attrs`` (``publication``, ``date``, totals) where
they all come from one. Column types are pandas' own (the README's "Python API" lists them): days are
``datetime64[ns]`` (``DATE_COLUMNS``: ``signed``, ``first_listed``, ``start``...), instants ``datetime64[ns, UTC]``,
whole numbers ``Int64`` (nullable: a gap is ``<NA>``, never 0 or a float), yes/no columns ``boolean``, the rest
text or Python objects; ``published`` is a day in ``publications()`` (with ``part``) and elsewhere the list's label
with its part of day (``2026-01-26 pm``, text). Values in ``df.attrs`` stay as the JSON API gives them. Errors are
``Track287gError`` subclasses (``QueryError``, ``InvalidArgument``, ``ClaimError``, ``ExportError``...) with a
one-line message, the same the command line prints: both ask the functions in ``track287g.questions``, which check
the arguments once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import text

from track287g import questions
from track287g.analyze import stats as stats_mod
from track287g.errors import QueryError, Track287gError
from track287g.messages import render
from track287g.store import Database, connect

CLI_ONLY = {
    "ingest": "writes the database (the Python API only reads)",
    "build": "writes the database",
    "rebuild": "writes the database",
    "enrich": "writes the database",
    "serve": "runs the web server",
    "build-site": "writes the static web site",
    "datasette-metadata": "writes a file for Datasette (the document is track287g.publish.datasette.metadata)",
    "watch": "runs the watcher",
    "subscribe": "administers the watcher's subscribers",
    "subscriptions": "administers the watcher's subscribers",
    "unsubscribe": "administers the watcher's subscribers",
    "watch-status": "administers the watcher",
    "funding": "the funding model has its own Python API: track287g.analyze.funding",
    "funding-reconcile": "the funding model has its own Python API: track287g.analyze.funding",
    "funding-params": "the funding model has its own Python API: track287g.analyze.funding",
    "reread-documents": "writes the database (reads every archived PDF again)",
    "export-transcripts": "writes a file of the database's OCR (a sidecar for the bundled archive)",
}
"""The commands without a method here, and why; every other command ``x-y`` is the method ``x_y``."""


DATE_COLUMNS = frozenset(
    {"signed", "signed_probable", "first_listed", "last_listed", "removed_after", "start", "end", "from_date",
     "to_date", "effective_date", "law_date", "date"}
)  # fmt: skip
"""Columns that hold a calendar day (``YYYY-MM-DD``) wherever they appear: ``datetime64[ns]``."""
TIME_COLUMNS = frozenset({"workbook_modified", "captured_at", "revised_at"})
"""Columns that hold an instant (ISO 8601, UTC): ``datetime64[ns, UTC]``."""


def _column_type(values: list[Any]) -> str | None:
    """``Int64`` for whole numbers, ``boolean`` for yes/no (either with gaps), else None (pandas decides)."""
    present = [v for v in values if v is not None and not (isinstance(v, float) and v != v)]
    if not present:
        return None
    if all(isinstance(v, bool) for v in present):
        return "boolean"
    if all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return "Int64"
    return None


def _frame(
    rows: list[dict], columns: list[str] | None = None, dates: tuple[str, ...] = (), **attrs: Any
) -> pd.DataFrame:
    """A DataFrame of ``rows`` with the column types of ``DTYPES`` (``dates``: more day columns for this frame)."""
    df = pd.DataFrame(rows, columns=columns) if rows or columns else pd.DataFrame(rows)
    for name in df.columns:
        if name in DATE_COLUMNS or name in dates:
            df[name] = pd.to_datetime(df[name], format="%Y-%m-%d").astype("datetime64[ns]")
        elif name in TIME_COLUMNS:
            df[name] = pd.to_datetime(df[name], format="ISO8601", utc=True).astype("datetime64[ns, UTC]")
        elif typed := _column_type([r.get(name) for r in rows]):
            df[name] = df[name].astype(typed)
    df.attrs.update(attrs)
    return df


class Track287g:
    """A built track287g database, read-only. Use as a context manager or call ``close()``."""

    def __init__(self, db: str | None = None):
        self.db: Database = connect(db, create=False)

    def __repr__(self) -> str:
        return f"<Track287g {self.db.location}>"

    def __enter__(self) -> Track287g:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.db.dispose()

    def _run(self, fn, *args, **kwargs):
        with self.db.read() as conn:
            return fn(conn, *args, **kwargs)

    # --- archive and history ------------------------------------------------------------------------

    def publications(self, kind: str | None = None) -> pd.DataFrame:
        """Every publication (like ``track287g publications``): one row per distinct file, oldest first."""
        rows = self._run(questions.publications, kind)
        for r in rows:
            r["names"] = "; ".join(r["names"])
            r.pop("name_dates", None)
        return _frame(rows, dates=("published",))

    def as_of(self, on: str, state: str | None = None) -> pd.DataFrame:
        """Agreements active on a date (like ``track287g as-of``): one row per agreement on ICE's latest list
        on or before it. ``attrs``: date, publication, agencies, agreements, models, pending, and
        ``not_in_history``: later lists the history holds out, with why (not counted here)."""
        result = self._run(questions.as_of, on, state)
        items = result.pop("items")
        result["pending"] = {k: v for k, v in result["pending"].items() if k != "items"}
        return _frame(items, **result)

    def agency(self, name: str, state: str | None = None, as_of: str | None = None) -> pd.DataFrame:
        """One agency's agreements (like ``track287g agency``), any spelling ICE printed or an agency id.
        ``attrs``: name, state, kind, agency_type, status, spellings, pending applications, events, the roster
        facts and the state's law (``law``); with ``as_of`` (YYYY-MM-DD), ``as_of``: what ICE's lists in force
        that day printed of it (each agreement's ``standing`` then)."""

        result = self._run(questions.agency, name, state, as_of)
        agreements = result.pop("agreements")
        for a in agreements:
            a["corrections"] = len(a["corrections"])
            a["signed_note"] = render(a["signed_note"]) if a.get("signed_note") else None  # in English
        return _frame(agreements, **result)

    def changes(
        self,
        since: str | None = None,
        state: str | None = None,
        agency: str | None = None,
        kind: str | None = None,
    ) -> pd.DataFrame:
        """Events, newest publication first across both lists (like ``track287g changes``): per publication, what
        changed against the previous list of its kind. ``agency`` takes any spelling, an agency id or a former
        id: that agency's history, in the order it happened. ``attrs["no_list_since"]``: the kinds whose latest
        list is older than ``since`` (no events of them is not "nothing changed")."""
        from track287g.history.reads import no_list_since

        events = self._run(questions.changes, since, state, agency, kind)
        stale = self._run(no_list_since, since, kind) if since and not agency else []
        return _frame(events, no_list_since=stale)

    events = changes

    def audit(self, kind: str | None = None, state: str | None = None) -> pd.DataFrame:
        """Every removal and withdrawal, newest first (like ``track287g audit``), with ``candidates``: the rows
        that could have continued it, ranked, each with its decision and reason."""
        return _frame(self._run(questions.audit, kind, state))

    def revisions(self, state: str | None = None, agency: str | None = None) -> pd.DataFrame:
        """What rebuilds changed in the changes reported for lists already in the record (like ``track287g
        revisions``): each change withdrawn or added, as the record said it, newest first."""
        return _frame(self._run(questions.revisions, state, agency))

    def diff(self, pub_a: str, pub_b: str, kind: str | None = None) -> pd.DataFrame:
        """What changed between any two publications (like ``track287g diff``). ``attrs``: from, to, counts."""
        result = self._run(questions.diff, pub_a, pub_b, kind)
        return _frame(result["events"], **{"from": result["from"], "to": result["to"], "counts": result["counts"]})

    # --- statistics ---------------------------------------------------------------------------------

    def stats(
        self, on: str | None = None, by: str | None = None, state: str | None = None, top: int | None = None
    ) -> pd.DataFrame:
        """Agencies and agreements active on a date (like ``track287g stats``): one row per group of ``by``
        (state, model, type, kind), or one row of totals. Columns ``publication`` and ``published`` name
        the list; ``attrs`` hold the totals (agencies, agreements, states, territories)."""
        result = self._run(questions.stats_counts, on, by, state, top)
        pub = result["publication"]
        source = {"publication": pub["sha256"], "published": pub["label"]}
        if by:
            rows = [{**g, **source} for g in result["groups"]]
        else:
            rows = [{k: result[k] for k in ("agencies", "agreements", "states", "territories")} | source]
        attrs = {k: v for k, v in result.items() if k != "groups"}
        return _frame(rows, **attrs)

    def top_states(self, on: str | None = None, n: int | None = 10, unit: str = "agreements") -> pd.DataFrame:
        """States ranked by agreements (or agencies) on a date; ties share a rank."""
        result = self._run(questions.top_states, on, n, unit)
        pub = result["publication"]
        rows = [{**g, "publication": pub["sha256"], "published": pub["label"]} for g in result["groups"]]
        return _frame(rows, **{k: v for k, v in result.items() if k != "groups"})

    def growth(
        self,
        start: str,
        end: str | None = None,
        by: str | None = None,
        state: str | None = None,
        top: int | None = None,
    ) -> pd.DataFrame:
        """Growth between two dates (like ``track287g growth``): one row per unit (agencies, agreements,
        states, territories), or per group and unit with ``by``; columns from, to, change, percent."""
        result = self._run(questions.growth, start, end, by, state, top)
        source = {
            "from_date": result["from"]["date"],
            "from_published": result["from"]["publication"]["label"],
            "to_date": result["to"]["date"],
            "to_published": result["to"]["publication"]["label"],
        }
        if by:
            rows = [{by: g[by], "unit": u, **g[u], **source} for g in result["groups"] for u in stats_mod.UNITS]
        else:
            rows = [{"unit": u, **result[u], **source} for u in (*stats_mod.UNITS, "states", "territories")]
        return _frame(rows, **{k: v for k, v in result.items() if k != "groups"})

    def timeseries(
        self,
        every: str = "publication",
        by: str | None = None,
        since: str | None = None,
        until: str | None = None,
        html_era: bool = True,
    ) -> pd.DataFrame:
        """Active agencies and agreements per publication, week or month (like ``track287g timeseries``);
        ``attrs["no_list_since"]`` names the record's latest list when it is older than ``since``."""
        rows = self._run(questions.timeseries, every, by, since, until, html_era)
        return _frame(rows, every=every, by=by, no_list_since=self._no_list_since(since))

    def signings(
        self, every: str = "week", by: str | None = None, since: str | None = None, until: str | None = None
    ) -> pd.DataFrame:
        """New agreements per week, month or year by signing date (like ``track287g signings``); ``may_grow``
        marks a period ending within ``attrs["listing_lag_days"]`` before ICE's latest list (ICE lists an
        agreement days to weeks after its signing); ``attrs["no_list_since"]`` as for ``timeseries``."""
        result = self._run(questions.signings, every, by, since, until)
        return _frame(result.pop("rows"), **result, no_list_since=self._no_list_since(since))

    def _no_list_since(self, since: str | None) -> list[dict]:
        from track287g.history.reads import no_list_since

        return self._run(no_list_since, since, "participating") if since else []

    # --- claims, charts, exports --------------------------------------------------------------------

    def check_claims(self, path: str | Path) -> pd.DataFrame:
        """Check a claims file or folder (like ``track287g check-claims``): one row per figure and unit;
        ``hint_text`` is the hint and ``record_text`` what the record says (listing, history, law claims) in
        English (``hint`` and ``record`` keep their code and values)."""
        rows = self._run(questions.check_claims, path)
        for row in rows:
            row["hint_text"] = render(row["hint"]) if row.get("hint") else None
            row["record_text"] = render(row["record"]) if row.get("record") else None
        return _frame(rows, dates=("from",))  # the start of a claimed change

    def chart(self, name: str, out: str | Path | None = None, since: str | None = None, on: str | None = None) -> Any:
        """The Altair chart ``name`` (models, signings, states, units), or write it to ``out`` (.svg, .png,
        .json) and return the path (like ``track287g chart``)."""
        return self._run(questions.chart, name, out, since=since, on=on)

    def export(self, format: str, out: str | Path = "export", tables: list[str] | None = None) -> list[Path]:
        """Export tables and a datapackage.json (like ``track287g export``); returns the paths written."""
        return self._run(questions.export, format, out, tables)

    # --- the archive, merges, rosters and maps ------------------------------------------------------------

    def summary(self) -> dict:
        """What the database holds (like ``track287g summary``): files, publications by kind, history size."""
        return self._run(questions.summary)

    def quarantine(self) -> pd.DataFrame:
        """The files rejected, with the reason (like ``track287g quarantine``)."""
        return _frame(self._run(questions.quarantine))

    def merges(self, candidates: bool = False) -> pd.DataFrame:
        """How spellings were merged into agencies, or the declined candidates (like ``track287g merges``)."""
        return _frame(self._run(questions.merges, candidates))

    def coverage(self, as_of: str | None = None, state: str | None = None) -> pd.DataFrame:
        """Coverage per state (like ``track287g coverage``): agreements, agencies, officers, people covered.
        ``attrs``: publication, national figures, counties."""
        result = self._run(questions.coverage, as_of, state)
        rows = [{"state": k, **v} for k, v in result.pop("states").items()]
        return _frame(rows, **result)

    def match_report(self, all_agencies: bool = False, as_of: str | None = None) -> pd.DataFrame:
        """The agencies without an FBI ORI (like ``track287g match-report``); ``attrs`` hold the rates."""
        result = self._run(questions.match_report, all_agencies, as_of)
        return _frame(result.pop("unmatched"), **result)

    def documents(
        self,
        search: str | None = None,
        agency: str | None = None,
        state: str | None = None,
        agreement: str | None = None,
    ) -> pd.DataFrame:
        """The archived MOAs (like ``track287g documents``): one row per document with its fields, signers and
        agreement; with ``search``, those whose text matches, best first."""
        return _frame(self._run(questions.documents, search, agency, state, agreement))

    def document(self, ref: str) -> dict:
        """One document in full (like ``track287g document``): every value with the text it was read from."""
        return self._run(questions.document, ref)

    def moa_coverage(self, as_of: str | None = None) -> pd.DataFrame:
        """Agreements with their MOA on file per state (like ``track287g moa-coverage``); ``attrs``: publication,
        national figures, models."""
        result = self._run(questions.moa_coverage, as_of)
        rows = [{"state": k, **v} for k, v in result.pop("by_state").items()]
        return _frame(rows, **result)

    def map(self, state: str | None = None, as_of: str | None = None, format: str = "svg") -> bytes:
        """Agreements by county, as SVG or PNG bytes (like ``track287g map``)."""
        return self._run(questions.county_map, state, as_of, format)

    def place(self, query: str, as_of: str | None = None) -> pd.DataFrame:
        """What covers a county, town, ZIP code or state on a date (like ``track287g place``): one row per agency
        that covers it (empty: no agreement does), the place and the list in ``df.attrs``."""
        result = self._run(questions.place, query, as_of)
        rows = [
            {
                "agency_id": c["agency_id"],
                "name": c["name"],
                "reach": c["reach"],
                "agreements": len(c["agreements"]),
                "models": [a["model"] for a in c["agreements"]],
            }
            for c in result["covered_by"]
        ]
        return _frame(rows, ["agency_id", "name", "reach", "agreements", "models"], **result)

    def old_lists(self) -> pd.DataFrame:
        """The old lists of 2007-2020, derived by a third party (like ``track287g old-lists``): one row per list
        and day (rows, agencies, resolved_to_today, not_today). ``attrs``: rules, merges, task_force."""
        result = self._run(questions.old_lists)
        return _frame(result.pop("lists"), **result)

    def laws(self, stance: str | None = None, state: str | None = None) -> pd.DataFrame:
        """Each researched state's law on 287(g) (like ``track287g laws``): stance, instrument, year,
        effective_date, summary, source_url, confidence, unverified."""
        return _frame(self._run(questions.laws, stance, state))

    def law_effect(self, stance: str = "mandate", as_of: str | None = None) -> pd.DataFrame:
        """Agreements in each state of a stance before its law's date and on the latest list (like
        ``track287g law-effect``): one row per state, ``before_*`` and ``after_*`` columns flattened.
        ``attrs``: stance, latest."""
        from track287g.analyze.laws import flat

        result = self._run(questions.law_effect, stance, as_of)
        return _frame(flat(result.pop("states")), **result)

    def sql(self, query: str, **params: Any) -> pd.DataFrame:
        """Any read-only SQL over the database's tables (see ``track287g.store.schema``)."""
        with self.db.read() as conn:
            result = conn.execute(text(query), params)
            return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


__all__ = ["CLI_ONLY", "QueryError", "Track287g", "Track287gError"]

"""Commands of the history stage: as-of, agency, changes, diff, merges, audit. Each asks ``questions`` and
prints.

Like every command module, this one imports what a command needs inside the command: ``--help`` and the quick
questions start without loading the rest of the program."""

from __future__ import annotations

import typer

from track287g.cli.common import (
    app,
    ask,
    beyond_record,
    derived_mark,
    escape,
    law_line,
    no_list_line,
    open_db,
    out,
    print_json,
)
from track287g.plurals import count


@app.command("as-of")
def as_of(
    on: str = typer.Argument(..., metavar="DATE", help="YYYY-MM-DD"),
    state: str = typer.Option(None, "--state", help="USPS code, e.g. TX"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Agencies and agreements active on a date, by ICE's latest list published on or before it."""
    from track287g import questions

    result = ask(questions.as_of, on, state, items=as_json or state is not None)
    if as_json:
        print_json(result)
        return
    pub = result["publication"]
    where = f" in {result['state']}" if result["state"] else ""
    where += beyond_record(result.get("days_after_latest_list"))
    out.print(
        f"On {result['date']}{where}: [bold]{count(result['agencies'], 'agency', 'agencies')}[/bold] held "
        f"[bold]{count(result['agreements'], 'agreement', 'agreements')}[/bold] "
        f"({', '.join(f'{m} {n:,}' for m, n in result['models'].items())})"
    )
    if result["printed_rows"] != result["agreements"]:
        repeated = result["repeated"] if "repeated" in result else result["items"]
        twice = [f"{i['agency']} {i['model']} x{i['rows']}" for i in repeated if i["rows"] > 1]
        out.print(
            f"  ICE printed {result['printed_rows']:,} rows: {count(len(twice), 'agreement', 'agreements')} printed "
            "more than once, "
            f"counted once ({'; '.join(twice[:5])})",
            highlight=False,
        )
    if result.get("derived") and result.get("old_list"):
        out.print(
            f"  [yellow]derived:[/yellow] by an old list, {result['source']} ({pub['names'][0]}; "
            f"sha256 {pub['sha256'][:12]}), derived by a third party from public records, not ICE's file; "
            f"{result['counting']}",
            highlight=False,
        )
        if result["pending"]["applications"]:
            listed = count(result["pending"]["applications"], "agreement", "agreements")
            out.print(f"  the same table lists {listed} as pending, not counted")
    else:
        out.print(
            f"  by ICE's participating list published {pub['label']} ({', '.join(pub['names'])}; "
            f"sha256 {pub['sha256'][:12]}){derived_mark(pub.get('derived'))}",
            highlight=False,
        )
    for p in result.get("not_in_history", []):
        out.print(f"  [yellow]note:[/yellow] {_left_out(p)}", highlight=False)
    pend = result["pending"]
    if pend["publication"]:
        out.print(
            f"  pending: {count(pend['applications'], 'application', 'applications')} from "
            f"{count(pend['agencies'], 'agency', 'agencies')}, by the pending list published "
            f"{pend['publication']['label']}"
            + (
                f"; {pend['approved_by_date']:,} of them on ICE's participating list by {result['date']} (approved)"
                if pend.get("approved_by_date")
                else ""
            )
        )
    elif not result.get("old_list"):  # not "0 applications": no pending list stood yet
        out.print(f"  pending: no pending list in the record on or before {result['date']}")
    if result["state"]:
        from rich.table import Table

        table = Table("agency", "model", "signed", "agreement_id")
        for i in result["items"]:
            table.add_row(i["agency"], i["model"], i["signed"] or "", i["agreement_id"])
        out.print(table)


@app.command("old-lists")
def old_lists(
    merges: bool = typer.Option(False, "--merges", help="Also list each old spelling joined to a different one."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """The old lists of 2007-2020 (derived by a third party): agencies in each and how many are today's agencies."""
    from track287g import questions

    db = open_db()
    with db.read() as conn:
        result = questions.old_lists(conn)
    if as_json:
        print_json(result)
        return
    out.print("Old lists, derived by a third party from public records (not ICE's files); no list for 2010-2020:")
    for g in result["lists"]:
        out.print(
            f"  {g['as_of'] or 'no date'}  {g['layout']}: {g['rows']} rows, {g['agencies']} agencies; "
            f"{g['resolved_to_today']} are agencies on a list of 2021 onwards, {g['not_today']} are not"
            + (f" ({g['ambiguous']} ambiguous)" if g["ambiguous"] else ""),
            highlight=False,
        )
        out.print(f"      {escape(g['source'])}", highlight=False)
    out.print("  how rows resolved: " + ", ".join(f"{k} {v}" for k, v in result["rules"].items()), highlight=False)
    tf = result["task_force"]
    o = tf["oig_2009"]
    out.print(
        f"Task force: {o['tfm_agreements']} signed agreements with a task-force model on {o['date']} "
        f"({o['task_force_only']} Task Force, {o['hybrid']} Hybrid; one per agency; OIG table, derived); "
        f"{tf['first_list']['tfm_agreements']} on ICE's first list of the record ({tf['first_list']['date']}); "
        f"{len(tf['moa_index_tfm_files'])} TFM files in the MOA index (2006-2020).",
        highlight=False,
    )
    out.print(f"  {tf['note']}", highlight=False)
    if merges:
        for m in result["merges"]:
            out.print(
                f"  {m['state']} {m['printed']!r} -> {m['agency_id']} ({m['rule']}: {escape(m['evidence'])})",
                highlight=False,
            )


@app.command()
def agency(
    name: str = typer.Argument(..., help="Any spelling ICE printed, an agency id or a former id"),
    state: str = typer.Option(None, "--state"),
    as_of: str = typer.Option(
        None, "--as-of", metavar="DATE", help="What ICE's lists in force on a date (YYYY-MM-DD) printed of it."
    ),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """One agency: spellings ICE used, agreements, dates, MOA links, pending applications, events."""
    from rich.table import Table

    from track287g import questions
    from track287g.messages import render

    view = ask(questions.agency, name, state, as_of)
    if as_json:
        print_json(view)
        return
    if name != view["agency_id"] and any(f["alias"] == name for f in view["former_ids"]):
        out.print(f"{name} is a former id of {view['agency_id']}", highlight=False)
    status = view["status"] + (" (provisional)" if view.get("provisional") else "")
    out.print(f"[bold]{view['name']}[/bold] ({view['state']}) - {view['kind']}, {status}; id {view['agency_id']}")
    lists = [f"first on the {k} list {v}" for k, v in view["listed_since"].items() if v]
    out.print(
        f"listed {view['first_listed']} to {view['last_listed']} ({'; '.join(lists)}); ICE's spellings: "
        + "; ".join(
            s["spelling"] + (f" ({s['state']})" if s["state"] != view["state"] else "") for s in view["spellings"]
        ),
        highlight=False,
    )
    if view["former_ids"]:
        out.print("former ids (still resolve): " + ", ".join(f["alias"] for f in view["former_ids"]), highlight=False)
    if view.get("ori"):

        def roster(value: int | None) -> str:  # the FBI roster prints 0 where the agency reported none
            return f"{value:,}" if value else "not reported"

        out.print(
            f"FBI ORI {view['ori']} ({view.get('match_method')}); FBI roster {view.get('roster_year')}: sworn officers "
            f"{roster(view.get('sworn_officers'))}, population served {roster(view.get('population_served'))}"
        )
    if view.get("law"):
        out.print(law_line(view["law"]), highlight=False)
    if view.get("as_of"):
        out.print("\n".join(_agency_then(view["as_of"])), highlight=False)
    table = Table("model", "signed", "status", "first listed", "last listed", "MOA")
    for a in view["agreements"]:
        status = a["status"] + (f", now held by {a['held_by']['name']}" if a.get("held_by") else "")
        signed = (a["signed"] or "") + (f" (probably {a['signed_probable']})" if a.get("signed_probable") else "")
        table.add_row(a["model"], signed, status, a["first_listed"], a["last_listed"], a["moa_url"] or "")
    out.print(table)
    for a in view["agreements"]:
        if a.get("signed_note"):
            out.print(f"{a['model']} signed {a['signed']}: {render(a['signed_note'])}", highlight=False)
    for p in view["pending"]:
        out.print(
            f"pending {p['model']} application listed {p['first_listed']} to {p['last_listed']}: {p['status']}"
            + (f" after {count(p['days_to_approval'], 'day', 'days')}" if p["days_to_approval"] is not None else "")
        )
    if view["events"]:  # one call: Rich's cost is per call, not per line
        lines = [f"{e['published']}  {e['type']}  {e['model'] or ''} {_detail(e['detail'])}" for e in view["events"]]
        out.print("\n".join(lines), highlight=False)


STANDING = {  # an agreement not on the list in force on the date asked: why (``reads.agency_on``)
    "not-yet": "not yet listed (first listed {first_listed})",
    "removed": "no longer listed (last listed {last_listed})",
    "absent": "not on that list (listed {first_listed} to {last_listed})",
}


def _agency_then(then: dict) -> list[str]:
    """An agency on the date asked: what the participating and pending lists in force printed of it."""
    pub = then["publication"]
    after = then["days_after_latest_list"]
    lines = [
        f"On {then['date']}, ICE's participating list in force (published {pub['label']}{derived_mark(pub['derived'])})"
        f" listed {count(then['listed'], 'agreement', 'agreements')} of it"
        + (
            f" ({count(after, 'day', 'days')} after the record's latest list: ICE may have listed more since)"
            if after
            else ""
        )
    ]
    for a in then["agreements"]:
        if a["standing"] in ("listed", "elsewhere"):
            signed = a["signed"] or "no date"
            signed += f" (probably {a['signed_probable']})" if a.get("signed_probable") else ""
            holder = f" under another agency, {a['held_by']['name']}" if a.get("held_by") else ""
            lines.append(f"  {a['model']} signed {signed}: listed{holder}, row {a['row_number']}")
        else:
            lines.append(f"  {a['model']} signed {a['signed'] or 'no date'}: " + STANDING[a["standing"]].format(**a))
    pend = then["pending"]
    if not pend["publication"]:
        lines.append(f"  no pending list in the record on or before {then['date']}")
    else:
        lines.append(
            f"  the pending list published {pend['publication']['label']} printed "
            + (
                count(len(pend["applications"]), "application", "applications")
                if pend["applications"]
                else "no application"
            )
            + " of it"
        )
    for p in pend["applications"]:
        if p["approved_listed"]:
            said = f"on ICE's participating list since {p['approved_listed']} (approved)"
        else:
            said = f"later {p['status']}" if p["status"] != "pending" else "still pending on the latest list"
        lines.append(f"  {p['model']} application, on the pending list since {p['first_listed']}: {said}")
    lines += [f"  note: {_left_out(p)}" for p in then["not_in_history"]]
    if then["later_events"]:
        lines.append(f"  {count(then['later_events'], 'event', 'events')} below came after {then['date']}")
    return [escape(line) for line in lines]


def _left_out(p: dict) -> str:
    """A list published by the date asked that an answer leaves out (``reads.left_out``): which, and why."""
    return (
        f"ICE's list published {p['label']} (sha256 {p['sha256'][:12]}) is not in this answer: "
        f"{p.get('reason') or 'not in the history'}"
    )


def _detail(detail: dict) -> str:
    """An event's detail on one line; a removal's or withdrawal's evidence in words."""
    shown = {
        k: v
        for k, v in detail.items()
        if k not in ("evidence", "from_agency_id", "to_agency_id") and not k.endswith("_message")  # said in English
    }
    if shown.get("signed_probable"):
        shown["signed"] = f"{shown['signed']} (probably {shown.pop('signed_probable')}: a year typo)"
    text = ", ".join(f"{k} {v}" for k, v in shown.items())
    evidence = detail.get("evidence")
    if isinstance(evidence, dict):
        text += (
            f" (evidence: last printed {evidence['last_listed']}, first list without it {evidence['first_absent']}; "
            f"{evidence['checked']})"
        )
    elif evidence:
        text += f" (evidence: {evidence})"
    return escape(text.strip())


@app.command()
def changes(
    since: str = typer.Option(None, "--since", help="YYYY-MM-DD"),
    state: str = typer.Option(None, "--state"),
    agency: str = typer.Option(None, "--agency", help="One agency's history: any spelling ICE printed, or its id."),
    kind: str = typer.Option(None, "--kind", help="participating or pending"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """The changelog, newest publication first (both lists): what changed in each against the previous one of
    its kind; one agency's history in the order it happened."""
    from track287g import questions

    events = ask(questions.changes, since=since, state=state, agency=agency, kind=kind)
    if as_json:
        print_json(events)
        return
    lines, last = [], None
    for e in events:
        if e["publication"] != last:
            derived = derived_mark(e["list_derived"])
            lines.append(f"\n[bold]{e['list_kind']} list {e['published']}[/bold] ({e['publication'][:10]}){derived}")
            last = e["publication"]
        who = e["agency"] or ""
        line = f"  {e['type']:<20} {e['state'] or '':<3}{who} {e['model'] or ''} {_detail(e['detail'])}"
        lines.append(line.rstrip())
    lines.append("\n" + count(len(events), "event", "events"))
    if since and not agency:  # a kind with no list since then has no events: not "nothing changed"
        from track287g.history.reads import no_list_since

        lines += [no_list_line(s, since) for s in ask(no_list_since, since, kind)]
    out.print("\n".join(lines), highlight=False)  # one call: Rich's cost is per call, not per line


@app.command()
def revisions(
    state: str = typer.Option(None, "--state"),
    agency: str = typer.Option(None, "--agency", help="One agency's: any spelling ICE printed, or its id."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """What rebuilds changed in the changes reported for lists already in the record (a new list, a rule or a
    person's decision read them otherwise): each change withdrawn or added, as the record said it, newest first."""
    from track287g import questions

    items = ask(questions.revisions, state=state, agency=agency)
    if as_json:
        print_json(items)
        return
    lines, last = [], None
    for r in items:
        if r["revised_at"] != last:
            lines.append(f"\n[bold]revised {r['revised_at']}[/bold]")
            last = r["revised_at"]
        line = (
            f"  {r['change']:<9} {r['kind']} list {r['list_label']}: {r['type']} {r['state'] or '':<3}"
            f"{r['name'] or r['agency_id'] or ''} {r['model'] or ''} {_detail(r['detail'])}"
        )
        lines.append(line.rstrip())
    lines.append(("\n" if items else "") + count(len(items), "change revised", "changes revised"))
    out.print("\n".join(lines), highlight=False)


@app.command()
def diff(
    pub_a: str = typer.Argument(..., metavar="PUB_A", help="date stamp (2026-01-26pm, 01262026pm) or sha256 prefix"),
    pub_b: str = typer.Argument(..., metavar="PUB_B"),
    kind: str = typer.Option(None, "--kind", help="participating or pending"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """What changed between any two publications of one kind."""
    from track287g import questions

    db = open_db()
    with db.read() as conn:
        result = questions.diff(conn, pub_a, pub_b, kind)
    if as_json:
        print_json(result["events"])
        return
    counts = ", ".join(f"{n} {t}" for t, n in result["counts"].items()) or "no changes"
    out.print(f"{result['from']['kind']} list {result['from']['label']} -> {result['to']['label']}: {counts}")
    derived = [f"the list of {p['label']}" for p in (result["from"], result["to"]) if p.get("derived")]
    if derived:  # said wherever such a list is used
        tables = "an HTML-era table" if len(derived) == 1 else "HTML-era tables"
        out.print(f"  {' and '.join(derived)}: {tables} extracted by a third party", highlight=False)
    for e in result["events"]:
        out.print(
            f"  {e['type']:<10} {e['state']:<3}{e['agency']} {e['model'] or ''} {_detail(e['detail'])}", highlight=False
        )


@app.command()
def merges(
    candidates: bool = typer.Option(False, "--candidates", help="List the merges the rules declined, for review."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """How spellings were merged into agencies (rule and evidence), or the declined candidates."""
    from track287g import questions

    db = open_db()
    with db.read() as conn:
        rows = questions.merges(conn, candidates)
    if as_json:
        print_json(rows)
        return
    for r in rows:
        if candidates:
            out.print(
                f"{r['state']}  {r['spelling']!r} ~ {r['other']!r} ({r['score']}): {r['reason']}", highlight=False
            )
        else:
            out.print(f"{r['agency_id']}: {r['spelling']!r} by {r['rule']} ({r['evidence']})", highlight=False)
    out.print(f"{len(rows)} {'candidates' if candidates else 'merged spellings'}")


@app.command()
def audit(
    kind: str = typer.Option(None, "--kind", help="removal or withdrawal"),
    state: str = typer.Option(None, "--state"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Every removal and withdrawal with the rows that could have continued it, ranked, each declined with its
    reason (an unexplained one fails the build)."""
    from track287g import questions

    db = open_db()
    with db.read() as conn:
        items = questions.audit(conn, kind, state)
    if as_json:
        print_json(items)
        return
    shown = 0
    for e in items:
        evidence = e["detail"].get("evidence") or {}
        what = e["agreement_id"] or e["pending_id"]
        more, day = e["detail"].get("lists_to_confirm"), e["detail"].get("confirm_from")
        until = [count(more, "more list leaves", "more lists leave") + " it out"] if more else []
        until += [f"a list of {day} or later leaves it out"] if day else []
        provisional = f", provisional until {' and '.join(until)}" if until else ""
        out.print(
            f"\n[bold]{e['type']}[/bold] {e['published']} {e['state']} {escape(e['agency'] or '')} "
            f"{e['model'] or ''} ({what}{provisional})",
            highlight=False,
        )
        out.print(
            escape(
                f"  last printed {evidence.get('last_listed')}, first list without it {evidence.get('first_absent')}: "
                f"{evidence.get('checked')}"
            ),
            highlight=False,
        )
        for c in e["candidates"]:
            shown += 1
            out.print(
                escape(
                    f"  {c['rank']}. {c['publication']} row {c['row_number']}: {c['agency']} ({c['state']}) "
                    f"{c['model']} {c['signed'] or ''} [{c['score']}] {c['decision']}: {c['reason']}"
                ),
                highlight=False,
            )
    unexplained = sum(1 for e in items for c in e["candidates"] if c["decision"] == "unexplained")
    out.print(
        f"\n{count(len(items), 'removal or withdrawal', 'removals and withdrawals')}; "
        f"{count(shown, 'candidate continuation', 'candidate continuations')}"
        f" listed, {unexplained} unexplained"
    )

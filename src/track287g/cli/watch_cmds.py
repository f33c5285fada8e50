"""Commands of the watcher: watch, subscribe, subscriptions, unsubscribe, watch-status."""

from __future__ import annotations

import signal
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from track287g.cli.common import (
    NO_WAIT_HELP,
    UserError,
    app,
    err,
    escape,
    one_line,
    open_db,
    out,
    print_json,
    print_json_line,
)
from track287g.cli.common import state as cli_state
from track287g.config import CONTACT_ENV, DEFAULT_PAGE
from track287g.config import max_bytes as default_max_bytes
from track287g.plurals import count

if TYPE_CHECKING:  # the watcher (and httpx with it) is imported by the commands that use it
    import logging

    from track287g.store import Database
    from track287g.watch import WatchReport, WatchSettings

LOCK_HELD_EXIT = 3


def _logger() -> logging.Logger:
    """The watcher's log (logging loads with the commands that write to it, not with every command)."""
    import logging

    return logging.getLogger("track287g.watch")


def _setup_logging(verbose: bool, to_stderr: bool, log_file: Path | None) -> None:
    import logging

    log = _logger()
    log.setLevel(logging.INFO)
    log.propagate = False
    for handler in list(log.handlers):
        log.removeHandler(handler)
    fmt = logging.Formatter("%(asctime)s track287g.watch %(levelname)s: %(message)s", "%Y-%m-%dT%H:%M:%S%z")
    if to_stderr or verbose:
        handler = logging.StreamHandler(sys.stderr)
        handler.setLevel(logging.INFO if verbose else logging.WARNING)
        handler.setFormatter(fmt)
        log.addHandler(handler)
    if log_file is not None:
        try:
            handler = logging.FileHandler(log_file, encoding="utf-8")
        except OSError as exc:
            raise UserError(f"cannot write the log file {log_file}: {exc.strerror or exc}") from None
        handler.setFormatter(fmt)
        log.addHandler(handler)


def _summary_line(r: WatchReport) -> str:
    page = r.page.get("status") or r.page.get("error") or "no answer"
    alerts = f", {count(len(r.alerts), 'alert', 'alerts')}" if r.alerts else ""
    return (
        f"run {r.run_id}: page {page}, {count(len(r.links), 'list link', 'list links')}, {len(r.stored)} stored, "
        f"{len(r.unchanged)} unchanged, {len(r.rejected)} rejected, {count(r.events, 'event', 'events')}, "
        f"{count(r.requests, 'request', 'requests')}{alerts}"
    )


def _print_report(r: WatchReport) -> None:
    page = r.page
    state = "not modified" if page.get("not_modified") else (page.get("status") or "")
    out.print(f"{r.started_at}  page {escape(page.get('url', ''))}: {state or page.get('error')}", highlight=False)
    if r.links:
        kinds = ", ".join(f"{k['kind']} {escape(k['name'] or k['url'])}" for k in r.links)
        out.print(f"  {count(len(r.links), 'list link', 'list links')}: {kinds}", highlight=False)
    for s in r.stored:
        when = f"{s['published']} {s['part']}".strip()
        out.print(
            f"  [green]stored[/green]    {escape(s['name'])}: {s['kind']} list published {when}, {s['rows']:,} rows",
            highlight=False,
        )
    for u in r.unchanged:
        out.print(f"  unchanged {escape(u['name'] or u['url'])}: {escape(u['reason'])}", highlight=False)
    for x in r.rejected:
        out.print(f"  [red]rejected[/red]  {escape(x['name'] or x['url'])}: {escape(x['reason'])}", highlight=False)
    if r.history is not None:
        events = count(r.events, "event", "events")
        out.print(f"  history rebuilt: {events} in the new publications", highlight=False)
        if r.history.get("revised"):
            changes = count(r.history["revised"], "change", "changes")
            out.print(f"  {changes} to lists already in the record revised (track287g revisions)", highlight=False)
    docs = r.documents or {}
    for d in docs.get("stored", []):
        what = f"{d['kind']} ({count(d['pages'], 'page', 'pages')}, {d['text_source']})"
        out.print(f"  [green]stored[/green]    {escape(d['name'])}: {what}", highlight=False)
    for d in docs.get("rejected", []):
        out.print(f"  [red]rejected[/red]  {escape(d['name'])}: {escape(d['reason'])}", highlight=False)
    if docs.get("left"):
        out.print(f"  {docs['left']:,} linked PDFs left for later runs (request cap)", highlight=False)
    queued = sum(r.announced.values())
    d = r.deliveries
    if queued or any(d.values()):
        out.print(
            f"  webhooks: {queued} queued, {d.get('sent', 0)} sent, {d.get('failed', 0)} failed (will retry), "
            f"{d.get('given_up', 0)} given up",
            highlight=False,
        )
    for a in r.alerts:
        out.print(f"  [bold red]ALERT[/bold red] {escape(a)}", highlight=False)
    if not (r.stored or r.rejected or r.alerts or docs.get("stored") or docs.get("rejected")):
        out.print("  nothing new", highlight=False)


def _write_feed(db: Database, path: Path) -> None:
    """The site's Atom feed of every change (the one ``serve`` and ``build-site`` publish), as a file."""
    from track287g.publish.feeds import feed, site_url

    with db.read() as conn:
        data = feed(conn, base=site_url(""), scope="changes")
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise UserError(f"cannot write the feed {path}: {exc.strerror or exc}") from None


def _write_downloads(db: Database) -> None:
    """The bulk downloads of the new data version (what /downloads/ serves); a failure is logged, the loop goes on."""
    from track287g import pipeline

    try:
        result = pipeline.publish_downloads(db, cli_state.exports)
    except Exception as exc:  # unattended: say it, keep watching
        _logger().error("downloads not written: %s: %s", type(exc).__name__, exc)
        err.print(f"[red]error:[/red] downloads not written: {type(exc).__name__}: {exc}", highlight=False)
        return
    _logger().info(
        "downloads: %d files for data version %s in %s", len(result["files"]), result["version"], result["root"]
    )


def _deliver_between_runs(db: Database, settings: WatchSettings) -> None:
    """Send webhook retries that fall due while the loop sleeps (skipped while another command writes)."""
    from track287g.archive import now_utc
    from track287g.sources.web import Fetcher
    from track287g.watch import LockHeld, notify

    with db.private.read() as conn:
        due = notify.next_due(conn)
    if not due or due > now_utc():
        return
    try:
        with db.writing("watch: webhook retries", wait=False), Fetcher(settings.http) as fetcher:
            notify.deliver_due(db, fetcher, settings.delivery)
    except LockHeld:
        return


def _stop(signum: int, _frame) -> None:
    raise KeyboardInterrupt(f"stopped by signal {signum}")


@app.command()
def watch(
    url: str = typer.Option(DEFAULT_PAGE, "--url", help="ICE's 287(g) page."),
    once: bool = typer.Option(False, "--once", help="One run, then exit (for cron, systemd timers, CI)."),
    interval: str = typer.Option("6h", "--interval", help="Time between runs when looping: 30m, 6h, 1d..."),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per run on stdout."),
    contact: str = typer.Option(
        None, "--contact", envvar=CONTACT_ENV, help="Contact (email or URL) for the User-Agent ICE sees."
    ),
    user_agent: str = typer.Option(None, "--user-agent", help="Replace the whole User-Agent."),
    timeout: float = typer.Option(30.0, "--timeout", help="Seconds to wait for a server's next bytes."),
    retries: int = typer.Option(3, "--retries", help="Retries of a failed request (timeouts, 5xx, cut downloads)."),
    backoff: float = typer.Option(2.0, "--backoff", help="Seconds before the first retry (doubled each time)."),
    deadline: float = typer.Option(300.0, "--deadline", help="Longest one download may take, in seconds."),
    max_bytes: int = typer.Option(None, "--max-bytes", help="Size limit per download (default 50 MB)."),
    max_requests: int = typer.Option(20, "--max-requests", help="Cap on HTTP requests per run, retries included."),
    wait: float = typer.Option(
        None, "--wait", help="Seconds to wait at most for another command writing to the database (default: no limit)."
    ),
    no_wait: bool = typer.Option(False, "--no-wait", help=NO_WAIT_HELP),
    delivery_backoff: float = typer.Option(
        60.0, "--delivery-backoff", help="Seconds before a failed webhook is retried (x4 each time)."
    ),
    runs: int = typer.Option(None, "--runs", help="Stop after this many runs (loop mode)."),
    fetch_documents: bool = typer.Option(
        True, "--documents/--no-documents", help="Also fetch the MOA and addendum PDFs the lists link."
    ),
    feed: Path = typer.Option(None, "--feed", help="Rewrite the Atom feed of every change here after each run."),
    exports: bool = typer.Option(
        True,
        "--exports/--no-exports",
        help="Write the bulk downloads (what /downloads/ serves) after a run that stored a list (default: yes).",
    ),
    log_file: Path = typer.Option(None, "--log-file", help="Append the watcher's log to this file."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Log every step to stderr."),
) -> None:
    """Watch ICE's 287(g) page: archive every new list, rebuild the history, notify subscribers."""
    from track287g.sources.web import HttpSettings
    from track287g.watch import LockHeld, WatchSettings, parse_duration, run_once

    try:
        seconds = parse_duration(interval)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    for name, value in (("--retries", retries), ("--max-requests", max_requests)):
        if value < 0 or (name == "--max-requests" and value < 1):
            raise UserError(f"{name} must be positive, not {value}")
    if timeout <= 0 or deadline <= 0 or backoff < 0 or delivery_backoff < 0 or (wait is not None and wait < 0):
        raise UserError("--timeout and --deadline must be positive; --backoff, --wait and --delivery-backoff >= 0")
    if not url.startswith(("http://", "https://")):
        raise UserError(f"--url must be an http:// or https:// address, not {url!r}")
    _setup_logging(verbose, as_json, log_file)
    http = HttpSettings(
        contact=contact,
        user_agent=user_agent,
        read_timeout=timeout,
        deadline=deadline,
        retries=retries,
        backoff=backoff,
        max_bytes=default_max_bytes(max_bytes),
        max_requests=max_requests,
    )
    settings = WatchSettings(url=url, http=http, documents=fetch_documents)
    settings.delivery.backoff = delivery_backoff
    db = open_db(create=True, no_wait=no_wait)
    db.lock_policy.timeout = wait
    # a stop from systemd or CI unwinds like Ctrl-C: the run's lock is released, its report recorded
    signal.signal(signal.SIGTERM, _stop)
    done, worst = 0, 0
    try:
        while True:
            try:
                report = run_once(db, settings)
            except LockHeld as exc:
                if once:
                    raise UserError(str(exc), code=LOCK_HELD_EXIT) from None
                _logger().warning("%s", exc)
                report = None
            except Exception as exc:  # unattended: say it, keep the loop alive, try again next interval
                if once:
                    raise
                _logger().error("run failed: %s: %s", type(exc).__name__, one_line(exc))
                err.print(f"[red]error:[/red] run failed: {type(exc).__name__}: {one_line(exc)}", highlight=False)
                report = None
            if report is not None:
                _logger().info("%s", _summary_line(report))
                if as_json:
                    print_json_line(report.as_json())
                else:
                    _print_report(report)
                worst = max(worst, 0 if report.ok else 1)
                if feed is not None:
                    _write_feed(db, feed)
                if exports and report.stored:
                    _write_downloads(db)
            done += 1
            if once or (runs is not None and done >= runs):
                break
            until = time.monotonic() + seconds
            while (left := until - time.monotonic()) > 0:
                time.sleep(min(left, 60.0))
                _deliver_between_runs(db, settings)
    finally:
        db.dispose()
    if once and worst:
        raise typer.Exit(worst)


subscribe_app = typer.Typer(help="Subscribe to new publications' events.", no_args_is_help=True)
app.add_typer(subscribe_app, name="subscribe")


@subscribe_app.command("webhook")
def subscribe_webhook(
    url: str = typer.Argument(..., help="The address to POST to."),
    state: str = typer.Option(None, "--state", help="Only events in this state (USPS code, e.g. FL)."),
    agency: str = typer.Option(None, "--agency", help="Only events of agencies whose name or id contains this."),
    secret: str = typer.Option(
        None, "--secret", envvar="TRACK287G_WEBHOOK_SECRET", help="Sign each body (HMAC-SHA256) with this secret."
    ),
    allow_private: bool = typer.Option(
        False,
        "--allow-private-address",
        help="Allow a URL on a loopback, private or link-local address (refused by default).",
    ),
    as_json: bool = typer.Option(False, "--json"),
    no_wait: bool = typer.Option(False, "--no-wait", help=NO_WAIT_HELP),
) -> None:
    """After each new publication, POST its matching events as JSON to URL."""
    from track287g import pipeline
    from track287g.watch import notify

    db = open_db(create=True, no_wait=no_wait)
    try:
        with pipeline.writing(db, "subscribe"):
            sub = notify.add_webhook(
                db, url, state=state, agency_name=agency, secret=secret, allow_private=allow_private
            )
    except notify.SubscriptionError as exc:
        raise UserError(str(exc)) from None
    finally:
        db.dispose()
    if as_json:
        print_json(sub)
        return
    verb = "subscribed" if sub["created"] else "already subscribed (updated)"
    out.print(f"{verb}: #{sub['id']} {_describe(sub)}", highlight=False)


def _describe(sub: dict) -> str:
    filters = ([f"state {sub['state']}"] if sub["state"] else []) + (
        [f"agency ~ {sub['agency']!r}"] if sub["agency"] else []
    )
    return (
        f"webhook {escape(sub['url'])} "
        + (f"({', '.join(filters)})" if filters else "(every new publication)")
        + (", signed" if sub["signed"] else "")
    )


@app.command()
def subscriptions(
    as_json: bool = typer.Option(False, "--json"),
    all_: bool = typer.Option(False, "--all", help="Include removed subscriptions."),
) -> None:
    """The subscriptions and how their deliveries went."""
    from track287g import pipeline
    from track287g.watch import notify

    db = open_db(create=True)
    with pipeline.private_state(db).read() as conn:
        subs = notify.list_subscriptions(conn, include_inactive=all_)
    db.dispose()
    if as_json:
        print_json(subs)
        return
    for sub in subs:
        d = sub["deliveries"]
        last = sub["last_delivery"]
        tail = ""
        if last:
            tail = f"; last: {last['status']}" + (f" ({escape(last['last_error'])})" if last["last_error"] else "")
        out.print(
            f"#{sub['id']} {_describe(sub)}{'' if sub['active'] else ' [removed]'}: {d['delivered']} delivered, "
            f"{d['pending']} waiting, {d['failed']} given up{tail}",
            highlight=False,
        )
    out.print(f"{len(subs)} subscription{'' if len(subs) == 1 else 's'}")


@app.command()
def unsubscribe(
    sub_id: int = typer.Argument(..., metavar="ID"),
    no_wait: bool = typer.Option(False, "--no-wait", help=NO_WAIT_HELP),
) -> None:
    """Remove a subscription (its delivery log is kept)."""
    from track287g import pipeline
    from track287g.watch import notify

    db = open_db(create=True, no_wait=no_wait)
    try:
        with pipeline.writing(db, "unsubscribe"):
            removed = notify.remove(db, sub_id)
        if not removed:
            raise UserError(f"no active subscription #{sub_id} (see `track287g subscriptions`)")
    finally:
        db.dispose()
    out.print(f"removed subscription #{sub_id}")


@app.command("watch-status")
def watch_status(
    as_json: bool = typer.Option(False, "--json"),
    limit: int = typer.Option(5, "--runs", help="How many recent runs to show."),
) -> None:
    """The watcher's recent runs and what each watched address last gave."""
    from track287g import pipeline
    from track287g.watch import WatchReport
    from track287g.watch.run import recent_runs, url_states

    db = open_db(create=True)
    with pipeline.private_state(db).read() as conn:
        runs, urls = recent_runs(conn, limit), url_states(conn)
    db.dispose()
    if as_json:
        print_json({"runs": runs, "urls": urls})
        return
    for r in runs:
        rep = WatchReport(**{k: v for k, v in r.items() if k in WatchReport.__dataclass_fields__})
        out.print(f"{r['started_at']}  {escape(_summary_line(rep))}", highlight=False)
        for a in r["alerts"]:
            out.print(f"    ALERT {escape(a)}", highlight=False)
    for u in urls:
        out.print(
            f"{u['role']:4} {escape(u['url'])}: {escape(u['status'])} (checked {u['checked_at']}"
            + (f", etag {escape(u['etag'])}" if u["etag"] else "")
            + ")",
            highlight=False,
        )

"""Benchmark: the questions readers, the web site and the watcher ask of a whole record, each as its own process,
against another checkout's code on the same database (``--baseline-src``) and ``python -c pass``.

Run: python bench/bench_answers.py DB [--baseline-src SRC] [--repeat 3]

The questions whose cost grows with the lists of the archive, each answered from scratch (no cache): the CLI's
``timeseries --every publication --by model`` and ``check-claims`` (each claim's hint reads every list's counts),
its ``publications`` (rows per model of every list); and, in a Python process, what the web makes once per data
version (each state's timeline on every list, the moving map's frames, the list of publications), what the
watcher reads on every run (the MOA links to fetch), and a fresh server (``app_from_env``: what it makes before
its first request) answering its first state page. Rounds interleave the two codes; medians of whole-process CPU
and wall (``measure.run``). Use a database built by the code of both sides (a table one side lacks is an error
the run reports). On a 3,650-list synthetic archive (``bench/synth_archive.py``) the differences are seconds.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import measure  # noqa: E402

BIN = Path(sys.executable).parent

# each snippet opens the database named by $BENCH_DB and answers one question with functions both codes have
OPEN = "import os; from track287g.store import connect; db = connect(os.environ['BENCH_DB'], create=False)\n"
SNIPPETS = {
    "state timelines (state pages)": "from track287g.web import lookups\n"
    "with db.read() as conn: lookups.state_timelines(conn)",
    "the moving map's frames": "from track287g.web import mapdata\nwith db.read() as conn: mapdata.frames(conn)",
    "the web's list of publications": "from track287g.web import lookups\n"
    "with db.read() as conn: lookups.publications_page(conn, None)",
    "the watcher's MOA links": "from track287g.watch import documents\n"
    "with db.read() as conn: documents.pending_links(conn, 'ice.gov', {})",
    "a new server + first /state/TX/": "import asyncio\n"
    "os.environ['TRACK287G_DB'] = os.environ['BENCH_DB']\n"
    "from track287g.web.app import app_from_env\n"
    "app = app_from_env()\n"
    "async def ask():\n"
    "    sent = []\n"
    "    async def receive(): return {'type': 'http.request', 'body': b''}\n"
    "    async def send(m): sent.append(m)\n"
    "    scope = {'type': 'http', 'method': 'GET', 'path': '/state/TX/', 'raw_path': b'/state/TX/',"
    " 'query_string': b'', 'headers': [(b'host', b'x')], 'scheme': 'http', 'server': ('x', 80),"
    " 'client': ('c', 1), 'root_path': '', 'http_version': '1.1', 'asgi': {'version': '3.0'}}\n"
    "    await app(scope, receive, send)\n"
    "    assert sent[0]['status'] == 200, sent[0]\n"
    "asyncio.run(ask())",
}


# exits that still answered: check-claims exits 2 when a claim cannot be checked (a synthetic archive's record
# holds none of the dates the bundled claims name)
ACCEPTED = {"check-claims": (0, 2)}


def commands(db: str) -> dict[str, list[str]]:
    exe = str(BIN / "track287g")
    out = {
        "timeseries --every publication": [
            exe,
            "--db",
            db,
            "timeseries",
            "--every",
            "publication",
            "--by",
            "model",
            "--json",
        ],
        "check-claims": [exe, "--db", db, "check-claims", "--json"],
        "publications": [exe, "--db", db, "publications"],
    }
    out.update({name: [sys.executable, "-c", OPEN + code] for name, code in SNIPPETS.items()})
    return out


def main() -> None:
    parser = measure.parser(__doc__)
    parser.add_argument("db")
    parser.add_argument("--baseline-src", default="", help="another checkout's src folder (e.g. a git worktree's)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", default="", help="run the questions whose name contains this text only")
    args = parser.parse_args()
    db = str(Path(args.db).resolve())
    measure.as_installed(*([args.baseline_src] if args.baseline_src else []))
    env = {**os.environ, "BENCH_DB": db}
    sides = [("", env)]
    if args.baseline_src:
        sides.append((", baseline", {**env, "PYTHONPATH": str(Path(args.baseline_src).resolve())}))
    series: dict[str, measure.Series] = {"python -c pass": measure.Series("python -c pass")}
    todo = {k: v for k, v in commands(db).items() if args.only in k}
    for name in todo:
        for suffix, _ in sides:
            series[name + suffix] = measure.Series(name + suffix)
    for _ in range(args.repeat):
        series["python -c pass"].runs.append(measure.run("pass", [sys.executable, "-c", "pass"], env=env))
        for name, cmd in todo.items():
            for suffix, side_env in sides:
                run = measure.run(name + suffix, cmd, env=side_env, check=False)
                if run.returncode not in ACCEPTED.get(name, (0,)):
                    raise SystemExit(f"{name + suffix}: exit {run.returncode}\n{run.stderr[-2000:]}")
                series[name + suffix].runs.append(run)
        print(".", end="", flush=True, file=sys.stderr)
    print(file=sys.stderr)
    print(f"{db}: {args.repeat} interleaved rounds, medians")
    print(measure.table(list(series.items())))


if __name__ == "__main__":
    main()

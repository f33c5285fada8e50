"""Benchmark: the JSON API against Datasette serving the same SQLite database, uncached and cached, interleaved.

Run: python bench/bench_web.py [--db PATH] [--rounds 3] [--requests 1500] [--connections 32] [--seconds 10]

Both servers run on loopback, one process each (``track287g serve`` with granian; ``datasette serve -i``,
installed in its own virtualenv, bench/.venv-datasette, from PyPI on first use). Each round runs every workload
on both servers in turn (the order alternating between rounds) and medians over the rounds are reported.

- **Uncached**: every request asks for a different address, each once: one agency (each agency in turn), one
  page of 100 agreements (each state x model x status x page in turn), or the list in force on one date (each
  publication date in turn). Each server is started fresh for each run, answers one unrelated warm-up request,
  then gets the same addresses in the same order from ``--connections`` keep-alive connections: wrk (C, one
  thread, a Lua script asking for each address once; the default) or, with ``--client python``, this script's
  own asyncio client, which times every request but takes more CPU beside the server. Datasette's equivalents:
  the agency's row page, and SQL (``?sql=``) for the same 100 agreements and the same list's first 100 rows.
  ``CPU ms``: the server's CPU (its process and its workers, read from /proc to the kernel's 10 ms tick) over
  the run, per request answered (with wrk, the last ``--connections`` requests, in flight when it stops, count
  in the CPU but not in the requests).
- **Cached**: ``wrk`` repeating one address (after a warm-up), as a reader reloading a page would: the case the
  front cache is for. Needs Debian's wrk (``apt-get install wrk``).

Targets (issue 18): uncached, one agency and one state page: median latency at most Datasette's; p99 at most
20 ms at 32 connections. ``--floor`` adds a third server to the uncached runs: granian and Starlette answering
every address at once with a body of the workload's median answer size (floor_app.py), the latency that no work
of ours can go under on this machine. ``--baseline-src SRC`` adds our server running another checkout's code
(``PYTHONPATH=SRC``, e.g. a git worktree of an earlier commit), interleaved with the others: a change measured
against the code before it in the same run. ``--site`` also times ``track287g build-site``. ``--gzip``: every
uncached request accepts gzip, as a browser's does (Datasette compresses nothing); ``--only agency``: only the
uncached workloads whose name says so.
"""

from __future__ import annotations

import asyncio
import os
import random
import re
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote, urlencode

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import measure  # noqa: E402

DATASETTE_ENV = HERE / ".venv-datasette"
BIN = Path(sys.executable).parent
TARGET_P99_MS = 20.0

STATE_PAGE_SQL = (
    "select * from agreement where state = :s and (:m = '' or model = :m) and (:st = '' or status = :st) "
    "order by agreement_id limit 100 offset :o"
)
DATE_SQL = (
    "select r.* from listing l join listing_row r on r.row_id = l.row_id where l.pub_id = (select pub_id from "
    "publication where kind = 'participating' and published <= :d order by published desc, part desc limit 1) "
    "order by l.row_number limit 100"
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def datasette() -> Path:
    """Datasette's command: this virtualenv's if it has one, else bench/.venv-datasette's (installed on first use)."""
    if (BIN / "datasette").exists():
        return BIN / "datasette"
    exe = DATASETTE_ENV / "bin" / "datasette"
    if not exe.exists():
        subprocess.run([sys.executable, "-m", "venv", str(DATASETTE_ENV)], check=True)
        subprocess.run([str(DATASETTE_ENV / "bin" / "pip"), "install", "--quiet", "datasette"], check=True)
    return exe


class Server:
    """One server process on a free loopback port, started fresh, stopped with its process group."""

    def __init__(
        self, name: str, db: Path, workers: int = 1, body_bytes: int = 0, server: str = "granian", src: str = ""
    ) -> None:
        """``name``: datasette, floor, ours (granian or uvicorn), or baseline (``server`` with the code in ``src``)."""
        self.name, self.db, self.port = name, db, free_port()
        env = None
        if name == "datasette":
            cmd = [str(datasette()), "serve", "-i", str(db), "--host", "127.0.0.1", "--port", str(self.port)]
            self.ready = f"/{db.stem}.json"
        elif name == "floor":  # our stack with no work behind it (floor_app.py)
            cmd = [str(BIN / "granian"), "--interface", "asgi", "--factory", "--working-dir", str(HERE), "--no-log"]
            cmd += ["--host", "127.0.0.1", "--port", str(self.port), "--workers", str(workers), "floor_app:make_app"]
            env = {**os.environ, "BENCH_FLOOR_BYTES": str(body_bytes)}
            self.ready = "/"
        else:
            kind = server if name == "baseline" else name
            cmd = [str(BIN / "track287g"), "--db", str(db), "serve", "--port", str(self.port), "--server", kind]
            cmd += ["--workers", str(workers)]
            if name == "baseline":
                env = {**os.environ, "PYTHONPATH": str(Path(src).resolve())}
            self.ready = "/api/v1/"
        self.proc = subprocess.Popen(
            cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True, env=env
        )

    def __enter__(self) -> Server:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited at start")
            try:
                with urllib.request.urlopen(self.url(self.ready), timeout=5) as r:
                    if r.status == 200:
                        return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"{self.name} did not answer")

    def __exit__(self, *exc: object) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


# ---- uncached: each address once, every request timed -----------------------------------------------------


async def _fetch(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, path: str) -> tuple[int, bool]:
    writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n\r\n".encode())
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
    if "content-length" in headers:
        await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    return status, headers.get("connection", "").lower() == "close"


async def _load(port: int, paths: list[str], connections: int) -> tuple[list[float], int, float]:
    todo = iter(paths)
    latencies: list[float] = []
    errors = 0

    async def worker() -> None:
        nonlocal errors
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        for path in todo:
            start = time.perf_counter()
            status, close = await _fetch(reader, writer, path)
            latencies.append((time.perf_counter() - start) * 1000)
            errors += status != 200
            if close:
                writer.close()
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.close()

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(connections)))
    return latencies, errors, time.perf_counter() - start


def uncached(server: Server, paths: list[str], warm: str, connections: int) -> dict:
    with urllib.request.urlopen(server.url(warm), timeout=30) as r:
        r.read()
    cpu_before = measure.tree_cpu(server.proc.pid)
    latencies, errors, took = asyncio.run(_load(server.port, paths, connections))
    cpu = measure.tree_cpu(server.proc.pid) - cpu_before
    latencies.sort()
    return {
        "n": len(latencies),
        "p50": statistics.median(latencies),
        "p99": latencies[min(len(latencies) - 1, round(0.99 * len(latencies)))],
        "rps": len(latencies) / took,
        "errors": errors,
        "cpu_ms": cpu / len(latencies) * 1000,
    }


# wrk asks for the addresses of a file in turn, each once, and stops its one thread when all but the last
# ``connections`` have been answered (those, still in flight then, are left out of its figures): every
# request it times asks for an address not asked before.
WRK_ONCE = r"""
local paths, asked, answered, wanted, failed = {}, 0, 0, 0, 0
for line in io.lines(os.getenv("BENCH_PATHS")) do paths[#paths + 1] = line end
wanted = #paths - tonumber(os.getenv("BENCH_CONNECTIONS"))
request = function()
  asked = asked + 1
  local headers = {["Accept"] = "application/json"}
  if os.getenv("BENCH_GZIP") == "1" then headers["Accept-Encoding"] = "gzip" end
  return wrk.format("GET", paths[math.min(asked, #paths)], headers)
end
response = function(status, headers, body)
  answered = answered + 1
  if answered == wanted then io.write("DONE\n") io.flush() wrk.thread:stop() end
end
done = function(summary, latency, requests)
  io.write(string.format("ONCE %d %.3f %.3f %.6f %d\n", summary.requests, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, summary.duration / 1e6, summary.errors.status))
end
"""


def uncached_wrk(server: Server, paths: list[str], warm: str, connections: int, work: Path, gzip: bool = False) -> dict:
    """``uncached`` with wrk as the client (C, one thread): the same addresses in the same order, each once
    (``gzip``: each request accepting gzip, as a browser's does)."""
    with urllib.request.urlopen(server.url(warm), timeout=30) as r:
        r.read()
    script, listing = work / "once.lua", work / "paths.txt"
    script.write_text(WRK_ONCE)
    listing.write_text("\n".join(paths) + "\n")
    env = {**os.environ, "BENCH_PATHS": str(listing), "BENCH_CONNECTIONS": str(connections)}
    env["BENCH_GZIP"] = "1" if gzip else "0"
    cmd = ["wrk", "-t1", f"-c{connections}", "-d300s", "--timeout", "10s", "-s", str(script), server.url("/")]
    cpu_before = measure.tree_cpu(server.proc.pid)
    # wrk runs for its whole -d even when every thread has stopped; SIGINT ends the run (and prints the summary)
    # as soon as the script says the last address was answered.
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, env=env) as proc:
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.strip() == "DONE":
                proc.send_signal(signal.SIGINT)
                break
        out = proc.stdout.read()
    if proc.returncode:
        raise RuntimeError(f"wrk failed ({proc.returncode}): {out[-500:]}")
    cpu = measure.tree_cpu(server.proc.pid) - cpu_before
    n, p50, p99, seconds, errors = re.search(r"ONCE (\d+) ([\d.]+) ([\d.]+) ([\d.]+) (\d+)", out).groups()
    return {
        "n": int(n),
        "p50": float(p50),
        "p99": float(p99),
        "rps": int(n) / float(seconds),
        "errors": int(errors),
        "cpu_ms": cpu / int(n) * 1000,
    }


def workloads(db: Path, limit: int, seed: int) -> dict[str, tuple[list[str], list[str]]]:
    """Per workload: (our addresses, Datasette's), the same things in the same order, each once."""
    rng = random.Random(seed)
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    name = db.stem
    agencies = [r[0] for r in con.execute("select agency_id from agency order by agency_id")]
    rng.shuffle(agencies)
    agencies = agencies[:limit]
    pages = []
    for state, model, status, count in con.execute(
        "select state, model, status, count(*) from agreement group by state, model, status"
    ):
        pages += [(state, "", "", 0), (state, model, "", 0), (state, model, status, 0)]
        pages += [(state, model, status, k) for k in range(1, (count - 1) // 100 + 1)]
    pages = sorted(set(pages))
    rng.shuffle(pages)
    pages = pages[:limit]
    dates = [r[0] for r in con.execute("select distinct published from publication where kind = 'participating'")]
    dates = sorted(dates)
    rng.shuffle(dates)
    dates = dates[:limit]
    con.close()

    def ours_page(s: str, m: str, st: str, k: int) -> str:
        q = {"state": s, "model": m, "status": st, "per_page": 100, "page": k + 1}
        return "/api/v1/agreements?" + urlencode({a: b for a, b in q.items() if b != ""})

    def sql(query: str, **params: object) -> str:
        return f"/{name}.json?" + urlencode({"sql": query, **params, "_shape": "objects"})

    return {
        "one agency": (
            [f"/api/v1/agencies/{quote(a)}" for a in agencies],
            [f"/{name}/agency/{quote(a)}.json" for a in agencies],
        ),
        "one state page of agreements": (
            [ours_page(*p) for p in pages],
            [sql(STATE_PAGE_SQL, s=p[0], m=p[1], st=p[2], o=p[3] * 100) for p in pages],
        ),
        "the list on one date": (
            [f"/api/v1/as-of/{d}?per_page=100" for d in dates],
            [sql(DATE_SQL, d=d) for d in dates],
        ),
    }


# ---- cached: wrk repeating one address ---------------------------------------------------------------------


def wrk(url: str, seconds: int, connections: int) -> dict:
    with urllib.request.urlopen(url, timeout=600) as r:  # computed once (a cold server's first answer can take long)
        r.read()
    subprocess.run(["wrk", "-t1", "-c8", "-d2s", url], capture_output=True, check=True)  # warm up
    out = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "5s", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    def ms(pct: str) -> float:
        value, unit = re.search(rf"\s{pct}%\s+([\d.]+)(us|ms|s)", out).groups()
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": ms("50"),
        "p99": ms("99"),
        "errors": int(errors.group(1)) if errors else 0,
        "n": int(re.search(r"(\d+) requests in", out).group(1)),
    }


def answer_sizes(db: Path, server_name: str, paths: dict[str, list[str]], sample: int = 50) -> dict[str, int]:
    """The median size in bytes of our answers to each workload's first ``sample`` addresses."""
    sizes = {}
    with Server(server_name, db) as server:
        for workload, some in paths.items():
            lengths = []
            for path in some[:sample]:
                request = urllib.request.Request(server.url(path), headers={"Accept": "application/json"})
                with urllib.request.urlopen(request, timeout=30) as r:
                    lengths.append(len(r.read()))
            sizes[workload] = round(statistics.median(lengths))
    return sizes


def write_downloads(db: Path) -> None:
    """The bulk downloads of ``db`` and the answers made with them, as ``build`` leaves a database (written beside
    it when missing), before any timing."""
    code = (
        "import sys; from track287g import pipeline; from track287g.store import connect; "
        "pipeline.publish_downloads(connect(sys.argv[1], create=False))"
    )
    subprocess.run([sys.executable, "-c", code, str(db)], check=True)


def main() -> int:
    parser = measure.parser(__doc__)
    parser.add_argument("--db", type=Path, help="a built database (default: build one from the bundled archive)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--requests", type=int, default=1500, help="most addresses per uncached workload")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--seconds", type=int, default=10, help="per cached wrk run")
    parser.add_argument("--server", choices=("granian", "uvicorn"), default="granian")
    parser.add_argument("--workers", type=int, default=1, help="our server's worker processes (Datasette: one)")
    parser.add_argument(
        "--warm",
        choices=("other", "same"),
        default="other",
        help="uncached runs: before timing, ask one unrelated address (other, default) or one address of the "
        "workload's own kind, left out of the timed ones (same: the cost of a kind's first answer left out)",
    )
    parser.add_argument("--no-cached", action="store_true", help="skip the wrk runs")
    parser.add_argument(
        "--client",
        choices=("wrk", "python"),
        default="wrk",
        help="uncached runs: wrk (C, one thread, default) or this script's asyncio client (more CPU beside the server)",
    )
    parser.add_argument(
        "--floor",
        action="store_true",
        help="uncached runs: also our server stack answering every address with a fixed body of the workload's "
        "median answer size and no work (floor_app.py): the latency no work of ours can go under",
    )
    parser.add_argument(
        "--baseline-src",
        default="",
        help="also run our server with another checkout's code (PYTHONPATH=SRC, e.g. a git worktree's src)",
    )
    parser.add_argument("--site", action="store_true", help="also time build-site")
    parser.add_argument(
        "--gzip",
        action="store_true",
        help="uncached runs with wrk: every request accepts gzip, as a browser's does (Datasette compresses none)",
    )
    parser.add_argument(
        "--only", default="", help="uncached runs: only the workloads whose name contains this (e.g. 'agency')"
    )
    args = parser.parse_args()
    baseline = args.baseline_src
    if (args.client == "wrk" or not args.no_cached) and not shutil.which("wrk"):
        print("wrk is missing: apt-get install wrk (or --no-cached --client python)", file=sys.stderr)
        return 2
    tmp = Path(tempfile.mkdtemp(prefix="bench-web-"))
    db = args.db
    if db is None:
        db = tmp / "track287g.db"
        print("building the database from the bundled archive ...", flush=True)
        subprocess.run([str(BIN / "track287g"), "--db", str(db), "build"], check=True, capture_output=True)
    write_downloads(db)  # a server after `build` reads the funding run behind every agency's figure there
    datasette()
    work = workloads(db, args.requests, seed=1)
    name = db.stem
    warm = {"ours": "/api/v1/stats", "datasette": f"/{name}/publication.json?_size=1"}
    cached = {
        "one agency": (work["one agency"][0][0], work["one agency"][1][0]),
        "one state page of agreements": (
            "/api/v1/agreements?state=TX&per_page=100",
            f"/{name}.json?" + urlencode({"sql": STATE_PAGE_SQL, "s": "TX", "m": "", "st": "", "o": 0}),
        ),
    }
    work = {name: paths for name, paths in work.items() if args.only in name}
    sizes = answer_sizes(db, args.server, {w: ours for w, (ours, _) in work.items()}) if args.floor else {}
    results: dict[tuple[str, str, str], list[dict]] = {}
    for rnd in range(args.rounds):
        order = [args.server, "datasette"] + (["floor"] if args.floor else []) + (["baseline"] if baseline else [])
        order = order if rnd % 2 == 0 else order[::-1]
        for workload, (ours, theirs) in work.items():
            for server_name in order:
                paths = theirs if server_name == "datasette" else ours
                first = warm["datasette" if server_name == "datasette" else "ours"]
                if args.warm == "same":
                    first, paths = paths[0], paths[1:]
                with Server(server_name, db, args.workers, sizes.get(workload, 0), args.server, baseline) as server:
                    if args.client == "wrk":
                        got = uncached_wrk(server, paths, first, args.connections, tmp, args.gzip)
                    else:
                        got = uncached(server, paths, first, args.connections)
                results.setdefault(("uncached", workload, server_name), []).append(got)
        if args.no_cached:
            continue
        for server_name in order:
            with Server(server_name, db, args.workers, 0, args.server, baseline) as server:
                for workload, (ours, theirs) in cached.items():
                    path = theirs if server_name == "datasette" else ours
                    got = wrk(server.url(path), args.seconds, args.connections)
                    results.setdefault(("cached", workload, server_name), []).append(got)
    print(
        f"\n{db.name}: {args.connections} connections, loopback, {os.cpu_count()} cores; "
        f"{args.rounds} interleaved rounds, medians; server {args.server} ({args.workers} worker process(es)) "
        f"vs Datasette (one process); uncached client {args.client}, warm-up {args.warm}"
        + (f"; baseline: our server with the code in {baseline}" if baseline else "")
    )
    print(
        f"{'':9} {'workload':30} {'server':10} {'requests':>8} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>6}"
        f" {'CPU ms':>7}"
    )
    verdicts = []
    for (mode, workload, server_name), runs in results.items():
        med = {k: statistics.median(r[k] for r in runs) for k in ("n", "rps", "p50", "p99", "errors")}
        cpu = f"{statistics.median(r['cpu_ms'] for r in runs):7.2f}" if "cpu_ms" in runs[0] else ""
        print(
            f"{mode:9} {workload:30} {server_name:10} {med['n']:8.0f} {med['rps']:8,.0f} {med['p50']:8.1f} "
            f"{med['p99']:8.1f} {med['errors']:6.0f} {cpu}".rstrip()
        )
        if mode == "uncached" and server_name == "floor":
            verdicts.append(
                f"{workload}: the floor (our stack, no work, {sizes[workload]:,}-byte answers): median "
                f"{med['p50']:.1f} ms, p99 {med['p99']:.1f} ms"
            )
        elif mode == "uncached" and server_name == args.server and workload != "the list on one date":
            theirs = statistics.median(r["p50"] for r in results[(mode, workload, "datasette")])
            verdicts.append(
                f"{workload}: median {med['p50']:.1f} ms vs Datasette's {theirs:.1f} ms "
                f"({'met' if med['p50'] <= theirs else 'NOT met'}); p99 {med['p99']:.1f} ms "
                f"(target <= {TARGET_P99_MS:.0f} ms: {'met' if med['p99'] <= TARGET_P99_MS else 'NOT met'})"
            )
    print("CPU ms: the server's CPU (its process and workers, from /proc) per uncached request answered")
    print("\nuncached targets:\n  " + "\n  ".join(verdicts))
    if args.site:
        site = tmp / "site"
        start = time.perf_counter()
        subprocess.run([str(BIN / "track287g"), "--db", str(db), "build-site", str(site)], check=True)
        files = sum(1 for p in site.rglob("*") if p.is_file())
        print(f"build-site: {files:,} files in {time.perf_counter() - start:.1f} s")
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

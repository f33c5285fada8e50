"""Benchmark: the web API against Datasette serving the same SQLite database, on loopback, with wrk.

Run: python bench/bench_web.py [--db PATH] [--seconds 10] [--connections 32] [--server granian|uvicorn|both]

For two equivalent queries (a filtered agency list; one agency), it starts ``track287g serve`` and
``datasette serve --immutable`` on free loopback ports, warms each address, then runs ``wrk --latency`` and prints
requests per second and p99 latency side by side with the ratio. Datasette is installed in its own virtualenv
(bench/.venv-datasette, created on first use from PyPI). Also times ``track287g build-site`` (target: < 60 s).
Needs Debian's wrk (``apt-get install wrk``). Every request goes to 127.0.0.1 and every run is bounded in time.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATASETTE_ENV = HERE / ".venv-datasette"
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_up(url: str, proc: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited: {url}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"server did not answer: {url}")


def datasette() -> Path:
    exe = DATASETTE_ENV / "bin" / "datasette"
    if not exe.exists():
        subprocess.run([sys.executable, "-m", "venv", str(DATASETTE_ENV)], check=True)
        subprocess.run([str(DATASETTE_ENV / "bin" / "pip"), "install", "--quiet", "datasette"], check=True)
    return exe


def wrk(url: str, seconds: int, connections: int) -> tuple[float, float]:
    """(requests per second, p99 latency in ms) from one bounded wrk run."""
    subprocess.run(["wrk", "-t1", "-c8", "-d2s", url], capture_output=True, check=True)  # warm up
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "5s", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    value, unit = re.search(r"\s99%\s+([\d.]+)(us|ms|s)", out).groups()
    p99 = float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise RuntimeError(f"{url}: {errors.group(1)} error responses\n{out}")
    return rps, p99


def start(cmd: list[str], env: dict | None = None) -> subprocess.Popen:
    return subprocess.Popen(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env or os.environ.copy(), start_new_session=True
    )


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def build_db(path: Path) -> None:
    subprocess.run([str(BIN / "track287g"), "--db", str(path), "build"], check=True, capture_output=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="a built database (default: build one from the bundled archive)")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--server", choices=("granian", "uvicorn", "both"), default="both")
    parser.add_argument("--skip-site", action="store_true", help="do not time build-site")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print("wrk is missing: apt-get install wrk", file=sys.stderr)
        return 2
    tmp = Path(tempfile.mkdtemp(prefix="bench-web-"))
    db = Path(args.db) if args.db else tmp / "track287g.db"
    if not args.db:
        print("building the database from the bundled archive ...", flush=True)
        build_db(db)
    db_name = db.stem
    agency_id = "GA-walker-county-sheriffs-office"
    queries = {
        "agency list (TX, 100 per page)": (
            "/api/v1/agencies?state=TX&per_page=100",
            f"/{db_name}/agency.json?state=TX&_size=100&_nofacet=1",
        ),
        "agency page": (f"/api/v1/agencies/{agency_id}", f"/{db_name}/agency/{agency_id}.json"),
    }
    servers = ["granian", "uvicorn"] if args.server == "both" else [args.server]
    ds_port = free_port()
    ds = start([str(datasette()), "serve", "-i", str(db), "--host", "127.0.0.1", "--port", str(ds_port)])
    results: dict[str, dict[str, tuple[float, float]]] = {}
    try:
        wait_up(f"http://127.0.0.1:{ds_port}/{db_name}.json", ds)
        for name, (_, theirs) in queries.items():
            results.setdefault(name, {})["datasette"] = wrk(
                f"http://127.0.0.1:{ds_port}{theirs}", args.seconds, args.connections
            )
    finally:
        stop(ds)
    for server in servers:
        port = free_port()
        ours = start(
            [str(BIN / "track287g"), "--db", str(db), "serve", "--port", str(port), "--server", server],
        )
        try:
            wait_up(f"http://127.0.0.1:{port}/api/v1/", ours)
            for name, (path, _) in queries.items():
                results[name][server] = wrk(f"http://127.0.0.1:{port}{path}", args.seconds, args.connections)
        finally:
            stop(ours)
    print(f"\nwrk, {args.connections} connections, {args.seconds} s per run, loopback, {os.cpu_count()} cores")
    print(f"{'query':<32} {'server':<10} {'req/s':>10} {'p99 ms':>8} {'vs Datasette':>13}")
    ok = True
    for name, by_server in results.items():
        base = by_server["datasette"][0]
        for server, (rps, p99) in by_server.items():
            ratio = rps / base
            print(f"{name:<32} {server:<10} {rps:>10,.0f} {p99:>8.1f} {ratio:>12.1f}x")
            if server != "datasette":
                ok &= ratio >= 1.0 and p99 < 50
    print("targets (throughput >= Datasette's, p99 < 50 ms):", "met" if ok else "NOT met")
    if not args.skip_site:
        site = tmp / "site"
        start_t = time.perf_counter()
        subprocess.run(
            [str(BIN / "track287g"), "--db", str(db), "build-site", str(site)], check=True, capture_output=True
        )
        took = time.perf_counter() - start_t
        files = sum(1 for p in site.rglob("*") if p.is_file())
        print(f"build-site: {files:,} files in {took:.1f} s (target < 60 s)")
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

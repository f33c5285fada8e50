"""A server told to stop says what it was serving and which requests it cut (bench/bench_stop.py times the stop)."""

from __future__ import annotations

import subprocess
import sys

# One process standing in for a server's worker: a request in flight when SIGTERM comes, that runs on past the
# grace the server gives it (``track287g serve`` sets it in TRACK287G_SERVING; the server then cuts it), in its
# own process so that the signal handlers it installs stay out of the test runner.
WORKER = """
import logging, os, signal, time
os.environ["TRACK287G_SERVING"] = "0.3"
logging.basicConfig(level=logging.WARNING, format="%(message)s")
from track287g.web.app import serving

with serving({"method": "GET", "path": "/state/FL/", "query_string": b"lang=es"}):
    os.kill(os.getpid(), signal.SIGTERM)
    time.sleep(1)  # still running when the grace ends
with serving({"method": "GET", "path": "/api/v1/", "query_string": b""}):
    pass
"""


def test_a_stopping_server_names_the_request_in_flight_and_the_one_it_cuts():
    done = subprocess.run([sys.executable, "-c", WORKER], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    assert any("was serving 1 request(s): GET /state/FL/?lang=es for" in line for line in lines), lines
    cut = [line for line in lines if "cutting 1 request(s) still running" in line]
    assert len(cut) == 1 and "GET /state/FL/?lang=es (running" in cut[0], lines
    # a request that ends after the signal is named as answered, so that the log never leaves one unaccounted
    assert any("answered GET /state/FL/?lang=es after the stop signal" in line for line in lines), lines
    assert any("answered GET /api/v1/ after the stop signal" in line for line in lines), lines

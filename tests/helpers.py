"""Small helpers for tests: run the real command line, make bad workbooks."""

from __future__ import annotations

import io
import json
import socket
import subprocess
import sys
import time
import zipfile
from pathlib import Path


def run_cli(*args: str, db: Path | str | None = None, check: bool = False) -> subprocess.CompletedProcess:
    """Run ``python -m track287g`` as a user would; returns the completed process (text output)."""
    cmd = [sys.executable, "-m", "track287g"]
    if db is not None:
        cmd += ["--db", str(db)]
    proc = subprocess.run([*cmd, *args], capture_output=True, text=True, timeout=600)
    if check and proc.returncode != 0:
        raise AssertionError(f"{args} exited {proc.returncode}: {proc.stderr}")
    return proc


def json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def workbook(rows: list[list[object]]) -> bytes:
    """An .xlsx with one sheet holding ``rows`` (made with openpyxl, a test dependency)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def zip_bomb(real_xlsx: bytes, inflated_mb: int = 64) -> bytes:
    """A real workbook plus one part that inflates from a few KB to ``inflated_mb`` MB."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(real_xlsx)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        with dst.open("xl/media/padding.bin", "w") as fh:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(inflated_mb):
                fh.write(chunk)
    return out.getvalue()


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_serving(base: str, proc: subprocess.Popen, seconds: float = 30) -> None:
    """Wait until the server ``proc`` answers ``base``/api/v1/ with a 200 (its output in the error if it never does)."""
    import httpx

    deadline = time.monotonic() + seconds
    while True:
        try:
            if httpx.get(base + "/api/v1/", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            output = proc.stdout.read() if proc.stdout and proc.poll() is not None else ""
            raise RuntimeError(f"the server did not start: {output!r}")
        time.sleep(0.2)

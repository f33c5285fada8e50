"""Small helpers for tests: run the real command line, make bad workbooks."""

from __future__ import annotations

import io
import json
import socket
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
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


@contextmanager
def static_host(folder: Path, port: int | None = None, under: str = "") -> Iterator[str]:
    """A plain static server (``python -m http.server``) over ``folder`` on loopback, on ``port`` or a free one, for
    the block; yields its address once ``under``/api/v1/ answers. Its request log goes nowhere: a pipe nobody
    read would fill and stop it."""
    port = port or free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(base + under, proc)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def record_of(location: str | Path) -> dict:
    """What a database holds, as comparable values: the same archive built any way must give the same.

    Publications (by sha256, with their place in the history), agencies, agreements, applications, events,
    holds and what the history covers; not the per-build row keys (pub_id) nor the times things happened."""
    from sqlalchemy import func, select

    from track287g.store import connect
    from track287g.store.schema import (
        agency,
        agreement,
        event,
        history_state,
        listing,
        pending,
        publication,
        publication_hold,
        raw_file,
    )

    db = connect(str(location), create=False)
    try:
        with db.read() as conn:
            rows = lambda table: sorted((tuple(r) for r in conn.execute(select(table))), key=repr)  # noqa: E731
            state = conn.execute(
                select(history_state.c.archive_digest, history_state.c.publications, history_state.c.held)
            ).first()
            return {
                "raw_files": sorted(conn.execute(select(raw_file.c.sha256)).scalars()),
                "publications": sorted(
                    (p.sha256, p.kind, p.published, p.part, p.seq, p.rows) for p in conn.execute(select(publication))
                ),
                "listings": conn.execute(select(func.count()).select_from(listing)).scalar_one(),
                "agencies": rows(agency),
                "agreements": rows(agreement),
                "pending": rows(pending),
                "events": rows(event),
                "holds": sorted(
                    tuple(r) for r in conn.execute(select(publication_hold.c.sha256, publication_hold.c.invariant))
                ),
                "history": tuple(state) if state else None,
            }
    finally:
        db.dispose()


def answer_of(conn) -> tuple:
    """What a reader is told now: the latest list's sha256, agencies and agreements, and all events."""
    from sqlalchemy import func, select

    from track287g.history import queries
    from track287g.store.schema import event

    found = queries.as_of(conn, "2030-01-01")
    events = conn.execute(select(func.count()).select_from(event)).scalar_one()
    return (found["publication"]["sha256"], found["agencies"], found["agreements"], events)


def integrity(path: Path | str) -> str:
    import sqlite3

    with sqlite3.connect(path) as conn:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]


def edit_sheet(data: bytes, edit, part: str = "xl/worksheets/sheet1.xml") -> bytes:
    """A workbook with one part's XML rewritten by ``edit`` (bytes -> bytes), every other part byte for byte
    as it was (the workbook's save date too, so the list keeps its publication date)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info)
            dst.writestr(info, edit(content) if info.filename == part else content)
    return out.getvalue()


def blank_state_cell(row: int, how: str = "blank"):
    """An ``edit_sheet`` edit: the STATE cell (column A) of a row left blank, merged into the cell above,
    or turned into a formula with no value, as a spreadsheet program saves them."""
    import re

    def edit(xml: bytes) -> bytes:
        cell = re.compile(rb'<c r="A%d"([^>]*?)(?:/>|>.*?</c>)' % row)
        attrs = re.sub(rb'\s+t="[^"]*"', b"", cell.search(xml).group(1))
        if how == "formula":
            return cell.sub(b'<c r="A%d"%s><f>A%d</f></c>' % (row, attrs, row - 1), xml, count=1)
        xml = cell.sub(b'<c r="A%d"%s/>' % (row, attrs), xml, count=1)
        if how == "merged":
            merge = b'<mergeCells count="1"><mergeCell ref="A%d:A%d"/></mergeCells>' % (row - 1, row)
            xml = xml.replace(b"</sheetData>", b"</sheetData>" + merge, 1)
        return xml

    return edit

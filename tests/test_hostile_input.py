"""Hostile input, made from a real ICE list: rejected with one line or read correctly, in bounded time and
memory, and nothing already stored changes.

Byte flips, truncations, corrupt zip entries and XML, huge cell references, hidden sheets, special files
(a FIFO, symbolic links to a device and to a system file), oversized cells and row counts. Each batch is one
real ``track287g ingest --json`` process with a time limit and an address-space limit: a reader that hangs,
allocates without bound or aborts natively fails the test. A representative few dozen run by default;
hundreds more under ``-m slow``.
"""

from __future__ import annotations

import io
import json
import os
import random
import re
import resource
import string
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import HELD_OUT, PARTICIPATING, PENDING, copy_db
from tests.helpers import edit_sheet, record_of

SOURCE = PARTICIPATING / HELD_OUT[0] if PARTICIPATING else None  # a real list the base record does not hold
MEMORY_LIMIT = 3 * 1024**3  # address space of the ingest process
TIME_LIMIT = 600  # seconds for one batch


def _real() -> bytes:
    return SOURCE.read_bytes()


def _rows_of_real() -> int:
    from track287g.parse import read_publication

    return len(read_publication(_real()).rows)


# --- how to spoil a workbook -------------------------------------------------------------------------------


def flip(data: bytes, rng: random.Random) -> bytes:
    at = rng.randrange(len(data))
    return data[:at] + bytes([data[at] ^ (1 << rng.randrange(8))]) + data[at + 1 :]


def truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(len(data))]


def _member_offset(data: bytes, name: str) -> tuple[int, zipfile.ZipInfo]:
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(name)
    name_len, extra_len = struct.unpack("<HH", data[info.header_offset + 26 : info.header_offset + 30])
    return info.header_offset + 30 + name_len + extra_len, info


def bad_crc(data: bytes) -> bytes:
    _, info = _member_offset(data, "xl/worksheets/sheet1.xml")
    at = info.header_offset + 14
    return data[:at] + struct.pack("<I", info.CRC ^ 0xFFFF) + data[at + 4 :]


def garbled_member(data: bytes, rng: random.Random) -> bytes:
    start, info = _member_offset(data, rng.choice(["xl/worksheets/sheet1.xml", "xl/sharedStrings.xml"]))
    at = start + rng.randrange(info.compress_size - 64)
    return data[:at] + bytes(rng.randrange(256) for _ in range(64)) + data[at + 64 :]


def no_central_directory(data: bytes) -> bytes:
    return data[: data.rfind(b"PK\x01\x02")]


def xml(edit, part: str = "xl/worksheets/sheet1.xml"):
    return lambda data: edit_sheet(data, edit, part)


def cell_ref(new: bytes):
    return xml(lambda s: s.replace(b'r="B2"', b'r="' + new + b'"', 1))


def dimension(new: bytes):
    return xml(lambda s: re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="' + new + b'"/>', s, count=1))


def many_rows(count: int):
    def edit(s: bytes) -> bytes:
        rows = re.findall(rb"<row r=\"\d+\".*?</row>", s, re.S)
        body, last = [], int(re.search(rb'<row r="(\d+)"', rows[-1]).group(1))
        template = rows[-1]
        for n in range(last + 1, last + 1 + count):
            body.append(
                re.sub(
                    rb'r="([A-Z]+)\d+"',
                    rb'r="\g<1>%d"' % n,
                    template.replace(b'<row r="%d"' % last, b'<row r="%d"' % n, 1),
                )
            )
        return s.replace(b"</sheetData>", b"".join(body) + b"</sheetData>", 1)  # fmt: skip

    return xml(edit)


def long_cell(chars: int, rng: random.Random):
    text = "".join(rng.choices(string.ascii_letters, k=chars)).encode()
    cell = re.compile(rb'<c r="B5"[^>]*?(?:/>|>.*?</c>)', re.S)
    new = b'<c r="B5" t="inlineStr"><is><t>' + text + b"</t></is></c>"
    return xml(lambda s: cell.sub(lambda _: new, s, count=1))


def with_sheets(data: bytes, *, hide_list: bool) -> bytes:
    """The real list plus a second sheet, made with openpyxl: either the list hidden behind a visible sheet of
    notes, or the list visible and a hidden copy of its header with one made-up row."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data))
    listed = book.worksheets[0]
    other = book.create_sheet("Notes" if hide_list else "Old")
    if hide_list:
        other.append(["Nothing to see here"])
        listed.sheet_state = "hidden"
        book.active = 1
    else:
        other.append([c.value for c in listed[1]])
        other.append(["TEXAS", "Made-up County Sheriff's Office", "County", "Made-up County", "Task Force Model"])
        other.sheet_state = "hidden"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- the cases ------------------------------------------------------------------------------------------------


def representative(rng: random.Random) -> dict[str, bytes]:
    data = _real()
    cases = {f"flip-{i}.xlsx": flip(data, rng) for i in range(8)}
    cases |= {f"truncated-{i}.xlsx": truncate(data, rng) for i in range(5)}
    cases["truncated-empty.xlsx"] = b""
    cases["zip-bad-crc.xlsx"] = bad_crc(data)
    cases |= {f"zip-garbled-{i}.xlsx": garbled_member(data, rng) for i in range(3)}
    cases["zip-no-directory.xlsx"] = no_central_directory(data)
    cases["xml-cut.xlsx"] = xml(lambda s: s[: len(s) // 2])(data)
    cases["xml-unclosed.xlsx"] = xml(lambda s: s.replace(b"</sheetData>", b"<row><c>", 1))(data)
    cases["xml-strings-garbage.xlsx"] = xml(lambda s: s[:200] + b"\xff\xfe<<>>&&" + s[200:], "xl/sharedStrings.xml")(
        data
    )
    cases["xml-no-sheets.xlsx"] = xml(lambda s: re.sub(rb"<sheets>.*?</sheets>", b"<sheets/>", s), "xl/workbook.xml")(
        data
    )
    cases["ref-ZZZZZZ2.xlsx"] = cell_ref(b"ZZZZZZ2")(data)
    cases["ref-XFD2.xlsx"] = cell_ref(b"XFD2")(data)
    cases["ref-B1048576.xlsx"] = cell_ref(b"B1048576")(data)
    cases["dimension-whole-sheet.xlsx"] = dimension(b"A1:XFD1048576")(data)
    cases["rows-25000.xlsx"] = many_rows(25_000)(data)
    cases["cell-3m-chars.xlsx"] = long_cell(3_000_000, rng)(data)
    cases["hidden-list.xlsx"] = with_sheets(data, hide_list=True)
    cases["hidden-extra.xlsx"] = with_sheets(data, hide_list=False)
    return cases


def exhaustive(rng: random.Random) -> dict[str, bytes]:
    data = _real()
    cases = {f"flip-{i}.xlsx": flip(data, rng) for i in range(200)}
    cases |= {f"truncated-{i}.xlsx": truncate(data, rng) for i in range(100)}
    cases |= {f"zip-garbled-{i}.xlsx": garbled_member(data, rng) for i in range(60)}
    cases |= {f"flip-xml-{i}.xlsx": xml(lambda s, i=i: flip(s, random.Random(i)))(data) for i in range(60)}
    cases["rows-301000.xlsx"] = many_rows(301_000)(data)
    cases["cell-20m-chars.xlsx"] = long_cell(20_000_000, rng)(data)
    cases |= {f"ref-{r.decode()}.xlsx": cell_ref(r)(data) for r in (b"A20001", b"BM2", b"AAAAAAAAAA1", b"A99999999999")}
    return cases


def special_files(folder: Path) -> list[str]:
    os.mkfifo(folder / "fifo.xlsx")
    (folder / "zero.xlsx").symlink_to("/dev/zero")
    (folder / "passwd.xlsx").symlink_to("/etc/passwd")
    (folder / "broken.xlsx").symlink_to(folder / "does-not-exist.xlsx")
    big = folder / "sparse-over-limit.xlsx"
    with big.open("wb") as fh:  # 60 MB by stat, nothing on disk
        fh.truncate(60 * 1024 * 1024)
    return ["fifo.xlsx", "zero.xlsx", "passwd.xlsx", "broken.xlsx", "sparse-over-limit.xlsx"]


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def ingest_batch(db_path: Path, folder: Path) -> tuple[dict[str, dict], subprocess.CompletedProcess]:
    done = subprocess.run(
        [sys.executable, "-m", "track287g", "--db", str(db_path), "ingest", str(folder), "--json"],
        capture_output=True,
        text=True,
        timeout=TIME_LIMIT,
        preexec_fn=_limits,
    )
    assert done.returncode in (0, 1, 4), f"exit {done.returncode}: {done.stderr[-2000:]}"
    results = {}
    for line in done.stdout.splitlines():
        r = json.loads(line)
        results[Path(r["file"]).name] = r
    return results, done


def check(cases: list[str], results: dict[str, dict], rows: int) -> dict[str, int]:
    outcomes = {"rejected": 0, "read": 0}
    for name in cases:
        r = results[name]
        if r["status"] == "rejected":
            assert r["error"] and "\n" not in r["error"] and len(r["error"]) < 600, (name, r["error"])
            outcomes["rejected"] += 1
        else:  # read: the list as ICE printed it (a flip in a part no reader uses changes nothing)
            assert r["status"] in ("stored", "unchanged") and r["rows"] == rows, (name, r)
            outcomes["read"] += 1
    return outcomes


def _run(cases: dict[str, bytes], small_record, tmp_path: Path, specials: bool) -> dict[str, int]:
    folder = tmp_path / "hostile"
    folder.mkdir()
    for name, data in cases.items():
        (folder / name).write_bytes(data)
    names = list(cases) + (special_files(folder) if specials else [])
    db_path = copy_db(small_record.base_db, tmp_path / "hostile.db")
    before = record_of(db_path)
    results, _ = ingest_batch(db_path, folder)
    outcomes = check(names, results, _rows_of_real())
    after = record_of(db_path)
    kept = {p[0]: p for p in after["publications"]}
    assert set(before["raw_files"]) <= set(after["raw_files"])
    assert all(kept[p[0]][:4] + kept[p[0]][5:] == p[:4] + p[5:] for p in before["publications"])  # all still there
    return outcomes | {"cases": len(names)}


def test_representative_hostile_workbooks_are_rejected_in_one_line_or_read_correctly(small_record, tmp_path):
    outcomes = _run(representative(random.Random(287)), small_record, tmp_path, specials=True)
    print(outcomes)
    assert outcomes["cases"] >= 35


def test_special_files_are_refused_without_being_read(small_record, tmp_path):
    folder = tmp_path / "special"
    folder.mkdir()
    names = special_files(folder)
    db_path = copy_db(small_record.base_db, tmp_path / "special.db")
    results, _ = ingest_batch(db_path, folder)
    reasons = {n: results[n]["error"] for n in names}
    assert reasons["fifo.xlsx"].startswith("not a regular file: a FIFO")
    assert reasons["zero.xlsx"].startswith("not a regular file: a character device (a symbolic link to /dev/zero)")
    assert reasons["passwd.xlsx"] == "a symbolic link to /etc/passwd, which is not a spreadsheet or PDF file: not read"
    assert reasons["broken.xlsx"].startswith("cannot read file")
    assert reasons["sparse-over-limit.xlsx"].startswith("file is 62,914,560 bytes, over the size limit")
    from sqlalchemy import select

    from track287g.store import connect
    from track287g.store.schema import quarantine

    db = connect(str(db_path), create=False)
    with db.read() as conn:
        kept = conn.execute(select(quarantine.c.name, quarantine.c.content)).all()
    db.dispose()
    assert {name for name, _ in kept} == set(names) and all(content is None for _, content in kept)


def test_the_cases_the_reader_used_to_die_on_are_one_line_rejections(small_record, tmp_path):
    data = _real()
    folder = tmp_path / "limits"
    folder.mkdir()
    (folder / "ref.xlsx").write_bytes(cell_ref(b"ZZZZZZ2")(data))
    (folder / "rows.xlsx").write_bytes(many_rows(25_000)(data))
    (folder / "cell.xlsx").write_bytes(long_cell(100_000, random.Random(1))(data))
    (folder / "hidden.xlsx").write_bytes(with_sheets(data, hide_list=True))
    (folder / "extra.xlsx").write_bytes(with_sheets(data, hide_list=False))
    results, _ = ingest_batch(copy_db(small_record.base_db, tmp_path / "limits.db"), folder)
    assert results["ref.xlsx"]["error"] == (
        "sheet sheet1.xml: a cell reference at column 321,272,406, over the limit of 64 for a list"
    )
    assert (
        results["rows.xlsx"]["error"].startswith("sheet sheet1.xml: rows ")
        and "over the limit of 20,000" in (results["rows.xlsx"]["error"])
    )
    assert results["cell.xlsx"]["error"] == (
        "row 5 (LAW ENFORCEMENT AGENCY): a cell of 100,000 characters, over the limit of 2,000"
    )
    assert results["hidden.xlsx"]["status"] == "rejected"
    assert results["hidden.xlsx"]["error"].endswith("hidden sheets not read: 'Sheet1'")
    extra = results["extra.xlsx"]
    assert extra["status"] == "stored" and extra["rows"] == _rows_of_real() and "hidden-sheets:1" in extra["flags"]


@pytest.mark.slow
def test_hundreds_of_hostile_workbooks_are_rejected_in_one_line_or_read_correctly(small_record, tmp_path):
    outcomes = _run(exhaustive(random.Random()), small_record, tmp_path, specials=False)
    print(outcomes)
    assert outcomes["cases"] >= 400


def _sheet_xml(data: bytes) -> bytes:
    return zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")


def test_the_quick_bounds_check_passes_only_sheets_the_full_check_passes():
    """``check_bounds`` skips its full count of a sheet's elements when counts made without parsing prove the
    sheet is within the limits: every real list is skipped so, and no sheet the full count refuses."""
    from track287g.parse import guard
    from track287g.parse.errors import RejectedFile

    def full_check_passes(sheet: bytes) -> bool:
        try:
            guard._check_sheet("sheet1.xml", sheet)
        except RejectedFile:
            return False
        return True

    real = sorted({_sheet_xml(p.read_bytes()) for p in (*PARTICIPATING.glob("*.xlsx"), *PENDING.glob("*.xlsx"))})
    assert real and all(guard._surely_within(s) for s in real)
    sheet = _sheet_xml(_real())
    refs = [b"A9999", b"Z9999", b"AA2", b"BL2", b"BM2", b"A10000", b"A20001", b"A020000", b"a99999", b"ZZZZZZ2"]
    cases = [sheet.replace(b'r="B2"', b'r="' + r + b'"', 1) for r in refs]
    cases += [sheet.replace(b'<row r="2"', b'<row r="' + n + b'"', 1) for n in (b"9999", b"20000", b"20001", b"99999")]
    areas = (b"A1:M1503", b"A1:BL7812", b"A1:BL7813", b"A1:Z19230", b"A1:Z19231", b"A1:XFD1048576")
    cases += [re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="' + a + b'"/>', sheet, count=1) for a in areas]
    cases.append(sheet.replace(b"<c ", b"<x:c ").replace(b'<x:c r="B2"', b'<x:c\nr="AB2"', 1))
    cases.append(sheet.replace(b"</sheetData>", b"<row/>" * 20_001 + b"</sheetData>", 1))
    cases.append(sheet.replace(b"</sheetData>", b"<row><c/></row>" * 170_000 + b"</sheetData>", 1))
    outcomes = [(guard._surely_within(s), full_check_passes(s)) for s in cases]
    assert all(full for quick, full in outcomes if quick)
    assert (True, True) in outcomes and (False, False) in outcomes and (False, True) in outcomes

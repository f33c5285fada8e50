"""Adding lists one at a time (the watcher's path) ends in exactly the database a full rebuild makes.

Every history table and every enrich table (which adding a list keeps when the agencies did not change) is
compared row for row (publication keys, which differ between builds, read as the publication's sha256), with
what each publication is in the history (its place, or why it is held) and what the history covers. Left out:
when things were built and held (``built_at``, ``held_at``) and the enrich stage's timings. The reference is
the full rebuild: ``track287g rebuild`` of the same database, and a fresh build of all its files at once.
"""

from __future__ import annotations

import csv
import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from tests.conftest import PARTICIPATING, PENDING, copy_db
from tests.helpers import run_cli
from track287g.enrich.stage import ENRICH_TABLES
from track287g.history.write import HISTORY_TABLES
from track287g.store import connect
from track287g.store.schema import history_state, pending_listing, publication, publication_hold, state_law

GENERATOR = Path(__file__).resolve().parents[1] / "bench" / "synth_archive.py"


def history_tables(path: Path) -> dict[str, list[tuple]]:
    """Every history table of a database as sorted rows; a publication's per-build key read as its sha256."""
    db = connect(str(path), create=False)
    try:
        with db.read() as conn:
            sha_of = dict(conn.execute(select(publication.c.pub_id, publication.c.sha256)).all())
            out = {}
            for table in (*HISTORY_TABLES, *ENRICH_TABLES, state_law):
                rows = [tuple(r) for r in conn.execute(select(table))]
                if table is pending_listing:
                    rows = [(sha_of[pub_id], *rest) for pub_id, *rest in rows]
                out[table.name] = sorted(rows, key=repr)
            out["publication"] = sorted(
                (p.sha256, p.kind, p.published, p.part, p.seq) for p in conn.execute(select(publication))
            )
            out["publication_hold"] = sorted(
                tuple(r)
                for r in conn.execute(
                    select(publication_hold.c.sha256, publication_hold.c.invariant, publication_hold.c.reason)
                )
            )
            state = conn.execute(
                select(history_state.c.archive_digest, history_state.c.publications, history_state.c.held)
            ).first()
            out["history_state"] = [tuple(state)] if state else []
            return out
    finally:
        db.dispose()


def assert_same_history(got: Path, reference: Path) -> None:
    a, b = history_tables(got), history_tables(reference)
    assert a.keys() == b.keys()
    for name in a:
        if a[name] != b[name]:
            only_a = sorted(set(a[name]) - set(b[name]), key=repr)[:5]
            only_b = sorted(set(b[name]) - set(a[name]), key=repr)[:5]
            raise AssertionError(f"table {name} differs: added one at a time {only_a}; full rebuild {only_b}")


def refresh(path: Path) -> None:
    """Write the history of a database again from its stored lists, as adding a list does."""
    from track287g.pipeline import build_history

    db = connect(str(path))
    try:
        build_history(db)
    finally:
        db.dispose()


def add_one_at_a_time(db: Path, base: list[Path], later: list[Path], folder: Path) -> None:
    """Build ``base`` at once, then ingest each of ``later`` alone, through the CLI (one process each)."""
    stage = folder / "base"
    stage.mkdir()
    for f in base:
        shutil.copy2(f, stage / f.name)
    done = run_cli("build", str(stage), "--no-exports", db=db)
    assert done.returncode == 0, done.stderr
    for f in later:
        done = run_cli("ingest", str(f), db=db)
        assert done.returncode == 0, f"{f.name}: {done.stderr}"


def rebuilt(db: Path, target: Path) -> Path:
    copy_db(db, target)
    done = run_cli("rebuild", db=target)
    assert done.returncode == 0, done.stderr
    return target


def _by_date(paths: list[Path]) -> list[Path]:
    """Files in ICE's order of posting, by the date and part of day in their names (MMDDYYYY[am|pm])."""

    def key(p: Path) -> tuple:
        stamp = "".join(c for c in p.stem if c.isdigit())[-8:]
        return (stamp[4:], stamp[:4], "pm" in p.stem.lower()[-2:], p.name)

    return sorted(paths, key=key)


def bundled_split(last: int) -> tuple[list[Path], list[Path]]:
    files = _by_date([p for p in PARTICIPATING.glob("*.xlsx")])
    others = [p for p in PENDING.glob("*.xlsx")]
    return files[:-last] + others, files[-last:]


def test_the_last_lists_of_the_bundled_archive_added_one_at_a_time_give_the_full_rebuilds_history(tmp_path):
    base, later = bundled_split(3)
    db = tmp_path / "one-at-a-time.db"
    add_one_at_a_time(db, base, later, tmp_path)
    assert_same_history(db, rebuilt(db, tmp_path / "rebuilt.db"))


def _enrich_summary(db: Path) -> dict:
    with sqlite3.connect(db) as raw:
        (value,) = raw.execute("SELECT value FROM build_info WHERE key = 'enrich'").fetchone()
    return json.loads(value)


def test_an_add_that_brings_new_agencies_matches_and_places_only_those_and_gives_the_full_runs_enrich_tables(
    tmp_path,
):
    base, later = bundled_split(3)
    newest, older = later[0], later[1]  # ICE's list of 27 February 2026 (62 agencies new); one of July 2025
    db = tmp_path / "one-at-a-time.db"
    add_one_at_a_time(db, base, [], tmp_path)
    built = _enrich_summary(db)
    assert built["agencies_redone"] == built["agencies"]  # a build works out every agency
    assert run_cli("ingest", str(older), db=db).returncode == 0
    assert _enrich_summary(db) == built  # no agency changed: the tables, and what says how they were made, kept
    assert run_cli("ingest", str(newest), db=db).returncode == 0
    enriched = _enrich_summary(db)
    assert 0 < enriched["agencies_redone"] <= 100 < enriched["agencies"]  # the new and changed agencies only
    assert_same_history(db, rebuilt(db, tmp_path / "rebuilt.db"))  # every enrich table too, row for row


@pytest.mark.slow
def test_the_last_twenty_lists_of_the_bundled_archive_added_one_at_a_time_give_the_full_rebuilds_history(tmp_path):
    base, later = bundled_split(20)
    db = tmp_path / "one-at-a-time.db"
    add_one_at_a_time(db, base, later, tmp_path)
    assert_same_history(db, rebuilt(db, tmp_path / "rebuilt.db"))
    fresh = tmp_path / "fresh.db"
    stage = tmp_path / "all"
    stage.mkdir()
    for f in base + later:
        shutil.copy2(f, stage / f.name)
    assert run_cli("build", str(stage), "--no-exports", db=fresh).returncode == 0
    assert_same_history(db, fresh)


def synthetic(out: Path) -> Path:
    """A month of synthetic daily lists with ten times ICE's rate of transient typos (every column)."""
    args = ["--lists", "30", "--final-agreements", "300", "--typo-rate", "0.01", "--seed", "7"]
    subprocess.run([sys.executable, str(GENERATOR), str(out), *args], capture_output=True, timeout=600, check=True)
    return out


def test_a_synthetic_archive_with_typos_added_list_by_list_gives_the_full_builds_history(tmp_path):
    out = synthetic(tmp_path / "synth")
    with open(out / "truth" / "lists.csv", newline="") as f:
        lists = [e for e in csv.DictReader(f)]
    paths = [out / e["kind"] / e["file"] for e in sorted(lists, key=lambda e: (e["posted"], e["kind"], e["file"]))]
    base, later = paths[:-6], paths[-6:]  # the last three days, each list alone, re-posts among them
    db = tmp_path / "one-at-a-time.db"
    add_one_at_a_time(db, base, later, tmp_path)
    fresh = tmp_path / "fresh.db"
    done = run_cli("build", str(out / "participating"), str(out / "pending"), "--no-exports", db=fresh)
    assert done.returncode == 0, done.stderr
    assert_same_history(db, fresh)
    assert_same_history(db, rebuilt(db, tmp_path / "rebuilt.db"))


def test_a_database_written_before_the_packed_listings_gives_the_same_history_and_is_packed_by_its_rebuild(
    built_db_path, tmp_path
):
    from track287g.pipeline import build_history
    from track287g.store.schema import listing_pack

    db_path = copy_db(built_db_path, tmp_path / "old.db")
    with sqlite3.connect(db_path) as raw:
        packed = raw.execute(  # the old lists (historical) stay out of the history, and are not read
            "SELECT count(*) FROM listing_pack JOIN publication USING (pub_id) WHERE kind != 'historical'"
        ).fetchone()[0]
        raw.execute("DROP TABLE listing_pack")  # as written before the packs
    db = connect(str(db_path))  # makes the table, empty
    try:
        build_history(db)
        with db.read() as conn:
            assert conn.execute(select(func.count()).select_from(listing_pack)).scalar() == packed
        with db.begin() as conn:  # a pack that does not hold its publication's rows is read from the listing
            first = conn.execute(select(listing_pack.c.pub_id).order_by(listing_pack.c.pub_id)).scalars().first()
            conn.execute(update(listing_pack).where(listing_pack.c.pub_id == first).values(row_ids="x"))
        build_history(db)
        with db.read() as conn:
            row_ids = conn.execute(select(listing_pack.c.row_ids).where(listing_pack.c.pub_id == first)).scalar()
        assert row_ids != "x"
    finally:
        db.dispose()
    assert_same_history(db_path, built_db_path)


def test_packed_row_numbers_are_runs_and_packs_of_single_numbers_are_read_and_packed_again(built_db_path, tmp_path):
    from track287g.store.packs import ascending, count_numbers, number_at, numbers_at, pack_numbers, unpack_numbers

    assert pack_numbers([2, 3, 4, 5, 7, 9, 10]) == "2-5 7 9-10" and pack_numbers([]) == ""
    for numbers in ([], [2], [2, 3], [2, 4, 5, 6, 9], [*range(2, 1400), 1402]):
        for text in (pack_numbers(numbers), " ".join(map(str, numbers))):  # as packed before the runs too
            assert list(unpack_numbers(text)) == numbers and count_numbers(text) == len(numbers)
            assert [number_at(text, i) for i in range(len(numbers))] == numbers  # read without unpacking
            for some in ([], [0], [0, 1], list(range(0, len(numbers), 3)), list(range(len(numbers)))[-2:]):
                some = [i for i in some if i < len(numbers)]
                assert numbers_at(text, some) == [numbers[i] for i in some]  # a few, in one pass over the runs
            assert ascending(text)
        with pytest.raises(IndexError):
            number_at(pack_numbers(numbers), len(numbers))
        with pytest.raises(IndexError):
            numbers_at(pack_numbers(numbers), [len(numbers)])
    assert not any(map(ascending, ("3 2", "2-5 4", "2-5 5-7", "5-2")))  # a list not in row order
    db_path = copy_db(built_db_path, tmp_path / "singles.db")
    with sqlite3.connect(db_path) as raw:
        packs = raw.execute(  # the old lists (historical) stay out of the history, and are not read
            "SELECT pub_id, row_numbers FROM listing_pack JOIN publication USING (pub_id) WHERE kind != 'historical'"
        ).fetchall()
        assert all(list(unpack_numbers(text)) == sorted(unpack_numbers(text)) for _, text in packs)
        assert sum(len(text) for _, text in packs) < 8 * len(packs)  # a run a list, but for blank rows
        singles = [(" ".join(map(str, unpack_numbers(text))), pub_id) for pub_id, text in packs]
        raw.executemany("UPDATE listing_pack SET row_numbers = ? WHERE pub_id = ?", singles)

    refresh(db_path)  # reads them, and packs them again as runs
    assert_same_history(db_path, built_db_path)
    with sqlite3.connect(db_path) as raw:
        again = raw.execute(
            "SELECT pub_id, row_numbers FROM listing_pack JOIN publication USING (pub_id) WHERE kind != 'historical'"
        ).fetchall()
    assert sorted(again) == sorted(packs)


def test_a_lists_row_ids_written_as_its_change_from_another_list_read_back_as_they_were():
    from track287g.store.packs import apply_delta, base_of, delta_ids, read_delta

    base = [f"{i:016x}" for i in range(40)]
    new = [f"{i:016x}" for i in range(100, 105)]
    for ids in (
        base,  # a list posted again
        [],
        base[:10] + new[:2] + base[12:],  # two rows renamed
        [*base[5:], base[0]],  # rows left, one moved to the end
        [*base[:20], base[3], *base[20:]],  # a row printed twice
        list(reversed(base)),
        new,  # nothing in common
    ):
        for before in (base, [], [*base, *base[:7]]):  # the list before: with a row printed twice too
            text = delta_ids(9, before, ids)
            assert base_of(text) == 9
            assert apply_delta(text, before, {}) == ids
            read, taken, written = read_delta(text, before, {})  # the parts a list's difference is read from
            assert read == ids and sum(end - first for first, end in taken) + len(written) == len(ids)
            assert [ids[at] for at in written] == [token for token in text.split()[1:] if ":" not in token]
            assert taken == [tuple(map(int, t.split(":"))) for t in text.split()[1:] if ":" in t]
    assert delta_ids(9, base, base) == "@9 0:40"  # one slice of the list before
    assert read_delta("@9 0:40", base, {})[0] is base  # read as that list itself, not a copy
    assert read_delta("@9 0:39", base, {})[0] == base[:39]
    assert len(delta_ids(9, base, base[:10] + new[:2] + base[12:]).split()) == 5
    assert base_of(" ".join(base)) is None  # ids written out


def test_a_built_database_keeps_lists_as_their_change_and_a_change_from_a_damaged_list_is_read_from_the_listing(
    built_db_path, tmp_path
):
    from track287g.store.packs import base_of

    db_path = copy_db(built_db_path, tmp_path / "deltas.db")
    query = "SELECT pub_id, kind, row_ids FROM listing_pack JOIN publication USING (pub_id) WHERE kind != 'historical'"
    with sqlite3.connect(db_path) as raw:
        packs = raw.execute(query).fetchall()
        written_out = [pub_id for pub_id, _, text in packs if base_of(text) is None]
        assert len(written_out) == 2  # each kind's first list; every other is written from the one before it
        bases = {base_of(text) for _, _, text in packs} - {None}
        damaged = next(pub_id for pub_id, _, _ in packs if pub_id in bases and pub_id not in written_out)
        raw.execute("UPDATE listing_pack SET row_ids = '@999999 0:3' WHERE pub_id = ?", (damaged,))
    refresh(db_path)  # the damaged list and those written from it are read from the listing
    assert_same_history(db_path, built_db_path)
    with sqlite3.connect(db_path) as raw:
        again = dict((pub_id, text) for pub_id, _, text in raw.execute(query))
    assert base_of(again[damaged]) not in (None, 999999)  # packed again, from the list before it


def test_a_list_compared_through_its_delta_has_the_rows_that_came_and_went_row_by_row():
    from track287g.history.load import Pub, link
    from track287g.store.packs import delta_ids, read_delta

    r = [f"{i:016x}" for i in range(30)]
    lists = [
        r[:10],
        r[:10],  # posted again
        [*r[:5], r[3], *r[5:12]],  # a row printed twice, two came
        [*r[:3], *r[4:12]],  # the row printed twice went, with its second printing
        [*r[:6], r[2], *r[7:12]],  # a row printed twice (once where another went)
        [*r[1:6], r[2], *r[7:12]],  # a row went; the row printed twice still is
        [*r[1:2], *r[3:6], *r[7:12], r[2]],  # the row printed twice now once, moved to the end
        list(reversed(r[20:25])),  # everything went, five came
        [],
        r[25:30],
    ]

    def pubs(with_deltas: bool) -> list[Pub]:
        out: list[Pub] = []
        for n, ids in enumerate(lists, start=1):
            pub = Pub(n, f"{n:064x}", "participating", False, f"2026-01-{n:02d}", "", len(ids), "", [])
            if with_deltas and out:
                base = out[-1].ids
                text = delta_ids(n - 1, base, ids)
                pub.ids, taken, written = read_delta(text, base, {})
                pub.delta = (taken, written, pub.ids, base)
            else:
                pub.ids = list(ids)
            out.append(pub)
        return out

    by_rows, by_deltas = pubs(False), pubs(True)
    link(by_rows)
    link(by_deltas)
    for a, b in zip(by_rows, by_deltas, strict=True):
        assert (a.came, a.went, a.distinct, a.after) == (b.came, b.went, b.distinct, b.after), a.published
    assert (by_deltas[2].came, by_deltas[3].went, by_deltas[3].came) == ({r[10], r[11]}, {r[3]}, set())
    assert (by_deltas[5].went, by_deltas[6].went) == ({r[0]}, set())


def test_adding_a_list_keeps_each_documents_fields_and_extracts_again_those_read_again(built_db_path, tmp_path):
    db_path = copy_db(built_db_path, tmp_path / "documents.db")
    tables = ("document", "document_field", "document_signer", "document_link", "document_check")

    def snapshot() -> dict[str, list]:
        with sqlite3.connect(db_path) as raw:
            return {t: sorted(raw.execute(f"SELECT * FROM {t}"), key=repr) for t in tables}

    before = snapshot()
    with sqlite3.connect(db_path) as raw:
        first, second = [sha for (sha,) in raw.execute("SELECT sha256 FROM document_read ORDER BY sha256 LIMIT 2")]
        for sha in (first, second):  # a mark no extraction writes: kept, or extracted again
            raw.execute("UPDATE document_field SET value = 'kept' WHERE sha256 = ? AND field = 'kind'", (sha,))
        raw.execute("UPDATE document_read SET read_at = '2099-01-01T00:00:00Z' WHERE sha256 = ?", (second,))
    refresh(db_path)
    with sqlite3.connect(db_path) as raw:
        kinds = dict(raw.execute("SELECT sha256, value FROM document_field WHERE field = 'kind'"))
        was = next(row[2] for row in before["document_field"] if row[:2] == (first, "kind"))
        raw.execute("UPDATE document_field SET value = ? WHERE sha256 = ? AND field = 'kind'", (was, first))
    assert kinds[first] == "kept" and kinds[second] != "kept"
    after = snapshot()
    for t in tables:  # all else the same (the document row of the first read its kind from the mark)
        assert [r for r in after[t] if t != "document" or r[0] != first] == [
            r for r in before[t] if t != "document" or r[0] != first
        ], t


def test_documents_extracted_by_other_code_or_package_data_are_extracted_again(built_db_path, tmp_path):
    db_path = copy_db(built_db_path, tmp_path / "other-code.db")
    with sqlite3.connect(db_path) as raw:
        (summary,) = raw.execute("SELECT value FROM build_info WHERE key = 'documents'").fetchone()
        other = json.dumps({**json.loads(summary), "code": "another version"})
        raw.execute("UPDATE build_info SET value = ? WHERE key = 'documents'", (other,))
        raw.execute("UPDATE document_field SET value = 'kept' WHERE field = 'kind'")
    refresh(db_path)
    with sqlite3.connect(db_path) as raw:
        assert not raw.execute("SELECT count(*) FROM document_field WHERE value = 'kept'").fetchone()[0]
        (summary,) = raw.execute("SELECT value FROM build_info WHERE key = 'documents'").fetchone()
    assert json.loads(summary)["code"] != "another version"


def test_of_the_bundled_records_last_adds_only_ices_correction_of_a_typo_in_a_name_changed_an_earlier_decision(
    built_db_path,
):
    """bench/resolution_churn.py, as the README quotes it: of the bundled record's last 12 adds, one moved a known
    spelling to another agency and a printed row to another agreement id: "Centervillle Police Department" (SD)
    joining its corrected spelling on 3 February."""
    script = GENERATOR.parent / "resolution_churn.py"
    out = subprocess.run(
        [sys.executable, str(script), str(built_db_path), "--last", "12"], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    changed = [line for line in out[:-1] if "agency   0  rows to another agreement   0" not in line]
    assert [line.split()[0] for line in changed] == ["2026-02-03"]
    assert out[-1] == (
        "of 12 adds: 1 moved a known spelling to another agency, 1 moved a printed row to another agreement id"
    )


def test_an_add_counts_again_only_the_lists_whose_rows_map_otherwise_and_keeps_the_others_counts(
    built_db_path, tmp_path
):
    db_path = copy_db(built_db_path, tmp_path / "counts.db")
    counted = "SELECT sha256, agreements FROM publication_count WHERE model = '*'"
    with sqlite3.connect(db_path) as raw:
        before = dict(raw.execute(counted))
        first, last = raw.execute(  # the first and the last participating list of the history
            "SELECT min(sha256) FILTER (WHERE seq = 1), max(sha256) FILTER (WHERE seq = (SELECT max(seq) FROM "
            "publication WHERE kind = 'participating')) FROM publication WHERE kind = 'participating'"
        ).fetchone()
        row_id = raw.execute(  # a row only the last list prints: its listings are the last list's
            "SELECT l.row_id FROM listing l JOIN publication p USING (pub_id) GROUP BY l.row_id "
            "HAVING count(*) = 1 AND max(p.sha256) = ? LIMIT 1",
            (last,),
        ).fetchone()[0]
        renamed = raw.execute(  # an agreement every list prints, as if the stored history had named it otherwise
            "SELECT agreement_id FROM agreement WHERE first_listed = (SELECT min(first_listed) FROM agreement) "
            "AND status = 'active' LIMIT 1"
        ).fetchone()[0]
        for table in ("row_agreement", "agreement"):
            raw.execute(f"UPDATE {table} SET agreement_id = 'old name' WHERE agreement_id = ?", (renamed,))
        raw.execute("UPDATE publication_count SET agreements = -1 WHERE model = '*'")  # a mark no count writes

    def build() -> dict[str, int]:
        refresh(db_path)
        with sqlite3.connect(db_path) as raw:
            return dict(raw.execute(counted))

    assert set(build().values()) == {-1}  # a renamed agreement groups the same rows: no list counted again
    with sqlite3.connect(db_path) as raw:
        raw.execute("UPDATE row_agreement SET agreement_id = 'elsewhere' WHERE row_id = ?", (row_id,))
    after = build()
    assert after[last] == before[last]  # it printed a row the stored history put elsewhere: counted again
    assert after[first] == -1  # kept: it prints no row that maps otherwise
    assert sum(1 for n in after.values() if n != -1) == 1
    with sqlite3.connect(db_path) as raw:  # a history another version wrote (it leaves no code digest)
        raw.execute("UPDATE history_state SET code_digest = NULL")
    assert build() == before  # every list counted again
    assert_same_history(db_path, built_db_path)


def test_an_add_keeps_every_earlier_pending_lists_listings_and_compares_them_all_when_an_agency_changed(
    built_db_path, tmp_path
):
    db_path = copy_db(built_db_path, tmp_path / "listings.db")
    marked = "SELECT count(*) FROM pending_listing WHERE pending_id = 'a mark no write makes'"
    with sqlite3.connect(db_path) as raw:
        first = raw.execute("SELECT pub_id FROM publication WHERE kind = 'pending' AND seq = 1").fetchone()[0]
        raw.execute("UPDATE pending_listing SET pending_id = 'a mark no write makes' WHERE pub_id = ?", (first,))
        listed = raw.execute(marked).fetchone()[0]
        state, spelling = raw.execute(  # a spelling of that list's first listing
            "SELECT s.state, s.spelling FROM pending_listing l JOIN pending p ON p.pending_id = l.pending_id "
            "JOIN agency_spelling s ON s.agency_id = p.agency_id WHERE l.pub_id != ? LIMIT 1",
            (first,),
        ).fetchone()
    assert listed > 0
    refresh(db_path)  # the same lists, each listing mapping as it did: no earlier list's listings written again
    with sqlite3.connect(db_path) as raw:
        assert raw.execute(marked).fetchone()[0] == listed
        # as if the stored history had put a spelling printed on the pending lists under another agency
        raw.execute(
            "UPDATE agency_spelling SET agency_id = 'elsewhere' WHERE state = ? AND spelling = ?", (state, spelling)
        )
    refresh(db_path)  # every listing compared with what it maps to now
    with sqlite3.connect(db_path) as raw:
        assert raw.execute(marked).fetchone()[0] == 0
        raw.execute("UPDATE pending_listing SET pending_id = 'a mark no write makes' WHERE pub_id = ?", (first,))
        raw.execute("UPDATE history_state SET code_digest = NULL")  # a history another version wrote
    refresh(db_path)
    with sqlite3.connect(db_path) as raw:
        assert raw.execute(marked).fetchone()[0] == 0
    assert_same_history(db_path, built_db_path)


def test_a_database_whose_history_state_predates_the_code_digest_is_read_and_counted_whole_at_its_next_write(
    built_db_path, tmp_path
):
    from track287g.history.state import built_here, status
    from track287g.pipeline import build_history
    from track287g.store.version import data_version

    db_path = copy_db(built_db_path, tmp_path / "earlier.db")
    with sqlite3.connect(db_path) as raw:
        raw.execute("ALTER TABLE history_state DROP COLUMN code_digest")  # as an earlier version made it
        raw.execute("UPDATE publication_count SET agreements = -1 WHERE model = '*'")
    db = connect(str(db_path), create=False)
    try:
        with db.read() as conn:
            assert status(conn).state == "current" and data_version(conn) and not built_here(conn)
        build_history(db)
        with db.read() as conn:
            assert built_here(conn)
    finally:
        db.dispose()
    assert_same_history(db_path, built_db_path)  # every list counted again

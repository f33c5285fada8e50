"""A bad row never blocks the record: a list with a blank STATE cell is held, and the next list moves it on.

One blank STATE cell (or a merged cell, or a formula with no value) in an otherwise real list leaves a row no
agency can be read from. That list is stored and held out of the history, named with its rows in
``publications``, on the site and in every answer it would have changed; the previous history stands, the
command says so and exits 4; the next genuine list is stored and the history moves on.
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select
from starlette.testclient import TestClient

from tests.conftest import HELD_OUT, PARTICIPATING, copy_db
from tests.helpers import blank_state_cell, edit_sheet, record_of, run_cli
from track287g.history import queries
from track287g.pipeline import ingest_paths
from track287g.store import connect
from track287g.store.schema import history_state, publication_hold
from track287g.web import create_app, mapdata

BAD_DAY, NEXT_DAY = "2026-02-09", "2026-02-10"  # HELD_OUT[0] is the list of 2026-02-09, HELD_OUT[1] the next


@pytest.fixture
def bad_list(tmp_path):
    """ICE's list of 2026-02-09 with its 10th row's STATE cell blanked, under ICE's file name."""
    path = tmp_path / "bad" / HELD_OUT[0]
    path.parent.mkdir()
    path.write_bytes(edit_sheet((PARTICIPATING / HELD_OUT[0]).read_bytes(), blank_state_cell(10)))
    return path


def test_a_list_with_a_blank_state_cell_is_held_and_the_next_list_moves_the_history_on(
    small_record, tmp_path, bad_list
):
    db_path = copy_db(small_record.base_db, tmp_path / "held.db")
    before = record_of(db_path)

    done = run_cli("ingest", str(bad_list), db=db_path)
    assert done.returncode == 4, done.stderr
    assert "1 file: 1 stored, 0 unchanged, 0 rejected" in done.stdout
    held_line = [line for line in done.stderr.splitlines() if line.startswith("held:")]
    assert len(held_line) == 1 and "1 row with no STATE (a blank, merged or formula cell): row 10" in held_line[0]
    after = record_of(db_path)
    history = ("agencies", "agreements", "pending", "events")
    assert [after[k] for k in history] == [before[k] for k in history]  # the history did not change

    listed = json.loads(run_cli("publications", "--json", db=db_path).stdout)
    (bad,) = [p for p in listed if HELD_OUT[0] in p["names"]]
    assert bad["history"] == "held" and bad["held_rows"] == [10] and "row 10" in bad["held_reason"]

    answer = json.loads(run_cli("as-of", BAD_DAY, "--json", db=db_path).stdout)
    assert answer["agencies"] > 0 and answer["publication"]["published"] < BAD_DAY
    assert [p["label"] for p in answer["not_in_history"]] == ["2026-02-09 am"]
    assert "row 10" in answer["not_in_history"][0]["reason"]
    shown = run_cli("as-of", BAD_DAY, db=db_path).stdout
    assert "note: ICE's list published 2026-02-09 am" in shown and "not in this answer" in shown

    with TestClient(create_app(str(db_path))) as client:
        page = client.get("/publications/").text
        home = client.get("/").text
        spanish_home = client.get("/es/").text
    assert "held out of the history" in page and "row 10" in page
    # the reason, English evidence, is marked so and the Spanish page says once that it is quoted in English
    assert '<span lang="en">1 row with no STATE' in spanish_home
    assert spanish_home.count("se citan en inglés, tal como están escritas") == 1
    assert "Held out of the history until a rule or an alias resolves them" in home

    genuine = tmp_path / "next"
    genuine.mkdir()
    (genuine / HELD_OUT[1]).write_bytes((PARTICIPATING / HELD_OUT[1]).read_bytes())
    moved = run_cli("ingest", str(genuine), db=db_path)
    assert moved.returncode == 0, moved.stderr  # the held list is still named, but is no new failure
    assert "history rebuilt" in moved.stdout and "row 10" in moved.stderr
    answer = json.loads(run_cli("as-of", NEXT_DAY, "--json", db=db_path).stdout)
    assert answer["publication"]["published"] == NEXT_DAY and answer["not_in_history"] == []
    db = connect(str(db_path), create=False)
    with db.read() as conn:
        assert conn.execute(select(func.count()).select_from(publication_hold)).scalar_one() == 1
        assert conn.execute(select(history_state.c.held)).scalar_one() == 1
    db.dispose()


def test_the_moving_map_shows_a_held_list_in_its_place_among_the_lists_not_first(small_record, tmp_path, bad_list):
    # a held list has no place in the history (its stored position is empty): the map put it first
    db = connect(str(copy_db(small_record.base_db, tmp_path / "map.db")))
    assert list(ingest_paths(db, [str(bad_list)]).newly_held)
    with db.read() as conn:
        frames = [(f["date"], f["part"]) for f in mapdata.frames(conn)["frames"]]
    db.dispose()
    assert (BAD_DAY, "am") in frames and frames == sorted(frames) and frames[0][0] < BAD_DAY


@pytest.mark.parametrize("how", ["blank", "merged", "formula"])
def test_a_state_cell_left_blank_merged_or_as_a_formula_holds_the_list_not_the_record(how, small_record, tmp_path):
    path = tmp_path / HELD_OUT[0]
    path.write_bytes(edit_sheet((PARTICIPATING / HELD_OUT[0]).read_bytes(), blank_state_cell(10, how)))
    db = connect(str(copy_db(small_record.base_db, tmp_path / f"{how}.db")))
    report = ingest_paths(db, [str(path)])
    assert [r.status for r in report.results] == ["stored"]
    assert list(report.newly_held) and "row 10" in next(iter(report.held.values()))
    with db.read() as conn:
        assert queries.as_of(conn, BAD_DAY)["publication"]["sha256"] == small_record.base_answer[0]
    db.dispose()


def test_no_answer_is_zero_when_no_list_is_in_the_history(tmp_path, bad_list):
    db_path = tmp_path / "only-held.db"
    done = run_cli("ingest", str(bad_list), db=db_path)
    assert done.returncode == 4
    asked = run_cli("as-of", BAD_DAY, db=db_path)
    assert asked.returncode == 2 and "0 agencies" not in asked.stdout
    assert asked.stderr.startswith("error: no history to answer from: ")
    assert "1 list held out of the history" in asked.stderr and "row 10" in asked.stderr
    summary = run_cli("summary", db=db_path)
    assert "history missing:" in summary.stdout
    for question in (["changes"], ["agency", "Sheriff's Office"]):  # not "0 changes", not "no agency named"
        asked = run_cli(*question, db=db_path)
        assert asked.returncode == 2 and asked.stderr.startswith("error: no history to answer from: "), question

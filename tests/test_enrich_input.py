"""Bad reference and manual tables: one clear error naming the file and the line, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from track287g.config import cache_file
from track287g.enrich import InputError, enrich_database
from track287g.enrich.counties import Gazetteer, _read_gazetteer, gazetteer
from track287g.enrich.reference import CENSUS_FILE, COUNTY_SHAPES, LEE_FILE, UCR_FILE
from track287g.enrich.rosters import _parse_rosters, load_rosters
from track287g.store import connect


def copy_with(path: Path, target: Path, replace: tuple[str, str], line: int | None = None) -> Path:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    index = 0 if line is None else line - 1
    lines[index] = lines[index].replace(*replace)
    target.write_text("".join(lines), encoding="utf-8")
    return target


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", "from track287g.cli import main; main()", *args], capture_output=True, text=True
    )


def test_a_roster_with_a_renamed_column_names_the_file_line_and_column(tmp_path):
    bad = copy_with(LEE_FILE, tmp_path / "lee.csv", ("officer_ct", "officers"))
    with pytest.raises(InputError, match=r"lee\.csv: line 1: missing column officer_ct"):
        load_rosters(bad, UCR_FILE)


def test_a_roster_with_a_missing_column_names_the_file(tmp_path):
    lines = UCR_FILE.read_text(encoding="utf-8").splitlines()
    bad = tmp_path / "ucr.csv"
    bad.write_text("\n".join(",".join(line.split(",")[:-1]) for line in lines[:50]) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"ucr\.csv: line 1: missing column longitude"):
        load_rosters(LEE_FILE, bad)


def test_a_roster_with_a_bad_count_names_the_line(tmp_path):
    bad = copy_with(LEE_FILE, tmp_path / "lee.csv", (",369,", ",three hundred,"), line=2)
    with pytest.raises(InputError, match=r"lee\.csv: line 2: officer_ct is 'three hundred', not a number"):
        load_rosters(bad, UCR_FILE)


def test_rosters_kept_parsed_in_the_cache_folder_are_those_parsed_afresh_and_a_changed_roster_is_parsed_again(
    tmp_path, monkeypatch
):
    monkeypatch.setenv("TRACK287G_CACHE", str(tmp_path / "cache"))
    load_rosters.cache_clear()
    first = load_rosters(LEE_FILE, UCR_FILE)  # parsed, and kept
    kept = [p.name for p in (tmp_path / "cache").glob("rosters-*")]  # the gazetteer they place ORIs by beside them
    assert kept == [cache_file("rosters", LEE_FILE, UCR_FILE).name]
    load_rosters.cache_clear()
    again = load_rosters(LEE_FILE, UCR_FILE)  # read back from the cache folder
    assert again is not first and again == first == _parse_rosters(LEE_FILE, UCR_FILE)
    changed = copy_with(LEE_FILE, tmp_path / "lee.csv", (",369,", ",370,"), line=2)
    assert load_rosters(changed, UCR_FILE) != first
    bad = copy_with(LEE_FILE, tmp_path / "bad.csv", (",369,", ",three hundred,"), line=2)
    with pytest.raises(InputError, match=r"bad\.csv: line 2: officer_ct is 'three hundred', not a number"):
        load_rosters(bad, UCR_FILE)
    (tmp_path / "cache" / cache_file("rosters", changed, UCR_FILE).name).write_text("[[", encoding="utf-8")  # damaged
    load_rosters.cache_clear()
    assert load_rosters(changed, UCR_FILE) == _parse_rosters(changed, UCR_FILE)
    load_rosters.cache_clear()


def test_the_gazetteer_kept_in_the_cache_folder_is_the_one_read_afresh_and_a_damaged_one_is_read_again(
    tmp_path, monkeypatch
):
    monkeypatch.setenv("TRACK287G_CACHE", str(tmp_path / "cache"))
    gazetteer.cache_clear()
    first = gazetteer(CENSUS_FILE, COUNTY_SHAPES)  # read, and kept
    kept = tmp_path / "cache" / cache_file("counties", CENSUS_FILE, COUNTY_SHAPES).name
    assert [p.name for p in (tmp_path / "cache").iterdir()] == [kept.name]
    gazetteer.cache_clear()
    again = gazetteer(CENSUS_FILE, COUNTY_SHAPES)  # read back from the cache folder
    counties, state_population = _read_gazetteer(CENSUS_FILE, COUNTY_SHAPES)
    assert again is not first
    assert list(again.by_fips.values()) == list(first.by_fips.values()) == counties
    assert again.state_population == first.state_population == state_population
    assert again.name_keys == first.name_keys == Gazetteer(counties, state_population).name_keys  # kept
    assert again.lookup("VA", "James City") == first.lookup("VA", "James City")
    kept.write_text("[[", encoding="utf-8")  # damaged
    gazetteer.cache_clear()
    assert list(gazetteer(CENSUS_FILE, COUNTY_SHAPES).by_fips.values()) == counties
    gazetteer.cache_clear()


def test_a_manual_match_naming_an_unknown_ori_names_the_line(copy_of_built_db, tmp_path):
    manual = tmp_path / "manual.csv"
    manual.write_text(
        "state,agency,ori,note\nFL,Lee County Sheriff's Office,FL0360000,ok\n"
        "FL,Collier County Sheriff's Office,FL9999999,typo\n",
        encoding="utf-8",
    )
    db = connect(str(copy_of_built_db), create=False)
    error = r"manual\.csv: line 3: ORI FL9999999 is in neither FBI roster"
    with pytest.raises(InputError, match=error), db.begin() as conn:
        enrich_database(conn, manual_path=manual)
    db.dispose()


def test_a_manual_match_naming_an_unknown_agency_is_an_error_when_strict(copy_of_built_db, tmp_path):
    manual = tmp_path / "manual.csv"
    manual.write_text("state,agency,ori,note\nFL,Lee County Sherif Office,FL0360000,typo\n", encoding="utf-8")
    db = connect(str(copy_of_built_db), create=False)
    error = r"manual\.csv: line 2: no agency 'Lee County Sherif Office' in FL"
    with pytest.raises(InputError, match=error), db.begin() as conn:
        enrich_database(conn, manual_path=manual, strict=True)
    with db.begin() as conn:  # a rebuild of part of the archive only warns
        result = enrich_database(conn, manual_path=manual, strict=False)
    assert result.warnings and "line 2" in result.warnings[0]
    db.dispose()


def test_the_cli_reports_a_bad_roster_in_one_line_with_exit_code_2(copy_of_built_db, tmp_path):
    bad = copy_with(LEE_FILE, tmp_path / "lee.csv", ("county_name", "county"))
    done = run_cli("--db", str(copy_of_built_db), "enrich", "--lee", str(bad))
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    message = " ".join(done.stderr.split())  # rich may wrap a long line
    assert f"error: {bad}: line 1: missing column county_name" in message


def test_the_cli_reports_a_bad_manual_table_in_one_line(copy_of_built_db, tmp_path):
    manual = tmp_path / "manual.csv"
    manual.write_text("state,agency,ori\nFL,Lee County Sheriff's Office,FL0360000\n", encoding="utf-8")
    done = run_cli("--db", str(copy_of_built_db), "enrich", "--manual", str(manual))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "line 1: missing column note" in " ".join(done.stderr.split())

"""A SIGNED date a year before the agreement first appeared: probably a year typo, given beside ICE's date."""

from __future__ import annotations

import csv
import gzip
import json
import shutil

from sqlalchemy import select

import track287g
from tests.conftest import sub_archive
from tests.helpers import run_cli
from track287g.analyze import funding
from track287g.analyze.stats import signings
from track287g.history.build import build
from track287g.history.rules import load_rules
from track287g.resolve.aliases import load_aliases
from track287g.store import connect
from track287g.store.schema import agreement, event

TENAHA = "TX-tenaha-police-department#TFM#2025-01-07"
OTTAWA = "OK-ottawa-county-sheriffs-office#TFM#2025-02-23"


def test_an_agreement_ice_dated_a_year_before_its_first_list_is_given_the_probable_date(built_db):
    with built_db.read() as conn:
        found = conn.execute(
            select(agreement.c.agreement_id, agreement.c.signed, agreement.c.signed_probable, agreement.c.first_listed)
            .where(agreement.c.signed_probable.is_not(None))
            .order_by(agreement.c.agreement_id)
        ).all()
        added = [
            json.loads(d) for d in conn.execute(select(event.c.detail).where(event.c.agreement_id == TENAHA)).scalars()
        ]
    # the only two of the 1,570 agreements: ICE's date and the id made from it stay as ICE printed them
    assert [tuple(r) for r in found] == [
        (OTTAWA, "2025-02-23", "2026-02-23", "2026-02-27"),
        (TENAHA, "2025-01-07", "2026-01-07", "2026-01-08"),
    ]
    assert {"signed": "2025-01-07", "signed_probable": "2026-01-07"}.items() <= added[0].items()


def test_a_year_typo_needs_ice_s_own_lists_of_the_year_between_to_have_left_the_agreement_out(archive):
    # the archive as if ICE's spreadsheets began on 2026-01-08: Tenaha's first list then comes after the HTML-era
    # tables alone, which are sparse and a third party's, so nothing says ICE would have listed it in 2025
    def keep(kind, pubs):
        return [p for p in pubs if p.derived or p.published >= "2026-01-08"] if kind == "participating" else pubs

    history = build(sub_archive(archive, keep), load_aliases(), load_rules())
    tenaha = next(a for a in history.agreements.values() if a.agreement_id == TENAHA)
    assert tenaha.signed == "2025-01-07" and tenaha.signed_probable is None


def test_signings_count_an_agreement_at_its_probable_date_and_name_it(built_db):
    with built_db.read() as conn:
        result = signings(conn, "month", since="2025-01-01", until="2026-02-28")
    months = {r["period"]: r["agreements"] for r in result["rows"]}
    assert months["2025-01"] == 1  # the Texas attorney general's, signed 2025-01-30; not Tenaha's
    assert [p["agreement_id"] for p in result["probable"]] == [OTTAWA, TENAHA]
    assert result["probable"][1] == {"agreement_id": TENAHA, "signed": "2025-01-07", "signed_probable": "2026-01-07"}


def test_the_funding_model_counts_tenaha_from_the_day_it_probably_signed(built_db):
    with built_db.read() as conn:
        inputs = funding.funding_inputs(conn)
    tenaha = next(p for p in inputs.rows if p.agency_id == "TX-tenaha-police-department")
    assert (tenaha.since, tenaha.since_rule) == ("2026-01-07", "signed_probable")


def test_the_agency_command_gives_the_probable_date_and_why(built_db_path):
    done = run_cli("agency", "Tenaha Police Department", db=built_db_path)
    assert done.returncode == 0, done.stderr
    assert "2025-01-07 (probably 2026-01-07)" in done.stdout
    why = next(x for x in done.stdout.splitlines() if x.startswith("TFM signed 2025-01-07: "))
    assert "first appeared on ICE's list of 2026-01-08, a year later" in why
    assert why.endswith("gives 2026-01-07 too (TenahaPoliceDeptTX_TFM_MOA_01072026.pdf).")  # the MOA's file name
    changes = run_cli("changes", "--agency", "Ottawa County Sheriff's Office", db=built_db_path).stdout
    assert "signed 2025-02-23 (probably 2026-02-23: a year typo)" in changes
    place = run_cli("place", "Shelby County, TX", db=built_db_path).stdout
    assert "TFM 2025-01-07 (probably 2026-01-07)" in place  # the date the list printed, and the one meant


def test_the_agreements_export_carries_the_probable_date(built_db_path, tmp_path):
    done = run_cli("export", "--format", "csv.gz", "--out", str(tmp_path), "--tables", "agreements", db=built_db_path)
    assert done.returncode == 0, done.stderr
    with gzip.open(next(tmp_path.glob("agreements.csv*")), "rt", newline="") as f:
        rows = {r["agreement_id"]: r for r in csv.DictReader(f)}
    assert (rows[TENAHA]["signed"], rows[TENAHA]["signed_probable"]) == ("2025-01-07", "2026-01-07")
    assert sum(1 for r in rows.values() if r["signed_probable"]) == 2


def test_a_database_built_before_the_probable_date_still_answers(built_db_path, tmp_path):
    path = tmp_path / "old.db"
    shutil.copy(built_db_path, path)
    db = connect(str(path))
    with db.begin() as conn:
        conn.exec_driver_sql("ALTER TABLE agreement DROP COLUMN signed_probable")
    with db.read() as conn:
        result = signings(conn, "month", since="2025-01-01", until="2025-01-31")
        tenaha = next(p for p in funding.funding_inputs(conn).rows if p.agency_id == "TX-tenaha-police-department")
    db.dispose()
    assert (result["rows"][0]["agreements"], result["probable"]) == (2, [])  # ICE's dates, nothing said of them
    assert (tenaha.since, tenaha.since_rule) == ("2025-01-07", "signed")
    assert run_cli("agency", "Tenaha Police Department", db=path).returncode == 0
    place = run_cli("place", "Shelby County, TX", db=path)
    assert place.returncode == 0 and "TFM 2025-01-07" in place.stdout and "probably" not in place.stdout
    old_as_of = json.loads(run_cli("as-of", "2026-02-27", "--state", "TX", "--json", db=path).stdout)
    assert not any(i["signed_probable"] for i in old_as_of["items"])  # the key, and nothing said


def test_an_as_of_item_carries_the_probable_date_where_the_list_printed_the_typo(built_db_path):
    """``as-of --json`` gave ICE's SIGNED dates of Ottawa County's sheriff's and Tenaha's police TFMs, not the dates
    they probably are, which the agency pages give."""
    items = json.loads(run_cli("as-of", "2026-02-27", "--json", db=built_db_path).stdout)["items"]
    probable = {i["agreement_id"]: (i["signed"], i["signed_probable"]) for i in items if i["signed_probable"]}
    assert probable == {OTTAWA: ("2025-02-23", "2026-02-23"), TENAHA: ("2025-01-07", "2026-01-07")}
    with track287g.open(str(built_db_path)) as db:  # the Python API's items too
        shown = db.as_of("2026-02-27", state="OK")
    row = shown[shown["agreement_id"] == OTTAWA].iloc[0]
    assert str(row["signed_probable"])[:10] == "2026-02-23"
    place = run_cli("place", "Ottawa County, OK", db=built_db_path)  # the place's table reads the item's
    assert "TFM 2025-02-23 (probably 2026-02-23)" in place.stdout


def test_the_python_api_gives_the_probable_date_as_a_day_and_why_in_english(built_db_path):
    with track287g.open(str(built_db_path)) as db:
        frame = db.agency("Tenaha Police Department")
    row = frame.iloc[0]
    assert (row["signed"].date().isoformat(), row["signed_probable"].date().isoformat()) == ("2025-01-07", "2026-01-07")
    assert row["signed_note"].startswith("ICE's signing date 2025-01-07 is probably a year typo for 2026-01-07")


def _record(tmp_path, lists: dict[str, list[list]]):
    """A record built by the real pipeline from small participating lists written as ICE's workbooks."""
    from tests.synthetic import PARTICIPATING_HEADER, _listed, _workbook, stamp
    from track287g.pipeline import ingest_paths

    folder = tmp_path / "lists"
    folder.mkdir()
    for name, rows in lists.items():
        (folder / name).write_bytes(_workbook([PARTICIPATING_HEADER, *(_listed(r) for r in rows)], stamp(name)))
    db = connect(str(tmp_path / "record.db"))
    assert ingest_paths(db, [str(folder)]).ok
    return db


def test_a_date_the_agency_was_listed_with_before_is_no_year_typo(tmp_path):
    from datetime import date

    eta_jem = ["TX", "Eta County Sheriff's Office", "County", "Eta", "Jail Enforcement Model", date(2025, 1, 8)]
    eta_wso = ["TX", "Eta County Sheriff's Office", "County", "Eta", "Warrant Service Officer", date(2025, 1, 8)]
    zeta = ["TX", "Zeta Police Department", "Municipal", "Zeta", "Task Force Model", date(2025, 1, 5)]
    theta_old = ["TX", "Theta Police Department", "Municipal", "Theta", "Task Force Model", date(2025, 1, 2)]
    theta = [*theta_old[:5], date(2025, 12, 29)]
    db = _record(
        tmp_path,
        {
            "participatingAgencies02032025am.xlsx": [eta_jem, theta_old],
            "participatingAgencies06022025am.xlsx": [eta_jem, theta_old],
            "participatingAgencies10062025am.xlsx": [eta_jem, theta_old],
            "participatingAgencies01122026am.xlsx": [eta_jem, eta_wso, zeta, theta_old, theta],
        },
    )
    with db.read() as conn:
        found = dict(conn.execute(select(agreement.c.agreement_id, agreement.c.signed_probable)).all())
    db.dispose()
    # Zeta's 2025-01-05, first printed 2026-01-12 after three lists without it: probably 2026-01-05
    assert found["TX-zeta-police-department#TFM#2025-01-05"] == "2026-01-05"
    # Eta's WSO carries the date its JEM was printed with since the first list: a real date, not a typo
    assert found["TX-eta-county-sheriffs-office#WSO#2025-01-08"] is None
    # a renewal signed 2025-12-29 beside the agreement of 2025-01-02: its date is two weeks before its list
    assert found["TX-theta-police-department#TFM#2025-12-29"] is None

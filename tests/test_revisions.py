"""The record's revisions (``history.revisions``): a change reported for a list already in the record that a later
rebuild no longer reports, or reports anew, is kept, said by ``track287g revisions`` and in the feeds."""

from __future__ import annotations

import json
import shutil

from sqlalchemy import func, select

from tests.conftest import PARTICIPATING
from tests.helpers import run_cli
from track287g.store.schema import revision

DONEGAL = "PA-east-donegal-township-constables-office"


def _lists(folder, first: str, last: str):
    assert PARTICIPATING is not None
    folder.mkdir()
    for path in sorted(PARTICIPATING.glob("participatingAgencies07*2025*.xlsx")):
        if first <= path.name[21:29] <= last:
            shutil.copy2(path, folder / path.name)
    return folder


def test_a_removal_the_next_lists_show_was_a_gap_is_withdrawn_in_the_revisions_and_the_feeds_say_so(tmp_path):
    # the lists of 2025-07-15 to 2025-07-25 leave East Donegal's constables out from 2025-07-24 pm (a provisional
    # removal); the lists of 2025-07-28 am and 2025-07-29 am print them again: the removal was a gap
    db = tmp_path / "record.db"
    run_cli("ingest", str(_lists(tmp_path / "first", "07152025", "07252025")), db=db, check=True)
    said = run_cli("ingest", str(_lists(tmp_path / "then", "07282025", "07292025")), db=db, check=True).stdout
    assert "2 changes to lists already in the record revised (track287g revisions)" in said
    revised = json.loads(run_cli("revisions", "--json", db=db, check=True).stdout)
    assert [(r["change"], r["type"], r["agency_id"], r["list_label"]) for r in revised] == [
        ("withdrawn", "removed", DONEGAL, "2025-07-24 pm (4d194c0587)"),
        ("added", "missing", DONEGAL, "2025-07-24 pm (4d194c0587)"),
    ]
    withdrawn, added = revised
    assert withdrawn["detail"]["provisional"] is True and withdrawn["detail"]["confirm_from"] == "2025-08-01"
    assert added["detail"] == {"back_in": "2025-07-29 am"}
    assert (
        withdrawn["revised_at"] == added["revised_at"]
        and withdrawn["name"] == "East Donegal Township Constables Office"
    )
    text = run_cli("revisions", "--agency", "East Donegal Township Constables Office", "--state", "PA", db=db).stdout
    assert "withdrawn participating list 2025-07-24 pm (4d194c0587): removed PA East Donegal" in text
    assert text.rstrip().endswith("2 changes revised")
    from starlette.testclient import TestClient

    from track287g.web import create_app

    with TestClient(create_app(str(db))) as client:
        english = client.get(f"/feeds/agency/{DONEGAL}.atom").text
        spanish = client.get("/es/feeds/state/PA.atom").text
        wyoming = client.get("/feeds/state/WY.atom").text
        page = client.get("/state/PA/").text
        pagina = client.get("/es/state/PA/").text
        state = client.get("/api/v1/states/PA").json()
        changes = client.get("/changes/").text
        agency_page = client.get(f"/es/agency/{DONEGAL}/").text
        agency_json = client.get(f"/api/v1/agencies/{DONEGAL}").json()
        later = client.get("/changes/?page=2").text
    assert "Record revised " in english and ": 2 changes to lists already reported</title>" in english
    assert (
        "no longer reported: removed East Donegal Township Constables Office (PA) TFM (provisional: ICE may list it "
        "again) (list of 2025-07-24 pm (4d194c0587))" in english
    )
    assert "now reported: missing East Donegal Township Constables Office (PA) TFM (list of 2025-07-24 pm" in english
    assert "cambios en listas ya publicadas</title>" in spanish and "ya no se publica: baja East Donegal" in spanish
    assert "Record revised" not in wyoming  # the Highway Patrol is still left out: its removal stands, provisional
    assert [(r["change"], r["type"]) for r in state["revisions"]] == [("withdrawn", "removed"), ("added", "missing")]
    assert 'id="rev-h">Revisions of the record</h2>' in page and "no longer reported:" in page
    assert "Revisiones del registro" in pagina and "ahora se publica:" in pagina
    assert 'id="rev-h">Revisions of the record</h2>' in changes and 'id="rev-h"' not in later  # the first page
    assert 'id="rev-h">Revisiones del registro</h2>' in agency_page and "ya no se publica:" in agency_page
    assert [(r["change"], r["type"]) for r in agency_json["revisions"]] == [
        ("withdrawn", "removed"),
        ("added", "missing"),
    ]
    assert '<link rel="alternate" type="text/html" href="http://testserver/changes/#rev-h" />' in english
    # the same lists again, then a rebuild: nothing more is revised, and the revisions are kept
    run_cli("ingest", str(tmp_path / "then"), db=db, check=True)
    rebuilt = run_cli("rebuild", db=db, check=True).stdout
    assert "revised" not in rebuilt
    assert json.loads(run_cli("revisions", "--json", db=db, check=True).stdout) == revised
    import track287g

    with track287g.open(str(db)) as opened:  # the Python API's face of the same question
        frame = opened.revisions(agency=DONEGAL)
    assert list(frame["change"]) == ["withdrawn", "added"] and str(frame["revised_at"].dtype) == "datetime64[ns, UTC]"


def test_a_record_built_once_has_no_revisions(built_db):
    with built_db.read() as conn:
        assert conn.execute(select(func.count()).select_from(revision)).scalar_one() == 0
    assert run_cli("revisions", db=built_db.location, check=True).stdout.strip() == "0 changes revised"


def test_a_record_written_by_the_version_before_revisions_and_notes_is_read_whole_until_its_next_write(
    copy_of_built_db,
):
    # the previous version's tables: no revision table, no note on a correction
    import sqlite3

    with sqlite3.connect(copy_of_built_db) as raw:
        raw.execute("DROP TABLE revision")
        raw.execute("ALTER TABLE correction DROP COLUMN note")
    from starlette.testclient import TestClient

    from track287g.web import create_app

    fwc = "/agency/FL-fish-and-wildlife-conservation-commission/"
    with TestClient(create_app(str(copy_of_built_db)), raise_server_exceptions=False) as client:
        for address in (fwc, "/es" + fwc, "/state/FL/", "/changes/", "/feeds/changes.atom", "/feeds/state/FL.atom"):
            assert client.get(address).status_code == 200, address
        assert "misprint" in client.get(fwc).text and "the Commission&#39;s TFM row" not in client.get(fwc).text
    assert run_cli("revisions", db=copy_of_built_db, check=True).stdout.strip() == "0 changes revised"
    run_cli(
        "agency", "Florida Fish and Wildlife Conservation Commission", "--state", "FL", db=copy_of_built_db, check=True
    )
    run_cli("rebuild", db=copy_of_built_db, check=True)  # the next write makes the tables of this version
    with TestClient(create_app(str(copy_of_built_db))) as client:
        assert "the Commission&#39;s TFM row" in client.get(fwc).text

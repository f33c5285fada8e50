"""The database opens in Datasette with track287g's metadata: titles, descriptions, licence, column descriptions and
named queries that answer what the command line answers."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path

import pytest

import track287g

datasette_app = pytest.importorskip("datasette.app")


def ask(db_path: Path, metadata: dict, *paths: str) -> list[dict]:
    ds = datasette_app.Datasette(files=[str(db_path)], metadata=metadata, immutables=[])

    async def run() -> list[dict]:
        answers = []
        for path in paths:
            response = await ds.client.get(path)
            assert response.status_code == 200, (path, response.text[:300])
            answers.append(response.json())
        return answers

    return asyncio.run(run())


@pytest.fixture(scope="module")
def metadata(built_db_path, tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("datasette") / "metadata.json"
    exe = Path(sys.executable).with_name("track287g")
    done = subprocess.run(
        [str(exe), "--db", str(built_db_path), "datasette-metadata", "--out", str(out)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    from track287g.publish.datasette import QUERIES
    from track287g.publish.export import TABLES

    assert f"{len(TABLES) + len(QUERIES)} named queries" in done.stdout  # each export table, and the questions
    return json.loads(out.read_text())


def test_the_named_query_of_a_state_on_a_date_answers_what_as_of_answers(built_db_path, metadata):
    (rows,) = ask(built_db_path, metadata, "/track287g/agreements_on_date.json?date=2026-01-26&state=ga&_shape=array")
    with track287g.open(str(built_db_path)) as db:
        expected = db.as_of("2026-01-26", state="GA")
    assert sorted(r["agreement_id"] for r in rows) == sorted(expected["agreement_id"])
    assert {(r["published"], r["part"]) for r in rows} == {("2026-01-26", "pm")}


def test_changes_since_a_date_and_the_latest_list_answer(built_db_path, metadata):
    changes, latest = ask(
        built_db_path,
        metadata,
        "/track287g/changes_since.json?since=2026-02-01&_shape=array&_size=max",
        "/track287g/latest_list.json?_shape=array",
    )
    assert changes and all(r["published"] >= "2026-02-01" for r in changes)
    with track287g.open(str(built_db_path)) as db:
        assert len(changes) == len(db.changes(since="2026-02-01"))
        totals = db.stats()
    assert sum(r["agreements"] for r in latest) == totals.loc[0, "agreements"]


def test_tables_and_columns_carry_the_datapackage_descriptions(built_db_path, metadata):
    (described,) = ask(built_db_path, metadata, "/-/metadata.json")
    assert described["title"].startswith("track287g") and "public domain" in described["license"]
    columns = described["databases"]["track287g"]["tables"]["agreement"]["columns"]
    assert columns.get("signed")
    (table,) = ask(built_db_path, metadata, "/track287g/export_agencies.json?_shape=array")
    assert table[0]["agency_id"] and "first_listed" in table[0]  # the export's own SQL

"""Exports: every table in four formats, raw beside normalized values, a datapackage describing every
column, and byte-identical files from the same database."""

from __future__ import annotations

import csv
import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from python_calamine import CalamineWorkbook
from sqlalchemy import text

from track287g.publish import export

SMALL = ["publications", "agencies", "agreements", "events"]
CLI = [sys.executable, "-c", "from track287g.cli import main; main()"]


@pytest.fixture(scope="module")
def csv_dir(built_db, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("csv")
    with built_db.read() as conn:
        export.export(conn, "csv", out)
    return out


def count(db, table: str) -> int:
    with db.read() as conn:
        return conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()


def read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_csv_export_writes_every_table_and_a_datapackage(csv_dir):
    names = sorted(p.name for p in csv_dir.iterdir())
    assert names == sorted([f"{t}.csv" for t in export.TABLES] + ["datapackage.json"])


def test_the_datapackage_describes_every_column_of_every_file(csv_dir):
    package = json.loads((csv_dir / "datapackage.json").read_text())
    assert package["profile"] == "data-package"
    for resource in package["resources"]:
        path = csv_dir / resource["path"]
        with path.open(encoding="utf-8", newline="") as fh:
            header = next(csv.reader(fh))
        fields = resource["schema"]["fields"]
        assert header == [f["name"] for f in fields]
        assert all(f["description"] and f["type"] for f in fields)
        assert resource["bytes"] == path.stat().st_size
        assert resource["hash"] == "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()
    assert "2026-02-27 am" in package["description"]


def test_listings_keep_ices_raw_values_beside_the_normalized_ones(csv_dir):
    rows = read_csv(csv_dir / "listings.csv")
    assert len(rows) == 205333 + 277  # ICE's lists and the old lists of 2007-2009 (derived)
    jan26 = [r for r in rows if r["kind"] == "participating" and r["sha256"].startswith("59091249c91a")]
    assert len(jan26) == 1372
    assert len({r["agreement_id"] for r in jan26}) == 1372
    padded = [r for r in jan26 if r["raw_state"] == "TEXAS "]
    assert len(padded) == 5 and {r["state"] for r in padded} == {"TX"}
    assert sum(r["model"] == "TFM" for r in jan26) == 764
    # each row says whether its list is ICE's file or a table a third party extracted (HTML era, old lists)
    assert {r["derived"] for r in jan26} == {"false"}
    assert {r["derived"] for r in rows if r["published"] <= "2025-02-19" and r["kind"] == "participating"} == {"true"}


def test_agreements_and_agencies_carry_their_lifecycle(csv_dir, built_db):
    agreements = read_csv(csv_dir / "agreements.csv")
    assert len(agreements) == count(built_db, "agreement")
    assert {r["status"] for r in agreements} == {"active", "removed", "superseded"}
    assert {r["html_era"] for r in agreements} == {"true", "false"}
    assert len(read_csv(csv_dir / "agencies.csv")) == count(built_db, "agency")


def test_publications_name_every_file_name_ice_used(csv_dir):
    pubs = {r["sha256"][:12]: r for r in read_csv(csv_dir / "publications.csv")}
    jan26 = pubs["59091249c91a"]
    assert (jan26["published"], jan26["part"], jan26["agreements"], jan26["agencies"]) == (
        "2026-01-26",
        "pm",
        "1372",
        "1147",
    )
    assert jan26["names"] == "participatingAgencies01262026pm.xlsx"


def test_documents_export_one_row_per_moa_and_every_value_with_its_raw_text(csv_dir):
    documents = {r["names"]: r for r in read_csv(csv_dir / "documents.csv")}
    assert len(documents) == 64
    carroll = documents["CarrollCo_WSO_MOA_03.03.25.pdf"]
    assert (carroll["models"], carroll["signed_ice"], carroll["ice_signer"], carroll["date_check"]) == (
        '["WSO"]',
        "2025-03-03",
        "Caleb Vitello",
        "matches",
    )
    assert carroll["signed_agency"] == ""  # signed by hand: unknown, not guessed
    fields = read_csv(csv_dir / "document_fields.csv")
    assert {r["sha256"] for r in fields} == {r["sha256"] for r in documents.values()}
    signed = [r for r in fields if r["sha256"] == carroll["sha256"] and r["field"] == "signed_ice"]
    assert [(r["value"], r["raw"], r["page"]) for r in signed] == [("2025-03-03", "March 3, 2025", "7")]


@pytest.mark.parametrize("fmt", ["csv", "json", "parquet", "xlsx"])
def test_the_same_database_always_yields_byte_identical_exports(built_db, tmp_path, fmt):
    with built_db.read() as conn:
        first = export.export(conn, fmt, tmp_path / "a", SMALL)
        second = export.export(conn, fmt, tmp_path / "b", SMALL)
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]


def test_parquet_keeps_types_and_column_descriptions(built_db, tmp_path):
    with built_db.read() as conn:
        export.export(conn, "parquet", tmp_path, ["agreements"])
    table = pq.read_table(tmp_path / "agreements.parquet")
    assert table.num_rows == count(built_db, "agreement")
    assert str(table.schema.field("signed").type) == "date32[day]"
    assert str(table.schema.field("html_era").type) == "bool"
    assert table.schema.field("model").metadata[b"description"].startswith(b"JEM")


def test_xlsx_has_one_sheet_per_table_with_the_header_first(built_db, tmp_path):
    with built_db.read() as conn:
        export.export(conn, "xlsx", tmp_path, ["agencies"])
    sheet = CalamineWorkbook.from_path(str(tmp_path / "agencies.xlsx")).get_sheet_by_name("agencies").to_python()
    assert sheet[0][:3] == ["agency_id", "state", "name"]
    assert len(sheet) == 1 + count(built_db, "agency")


def test_json_is_a_list_of_records(built_db, tmp_path):
    with built_db.read() as conn:
        export.export(conn, "json", tmp_path, ["events"])
    events = json.loads((tmp_path / "events.json").read_text())
    assert events[0]["event_id"] == 1 and len(events) == count(built_db, "event")


def test_unknown_format_or_table_is_a_clear_error(built_db, tmp_path):
    with built_db.read() as conn:
        with pytest.raises(export.ExportError, match="unknown format 'ods'"):
            export.export(conn, "ods", tmp_path)
        with pytest.raises(export.ExportError, match="unknown table 'people'"):
            export.export(conn, "csv", tmp_path, ["people"])


def test_export_command_writes_the_files_and_reports_sizes(built_db_path, tmp_path):
    done = subprocess.run(
        [
            *CLI,
            "--db",
            str(built_db_path),
            "export",
            "--format",
            "json",
            "--out",
            str(tmp_path),
            "--tables",
            "agencies",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "agencies.json" in done.stdout and "datapackage.json" in done.stdout


def test_export_command_with_a_bad_format_is_one_line(built_db_path, tmp_path):
    done = subprocess.run(
        [*CLI, "--db", str(built_db_path), "export", "--format", "pdf", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 2
    assert done.stderr.strip() == "error: unknown format 'pdf' (use csv, csv.gz, parquet, xlsx, json)"


def test_the_state_laws_export_keeps_every_row_with_its_source_and_confidence(csv_dir):
    rows = {r["state"]: r for r in read_csv(csv_dir / "state_laws.csv")}
    assert len(rows) == 40
    assert (rows["TX"]["stance"], rows["TX"]["effective_date"], rows["TX"]["confidence"]) == (
        "mandate",
        "2026-01-01",
        "verified",
    )
    assert rows["MN"]["confidence"] == "unverified" and rows["ND"]["year"] == ""
    assert all(r["source_url"].startswith("http") for r in rows.values())


def test_the_agency_export_carries_the_fbi_roster_facts_and_the_county(csv_dir):
    lee = {r["agency_id"]: r for r in read_csv(csv_dir / "agencies.csv")}["FL-lee-county-sheriffs-office"]
    assert (lee["ori"], lee["match_method"], lee["county_fips"], lee["county_name"]) == (
        "FL0360000",
        "exact",
        "12071",
        "Lee County",
    )
    assert (lee["sworn_officers"], lee["population_served"]) == ("803", "519074")
    assert float(lee["latitude"]) == pytest.approx(26.53, abs=0.01)
    assert float(lee["longitude"]) == pytest.approx(-81.86, abs=0.01)


def test_the_large_table_is_one_file_per_year_in_csv_gz_and_parquet_with_every_row(built_db, tmp_path):
    import gzip

    with built_db.read() as conn:
        written = export.write_table(
            conn, "listings", {"csv.gz": tmp_path / "listings.csv.gz", "parquet": tmp_path / "listings.parquet"}
        )
    years = [p.name for p in written["csv.gz"]]
    assert years[0] == "listings-2008.csv.gz" and "listings-2025.csv.gz" in years
    rows = 0
    for path in written["csv.gz"]:
        with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
            part = list(csv.DictReader(fh))
        assert {r["published"][:4] for r in part} == {path.name[9:13]}
        rows += len(part)
    assert [p.name.removesuffix(".parquet") for p in written["parquet"]] == [y.removesuffix(".csv.gz") for y in years]
    assert rows == sum(pq.read_table(p).num_rows for p in written["parquet"]) == count(built_db, "listing")
    assert max(p.stat().st_size for p in written["csv.gz"] + written["parquet"]) < 25_000_000


def test_a_removal_from_the_latest_lists_only_is_marked_provisional_in_the_agreements_and_agencies_files(csv_dir):
    # Maryland's agreements left ICE's last lists of the archive (2026-02-17 pm, 2026-02-27 am): 6 removals that a
    # third list without them confirms; a reader of the files must not take them for final
    agreements = read_csv(csv_dir / "agreements.csv")
    provisional = [a for a in agreements if a["provisional"] == "true"]
    assert len(provisional) == 6 and {a["state"] for a in provisional} == {"MD"}
    assert all(a["status"] == "removed" and a["removed_by"] >= "2026-02-17" for a in provisional)
    assert sum(a["provisional"] == "false" and a["status"] == "removed" for a in agreements) > 50  # final ones
    agencies = {a["agency_id"]: a for a in read_csv(csv_dir / "agencies.csv")}
    held = {a["agency_id"] for a in provisional}
    assert {i for i, a in agencies.items() if a["provisional"] == "true"} == {
        i for i in held if agencies[i]["status"] == "removed"
    }
    assert agencies["MD-wicomico-county-corrections-center"]["provisional"] == "true"


def test_the_listings_read_by_index_are_byte_for_byte_those_of_the_joined_rows(built_db, tmp_path):
    from track287g.publish.formats import record_batches, write_streamed

    spec = export.TABLES["listings"]
    with built_db.read() as conn:
        written = export.write_table(conn, "listings", {f: tmp_path / f"listings.{f}" for f in ("parquet", "csv.gz")})
        (tmp_path / "joined").mkdir()
        for fmt, paths in written.items():
            for path in paths:
                part = path.name.split(".", 1)[0].removeprefix("listings-")
                joined = write_streamed(
                    {fmt: tmp_path / "joined" / path.name}, spec, record_batches(spec, export._rows(conn, spec, part))
                )
                assert joined[fmt][0].read_bytes() == path.read_bytes(), path.name
    assert len(written["parquet"]) == len(written["csv.gz"]) >= 8

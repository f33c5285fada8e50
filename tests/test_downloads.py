"""The bulk downloads: written once per data version beside the database, atomically, older versions pruned; the
downloads page lists only what exists and never writes anything."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from track287g.publish import downloads
from track287g.store.version import data_version
from track287g.web import create_app
from track287g.web.site import Site

from .helpers import run_cli


@pytest.fixture(scope="module")
def version(built_db) -> str:
    with built_db.read() as conn:
        return data_version(conn)


@pytest.fixture(scope="module")
def written(built_db, version, tmp_path_factory) -> tuple[Path, dict]:
    root = tmp_path_factory.mktemp("exports")
    return root, downloads.write(built_db, version, root)


def test_the_exports_folder_is_beside_the_database_unless_named():
    assert downloads.exports_root("/srv/data/track287g.db") == Path("/srv/data/track287g-exports")
    assert downloads.exports_root("sqlite:////srv/x.db") == Path("/srv/x-exports")
    assert downloads.exports_root("postgresql+psycopg://u@h/db") == Path("track287g-exports")
    assert downloads.exports_root("/srv/data/track287g.db", "/var/www/dl") == Path("/var/www/dl")


def test_a_data_version_is_written_whole_into_its_own_folder(written, version):
    root, result = written
    assert result["written"] and result["version"] == version
    folder = root / version
    manifest = json.loads((folder / "manifest.json").read_text())
    names = {f["name"] for f in manifest["files"]}
    assert {"agencies.csv", "agencies.parquet", "agencies.xlsx", "agencies.json", "datapackage.json"} <= names
    assert {"listings-2025.parquet", "listings-2025.csv.gz"} <= names
    assert "listings.csv" not in names and "listings.parquet" not in names
    assert sorted(p.name for p in folder.iterdir()) == sorted(names | {"manifest.json"})
    assert all(f["bytes"] == (folder / f["name"]).stat().st_size for f in manifest["files"])
    assert max(f["bytes"] for f in manifest["files"]) < downloads.STATIC_LIMIT
    assert not list(root.glob(".incoming-*"))
    package = json.loads((folder / "datapackage.json").read_text())
    parts = [r for r in package["resources"] if r["name"].startswith("listings-")]
    assert parts and all(r["compression"] == "gz" and r["format"] == "csv" for r in parts)


def test_the_same_version_is_not_written_twice(built_db, written, version):
    root, _ = written
    before = (root / version / "manifest.json").stat().st_mtime_ns
    again = downloads.write(built_db, version, root)
    assert not again["written"]
    assert (root / version / "manifest.json").stat().st_mtime_ns == before


def test_older_versions_are_pruned_and_a_dead_writers_folder_is_cleared(built_db, written, version, tmp_path):
    root = tmp_path / "exports"
    root.mkdir()
    for n, old in enumerate(("0000000000000001", "0000000000000002")):
        (root / old).mkdir()
        (root / old / "manifest.json").write_text(json.dumps({"version": old, "seconds": 1, "files": []}))
        os.utime(root / old / "manifest.json", (1000 + n, 1000 + n))
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = root / f".incoming-{version}-{dead.stdout.strip()}"
    stale.mkdir()
    (stale / "agencies.csv").write_text("half written")
    result = downloads.write(built_db, version, root)
    assert result["pruned"] == ["0000000000000001"]
    assert sorted(p.name for p in root.iterdir()) == [downloads.LOCK, "0000000000000002", version]


def test_the_downloads_page_lists_existing_files_with_sizes_in_mb(built_db_path, written, version):
    root, _ = written
    with TestClient(create_app(Site(str(built_db_path), root))) as client:
        page = client.get("/downloads/")
        assert page.status_code == 200
        assert "listings-2025.csv.gz" in page.text and " MB)" in page.text and ".complete" not in page.text
        twin = client.get("/downloads/index.json").json()["files"]["bulk"]
        assert twin["state"] == "ready"
        first = twin["files"][0]
        assert first["mb"] == round(first["bytes"] / 1e6, 1)
        got = client.get(first["url"])
        assert got.status_code == 200 and len(got.content) == first["bytes"]
        assert client.get("/downloads/files/manifest.json").status_code == 404
        assert client.get("/downloads/files/../../etc/passwd").status_code == 404


def test_no_visit_writes_an_export_it_says_they_are_being_prepared(built_db_path, version, tmp_path):
    root = tmp_path / "exports"
    with TestClient(create_app(Site(str(built_db_path), root))) as client:
        missing = client.get("/downloads/")
        assert "have not been written yet" in missing.text and not root.exists()
        root.mkdir()
        (root / f".incoming-{version}-{os.getpid()}").mkdir()  # a live writer (this process) at work
        preparing = client.get("/downloads/")
        assert "being prepared" in preparing.text
        assert preparing.headers["retry-after"] == str(downloads.RETRY_SECONDS)
        assert preparing.headers["cache-control"] == "no-cache"
        assert sorted(p.name for p in root.iterdir()) == [f".incoming-{version}-{os.getpid()}"]
        es = client.get("/es/downloads/")
        assert "se están preparando" in es.text


def test_export_all_writes_the_current_version_once(copy_of_built_db, tmp_path):
    root = tmp_path / "dl"
    start = time.monotonic()
    first = run_cli("--exports", str(root), "export", "--all", db=copy_of_built_db, check=True)
    assert first.stdout.startswith("wrote ") and "for data version" in first.stdout, first.stdout
    again = run_cli("--exports", str(root), "export", "--all", db=copy_of_built_db, check=True)
    assert again.stdout.startswith("already there:"), again.stdout
    (manifest,) = root.glob("*/manifest.json")  # with the answers a visit would otherwise compute
    assert json.loads(manifest.read_text())["extras"] == ["answers.json"]
    answers = json.loads((manifest.parent / "answers.json").read_text())
    assert {"funding_places", "money_nation", "claims", "map_frames"} <= set(answers)
    assert answers["version"] == manifest.parent.name
    assert time.monotonic() - start < 600


def test_ingest_writes_the_downloads_of_the_new_version_only_when_asked(tmp_path):
    pending = sorted((Path(__file__).parents[1] / "data" / "archive" / "ice" / "pending").glob("*.xlsx"))[0]
    db, root = tmp_path / "one.db", tmp_path / "dl"
    plain = run_cli("--exports", str(root), "ingest", str(pending), db=db, check=True)
    assert "downloads:" not in plain.stdout and not root.exists()
    again = run_cli("--exports", str(root), "ingest", "--exports", str(pending), db=db, check=True)
    assert "downloads:" not in again.stdout and not root.exists()  # nothing stored, the data did not change
    other = sorted((Path(__file__).parents[1] / "data" / "archive" / "ice" / "pending").glob("*.xlsx"))[-1]
    stored = run_cli("--exports", str(root), "ingest", "--exports", str(other), db=db, check=True)
    assert "downloads: " in stored.stdout, stored.stdout
    assert len(list(root.glob("*/manifest.json"))) == 1


def test_the_answers_made_with_the_exports_are_the_pages_a_visit_would_compute_without_running_the_model(
    built_db, built_db_path, written, version, tmp_path
):
    from track287g.web import precomputed, resources

    root, _ = written  # a version written before the extras: they are added to it, its files left as they were
    files_before = json.loads((root / version / "manifest.json").read_text())["files"]
    downloads.write(built_db, version, root, {precomputed.ANSWERS: lambda: precomputed.make(built_db, root)})
    manifest = json.loads((root / version / "manifest.json").read_text())
    assert manifest["files"] == files_before and manifest["extras"] == [precomputed.ANSWERS]
    assert precomputed.ANSWERS not in {f["name"] for f in downloads.listing(root, version)["bulk"]["files"]}

    made, fresh = Site(str(built_db_path), root), Site(str(built_db_path), tmp_path / "none")
    pages = (
        "/state/FL/",
        "/es/state/FL/",
        "/money/",
        "/money/index.json",
        "/api/v1/funding",
        "/claims/",
        "/api/v1/map",
    )
    with TestClient(create_app(made)) as a, TestClient(create_app(fresh)) as b:
        for page in pages:
            assert a.get(page).content == b.get(page).content, page
        pub = resources.list_on(made, None)
        run = ("funding_run", pub["sha256"], int(pub["published"][:4]), None, ())
        assert made.peek(run) is None and fresh.peek(run) is not None  # the model ran for the visit only

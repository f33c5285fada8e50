"""The synthetic archive generator (bench/synth_archive.py): deterministic, and read by the real reader.

The benchmarks of issue 18 are measured on its archives and the history is checked against its truth, so the
files must be the same for the same seed and must be lists ICE could have posted: every one read, none rejected,
dated as the truth says, in every layout ICE has used.
"""

from __future__ import annotations

import csv
import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from track287g.parse.layouts import LAYOUTS
from track287g.pipeline import ingest_paths
from track287g.store import connect

BENCH = Path(__file__).resolve().parents[1] / "bench"
GENERATOR = BENCH / "synth_archive.py"
CLI = Path(sys.executable).parent / "track287g"
# a small run that still shows every kind of churn: a month of lists, typos ten times as frequent as ICE's
SMALL = ["--lists", "30", "--final-agreements", "300", "--typo-rate", "0.01"]


def generate(out: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(GENERATOR), str(out), *args], capture_output=True, text=True, timeout=600, check=True
    )


def digests(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("synth") / "a"
    generate(out, *SMALL, "--seed", "7")
    return out


def test_the_same_seed_gives_byte_identical_lists_and_truth(small, tmp_path):
    generate(tmp_path / "again", *SMALL, "--seed", "7", "--jobs", "2")
    generate(tmp_path / "other", *SMALL, "--seed", "8")
    first = digests(small)
    assert len([f for f in first if f.endswith(".xlsx")]) == 60
    assert digests(tmp_path / "again") == first  # rendering in worker processes changes nothing
    assert digests(tmp_path / "other")["truth/agreements.csv"] != first["truth/agreements.csv"]


def test_every_synthetic_list_is_read_with_no_rejection_and_dated_as_the_truth_says(small, tmp_path):
    with open(small / "truth" / "lists.csv", newline="") as f:
        truth = {row["file"]: row for row in csv.DictReader(f)}
    db = connect(str(tmp_path / "synth.db"))
    report = ingest_paths(db, [str(small / "participating"), str(small / "pending")], rebuild_history=False)
    db.dispose()
    assert report.count("rejected") == 0, [r.error for r in report.results if r.error]
    assert len(report.results) == len(truth) == 60
    for result in report.results:
        expected = truth[Path(result.file).name]
        assert result.sha256 == expected["sha256"]
        assert result.status == ("unchanged" if expected["repost_of"] else "stored")
        assert (result.kind, result.layout, result.rows) == (
            expected["kind"],
            expected["layout"],
            int(expected["rows"]),
        )
        assert result.published == expected["published"], result


def test_a_small_run_shows_the_churn_ice_shows(small):
    summary = json.loads((small / "truth" / "summary.json").read_text())
    with open(small / "truth" / "lists.csv", newline="") as f:
        lists = list(csv.DictReader(f))
    assert {e["layout"] for e in lists} == {layout.name for layout in LAYOUTS if not layout.derived}
    assert summary["first_list_agreements"] == 135 and summary["last_list_agreements"] == 300
    assert summary["reposts"] > 0
    kinds = set(summary["variants"])
    assert {"typo:agency", "typo:state", "typo:support", "typo:type", "signed-redated:signed"} <= kinds


def test_a_synthetic_archive_with_typos_in_every_column_builds_with_nothing_held(small, tmp_path):
    # ten times ICE's rate of transient typos: new slips in STATE cells (read as the state one keystroke away),
    # in names (two identity rules once proposed one pair twice: UNIQUE constraint failed: merge_candidate)
    summary = json.loads((small / "truth" / "summary.json").read_text())
    assert summary["variants"]["typo:state"] > 0 and summary["variants"]["typo:agency"] > 0
    db = tmp_path / "typos.db"
    build = [str(CLI), "--db", str(db), "build", str(small / "participating"), str(small / "pending"), "--no-exports"]
    done = subprocess.run(build, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "held:" not in done.stderr and "QA failed" not in done.stderr
    assert "history: " in done.stdout and "lists held" not in done.stdout


def test_the_pipeline_builds_a_synthetic_archive_into_the_history_its_truth_records(tmp_path):
    # Without transient typos and misspelt names: with them the record counts a few agencies and agreements
    # apart from the truth (a typo in a name read as another agency), see README "Speed".
    out, db = tmp_path / "clean", tmp_path / "clean.db"
    generate(out, "--lists", "20", "--final-agreements", "250", "--typo-rate", "0", "--misspelt-names", "0")
    build = [str(CLI), "--db", str(db), "build", str(out / "participating"), str(out / "pending")]
    subprocess.run(build, capture_output=True, text=True, timeout=600, check=True)
    check = subprocess.run(
        [sys.executable, str(BENCH / "check_truth.py"), str(out), str(db)], capture_output=True, text=True, timeout=300
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert "the record differs from the truth on 0" in check.stdout
    assert "agreements over the archive: truth 250, record 250" in check.stdout


@pytest.mark.slow
def test_a_year_of_daily_lists_is_generated_and_read_with_no_rejection(tmp_path):
    out = tmp_path / "year"
    generate(out, "--lists", "365")
    summary = json.loads((out / "truth" / "summary.json").read_text())
    assert summary["last_list_agreements"] == 5000
    db = connect(str(tmp_path / "year.db"))
    report = ingest_paths(db, [str(out / "participating"), str(out / "pending")], rebuild_history=False)
    db.dispose()
    assert report.count("rejected") == 0
    assert report.count("unchanged") == summary["reposts"]
    with open(out / "truth" / "agreements.csv", newline="") as f:
        status = {g["status"] for g in csv.DictReader(f)}
    assert {"active", "removed", "renewed", "switched"} <= status
    assert summary["renames"] > 0

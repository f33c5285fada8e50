"""Claims about the program's history and state law: "the task-force model was discontinued in 2012" against the
old lists (derived) and ICE's lists since 2021, "Florida requires participation" against the state-law table and
Florida's county sheriffs on ICE's list of the claim's date."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from track287g.analyze import claims
from track287g.config import repo_root
from track287g.messages import render

HISTORY_AND_LAW = repo_root() / "data" / "claims" / "2026-01-history-and-law.yaml"
CLI = [sys.executable, "-m", "track287g"]


@pytest.fixture(scope="module")
def rows(built_db) -> dict[str, dict]:
    with built_db.read() as conn:
        return {r["id"]: r for r in claims.check_path(conn, HISTORY_AND_LAW)}


def test_the_2012_end_of_the_task_force_model_is_consistent_with_the_lists_but_not_proven(rows):
    r = rows["task-force-model-ended-2012"]
    assert r["kind"] == "history" and r["verdict"] == "consistent"
    ev = r["evidence"]
    assert ev["oig_2009"]["tfm_agreements"] == 38 and ev["oig_2009"]["derived"] is True
    assert (ev["oig_2009"]["task_force_only"], ev["oig_2009"]["hybrid"]) == (26, 12)
    assert ev["first_list"] == {"date": "2021-01-13", "tfm_agreements": 0}
    assert ev["model_back"]["first_listed"] == "2025-02-19"  # the model's return, on ICE's own lists
    assert ev["latest"]["tfm_agreements"] > 0
    assert "2010-2020" in render(r["limits"]) and "without proving it" in render(r["limits"])


def test_florida_requires_participation_matches_the_law_row_with_its_sheriffs_coverage(rows):
    r = rows["florida-requires-participation"]
    assert r["kind"] == "law" and r["verdict"] == "matches" and r["expect"] == "mandate"
    law = r["evidence"]["law"]
    assert law["stance"] == "mandate" and law["confidence"] == "verified" and "908.11" in law["instrument"]
    assert (law["year"], law["effective_date"]) == (2025, None)
    sheriffs = r["evidence"]["sheriffs"]
    assert (sheriffs["covered"], sheriffs["counties"], sheriffs["unplaced"]) == (67, 67, 0)
    # counted on the list of the claim's date
    assert sheriffs["published"] == "2026-01-26 pm" and sheriffs["derived"] is False and sheriffs["without"] == []
    assert "67 of FL's 67 counties" in render(r["coverage"])


def test_a_law_claim_about_a_state_not_researched_or_a_wrong_stance_is_said_as_such(built_db, tmp_path):
    path = tmp_path / "law.yaml"
    path.write_text(
        "claims:\n"
        "  - {id: ks, kind: law, quote: q, date: 2026-01-26, law: {state: KS, stance: mandate}}\n"
        "  - {id: ca, kind: law, quote: q, date: 2026-01-26, law: {state: CA, stance: mandate}}\n"
        "  - {id: bad, kind: law, quote: q, date: 2026-01-26, law: {state: FL, stance: required}}\n"
        "  - {id: tfm, kind: history, quote: q, date: 2026-01-26, history: {model: JEM, ended: 2012}}\n"
    )
    with built_db.read() as conn:
        got = {r["id"]: r for r in claims.check_path(conn, path)}
    assert "KS" not in {r["state"] for r in _laws(built_db)}
    assert got["ks"]["verdict"] == "error" and "KS is not in the state-law table" in got["ks"]["error"]
    assert got["ca"]["verdict"] == "differs"  # California's stance is ban
    assert got["bad"]["verdict"] == "error" and "stance must be one of" in got["bad"]["error"]
    assert got["tfm"]["verdict"] == "error" and "history needs a model" in got["tfm"]["error"]


def _laws(db) -> list[dict]:
    from track287g.enrich import state_laws

    with db.read() as conn:
        return state_laws(conn)


def test_check_claims_prints_the_history_and_law_verdicts_and_their_json(built_db_path):
    done = subprocess.run(
        [*CLI, "--db", str(built_db_path), "check-claims", str(HISTORY_AND_LAW)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert "consistent: The DHS OIG table of 2009-10-28 (derived) lists 38 signed agreements" in done.stdout
    assert "What the lists cannot show: the year 2012 itself" in done.stdout
    assert "matches: The state-law table gives FL the stance mandate" in done.stdout
    # the quote does not say Florida requires it: the claim's note, under the quote, says what was checked
    lines = done.stdout.splitlines()
    quote = next(i for i, line in enumerate(lines) if line.startswith("florida-requires-participation (2026-01-26)"))
    assert lines[quote + 1].startswith("  note: The report puts Florida first without saying why. Checked beside it")
    assert "The report itself does not say Florida requires it." in lines[quote + 1]
    # counted on ICE's list of the claim's date (2026-01-26), not the latest
    assert "On ICE's list of 2026-01-26 pm, the sheriff's office of 67 of FL's 67 counties holds" in done.stdout
    done = subprocess.run(
        [*CLI, "--db", str(built_db_path), "check-claims", str(HISTORY_AND_LAW), "--json"],
        capture_output=True,
        text=True,
    )
    got = {r["id"]: r for r in json.loads(done.stdout)}
    assert got["task-force-model-ended-2012"]["evidence"]["oig_2009"]["tfm_agreements"] == 38
    assert got["florida-requires-participation"]["evidence"]["sheriffs"]["covered"] == 67

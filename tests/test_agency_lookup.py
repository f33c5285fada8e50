"""Finding an agency by what a person types: abbreviations ("St." for Saint), words written together or apart
("De Kalb", "DeKalb") and typos ("Colier"), on the command line, the Python API and the web's search alike."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys

import pytest

from track287g.errors import QueryError
from track287g.history.reads import find_agency, starts_words
from track287g.normalize.words import closest, tokens

CLI = [sys.executable, "-c", "from track287g.cli import main; main()"]


@pytest.fixture(scope="module")
def conn(built_db_path):
    c = sqlite3.connect(built_db_path)
    c.row_factory = sqlite3.Row
    yield c
    c.close()


@pytest.mark.parametrize(
    ("typed", "agency_id"),
    [
        ("Saint Johns County Sheriff's Office", "FL-st-johns-county-sheriffs-office"),  # ICE prints "St."
        ("St. Ann PD", "MO-saint-ann-police-department"),  # ICE prints "Saint Ann Police Department"
        ("Marco Island PD", "FL-marco-island-police-department"),
        ("Miami Dade Sheriff's Office", "FL-miami-dade-sheriffs-office"),
    ],
)
def test_a_name_written_with_or_without_its_abbreviations_finds_the_agency(conn, typed, agency_id):
    assert find_agency(conn, typed) == agency_id


def test_a_name_two_states_print_alike_once_spelled_out_asks_for_the_state(conn):
    with pytest.raises(QueryError, match=r"names 2 agencies .*AL-dekalb-county-sheriffs-office.*TN-dekalb"):
        find_agency(conn, "De Kalb County Sheriff's Office")
    assert find_agency(conn, "De Kalb County Sheriff's Office", "TN") == "TN-dekalb-county-sheriffs-office"


def suggested(conn, typed: str) -> list[str]:
    with pytest.raises(QueryError) as error:
        find_agency(conn, typed)
    said = str(error.value)
    return said.split("did you mean: ", 1)[1].split("; ") if "did you mean" in said else []


@pytest.mark.parametrize(
    ("typed", "names"),
    [
        # ICE prints Alabama's "DeKalb" and Tennessee's "Dekalb": a reader's "De Kalb" is both
        ("De Kalb County Sheriff", ["DeKalb County Sheriff's Office (AL)", "Dekalb County Sheriff's Office (TN)"]),
        ("Saint Johns County Sheriff", ["St. Johns County Sheriff's Office (FL)"]),
        # typos: the distinctive word decides, not "County Sheriff's Office", which most names carry
        ("Colier County", ["Collier County Sheriff's Office (FL)"]),
        ("Hilsborough County Sheriff", ["Hillsborough County Sheriff's Office (FL)",
                                        "Hillsborough County Sheriff's Office (NH)"]),
        # closest to ICE's misspelling "Berrian", named as the agency is now
        ("Berrien County sherif office", ["Berrien County Sheriff's Office (MI)"]),
        ("Nowhere PD", []),  # nothing far-fetched
    ],
)  # fmt: skip
def test_a_name_that_names_no_agency_suggests_the_agencies_it_may_mean(conn, typed, names):
    assert suggested(conn, typed) == names


def test_words_run_together_or_apart_begin_the_words_of_a_spelling():
    assert starts_words(list(tokens("de kalb")), "DeKalb County Sheriff's Office")
    assert starts_words(list(tokens("dekalb sher")), "De Kalb County Sheriff's Office")
    assert starts_words(list(tokens("St Lucie")), "Port Saint Lucie Police Department")
    assert not starts_words(list(tokens("kalb")), "DeKalb County Sheriff's Office")  # inside a word


def test_the_closest_names_to_a_typo_need_each_telling_word_close():
    names = ["Collier County Sheriff's Office", "Colbert County Sheriff's Office", "Lee County Sheriff's Office"]
    names += [f"{n} County Sheriff's Office" for n in ("Polk", "Leon", "Bay", "Clay", "Dixie", "Gulf")] * 3
    assert [i for i, _ in closest("Colier County", names)] == [0]
    assert closest("county sheriff", names) == []  # only the words most names carry: no telling word
    assert closest("Colbert Sherif Ofice", names)[0] == (1, 100.0)


def test_the_funding_model_finds_an_agency_by_any_name_as_agency_does(built_db_path):
    ask = [*CLI, "--db", str(built_db_path), "funding", "--draws", "50", "--agency"]
    found = subprocess.run([*ask, "Tenaha PD", "--json"], capture_output=True, text=True, timeout=120)
    assert found.returncode == 0, found.stderr
    assert json.loads(found.stdout)["place"]["agency_id"] == "TX-tenaha-police-department"
    typo = subprocess.run([*ask, "Colier County"], capture_output=True, text=True, timeout=120)
    assert typo.returncode == 2
    assert typo.stderr.strip() == (
        "error: no agency named 'Colier County'; did you mean: Collier County Sheriff's Office (FL)"
    )

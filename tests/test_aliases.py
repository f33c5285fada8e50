"""The committed alias table: applied on every rebuild, rejected when contradictory."""

from __future__ import annotations

import pytest

from track287g.resolve.aliases import ALIASES, AliasError, load_aliases

HEADER = "state,spelling,action,target,note\n"


def _table(tmp_path, body: str):
    path = tmp_path / "aliases.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_the_committed_alias_table_is_valid():
    assert load_aliases(ALIASES)


def test_one_spelling_mapped_to_two_agencies_is_rejected_naming_both_lines(tmp_path):
    path = _table(tmp_path, "TX,A County SO,same-as,B County SO,\nTX,a county so,same-as,C County SO,\n")
    with pytest.raises(AliasError, match=r"lines 2 and 3"):
        load_aliases(path)


def test_a_cycle_is_rejected_naming_its_lines(tmp_path):
    path = _table(tmp_path, "TX,A,same-as,B,\nTX,B,same-as,C,\nTX,C,same-as,A,\n")
    with pytest.raises(AliasError, match=r"cycle \(lines 2, 3, 4\)"):
        load_aliases(path)


def test_same_and_distinct_for_one_pair_is_rejected(tmp_path):
    path = _table(tmp_path, "TX,A,same-as,B,\nTX,B,distinct-from,A,\n")
    with pytest.raises(AliasError, match="both same-as and distinct-from"):
        load_aliases(path)


def test_an_unknown_action_names_the_line(tmp_path):
    path = _table(tmp_path, "TX,A,merge,B,\n")
    with pytest.raises(AliasError, match=r"aliases.csv:2: action must be"):
        load_aliases(path)


def test_an_alias_merges_spellings_the_rules_would_not(built_db):
    from track287g.history import queries

    with built_db.read() as conn:
        agency_id = queries.find_agency(conn, "Freedom County Sheriff's Office", "MN")
        view = queries.agency_view(conn, agency_id)
    spellings = {s["spelling"]: s["rule"] for s in view["spellings"]}
    assert agency_id == "MN-freeborn-county-sheriffs-office"
    assert spellings["Freedom County Sheriff's Office"] == "alias-table"
    assert "Freeborn County Sheriff's Office" in spellings

"""The misprint table (``data/misprints.csv``): a person's decision that ICE printed a row under another
agency's name, read by the history under the agency it is."""

from __future__ import annotations

import pytest

from tests.conftest import sub_archive
from track287g.history.build import build
from track287g.history.rules import load_rules
from track287g.resolve.aliases import load_aliases
from track287g.resolve.misprints import MisprintError, load_misprints

FWC = "FL-fish-and-wildlife-conservation-commission#TFM#2025-02-14"
DEP = "FL-department-of-environmental-protection-division-of-law-enforcement"


def _table(tmp_path, body: str):
    path = tmp_path / "misprints.csv"
    path.write_text("state,printed,model,signed,agency,note\n" + body, encoding="utf-8")
    return path


def test_the_committed_misprint_table_is_valid():
    (m,) = load_misprints()
    assert (m.state, m.model, m.signed, m.agency) == (
        "FL",
        "TFM",
        "2025-02-14",
        "Florida Fish and Wildlife Conservation Commission",
    )
    assert m.note


@pytest.mark.parametrize(
    ("body", "said"),
    [
        ("FL,A Police Department,TFM,2025-02-31,B Police Department,\n", r"misprints.csv:2: signed must be a date"),
        ("FL,A Police Department,TFM,,B Police Department,\n", r"misprints.csv:2: state, printed, model, signed"),
        ("FL,A Police Department,TFM,2025-02-14,a police  department,\n", r"misprints.csv:2: printed and agency"),
        (
            "FL,A Police Department,TFM,2025-02-14,B,\nFL,a police department,tfm,2025-02-14,C,\n",
            r"lines 2 and 3 decide the same row",
        ),
    ],
)
def test_a_bad_misprint_table_is_rejected_in_one_line_naming_the_file_and_line(tmp_path, body, said):
    with pytest.raises(MisprintError, match=said):
        load_misprints(_table(tmp_path, body))


def test_a_misprint_table_without_a_column_is_rejected(tmp_path):
    path = tmp_path / "misprints.csv"
    path.write_text("state,printed,model,agency\nFL,A,TFM,B\n", encoding="utf-8")
    with pytest.raises(MisprintError, match="missing column"):
        load_misprints(path)


def test_the_misprint_changes_only_the_agreement_it_names(archive):
    # without the table the row printed under the Department's name from 2025-07-15 am is an agreement of the
    # Department, added then and removed on 2025-07-29 pm, and the Commission's is removed and back
    rules, aliases = load_rules(), load_aliases()
    without = build(sub_archive(archive, lambda kind, pubs: pubs), aliases, rules, misprints=[])
    read = build(sub_archive(archive, lambda kind, pubs: pubs), aliases, rules)
    assert set(without.agreements) - set(read.agreements) == {f"{DEP}#TFM#2025-02-14"}
    assert set(read.agreements) - set(without.agreements) == set()
    assert without.agreements[f"{DEP}#TFM#2025-02-14"].status == "removed"
    gone = {(e.type, e.agreement_id) for e in without.events} - {(e.type, e.agreement_id) for e in read.events}
    assert gone == {
        ("added", f"{DEP}#TFM#2025-02-14"),
        ("removed", f"{DEP}#TFM#2025-02-14"),
        ("removed", FWC),
        ("reappeared", FWC),
    }
    assert read.agreements[FWC].status == "active"
    assert (
        read.agreements[FWC].listings
        == without.agreements[FWC].listings + without.agreements[f"{DEP}#TFM#2025-02-14"].listings
    )
    (fix,) = [c for c in read.corrections if c.field == "agency"]
    assert (fix.agreement_id, fix.rule, fix.pub.label) == (FWC, "misprint", "2025-07-15 am")
    assert fix.note == load_misprints()[0].note  # why the person decided it, kept with the correction
    assert read.agreement_aliases[f"{DEP}#TFM#2025-02-14"] == FWC

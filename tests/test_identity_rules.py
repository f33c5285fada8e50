"""Identity rules that hold on any part of the archive, on typos in the words that decide a kind, and against an
alias that would join two agencies ICE prints side by side."""

from __future__ import annotations

import itertools
import random
import shutil

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from tests.conftest import PARTICIPATING, sub_archive
from track287g.history import queries
from track287g.history.build import build
from track287g.history.qa import QAError, check
from track287g.history.rules import load_rules
from track287g.history.write import unique
from track287g.pipeline import ingest_paths
from track287g.resolve.aliases import AliasError, load_aliases
from track287g.store.schema import merge_candidate


def test_two_real_lists_alone_build_a_history_that_tells_melbourne_from_melbourne_beach(empty_db):
    # The list of 2025-05-02 pm prints "City of Melbourne Police Department"; the list of 2025-08-12 pm prints
    # "Melbourne Police Department" beside "Melbourne Beach Police Department", both TFM 2025-04-14.
    files = [
        PARTICIPATING / "participatingAgencies05022025pm.xlsx",
        PARTICIPATING / "participatingAgencies08122025pm.xlsx",
    ]
    report = ingest_paths(empty_db, [str(f) for f in files])
    assert report.ok and report.history
    with empty_db.read() as conn:
        melbourne = queries.find_agency(conn, "City of Melbourne Police Department")
        beach = queries.find_agency(conn, "Melbourne Beach Police Department")
        latest = queries.as_of(conn, "2025-08-12", "FL")
    assert melbourne == "FL-melbourne-police-department" and beach == "FL-melbourne-beach-police-department"
    tfm = {(i["agency_id"], i["signed"]) for i in latest["items"] if "melbourne" in i["agency_id"]}
    assert ("FL-melbourne-police-department", "2025-04-14") in tfm
    assert ("FL-melbourne-beach-police-department", "2025-04-14") in tfm


def _keep(rng: random.Random, prefix: bool):
    def keep(kind, pubs):
        if prefix:
            return pubs[: rng.randint(1, len(pubs))]
        chosen = rng.sample(pubs, rng.randint(1, min(len(pubs), 30)))
        return sorted(chosen, key=lambda p: p.order_key())

    return keep


def _check_subsets(archive, seed: int, count: int) -> None:
    rng = random.Random(seed)
    rules, aliases = load_rules(), load_aliases()
    for trial in range(count):
        part = sub_archive(archive, _keep(rng, prefix=trial % 2 == 1))
        history = build(part, aliases, rules)
        try:
            check(history)
        except QAError as exc:
            kept = {kind: [p.label for p in pubs] for kind, pubs in part.pubs.items()}
            raise AssertionError(f"seed {seed}, trial {trial}: {kept}: {exc}") from None


def test_any_prefix_or_subset_of_the_lists_in_date_order_builds_a_history_that_passes_qa(archive):
    _check_subsets(archive, seed=287, count=4)


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(1, 7))
def test_many_prefixes_and_subsets_of_the_lists_build_histories_that_pass_qa(archive, seed):
    _check_subsets(archive, seed=seed, count=6)


def test_lists_arriving_later_change_no_id_but_one_a_later_list_corrects_which_stays_an_alias(archive, full_history):
    # held out: the last 10 lists of each kind, then added back. Among them 2026-02-03 am corrects "Centervillle"
    # (SD) to "Centerville": that id changes, stays an alias, and the changelog says so; no other id changes.
    early = build(sub_archive(archive, lambda kind, pubs: pubs[:-10]), load_aliases(), load_rules())
    now = {a.agency_id for a in full_history.resolution.agencies}
    changed = sorted(a.agency_id for a in early.resolution.agencies if a.agency_id not in now)
    assert changed == ["SD-centervillle-police-department"]
    assert full_history.resolution.aliases[changed[0]] == "SD-centerville-police-department"
    said = [e for e in full_history.events if e.type == "id-changed" and e.detail["from"] == changed[0]]
    assert [(e.pub.label, e.detail["to"]) for e in said] == [("2026-02-03 am", "SD-centerville-police-department")]
    moved = sorted(a for a in early.agreements if a not in full_history.agreements)
    assert moved == ["SD-centervillle-police-department#TFM#2026-01-26"]
    assert full_history.agreement_aliases[moved[0]] == "SD-centerville-police-department#TFM#2026-01-26"


def test_an_alias_joining_two_agencies_printed_side_by_side_is_refused_naming_list_and_rows(archive, tmp_path):
    # Pinal County's sheriff (JEM 2020-06-09) and county attorney (TFM 2025-08-28) are printed side by side
    table = tmp_path / "aliases.csv"
    table.write_text(
        "state,spelling,action,target,note\n"
        "AZ,Pinal County Attorney's Office,same-as,Pinal County Sheriff's Office,a wrong decision\n"
    )
    september = sub_archive(
        archive, lambda kind, pubs: [p for p in pubs if "2025-09-01" <= p.published <= "2025-09-20"]
    )
    with pytest.raises(AliasError) as refused:
        build(september, load_aliases(table), load_rules())
    message = str(refused.value)
    assert "aliases.csv line 2" in message and "side by side" in message
    assert "the list of 2025-09-09 pm (participating)" in message
    assert "row 35" in message and "row 36" in message


KIND_TYPOS = {
    "Sheriff's": "Shreiff's",
    "University": "Unievrsity",
    "Highway Patrol": "Hgihway Patrol",
    "State Police": "Sttae Police",
}


def _a_day_later_misspelt(db, tmp_path, misspell) -> dict[str, str]:
    """Ingest the list of 2026-01-26 pm, then a copy dated a day later whose names ``misspell(name)`` changes
    (None: as printed); the names changed, right -> wrong, once the two lists built a history."""
    original = PARTICIPATING / "participatingAgencies01262026pm.xlsx"
    book = load_workbook(original)
    changed: dict[str, str] = {}
    for row in book.worksheets[0].iter_rows():
        for cell in row:
            wrong = misspell(cell.value) if isinstance(cell.value, str) and cell.value not in changed else None
            if wrong:
                changed[cell.value] = wrong
                cell.value = wrong
    later = tmp_path / "participatingAgencies01272026pm.xlsx"
    book.save(later)
    shutil.copy(original, tmp_path / original.name)
    report = ingest_paths(db, [str(tmp_path / original.name), str(later)])
    assert report.ok and report.history, [r.error for r in report.results]
    return changed


def test_a_typo_in_the_word_that_decides_an_agencys_kind_builds_one_agency(empty_db, tmp_path):
    left = dict(KIND_TYPOS)

    def misspell(name: str) -> str | None:  # one name for each misspelt word
        word = next((w for w in left if w in name), None)
        return name.replace(word, left.pop(word)) if word else None

    changed = _a_day_later_misspelt(empty_db, tmp_path, misspell)
    assert len(changed) == 4, changed
    with empty_db.read() as conn:
        for right, wrong in changed.items():
            assert queries.find_agency(conn, wrong) == queries.find_agency(conn, right)
        assert queries.as_of(conn, "2026-01-27")["agencies"] == queries.as_of(conn, "2026-01-26")["agencies"]
        candidates = list(
            conn.execute(select(merge_candidate.c.state, merge_candidate.c.spelling, merge_candidate.c.other))
        )
    assert len(candidates) == len(set(candidates))


GUARD_TYPOS = {  # the kind word misspelt: the name no longer says what body it is ("other", TYPE state)
    "Florida National Guard": "Florida National Gusrd",
    "Texas National Guard": "Texas National Gaurd",
}


def test_a_national_guard_whose_kind_word_is_misspelt_in_its_place_in_the_list_is_the_same_agency(empty_db, tmp_path):
    # a 3,650-list synthetic archive failed history QA: "Florida National Gusrd" took the place of "Florida
    # National Guard" in the list, a body of unknown kind ("state-other") that the handoff rule took for another
    # kind than the Guard's ("military"), so the Guard's agreement was "removed" and the audit found it again
    changed = _a_day_later_misspelt(empty_db, tmp_path, lambda name: GUARD_TYPOS.get(name.strip()))
    assert len(changed) == 2, changed
    with empty_db.read() as conn:
        for right, wrong in GUARD_TYPOS.items():
            assert queries.find_agency(conn, wrong) == queries.find_agency(conn, right)
        assert queries.as_of(conn, "2026-01-27")["agencies"] == queries.as_of(conn, "2026-01-26")["agencies"]


STATE_TYPOS = {  # a state's name at the head of an agency's name, with one typing slip
    "Arkansas State Police Department": "Arkanss State Police Department",
    "Florida Department of Corrections": "Florda Department of Corrections",
}


def test_a_state_name_misspelt_at_the_head_of_an_agencys_name_is_the_same_agency(empty_db, tmp_path):
    # a 3,650-list synthetic archive could not be built: "Arkanss State Police Department" took the place of
    # "Arkansas State Police Department" in the list, a new agency, and history QA failed on the removal
    changed = _a_day_later_misspelt(empty_db, tmp_path, lambda name: STATE_TYPOS.get(name.strip()))
    assert len(changed) == 2, changed
    with empty_db.read() as conn:
        for right, wrong in STATE_TYPOS.items():
            assert queries.find_agency(conn, wrong) == queries.find_agency(conn, right)
        assert queries.as_of(conn, "2026-01-27")["agencies"] == queries.as_of(conn, "2026-01-26")["agencies"]


def test_derived_rows_are_deduplicated_on_their_key_not_the_whole_tuple():
    rows = [("TX", "A", "B", 97.0, "typo rule"), ("TX", "A", "B", 82.0, "handoff declined"), ("TX", "B", "A", 1.0, "x")]
    assert unique(merge_candidate, rows) == [rows[0], rows[2]]


def test_an_agencys_id_changes_where_its_lead_after_each_list_changes(full_history):
    # The id changes are worked out only at the lists where the spellings printed change; they must be the
    # changes of the lead worked out from scratch after every list printing the agency (the definition), less an
    # id given back within max_gap_publications of the agency's lists (a typo printed and corrected).
    from track287g.history.rules import load_rules
    from track287g.resolve.agencies import _id, _lead

    max_gap = load_rules().max_gap_publications
    pubs = full_history.participating + full_history.pending_pubs
    order = {p.pub_id: p.order_key() for p in pubs}
    participating = {p.pub_id for p in full_history.participating}
    expected = []
    for agency in full_history.resolution.agencies:
        spellings = [m.spelling for m in agency.members]
        if len({_id(s) for s in spellings}) < 2:
            continue
        held: list[tuple[int, int, str]] = []  # (the agency's list number, the list, the id from it on)
        lists = sorted({p for s in spellings for p in s.pubs}, key=order.__getitem__)
        for i, pub in enumerate(lists):
            now = _id(_lead(spellings, order, participating, upto=order[pub]))
            if held and held[-1][2] == now:
                continue
            if len(held) >= 2 and held[-2][2] == now and i - held[-1][0] <= max_gap:
                held.pop()
                continue
            held.append((i, pub, now))
        for (_, _, before), (_, pub, now) in itertools.pairwise(held):
            expected.append((pub, before, now))
        if held and held[-1][2] != agency.agency_id:
            expected.append((lists[-1], held[-1][2], agency.agency_id))
    found = [(c.pub_id, c.old, c.new) for c in full_history.resolution.id_changes]
    assert len(found) > 50 and found == expected


def test_the_rules_kept_in_the_cache_folder_are_those_read_afresh_and_a_damaged_kept_file_is_read_again(
    tmp_path, monkeypatch
):
    # importing the YAML reader and reading the file were 15 ms of every add
    from track287g.config import RULES, cache_file
    from track287g.history.rules import _read_rules

    monkeypatch.setenv("TRACK287G_CACHE", str(tmp_path / "cache"))
    load_rules.cache_clear()
    first = load_rules(RULES)  # read, and kept
    kept = tmp_path / "cache" / cache_file("rules", RULES).name
    assert kept.exists()
    load_rules.cache_clear()
    again = load_rules(RULES)  # read back
    assert again is not first
    assert again == first == _read_rules(RULES)
    assert [b.note for b in again.same_body] == [b.note for b in first.same_body] and first.same_body
    kept.write_text('{"typo_min_ratio": "high"}', encoding="utf-8")  # another shape: read the file again
    load_rules.cache_clear()
    assert load_rules(RULES) == first
    load_rules.cache_clear()


def test_a_rules_file_with_a_bad_value_names_it_whether_or_not_rules_were_kept(tmp_path, monkeypatch):
    from track287g.config import RULES
    from track287g.history.rules import RulesError

    monkeypatch.setenv("TRACK287G_CACHE", str(tmp_path / "cache"))
    bad = tmp_path / "rules.yaml"
    bad.write_text(RULES.read_text(encoding="utf-8").replace("max_gap_days: 7", "max_gap_days: -7"), encoding="utf-8")
    for _ in range(2):  # nothing was kept of the bad file: the second read fails as the first
        load_rules.cache_clear()
        with pytest.raises(RulesError, match=r"rules\.yaml: max_gap_days must be a non-negative number, not -7"):
            load_rules(bad)
    load_rules.cache_clear()

"""Every change we report happened: each way ICE re-prints one agreement, pinned with its real rows.

Wrong state corrected later, a duplicate or respelled row, the same MOA under another holder, a renewal within
the gap, a re-date just outside the 45-day window, a typo on the pending list: none is a removal, a withdrawal
or a new agency. And every removal and withdrawal that remains says why it is one.
"""

from __future__ import annotations

import json

from sqlalchemy import func, select

from tests.helpers import run_cli
from track287g.history import queries
from track287g.store.schema import agency_spelling, agreement, correction, event, pending, publication


def _events(conn, **where) -> list[dict]:
    query = select(event)
    for k, v in where.items():
        query = query.where(event.c[k] == v)
    return [dict(r._mapping) | {"detail": json.loads(r.detail)} for r in conn.execute(query.order_by(event.c.event_id))]


def _events_of(conn, agreement_like: str) -> list[dict]:
    rows = conn.execute(select(event).where(event.c.agreement_id.like(agreement_like)).order_by(event.c.event_id))
    return [dict(r._mapping) | {"detail": json.loads(r.detail)} for r in rows]


def test_a_state_ice_printed_wrong_and_corrected_later_is_one_agency_and_no_removal(built_db):
    # Crow Wing County Sheriff's Office, WSO signed 2025-03-27: under Massachusetts 2025-03-27..04-11, then Minnesota
    # (re-dated 2025-03-26 from 2025-07-28 am)
    with built_db.read() as conn:
        agency_id = queries.find_agency(conn, "MA-crow-wing-county-sheriffs-office")
        view = queries.agency_view(conn, agency_id)
        events = _events_of(conn, "%crow-wing%")
    assert agency_id == "MN-crow-wing-county-sheriffs-office"
    with built_db.read() as conn:  # the name and the state ICE printed find it too
        assert queries.find_agency(conn, "Crow Wing County Sheriff's Office", "MA") == agency_id
    assert {(s["spelling"], s["state"]) for s in view["spellings"]} >= {
        ("Crow Wing County Sheriff's Office", "MA"),
        ("Crow Wing County Sheriff's Office", "MN"),
    }
    assert next(s["rule"] for s in view["spellings"] if s["state"] == "MA") == "state-corrected"
    wso = [a for a in view["agreements"] if a["model"] == "WSO"]
    assert [(a["signed"], a["status"], a["first_listed"]) for a in wso] == [("2025-03-26", "active", "2025-03-27")]
    assert not [e for e in events if e["type"] in ("removed", "added") and e["published"] > "2025-03-27"]
    # the first list printed both states (the TFM under MN): the id was MN's from the start, MA's resolves to it
    assert [f["alias"] for f in view["former_ids"]] == ["MA-crow-wing-county-sheriffs-office"]
    added = [e for e in events if e["type"] == "added" and e["model"] == "WSO"]
    assert [e["detail"]["signed"] for e in added] == ["2025-03-27"]  # as ICE printed it then; re-dated later


def test_a_row_ice_moved_to_the_other_state_of_one_name_is_state_corrected_not_removed(built_db):
    # Ellis County Sheriff's Office: KS applied for a WSO (pending 2025-05-30); the agreement signed 2025-07-07 was
    # printed under TX (beside TX Ellis's JEM) on 2025-07-08, then under KS from 2025-07-14
    with built_db.read() as conn:
        events = _events_of(conn, "%ellis-county-sheriffs-office#WSO#2025-07-07")
        texas = queries.agency_view(conn, "TX-ellis-county-sheriffs-office")
    assert [e["type"] for e in events] == ["moved-from-pending", "pending-approved", "state-corrected"]
    assert events[1]["pending_id"] == "KS-ellis-county-sheriffs-office#WSO#pending-2025-05-30"
    events = [e for e in events if e["type"] != "pending-approved"]
    assert events[1]["agreement_id"] == "KS-ellis-county-sheriffs-office#WSO#2025-07-07"
    assert events[1]["other_agency_id"] == "TX-ellis-county-sheriffs-office"
    assert texas["status"] == "active"
    assert [(a["model"], a["status"]) for a in texas["agreements"] if "held_by" not in a] == [("JEM", "active")]


def test_a_duplicate_row_is_one_agreement_and_as_of_shows_both_counts(built_db):
    # "City of Zephyrhills Police Department" beside "Zephyrhills Police Department", TFM 2025-04-14
    with built_db.read() as conn:
        result = queries.as_of(conn, "2025-06-12", "FL")
        events = _events_of(conn, "FL-zephyrhills-police-department#%")
        agency_id = queries.find_agency(conn, "City of Zephyrhills Police Department")
        former = [f["alias"] for f in queries.agency_view(conn, agency_id)["former_ids"]]
    zephyrhills = [i for i in result["items"] if i["agency_id"] == "FL-zephyrhills-police-department"]
    assert [(i["model"], i["signed"], i["rows"]) for i in zephyrhills] == [("TFM", "2025-04-14", 2)]
    assert result["printed_rows"] - result["agreements"] == 2  # Zephyrhills and St. Cloud, each printed twice
    assert agency_id == "FL-zephyrhills-police-department"
    assert not [e for e in events if e["type"] == "removed"]
    # its id went to the City-of spelling and back: the id it carries now is not listed as a former one
    assert former == ["FL-city-of-zephyrhills-police-department"]


def test_a_duplicate_row_with_a_slipped_date_is_one_agreement(built_db):
    # "City of St. Cloud Police Department" TFM 2025-04-15 beside "St. Cloud Police Department" TFM 2025-04-14
    with built_db.read() as conn:
        fixes = list(conn.execute(select(correction).where(correction.c.rule == "duplicate-row")))
        events = _events_of(conn, "FL-st-cloud-police-department#%")
    assert [(f.agreement_id, f.old, f.new) for f in fixes] == [
        ("FL-st-cloud-police-department#TFM#2025-04-14", "2025-04-15", "2025-04-14")
    ]
    assert [e["type"] for e in events] == ["moved-from-pending", "pending-approved"]  # no removal, no second agreement


def test_a_row_respelled_in_its_own_place_is_one_agency(built_db):
    # Brookfield -> Brookford Police Department (NC, Catawba County, TFM 2025-09-09, row 584 of both lists)
    with built_db.read() as conn:
        agency_id = queries.find_agency(conn, "Brookfield Police Department", "NC")
        view = queries.agency_view(conn, agency_id)
        events = _events_of(conn, "%brook%#TFM#2025-09-09")
    assert agency_id == "NC-brookford-police-department"
    brookfield = next(s for s in view["spellings"] if s["spelling"] == "Brookfield Police Department")
    assert brookfield["rule"] == "same-agreement" and "2025-09-15 pm" in brookfield["evidence"]
    assert [e["type"] for e in events] == ["moved-from-pending", "pending-approved"]  # no removal, no second agreement


def test_the_same_moa_under_another_holder_is_transferred_not_removed_and_added(built_db):
    # Escambia County, FL, WSO 2025-02-26: sheriff's office, then the board of county commissioners (2025-07-16),
    # then "BOCC/ Department of Corrections" (2025-08-11, the same board)
    with built_db.read() as conn:
        events = _events_of(conn, "FL-escambia-county-%#WSO#2025-02-26")
        before = queries.as_of(conn, "2025-07-01", "FL")
        after = queries.as_of(conn, "2025-08-27", "FL")
        sheriff = queries.agency_view(conn, "FL-escambia-county-sheriffs-office")
    board = "FL-escambia-county-board-of-county-commissioners-department-of-corrections"
    assert [e["type"] for e in events] == ["added", "transferred"]
    moved = events[1]
    assert moved["published"] == "2025-07-16" and moved["agency_id"] == board
    assert moved["detail"]["from"] == "Escambia County Sheriff's Office"
    assert moved["detail"]["to"] == "Escambia County Board of County Commissioners/ Department of Corrections"
    assert "both of Escambia County" in moved["detail"]["evidence"]

    def holder(result):
        return next(i["agency_id"] for i in result["items"] if i["agreement_id"] == f"{board}#WSO#2025-02-26")

    assert holder(before) == "FL-escambia-county-sheriffs-office"  # the list of that day named the sheriff
    assert holder(after) == board
    assert sheriff["status"] == "active"
    wso = next(a for a in sheriff["agreements"] if a["model"] == "WSO")
    assert wso["held_by"]["agency_id"] == board and wso["status"] == "active"
    assert sheriff["events"][-1]["type"] == "transferred"


def test_an_moa_ice_gave_another_holder_of_the_county_is_transferred(built_db):
    # Pinal County, AZ: the TFM signed 2025-08-28 printed for the sheriff, then for the county attorney's office
    with built_db.read() as conn:
        events = _events_of(conn, "AZ-pinal-county-%#TFM#2025-08-28")
        counted = queries.as_of(conn, "2026-01-26", "AZ")
    assert [(e["type"], e["other_agency_id"], e["agency_id"]) for e in events if e["type"] != "pending-approved"] == [
        ("moved-from-pending", None, "AZ-pinal-county-sheriffs-office"),  # the attorney's application, approved
        ("transferred", "AZ-pinal-county-sheriffs-office", "AZ-pinal-county-attorneys-office"),
    ]
    assert "AZ-pinal-county-sheriffs-office" in {i["agency_id"] for i in counted["items"]}  # its JEM stays


def test_a_renewal_within_the_gap_supersedes_the_old_agreement(built_db):
    # Fort Walton Beach PD: TFM 2025-02-28 last printed 2025-07-30 pm; TFM 2025-08-04 first printed 2025-08-04 pm
    with built_db.read() as conn:
        events = _events_of(conn, "FL-fort-walton-beach-police-department#%")
    kinds = [(e["type"], e["agreement_id"].rsplit("#", 1)[1]) for e in events]
    assert ("superseded", "2025-02-28") in kinds and ("renewed", "2025-08-04") in kinds
    assert not [k for k in kinds if k[0] == "removed"]


def test_a_re_date_46_days_out_is_one_agreement_decided_by_evidence(built_db):
    # Webb County, TX: the JEM printed as 2025-10-17 is printed as 2025-12-02 from 2025-12-02 pm (46 days later),
    # the agency's only change in that list
    with built_db.read() as conn:
        events = _events_of(conn, "TX-webb-county-sheriffs-office#JEM#%")
        fixes = list(conn.execute(select(correction).where(correction.c.agreement_id.like("TX-webb-county-%"))))
    assert [e["type"] for e in events] == ["moved-from-pending", "pending-approved", "re-dated"]
    assert [(f.old, f.new, f.rule) for f in fixes] == [("2025-10-17", "2025-12-02", "redate-evidence")]
    assert events[0]["agreement_id"] == "TX-webb-county-sheriffs-office#JEM#2025-12-02"
    with built_db.read() as conn:  # the id it carried until then still resolves
        assert queries.current_agreement_id(conn, "TX-webb-county-sheriffs-office#JEM#2025-10-17") == (
            "TX-webb-county-sheriffs-office#JEM#2025-12-02"
        )


def test_a_typo_on_the_pending_list_is_one_application_not_a_withdrawal(built_db):
    with built_db.read() as conn:
        lafourche = queries.agency_view(conn, queries.find_agency(conn, "Lafourche County Sheriff's Office"))
        charles = queries.agency_view(conn, queries.find_agency(conn, "St. Charles Place Sheriff's Office"))
        kershaw = queries.agency_view(conn, queries.find_agency(conn, "FL-kershaw-county-sheriffs-office"))
    # "Lafourche County" (pending 2025-05-21) then "Lafourche Parish": Louisiana has parishes
    assert lafourche["agency_id"] == "LA-lafourche-parish-sheriffs-office"
    assert [(p["model"], p["status"]) for p in lafourche["pending"]] == [("WSO", "approved")]
    # "St. Charles Place" (pending 2025-07-10..07-22), then "St. Charles Parish": its WSO approved 2025-07-24
    assert charles["agency_id"] == "LA-st-charles-parish-sheriffs-office"
    assert ("WSO", "approved") in [(p["model"], p["status"]) for p in charles["pending"]]
    # Kershaw County printed under FL on the pending list of 2025-04-03, under SC from 2025-04-07
    assert kershaw["agency_id"] == "SC-kershaw-county-sheriffs-office"
    assert [p["status"] for p in kershaw["pending"]] == ["approved"]


def test_an_application_printed_again_after_its_agreement_is_not_withdrawn_nor_approved_in_negative_days(built_db):
    # Christian County, MO: TFM pending 2025-03-26..07-07, agreement listed 2025-07-08; the row again on 2025-07-21
    with built_db.read() as conn:
        christian = queries.agency_view(conn, queries.find_agency(conn, "Christian County Sheriff's Office", "MO"))
    tfm = [(p["status"], p["days_to_approval"]) for p in christian["pending"] if p["model"] == "TFM"]
    assert tfm == [("approved", 104), ("approved", None)]


def test_an_application_under_a_constables_name_then_its_offices_is_one_agency_approved_not_withdrawn(built_db):
    # East Donegal Township (PA): TFM pending 2025-05-21 as "East Donegal Township Constable", from 2025-07-10 as
    # "East Donegal Township, PA", listed from 2025-07-16 as "East Donegal Township Constables Office" (aliases.csv)
    with built_db.read() as conn:
        agency_id = queries.find_agency(conn, "East Donegal Township Constable", "PA")
        view = queries.agency_view(conn, agency_id)
    assert agency_id == "PA-east-donegal-township-constables-office"
    assert "PA-east-donegal-township-constable" in {f["alias"] for f in view["former_ids"]}
    assert [(p["first_listed"], p["status"]) for p in view["pending"]] == [
        ("2025-05-21", "approved"),
        ("2025-07-10", "approved"),
    ]


def test_every_removal_and_withdrawal_carries_its_evidence(built_db):
    with built_db.read() as conn:
        gone = [e for e in _events(conn) if e["type"] in ("removed", "pending-withdrawn")]
    assert gone
    for e in gone:
        evidence = e["detail"]["evidence"]
        assert evidence["last_listed"] and evidence["first_absent"]
        assert evidence["checked"]
        if not evidence["candidates"]:  # it names the lists it read, not "any later list"
            said = evidence["checked_message"]["values"]
            if evidence["checked_message"]["code"].endswith(".one"):  # one date's lists: named once
                assert f" of {said['first']} prints " in evidence["checked"] and "until" not in said
            else:
                assert said["first"] and said["until"] and said["first"] != said["until"]
                assert f"from {said['first']} to {said['until']} " in evidence["checked"]


def test_a_removal_from_the_latest_list_is_provisional_until_more_lists_confirm_it(built_db):
    # Maryland's agreements left ICE's last list of the archive (2026-02-27 am), after the list of 2026-02-17 pm
    with built_db.read() as conn:
        (removed,) = [
            e for e in _events_of(conn, "MD-wicomico-county-corrections-center#WSO#%") if e["type"] == "removed"
        ]
    detail = removed["detail"]
    assert detail["provisional"] is True and detail["lists_to_confirm"] == 2  # the gap rule: 3 lists without it
    assert detail["evidence"]["checked"].startswith("no row new in the list of 2026-02-27 am prints ")
    said = run_cli("audit", "--state", "MD", db=built_db.location, check=True).stdout
    assert "(MD-wicomico-county-corrections-center#WSO#2026-01-30, provisional until 2 more lists leave it out)" in said
    assert "(MD-frederick-county-sheriffs-office#JEM#2020-06-09, provisional until 1 more list leaves it out)" in said


def test_every_application_approved_has_its_approval_in_the_changelog_even_if_still_on_the_last_pending_list(built_db):
    with built_db.read() as conn:
        approved = dict(
            conn.execute(
                select(pending.c.pending_id, pending.c.agreement_id).where(pending.c.status == "approved")
            ).all()
        )
        said = {e["pending_id"]: e for e in _events(conn) if e["type"] in ("pending-approved", "pending-duplicate")}
        (wicomico,) = [e for e in said.values() if e["pending_id"].startswith("MD-wicomico-county-corrections-center#")]
    assert set(approved) == set(said)  # one approval (or one duplicate of an approved row) for each
    # ICE's last pending list (2026-01-30 am) still printed it; its agreement first appeared on 2026-02-02 am
    assert (wicomico["type"], wicomico["published"]) == ("pending-approved", "2026-02-02")
    assert wicomico["detail"]["still_on_pending_list"] == "2026-01-30 am" and wicomico["detail"]["days"] == 11


def test_two_lists_ice_posted_with_one_date_and_part_of_day_are_told_apart_in_what_a_removal_says(built_db):
    # participatingAgencies12042025pm.xlsx then ...pm2.xlsx: Stowe Township's TFM agreement was on the first only
    with built_db.read() as conn:
        (removed,) = [
            e for e in _events_of(conn, "PA-stowe-township-police-department#TFM#2025-11-18") if e["type"] == "removed"
        ]
    evidence = removed["detail"]["evidence"]
    assert evidence["last_listed"] == "2025-12-04 pm (c25032e5d8)"
    assert evidence["first_absent"] == "2025-12-04 pm (22d2776851)"
    assert evidence["checked_message"]["values"] == {"first": "2025-12-04 pm (22d2776851)", "until": "2025-12-05 pm"}


def test_a_withdrawal_says_when_its_agency_holds_an_agreement_of_that_model_later_or_already(built_db):
    with built_db.read() as conn:
        notes = {
            e["pending_id"]: e["detail"].get("note_message") for e in _events(conn) if e["type"] == "pending-withdrawn"
        }
    # Alachua PD (FL): TFM pending until 2025-04-11; its TFM agreement first listed 2025-07-03, past the 60 days
    alachua = notes["FL-alachua-police-department#TFM#pending-2025-03-26"]
    assert alachua["code"] == "withdrawal.later"
    assert alachua["values"] == {
        "model": "TFM",
        "agreement": "FL-alachua-police-department#TFM#2025-07-02",
        "listed_date": "2025-07-03",
        "days": 83,
        "window": 60,
    }
    assert notes["MO-wheaton-police-department#TFM#pending-2025-09-08"]["values"]["days"] == 147
    assert notes["MO-wheaton-police-department#WSO#pending-2025-09-08"] is None  # it holds no WSO agreement
    # San Jacinto (TX): a WSO application withdrawn in May, another in October approved
    again = notes["TX-san-jacinto-county-sheriffs-office#WSO#pending-2025-03-12"]
    assert again["code"] == "withdrawal.later.again"
    assert again["values"]["pending"] == "TX-san-jacinto-county-sheriffs-office#WSO#pending-2025-10-09"
    already = [n for n in notes.values() if n and n["code"] == "withdrawal.already"]
    other = [n for n in notes.values() if n and n["code"] == "withdrawal.other-agency"]
    assert len(already) == 7 and len(other) == 2 and sum(1 for n in notes.values() if n) == 13


def test_a_withdrawal_says_when_the_agency_s_agreement_of_another_model_came_instead(built_db):
    # Wilbarger County (TX): TFM pending 2025-09-11 to 2025-09-23; a WSO agreement, no application's, from 09-24
    with built_db.read() as conn:
        notes = {
            e["pending_id"]: e["detail"].get("note_message") for e in _events(conn) if e["type"] == "pending-withdrawn"
        }
    other = {p: n for p, n in notes.items() if n and n["code"] == "withdrawal.other-model"}
    assert other == {
        "TX-wilbarger-county-sheriffs-office#TFM#pending-2025-09-11": {
            "code": "withdrawal.other-model",
            "values": {
                "model": "WSO",
                "agreement": "TX-wilbarger-county-sheriffs-office#WSO#2025-09-22",
                "listed_date": "2025-09-24",
                "applied": "TFM",
            },
        }
    }
    # Orange County's sheriff keeps the county's WSO under another name, said first, not its own TFM
    assert notes["FL-orange-county-sheriffs-office#WSO#pending-2025-02-20"]["code"] == "withdrawal.other-agency"


def test_the_changelog_leads_with_the_latest_publication_of_either_list(built_db):
    with built_db.read() as conn:
        events = queries.changes(conn)
        pending_only = queries.changes(conn, kind="pending")
    assert events[0]["published"] == "2026-02-27 am" and events[0]["kind"] == "participating"
    assert [e["event_id"] for e in events] == sorted((e["event_id"] for e in events), reverse=True)
    dates = [e["published"][:10] for e in events]
    assert dates == sorted(dates, reverse=True)
    assert pending_only[0]["published"] >= "2026-01-30"
    first = run_cli("changes", "--since", "2026-02-01", db=built_db.location, check=True).stdout
    assert first.strip().splitlines()[0].startswith("participating list 2026-02-27 am")


def test_a_changelog_since_a_date_after_a_kinds_latest_list_says_the_record_has_no_such_list_not_no_change(
    built_db,
):
    """The bundled record's latest lists: participating of 2026-02-27 am, pending of 2026-01-30 am. Since
    2026-02-20 there are participating events and no pending ones: not because nothing changed on the pending
    list, but because the record holds no pending list since."""
    said = run_cli("changes", "--since", "2026-02-20", db=built_db.location, check=True).stdout
    assert "pending list" not in said.split("\n\n")[0]  # the events: participating only
    assert said.rstrip().endswith(
        "no pending list in the record published on or after 2026-02-20: its latest is of 2026-01-30 am, "
        "21 days before (ICE may have published more since)"
    )
    none = run_cli("changes", "--since", "2026-03-01", "--kind", "participating", db=built_db.location).stdout
    assert none.strip().splitlines() == [
        "0 events",
        "no participating list in the record published on or after 2026-03-01: its latest is of 2026-02-27 am, "
        "2 days before (ICE may have published more since)",
    ]
    covered = run_cli("changes", "--since", "2026-01-20", db=built_db.location, check=True).stdout
    assert "no pending list" not in covered and "no participating list" not in covered
    whole = run_cli("changes", "--since", "2026-03-01", "--agency", "Walker County Sheriff's Office", "--state", "GA",
                    db=built_db.location, check=True).stdout  # fmt: skip
    assert "no participating list" not in whole  # one agency's history is answered whole
    with built_db.read() as conn:
        stale = queries.no_list_since(conn, "2026-03-01")
    assert [(s["kind"], s["latest"]["label"], s["days"]) for s in stale] == [
        ("participating", "2026-02-27 am", 2),
        ("pending", "2026-01-30 am", 30),
    ]


def test_an_agencys_events_read_in_the_order_they_happened(built_db):
    # Walker County, GA: applied (pending 2025-02-20), listed and approved 2025-02-26
    with built_db.read() as conn:
        view = queries.agency_view(conn, queries.find_agency(conn, "Walker County Sheriff's Office", "GA"))
    assert [(e["published"], e["type"]) for e in view["events"]] == [
        ("2025-02-20", "pending-added"),
        ("2025-02-26", "moved-from-pending"),
        ("2025-02-26", "pending-approved"),
    ]
    ids = [e["event_id"] for e in view["events"]]
    assert ids == sorted(ids)


def test_an_approval_is_dated_by_the_list_where_the_agreement_appeared(built_db):
    with built_db.read() as conn:
        approved = _events(conn, type="pending-approved", agency_id="GA-walker-county-sheriffs-office")[0]
        listed = _events(conn, type="moved-from-pending", agency_id="GA-walker-county-sheriffs-office")[0]
    assert approved["sha256"] == listed["sha256"]  # the participating list of 2025-02-26
    assert approved["detail"]["left_pending_list"] == "2025-03-12"


def test_display_names_and_ids_use_the_corrected_spelling_and_old_ids_still_resolve(built_db):
    with built_db.read() as conn:
        berrien = queries.agency_view(conn, queries.find_agency(conn, "MI-berrian-county-sheriffs-office"))
        vernia = queries.agency_view(conn, queries.find_agency(conn, "La Vernia Police Deparment"))
        douglas = queries.find_agency(conn, "MO-dogulas-county-sheriffs-office")
        somervell = queries.find_agency(conn, "TX-somerville-county-sheriffs-office")
        printed = {r.spelling for r in conn.execute(select(agency_spelling).where(agency_spelling.c.state == "MI"))}
    assert (berrien["agency_id"], berrien["name"]) == (
        "MI-berrien-county-sheriffs-office",
        "Berrien County Sheriff's Office",
    )
    assert "county-name" in berrien["name_repaired"] and "Berrian County Sheriff's Office" in printed
    assert vernia["name"] == "La Vernia Police Department" and vernia["agency_id"] == "TX-la-vernia-police-department"
    assert douglas == "MO-douglas-county-sheriffs-office"
    assert somervell == "TX-somervell-county-sheriffs-office"


def test_the_audit_lists_every_removal_and_withdrawal_and_explains_every_candidate(built_db):
    proc = run_cli("audit", "--json", db=built_db.location, check=True)
    items = json.loads(proc.stdout)
    assert {e["type"] for e in items} == {"removed", "pending-withdrawn"}
    hits = [c for e in items for c in e["candidates"]]
    assert hits and not [c for c in hits if c["decision"] != "declined"]
    assert all(c["reason"] for c in hits)
    text = run_cli("audit", "--kind", "removal", "--state", "FL", db=built_db.location, check=True).stdout
    assert "0 unexplained" in text


def test_an_application_printed_twice_on_the_pending_list_is_approved_once(built_db):
    # Sedgwick County, KS: an "UNK" pending row on 2025-10-28 and a WSO row from 2025-10-29; one WSO agreement
    # listed 2025-11-04. The UNK row leaving the list is a duplicate of the application, not a second approval.
    with built_db.read() as conn:
        events = _events_of(conn, "KS-sedgwick-county-sheriffs-office#WSO#2025-11-04")
        doubled = conn.execute(
            select(event.c.agreement_id)
            .where(event.c.type == "pending-approved")
            .group_by(event.c.agreement_id)
            .having(func.count() > 1)
        ).all()
    kinds = [e["type"] for e in events]
    assert kinds.count("pending-approved") == 1 and kinds.count("pending-duplicate") == 1
    duplicate = next(e for e in events if e["type"] == "pending-duplicate")
    assert duplicate["detail"]["duplicate_of"] == "KS-sedgwick-county-sheriffs-office#WSO#pending-2025-10-29"
    assert doubled == []  # no agreement is approved twice


def test_an_agency_printed_twice_under_two_states_with_one_agreement_is_one_agreement_not_an_addition(built_db):
    # Moore County Sheriff's Office, WSO signed 2025-08-28: a copy of the Texas row under Tennessee (which has a
    # Moore County too) in the lists of 2025-09-02 pm and 2025-09-03 am only, beside the Texas row
    with built_db.read() as conn:
        said = [e for e in _events(conn) if e["agency_id"] and "moore-county-sheriffs-office" in e["agency_id"]]
        spellings = conn.execute(
            select(agency_spelling.c.agency_id, agency_spelling.c.rule)
            .where(agency_spelling.c.state == "TN")
            .where(agency_spelling.c.spelling == "Moore County Sheriff's Office")
        ).all()
    assert [(e["type"], e["agency_id"]) for e in said if e["type"] in ("added", "removed")] == [
        ("added", "TX-moore-county-sheriffs-office")
    ]
    assert spellings == [("TX-moore-county-sheriffs-office", "state-corrected")]


def test_an_application_whose_model_ice_printed_anew_is_approved_with_it_not_withdrawn(built_db):
    # Morris County Sheriff's Office (TX): WSO on the pending list of 2025-11-25 am, TFM from 2025-11-25 pm,
    # its TFM agreement listed 2025-12-02
    with built_db.read() as conn:
        (retyped,) = [
            e
            for e in _events(conn, pending_id="TX-morris-county-sheriffs-office#WSO#pending-2025-11-25")
            if e["type"] != "pending-added"
        ]
        status = conn.execute(
            select(pending.c.status, pending.c.agreement_id, pending.c.days_to_approval).where(
                pending.c.pending_id == retyped["pending_id"]
            )
        ).one()
    assert (
        retyped["type"] == "pending-duplicate"
        and "WSO until the pending list of 2025-11-25 am" in (retyped["detail"]["how"])
    )
    assert tuple(status) == ("approved", "TX-morris-county-sheriffs-office#TFM#2025-12-02", 7)


def test_an_id_ice_gave_back_within_two_lists_is_no_change_of_id(built_db):
    # "Waria-labelon County Sheriff's Office" for Walton County, FL in one list (2024-12-11); Arkansas State Police
    # without "Department" in the lists of 2025-08-08 pm and 2025-08-11 am
    with built_db.read() as conn:
        changed = [(e["agency_id"], e["detail"]["to"]) for e in _events(conn, type="id-changed")]
    assert not [c for c in changed if c[0] == "FL-walton-county-sheriffs-office"]
    # Arkansas's id changed once, for good (2025-07-08 pm), not back and forth
    assert [c for c in changed if c[0] == "AR-state-police-department"] == [
        ("AR-state-police-department", "AR-state-police-department")
    ]
    assert "FL-indialantic-police-department" in {c[0] for c in changed}  # "Indiatlantic" for two months: it lasted


def test_an_application_first_printed_by_a_suspect_pending_list_is_added_on_that_list_s_date(built_db):
    # the pending list of 2025-06-13 pm fell from 101 rows to 65 (suspect: it declares no withdrawal), yet the
    # applications it printed first were new there, not on 2025-06-17 pm
    with built_db.read() as conn:
        (added,) = _events(
            conn, pending_id="TX-southside-place-police-department#TFM#pending-2025-06-13", type="pending-added"
        )
        part = conn.execute(select(publication.c.part).where(publication.c.sha256 == added["sha256"])).scalar()
    assert (added["published"], part) == ("2025-06-13", "pm")


def test_an_agreement_listed_before_another_of_its_agency_is_not_that_one_s_renewal(built_db):
    # Florida's Department of Environmental Protection: its TFM signed 2025-04-24 was listed from 2025-05-20 pm, after
    # its pending application, and is its only agreement: no renewal of anything on 2025-05-20
    dep = "FL-department-of-environmental-protection-division-of-law-enforcement#TFM#"
    with built_db.read() as conn:
        newer = [e["type"] for e in _events_of(conn, dep + "2025-04-24")]
        theirs = list(conn.execute(select(agreement.c.agreement_id).where(agreement.c.agreement_id.like(dep + "%"))))
    assert "renewed" not in newer and "moved-from-pending" in newer and len(theirs) == 1


def test_a_row_ice_printed_under_another_agency_s_name_stays_its_own_agency_s_agreement(built_db):
    # data/misprints.csv: the Fish and Wildlife Conservation Commission's TFM row (signed 2025-02-14) was printed in
    # its place under the Department of Environmental Protection's name from 2025-07-15 am to 2025-07-29 am: the
    # Commission's agreement was never removed, and the Department never had a TFM signed 2025-02-14
    fwc = "FL-fish-and-wildlife-conservation-commission#TFM#2025-02-14"
    dep = "FL-department-of-environmental-protection-division-of-law-enforcement"
    with built_db.read() as conn:
        kinds = [e["type"] for e in _events_of(conn, fwc)]
        status = conn.execute(select(agreement.c.status).where(agreement.c.agreement_id == fwc)).scalar()
        july = [
            (e["type"], e["agreement_id"])
            for e in _events(conn, agency_id=dep) + _events(conn, agency_id=fwc.split("#")[0])
            if e["published"].startswith("2025-07") and e["type"] in ("added", "removed", "reappeared", "missing")
        ]
        (fix,) = conn.execute(
            select(correction).where(correction.c.agreement_id == fwc, correction.c.field == "agency")
        )
        listed = conn.execute(
            select(publication.c.published, publication.c.part).where(publication.c.sha256 == fix.sha256)
        )
        moved_to = queries.current_agreement_id(conn, f"{dep}#TFM#2025-02-14")
    assert kinds == ["added"] and status == "active" and july == []
    assert (fix.old, fix.new, fix.rule) == (
        "Florida Department of Environmental Protection, Division of Law Enforcement",
        "Florida Fish and Wildlife Conservation Commission",
        "misprint",
    )
    assert tuple(listed.one()) == ("2025-07-15", "am") and moved_to == fwc


def test_a_transfer_whose_rows_link_the_same_moa_under_both_names_says_the_name_may_have_been_corrected(built_db):
    # Escambia County, FL: the WSO row of the sheriff's office already linked escambiaCo_WSO_MOA_02.21.2025.pdf, the
    # document the Board of County Commissioners' row links
    with built_db.read() as conn:
        moves = [e for e in _events(conn, type="transferred") if e["agency_id"].startswith("FL-escambia")]
        others = [e for e in _events(conn, type="transferred") if e["agency_id"] == "FL-gulf-county-sheriffs-office"]
    (escambia,) = moves
    assert escambia["detail"]["note_message"]["values"]["url"].endswith("escambiaCo_WSO_MOA_02.21.2025.pdf")
    assert "it may have corrected the holder's name" in escambia["detail"]["note"]
    assert others and "note" not in others[0]["detail"]  # Gulf County's BOCC row linked no MOA


def test_a_withdrawal_names_the_agreement_another_agency_of_its_county_got_in_its_window(built_db):
    # the Orange County Sheriff's Office (FL) applied for a WSO on 2025-02-20; the county's Corrections Department's
    # WSO, with no application of its own, was listed 2025-02-26
    with built_db.read() as conn:
        (gone,) = _events(
            conn, pending_id="FL-orange-county-sheriffs-office#WSO#pending-2025-02-20", type="pending-withdrawn"
        )
    note = gone["detail"]["note_message"]
    assert note["code"] == "withdrawal.other-agency" and note["values"]["county"] == "Orange County"
    assert note["values"]["agreement"] == "FL-orange-county-corrections-department#WSO#2025-02-26"


def test_an_agreement_ice_left_out_of_a_week_of_lists_and_printed_again_unchanged_was_missing_not_removed(built_db):
    # ICE posted five lists from 2025-07-24 pm to 2025-07-28 am without East Donegal Township's constables (TFM
    # signed 2025-07-15) and six to 2025-07-29 pm without the Wyoming Highway Patrol (TFM signed 2025-07-24), then
    # printed both again unchanged: more lists than the gap's two, but back within its seven days
    with built_db.read() as conn:
        donegal = _events_of(conn, "PA-east-donegal-township-constables-office#TFM#2025-07-15")
        wyoming = _events_of(conn, "WY-state-highway-patrol#TFM#2025-07-24")
    kinds = ("moved-from-pending", "missing", "removed", "reappeared")
    assert [e["type"] for e in donegal if e["type"] in kinds] == ["moved-from-pending", "missing", "reappeared"]
    assert [e["type"] for e in wyoming if e["type"] in kinds] == ["moved-from-pending", "missing", "reappeared"]
    assert [(e["type"], e["published"], e["detail"].get("back_in")) for e in donegal[-2:]] == [
        ("missing", "2025-07-24", "2025-07-29 am"),
        ("reappeared", "2025-07-29", None),
    ]
    assert [(e["type"], e["published"], e["detail"].get("back_in")) for e in wyoming[-2:]] == [
        ("missing", "2025-07-24", "2025-07-30 am"),
        ("reappeared", "2025-07-30", None),
    ]
    audited = json.loads(run_cli("audit", "--json", db=built_db.location, check=True).stdout)
    assert not [e for e in audited if e["agreement_id"] in (donegal[0]["agreement_id"], wyoming[0]["agreement_id"])]


def test_a_removal_in_a_week_of_many_lists_stays_provisional_until_a_list_a_week_later_leaves_it_out(tmp_path):
    # the lists of 2025-07-15 am to 2025-07-25 pm only: East Donegal's constables (last listed 2025-07-24 am) are
    # left out of three lists and the Wyoming Highway Patrol (2025-07-24 pm, the first of two) of two; neither
    # removal is confirmed before a list of 2025-08-01 (eight days on) leaves it out, however many lists come first
    from tests.conftest import PARTICIPATING

    assert PARTICIPATING is not None
    folder = tmp_path / "lists"
    folder.mkdir()
    for path in sorted(PARTICIPATING.glob("participatingAgencies07*2025*.xlsx")):
        if "07152025" <= path.name[21:29] <= "07252025":
            (folder / path.name).write_bytes(path.read_bytes())
    db = tmp_path / "week.db"
    run_cli("ingest", str(folder), db=db, check=True)
    audited = {e["agreement_id"]: e for e in json.loads(run_cli("audit", "--json", db=db, check=True).stdout)}
    donegal = audited["PA-east-donegal-township-constables-office#TFM#2025-07-15"]["detail"]
    wyoming = audited["WY-state-highway-patrol#TFM#2025-07-24"]["detail"]
    assert (donegal["provisional"], donegal["lists_to_confirm"], donegal["confirm_from"]) == (True, 0, "2025-08-01")
    assert (wyoming["provisional"], wyoming["lists_to_confirm"], wyoming["confirm_from"]) == (True, 1, "2025-08-01")
    said = run_cli("audit", "--state", "PA", db=db, check=True).stdout
    assert "provisional until a list of 2025-08-01 or later leaves it out)" in said
    said = run_cli("audit", "--state", "WY", db=db, check=True).stdout
    assert "provisional until 1 more list leaves it out and a list of 2025-08-01 or later leaves it out)" in said
    from starlette.testclient import TestClient

    from track287g.web import create_app

    with TestClient(create_app(str(db))) as client:
        english = client.get("/agency/PA-east-donegal-township-constables-office/").text
        spanish = client.get("/es/agency/WY-state-highway-patrol/").text
    assert "confirmed when a list of 2025-08-01 or later leaves it out; if ICE prints it again" in english
    assert "se confirma cuando 1 lista más lo omita y una lista del 2025-08-01 o posterior también" in spanish


def test_the_agency_command_says_a_provisional_removal_is_provisional(built_db_path):
    done = run_cli("agency", "MD-st-marys-county-sheriffs-office", db=built_db_path)
    assert done.returncode == 0, done.stderr
    first = done.stdout.splitlines()[0]
    assert first.startswith("St. Mary's County Sheriff's Office (MD) - sheriff, removed (provisional); id ")

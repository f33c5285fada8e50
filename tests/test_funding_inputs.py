"""The model's input table, built from ICE's lists in the bundled archive."""

from __future__ import annotations

import pytest

from track287g.analyze import funding


def test_the_2026_01_26_list_has_the_764_tfm_agencies_fwd_us_counted(built_db):
    with built_db.read() as conn:
        inputs = funding.funding_inputs(conn, "2026-01-26")
    assert (inputs.as_of, inputs.part) == ("2026-01-26", "pm")
    assert len(inputs.rows) == 764 == funding.load_parameters().calibration_value("fwd_agencies")
    assert {r.model for r in inputs.rows} == {"TFM"}
    assert len({r.agency_id for r in inputs.rows}) == 764
    assert all(r.since for r in inputs.rows)
    # sworn officers come from the FBI roster matches of the enrich stage (the cap needs them)
    assert sum(r.sworn is not None for r in inputs.rows) > 600
    assert inputs.describe() == "764 TFM agencies on ICE's participating list published 2026-01-26 pm"


def test_every_agency_dates_from_its_signing_or_first_listing(built_db):
    with built_db.read() as conn:
        inputs = funding.funding_inputs(conn)
    assert inputs.as_of == "2026-02-27" and len(inputs.rows) == 868
    rules = {r.since_rule for r in inputs.rows}
    assert rules <= {"signed", "signed_probable", "first_listed"}  # signed_probable: ICE's date has a year typo
    lee = [r for r in inputs.rows if r.agency_id == "FL-lee-county-sheriffs-office"]
    assert lee and lee[0].state == "FL" and lee[0].since_rule == "signed"
    assert lee[0].sworn == 803  # FBI LEE 2025, ORI FL0360000


def test_a_states_estimate_counts_that_states_agencies_and_says_how_many_the_list_has_in_all(built_db):
    with built_db.read() as conn:
        inputs = funding.funding_inputs(conn)
    assert inputs.describe("FL") == (
        "271 TFM agencies of FL on ICE's participating list published 2026-02-27 am (868 in all)"
    )


def test_calibration_counts_in_the_parameters_match_the_archive(built_db):
    params = funding.load_parameters()
    with built_db.read() as conn:
        on_dhs_day = funding.funding_inputs(conn, "2025-09-02")
        before_program = funding.funding_inputs(conn, "2025-09-30")
        fwd_list = funding.funding_inputs(conn, "2026-01-26")
    # officers.mean_per_agency: 8,501 trained officers over the TFM agencies listed on the day DHS counted them
    assert len(on_dhs_day.rows) == params.calibration_value("dhs_list_tfm_agencies") == 473
    assert params["officers.mean_per_agency"] == pytest.approx(8501 / 473, abs=0.05)
    # growth.agencies_per_month: 521 on 2025-09-30 to 764 on 2026-01-26 (118 days)
    assert len(before_program.rows) == 521
    pace = (len(fwd_list.rows) - len(before_program.rows)) / 118 * 365.25 / 12
    assert params["growth.agencies_per_month"] == pytest.approx(pace, abs=0.5)


def test_a_date_before_any_list_is_a_clear_error(built_db):
    with built_db.read() as conn, pytest.raises(funding.NoListError, match="no participating list published on"):
        funding.funding_inputs(conn, "2020-01-01")


def test_the_funding_figures_do_not_depend_on_how_many_draws_and_agencies_are_read_at_a_time(built_db, monkeypatch):
    """The model costs its draws in chunks and rolls agencies up a block of columns at a time to bound memory;
    the figures of every place are the same, to the dollar, whatever the chunk and block sizes."""
    import importlib

    from track287g.analyze.funding import rollup

    estimate_module = importlib.import_module("track287g.analyze.funding.estimate")

    with built_db.read() as conn:
        inputs = funding.funding_inputs(conn)
    params = funding.load_parameters()

    def places() -> dict:
        return funding.estimate(inputs, params, 2026, draws=300, with_agencies=True).places

    wide = places()
    monkeypatch.setattr(estimate_module, "CHUNK_CELLS", 7 * 1024)  # a few draws at a time
    monkeypatch.setattr(rollup, "BLOCK", 3)  # a few agencies' columns at a time
    narrow = places()
    assert narrow == wide
    assert len(wide["counties"]) > 100 and rollup.check_adds_up(narrow) == []

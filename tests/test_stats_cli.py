"""The stats, growth, timeseries, signings and chart commands, as a person runs them."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

CLI = [sys.executable, "-c", "from track287g.cli import main; main()"]


@pytest.fixture(scope="module")
def run(built_db_path):
    def call(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [*CLI, "--db", str(built_db_path), *args], capture_output=True, text=True, timeout=300, check=False
        )

    return call


def test_stats_says_what_it_counts_and_which_list(run):
    done = run("stats", "--as-of", "2026-01-26", "--by", "model")
    assert done.returncode == 0, done.stderr
    assert "1,147 agencies held 1,372 agreements, in 39 states (incl. DC) and 2 territories" in done.stdout
    assert "participatingAgencies01262026pm.xlsx" in done.stdout
    assert "TFM         764         764" in done.stdout


def test_stats_json_is_one_object_with_the_publication_and_integer_groups(run):
    result = json.loads(run("stats", "--as-of", "2026-01-26", "--by", "state", "--json").stdout)
    assert result["publication"]["sha256"].startswith("59091249c91a")
    fl = next(g for g in result["groups"] if g["state"] == "FL")
    assert fl == {"state": "FL", "agencies": 278, "agreements": 341}
    assert all(isinstance(g["agencies"], int) and isinstance(g["agreements"], int) for g in result["groups"])


def test_stats_by_type_uses_ices_type_column(run):
    result = json.loads(run("stats", "--as-of", "2026-01-26", "--by", "type", "--json").stdout)
    assert [g["type"] for g in result["groups"]] == ["county", "municipal", "state"]


def test_growth_prints_both_units_absolute_and_percent(run):
    done = run("growth", "2025-01-20", "2026-01-26")
    assert done.returncode == 0, done.stderr
    lines = [line.split() for line in done.stdout.splitlines()]
    assert ["agreements", "135", "1,372", "+1,237", "+916.3%"] in lines
    assert ["agencies", "133", "1,147", "+1,014", "+762.4%"] in lines
    assert "from: ICE's participating list published 2024-12-11" in done.stdout


def test_timeseries_and_signings_name_their_lists(run):
    done = run("timeseries", "--every", "week", "--since", "2026-01-19", "--until", "2026-02-01")
    assert "2026-W05" in done.stdout and "2026-01-30 am" in done.stdout
    done = run("signings", "--every", "month", "--since", "2026-01-01", "--until", "2026-01-31")
    assert "2026-01" in done.stdout and "2026-02-27 am" in done.stdout


def test_a_series_asked_from_a_date_after_the_latest_list_says_the_record_has_no_list_since_not_zero_rows(run):
    said = (
        "no participating list in the record published on or after 2026-03-01: its latest is of 2026-02-27 am, "
        "2 days before (ICE may have published more since)"
    )
    series = run("timeseries", "--since", "2026-03-01").stdout.splitlines()
    assert series[-2:] == [
        "0 rows; counts are of ICE's participating list named on each row (* = HTML-era table)",
        said,
    ]
    assert run("signings", "--since", "2026-03-01").stdout.splitlines()[-1] == said
    assert "no participating list" not in run("timeseries", "--since", "2026-02-27").stdout


def test_the_command_line_marks_what_the_record_cannot_know_yet(run):
    later = run("stats", "--as-of", "2030-01-01").stdout.splitlines()[0]
    assert later.startswith("On 2030-01-01, by the record's latest list, 1,404 days older (ICE may have listed")
    series = run("timeseries", "--since", "2026-01-01", "--until", "2026-12-31").stdout.splitlines()
    assert series[-1] == (
        "nothing after 2026-02: ICE's list of 2026-02-27 am is the record's latest, and what ICE listed since is "
        "not known"
    )
    signed = run("signings", "--every", "month", "--since", "2025-12-01", "--until", "2026-12-31").stdout
    assert "  2025-12   " in signed and "  2026-02 *" in signed and "2026-03" not in signed
    assert "* may still grow: it ends within 28 days before ICE's latest list in the record (2026-02-27 am)" in signed
    growth = run("growth", "2026-01-20", "2030-01-01").stdout.splitlines()[0]
    assert growth == (
        "From 2026-01-20 to 2030-01-01, by the record's latest list, 1,404 days older (ICE may have listed more since):"
    )
    covered = run("coverage", "--as-of", "2030-01-01").stdout.splitlines()[0]
    assert covered == (
        "ICE's participating list of 2026-02-27 am (the record's latest, 1,404 days before 2030-01-01: ICE may have "
        "listed more since)"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["stats", "--by", "county"], "error: --by must be one of state, model, type, kind, not 'county'"),
        (["stats", "--as-of", "2019-05-01"], "error: no list of 287(g) agreements is known for 2019-05-01: a gap"),
        (["stats", "--as-of", "yesterday"], "error: not a date: 'yesterday' (use YYYY-MM-DD)"),
        (["stats", "--state", "ZZ"], "error: unknown state 'ZZ'"),
        (["timeseries", "--every", "day"], "error: --every must be one of publication, week, month"),
        (["chart", "pie"], "error: unknown chart 'pie'"),
        (["growth", "2026-01-26", "2025-01-20"], "error: the start date 2026-01-26 is after the end date 2025-01-20"),
        (["timeseries", "--since", "2026-01-01", "--until", "2025-01-01"], "error: the start date 2026-01-01 is after"),
        (["signings", "--since", "2026-01-01", "--until", "2025-01-01"], "error: the start date 2026-01-01 is after"),
    ],
)
def test_bad_input_is_one_line_and_no_traceback(run, args, message):
    done = run(*args)
    assert done.returncode == 2
    assert done.stderr.startswith(message)
    assert "Traceback" not in done.stderr and done.stderr.strip().count("\n") == 0


def test_chart_renders_svg_and_png_offline(run, tmp_path):
    svg, png = tmp_path / "states.svg", tmp_path / "models.png"
    assert run("chart", "states", "--as-of", "2026-01-26", "--out", str(svg)).returncode == 0
    text = svg.read_text()
    assert text.startswith("<svg") and "States ranked by active 287(g) agreements" in text
    assert "2026-01-26 pm" in text and "1,372 agreements" in text
    assert run("chart", "models", "--out", str(png)).returncode == 0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_every_chart_renders(run, tmp_path):
    for name in ("signings", "units"):
        out = tmp_path / f"{name}.svg"
        done = run("chart", name, "--out", str(out))
        assert done.returncode == 0, done.stderr
        assert "<svg" in out.read_text()

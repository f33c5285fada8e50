"""A slip of the hand in a STATE cell: read as the one state it is a keystroke from, or held with one clear line.

ICE's lists carry transient typos in every column (``PENNSLYVANIA``, ``UTAHJ``); a new one in a STATE cell
must not stop the history. A name one keystroke (a swap, a dropped, doubled or mistyped letter) from one state
and at least three from every other is that state, kept beside what ICE printed with its rule; anything else
that names no state holds the list out of the history, the reason quoting the cell.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.conftest import HELD_OUT, PARTICIPATING, copy_db
from tests.helpers import edit_sheet, run_cli
from track287g.normalize.row import normalize_state
from track287g.store import connect
from track287g.store.schema import listing_row, publication, publication_hold, repair


@pytest.mark.parametrize(
    ("printed", "state"),
    [("TEXSA", "TX"), ("TRXAS", "TX"), ("TENNSESEE", "TN"), ("GEORFIA", "GA"), ("IOWQ", "IA"), ("Floirda", "FL")],
)
def test_a_state_name_one_keystroke_from_one_state_is_that_state_with_its_rule(printed, state):
    code, rule, flags = normalize_state(printed)
    assert code == state and rule is not None and rule.endswith("state-fuzzy") and flags == ["state-fuzzy"]


@pytest.mark.parametrize("printed", ["NOUTH DAKOTA", "ZZQX", "OIO", "KANSA5AS"])
def test_a_state_cell_a_slip_away_from_two_states_or_from_none_is_not_guessed(printed):
    assert normalize_state(printed)[0] is None


def state_cell(row: int, text: str):
    """An ``edit_sheet`` edit: the STATE cell (column A) of a row printed as ``text`` (an inline string)."""

    def edit(xml: bytes) -> bytes:
        cell = re.compile(rb'<c r="A%d"([^>]*?)(?:/>|>.*?</c>)' % row)
        attrs = re.sub(rb'\s+t="[^"]*"', b"", cell.search(xml).group(1))
        inline = b'<c r="A%d"%s t="inlineStr"><is><t>%s</t></is></c>' % (row, attrs, text.encode())
        return cell.sub(inline, xml, count=1)

    return edit


def _list_with_state(tmp_path, text: str):
    path = tmp_path / "typo" / HELD_OUT[0]
    path.parent.mkdir()
    path.write_bytes(edit_sheet((PARTICIPATING / HELD_OUT[0]).read_bytes(), state_cell(10, text)))
    return path


def test_a_list_with_a_new_slip_in_a_state_cell_goes_into_the_history_with_the_repair_beside_it(small_record, tmp_path):
    db_path = copy_db(small_record.base_db, tmp_path / "slip.db")
    done = run_cli("ingest", str(_list_with_state(tmp_path, "TEXSA")), db=db_path)
    assert done.returncode == 0, done.stderr
    assert "held:" not in done.stderr
    db = connect(str(db_path), create=False)
    with db.read() as conn:
        assert conn.execute(select(publication_hold)).first() is None
        fixed = conn.execute(
            select(listing_row.c.state, repair.c.raw, repair.c.rule)
            .join(repair, repair.c.row_id == listing_row.c.row_id)
            .where(repair.c.field == "state", repair.c.raw == "TEXSA")
        ).all()
        in_history = conn.execute(select(publication.c.seq).where(publication.c.published == "2026-02-09")).all()
    db.dispose()
    assert [tuple(r) for r in fixed] == [("TX", "TEXSA", "state-fuzzy")]
    assert in_history and all(seq is not None for (seq,) in in_history)


def test_a_list_with_a_state_cell_that_names_no_state_is_held_with_one_line_quoting_it(small_record, tmp_path):
    db_path = copy_db(small_record.base_db, tmp_path / "nostate.db")
    done = run_cli("ingest", str(_list_with_state(tmp_path, "ZZQX")), db=db_path)
    assert done.returncode == 4, done.stderr
    held = [line for line in done.stderr.splitlines() if line.startswith("held:")]
    assert len(held) == 1
    assert "1 row with a STATE that names no state ('ZZQX'): row 10" in held[0], held
    # the lead a person needs: the state the other lists print the same listing under, and where to say so
    lead = re.search(
        r"'ZZQX' is probably ([A-Z]{2}): other lists print the same agency, model and signing date", held[0]
    )
    assert lead and lead.group(1) == "AL", held  # Colbert County's sheriff, ALABAMA on every other list
    assert f"adds the line ZZQX,{lead.group(1)} to the package's data/fixes/state_typos.csv" in held[0]
    assert "history QA failed" not in done.stderr


def test_the_lead_for_a_state_cell_names_the_line_as_the_state_typos_read_it(small_record, tmp_path):
    """The state typos are read upper case with spaces squashed: the line to add is written so."""
    db_path = copy_db(small_record.base_db, tmp_path / "lower.db")
    done = run_cli("ingest", str(_list_with_state(tmp_path, "zz  qx ")), db=db_path)
    held = [line for line in done.stderr.splitlines() if line.startswith("held:")]
    assert "'zz  qx' is probably AL" in held[0] and "adds the line ZZ QX,AL to the package's" in held[0], held

"""Names' keys, corrected forms and kinds kept between runs (``track287g.memo``): read back by the next run of
the same code and data, never wrong, never in the way."""

from __future__ import annotations

import json
import marshal
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import copy_db
from tests.test_incremental import history_tables
from track287g import memo
from track287g.config import cache_file, code_digest
from track287g.resolve import names

NAMES = [
    ("Lee County Sheriff's Office", "FL"),
    ("Arkanss State Police", "AR"),
    ("Kershaw Co. Sheriff Dept", "SC"),
    ("East Baton Rouge Parish Sheriff's Office", "LA"),
]

# one run in its own process: read the file, work the names out, write it; report what it found and did
RUN = """
import json, sys
from track287g import memo
from track287g.normalize.agency_kind import agency_kind
from track287g.resolve import names
loaded = memo.load()
answers = [
    [names.name_key(n, s), names.corrected_name(n, s), agency_kind(names.corrected_name(n, s)[0], "county")]
    for n, s in json.loads(sys.argv[1])
]
worked_out = sorted(memo._ADDED)
print(json.dumps({"loaded": loaded, "worked_out": worked_out, "saved": memo.save(), "answers": answers}))
"""


def run(cache: Path | str, names=NAMES) -> dict:
    env = {**os.environ, "TRACK287G_CACHE": str(cache)}
    done = subprocess.run(
        [sys.executable, "-c", RUN, json.dumps(names)], capture_output=True, text=True, env=env, check=True
    )
    return json.loads(done.stdout)


def memo_files(folder: Path) -> list[Path]:
    """The memo's files in a cache folder (the word tables the names' rules read are kept beside them)."""
    return [p for p in folder.iterdir() if p.name.startswith(memo.PREFIX)]


def test_names_worked_out_by_one_run_are_read_back_by_the_next_with_the_same_answers(tmp_path):
    first = run(tmp_path)
    assert first["loaded"] == 0 and first["saved"] is True
    assert first["worked_out"] == [
        "track287g.normalize.agency_kind.agency_kind",
        "track287g.resolve.names.corrected_name",
        "track287g.resolve.names.name_key",
    ]
    kept = memo_files(tmp_path)
    assert len(kept) == 1
    written = kept[0].stat().st_mtime_ns
    second = run(tmp_path)
    assert second["loaded"] > 0 and second["worked_out"] == [] and second["saved"] is False
    assert second["answers"] == first["answers"]
    assert first["answers"][1][0][0] == "state police"  # "Arkanss" is Arkansas with a slip (worked out, then read)
    assert kept[0].stat().st_mtime_ns == written  # nothing new: the file is left as it was


# two runs in one process (as the watcher adds one list after another): what the tables hold after each save
LONG_LIVED = """
import json
from track287g import memo
from track287g.resolve import names
memo.load()
held = []
for name, state in (("Arkanss State Police", "AR"), ("Kershaw Co. Sheriff Dept", "SC")):
    names.name_key(name, state)
    memo.save()
    held.append(sorted(key[0] for key in memo._TABLES["track287g.resolve.names.name_key"]))
print(json.dumps(held))
"""


def test_a_long_lived_process_keeps_in_its_tables_only_what_its_last_run_used(tmp_path):
    env = {**os.environ, "TRACK287G_CACHE": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", LONG_LIVED], capture_output=True, text=True, env=env, check=True)
    assert json.loads(done.stdout) == [["Arkanss State Police"], ["Kershaw Co. Sheriff Dept"]]


def test_a_damaged_file_is_worked_out_again_and_replaced(tmp_path):
    first = run(tmp_path)
    (kept,) = memo_files(tmp_path)
    kept.write_bytes(b"\x00not marshal data")
    again = run(tmp_path)
    assert again["loaded"] == 0 and again["saved"] is True and again["answers"] == first["answers"]
    assert run(tmp_path)["loaded"] > 0


def test_the_file_of_other_code_or_data_is_never_read_and_is_removed_when_this_run_writes(tmp_path):
    other = tmp_path / "names-0123456789abcdef0123456789abcdef.cpython-311.marshal"
    other.write_bytes(b"anything")
    first = run(tmp_path)
    assert first["loaded"] == 0 and first["saved"] is True
    assert not other.exists() and len(memo_files(tmp_path)) == 1


def test_with_the_cache_folder_off_nothing_is_kept(tmp_path):
    first = run("off")
    assert first["loaded"] == 0 and first["saved"] is False
    assert first["answers"] == run(tmp_path)["answers"]


def test_the_word_tables_kept_in_the_cache_folder_are_those_read_afresh_and_a_damaged_file_is_read_again(
    tmp_path, monkeypatch
):
    monkeypatch.setenv("TRACK287G_CACHE", str(tmp_path))
    names._word_tables.cache_clear()
    try:
        first = names._word_tables()  # read from the Census table and the FBI roster, and kept
        (kept,) = tmp_path.iterdir()
        assert kept == cache_file("name-words")
        names._word_tables.cache_clear()
        again = names._word_tables()  # read back
        assert again is not first and again == first == names._read_word_tables()
        assert "hopewell" in again[1]["VA"] and "douglas" in again[0]["MO"] and "arkansas" in again[2]
        for damaged in ("[{", "[1, 2, 3]", "[[], {}, []]", "{}"):  # cut short, or of another shape
            kept.write_text(damaged, encoding="utf-8")
            names._word_tables.cache_clear()
            assert names._word_tables() == first
    finally:
        names._word_tables.cache_clear()


def test_a_history_built_from_names_and_typo_scores_read_back_is_the_one_built_working_them_out(small_record, tmp_path):
    """The same lists added to the same database, once with no cache folder and once with a file an earlier
    run of the same lists wrote (the names' keys, and each state's keys scored against each other by the typo
    rule): every history and enrich table the same."""
    warm = tmp_path / "warm"

    def ingest(cache: Path | str, name: str) -> Path:
        db = copy_db(small_record.base_db, tmp_path / f"{name}.db")
        env = {**os.environ, "TRACK287G_CACHE": str(cache)}
        cmd = [sys.executable, "-m", "track287g", "--db", str(db), "ingest", str(small_record.new)]
        done = subprocess.run(cmd, capture_output=True, text=True, env=env)
        assert done.returncode == 0, done.stderr
        return db

    ingest(warm, "filling")
    kept = [p for p in warm.iterdir() if p.name.startswith("names-")]
    assert [p.name[:6] for p in kept] == ["names-"]
    scored = marshal.loads(kept[0].read_bytes())["track287g.resolve.agencies._near"]
    assert len(scored) > 20  # one entry a state with two keys or more
    assert history_tables(ingest(warm, "warm")) == history_tables(ingest("off", "cold"))


def test_the_code_digest_follows_code_and_rules_but_not_the_bundled_lists_a_wheel_carries(tmp_path):
    package = tmp_path / "track287g"
    for path, text in {
        "names.py": "def f(): pass\n",
        "data/fixes/agency_words.csv": "word\ndepartment\n",
        "data/archive/ice/participating/list.xlsx": "ICE's bytes",
        "data/claims/claims.yaml": "- claim\n",
    }.items():
        (package / path).parent.mkdir(parents=True, exist_ok=True)
        (package / path).write_text(text)
    before = code_digest(package)
    (package / "data/archive/ice/participating/list.xlsx").write_text("another list")
    (package / "data/claims/claims.yaml").write_text("- another claim\n")
    (package / "data/archive/ice/pending").mkdir()
    (package / "data/archive/ice/pending/new.xlsx").write_text("new")
    assert code_digest(package) == before  # the bundled inputs are not what a kept result depends on
    (package / "data/fixes/agency_words.csv").write_text("word\ndepartment\noffice\n")
    after_rules = code_digest(package)
    assert after_rules != before
    (package / "names.py").write_text("def f(): return 1\n")
    assert code_digest(package) not in (before, after_rules)


def test_the_same_code_in_two_places_has_one_code_digest_and_a_renamed_module_another(tmp_path):
    for place in ("one", "two"):
        package = tmp_path / place / "track287g"
        (package / "history").mkdir(parents=True)
        (package / "history" / "build.py").write_text("def build(): pass\n")
        (package / "data" / "fixes").mkdir(parents=True)
        (package / "data" / "fixes" / "state_typos.csv").write_text("typo,state\n")
    one, two = tmp_path / "one" / "track287g", tmp_path / "two" / "track287g"
    assert code_digest(one) == code_digest(two)  # a history built by the one is this code's for the other
    (two / "history" / "build.py").rename(two / "history" / "built.py")
    assert code_digest(one) != code_digest(two)

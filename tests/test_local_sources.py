"""Finding the files to ingest on disk, with the provenance their MANIFEST.csv gives them."""

from __future__ import annotations

from pathlib import Path

from track287g.sources.local import find

ARCHIVE = Path(__file__).resolve().parents[1] / "data" / "archive"


def test_files_named_one_by_one_carry_the_same_manifest_rows_as_their_folder() -> None:
    whole = find([str(ARCHIVE)])
    by_path = {c.path.resolve(): c.manifest for c in whole.files}
    named = find([str(c.path) for c in whole.files])
    assert len(named.files) == len(whole.files) > 500
    assert all(c.manifest is not None for c in named.files)
    assert {c.path.resolve(): c.manifest for c in named.files} == by_path

"""The static site copies an asset or a download again when its bytes changed, even when its size did not."""

from __future__ import annotations

from pathlib import Path

from track287g.publish.static_site import _Writer


def _file(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_a_download_of_a_new_data_version_with_the_same_size_replaces_the_one_before(tmp_path):
    site = tmp_path / "site"
    name = "/downloads/files/agreements.csv"
    first = _Writer(site, {})
    first.copy(name, _file(tmp_path / "exports" / "a" / "agreements.csv", "last_listed\n2026-02-26\n"))
    assert first.written == 1
    newer = _file(tmp_path / "exports" / "b" / "agreements.csv", "last_listed\n2026-02-27\n")  # a day later
    second = _Writer(site, {"files": first.files})
    second.copy(name, newer)
    assert second.written == 1
    assert (site / "downloads" / "files" / "agreements.csv").read_text(encoding="utf-8").endswith("2026-02-27\n")
    third = _Writer(site, {"files": second.files})
    third.copy(name, newer)  # the same bytes: left as they are
    assert third.written == 0

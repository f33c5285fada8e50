"""The house as the README describes it: the "How it is built" table names every package and module of
``src/track287g`` once, and nothing else."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "track287g"


def table_rows() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## How it is built", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ") and not line.startswith("| layer")]
    return [re.findall(r"`([^`]+)`", row.split("|")[2])[0] for row in rows]


def test_the_readme_table_matches_the_packages_one_to_one():
    named = table_rows()
    assert len(named) == len(set(named)), "a package is named twice"
    parts = {p.name + "/" for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    parts |= {p.name for p in PACKAGE.glob("*.py") if p.name not in ("__init__.py", "__main__.py")}
    assert sorted(named) == sorted(parts)

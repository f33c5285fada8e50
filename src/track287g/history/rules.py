"""The thresholds of the resolve and history rules, read from ``data/rules.yaml``."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from track287g.config import PACKAGE_DATA
from track287g.errors import Track287gError

RULES = PACKAGE_DATA / "rules.yaml"


class RulesError(Track287gError):
    """The rules file is missing a value or has one of the wrong type."""


@dataclass(frozen=True)
class Rules:
    typo_min_ratio: float
    typo_margin: float
    typo_min_length: int
    handoff_min_ratio: float
    max_gap_publications: int
    suspect_drop_share: float
    suspect_min_rows: int
    redate_max_days: int
    approval_days_before: int
    approval_days_after: int

    def as_dict(self) -> dict:
        return dict(self.__dict__)


@cache
def load_rules(path: Path = RULES) -> Rules:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    flat: dict[str, Any] = {}
    for section in ("resolve", "history", "pending"):
        flat.update(data.get(section) or {})
    try:
        rules = Rules(**{name: flat[name] for name in Rules.__dataclass_fields__})
    except KeyError as exc:
        raise RulesError(f"{path}: missing value {exc.args[0]}") from None
    for name, value in rules.as_dict().items():
        if not isinstance(value, int | float) or value < 0:
            raise RulesError(f"{path}: {name} must be a non-negative number, not {value!r}")
    if not 0 < rules.suspect_drop_share < 1:
        raise RulesError(f"{path}: suspect_drop_share must be between 0 and 1")
    return rules

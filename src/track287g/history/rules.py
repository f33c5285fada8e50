"""The thresholds and rule tables of the resolve and history rules, read from ``data/rules.yaml``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from track287g.config import RULES, kept_or_made
from track287g.errors import Track287gError
from track287g.resolve.agencies import BodyRule


class RulesError(Track287gError):
    """The rules file is missing a value or has one of the wrong type."""


@dataclass(frozen=True)
class Rules:
    typo_min_ratio: float
    typo_margin: float
    typo_min_length: int
    handoff_min_ratio: float
    in_place_min_ratio: float
    max_gap_publications: int
    max_gap_days: int
    suspect_drop_share: float
    suspect_min_rows: int
    redate_max_days: int
    year_typo_max_days: int
    listing_lag_days: int
    approval_days_before: int
    approval_days_after: int
    same_body: tuple[BodyRule, ...] = ()

    def is_gap(self, absent: int, days: int) -> bool:
        """Whether a listing absent from ``absent`` sound lists, and listed again ``days`` days after the last
        list that printed it (or still absent that many days on), was only left out (not removed)."""
        return absent <= self.max_gap_publications or days <= self.max_gap_days

    def approves(self, first: date, last: date, listed: date) -> bool:
        """Whether an agreement first listed on ``listed`` falls in the window that makes it the approval of an
        application listed from ``first`` to ``last`` (``approval_days_before`` / ``approval_days_after``)."""
        return (first - listed).days <= self.approval_days_before and (listed - last).days <= self.approval_days_after

    def as_dict(self) -> dict:
        out = {k: v for k, v in self.__dict__.items() if k != "same_body"}
        out["same_body"] = [{"rule": b.name, "match": b.pattern.pattern, "as": b.replace} for b in self.same_body]
        return out


def _body_rules(path: Path, items: object) -> tuple[BodyRule, ...]:
    if items is None:
        return ()
    if not isinstance(items, list):
        raise RulesError(f"{path}: same_body must be a list of rules")
    out = []
    for i, item in enumerate(items, start=1):
        if not isinstance(item, dict) or not {"rule", "match", "as"} <= set(item):
            raise RulesError(f"{path}: same_body rule {i} needs rule, match and as")
        try:
            pattern = re.compile(str(item["match"]))
            pattern.sub(str(item["as"]), "")  # a bad group reference fails here, not in the middle of a build
        except (re.error, IndexError) as exc:
            raise RulesError(f"{path}: same_body rule {item['rule']!r}: {exc}") from None
        out.append(BodyRule(str(item["rule"]), pattern, str(item["as"]), str(item.get("note") or "")))
    return tuple(out)


@cache
def load_rules(path: Path = RULES) -> Rules:
    """The rules of this file (read once a process, and kept read in the cache folder: importing the YAML reader
    and reading the file cost 15 ms of every add). A bad file raises ``RulesError``."""
    return kept_or_made("rules", (path,), lambda: _read_rules(path), _kept_form, lambda kept: _from_kept(path, kept))


def _read_rules(path: Path) -> Rules:
    import yaml  # not at every add: the rules are kept read

    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    flat: dict[str, Any] = {}
    for section in ("resolve", "history", "pending"):
        flat.update(data.get(section) or {})
    return _rules(path, flat)


def _kept_form(rules: Rules) -> dict[str, Any]:
    """The rules as the cache folder keeps them: ``Rules.as_dict``, each ``same_body`` rule with its note."""
    out = rules.as_dict()
    out["same_body"] = [{**item, "note": b.note} for item, b in zip(out["same_body"], rules.same_body, strict=True)]
    return out


def _from_kept(path: Path, kept: Any) -> Rules:
    """The rules read back from the cache folder; a kept file of another shape raises ``ValueError`` (read the
    rules file again)."""
    if not isinstance(kept, dict):
        raise ValueError("kept rules are not a mapping")
    try:
        return _rules(path, dict(kept))
    except RulesError as exc:
        raise ValueError(str(exc)) from None


def _rules(path: Path, flat: dict[str, Any]) -> Rules:
    """The rules from their values, checked (``path`` names the file in an error)."""
    body = _body_rules(path, flat.pop("same_body", None))
    numbers = [name for name in Rules.__dataclass_fields__ if name != "same_body"]
    try:
        rules = Rules(**{name: flat[name] for name in numbers}, same_body=body)
    except KeyError as exc:
        raise RulesError(f"{path}: missing value {exc.args[0]}") from None
    for name in numbers:
        value = getattr(rules, name)
        if not isinstance(value, int | float) or value < 0:
            raise RulesError(f"{path}: {name} must be a non-negative number, not {value!r}")
    if not 0 < rules.suspect_drop_share < 1:
        raise RulesError(f"{path}: suspect_drop_share must be between 0 and 1")
    return rules

"""The funding model's parameters: load, validate and override them; pick a scenario.

A parameters file (YAML) has three sections. ``parameters`` holds nested groups whose leaves are entries
(``value``, ``unit``, ``source``, ``confidence``, optionally ``low``/``high``/``dist``/``note``/``as_of``); they
are addressed by dotted names such as ``officers.claim_percent``. ``calibration`` holds published totals the
model is checked against, entered the same way. ``scenarios`` change values by dotted name: a plain value pins
the parameter (taken as given, no longer drawn), ``{value, low, high}`` gives it a new range.

Every problem is a :class:`ParameterError` naming the key, so the command line can print it as one line.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from track287g.config import PACKAGE_DATA
from track287g.errors import Track287gError

DEFAULT_PARAMETERS = PACKAGE_DATA / "funding" / "parameters.yaml"
CONFIDENCE = ("high", "medium", "low")
DISTRIBUTIONS = ("triangular", "uniform")
ENTRY_FIELDS = {"value", "unit", "source", "confidence", "low", "high", "dist", "note", "as_of"}
SECTIONS = {"parameters", "calibration", "scenarios"}


class ParameterError(Track287gError, ValueError):
    """An invalid parameters file or scenario; the message names the key."""


@dataclass(frozen=True)
class Spec:
    """What a parameter may hold: its unit, its kind (number, date, text) and its bounds."""

    unit: str
    kind: str = "number"
    minimum: float | None = 0.0
    maximum: float | None = None
    nullable: bool = False
    choices: tuple[str, ...] = ()


PERCENT = Spec("percent", maximum=100.0)
SPECS: dict[str, Spec] = {
    "program.announced": Spec("date", kind="date"),
    "program.start": Spec("date", kind="date"),
    "offer.salary_benefits_percent": PERCENT,
    "offer.overtime_cap_percent": PERCENT,
    "offer.award_90_100": Spec("dollars per officer per quarter"),
    "offer.award_80_89": Spec("dollars per officer per quarter"),
    "offer.award_70_79": Spec("dollars per officer per quarter"),
    "offer.equipment_per_officer": Spec("dollars per officer"),
    "offer.vehicles_per_agency": Spec("dollars per agency"),
    "officers.mean_per_agency": Spec("officers per agency"),
    "officers.national_total": Spec("officers", nullable=True),
    "officers.cap_percent_of_sworn": Spec("percent", minimum=0.0, maximum=100.0),
    "officers.size_exponent": Spec("ratio", maximum=2.0),
    "officers.claim_percent": PERCENT,
    "officers.months_to_operational": Spec("months", maximum=60.0),
    "salary.bls_year": Spec("year", kind="choice", choices=("2024", "2025")),
    "salary.statistic": Spec("text", kind="choice", choices=("avg", "med")),
    "salary.national_fallback": Spec("dollars per year"),
    "salary.annual_growth_percent": Spec("percent per year", minimum=-20.0, maximum=100.0),
    "salary.seniority_factor": Spec("ratio", maximum=5.0),
    "benefits.percent_of_compensation": Spec("percent", maximum=99.0),
    "overtime.percent_of_salary": PERCENT,
    "awards.percent_90_100": Spec("percent of officer-quarters", maximum=100.0),
    "awards.percent_80_89": Spec("percent of officer-quarters", maximum=100.0),
    "awards.percent_70_79": Spec("percent of officer-quarters", maximum=100.0),
    "equipment.uptake_percent": PERCENT,
    "vehicles.agency_percent": PERCENT,
    "growth.agencies_per_month": Spec("agencies per month"),
    "monte_carlo.draws": Spec("count", minimum=1.0, maximum=1_000_000.0),
    "monte_carlo.seed": Spec("count"),
    "monte_carlo.percentile_low": PERCENT,
    "monte_carlo.percentile_high": PERCENT,
}
CALIBRATION_SPECS: dict[str, Spec] = {
    "dhs_trained_officers": Spec("officers"),
    "dhs_officers_in_training": Spec("officers"),
    "dhs_list_tfm_agencies": Spec("agencies"),
    "fwd_list_date": Spec("date", kind="date"),
    "fwd_agencies": Spec("agencies"),
    "fwd_officers_low": Spec("officers"),
    "fwd_officers_high": Spec("officers"),
    "fwd_paid_to_date": Spec("dollars"),
    "fwd_2026_low": Spec("dollars"),
    "fwd_2026_high": Spec("dollars"),
    "fwd_2027_total": Spec("dollars"),
    "fwd_2027_officers": Spec("officers"),
}
MEAN = "officers.mean_per_agency"
AWARD_SHARES = ("awards.percent_90_100", "awards.percent_80_89", "awards.percent_70_79")


@dataclass
class Entry:
    """One figure: its value, unit and source, and for uncertain figures the range the Monte Carlo draws from."""

    name: str
    value: Any
    unit: str
    source: str
    confidence: str
    low: float | None = None
    high: float | None = None
    dist: str = "triangular"
    note: str = ""
    as_of: str | None = None

    @property
    def uncertain(self) -> bool:
        return self.low is not None and self.high is not None and self.high > self.low

    @property
    def bounds(self) -> tuple[float, float]:
        """``(low, high)`` of a figure with a range; a ValueError for one without."""
        if self.low is None or self.high is None:
            raise ValueError(f"{self.name} has no range")
        return self.low, self.high

    def as_json(self) -> dict[str, Any]:
        out = {"value": self.value, "unit": self.unit, "source": self.source, "confidence": self.confidence}
        if self.low is not None:
            out |= {"low": self.low, "high": self.high, "dist": self.dist}
        if self.note:
            out["note"] = self.note
        if self.as_of:
            out["as_of"] = self.as_of
        return out


@dataclass
class Scenario:
    name: str
    description: str
    set: dict[str, Any]
    as_of: str | None = None


@dataclass
class Parameters:
    """A validated parameter set, with one scenario applied (``scenario``)."""

    entries: dict[str, Entry]
    calibration: dict[str, Entry]
    scenarios: dict[str, Scenario]
    scenario: str = "central"
    files: list[str] = field(default_factory=list)

    def __getitem__(self, name: str) -> Any:
        return self.entries[name].value

    def uncertain(self) -> list[Entry]:
        """Entries with a range; mean_per_agency drops out when a national officer total is set instead."""
        fixed_total = self.entries["officers.national_total"].value is not None
        return [e for e in self.entries.values() if e.uncertain and not (fixed_total and e.name == MEAN)]

    def with_values(self, values: dict[str, Any], label: str = "override") -> Parameters:
        """A copy with some values changed (each checked against its range and bounds)."""
        new = copy.deepcopy(self)
        for name, value in values.items():
            _apply_override(new.entries, name, value, label)
        _check_consistency(new.entries, label)
        return new

    def use(self, scenario: str) -> Parameters:
        """A copy with the named scenario applied."""
        if scenario not in self.scenarios:
            known = ", ".join(sorted(self.scenarios))
            raise ParameterError(f"scenario {scenario!r}: unknown (known: {known})")
        new = self.with_values(self.scenarios[scenario].set, f"scenarios.{scenario}")
        new.scenario = scenario
        return new

    def calibration_value(self, name: str) -> Any:
        return self.calibration[name].value

    def as_json(self) -> dict[str, Any]:
        return {name: e.as_json() for name, e in self.entries.items()}


def load_parameters(path: str | Path | None = None, scenario: str = "central") -> Parameters:
    """The bundled parameters, overridden entry by entry by the file at ``path`` if given, with ``scenario``."""
    base = _read(DEFAULT_PARAMETERS)
    entries, calibration, scenarios = _parse(base, str(DEFAULT_PARAMETERS.name), require_all=True)
    files = [str(DEFAULT_PARAMETERS)]
    to_check = set(scenarios)
    if path is not None:
        extra = _read(Path(path))
        more, more_cal, more_scen = _parse(extra, Path(path).name, require_all=False)
        entries |= more
        calibration |= more_cal
        scenarios |= more_scen
        files.append(str(path))
        _check_consistency(entries, Path(path).name)
        to_check = set(more_scen)  # a file's own scenarios; bundled ones are checked when used
    params = Parameters(entries, calibration, scenarios, files=files)
    for name in sorted(to_check):
        params.with_values(scenarios[name].set, f"scenarios.{name}")
    return params.use(scenario)


def _read(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ParameterError(f"{path}: cannot read ({exc.strerror or exc})") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise ParameterError(f"{path.name}: not valid YAML{where}") from None
    if not isinstance(data, dict):
        raise ParameterError(f"{path.name}: expected a mapping with 'parameters', 'calibration', 'scenarios'")
    return data


def _parse(
    data: dict[str, Any], label: str, require_all: bool
) -> tuple[dict[str, Entry], dict[str, Entry], dict[str, Scenario]]:
    for key in data:
        if key not in SECTIONS:
            raise ParameterError(f"{label}: {key}: unknown section (expected one of {', '.join(sorted(SECTIONS))})")
    entries: dict[str, Entry] = {}
    for name, raw in _flatten(data.get("parameters") or {}, "", label):
        if name not in SPECS:
            raise ParameterError(f"{label}: {name}: unknown parameter")
        entries[name] = _entry(name, raw, SPECS[name], label)
    calibration: dict[str, Entry] = {}
    for name, raw in (data.get("calibration") or {}).items():
        if name not in CALIBRATION_SPECS:
            raise ParameterError(f"{label}: calibration.{name}: unknown calibration figure")
        calibration[name] = _entry(name, raw, CALIBRATION_SPECS[name], label, prefix="calibration.")
    if require_all:
        missing = [n for n in SPECS if n not in entries] + [
            f"calibration.{n}" for n in CALIBRATION_SPECS if n not in calibration
        ]
        if missing:
            raise ParameterError(f"{label}: {missing[0]}: missing")
        _check_consistency(entries, label)
    scenarios = {}
    for name, raw in (data.get("scenarios") or {}).items():
        scenarios[str(name)] = _scenario(str(name), raw, label)
    return entries, calibration, scenarios


def _flatten(node: Any, prefix: str, label: str):
    if not isinstance(node, dict):
        raise ParameterError(f"{label}: {prefix.rstrip('.') or 'parameters'}: expected a mapping")
    for key, value in node.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and not set(value) & ENTRY_FIELDS:
            yield from _flatten(value, name + ".", label)
        else:
            yield name, value


def _entry(name: str, raw: Any, spec: Spec, label: str, prefix: str = "") -> Entry:
    key = f"{label}: {prefix}{name}"
    if not isinstance(raw, dict):
        raise ParameterError(f"{key}: expected an entry with value, unit, source and confidence")
    for f in raw:
        if f not in ENTRY_FIELDS:
            raise ParameterError(f"{key}: unknown field {f!r}")
    for f in ("value", "unit", "source", "confidence"):
        if f not in raw:
            raise ParameterError(f"{key}: missing {f}")
    if not isinstance(raw["source"], str) or not raw["source"].strip():
        raise ParameterError(f"{key}: missing source (every figure needs one)")
    if raw["unit"] != spec.unit:
        raise ParameterError(f"{key}: unit must be {spec.unit!r}, not {raw['unit']!r}")
    if raw["confidence"] not in CONFIDENCE:
        raise ParameterError(f"{key}: confidence must be one of {', '.join(CONFIDENCE)}, not {raw['confidence']!r}")
    dist = raw.get("dist", "triangular")
    if dist not in DISTRIBUTIONS:
        raise ParameterError(f"{key}: dist must be one of {', '.join(DISTRIBUTIONS)}, not {dist!r}")
    entry = Entry(
        name=name,
        value=_coerce(key, raw["value"], spec),
        unit=spec.unit,
        source=raw["source"].strip(),
        confidence=raw["confidence"],
        dist=dist,
        note=str(raw.get("note") or ""),
        as_of=_date_text(key + ".as_of", raw["as_of"]) if raw.get("as_of") is not None else None,
    )
    _set_range(entry, key, raw.get("low"), raw.get("high"), spec)
    return entry


def _set_range(entry: Entry, key: str, low: Any, high: Any, spec: Spec) -> None:
    if low is None and high is None:
        entry.low = entry.high = None
        return
    if low is None or high is None:
        raise ParameterError(f"{key}: give both low and high, or neither")
    if spec.kind != "number":
        raise ParameterError(f"{key}: a {spec.unit} cannot have a range")
    entry.low = _coerce(key + ".low", low, spec)
    entry.high = _coerce(key + ".high", high, spec)
    if entry.value is None:
        raise ParameterError(f"{key}: a range needs a value")
    if not entry.low <= entry.value <= entry.high:
        raise ParameterError(f"{key}: value {entry.value:g} is outside its range {entry.low:g}-{entry.high:g}")


def _coerce(key: str, value: Any, spec: Spec) -> Any:
    if value is None:
        if spec.nullable:
            return None
        raise ParameterError(f"{key}: a value is required")
    if spec.kind == "date":
        return _date_text(key, value)
    if spec.kind == "choice":
        text = str(value)
        if text not in spec.choices:
            raise ParameterError(f"{key}: must be one of {', '.join(spec.choices)}, not {text!r}")
        return text
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ParameterError(f"{key}: must be a number, not {value!r}")
    if spec.minimum is not None and value < spec.minimum:
        what = "negative" if spec.minimum == 0 else f"below {spec.minimum:g}"
        raise ParameterError(f"{key}: must not be {what} (got {value:g})")
    if spec.maximum is not None and value > spec.maximum:
        if spec.unit.startswith("percent") and spec.maximum == 100:
            raise ParameterError(f"{key}: {value:g} is over 100 percent")
        raise ParameterError(f"{key}: must not be over {spec.maximum:g} (got {value:g})")
    return float(value) if isinstance(value, float) else int(value)


def _date_text(key: str, value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return dt.date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise ParameterError(f"{key}: expected a date YYYY-MM-DD, not {value!r}") from None


def _scenario(name: str, raw: Any, label: str) -> Scenario:
    key = f"{label}: scenarios.{name}"
    if not isinstance(raw, dict):
        raise ParameterError(f"{key}: expected a mapping with description and set")
    for f in raw:
        if f not in ("description", "set", "as_of"):
            raise ParameterError(f"{key}: unknown field {f!r}")
    values = raw.get("set") or {}
    if not isinstance(values, dict):
        raise ParameterError(f"{key}.set: expected a mapping of parameter names to values")
    for pname in values:
        if pname not in SPECS:
            raise ParameterError(f"{key}.set.{pname}: unknown parameter")
    as_of = _date_text(key + ".as_of", raw["as_of"]) if raw.get("as_of") is not None else None
    return Scenario(name, str(raw.get("description") or ""), dict(values), as_of)


def _apply_override(entries: dict[str, Entry], name: str, value: Any, label: str) -> None:
    key = f"{label}: {name}"
    if name not in SPECS:
        raise ParameterError(f"{key}: unknown parameter")
    spec = SPECS[name]
    entry = entries[name]
    if isinstance(value, dict):
        for f in value:
            if f not in ("value", "low", "high"):
                raise ParameterError(f"{key}: a scenario may set value, low and high only, not {f!r}")
        entry.value = _coerce(key, value.get("value", entry.value), spec)
        if "low" in value or "high" in value:
            _set_range(entry, key, value.get("low"), value.get("high"), spec)
            return
        if entry.low is not None and entry.value is not None and not entry.low <= entry.value <= entry.high:
            raise ParameterError(f"{key}: value {entry.value:g} is outside its range {entry.low:g}-{entry.high:g}")
    else:  # a plain value pins the parameter: the scenario takes it as given, the Monte Carlo no longer varies it
        entry.value = _coerce(key, value, spec)
        entry.low = entry.high = None


def _check_consistency(entries: dict[str, Entry], label: str) -> None:
    """Rules that tie parameters together."""
    cap = entries["offer.overtime_cap_percent"].value if "offer.overtime_cap_percent" in entries else 100
    ot = entries.get("overtime.percent_of_salary")
    if ot is not None and max(ot.value, ot.high or 0) > cap:
        raise ParameterError(f"{label}: overtime.percent_of_salary: over the offer's cap of {cap:g} percent")
    shares = [entries[n].value for n in AWARD_SHARES if n in entries]
    if sum(shares) > 100:
        raise ParameterError(f"{label}: awards.percent_90_100: award tiers add up to {sum(shares):g}, over 100 percent")
    lo, hi = entries.get("monte_carlo.percentile_low"), entries.get("monte_carlo.percentile_high")
    if lo is not None and hi is not None and lo.value >= hi.value:
        raise ParameterError(f"{label}: monte_carlo.percentile_low: must be below percentile_high")

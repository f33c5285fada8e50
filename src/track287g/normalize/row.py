"""Normalize one row as printed into clean values plus the repairs that produced them."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from track287g.normalize import tables
from track287g.normalize.dates import normalize_signed
from track287g.normalize.text import needs_case_fix, smart_title, squash, straight_quotes
from track287g.parse.links import unwrap
from track287g.parse.workbook import RawRow

NA_VALUES = {"#NA", "#N/A", "N/A", "NA", "#VALUE!", "#REF!"}
FUZZY_STATE_MIN = 88
KEYSTROKE_MIN_LETTERS = 4  # a state name this long or longer, one keystroke off one state and no other, is it


@dataclass
class NormalizedRow:
    state: str | None = None
    state_fips: str | None = None
    agency: str | None = None
    agency_type: str | None = None
    county: str | None = None
    model: str | None = None
    signed: str | None = None
    signed_status: str = "absent"
    moa_status: str = "absent"
    moa_url: str | None = None
    addendum_status: str = "absent"
    addendum_url: str | None = None
    repairs: dict[str, tuple[str | None, str | None, str]] = field(default_factory=dict)  # field->(raw,value,rule)
    flags: list[str] = field(default_factory=list)


@lru_cache(maxsize=1 << 16)
def row_id(raw: RawRow) -> str:
    """A content hash of the row as printed: the same printed row always has the same id."""
    text = "\x1f".join("\x00" if v is None else v for v in raw)
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def _trimmed(raw: str) -> tuple[str, list[str]]:
    clean = squash(raw)
    return clean, (["trim-space"] if clean != raw else [])


@lru_cache(maxsize=4096)
def normalize_state(raw: str) -> tuple[str | None, str | None, list[str]]:
    """(USPS code, rule, flags) for a STATE cell."""
    clean, rules = _trimmed(raw)
    key = clean.upper()
    if key != clean:
        rules.append("state-case")
    if not key:
        return None, None, ["state-missing"]
    code = tables.state_by_name().get(key)
    if code is None and key in tables.state_typos():
        code = tables.state_typos()[key]
        rules.append("state-typo")
    if code is None and key in tables.states():
        code = key
        rules.append("state-code")
    if code is None:
        names = list(tables.state_by_name())
        best = process.extract(key, names, scorer=fuzz.ratio, limit=2)
        slip = _one_keystroke(key, names)
        if slip or (best and best[0][1] >= FUZZY_STATE_MIN and (len(best) == 1 or best[1][1] < best[0][1] - 5)):
            code = tables.state_by_name()[slip or best[0][0]]
            rules.append("state-fuzzy")
            return code, "+".join(rules), ["state-fuzzy"]
        return None, "+".join(rules) or None, ["state-unknown"]
    return code, "+".join(rules) or None, []


def _one_keystroke(key: str, names: list[str]) -> str | None:
    """The one state name a slip of one keystroke away (two letters swapped, one dropped, doubled or mistyped),
    when no other state name is within two keystrokes of the printed text (``NORTH``/``SOUTH CAROLINA`` stay
    apart)."""
    if sum(c.isalpha() for c in key) < KEYSTROKE_MIN_LETTERS:
        return None
    near = [(OSA.distance(key, n, score_cutoff=2), n) for n in names]
    ones = [n for d, n in near if d <= 1]
    twos = [n for d, n in near if d == 2]
    return ones[0] if len(ones) == 1 and not twos else None


@lru_cache(maxsize=1024)
def normalize_model(raw: str) -> tuple[str | None, str | None, list[str]]:
    clean, rules = _trimmed(raw)
    if not clean:
        return None, None, ["model-missing"]
    found = tables.models().get(clean.upper())
    if found is None:
        return None, "+".join(rules) or None, ["model-unknown"]
    model, rule = found
    if rule != "model-name":
        rules.append(rule)
    return model, "+".join(rules) or None, []


@lru_cache(maxsize=1024)
def normalize_type(raw: str) -> tuple[str | None, str | None, list[str]]:
    clean, rules = _trimmed(raw)
    if not clean:
        return None, None, ["type-missing"]
    found = tables.agency_types().get(clean.upper())
    if found is None:
        return None, "+".join(rules) or None, ["type-unknown"]
    value, rule = found
    if rule != "type-name":
        rules.append(rule)
    return value, "+".join(rules) or None, ([] if value else ["type-missing"])


@lru_cache(maxsize=8192)
def normalize_county(raw: str) -> tuple[str | None, str | None, list[str]]:
    clean, rules = _trimmed(raw)
    if not clean:
        return None, None, []
    if clean.upper() in NA_VALUES:
        return None, "county-na", []
    if needs_case_fix(clean):
        clean = smart_title(clean)
        rules.append("county-case")
    return clean, "+".join(rules) or None, []


@lru_cache(maxsize=16384)
def normalize_name(raw: str) -> tuple[str | None, str | None, list[str]]:
    clean, rules = _trimmed(raw)
    if not clean:
        return None, None, ["agency-missing"]
    quoted = straight_quotes(clean)
    if quoted != clean:
        rules.append("straight-quotes")
    punct = squash(quoted.replace(" ,", ",")).strip(" ,;")
    if punct != quoted:
        rules.append("punctuation")
    if " " in punct and needs_case_fix(punct):
        punct = smart_title(punct)
        rules.append("name-case")
    return punct, "+".join(rules) or None, []


def _link(text: str | None, target: str | None) -> tuple[str, str | None, list[str]]:
    """(status, unwrapped URL, flags) of an MOA / ADDENDUM cell."""
    if text is None:
        return "absent", None, []
    clean = squash(text).lower()
    url = unwrap(target)
    if clean.startswith("http"):
        return "link", url or unwrap(squash(text)), []
    if clean.startswith("link pending"):
        return "pending", url, []
    if clean.startswith("link"):
        return "link", url, ([] if url else ["link-without-target"])
    if not clean:
        return ("link" if url else "none"), url, []
    return "unknown", url, ["link-text-unknown"]


def normalize_row(raw: RawRow) -> NormalizedRow:
    """Normalize one printed row. Pure: the same raw row always gives the same result."""
    out = NormalizedRow()

    def take(field_name: str, raw_value: str | None, result: tuple[str | None, str | None, list[str]]):
        value, rule, flags = result
        if rule:
            out.repairs[field_name] = (raw_value, value, rule)
        out.flags.extend(flags)
        return value

    if raw.state is not None:
        out.state = take("state", raw.state, normalize_state(raw.state))
        if out.state:
            out.state_fips = tables.states()[out.state]["fips"]
    if raw.agency is not None:
        out.agency = take("agency", raw.agency, normalize_name(raw.agency))
    if raw.type is not None:
        out.agency_type = take("type", raw.type, normalize_type(raw.type))
    if raw.county is not None:
        out.county = take("county", raw.county, normalize_county(raw.county))
    if raw.support is not None:
        out.model = take("model", raw.support, normalize_model(raw.support))
    signed, out.signed_status, rule = normalize_signed(raw.signed)
    if out.signed_status == "invalid":
        out.flags.append("date-invalid")
        out.repairs["signed"] = (raw.signed, None, "date-invalid")
    elif rule:
        out.repairs["signed"] = (raw.signed, signed, rule)
    elif out.signed_status == "missing":
        out.flags.append("date-missing")
    out.signed = signed
    out.moa_status, out.moa_url, flags = _link(raw.moa, raw.moa_target)
    out.flags.extend(flags)
    out.addendum_status, out.addendum_url, flags = _link(raw.addendum, raw.addendum_target)
    out.flags.extend("addendum-" + f for f in flags)
    if raw.moa and "addendum" in raw.moa.lower() and out.addendum_status in ("absent", "none"):
        out.flags.append("addendum-in-moa-cell")
    return out

"""Query parameters: each endpoint names the ones it takes; anything else, or a bad value, is a 400 that says
what would have been accepted."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from track287g import checks
from track287g.enrich import STANCES
from track287g.errors import NotFound, QueryError
from track287g.i18n import N_

MAX_PER_PAGE = 5000
DEFAULT_PER_PAGE = 100
MAX_TEXT = 200


class BadRequest(QueryError):
    """A request the site cannot answer as asked: a 400 with this message."""


def _state(v: str) -> str:
    return checks.state(v) or ""


def _choice(*options: str) -> Callable[[str], str]:
    def check(v: str) -> str:
        value = v.strip()
        if value not in options:
            value_up = value.upper()
            if value_up in options:
                return value_up
            raise BadRequest(N_("{value!r} is not one of: {options}"), value=v, options=", ".join(options))
        return value

    return check


MAX_STATES = 4


def _states(v: str) -> tuple[str, ...]:
    """Up to four USPS codes, comma- or space-separated ("TX,FL"), each once, in the order given."""
    codes: list[str] = []
    for part in v.replace(",", " ").split():
        code = checks.state(part) or ""
        if code not in codes:
            codes.append(code)
    if len(codes) > MAX_STATES:
        raise BadRequest(N_("compare at most {most} states (got {given})"), most=MAX_STATES, given=len(codes))
    return tuple(codes)


def _date(v: str) -> str:
    return checks.day(v).isoformat()


def _int(low: int, high: int, what: str) -> Callable[[str], int]:
    return lambda v: checks.whole_number(v, low, high, what)


def _number(low: float, high: float, what: str) -> Callable[[str], str]:
    """A number from ``low`` to ``high`` (a funding scenario's field), kept as text for the model to read."""

    def check(v: str) -> str:
        try:
            number = float(v)
        except ValueError:
            raise BadRequest(N_("{what}: {value!r} is not a number"), what=what, value=v) from None
        if not low <= number <= high:
            raise BadRequest(N_("{what} must be between {low} and {high}, not {value}"), what=what, low=low,
                             high=high, value=v)  # fmt: skip
        return v.strip()

    return check


def _text(v: str) -> str:
    value = " ".join(v.split())
    if len(value) > MAX_TEXT:
        raise BadRequest(N_("text parameters are limited to {limit} characters"), limit=MAX_TEXT)
    return value


MODELS = ("JEM", "TFM", "WSO")
SCENARIO_MAX = {"officers": 100_000, "claim": 100, "overtime": 25, "growth": 100_000}
CHECKS: dict[str, Callable[[str], Any]] = {
    "state": _state,
    "model": _choice(*MODELS),
    "status": _choice("active", "removed", "pending", "withdrawn", "superseded"),
    "type": _text,  # checked against the endpoint's own list below
    "kind": _text,
    "q": _text,
    "as_of": _date,
    "on": _date,
    "since": _date,
    "page": _int(1, 1_000_000, "page"),
    "per_page": _int(1, MAX_PER_PAGE, "per_page"),
    "by": _choice("state", "model", "type", "kind"),
    "year": _int(2000, 2100, "year"),
    "agency": _text,
    "agreement": _text,
    "states": _states,
    "stance": _choice(*STANCES),
    "county": _text,
    "basis": _choice("calendar", "fiscal"),
    # the funding scenario's fields: bounded here, read by the model (track287g.analyze.funding.lookup)
    "officers": _number(0, SCENARIO_MAX["officers"], "officers"),
    "claim": _number(0, SCENARIO_MAX["claim"], "claim"),
    "overtime": _number(0, SCENARIO_MAX["overtime"], "overtime"),
    "award": _choice("none", "70", "80", "90"),
    "growth": _number(0, SCENARIO_MAX["growth"], "growth"),
}


def parse(
    query: Mapping[str, str], allowed: dict[str, tuple[str, ...] | None], empty_is_absent: bool = True
) -> dict[str, Any]:
    """Validated parameters: ``allowed`` maps each name to its permitted values (None: the general check).
    Empty values count as absent (a page's form submitted with "any"), or, with ``empty_is_absent=False`` (the
    JSON API, whose OpenAPI document declares no empty value), are a 400."""
    out: dict[str, Any] = {}
    if not query:  # most addresses come with none
        return out
    for key in query:
        if key not in allowed:
            names = ", ".join(sorted(allowed)) or "none"
            raise BadRequest(N_("unknown parameter {key!r} (this address takes: {names})"), key=key, names=names)
    for key, options in allowed.items():
        raw = query.get(key)
        if key == "states" and key in query and hasattr(query, "getlist"):  # one select per state: states=TX&states=FL
            raw = ",".join(query.getlist(key))
        if raw is None:
            continue
        if raw.strip() == "":
            if empty_is_absent:
                continue
            raise BadRequest(N_("{key} is empty (leave it out to mean any)"), key=key)
        if options is not None:
            value = raw.strip()
            if value not in options:
                raise BadRequest(
                    N_("{key} must be one of: {options} (not {value!r})"),
                    key=key,
                    options=", ".join(options),
                    value=raw,
                )
            out[key] = value
        else:
            out[key] = CHECKS[key](raw)
    return out


def page_of(items: list, params: dict, default: int = DEFAULT_PER_PAGE) -> tuple[list, dict]:
    """One page of ``items`` and the paging facts (page, per_page, total, pages)."""
    per_page = params.get("per_page", default)
    page = params.get("page", 1)
    total = len(items)
    pages = max(1, -(-total // per_page))
    if page > pages:  # the page does not exist: a 404, as the OpenAPI document says
        raise NotFound(
            N_("page {page} is past the last page ({pages}) at {per_page} per page"),
            page=page,
            pages=pages,
            per_page=per_page,
        )
    return items[(page - 1) * per_page : page * per_page], {
        "page": page,
        "per_page": per_page,
        "total": total,
        "pages": pages,
    }

"""A reader's arithmetic, worked through with the funding model's parameters.

An ``arithmetic`` claim lists the sums a text does (the blog repost's comment: "Call that $25K", "$77k per
officer", "a minimum of $195M for 850 deportations"), each with the parts of ICE's offer it seems to cover::

    items:
      - id: salary-per-officer
        quote: "(that's $77k per officer)"
        value: 77000
        covers: [salary_benefits, overtime_cap]     # the parts, priced from data/funding/parameters.yaml
        per: officer                                # officer | agreement
      - id: minimum-total
        value: 195000000
        covers: [salary_benefits, overtime_cap, equipment, awards_max, vehicles]
        per: agreement
        count: {terms: [296, 342, 63, 58, 52, 35], claimed: 850}   # the text's own count, re-added

Each part is priced at the offer's maximum (what "up to" allows) and at the model's central assumptions, for
one officer at the national mean wage (BLS, ``salary.national_fallback``). The verdict compares the text's
figure with the maximum.
"""

from __future__ import annotations

from typing import Any

from track287g.analyze.claims.counts import DEFAULT_TOLERANCE, Claim, ClaimError, verdict
from track287g.messages import message

PARTS = ("salary", "salary_benefits", "overtime_cap", "equipment", "awards_max", "vehicles")
QUARTERS = 4


def prices(params: Any) -> dict[str, dict[str, float]]:
    """Each part of the offer for one officer-year (vehicles: one agency), at the maximum and at the central
    assumptions, from the funding parameters."""
    wage = float(params["salary.national_fallback"])
    load = (params["offer.salary_benefits_percent"] / 100) / (1 - params["benefits.percent_of_compensation"] / 100)
    shares = [params[f"awards.percent_{t}"] / 100 for t in ("90_100", "80_89", "70_79")]
    amounts = [params[f"offer.award_{t}"] for t in ("90_100", "80_89", "70_79")]
    return {
        "salary": {"max": wage, "central": wage},
        "salary_benefits": {"max": wage * load, "central": wage * load},
        "overtime_cap": {
            "max": wage * params["offer.overtime_cap_percent"] / 100,
            "central": wage * params["overtime.percent_of_salary"] / 100,
        },
        "equipment": {
            "max": float(params["offer.equipment_per_officer"]),
            "central": params["offer.equipment_per_officer"] * params["equipment.uptake_percent"] / 100,
        },
        "awards_max": {
            "max": QUARTERS * float(params["offer.award_90_100"]),
            "central": QUARTERS * sum(s * a for s, a in zip(shares, amounts, strict=True)),
        },
        "vehicles": {
            "max": float(params["offer.vehicles_per_agency"]),
            "central": params["offer.vehicles_per_agency"] * params["vehicles.agency_percent"] / 100,
        },
    }


def check(claim: Claim, params: Any = None) -> list[dict[str, Any]]:
    """One row per item of an arithmetic claim: the text's figure, the parts priced, the difference."""
    if params is None:
        from track287g.analyze.funding import load_parameters

        params = load_parameters()
    items = claim.spec.get("items")
    if not isinstance(items, list) or not items:
        raise ClaimError("an arithmetic claim needs a list of items")
    priced = prices(params)
    wage = priced["salary"]["max"]
    rows = []
    for n, item in enumerate(items, 1):
        if not isinstance(item, dict) or "value" not in item or "covers" not in item:
            raise ClaimError(f"item {n}: needs a value and the parts it covers")
        covers = [str(c) for c in item["covers"]]
        unknown = [c for c in covers if c not in PARTS]
        if unknown:
            raise ClaimError(f"item {n}: unknown part {unknown[0]!r} (use {', '.join(PARTS)})")
        claimed = float(item["value"])
        count = 1
        notes = []
        counted = item.get("count")
        if isinstance(counted, dict):
            terms = [int(t) for t in counted.get("terms", [])]
            count = sum(terms) if terms else int(counted.get("claimed", 1))
            notes.append(
                message(
                    "claims.arithmetic.count",
                    terms=" + ".join(str(t) for t in terms),
                    total=count,
                    claimed=int(counted.get("claimed", count)),
                )
            )
        per_max = sum(priced[c]["max"] for c in covers)
        per_central = sum(priced[c]["central"] for c in covers)
        model_max, model_central = per_max * count, per_central * count
        if item.get("per", "officer") == "officer" and abs(claimed - wage) <= wage * DEFAULT_TOLERANCE:
            notes.append(message("claims.arithmetic.wage-alone", claimed_usd=claimed, wage_usd=wage))
        for extra in item.get("unchecked") or []:
            notes.append(message(f"claims.arithmetic.unchecked.{extra}"))
        rows.append(
            {
                "date": claim.on.isoformat() if claim.on else None,
                "figure": n,
                "item": str(item.get("id") or n),
                "item_quote": str(item.get("quote") or ""),
                "unit": "dollars",
                "per": str(item.get("per", "officer")),
                "count": count,
                "claimed": claimed,
                "actual": round(model_max),
                "model_central": round(model_central),
                "parts": [
                    {"part": c, "max_usd": round(priced[c]["max"]), "central_usd": round(priced[c]["central"])}
                    for c in covers
                ],
                "difference": round(claimed - model_max),
                "difference_percent": round((claimed - model_max) / model_max * 100, 1) if model_max else None,
                "verdict": verdict(model_max, claimed, "exact", DEFAULT_TOLERANCE),
                "tolerance": DEFAULT_TOLERANCE,
                "notes": notes,
                "error": None,
            }
        )
    return rows

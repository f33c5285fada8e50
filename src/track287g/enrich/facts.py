"""What the enrich stage knows about one agency: its ORI, officers, population served and county; and what its
state's law on 287(g) says (read through plain SQL too, for the command line's quick path)."""

from __future__ import annotations

from typing import Any

from track287g.store.sql import Conn, first, has_table, rows

FACT_KEYS = (
    "ori",
    "match_method",
    "match_score",
    "match_note",
    "roster_name",
    "roster_type",
    "sworn_officers",
    "civilians",
    "population_served",
    "roster_year",
    "latitude",
    "longitude",
    "county_fips",
    "county_name",
    "county_rule",
    "county_level",
    "counties",
)


def agency_facts(conn: Conn, agency_id: str) -> dict[str, Any]:
    """ORI, match method and score, roster name, sworn officers, civilians, population served (FBI LEE 2025),
    latitude/longitude (UCR 2021), county FIPS and name, for one agency. Every value is None when the agency
    is unknown or the enrich stage has not run; ``counties`` lists every county the agency serves."""
    row = first(
        conn,
        """
        SELECT m.ori, m.method, m.score, m.note, m.county_fips, m.county_rule, m.county_level,
               r.name AS roster_name, r.roster_type, r.sworn, r.civilians, r.population, r.data_year,
               r.latitude, r.longitude, c.name AS county_name
        FROM agency_match m
        LEFT JOIN roster_agency r ON r.ori = m.ori
        LEFT JOIN county c ON c.fips = m.county_fips
        WHERE m.agency_id = :id
        """,
        {"id": agency_id},
    )
    if row is None:
        return dict.fromkeys(FACT_KEYS) | {"counties": []}
    counties = rows(
        conn,
        "SELECT ac.fips, c.name FROM agency_county ac LEFT JOIN county c ON c.fips = ac.fips "
        "WHERE ac.agency_id = :id ORDER BY ac.rank",
        {"id": agency_id},
    )
    return {
        "ori": row["ori"],
        "match_method": row["method"],
        "match_score": row["score"],
        "match_note": row["note"],
        "roster_name": row["roster_name"],
        "roster_type": row["roster_type"],
        "sworn_officers": row["sworn"],
        "civilians": row["civilians"],
        "population_served": row["population"],
        "roster_year": row["data_year"],
        "latitude": row["latitude"],
        "longitude": row["longitude"],
        "county_fips": row["county_fips"],
        "county_name": row["county_name"],
        "county_rule": row["county_rule"],
        "county_level": bool(row["county_level"]),
        "counties": counties,
    }


def state_law_of(conn: Conn, code: str) -> dict[str, Any] | None:
    """A state's row of the state-law table, with ``unverified`` set when so marked; None when the state was not
    researched or the database predates the table."""
    if not has_table(conn, "state_law"):
        return None
    row = first(conn, "SELECT * FROM state_law WHERE state = :s", {"s": code})
    return row | {"unverified": row["confidence"] == "unverified"} if row is not None else None

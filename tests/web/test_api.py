"""The API against its own OpenAPI document: every path answers, every declared parameter is accepted, nothing
undeclared is, errors match the Error schema, CSV variants parse, pages and ETags work."""

from __future__ import annotations

import csv
import io

import pytest

EXAMPLES = {
    "sha256": "participatingAgencies01262026pm.xlsx",
    "agency_id": "GA-walker-county-sheriffs-office",
    "date": "2025-12-31",
    "code": "TX",
}
VALUES = {
    "state": "TX",
    "model": "TFM",
    "as_of": "2025-12-31",
    "on": "2025-12-31",
    "since": "2026-01-01",
    "page": "1",
    "per_page": "5",
    "q": "county",
    "states": "TX,FL",
    "kind": None,
    "by": "model",
    "year": "2026",
    "agency": "GA-walker-county-sheriffs-office",
    "type": None,
    "status": None,
    "county": "12071",
    "officers": None,  # the funding scenario's fields: tests/web/test_money_and_claims.py
    "claim": None,
    "overtime": None,
    "growth": None,
    "agreement": None,  # an agreement id: tests/web/test_documents.py
}


@pytest.fixture(scope="module")
def spec(client) -> dict:
    r = client.get("/api/v1/openapi.json")
    assert r.status_code == 200
    return r.json()


DOCUMENT = "2224ea63d1e6"  # data/archive/moa/287gJEM_CalhounCoTX_03-13-2020.pdf (a sha256 prefix)


def concrete(path: str) -> str:
    if path.startswith("/api/v1/documents/"):
        path = path.replace("{sha256}", DOCUMENT)
    for name, value in EXAMPLES.items():
        path = path.replace("{" + name + "}", value)
    return path


def test_openapi_document_is_well_formed(spec):
    assert spec["openapi"].startswith("3.")
    assert spec["info"]["title"] and spec["info"]["version"]
    assert "/api/v1/agencies" in spec["paths"] and "/api/v1/agencies.csv" in spec["paths"]
    ids = [op["operationId"] for item in spec["paths"].values() for op in item.values()]
    assert len(ids) == len(set(ids))
    for item in spec["paths"].values():
        for op in item.values():
            assert {"200", "400", "404"} <= set(op["responses"])


PLACE = "Lee County, FL"  # /places?q= names a place


def required(item: dict) -> dict[str, str]:
    """The query parameters an address declares required (``q`` of /places), with example values."""
    params = [p for p in item["get"]["parameters"] if p["in"] == "query" and p["required"]]
    return {p["name"]: PLACE if p["name"] == "q" else VALUES[p["name"]] for p in params}


def test_every_documented_path_answers(client, spec):
    for path, item in spec["paths"].items():
        r = client.get(concrete(path), params=required(item))
        assert r.status_code == 200, (path, r.text[:200])
        media = next(iter(item["get"]["responses"]["200"]["content"]))
        assert r.headers["content-type"].split(";")[0] == media, path
        if media == "application/json":
            assert isinstance(r.json(), dict)
        assert r.headers.get("etag"), path


def test_every_documented_parameter_is_accepted(client, spec):
    for path, item in spec["paths"].items():
        for param in item["get"]["parameters"]:
            if param["in"] != "query":
                continue
            schema = param["schema"]
            value = schema["enum"][0] if "enum" in schema else VALUES[param["name"]]
            if value is None:
                continue
            r = client.get(concrete(path), params=required(item) | {param["name"]: value})
            assert r.status_code in (200, 404), (path, param["name"], r.status_code, r.text[:200])


def test_undeclared_parameters_and_bad_values_are_json_400s(client, spec):
    error = spec["components"]["schemas"]["Error"]
    for path in spec["paths"]:
        r = client.get(concrete(path), params={"nonsense": "1"})
        assert r.status_code == 400, path
        body = r.json()
        assert set(error["required"]) <= set(body) and body["status"] == 400
    for query in ("state=ZZ", "per_page=100000", "page=0", "as_of=2025-13-45", "model=XYZ"):
        r = client.get("/api/v1/agencies?" + query)
        assert r.status_code == 400 and r.json()["error"], query


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/agencies/nope",
        "/api/v1/states/ZZ",
        "/api/v1/publications/zzzz",
        "/api/v1/as-of/2019-01-01",
        "/api/v1/nothing-here",
        "/api/v1/events?agency=no+such+agency+anywhere",
    ],
)
def test_unknown_things_are_json_404s(client, path):
    r = client.get(path)
    assert r.status_code == 404, r.text[:200]
    assert r.headers["content-type"] == "application/json"
    assert r.json()["status"] == 404 and r.json()["error"]


def test_ambiguous_publication_is_a_400_that_says_how_to_choose(client):
    r = client.get("/api/v1/publications/2026-01-26pm")
    assert r.status_code == 400 and "kind=" in r.json()["error"]
    assert client.get("/api/v1/publications/2026-01-26pm?kind=pending").json()["publication"]["kind"] == "pending"


def test_bad_date_in_path_is_a_400(client):
    r = client.get("/api/v1/as-of/31-12-2025")
    assert r.status_code == 400 and "YYYY-MM-DD" in r.json()["error"]


def test_pagination(client):
    first = client.get("/api/v1/agencies?per_page=50").json()
    second = client.get("/api/v1/agencies?per_page=50&page=2").json()
    assert first["paging"]["total"] > 1000 and first["paging"]["pages"] == -(-first["paging"]["total"] // 50)
    ids = {a["agency_id"] for a in first["agencies"]} & {a["agency_id"] for a in second["agencies"]}
    assert len(first["agencies"]) == 50 and not ids


def test_csv_variant_holds_the_whole_filtered_list(client):
    r = client.get("/api/v1/agreements.csv?state=TX&status=active")
    assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    paged = client.get("/api/v1/agreements?state=TX&status=active").json()
    assert len(rows) == paged["paging"]["total"] > 100
    assert all(row["state"] == "TX" and row["status"] == "active" for row in rows)


def test_as_of_matches_the_page_twin(client):
    api = client.get("/api/v1/as-of/2025-12-31?state=FL").json()
    page = client.get("/state/FL/index.json?as_of=2025-12-31").json()
    assert api["agreements"] == page["now"]["agreements"]
    assert api["publication"]["sha256"] == page["publication"]["sha256"]


def test_as_of_a_date_after_the_latest_list_says_how_much_older_the_list_is(client):
    later = client.get("/api/v1/as-of/2030-01-01").json()
    assert later["publication"]["published"] == "2026-02-27" and later["days_after_latest_list"] == 1404
    assert client.get("/api/v1/as-of/2025-12-31").json()["days_after_latest_list"] is None
    assert client.get("/api/v1/as-of/2009-10-28").json()["days_after_latest_list"] is None  # an old list


def test_as_of_says_how_many_of_the_pending_lists_applications_ice_had_listed_as_agreements_by_then(client):
    later = client.get("/api/v1/as-of/2026-02-27").json()["pending"]
    assert (later["applications"], later["approved_by_date"], later["approved_since"]) == (9, 9, 9)
    then = client.get("/api/v1/as-of/2026-01-30").json()["pending"]
    assert (then["applications"], then["approved_by_date"], then["approved_since"]) == (9, 0, 9)


def test_agency_api_is_the_page_twin(client):
    api = client.get("/api/v1/agencies/GA-walker-county-sheriffs-office").json()
    twin = client.get("/agency/GA-walker-county-sheriffs-office/index.json").json()
    assert api == twin


def test_etag_is_keyed_on_the_data_version(client):
    version = client.get("/api/v1/").json()["data_version"]
    r = client.get("/api/v1/agencies?state=GA")
    assert version in r.headers["etag"]
    assert client.get("/api/v1/agencies?state=GA", headers={"if-none-match": r.headers["etag"]}).status_code == 304


def test_as_of_a_day_an_old_list_stood_answers_from_it_marked_derived_with_its_source(client):
    r = client.get("/api/v1/as-of/2009-10-28")
    assert r.status_code == 200, r.text[:300]
    body = r.json()
    assert body["derived"] is True and "OIG-10-63" in body["source"]
    assert body["publication"]["kind"] == "historical" and body["agreements"] == 61
    assert body["models"]["JEM+TFM"]["agreements"] == 12  # a Hybrid row: one agreement, both models
    assert all(i["derived"] for i in body["items"])
    assert client.get("/api/v1/as-of/2009-10-28?state=AZ").json()["state"] == "AZ"


@pytest.mark.parametrize("day", ["2015-06-01", "2020-12-31", "2008-01-01"])
def test_as_of_a_gap_day_is_a_404_naming_the_gap_never_zero(client, day):
    r = client.get(f"/api/v1/as-of/{day}")
    assert r.status_code == 404 and "gap in the sources" in r.json()["error"]
    es = client.get(f"/es/?as_of={day}")
    assert es.status_code == 404 and "hueco en las fuentes" in es.text


def test_a_list_route_on_an_old_list_day_points_to_the_derived_answer(client):
    r = client.get("/api/v1/agencies?as_of=2009-10-28")
    assert r.status_code == 404 and "/api/v1/as-of/2009-10-28" in r.json()["error"]
    page = client.get("/?as_of=2007-09-19")
    assert page.status_code == 404 and "only an old list stands" in page.text


def test_a_pending_list_counts_applications_not_agreements(client):
    (last,) = [p for p in client.get("/api/v1/publications?kind=pending&per_page=1").json()["publications"]]
    assert last["published"] == "2026-01-30" and last["applications"] == 9 and last["agreements"] is None
    stats = client.get("/api/v1/stats/publications?kind=pending").json()["publications"][-1]
    assert stats["applications"] == 9 and "agreements" not in stats
    assert all("agreements" not in m for m in stats["models"].values())
    assert "WSO_applications" in client.get("/api/v1/stats/publications.csv?kind=pending").text.splitlines()[0]
    page = client.get("/publications/?kind=pending").text
    assert '<td class="num">9 applications</td>' in page


def test_a_day_before_the_first_pending_list_is_not_answered_with_zero_applications(client):
    for address in ("/api/v1/pending?as_of=2024-01-01", "/api/v1/pending?as_of=2025-02-19"):
        answer = client.get(address)
        assert answer.status_code == 404, address
        assert "no pending list was published on or before" in answer.json()["error"]
        assert "starts 2025-02-20" in answer.json()["error"]
    page = client.get("/es/pending/?as_of=2024-01-01")
    assert page.status_code == 404 and "2025-02-20" in page.text
    assert client.get("/api/v1/pending?as_of=2025-03-01").json()["filters"] == {"as_of": "2025-03-01"}


def test_a_day_before_ice_s_first_list_is_named_as_such_by_every_answer_that_takes_a_date(client):
    for address in ("/api/v1/moa-coverage?as_of=2015-01-01", "/api/v1/coverage?as_of=2015-01-01"):
        answer = client.get(address)
        assert answer.status_code == 404, address  # not "run track287g build first", not "not yet available"
        assert "2015-01-01" in answer.json()["error"] and "build" not in answer.json()["error"]


def test_filters_refuse_a_value_no_agency_can_have_and_take_every_documented_one(client):
    answer = client.get("/api/v1/agencies?kind=foo")
    assert answer.status_code == 400 and "sheriff" in answer.json()["error"]
    assert client.get("/api/v1/agencies?kind=constable").json()["agencies"]

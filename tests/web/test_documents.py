"""The archived MOAs on the web, over the database built from the bundled archive: the API gives the same objects
as ``track287g documents --json``, its search finds what the command line finds, the PDF is served byte for byte
from the archive, and an agency's page shows its MOA's fields and signers."""

from __future__ import annotations

import hashlib
import json

import pytest

from tests.helpers import run_cli
from tests.pdfs import MOA_FOLDER
from track287g.config import repo_root

CARROLL = "CarrollCo_WSO_MOA_03.03.25.pdf"


@pytest.fixture(scope="module")
def cli_documents(built_db_path) -> dict[str, dict]:
    proc = run_cli("documents", "--json", db=built_db_path, check=True)
    return {d["sha256"]: d for d in json.loads(proc.stdout)}


def test_the_api_lists_the_same_documents_as_the_command_line(client, cli_documents):
    data = client.get("/api/v1/documents?per_page=100").json()
    assert data["paging"]["total"] == len(cli_documents) == 64
    by_sha = {d["sha256"]: d for d in data["documents"]}
    assert by_sha.keys() == cli_documents.keys()
    keys = ("names", "kind", "text_source", "models", "state", "agency", "signed_ice", "signed_agency", "signers")
    for sha, doc in by_sha.items():
        assert {k: doc[k] for k in keys} == {k: cli_documents[sha][k] for k in keys}
        assert doc["field_office"] == cli_documents[sha]["field_office"]
        assert doc["agreement_id"] == cli_documents[sha]["agreement_id"]


def test_the_api_search_finds_what_the_command_line_finds(client, built_db_path):
    phrase = '"complaint procedures"'
    proc = run_cli("documents", "--search", phrase, "--json", db=built_db_path, check=True)
    expected = sorted(d["sha256"] for d in json.loads(proc.stdout))
    assert expected
    found = client.get("/api/v1/documents", params={"q": phrase, "per_page": 100}).json()["documents"]
    assert sorted(d["sha256"] for d in found) == expected
    assert all(d["matches"] for d in found)


def test_a_search_with_nothing_to_find_is_a_bad_request_and_an_unclosed_quote_is_words(client):
    r = client.get("/api/v1/documents", params={"q": '"..."'})
    assert r.status_code == 400 and "nothing to search for" in r.json()["error"]
    r = client.get("/api/v1/documents", params={"q": '"complaint procedures'})
    assert r.status_code == 200 and r.json()["paging"]["total"] > 0


def test_the_archived_pdf_is_served_byte_for_byte_from_the_archive(client):
    data = (MOA_FOLDER / CARROLL).read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    r = client.get(f"/documents/{sha}.pdf")
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/pdf"
    assert r.content == data
    assert client.get(f"/documents/{'0' * 64}.pdf").status_code == 404


def test_one_document_answers_by_its_sha256_prefix(client):
    sha = hashlib.sha256((MOA_FOLDER / CARROLL).read_bytes()).hexdigest()
    doc = client.get(f"/api/v1/documents/{sha[:10]}").json()
    assert doc["sha256"] == sha
    assert doc["fields"]["signed_ice"]["value"] == "2025-03-03"
    assert doc["fields"]["signed_ice"]["raw"] == "March 3, 2025"


def test_the_agency_page_shows_its_moa_signers_and_a_link_to_the_archived_pdf(client):
    sha = hashlib.sha256((MOA_FOLDER / CARROLL).read_bytes()).hexdigest()
    html = client.get("/agency/MD-carroll-county-sheriffs-office/").text
    assert f'href="/documents/{sha}.pdf"' in html
    assert "Caleb Vitello" in html and "Acting Director" in html
    assert "Baltimore field office" in html


def test_the_documents_page_counts_agreements_with_their_moa_on_file(client):
    coverage = client.get("/api/v1/moa-coverage").json()
    national = coverage["national"]
    assert 0 < national["with_moa"] <= national["agreements"]
    html = client.get("/documents/").text
    assert f"{national['with_moa']} of {national['agreements']:,} agreements have their MOA on file" in html


def test_no_answer_names_a_folder_of_the_machine_that_built_the_record(client):
    here = str(repo_root())
    agency = "/agency/MD-carroll-county-sheriffs-office/index.json"
    for address in ("/api/v1/documents?per_page=100", "/documents/index.json", agency):
        text = client.get(address).text
        assert here not in text and "/data/archive/" not in text, address
    (carroll,) = [d for d in client.get("/api/v1/documents?per_page=100").json()["documents"] if CARROLL in d["names"]]
    assert carroll["sources"] == []  # read from the bundled folder: its file name is kept, no address is invented

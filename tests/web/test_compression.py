"""Compression on the real server: an answer is gzip-compressed only for a client that accepts gzip, whether
made for it or served again from the front cache, and every answer says that it varies by Accept-Encoding."""

from __future__ import annotations

import gzip
import http.client
from urllib.parse import urlparse

import orjson


def _ask(base: str, path: str, accept_gzip: bool) -> tuple[int, dict[str, str], bytes]:
    """(status, headers with lower-case names, body as sent) of one GET, the client's headers exactly these."""
    address = urlparse(base)
    conn = http.client.HTTPConnection(address.hostname, address.port, timeout=60)
    try:
        conn.putrequest("GET", path, skip_accept_encoding=True)
        conn.putheader("Accept", "application/json")
        if accept_gzip:
            conn.putheader("Accept-Encoding", "gzip")
        conn.endheaders()
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def test_an_answer_is_compressed_only_for_a_client_that_accepts_gzip_and_says_it_varies(server):
    agencies = orjson.loads(_ask(server, "/api/v1/agencies?state=GA", False)[2])["agencies"]
    first, second = (f"/api/v1/agencies/{a['agency_id']}" for a in agencies[:2])
    # each made for the first client asking (one without gzip, one with), then served again from the front cache
    for path, first_accepts in ((first, False), (second, True)):
        answers = {}
        for accepts in (first_accepts, not first_accepts, first_accepts, not first_accepts):
            status, headers, body = _ask(server, path, accepts)
            assert status == 200
            assert headers.get("vary") == "Accept-Encoding", (path, accepts, headers)
            if accepts:
                assert headers.get("content-encoding") == "gzip"
                body = gzip.decompress(body)
            else:
                assert "content-encoding" not in headers
            assert int(headers["content-length"]) > 0
            answers.setdefault(accepts, []).append(body)
        assert len({b for found in answers.values() for b in found}) == 1  # the same answer, however sent
        assert orjson.loads(answers[False][0])["agency_id"] == path.rsplit("/", 1)[1]


def test_a_small_answer_is_sent_as_is_even_to_a_client_that_accepts_gzip(server):
    status, headers, body = _ask(server, "/api/v1/agencies/no-such-agency-anywhere", True)
    assert status == 404
    assert "content-encoding" not in headers
    assert orjson.loads(body)["status"] == 404

"""The history's event types and statuses are named once (``history.vocabulary``): what it writes, the web's
filters and forms, and the words a reader sees all come from there."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from track287g.history.load import Pub
from track287g.history.model import Event
from track287g.history.vocabulary import AGENCY_STATUSES, AGREEMENT_STATUSES, EVENT_TYPES
from track287g.i18n.labels import LABELS
from track287g.store.schema import agency, agreement, event


def test_an_event_of_a_type_the_vocabulary_does_not_name_cannot_be_made():
    pub = Pub(1, "x", "participating", False, "2025-01-01", "", 1, "", [])
    with pytest.raises(ValueError, match=r"'deleted' is not in history\.vocabulary\.EVENT_TYPES"):
        Event(pub, None, "deleted")
    assert Event(pub, None, "suspect-publication").type == "suspect-publication"


def test_every_event_type_and_status_of_the_bundled_record_is_in_the_vocabulary(built_db):
    with built_db.read() as conn:
        types = set(conn.execute(select(event.c.type).distinct()).scalars())
        agency_statuses = set(conn.execute(select(agency.c.status).distinct()).scalars())
        agreement_statuses = set(conn.execute(select(agreement.c.status).distinct()).scalars())
    assert types <= set(EVENT_TYPES) and len(types) >= 18
    assert agency_statuses <= set(AGENCY_STATUSES) and len(agency_statuses) >= 4
    assert agreement_statuses == set(AGREEMENT_STATUSES)


def test_every_event_type_and_status_has_words_for_the_reader():
    assert set(EVENT_TYPES) <= set(LABELS["event"])
    assert set(AGENCY_STATUSES) <= set(LABELS["agency-status"])
    assert set(AGREEMENT_STATUSES) <= set(LABELS["agreement-status"])


def test_the_filters_accept_every_event_type_and_status_and_nothing_else(client):
    for t in EVENT_TYPES:
        assert client.get("/api/v1/events", params={"type": t}).status_code == 200, t
        assert client.get("/changes/", params={"type": t}).status_code == 200, t
    for s in AGENCY_STATUSES:
        assert client.get("/api/v1/agencies", params={"status": s}).status_code == 200, s
    for s in AGREEMENT_STATUSES:
        assert client.get("/api/v1/agreements", params={"status": s}).status_code == 200, s
    assert client.get("/api/v1/events", params={"type": "deleted"}).status_code == 400
    assert client.get("/api/v1/agreements", params={"status": "transferred"}).status_code == 400


def test_the_changes_page_offers_every_event_type_and_the_agencies_page_every_status(client):
    def offered(page: str, name: str) -> list[str]:
        select = page.split(f'name="{name}"', 1)[1].split("</select>", 1)[0]
        return re.findall(r'<option value="([a-z-]+)"', select)

    for prefix in ("", "/es"):
        assert offered(client.get(f"{prefix}/changes/").text, "type") == list(EVENT_TYPES)
        assert offered(client.get(f"{prefix}/agencies/").text, "status") == list(AGENCY_STATUSES)

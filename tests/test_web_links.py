"""Finding ICE's list links on its page, as ICE has written them and might write them next."""

from __future__ import annotations

import pytest

from track287g.sources.web import disposition_filename, fallback_name, find_links, user_agent
from track287g.watch import parse_duration

PAGE = "https://www.ice.gov/identify-and-arrest/287g"
DOCLIB = "/doclib/about/offices/ero/287g/"


def kinds(html: str) -> list[tuple[str, str | None, str]]:
    return [(link.kind, link.name, link.url) for link in find_links(html, PAGE)]


def test_absolute_doclib_links_as_ice_publishes_them_are_found():
    html = """
      <a href="https://www.ice.gov/doclib/about/offices/ero/287g/participatingAgencies02172026pm.xlsx">
        Participating Agencies</a>
      <a href="https://www.ice.gov/doclib/about/offices/ero/287g/pendingAgencies01292026pm.xlsx">Pending</a>
      <a href="https://www.ice.gov/doclib/about/offices/ero/287g/287gFactSheet.pdf">Fact sheet</a>
      <a href="/about-ice">About ICE</a>"""
    assert kinds(html) == [
        (
            "participating",
            "participatingAgencies02172026pm.xlsx",
            "https://www.ice.gov/doclib/about/offices/ero/287g/participatingAgencies02172026pm.xlsx",
        ),
        (
            "pending",
            "pendingAgencies01292026pm.xlsx",
            "https://www.ice.gov/doclib/about/offices/ero/287g/pendingAgencies01292026pm.xlsx",
        ),
    ]


@pytest.mark.parametrize(
    "href, name",
    [
        (DOCLIB + "ParticipatingAgencies02062026PM.xlsx", "ParticipatingAgencies02062026PM.xlsx"),
        (".." + DOCLIB + "participatingAgencies05122025amB.xlsx", "participatingAgencies05122025amB.xlsx"),
        (DOCLIB + "participatingAgencies090022025.xlsx", "participatingAgencies090022025.xlsx"),
        (DOCLIB + "participatingAgencies10152025mid.xlsx", "participatingAgencies10152025mid.xlsx"),
        (DOCLIB + "participatingAgencies.xlsx?v=20260217", "participatingAgencies.xlsx"),
        (
            "/sites/default/files/2026-02/participating%20agencies%2002172026.xlsx",
            "participating agencies 02172026.xlsx",
        ),
        ("/file/download?file=participatingAgencies02172026pm.XLSX", "participatingAgencies02172026pm.XLSX"),
    ],
)
def test_relative_links_any_case_suffix_and_stamp_are_found(href, name):
    (found,) = find_links(f'<a href="{href}">Download</a>', PAGE)
    assert found.kind == "participating" and found.name == name and found.how == "file-name"
    assert found.url.startswith("https://www.ice.gov/")


def test_a_download_path_without_a_file_name_is_told_by_its_link_text():
    html = '<a href="/file/download/58213"><span>Pending Agencies</span> (XLSX, 20 KB)</a>'
    (found,) = find_links(html, PAGE)
    assert (found.kind, found.name, found.how) == ("pending", None, "link-text")
    assert found.url == "https://www.ice.gov/file/download/58213"
    assert fallback_name(found) == "Pending-Agencies-XLSX-20-KB.xlsx"


def test_a_page_base_href_is_honoured_and_each_address_counted_once():
    html = """<head><base href="https://www.ice.gov/doclib/about/offices/ero/287g/"></head>
      <a href="participatingAgencies02172026pm.xlsx">Participating (Excel)</a>
      <a href="participatingAgencies02172026pm.xlsx#top"><img alt="download"></a>"""
    assert [link.url for link in find_links(html, PAGE)] == [
        "https://www.ice.gov/doclib/about/offices/ero/287g/participatingAgencies02172026pm.xlsx"
    ]


def test_pages_and_files_that_are_not_the_lists_are_ignored():
    html = """
      <a href="/identify-and-arrest/287g/participating-agencies">Participating agencies (page)</a>
      <a href="/doclib/about/offices/ero/287g/287gStatistics.xlsx">Statistics</a>
      <a href="mailto:287g@ice.dhs.gov">Pending questions</a>
      <a href="javascript:void(0)">Pending</a>"""
    assert find_links(html, PAGE) == []


def test_content_disposition_names_are_read_plain_quoted_and_encoded():
    assert disposition_filename('attachment; filename="pendingAgencies01292026pm.xlsx"') == (
        "pendingAgencies01292026pm.xlsx"
    )
    assert disposition_filename("attachment; filename*=UTF-8''participating%20Agencies.xlsx") == (
        "participating Agencies.xlsx"
    )
    assert disposition_filename('attachment; filename="..\\..\\etc\\passwd.xlsx"') == "passwd.xlsx"
    assert disposition_filename("inline") is None
    assert disposition_filename(None) is None


def test_the_user_agent_names_the_project_and_a_contact():
    assert user_agent("ops@example.org").startswith("track287g/")
    assert "contact: ops@example.org" in user_agent("ops@example.org")
    assert "TRACK287G_CONTACT" in user_agent(None)


@pytest.mark.parametrize("text, seconds", [("90", 90), ("30s", 30), ("15m", 900), ("6h", 21600), ("1d", 86400)])
def test_intervals_are_read_in_seconds_minutes_hours_days(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "six hours", "0", "-5m", "6w"])
def test_bad_intervals_are_refused(text):
    with pytest.raises(ValueError):
        parse_duration(text)

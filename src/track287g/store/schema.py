"""Tables, in pipeline order. The archive tables are kept forever; every other table is derived from them
and recreated by ``track287g rebuild``.

Dates are ISO-8601 text (``YYYY-MM-DD``) and timestamps ISO-8601 UTC text, so SQLite and PostgreSQL hold the
same values and exports are byte-stable.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    Table,
    Text,
    UniqueConstraint,
    false,
)

metadata = MetaData()

# --- archive: raw bytes and where they came from (never deleted) ---------------------------------------

raw_file = Table(
    "raw_file",
    metadata,
    Column("sha256", Text, primary_key=True),
    Column("size", Integer, nullable=False),
    Column("content", LargeBinary, nullable=False),
    Column("first_ingested", Text, nullable=False),
)

provenance = Table(
    "provenance",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("sha256", Text, ForeignKey("raw_file.sha256"), nullable=False, index=True),
    Column("name", Text, nullable=False),  # the file name as published or as found
    Column("source", Text, nullable=False),  # the path or URL it was read from
    Column("ingested_at", Text, nullable=False),
    Column("archive_repo", Text),  # from a MANIFEST.csv beside the files, when there is one
    Column("archive_path", Text),
    Column("archive_commit", Text),
    Column("archiver_first_seen", Text),
    UniqueConstraint("sha256", "name", "source"),
)

quarantine = Table(
    "quarantine",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", Text, nullable=False),
    Column("source", Text, nullable=False),
    Column("sha256", Text),  # None when the file was too large to read
    Column("size", Integer, nullable=False),
    Column("reason", Text, nullable=False),
    Column("content", LargeBinary),  # kept within the size limit, for inspection
    Column("received_at", Text, nullable=False),
    UniqueConstraint("sha256", "name", "source"),
)

ARCHIVE_TABLES = {"raw_file", "provenance", "quarantine"}

# --- parse + normalize: one publication per distinct file, its rows as printed and as corrected ----------

publication = Table(
    "publication",
    metadata,
    Column("sha256", Text, ForeignKey("raw_file.sha256"), primary_key=True),
    Column("pub_id", Integer, nullable=False, unique=True),  # compact key for listing rows (this build only)
    Column("kind", Text, nullable=False),  # participating | pending
    Column("layout", Text, nullable=False),
    Column("derived", Boolean, nullable=False),  # True for the HTML-era tables (extracted by a third party)
    Column("sheet", Text, nullable=False),
    Column("headers", Text, nullable=False),  # JSON list, as printed
    Column("rows", Integer, nullable=False),
    Column("published", Text, nullable=False),  # YYYY-MM-DD
    Column("part", Text, nullable=False),  # am | mid | pm | "" (time of day in ICE's file name)
    Column("published_from", Text, nullable=False),  # which source decided the date
    Column("published_note", Text, nullable=False),  # why
    Column("workbook_created", Text),
    Column("workbook_modified", Text),
    Column("captured_at", Text),  # web archive capture, or an archiver's first sighting
    Column("flags", Text, nullable=False),  # JSON list of strings
    Column("seq", Integer),  # position among publications of its kind (1 = oldest), set by history
)

publication_name = Table(
    "publication_name",
    metadata,
    Column("sha256", Text, ForeignKey("publication.sha256"), primary_key=True),
    Column("name", Text, primary_key=True),
    Column("stamp", Text),  # the digits ICE wrote, e.g. 01262026
    Column("stamp_date", Text),  # what they were read as (after any stated repair)
    Column("part", Text, nullable=False),
    Column("rule", Text, nullable=False),  # how the name's date was read, or why it was not used
    Column("note", Text, nullable=False),
)

listing_row = Table(
    "listing_row",
    metadata,
    # one distinct row as printed (ICE re-publishes the same rows hundreds of times): raw and normalized
    Column("row_id", Text, primary_key=True),  # hash of the raw values
    Column("raw_state", Text),
    Column("raw_agency", Text),
    Column("raw_type", Text),
    Column("raw_county", Text),
    Column("raw_support", Text),
    Column("raw_signed", Text),
    Column("raw_moa", Text),
    Column("raw_moa_target", Text),
    Column("raw_addendum", Text),
    Column("raw_addendum_target", Text),
    Column("state", Text),
    Column("state_fips", Text),
    Column("agency", Text),
    Column("agency_type", Text),
    Column("county", Text),
    Column("model", Text),
    Column("signed", Text),
    Column("signed_status", Text, nullable=False),  # ok | repaired | missing | invalid | absent
    Column("moa_status", Text, nullable=False),  # link | pending | none | unknown | absent
    Column("moa_url", Text),
    Column("addendum_status", Text, nullable=False),
    Column("addendum_url", Text),
    Column("flags", Text, nullable=False),
)

listing = Table(
    "listing",
    metadata,
    # one row per printed row per publication; pub_id is publication.pub_id (join on it for the sha256)
    Column("pub_id", Integer, ForeignKey("publication.pub_id"), primary_key=True),
    Column("row_number", Integer, primary_key=True),  # the sheet's row number, as Excel shows it
    Column("row_id", Text, ForeignKey("listing_row.row_id"), nullable=False),
    sqlite_with_rowid=False,
)

listing_pack = Table(
    "listing_pack",
    metadata,
    # a publication's listing rows in one row, in row order, space-separated (the numbers as runs, store.packs):
    # what the history build reads (one row a list instead of one a printed row: 4.6 million at ten years of daily
    # lists); ``listing`` stays the table to query. Written with the listing; a publication without one is read
    # from ``listing``.
    Column("pub_id", Integer, ForeignKey("publication.pub_id"), primary_key=True),
    Column("row_numbers", Text, nullable=False),
    Column("row_ids", Text, nullable=False),
)

repair = Table(
    "repair",
    metadata,
    Column("row_id", Text, ForeignKey("listing_row.row_id"), primary_key=True),
    Column("field", Text, primary_key=True),
    Column("raw", Text),
    Column("value", Text),
    Column("rule", Text, nullable=False),
)

# --- resolve + history: agencies, agreements, lifecycle and events ---------------------------------------

agency = Table(
    "agency",
    metadata,
    Column("agency_id", Text, primary_key=True),
    Column("state", Text, nullable=False),
    Column("name", Text, nullable=False),  # the display name: ICE's most recent spelling, cleaned
    Column("kind", Text, nullable=False),  # sheriff | police | corrections | state | ... (from the name)
    Column("agency_type", Text),  # ICE's TYPE column (county | municipal | state), most recent
    Column("county", Text),  # ICE's COUNTY column, most recent
    Column("first_listed", Text),
    Column("last_listed", Text),
    Column("status", Text, nullable=False),  # active | removed | transferred | pending | withdrawn
    Column("first_participating", Text),  # the first participating list that printed it (a date)
    Column("first_pending", Text),  # the first pending list that printed it
    Column("name_rules", Text),  # JSON: the repairs that made the display name from ICE's spelling
    Column("provisional", Boolean, nullable=False, server_default=false()),  # removed, but a removal is provisional
)

agency_alias = Table(
    "agency_alias",
    metadata,
    # an id the agency had, or that one of its spellings gives: it keeps resolving (the web redirects)
    Column("alias", Text, primary_key=True),
    Column("agency_id", Text, nullable=False, index=True),
    Column("reason", Text, nullable=False),
)

agency_spelling = Table(
    "agency_spelling",
    metadata,
    Column("agency_id", Text, ForeignKey("agency.agency_id"), primary_key=True),
    Column("state", Text, primary_key=True),  # the state ICE printed it under (another, when corrected)
    Column("spelling", Text, primary_key=True),  # the name as ICE printed it (whitespace-cleaned)
    Column("rule", Text, nullable=False),  # why it belongs to this agency
    Column("evidence", Text, nullable=False),  # in English
    Column("evidence_message", Text),  # the same as a message (JSON: code and values), said in the reader's language
    Column("first_listed", Text),
    Column("last_listed", Text),
    Column("rows", Integer, nullable=False),
)

merge_candidate = Table(
    "merge_candidate",
    metadata,
    Column("state", Text, primary_key=True),
    Column("spelling", Text, primary_key=True),
    Column("other", Text, primary_key=True),
    Column("score", Float, nullable=False),
    Column("reason", Text, nullable=False),
)

agreement = Table(
    "agreement",
    metadata,
    Column("agreement_id", Text, primary_key=True),
    Column("agency_id", Text, ForeignKey("agency.agency_id"), nullable=False, index=True),
    Column("state", Text, nullable=False),
    Column("model", Text, nullable=False),
    Column("signed", Text),
    Column("status", Text, nullable=False),  # active | removed | superseded
    Column("first_sha256", Text),
    Column("last_sha256", Text),
    Column("first_listed", Text),
    Column("last_listed", Text),
    Column("removed_after", Text),  # last publication that listed it (removal window start)
    Column("removed_by", Text),  # first publication that no longer did (window end)
    Column("superseded_by", Text),
    Column("moa_url", Text),
    Column("addendum_url", Text),
    Column("html_era", Boolean, nullable=False),  # first seen in the 2021-2025 HTML tables
    Column("listings", Integer, nullable=False),
    # the COUNTY ICE printed on its rows in the last list that listed it (the greatest, were two printed)
    Column("last_county", Text),
    # its removal is provisional: it is left out of the latest lists only, and ICE may list it again
    Column("provisional", Boolean, nullable=False, server_default=false()),
    # the signing date ICE probably meant when its SIGNED is a year before the first list printing it (rule
    # ``year_typo_max_days``); ``signed`` stays as ICE printed it
    Column("signed_probable", Text),
)

row_agreement = Table(
    "row_agreement",
    metadata,
    # the agreement each distinct participating row belongs to (the same printed row is always the same
    # agreement, so every listing maps through its row_id)
    Column("row_id", Text, primary_key=True),
    Column("agreement_id", Text, nullable=False, index=True),
    Column("agency_id", Text, nullable=False, index=True),  # the holder the row names (a transfer changes it)
)

agreement_alias = Table(
    "agreement_alias",
    metadata,
    # an id the agreement carried at an earlier list (another holder, spelling or date): it keeps resolving
    Column("alias", Text, primary_key=True),
    Column("agreement_id", Text, nullable=False, index=True),
)

correction = Table(
    "correction",
    metadata,
    # a value ICE changed for one agreement between two publications (its SIGNED date, re-dated)
    Column("agreement_id", Text, primary_key=True),
    Column("field", Text, primary_key=True),
    Column("sha256", Text, primary_key=True),  # the publication that printed the new value first
    Column("old", Text, nullable=False),
    Column("new", Text, nullable=False),
    Column("rule", Text, nullable=False),
    Column("note", Text, nullable=False, server_default=""),  # why, when a person decided it (data/misprints.csv)
)

pending = Table(
    "pending",
    metadata,
    Column("pending_id", Text, primary_key=True),
    Column("agency_id", Text, ForeignKey("agency.agency_id"), nullable=False, index=True),
    Column("state", Text, nullable=False),
    Column("model", Text, nullable=False),
    Column("first_sha256", Text),
    Column("last_sha256", Text),
    Column("first_listed", Text),
    Column("last_listed", Text),
    Column("status", Text, nullable=False),  # pending | approved | withdrawn
    Column("agreement_id", Text),
    Column("days_to_approval", Integer),
    Column("listings", Integer, nullable=False),
)

pending_listing = Table(
    "pending_listing",
    metadata,
    Column("pub_id", Integer, primary_key=True),
    Column("row_number", Integer, primary_key=True),
    Column("pending_id", Text, nullable=False, index=True),
)

event = Table(
    "event",
    metadata,
    Column("event_id", Integer, primary_key=True),
    Column("sha256", Text, nullable=False, index=True),  # the publication where the change shows
    Column("prev_sha256", Text),
    Column("published", Text, nullable=False),
    Column("kind", Text, nullable=False),  # participating | pending
    Column("type", Text, nullable=False),
    Column("agency_id", Text, index=True),
    Column("agreement_id", Text),
    Column("pending_id", Text),
    Column("state", Text),
    Column("model", Text),
    Column("detail", Text, nullable=False),  # JSON
    Column("other_agency_id", Text, index=True),  # a transfer's former holder
)

revision = Table(
    "revision",
    metadata,
    # what a rebuild changed in the changes reported for lists the history already covered: a change no longer
    # reported (withdrawn) or reported anew (added), as the record said it. Never emptied by a rebuild: the
    # feeds tell subscribers what the record no longer says (history.revisions)
    Column("revision_id", Integer, primary_key=True),
    Column("revised_at", Text, nullable=False, index=True),  # when the rebuild that revised it was written (UTC)
    Column("change", Text, nullable=False),  # withdrawn | added
    Column("sha256", Text, nullable=False),  # the publication the change was (or is now) reported in
    Column("list_label", Text, nullable=False),  # its date and part of day
    Column("kind", Text, nullable=False),  # participating | pending
    Column("type", Text, nullable=False),
    Column("agency_id", Text, index=True),  # the agency's id when revised
    Column("name", Text),  # the agency's name as the record showed it
    Column("agreement_id", Text),
    Column("pending_id", Text),
    Column("state", Text),
    Column("model", Text),
    Column("detail", Text, nullable=False),  # JSON, as the record said it
)
ARCHIVE_TABLES.add("revision")  # kept by a rebuild, like the archive: no archive can make it again

continuation = Table(
    "continuation",
    metadata,
    # the audit: for every removal and withdrawal event, the rows that could have continued it, ranked, each
    # declined with its reason (or unexplained, which fails the history QA)
    Column("event_id", Integer, primary_key=True),
    Column("rank", Integer, primary_key=True),
    Column("publication", Text, nullable=False),
    Column("row_number", Integer, nullable=False),
    Column("state", Text, nullable=False),
    Column("agency", Text, nullable=False),
    Column("model", Text, nullable=False),
    Column("signed", Text),
    Column("county", Text),
    Column("score", Float, nullable=False),
    Column("decision", Text, nullable=False),
    Column("reason", Text, nullable=False),
)

publication_check = Table(
    "publication_check",
    metadata,
    Column("sha256", Text, primary_key=True),
    Column("suspect", Boolean, nullable=False),
    Column("added", Integer, nullable=False),
    Column("removed", Integer, nullable=False),
    Column("net", Integer, nullable=False),
    Column("note", Text, nullable=False),
)

publication_count = Table(
    "publication_count",
    metadata,
    # what each publication lists, counted both ways: model "*" is the total (agencies counted once)
    Column("sha256", Text, primary_key=True),
    Column("model", Text, primary_key=True),
    Column("agencies", Integer, nullable=False),
    Column("agreements", Integer, nullable=False),
    Column("rows", Integer),  # ICE's rows: more than agreements where one agreement is printed twice
)

old_listing = Table(
    "old_listing",
    metadata,
    # a row of an old list (2007-2020, derived by a third party: parse.historical), resolved to today's agencies
    # by the identity rules and alias table (history.old_lists); never compared with the lists of 2021 onwards
    Column("sha256", Text, primary_key=True),  # the old list's publication
    Column("row_number", Integer, primary_key=True),  # line in the file
    Column("layout", Text, nullable=False),
    Column("source", Text, nullable=False),  # the source the row names
    Column("as_of", Text),  # the day the list stood (None: an index of documents)
    Column("state", Text, nullable=False),
    Column("printed", Text, nullable=False),  # the agency as the file prints it
    Column("name", Text, nullable=False),  # as normalized
    Column("model_printed", Text),  # Task Force | Jail Enforcement | Hybrid
    Column("models", Text),  # TFM, JEM or JEM+TFM (Hybrid: both), None when the file has no model
    Column("signed", Text),
    Column("status", Text),  # signed | pending (the OIG table), None elsewhere
    Column("moa_file", Text),
    Column("old_agency_id", Text, nullable=False),  # the body, across the old lists
    Column("agency_id", Text),  # today's agency (on a list of 2021 onwards), None when none is the same body
    Column("rule", Text, nullable=False),  # how it resolved: same-spelling, a merge rule, new-to-old-lists, ambiguous
    Column("evidence", Text, nullable=False),
)

build_info = Table(
    "build_info",
    metadata,
    Column("key", Text, primary_key=True),
    Column("value", Text, nullable=False),
)

history_state = Table(
    "history_state",
    metadata,
    # one row (key "history"): what the history in the tables above was built from, and the last attempt that
    # failed. Readers use it to say that the history is missing, held or behind the archive, never to answer 0.
    Column("key", Text, primary_key=True),
    Column("archive_digest", Text),  # sha256 of the sorted sha256s of the publications it was built from
    Column("rules_digest", Text),  # sha256 of the rules, alias and fix tables it was built with
    # config.package_digest of the code that built it; none when another version did (a version that does not
    # know the column writes the row without it): what that code left is then worked out again, not kept
    Column("code_digest", Text),
    Column("publications", Integer, nullable=False),  # publications in the history
    Column("held", Integer, nullable=False),  # publications left out (publication_hold)
    Column("built_at", Text),
    Column("failed_digest", Text),  # archive + rules digest of the last failed attempt (not retried as is)
    Column("failed_at", Text),
    Column("failure", Text),  # why it failed: the invariant, publications and rows, one line
)

publication_hold = Table(
    "publication_hold",
    metadata,
    # a stored publication the history leaves out until the rules or alias table resolve it
    Column("sha256", Text, primary_key=True),
    Column("invariant", Text, nullable=False),  # which check it broke (blank-state-or-agency, qa-..., qa-failed)
    Column("reason", Text, nullable=False),  # one line naming the rows
    Column("rows", Text, nullable=False),  # JSON list of the sheet row numbers concerned
    Column("held_at", Text, nullable=False),
)

# --- enrich: FBI rosters, counties and coverage (written by track287g.enrich.enrich_database) -------------
# Derived like everything above: recreated at every rebuild from the archive plus the bundled reference
# data (data/reference) and the tables people edit (data/enrich). No foreign keys to ``agency``: the enrich
# stage also runs on agencies read straight from the listings before history has filled that table.

county = Table(
    "county",
    metadata,
    Column("fips", Text, primary_key=True),
    Column("state", Text, nullable=False, index=True),
    Column("name", Text, nullable=False),  # as the Census Bureau names it ("Richmond city", "Acadia Parish")
    Column("kind", Text, nullable=False),  # county | parish | borough | city | planning region | ...
    Column("population", Integer),  # Census Bureau estimate for July 2024 (vintage 2024); None if not estimated
    Column("in_census", Boolean, nullable=False),
    Column("in_shapes", Boolean, nullable=False),  # has a shape on the bundled maps
)

roster_agency = Table(
    "roster_agency",
    metadata,
    # the FBI roster agencies that a match or a review candidate names (not the whole roster)
    Column("ori", Text, primary_key=True),
    Column("state", Text, nullable=False),
    Column("name", Text, nullable=False),  # the fullest name (UCR 2021, else LEE 2025)
    Column("lee_name", Text),
    Column("roster_type", Text, nullable=False),  # the FBI's agency type (City, County, ...)
    Column("kind", Text, nullable=False),  # sheriff | police | campus | state-police | ...
    Column("county", Text, nullable=False),  # the county or counties as the roster prints them
    Column("county_fips", Text, nullable=False),  # space-separated FIPS codes of those counties
    Column("latitude", Float),
    Column("longitude", Float),
    Column("population", Integer),  # population served (LEE)
    Column("sworn", Integer),  # sworn officers (LEE)
    Column("civilians", Integer),
    Column("data_year", Integer),  # year of the LEE counts
    Column("sources", Text, nullable=False),  # lee | ucr | lee+ucr
)

agency_match = Table(
    "agency_match",
    metadata,
    Column("agency_id", Text, primary_key=True),
    Column("state", Text, nullable=False, index=True),
    Column("name", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("agency_type", Text),
    Column("ori", Text, index=True),  # None: no ORI (see method)
    Column("method", Text, nullable=False),  # manual | exact | exact+county | fuzzy | review | none ...
    Column("score", Float),  # name similarity 0-100 of the chosen (or best) candidate
    Column("note", Text, nullable=False),
    Column("county_fips", Text),  # the agency's county (first of agency_county)
    Column("county_rule", Text),  # agency-name | ice-county | ice-county-county-typo | roster | manual
    Column("county_level", Boolean, nullable=False),  # a sheriff, or a county jail/prosecutor/police
)

agency_county = Table(
    "agency_county",
    metadata,
    Column("agency_id", Text, primary_key=True),
    Column("fips", Text, primary_key=True),
    Column("rank", Integer, nullable=False),  # 0 = the agency's county; then other counties it serves
)

match_review = Table(
    "match_review",
    metadata,
    # candidates for agencies left undecided (method review): for a person to settle in manual_matches.csv
    Column("agency_id", Text, primary_key=True),
    Column("rank", Integer, primary_key=True),
    Column("ori", Text, nullable=False),
    Column("roster_name", Text, nullable=False),
    Column("score", Float, nullable=False),
    Column("county", Text, nullable=False),  # same | differs | unknown
    Column("reason", Text, nullable=False),
)

state_law = Table(
    "state_law",
    metadata,
    # each researched state's law on 287(g), from data/laws/state-laws.csv (checked on load)
    Column("state", Text, primary_key=True),
    Column("stance", Text, nullable=False),  # mandate | encourage | restrict | ban | none-found
    Column("instrument", Text, nullable=False),
    Column("year", Integer),
    Column("effective_date", Text),  # YYYY-MM-DD, None when not known
    Column("summary", Text, nullable=False),
    Column("summary_es", Text),  # its Spanish translation (None: the Spanish pages show the English)
    Column("source_url", Text, nullable=False),
    Column("confidence", Text, nullable=False),  # verified | source-says | unverified
)


agency_size = Table(
    "agency_size",
    metadata,
    # each agency's sworn officers, for the funding model and the pages: the roster's count or a stated estimate
    Column("agency_id", Text, primary_key=True),
    Column("sworn", Integer),  # None: no count and no estimate
    Column("rule", Text, nullable=False),  # roster | roster-units | fallback-kind-state | fallback-kind | ...
    Column("ori", Text),  # the ORI whose count it is (roster rules)
    Column("year", Integer),  # the year of the roster's count
    Column("basis", Text, nullable=False),  # JSON: a message (code and values) saying where the number comes from
)

# --- the watcher's private state: what it fetched, its runs, subscriptions, secrets, webhook deliveries ----
# Not part of the public record: kept apart from it (``Database.private``: a file beside a SQLite database, the
# schema ``track287g_private`` on PostgreSQL), so that publishing ``track287g.db`` never publishes a webhook's
# address, secret or delivery. Never derived, never deleted by ``track287g rebuild``.

private_metadata = MetaData()
PRIVATE_SCHEMA = "track287g_private"

watch_url = Table(
    "watch_url",
    private_metadata,
    # one row per address fetched: the validators for conditional requests and what it last gave
    Column("url", Text, primary_key=True),
    Column("role", Text, nullable=False),  # page | file
    Column("name", Text),  # the file name it was stored under
    Column("etag", Text),
    Column("last_modified", Text),
    Column("sha256", Text),  # the bytes it last served (files)
    Column("links", Text),  # the list links found on it, JSON (page)
    Column("status", Text, nullable=False),  # what the last check gave: stored, unchanged, not-modified, an error
    Column("checked_at", Text, nullable=False),
    Column("changed_at", Text),  # when it last served different bytes
)

watch_run = Table(
    "watch_run",
    private_metadata,
    # one row per run of the watcher: its report as JSON, so the log survives the process
    Column("run_id", Integer, primary_key=True, autoincrement=True),
    Column("started_at", Text, nullable=False),
    Column("finished_at", Text),
    Column("page_url", Text, nullable=False),
    Column("page_status", Text, nullable=False),
    Column("stored", Integer, nullable=False),
    Column("alerts", Integer, nullable=False),
    Column("report", Text, nullable=False),  # JSON
)

subscription = Table(
    "subscription",
    private_metadata,
    Column("sub_id", Integer, primary_key=True, autoincrement=True),
    Column("channel", Text, nullable=False),  # webhook
    Column("target", Text, nullable=False),  # the URL posted to
    Column("state", Text),  # only events in this state (USPS code)
    Column("agency", Text),  # only events of agencies whose id or name contains this (case-insensitive)
    Column("secret", Text),  # HMAC-SHA256 key for X-Track287g-Signature
    Column("allow_private", Boolean, nullable=False, default=False),  # the operator allowed a private address
    Column("active", Boolean, nullable=False),
    Column("created_at", Text, nullable=False),
)

announcement = Table(
    "announcement",
    private_metadata,
    # a publication first fetched from the web whose deliveries were queued (once, even after a crash)
    Column("sha256", Text, primary_key=True),
    Column("announced_at", Text, nullable=False),
    Column("events", Integer, nullable=False),
)

delivery = Table(
    "delivery",
    private_metadata,
    Column("delivery_id", Integer, primary_key=True, autoincrement=True),
    Column("sub_id", Integer, ForeignKey("subscription.sub_id"), nullable=False),
    Column("sha256", Text, nullable=False),  # the publication announced (or "revised:" + a revision's time)
    Column("body", Text, nullable=False),  # the JSON posted, fixed when queued so every retry signs the same bytes
    Column("status", Text, nullable=False),  # pending | delivered | failed (gave up)
    Column("attempts", Integer, nullable=False),
    Column("last_error", Text),
    Column("next_attempt_at", Text),
    Column("created_at", Text, nullable=False),
    Column("delivered_at", Text),
    UniqueConstraint("sub_id", "sha256"),
)

# tables of the watcher that databases made before the private state held in the public record
FORMERLY_PUBLIC = ("watch_url", "watch_run", "watch_lock", "subscription", "announcement", "delivery")

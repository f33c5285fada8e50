"""The history reads each list as its difference from the one before: what it works out that way equals what
counting every row of every list gives, on the bundled archive and on lists that reorder, repeat and drop rows.

The reference here is the plain count, written out in each test; the lists are the real ones, some of them
changed in memory the way ICE's lists change: a list printed in another order, rows printed twice, two lists in a
row that lost most of their rows (suspect publications). The questions asked of a built record the same way
(``history.queries.listed_counts`` and ``printed_runs``: the statistics over time, the claims' hints, each state's
timeline, the moving map, the watcher's document links) are compared with SQL over every listing.
"""

from __future__ import annotations

from array import array
from collections import Counter, defaultdict
from contextlib import contextmanager

import pytest
from sqlalchemy import func, select, text

from tests.conftest import sub_archive
from track287g.analyze.stats import active_by_publication
from track287g.history.build import _approvals, _handoffs, _mark_suspects, _spellings, build
from track287g.history.counts import _list_counts, _renaming, _row_mapping, all_counts
from track287g.history.load import SEARCHED, Pub, link, printings, times_listed
from track287g.history.model import UNKNOWN_MODEL, Neighbours, spelled
from track287g.history.queries import participating_lists, printed_models
from track287g.history.rules import load_rules
from track287g.messages import message
from track287g.resolve.agencies import Handoff, handoff_keys, handoff_partners, resolve_agencies
from track287g.resolve.aliases import load_aliases
from track287g.store import connect
from track287g.store.schema import agency, agreement, listing, listing_row, publication, row_agreement
from track287g.watch.documents import fetchable, pending_links
from track287g.web.lookups import state_timelines
from track287g.web.mapdata import frames


def _relist(pub: Pub, listings: list[tuple[int, str]]) -> None:
    pub.numbers = array("l", [n for n, _ in listings])
    pub.ids = [rid for _, rid in listings]
    pub.rows = len(listings)


def _changed(archive):
    """The bundled archive with some participating lists changed as ICE's lists change."""
    changed = sub_archive(archive, lambda kind, pubs: pubs)
    part = changed.pubs["participating"]
    _relist(part[120], part[120].listings[::-1])  # printed in another order
    _relist(part[121], part[121].listings[::-1])
    _relist(part[130], part[130].listings + [(9000 + n, rid) for n, rid in part[130].listings[:7]])  # printed twice
    _relist(part[150], part[150].listings[: len(part[150].listings) // 3])  # two lists in a row lose most rows
    _relist(part[151], part[151].listings[: len(part[151].listings) // 9])
    return changed


@pytest.fixture(scope="module", params=["as stored", "reordered, repeated, dropped"])
def history(request, archive):
    source = sub_archive(archive, lambda kind, pubs: pubs) if request.param == "as stored" else _changed(archive)
    return build(source, load_aliases(), load_rules())


def test_where_a_list_prints_rows_is_every_printing_in_list_order_whether_few_rows_are_asked_or_many(history):
    for pub in history.participating[125:135]:  # list 130 prints seven rows twice (in the changed archive)
        listed = set(pub.ids)
        absent = next(rid for rid in history.rows if rid not in listed)
        twice = [rid for rid, n in Counter(pub.ids).items() if n > 1]
        for wanted in (
            {pub.ids[-1]},
            {pub.ids[0], absent},
            set(pub.ids[::40][: SEARCHED + 1]),
            set(pub.ids[: SEARCHED - 1] + twice[:1]),
            set(twice),
            set(pub.ids),
        ):
            assert printings(pub, wanted) == [i for i, rid in enumerate(pub.ids) if rid in wanted], (pub.label, wanted)


def test_changed_lists_include_suspect_ones_in_a_row(archive):
    h = build(_changed(archive), load_aliases(), load_rules())
    assert [i for i, p in enumerate(h.participating) if p.suspect] == [150, 151]


def test_an_agreement_is_listed_in_exactly_the_lists_that_print_one_of_its_rows(history):
    positions = defaultdict(list)
    for index, pub in enumerate(history.participating):
        for agreement_id in sorted({history.row_agreement[rid] for rid in pub.ids if rid in history.row_agreement}):
            positions[agreement_id].append(index)
    assert {a.agreement_id: a.positions for a in history.agreements.values()} == dict(positions)


def test_an_agreement_s_listings_count_every_printing_of_its_rows(history):
    printed = Counter(rid for pub in history.participating for rid in pub.ids)
    expected = Counter()
    for rid, agreement_id in history.row_agreement.items():
        expected[agreement_id] += printed[rid]
    assert {a.agreement_id: a.listings for a in history.agreements.values()} == dict(expected)


def test_a_spelling_s_rows_count_every_printing_in_every_list(history):
    printed = Counter(rid for pubs in (history.participating, history.pending_pubs) for pub in pubs for rid in pub.ids)
    expected = Counter()
    for rid, n in printed.items():
        row = history.rows[rid]
        if row.state and row.agency:
            expected[(row.state, row.agency)] += n
    assert {(s.state, s.name): s.rows for s in history.spellings} == dict(expected)


def test_a_spelling_s_lists_are_every_list_printing_it_counted_read_whole_and_asked_after(history):
    expected = defaultdict(set)
    for pub in (*history.participating, *history.pending_pubs):
        for rid in pub.ids:
            row = history.rows[rid]
            if row.state and row.agency:
                expected[(row.state, row.agency)].add(pub.pub_id)
    spellings = {(s.state, s.name): s.pubs for s in history.spellings}
    assert {name: len(pubs) for name, pubs in spellings.items()} == {n: len(p) for n, p in expected.items()}
    for name, pubs in spellings.items():
        assert sorted(pubs) == sorted(expected[name])  # read whole, in no set order (as a set is)
        assert all(p in pubs for p in expected[name]) and -1 not in pubs
        assert list(pubs) == sorted(expected[name])  # once asked after, sorted
        assert pubs & {min(expected[name]), -1} == {min(expected[name])}


def test_a_spelling_gone_is_paired_with_those_of_its_state_and_those_of_another_state_under_its_key(history):
    # indexed once a list, so a list where many spellings went and many came costs their sum, not their product
    names = [(s.state, s.name) for s in history.spellings]
    key_of = handoff_keys(history.spellings)
    partners = handoff_partners(names, key_of)
    elsewhere = 0
    for gone in names[::5]:
        key = key_of(gone)
        expected = [n for n in names if n[0] == gone[0] or (key is not None and key_of(n) == key)]
        assert sorted(partners(gone)) == sorted(expected)
        elsewhere += sum(n[0] != gone[0] for n in expected)
    assert elsewhere  # some spellings are paired across states


def test_the_neighbours_of_a_row_that_came_or_went_where_the_walk_left_it_are_those_a_search_finds(history):
    kept = 0
    for pub in (*history.participating, *history.pending_pubs):
        searched = pub.renumbered(pub.seq)
        searched.moved_at = {}  # the same list, nothing kept: every row is searched for
        for rid in pub.moved_at:
            assert Neighbours(pub).get(rid) == Neighbours(searched).get(rid), (pub.label, rid)
        kept += len(pub.moved_at)
    assert kept > 1000


def test_a_list_counted_alone_has_the_counts_it_has_counted_from_the_list_before_it(history):
    found = all_counts(history)
    mapping = _row_mapping(history)
    alone = [row for pub in history.participating for row in _list_counts(pub, *mapping)]
    assert alone == found[: len(alone)]  # the participating lists first, in order
    assert {sha for sha, *_ in alone} == {pub.sha256 for pub in history.participating}


def test_names_changed_one_to_one_to_names_unused_before_are_a_renaming_and_a_merge_split_or_swap_is_not():
    before, after = {"a", "b", "c"}, {"a2", "b", "c"}
    assert _renaming([("a", "a2"), ("a", "a2")], before, after)  # every row of a, named a2
    assert _renaming([("b", "b")], before, after)  # kept its name (its holder may have been renamed)
    assert not _renaming([("a", "b")], before, {"b", "c"})  # a merged into b, used before
    assert not _renaming([("a", "a2")], before, after | {"a"})  # a split: a still names other rows
    assert not _renaming([("a", "a2"), ("a", "a3")], before, after | {"a3"})  # a split in two
    assert not _renaming([("a", "a2"), ("c", "a2")], before, after - {"c"})  # two made one
    assert not _renaming([("a", "b"), ("b", "a")], before, before)  # a swap


def test_each_list_s_counts_are_its_distinct_agreements_agencies_and_printed_rows(history):
    found = {(sha, model): rest for sha, model, *rest in all_counts(history)}
    holder = history.resolution.agency_of
    for pub in history.participating:
        rows = [rid for rid in pub.ids if rid in history.row_agreement]
        if not rows:
            continue
        agreements = {history.row_agreement[rid] for rid in rows}
        model = {a: history.agreements[a].model for a in agreements}
        pairs = {(model[history.row_agreement[rid]], holder[spelled(history.rows[rid])]) for rid in rows}
        assert found[(pub.sha256, "*")] == [len({a for _, a in pairs}), len(agreements), len(rows)], pub.label
        for m in set(model.values()):
            assert found[(pub.sha256, m)] == [
                sum(1 for pm, _ in pairs if pm == m),
                sum(1 for a in agreements if model[a] == m),
                sum(1 for rid in rows if model[history.row_agreement[rid]] == m),
            ], (pub.label, m)


@contextmanager
def _read(path):
    """A read connection to a built database, closed after."""
    db = connect(str(path), create=False)
    try:
        with db.read() as conn:
            yield conn
    finally:
        db.dispose()


def _every_listing(conn, by: str | None, filters: dict[str, str]) -> dict:
    """``stats.active_by_publication`` as SQL over every listing (what it was until the differences counted it)."""
    columns = {
        "state": agency.c.state,
        "model": agreement.c.model,
        "type": func.coalesce(listing_row.c.agency_type, "unknown"),
        "kind": agency.c.kind,
    }
    query = (
        select(
            publication.c.sha256,
            (columns[by] if by else agency.c.state).label("grp"),  # the state twice: one group
            agency.c.state,
            func.count(func.distinct(agreement.c.agreement_id)),
            func.count(func.distinct(row_agreement.c.agency_id)),
        )
        .select_from(
            listing.join(publication, publication.c.pub_id == listing.c.pub_id)
            .join(row_agreement, row_agreement.c.row_id == listing.c.row_id)
            .join(agreement, agreement.c.agreement_id == row_agreement.c.agreement_id)
            .join(listing_row, listing_row.c.row_id == listing.c.row_id)
            .join(agency, agency.c.agency_id == row_agreement.c.agency_id)
        )
        .where(publication.c.kind == "participating", *(columns[k] == v for k, v in filters.items()))
        .group_by(publication.c.sha256, "grp", agency.c.state)
    )
    out: dict = defaultdict(dict)
    for sha, grp, state, agreements, agencies in conn.execute(query):
        cell = out[sha].setdefault(grp if by else None, {"agencies": 0, "agreements": 0, "states": set()})
        cell["agreements"] += agreements
        cell["agencies"] += agencies
        cell["states"].add(state)
    return dict(out)


@pytest.mark.parametrize(
    ("by", "filters"),
    [
        (None, {}),
        ("state", {}),
        ("model", {}),
        ("type", {}),
        ("kind", {}),
        (None, {"state": "FL"}),
        ("model", {"type": "county"}),
        ("state", {"kind": "sheriff", "model": "JEM"}),
    ],
)
def test_agreements_and_agencies_on_every_list_counted_from_the_differences_equal_every_listing_counted(
    built_db_path, by, filters
):
    # the claims' hints and ``stats --every``: 6.6 s a question at ten years of daily lists as SQL over every
    # listing, the first state page 14 s (each state's timeline); read from the lists' differences instead
    with _read(built_db_path) as conn:
        assert active_by_publication(conn, by, filters) == _every_listing(conn, by, filters)


def test_the_lists_read_once_give_each_question_the_counts_it_reads_alone(built_db_path):
    # the claims' hints ask several questions of the same lists: read once, shared by each (never changed by one)
    with _read(built_db_path) as conn:
        lists = participating_lists(conn)
        for by, filters in ((None, {"state": "FL"}), ("model", {}), (None, {"state": "FL"}), ("state", {})):
            assert active_by_publication(conn, by, filters, lists) == _every_listing(conn, by, filters)


def test_each_states_timeline_counted_from_the_differences_equals_every_listing_counted(built_db_path):
    with _read(built_db_path) as conn:
        timelines = state_timelines(conn)
        every_listing = conn.execute(
            select(
                publication.c.sha256,
                agency.c.state,
                agreement.c.model,
                func.count(func.distinct(agreement.c.agreement_id)),
                func.count(func.distinct(row_agreement.c.agency_id)),
            )
            .select_from(listing)
            .join(publication, publication.c.pub_id == listing.c.pub_id)
            .join(row_agreement, row_agreement.c.row_id == listing.c.row_id)
            .join(agreement, agreement.c.agreement_id == row_agreement.c.agreement_id)
            .join(agency, agency.c.agency_id == row_agreement.c.agency_id)
            .where(publication.c.seq.is_not(None), publication.c.kind == "participating")
            .group_by(publication.c.sha256, agency.c.state, agreement.c.model)
        ).all()
    expected: dict = defaultdict(lambda: {"JEM": 0, "TFM": 0, "WSO": 0, "agencies_at_least": 0})
    for sha, state, model, agreements, agencies in every_listing:
        point = expected[(state, sha)]
        point[model] = agreements
        point["agencies_at_least"] = max(point["agencies_at_least"], agencies)
    got = {
        (state, p["publication"]): {k: p[k] for k in ("JEM", "TFM", "WSO", "agencies_at_least")}
        for state, series in timelines.items()
        for p in series
    }
    assert got == dict(expected)
    assert len(got) == 8476 and len(timelines) == 44


def test_the_moving_maps_runs_of_lists_from_the_differences_equal_every_listing_read(built_db_path):
    # 18.5 s at ten years of daily lists when read from every listing (the map's frames, made at each data change)
    with _read(built_db_path) as conn:
        made = frames(conn)
        listed = conn.execute(
            text(
                "SELECT DISTINCT p.sha256, ra.agreement_id FROM listing l JOIN publication p ON p.pub_id = l.pub_id "
                "JOIN row_agreement ra ON ra.row_id = l.row_id WHERE p.kind = 'participating'"
            )
        ).all()
        ids = sorted({a for _, a in listed})
    frame_of = {f["sha256"]: n for n, f in enumerate(made["frames"])}
    expected: dict = defaultdict(set)
    for sha, agreement_id in listed:
        if sha in frame_of:
            expected[agreement_id].add(frame_of[sha])
    got = {}
    for agreement_id, (_, _, runs) in zip(sorted(expected), made["agreements"], strict=True):
        got[agreement_id] = {n for first, last in runs for n in range(first, last + 1)}
    assert got == dict(expected) and len(got) == 1570 and len(ids) == 1570


def test_the_watchers_document_links_are_every_linked_row_printed_latest_list_first(built_db_path):
    # 46.8 s a watcher's run at ten years of daily lists when read from every listing
    with _read(built_db_path) as conn:
        links = pending_links(conn, "ice.gov", {})
        printed = conn.execute(
            text(
                "SELECT r.moa_url, r.addendum_url, max(p.seq) FROM listing l JOIN publication p ON p.pub_id = l.pub_id "
                "JOIN listing_row r ON r.row_id = l.row_id WHERE p.kind = 'participating' "
                "GROUP BY r.moa_url, r.addendum_url"
            )
        ).all()
    last: dict[str, int] = {}  # every listing read: each address's latest list
    for moa, addendum, seq in printed:
        for raw in (moa, addendum):
            url = fetchable(raw) if raw else None
            if url and "ice.gov/" in url:
                last[url] = max(last.get(url, 0), seq)
    assert {url for url, _ in links} == set(last) and len(links) == 1505
    assert [last[url] for url, _ in links] == sorted(last.values(), reverse=True)


def test_each_lists_rows_per_model_from_the_differences_equal_every_listing_counted(built_db_path):
    # the CLI's publications: 9.9 s at ten years of daily lists when counted from every listing
    with _read(built_db_path) as conn:
        models = printed_models(conn)
        counted = conn.execute(
            select(publication.c.sha256, listing_row.c.model, func.count())
            .select_from(listing)
            .join(publication, publication.c.pub_id == listing.c.pub_id)
            .join(listing_row, listing_row.c.row_id == listing.c.row_id)
            .group_by(publication.c.sha256, listing_row.c.model)
        ).all()
        kinds = dict(conn.execute(select(publication.c.sha256, publication.c.kind)).all())
    expected: dict = defaultdict(dict)
    for sha, model, n in counted:
        expected[sha][model or "unknown"] = n
    assert {sha: m for sha, m in models.items() if m} == dict(expected)
    assert {kinds[sha] for sha in expected} == {"participating", "pending", "historical"}


def _approvals_of_every_pair(archive, key_of) -> dict[tuple, tuple]:
    """The approvals worked out from every row of every list: (gone, new) -> (model, pending list, first listed),
    each pair's first, for every pair of a spelling that left the pending list and one first seen on the
    participating list in between; kept when the resolver reads it (the same state, or the same key)."""
    first_seen: dict[tuple, tuple[Pub, set]] = {}
    for pub in archive.pubs["participating"]:
        for _, rid in pub.listings:
            row = archive.rows[rid]
            if row.state and row.agency:
                seen = first_seen.setdefault((row.state, row.agency), (pub, set()))
                if seen[0] is pub:
                    seen[1].add(row.model or UNKNOWN_MODEL)
    found: dict[tuple, tuple] = {}
    earlier, names_before = None, set()
    for later in (p for p in archive.pubs["pending"] if not p.suspect):
        names = {(archive.rows[rid].state, archive.rows[rid].agency) for _, rid in later.listings}
        if earlier is not None and not names_before <= names:
            models: dict[tuple, set] = defaultdict(set)
            for _, rid in earlier.listings:
                row = archive.rows[rid]
                if row.state and row.agency and (row.state, row.agency) not in names:
                    models[(row.state, row.agency)].add(row.model or UNKNOWN_MODEL)
            for g, wanted in models.items():
                for n, (pub, carried) in first_seen.items():
                    if n == g or not earlier.published <= pub.published <= later.published:
                        continue
                    if n[0] != g[0] and (key_of(g) is None or key_of(g) != key_of(n)):
                        continue  # two states, two keys: the resolver would not read it
                    shared = wanted & carried or (carried if UNKNOWN_MODEL in wanted else set())
                    if shared:
                        found.setdefault((g, n), (min(shared), later.label, pub.label))
        earlier, names_before = later, names
    return found


@pytest.mark.parametrize("changed", [False, True], ids=["as stored", "reordered, repeated, dropped"])
def test_approvals_read_from_the_pending_lists_differences_are_those_every_row_gives(archive, changed):
    source = _changed(archive) if changed else sub_archive(archive, lambda kind, pubs: pubs)
    rules = load_rules()
    if changed:  # a pending list that lost most of its rows (suspect: skipped) and one printing rows twice
        pending = source.pubs["pending"]
        drop = next(i for i in range(1, len(pending) - 1) if pending[i - 1].rows >= rules.suspect_min_rows)
        _relist(pending[drop], pending[drop].listings[: len(pending[drop].listings) // 9])
        _relist(pending[70], pending[70].listings + [(9000 + n, rid) for n, rid in pending[70].listings[:5]])
    for pubs in source.pubs.values():
        link(pubs)
        _mark_suspects(pubs, rules.suspect_drop_share, rules.suspect_min_rows)
    spellings, _ = _spellings(source, {kind: times_listed(pubs) for kind, pubs in source.pubs.items()})
    key_of = handoff_keys(spellings)
    found: dict[tuple, tuple] = {}
    for h in _approvals(source, source.pubs["participating"], key_of):
        values = h.evidence["values"]
        found.setdefault((h.gone, h.new), (values["model"], values["list"], values["listed"]))
    expected = _approvals_of_every_pair(source, key_of)
    assert found == expected
    assert len(found) > 1000  # on the bundled archive: pairs of one state, and a few of two states under one key
    assert any(g[0] != n[0] for g, n in found)
    assert not changed or source.pubs["pending"][drop].suspect


def _resolved(archive, handoffs_of):
    """The agencies resolved from the archive's spellings, given the handoffs ``handoffs_of(spellings)`` returns:
    each spelling's agency, the pairs declined, the former ids."""
    rules = load_rules()
    for pubs in archive.pubs.values():
        link(pubs)
        _mark_suspects(pubs, rules.suspect_drop_share, rules.suspect_min_rows)
    spellings, _ = _spellings(archive, {kind: times_listed(pubs) for kind, pubs in archive.pubs.items()})
    pubs = [p for kind in archive.pubs.values() for p in kind]
    r = resolve_agencies(
        spellings,
        load_aliases(),
        min_ratio=rules.typo_min_ratio,
        margin=rules.typo_margin,
        min_length=rules.typo_min_length,
        handoffs=handoffs_of(spellings),
        handoff_min_ratio=rules.handoff_min_ratio,
        in_place_min_ratio=rules.in_place_min_ratio,
        same_body=list(rules.same_body),
        max_gap=rules.max_gap_publications,
        labels={p.pub_id: p.label for p in pubs},
        order={p.pub_id: p.order_key() for p in pubs},
        participating={p.pub_id for p in archive.pubs["participating"]},
    )
    return r.agency_of, r.candidates, r.aliases, r.id_changes


def test_the_resolver_reads_no_handoff_between_two_states_under_two_keys(archive):
    # what lets the history leave such handoffs out: the bundled archive's own handoffs, then the same with every
    # pair of spellings of two states whose keys differ and whose names share their first word added (in place)
    source = sub_archive(archive, lambda kind, pubs: pubs)

    def with_strangers(spellings):
        key_of = handoff_keys(spellings)
        found = _handoffs(source, key_of)
        by_word = defaultdict(list)
        for s in spellings:
            by_word[s.name.split()[0].lower()].append((s.state, s.name))
        strangers = [
            Handoff(
                g,
                n,
                message(
                    "handoff.application",
                    list="x",
                    model="TFM",
                    name=repr(n[1]),
                    state=n[0],
                    other=repr(g[1]),
                    other_state=g[0],
                ),
                True,
                False,
            )
            for names in by_word.values()
            for g in names
            for n in names
            if g[0] != n[0] and key_of(g) != key_of(n)
        ]
        assert len(strangers) > 500
        return sorted(found + strangers, key=lambda h: (h.gone, h.new))

    assert _resolved(source, with_strangers) == _resolved(source, lambda s: _handoffs(source, handoff_keys(s)))


def test_the_lead_s_changes_read_from_the_spellings_runs_are_those_read_list_by_list(history):
    # where an agency's id could change: from where each spelling's runs of lists start and end, against every
    # list printing the agency read in turn (the reordered, repeated and dropped lists included)
    from track287g.resolve.agencies import _lead_changes, _lead_changes_listed

    pubs = [*history.participating, *history.pending_pubs]
    order = {p.pub_id: p.order_key() for p in pubs}
    rank = {p: i for i, p in enumerate(sorted(order, key=order.__getitem__))}
    participating = {p.pub_id for p in history.participating}
    kinds: dict = {}
    compared = 0
    for resolved in history.resolution.agencies:
        spellings = [m.spelling for m in resolved.members]
        if len(spellings) < 2:
            continue
        assert all(s.pubs.runs for s in spellings)
        changes, lists = _lead_changes(spellings, rank, participating, kinds)
        assert (changes, lists) == _lead_changes_listed(spellings, rank, participating)
        compared += bool(changes)
    assert compared > 50


def test_a_name_scored_against_many_has_the_32_bit_score_of_the_whole_matrix(history):
    # the typo rule and the roster match score one name against many without numpy; the matrix rapidfuzz makes
    # with numpy is the reference, on every spelling's key of the bundled record's three largest states
    from rapidfuzz import fuzz, process

    from track287g.resolve.similarity import ratio, scores_from

    for state in ("FL", "TX", "GA"):
        keys = sorted({s.key for s in history.spellings if s.state == state})
        matrix = process.cdist(keys, keys, scorer=fuzz.ratio)
        assert len(keys) > 20
        for i, key in enumerate(keys):
            expected = [(float(matrix[i][j]), j) for j in range(len(keys)) if matrix[i][j] >= 80]
            assert scores_from(key, keys, 80) == expected
            assert [ratio(key, other) for other in keys] == [float(v) for v in matrix[i]]

"""The model behind bench/synth_archive.py: ICE's two lists day by day, the churn, and the truth of every row.

``Simulation`` holds the agreements on the participating list and the applications on the pending list, applies
one day of churn at a time (``step``), prints each list as ICE would (``printed``: habits, typos, re-dates) and
records what each printed row truly stands for (``observe``). Agencies come from ICE's own latest list and then
the FBI's roster of agencies (bundled reference data), weighted by state as ICE's list is.
"""

from __future__ import annotations

import csv
import hashlib
import math
import random
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import quote

from python_calamine import CalamineWorkbook

from synth_xlsx import Row

REPO = Path(__file__).resolve().parents[1]
ICE = REPO / "data" / "archive" / "ice"
REFERENCE = REPO / "src" / "track287g" / "data"
TEMPLATES = {  # layout -> one of ICE's own files in that layout
    "participating": ICE / "participating" / "participatingAgencies03062025am.xlsx",
    "participating+county": ICE / "participating" / "participatingAgencies05192025am.xlsx",
    "participating+county+addendum": ICE / "participating" / "participatingAgencies01262026pm.xlsx",
    "pending": ICE / "wayback_2025" / "pending" / "pendingAgencies-20250221214937.xlsx",
    "pending+county": ICE / "pending" / "pendingAgencies01052025pm.xlsx",
    "pending+county+moa": ICE / "pending" / "pendingAgencies01302026am.xlsx",
}
SEED_LIST = TEMPLATES["participating+county+addendum"]  # ICE's agencies, as printed, start the pool
# when each layout starts, as a share of the run (ICE: COUNTY in spring 2025, ADDENDUM from July 2025)
PHASES = {
    "participating": ((0.0, "participating"), (0.03, "participating+county"), (0.08, "participating+county+addendum")),
    "pending": ((0.0, "pending"), (0.03, "pending+county"), (0.9, "pending+county+moa")),
}
MODEL_TEXT = {"JEM": "Jail Enforcement Model", "TFM": "Task Force Model", "WSO": "Warrant Service Officer"}


@dataclass
class Params:
    lists: int
    seed: int = 1
    end: date = date(2026, 2, 27)
    start_agreements: int = 135
    final_agreements: int = 5000
    repost_rate: float = 0.08  # a participating list posted again unchanged
    pending_repost_rate: float = 0.12
    removal_rate: float = 0.0003  # per active agreement per day
    renewal_share: float = 0.25  # of removals: replaced by a newer agreement of the same model
    switch_share: float = 0.10  # of removals: replaced by another model
    via_pending: float = 0.6  # of additions: approved from the pending list
    withdraw_share: float = 0.07  # of pending applications
    typo_rate: float = 0.0004  # per printed row per day: a transient typo starts
    novel_typos: float = 0.5  # share of state / model / type typos that ICE has not printed before
    misdated: float = 0.03  # new agreements first printed with a wrong date, re-dated later
    year_typo: float = 0.01  # printed with year 5025 for 2025, for a while
    text_date: float = 0.02  # printed as text M/D/YYYY (for good)
    missing_slash: float = 0.003  # printed as text MM/DDYYYY, for a while
    rename_rate: float = 0.00004  # per agency per day
    misspelt_name: float = 0.01  # a new agency printed misspelt until ICE fixes it (a rename)
    moa_pending: float = 0.5  # new agreements printed "link pending" before the MOA link
    addendum_rate: float = 0.0001  # per active agreement per day, once the ADDENDUM column exists
    safelinks: float = 0.3  # MOA addresses wrapped by Outlook
    stamp_typo: float = 0.1  # January lists named with last year's stamp


# ---- the agencies the lists draw from -------------------------------------------------------------------------


@dataclass
class Agency:
    id: str
    state: str  # USPS
    name: str  # as ICE prints it now
    type: str  # County | Municipality | State Agency
    county: str
    models: set[str] = field(default_factory=set)  # models held or pending
    version: int = 0  # bumped on every rename


def _states() -> tuple[dict[str, str], dict[str, str]]:
    with open(REFERENCE / "fixes" / "states.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    return {r["name"]: r["usps"] for r in rows}, {r["usps"]: r["name"] for r in rows}


_SAME_BODY = (
    (re.compile(r"\bsheriff'?s? (office|department|dept\.?)"), "sheriff"),
    (re.compile(r"\bpolice (department|dept\.?)|\bpd\b"), "police"),
    (re.compile(r"^city of |^town of |^village of "), ""),
)


def _key(name: str, state_name: str) -> str:
    """One key for the names of one body in one state: case, quotes, punctuation and spacing aside, "Sheriff's
    Office" is "Sheriff's Department", "Police Dept." is "Police Department", and the state's name is implied
    ("South Dakota Highway Patrol" is the roster's "Highway Patrol"). ICE prints "Wharton County Sheriff's
    Office" and "Wharton County Sheriff’s Office" for one agency; the generator must not make them two."""
    text = name.lower().replace("’", "'").replace(state_name.lower(), " ")
    for pattern, same in _SAME_BODY:
        text = pattern.sub(same, text.strip())
    return re.sub(r"[^a-z0-9]+", "", text)


def _pool(rng: random.Random, usps_of: dict[str, str]) -> tuple[dict[str, list[tuple]], dict[str, float]]:
    """Candidate agencies per state, ICE's own first (as ICE prints them), then the FBI roster's; state weights."""
    rows = CalamineWorkbook.from_path(str(SEED_LIST)).get_sheet_by_index(0).to_python()
    header = [str(h).strip() for h in rows[0]]
    col = {h: header.index(h) for h in ("STATE", "LAW ENFORCEMENT AGENCY", "TYPE", "COUNTY")}
    name_of = {usps: name for name, usps in usps_of.items()}
    ice: dict[str, dict[str, tuple]] = {}
    weight: Counter = Counter()
    for r in rows[1:]:
        state = usps_of.get(str(r[col["STATE"]]).strip().upper())
        name = str(r[col["LAW ENFORCEMENT AGENCY"]]).strip()
        if not state or not name:
            continue
        weight[state] += 1
        kind = str(r[col["TYPE"]]).strip()
        key = _key(name, name_of[state])
        ice.setdefault(state, {}).setdefault(key, (name, kind, str(r[col["COUNTY"]]).strip()))
    types = {"City": "Municipality", "County": "County", "Parish": "County", "Borough": "County"}
    types |= {
        "State Police": "State Agency",
        "Other State Agency": "State Agency",
        "University or College": "State Agency",
    }
    suffix = {"LA": " Parish", "AK": " Borough"}
    fbi: dict[str, list[tuple]] = {}
    seen = {(state, key) for state, names in ice.items() for key in names}
    with open(REFERENCE / "reference" / "fbi-ucr-agencies-2021.csv", newline="") as f:
        for r in csv.DictReader(f):
            kind, state = types.get(r["agency_type_name"]), r["state_abbr"]
            name = " ".join(r["agency_name"].split())
            if kind is None or state not in name_of or not name or (state, _key(name, name_of[state])) in seen:
                continue  # one agency per name and state (the roster repeats a few, e.g. Kansas's troops)
            seen.add((state, _key(name, name_of[state])))
            county = r["county_name"].split(",")[0].strip().title()
            fbi.setdefault(state, []).append((name, kind, county + suffix.get(state, " County") if county else ""))
    pool: dict[str, list[tuple]] = {}
    for state in sorted(set(ice) | set(fbi)):
        own = sorted(ice.get(state, {}).values())
        rng.shuffle(own)
        other = sorted(set(fbi.get(state, [])))
        rng.shuffle(other)
        pool[state] = own + other  # drawn from the end: reversed so ICE's own come first
        pool[state].reverse()
    weights = {s: weight.get(s, 0) + 3.0 for s in sorted(pool)}
    return pool, weights


# ---- typos ----------------------------------------------------------------------------------------------------

KEYBOARD = "qwertyuiop asdfghjkl zxcvbnm"
SEEN_STATE_TYPOS = {"PA": "PENNSLYVANIA", "WV": "WEST VIRIGINIA", "MI": "MCHIGAN", "UT": "UTAHJ"}
SEEN_MODEL_TYPOS = {
    "WSO": ("Warrant Services Officer", "Warrant Service Office"),
    "JEM": ("Jail Enforcment Model",),
    "TFM": ("Task Force Officer", "Task Force"),
}
SEEN_TYPE_TYPOS = {"Municipality": ("Muncipality", "#NA"), "County": ("#NA",), "State Agency": ("State", "#NA")}


def _near(ch: str, rng: random.Random) -> str:
    i = KEYBOARD.find(ch.lower())
    if i < 0:
        return ch
    options = [KEYBOARD[j] for j in (i - 1, i + 1) if 0 <= j < len(KEYBOARD) and KEYBOARD[j] != " "]
    pick = rng.choice(options) if options else ch
    return pick.upper() if ch.isupper() else pick


def keystroke(text: str, rng: random.Random) -> str:
    """One slip of the hand in a word of four letters or more: swap, drop, double or a neighbouring key."""
    words = text.split(" ")
    long = [i for i, w in enumerate(words) if sum(c.isalpha() for c in w) >= 4]
    if not long:
        return text + rng.choice("sj")
    i = rng.choice(long)
    w = words[i]
    letters = [k for k, c in enumerate(w) if c.isalpha()]
    k = rng.choice(letters[1:-1] or letters)
    how = rng.randrange(4)
    if how == 0 and k + 1 < len(w) and w[k + 1].isalpha() and w[k + 1] != w[k]:
        w = w[:k] + w[k + 1] + w[k] + w[k + 2 :]
    elif how == 1:
        w = w[:k] + w[k + 1 :]
    elif how == 2:
        w = w[:k] + w[k] + w[k:]
    else:
        w = w[:k] + _near(w[k], rng) + w[k + 1 :]
    words[i] = w
    out = " ".join(words)
    return out if out != text else text[:-1] if len(text) > 4 else text + "s"


def _with_year(day: date, year: int) -> date:
    """The same month and day in another year (February 29 becomes the 28th where there is none)."""
    try:
        return day.replace(year=year)
    except ValueError:
        return day.replace(year=year, day=28)


# ---- what is printed ------------------------------------------------------------------------------------------


@dataclass
class Listed:
    """An agreement (participating list) or an application (pending list): what a row stands for."""

    id: str
    agency: Agency
    model: str
    signed: date | None = None  # the true signing date (agreements)
    shown_signed: date | str | None = None  # what ICE prints in SIGNED now
    moa_url: str = ""
    moa_ready: int = 0  # day index from which the MOA cell says "link" with its address
    addendum_url: str = ""
    addendum_from: int | None = None
    spaces: tuple[bool, bool, bool, bool] = (False, False, False, False)  # name, type, model, county habits
    over: dict[str, tuple[str, int]] = field(default_factory=dict)  # field -> (typo printed, last day index)
    first_day: int = 0
    end_day: int | None = None  # day index of the removal / approval / withdrawal
    outcome: str = ""  # agreements: removed | renewed | switched; applications: approved | withdrawn
    successor: str = ""
    via: str = ""  # the application it came from / the agreement it became
    seen_first: str = ""  # publication dates it was printed in (the truth)
    seen_last: str = ""
    cache: tuple | None = None  # (what the printed row depends on, the row)


class Simulation:
    """The state of ICE's two lists, day by day, and the truth about every row."""

    def __init__(self, p: Params) -> None:
        self.p = p
        self.rng = random.Random(p.seed)
        self.usps_of, self.name_of = _states()
        self.pool, self.weights = _pool(random.Random(p.seed + 1), self.usps_of)
        self.days = [p.end - timedelta(days=p.lists - 1 - i) for i in range(p.lists)]
        self.agencies: list[Agency] = []
        self.active: dict[str, Listed] = {}  # agreements on the participating list, by id
        self.pending: dict[str, Listed] = {}  # applications on the pending list, by id
        self.ended: list[Listed] = []
        self.approvals: dict[int, list[Listed]] = {}  # day index -> applications approved that day
        self.withdrawals: dict[int, list[Listed]] = {}
        self.redates: dict[int, list[Listed]] = {}  # day index -> agreements whose printed date is corrected
        self.scheduled_renames: dict[int, list[tuple[Agency, str, str]]] = {}
        self.renames: list[tuple[str, str, str, str, str, str]] = []  # agency, state, effective, old, new, why
        self.variants: dict[tuple[str, str, str, str, str], list[str]] = {}  # -> [first, last] list date
        self.counter: Counter = Counter()

    # -- identities --
    def _new_id(self, prefix: str) -> str:
        self.counter[prefix] += 1
        return f"{prefix}{self.counter[prefix]:05d}"

    def _new_agency(self, day: int) -> Agency:
        rng = self.rng
        states = [s for s in self.weights if self.pool[s]]
        state = rng.choices(states, [self.weights[s] for s in states])[0]
        name, kind, county = self.pool[state].pop()
        agency = Agency(self._new_id("A"), state, name, kind, county)
        if rng.random() < self.p.misspelt_name:  # printed misspelt until ICE fixes it
            agency.name = keystroke(name, rng)
            self.scheduled_renames.setdefault(day + rng.randint(10, 200), []).append(
                (agency, name, "misspelling fixed")
            )
        self.agencies.append(agency)
        return agency

    def _agency_for(self, day: int, models: tuple[str, ...]) -> tuple[Agency, str]:
        """An agency and a model it does not hold yet: mostly a new agency, sometimes one adding a model."""
        rng = self.rng
        model = rng.choices(models, (0.1, 0.6, 0.3) if len(models) == 3 else None)[0]
        if self.agencies and rng.random() < 0.15:
            agency = rng.choice(self.agencies)
            free = [m for m in ("JEM", "TFM", "WSO") if m not in agency.models]
            if free:
                return agency, rng.choice(free)
        return self._new_agency(day), model

    def _habits(self) -> tuple[bool, bool, bool, bool]:
        r = self.rng.random
        return (r() < 0.04, r() < 0.15, r() < 0.02, r() < 0.03)

    def _moa_url(self, g: Listed) -> str:
        a = g.agency
        stem = "".join(ch for ch in a.name if ch.isalnum())
        url = f"https://www.ice.gov/doclib/287gMOA/{stem}{a.state}_{g.model}_MOA_{g.signed:%m%d%Y}.pdf"
        if self.rng.random() < self.p.safelinks:
            token = hashlib.sha1(url.encode()).hexdigest()
            url = (
                f"https://gcc02.safelinks.protection.outlook.com/?url={quote(url, safe='')}"
                f"&data=05%7C02%7CERO287g%40ice.dhs.gov%7C{token[:32]}%7C0%7C0&sdata={token[32:]}%3D&reserved=0"
            )
        return url

    def _signed(self, day: int, since: date | None = None) -> date:
        posted = self.days[day]
        signed = posted - timedelta(days=self.rng.randint(0, 20))
        if day == 0 or (since is None and self.rng.random() < 0.02):
            signed = posted - timedelta(days=self.rng.randint(60, 2500))  # an old agreement listed late
        return max(signed, since) if since else signed

    def add_agreement(self, day: int, agency: Agency, model: str, via: str = "", since: date | None = None) -> Listed:
        rng, p = self.rng, self.p
        signed = self._signed(day, since)
        g = Listed(self._new_id("G"), agency, model, signed, signed, first_day=day, via=via)
        g.spaces = self._habits()
        g.moa_url = self._moa_url(g)
        g.moa_ready = day + (rng.randint(1, 40) if day and rng.random() < p.moa_pending else 0)
        agency.models.add(model)
        roll = rng.random()
        fix_day = day + rng.randint(1, 30)
        if roll < p.misdated:  # a wrong date, corrected later (a re-date)
            wrong = signed + timedelta(days=rng.choice((-1, 1)) * rng.randint(1, 40))
            if rng.random() < 0.3:
                wrong = _with_year(signed, signed.year + rng.choice((-1, 1)))  # a slip in the year only
            g.shown_signed = wrong
            self.redates.setdefault(day + rng.randint(1, 60), []).append(g)
        elif (roll := roll - p.misdated) < p.year_typo:  # 5025 for 2025
            g.shown_signed = _with_year(signed, signed.year + 3000)
            self.redates.setdefault(fix_day, []).append(g)
        elif (roll := roll - p.year_typo) < p.text_date:  # text, for good
            g.shown_signed = f"{signed.month}/{signed.day}/{signed.year}"
        elif roll - p.text_date < p.missing_slash:
            g.shown_signed = f"{signed.month:02d}/{signed.day:02d}{signed.year}"
            self.redates.setdefault(fix_day, []).append(g)
        self.active[g.id] = g
        return g

    def rename(self, agency: Agency, day: int, new: str | None = None, why: str = "") -> None:
        old = agency.name
        if new is None:
            forms = []
            if "Sheriff's Office" in old:
                forms.append((old.replace("Sheriff's Office", "Sheriff's Department"), "Office -> Department"))
                forms.append((old.replace("Sheriff's Office", "Sheriff’s Office"), "curly apostrophe"))
            if "Sheriff's Department" in old:
                forms.append((old.replace("Sheriff's Department", "Sheriff's Office"), "Department -> Office"))
            if old.endswith("Police Department") and not old.startswith("City of"):
                forms.append(("City of " + old, "City of"))
                forms.append((old.replace("Police Department", "Police Dept."), "abbreviation"))
            if old.startswith("City of "):
                forms.append((old[len("City of ") :], "City of dropped"))
            if old != old.upper():
                forms.append((old.upper(), "capitals"))
            if not forms:
                return
            new, why = self.rng.choice(forms)
        if new != old:
            agency.name, agency.version = new, agency.version + 1
            self.renames.append((agency.id, agency.state, self.days[day].isoformat(), old, new, why))

    def _sample(self, rows: dict[str, Listed], rate: float) -> list[Listed]:
        k = min(self._poisson(len(rows) * rate), len(rows))
        return self.rng.sample(list(rows.values()), k) if k else []

    def _poisson(self, lam: float) -> int:
        k, term = 0, math.exp(-lam)
        total, u = term, self.rng.random()
        while u > total and k < 10_000:
            k += 1
            term *= lam / k
            total += term
        return k

    # -- one day --
    def start(self) -> None:
        """The first day: the agreements already listed (JEM and WSO, as in January 2025) and the applications
        already pending (about a month of the growth to come)."""
        p = self.p
        for _ in range(p.start_agreements):
            agency, model = self._agency_for(0, ("JEM", "WSO"))
            self.add_agreement(0, agency, model)
        waiting = p.start_agreements * math.log(p.final_agreements / p.start_agreements) / max(p.lists - 1, 1) * 30
        for _ in range(max(3, round(waiting * p.via_pending))):
            self.apply(0, self.rng.randint(1, 45))

    def step(self, day: int) -> None:
        """One day of churn (day 0 is ``start``)."""
        if day == 0:
            self.start()
            return
        rng, p, n = self.rng, self.p, len(self.days)
        for g in self.redates.pop(day, []):
            g.shown_signed = g.signed
        for agency, new, why in self.scheduled_renames.pop(day, []):
            self.rename(agency, day, new, why)
        # removals, renewals, model switches (not in an agreement's first month)
        for g in self._sample(self.active, p.removal_rate):
            if g.first_day > day - 30:
                continue
            del self.active[g.id]
            g.end_day, g.outcome = day, "removed"
            g.agency.models.discard(g.model)
            roll = rng.random()
            other = [m for m in ("JEM", "TFM", "WSO") if m not in g.agency.models and m != g.model]
            if roll < p.renewal_share and (self.days[day] - g.signed).days > 180:  # renewed: not within months
                g.outcome, g.successor = "renewed", self.add_agreement(day, g.agency, g.model).id
            elif roll < p.renewal_share + p.switch_share and other:
                g.outcome, g.successor = "switched", self.add_agreement(day, g.agency, rng.choice(other)).id
            self.ended.append(g)
        # pending applications that end today
        for app in self.withdrawals.pop(day, []):
            self._end_application(app, day, "withdrawn")
        for app in self.approvals.pop(day, []):
            g = self.add_agreement(day, app.agency, app.model, via=app.id, since=self.days[app.first_day])
            self._end_application(app, day, "approved", g.id)
        # growth toward the target: the rest straight onto the list
        ratio = p.final_agreements / p.start_agreements
        target = p.start_agreements * ratio ** (day / max(n - 1, 1))
        for _ in range(max(0, round(target) - len(self.active))):
            agency, model = self._agency_for(day, ("JEM", "TFM", "WSO"))
            self.add_agreement(day, agency, model)
        # new applications, for the growth a few weeks ahead
        slope = target * math.log(ratio) / max(n - 1, 1)
        expected = slope * p.via_pending / (1 - p.withdraw_share) if day + 7 < n else 0.0
        for _ in range(int(expected) + (rng.random() < expected - int(expected))):
            self.apply(day, day + rng.randint(7, 60))
        # renames, addenda, transient typos
        for _ in range(self._poisson(len(self.agencies) * p.rename_rate)):
            self.rename(rng.choice(self.agencies), day)
        if day >= PHASES["participating"][2][0] * (n - 1):
            for g in self._sample(self.active, p.addendum_rate):
                if g.addendum_from is None:
                    g.addendum_from = day
                    g.addendum_url = g.moa_url.replace("_MOA_", "_Addendum_")
        for rows in (self.active, self.pending):
            for row in self._sample(rows, p.typo_rate):
                self._typo(row, day)

    def apply(self, day: int, end: int) -> None:
        """A new application on the pending list, approved or withdrawn on day ``end``."""
        agency, model = self._agency_for(day, ("JEM", "TFM", "WSO"))
        agency.models.add(model)
        app = Listed(self._new_id("P"), agency, model, first_day=day, spaces=self._habits())
        self.pending[app.id] = app
        ends = self.withdrawals if self.rng.random() < self.p.withdraw_share else self.approvals
        ends.setdefault(end, []).append(app)

    def _end_application(self, app: Listed, day: int, outcome: str, agreement: str = "") -> None:
        self.pending.pop(app.id, None)
        app.end_day, app.outcome, app.via = day, outcome, agreement
        if outcome == "withdrawn":
            app.agency.models.discard(app.model)
        self.ended.append(app)

    def _typo(self, row: Listed, day: int) -> None:
        rng, a = self.rng, row.agency
        fld = rng.choices(("agency", "state", "support", "type", "county"), (0.55, 0.1, 0.15, 0.12, 0.08))[0]
        novel = rng.random() < self.p.novel_typos
        if fld == "agency":
            printed = keystroke(a.name, rng)
        elif fld == "state":
            seen = SEEN_STATE_TYPOS.get(a.state)
            printed = keystroke(self.name_of[a.state], rng) if novel else seen
        elif fld == "support":
            printed = keystroke(MODEL_TEXT[row.model], rng) if novel else rng.choice(SEEN_MODEL_TYPOS[row.model])
        elif fld == "type":
            printed = keystroke(a.type, rng) if novel else rng.choice(SEEN_TYPE_TYPOS.get(a.type, ("#NA",)))
        else:
            printed = keystroke(a.county, rng) if a.county and novel else "#N/A"
        if printed:
            row.over[fld] = (printed, day + rng.randint(0, 29))  # printed on 1-30 lists

    # -- printing --
    def layout(self, kind: str, day: int) -> str:
        share = day / max(len(self.days) - 1, 1)
        return [name for start, name in PHASES[kind] if share >= start][-1]

    def printed(self, kind: str, day: int, fields: tuple[str, ...]) -> list[tuple[Listed, Row]]:
        """The rows of one list as ICE prints them (sorted by state and agency), and what each stands for."""
        rows = self.active if kind == "participating" else self.pending
        participating = kind == "participating"
        out = []
        for row in rows.values():
            moa = participating and day >= row.moa_ready
            addendum = participating and row.addendum_from is not None and day >= row.addendum_from
            key = (fields, row.agency.version, moa, addendum, row.shown_signed)
            if row.over:
                for fld, (_, last) in list(row.over.items()):
                    if last < day:
                        del row.over[fld]
                key = None
            if key is None or row.cache is None or row.cache[0] != key:
                printed = self._print(row, fields, moa, addendum)
                row.cache = (key, printed) if key else None
            else:
                printed = row.cache[1]
            out.append((row, printed))
        col = fields.index("support")
        out.sort(key=lambda t: (t[1][0][0], t[1][0][1], t[1][0][col], t[0].id))
        return out

    def _print(self, row: Listed, fields: tuple[str, ...], moa: bool, addendum: bool) -> Row:
        a = row.agency
        name_sp, type_sp, model_sp, county_sp = row.spaces
        values = {
            "state": self.name_of[a.state],
            "agency": a.name + (" " if name_sp else ""),
            "type": a.type + (" " if type_sp else ""),
            "county": a.county + (" " if county_sp else ""),
            "support": MODEL_TEXT[row.model] + (" " if model_sp else ""),
            "signed": row.shown_signed,
            "moa": "link" if moa else "link pending",
            "addendum": "link" if addendum else "",
        }
        links = []
        if moa:
            links.append((fields.index("moa"), row.moa_url, row.id + "moa"))
        if addendum and "addendum" in fields:
            links.append((fields.index("addendum"), row.addendum_url, row.id + "add"))
        for fld, (typo, _) in row.over.items():
            values[fld] = typo
        return tuple(values[f] for f in fields), tuple(links)

    def observe(self, kind: str, rows: list[tuple[Listed, Row]], fields: tuple[str, ...], posted: str) -> None:
        """Record in the truth what this publication printed, and every printed value that is not true."""
        for row, (values, _) in rows:
            row.seen_first = row.seen_first or posted
            row.seen_last = posted
            if not row.over and (kind == "pending" or row.shown_signed == row.signed):
                continue
            a = row.agency
            true = {"state": self.name_of[a.state], "agency": a.name, "type": a.type, "county": a.county}
            true["support"] = MODEL_TEXT[row.model]
            for f, v in zip(fields, values, strict=True):
                if f in row.over:
                    key = (row.id, f, v, true[f], "typo")
                elif f == "signed" and v != row.signed:
                    if isinstance(v, str):
                        category = "signed-text" if v.count("/") == 2 else "signed-missing-slash"
                    else:
                        category = "signed-year-typo" if v.year >= 3000 else "signed-redated"
                    key = (row.id, f, str(v), row.signed.isoformat(), category)
                else:
                    continue
                self.variants.setdefault(key, [posted, posted])[1] = posted

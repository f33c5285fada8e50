"""Every sentence the history, enrich and analyze stages write for a reader, in one place, as a code plus values.

A stage stores ``{"code": "...", "values": {...}}`` (see :func:`message`) instead of finished English; the
command line renders it in English with :func:`render`, the web site in the reader's language with
:func:`localized` (the English template is the msgid in the gettext catalogs, marked ``N_`` for Babel). Placeholders are
named; a value is formatted by the kind its key ends with: ``_usd`` dollars, ``_pct`` a percentage,
``_date`` an ISO date, ``year`` a year (no separator), other numbers as counts, a message (a dict with a code) as
its sentence, text as it is.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from track287g.i18n import ENGLISH as ENGLISH_LANGUAGE
from track287g.i18n import N_, NN_, Language

Message = dict[str, Any]

TEMPLATES: dict[str, str] = {
    # --- history: what the audit of a removal or withdrawal checked (its evidence)
    "evidence.removal.none": N_(
        "no row new in the lists from {first} to {until} prints the same model and signing date under another "
        "spelling, state or holder"
    ),
    "evidence.removal.none.one": N_(
        "no row new in the list of {first} prints the same model and signing date under another spelling, state or "
        "holder"
    ),
    "evidence.withdrawal.none.one": N_(
        "no row new in the lists of either kind of {first} prints an application or agreement of that model under "
        "a name alike, in any state"
    ),
    "evidence.withdrawal.none": N_(
        "no row new in the lists of either kind from {first} to {until} prints an application or agreement of "
        "that model under a name alike, in any state"
    ),
    "evidence.declined.one": N_("1 new row could continue it; it was declined"),
    "evidence.declined.many": N_("{rows} new rows could continue it; each was declined"),
    # --- history: a row the audit read as a possible continuation of a removal or withdrawal, and why it is not
    "audit.candidate": N_(
        "{publication} row {row}: {agency} ({state}) {model} {signed_date} [{score}] {decision}: {reason}"
    ),
    "audit.candidate.listed": N_(
        "{publication} ({list_kind}) row {row}: {agency} ({state}) {model} {signed_date} [{score}] {decision}: {reason}"
    ),
    "audit.same-agency": N_("the same agency prints it again"),
    "audit.two-bodies.participating": N_(
        "ICE prints the two agencies side by side (the participating list of {list}): two bodies"
    ),
    "audit.two-bodies.pending": N_("ICE prints the two agencies side by side (the pending list of {list}): two bodies"),
    "audit.no-transfer": N_("same model and date, {why}, but no transfer was recorded"),
    "audit.other-state": N_("another state ({state}) and another name"),
    "audit.another-body": N_("same state, model and date, but no shared county, place or name: another body"),
    "audit.own-listing": N_("the agency's own listing: the application's model or dates do not fit it"),
    "audit.identity-declined": N_("the identity rules declined: {reason}"),
    "audit.no-such-county": N_("{old_state} has no such county and {new_state} has: the same name under another state"),
    "audit.other-state-at-once": N_("the same name under another state, printed as the application left"),
    "audit.other-state-elsewhere": N_(
        "another state ({state}) with a body of that name, not where the application left"
    ),
    "audit.not-where-it-left": N_("a name alike, but not printed where the application left"),
    "audit.other-kind": N_("another kind of body ({kind} / {other_kind})"),
    "audit.word-for-word": N_("the same body's name (word for word) printed as the application left"),
    "audit.not-word-for-word": N_("a name alike, but not word for word"),
    # --- history: what a transfer's rows say
    "transfer.evidence": N_(
        "in the list of {list} the {model} agreement signed {signed_date} left {old} and appeared under {new}: {why}"
    ),
    "transfer.again": N_("in the list of {list} ICE printed it under another holder again"),
    "transfer.why.other-state": N_("the same name under another state ({old_state} -> {new_state})"),
    "transfer.why.county-column": N_("both in {county} (ICE's COUNTY column)"),
    "transfer.why.county-name": N_("both of {county} County by name"),
    "transfer.why.placed": N_("the new row took the old row's place in the list"),
    "transfer.why.words": N_("the words of one name are all in the other"),
    # --- history: an agreement's SIGNED date that is probably a year typo (``agreements.probable_signings``)
    "signed.probable": N_(
        "ICE's signing date {signed_date} is probably a year typo for {probable_date}: the agreement first "
        "appeared on ICE's list of {first_date}, a year later, and ICE's lists of the months between left it "
        "out. The record keeps ICE's date, and the id made from it."
    ),
    "signed.probable.moa": N_("{note} The name of the MOA file ICE links to gives {probable_date} too ({file})."),
    "transfer.same-moa": N_(
        "ICE linked the same MOA document under both names ({url}): it may have corrected the holder's name "
        "rather than the agreement changing hands"
    ),
    # --- history: what else the record holds beside a withdrawal
    "withdrawal.other-agency": N_(
        "the {model} agreement {agreement} of another agency of {county}, which no application of its own became, "
        "was first listed {listed_date}: ICE may have approved this application under that name"
    ),
    "withdrawal.other-model": N_(
        "the agency's {model} agreement {agreement}, which no application became, was first listed {listed_date}: "
        "ICE may have approved this {applied} application as a {model} agreement, or printed its model wrong"
    ),
    "withdrawal.already": N_(
        "the agency's {model} agreement {agreement} was on the participating list (since {since}) while this "
        "application was pending"
    ),
    "withdrawal.later": N_(
        "the agency's {model} agreement {agreement} was first listed {listed_date}, {days} days after this "
        "application's last listing: later than the {window} days within which an agreement counts as its approval"
    ),
    "withdrawal.later.again": N_(
        "the agency applied again ({pending}); that application became its {model} agreement {agreement}, first "
        "listed {listed_date}"
    ),
    # --- enrich: why agencies of a kind have no ORI (the match report)
    "unmatched.constable": N_(
        "Constables: Pennsylvania's and Tennessee's are in neither FBI roster; Texas's are in the 2025 roster "
        'with the precinct cut from the name ("Bexar County Constable:"), so which ORI is which precinct '
        "cannot be told from the bundled rosters. A crosswalk that would tell (the Law Enforcement Agency "
        "Identifiers Crosswalk, state rosters) is not bundled and cannot be fetched on this machine."
    ),
    "unmatched.corrections": N_(
        "Departments of corrections and county jails: their officers are not counted in the FBI rosters; where "
        "a department's inspector general or internal affairs unit has an ORI, it is not the department."
    ),
    "unmatched.prosecutor": N_("Prosecutors: few district attorneys and attorneys general report to the FBI."),
    "unmatched.military": N_("National and state guards do not report to the FBI."),
    "unmatched.county-government": N_("A board of county commissioners is not a law-enforcement agency."),
    "unmatched.state": N_(
        "State agencies: some are missing from the bundled rosters (South Carolina's SLED, Oklahoma's Bureau "
        "of Narcotics); others report only through units no name rule can tie to them (left for review)."
    ),
    "unmatched.local": N_(
        "Town police and marshals: towns that do not report to the FBI, and names the rosters spell too "
        "differently to match without a person's review."
    ),
    "unmatched.sheriff": N_(
        "Sheriffs: ICE printed the office under the wrong state (Crow Wing County, Minnesota's, under MA), the "
        "office is in neither roster, or the sheriff only runs the jail and the county's police holds the ORI."
    ),
    "unmatched.other": N_("Other bodies: no roster agency of a fitting kind with a close name."),
    # --- enrich: the size of an agency (sworn officers) and where it comes from
    # --- funding: notes under every estimate
    "funding.note.agencies": N_(
        "Agencies: the {agencies} Task Force Model agencies on ICE's participating list published "
        "{published_date} {part}; they are assumed to stay for the whole period."
    ),
    "funding.note.projected": N_(
        "New agencies after that list are projected at the growth per month, spread over the states like the "
        "listed ones; they are in no county until they sign."
    ),
    "funding.note.no-sizes": N_(
        "Sworn officers are not known for these agencies (the enrich stage has not run): every agency counts "
        "as the same size."
    ),
    "funding.note.fallback-wage": N_("No BLS state wage for {states}: the national mean wage is used."),
    "funding.note.before-program": N_(
        "The reimbursements start {start}: nothing is paid in a period that ends before it, so this figure is 0."
    ),
    "funding.note.one-time": N_(
        "Equipment and vehicles are paid once, when an agency becomes operational: these agencies became "
        "operational before {start}, so none of it falls in this period."
    ),
    "funding.note.ranges": N_(
        "Central figures add up: agencies to counties, counties (with state agencies and projected sign-ups) "
        "to states, states to the nation. Each range runs from the {p_low}th to the {p_high}th percentile of "
        "that place's own total over the same draws, so ranges do not add up."
    ),
    "funding.zero.agency": N_(
        "This agency holds no Task Force Model agreement on ICE's participating list published {published_date} "
        "{part}: the reimbursements are offered to Task Force Model agencies only."
    ),
    "funding.zero.county": N_(
        "No agency placed in this county holds a Task Force Model agreement on ICE's participating list "
        "published {published_date} {part}. Sign-ups projected for the state are in no county until they sign, "
        "and state agencies serve the whole state."
    ),
    # --- funding: the reconciliation with FWD.us
    "reconcile.end.low": N_(
        "FWD.us's low end, {target_usd} for {officers} officers, is reproduced by changing one input "
        "within its stated range (the others at their central values):"
    ),
    "reconcile.end.high": N_(
        "FWD.us's high end, {target_usd} for {officers} officers, is reproduced by changing one input "
        "within its stated range (the others at their central values):"
    ),
    # --- claims: hints of which list an author used, verdicts, units
    "claims.hint.none": N_("no archived list shows {claimed} {metric}{filters}"),
    "claims.hint.one-before": N_(
        "the record shows {claimed} {metric}{filters} on the list of {published}, before this date"
    ),
    "claims.hint.one-after": N_(
        "the record shows {claimed} {metric}{filters} on the list of {published}, after this date"
    ),
    "claims.hint.run-before": N_(
        "the record shows {claimed} {metric}{filters} on the lists of {first} to {last} ({lists} lists), "
        "before this date"
    ),
    "claims.hint.run-after": N_(
        "the record shows {claimed} {metric}{filters} on the lists of {first} to {last} ({lists} lists), "
        "after this date"
    ),
    "claims.listing.agency-listed": N_(
        "{name} ({state}) is on ICE's participating list in force on this date; first listed {first_date}."
    ),
    "claims.listing.agency-was-listed": N_(
        "{name} ({state}) is not on the list in force on this date, but ICE listed it from {first_date} to {last_date}."
    ),
    "claims.listing.agency-never": N_(
        "No list ICE published (participating, pending or the older web tables) ever named {name} ({state}); "
        "{near} near spellings were considered."
    ),
    "claims.listing.county-none": N_(
        "No agency of {county}, {state} is on the list in force on this date, and none was on any list before."
    ),
    "claims.listing.county-was": N_(
        "No agency of {county}, {state} is on the list in force on this date; {agencies} were listed at some time."
    ),
    "claims.listing.county-was.one": N_(
        "No agency of {county}, {state} is on the list in force on this date; one was listed at some time."
    ),
    "claims.listing.county-some": N_("{agencies} agencies of {county}, {state} are on the list in force on this date."),
    "claims.listing.county-some.one": N_("One agency of {county}, {state} is on the list in force on this date."),
    "claims.listing.state-agencies.one": N_(
        "One state agency of {state} is on the list in force on this date ({ever} ever listed, the first from "
        "{first_date})."
    ),
    "claims.listing.state-agencies": N_(
        "{agencies} state agencies of {state} are on the list in force on this date ({ever} ever listed, the "
        "first from {first_date})."
    ),
    "claims.history.tfm": N_(
        "The DHS OIG table of {oig_date} (derived) lists {tfm} signed agreements with a task-force model "
        "({task_force} Task Force, {hybrid} Hybrid); ICE's first list of the record ({first_date}) lists {first_tfm}. "
        "The model is back on ICE's lists from {back_date}; {latest_tfm} on the list of {latest_list}."
    ),
    "claims.history.limits": N_(
        "What the lists cannot show: the year {year} itself, or why. No list survives for 2010-2020, so when each "
        "task-force agreement ended is not in these sources; they agree with the claim without proving it."
    ),
    "claims.law.stance": N_(
        "The state-law table gives {state} the stance {stance} ({year}; effective date {effective_date}; "
        "confidence {confidence})."
    ),
    "claims.law.sheriffs": N_(
        "On ICE's list of {list_label}, the sheriff's office of {covered} of {state}'s {counties} counties holds an "
        "agreement ({sheriffs} sheriff's offices listed, {unplaced} not placed in a county)."
    ),
    "claims.arithmetic.count": N_("The comment's count: {terms} = {total} (it says {claimed})."),
    "claims.arithmetic.wage-alone": N_(
        "{claimed_usd} is about the mean wage alone ({wage_usd}, BLS May 2024): the salary without the benefits "
        "or the overtime the offer also pays."
    ),
    "claims.arithmetic.unchecked.arrests": N_(
        'The record holds no arrest or deportation counts: "850 deportations" cannot be checked.'
    ),
    "claims.arithmetic.unchecked.vehicles-once": N_(
        "The $100,000 for vehicles is per agency and once, not per officer or per year."
    ),
    # --- names of the parts of ICE's offer, for the worked example
    "part.salary": N_("salary (mean wage)"),
    "part.salary_benefits": N_("salary and benefits"),
    "part.overtime_cap": N_("overtime (up to 25 percent of salary)"),
    "part.equipment": N_("equipment per officer"),
    "part.awards_max": N_("performance awards (a year at the top tier)"),
    "part.vehicles": N_("vehicles per agency"),
    # --- claims: what each counting unit counts
    "claims.unit.rows": N_(
        "{count} rows: the lines of ICE's spreadsheet published {published}. ICE prints one row per agreement, "
        "and now and then the same agreement twice."
    ),
    "claims.unit.spellings": N_(
        "{count} distinct spellings of agencies' names (each with its state) on those rows, as ICE typed them "
        '("Macro Island" and "Marco Island" count twice).'
    ),
    "claims.unit.agencies": N_(
        "{count} agencies: law-enforcement bodies, each counted once whatever its spelling and however many "
        "agreements it holds."
    ),
    "claims.unit.agreements": N_(
        "{count} agreements: an agency, a support model (JEM, TFM, WSO) and a signing date. An agency can hold "
        "several at once."
    ),
    # --- funding: what each part of the estimate and each parameter is called
    "component.salary_benefits": N_("salary and benefits"),
    "component.overtime": N_("overtime"),
    "component.awards": N_("performance awards"),
    "component.equipment": N_("equipment"),
    "component.vehicles": N_("vehicles"),
    "param.program.announced": N_("Offer announced"),
    "param.program.start": N_("Reimbursements start"),
    "param.offer.salary_benefits_percent": N_("Salary and benefits reimbursed"),
    "param.offer.overtime_cap_percent": N_("Overtime reimbursed, at most"),
    "param.offer.award_90_100": N_("Quarterly award, 90-100% tier"),
    "param.offer.award_80_89": N_("Quarterly award, 80-89% tier"),
    "param.offer.award_70_79": N_("Quarterly award, 70-79% tier"),
    "param.offer.equipment_per_officer": N_("Equipment per officer"),
    "param.offer.vehicles_per_agency": N_("Vehicles per agency"),
    "param.officers.mean_per_agency": N_("Officers per agency (average)"),
    "param.officers.national_total": N_("Officers nationwide (when fixed)"),
    "param.officers.size_exponent": N_("How officers grow with an agency's size"),
    "param.officers.cap_percent_of_sworn": N_("Officers at most, as a share of sworn officers"),
    "param.officers.claim_percent": N_("Share of officers claimed"),
    "param.officers.months_to_operational": N_("Months from signing to operational"),
    "param.salary.bls_year": N_("Year of the BLS wages"),
    "param.salary.statistic": N_("Wage statistic (mean or median)"),
    "param.salary.national_fallback": N_("National mean wage (where no state wage)"),
    "param.salary.annual_growth_percent": N_("Wage growth per year"),
    "param.salary.seniority_factor": N_("Task-force officers' pay against the state's average"),
    "param.benefits.percent_of_compensation": N_("Benefits, share of total compensation"),
    "param.overtime.percent_of_salary": N_("Overtime claimed, share of salary"),
    "param.awards.percent_90_100": N_("Officer-quarters in the 90-100% award tier"),
    "param.awards.percent_80_89": N_("Officer-quarters in the 80-89% award tier"),
    "param.awards.percent_70_79": N_("Officer-quarters in the 70-79% award tier"),
    "param.equipment.uptake_percent": N_("Share of the equipment money paid"),
    "param.vehicles.agency_percent": N_("Share of agencies claiming vehicles"),
    "param.growth.agencies_per_month": N_("New Task Force Model agencies per month"),
    "param.monte_carlo.draws": N_("Simulated draws"),
    "param.monte_carlo.seed": N_("Random seed"),
    "param.monte_carlo.percentile_low": N_("Low end of the range (percentile)"),
    "param.monte_carlo.percentile_high": N_("High end of the range (percentile)"),
    # --- documents: ICE's SIGNED date against a signed agreement's signature dates (``documents.link``)
    "date-check.no-signed": N_("ICE's list prints no valid SIGNED date"),
    "date-check.ice": N_("ICE's SIGNED {printed_date} is the date ICE signed"),
    "date-check.agency": N_("ICE's SIGNED {printed_date} is the date the agency signed (ICE signed {ice_date})"),
    "date-check.unread": N_("no signature date could be read in the document"),
    # --- documents: a term or renewal clause read from a signed agreement (``documents.extract``)
    "document.term.until-ended": N_("effective on signature by both parties, until either party ends it"),
    "document.renewal.clause": N_("renewal clause"),
    # --- resolve: why a spelling is the agency's (``resolve.agencies``: the ``evidence`` of its merge)
    "spelling.lead": N_("the spelling ICE printed last (then in the most lists)"),
    "spelling.key": N_("key {key}"),
    "spelling.same-body": N_("rules.yaml same_body {rule}: {key} is {body}"),
    "spelling.alias": N_("aliases.csv line {line}: same as {name}. {note}"),
    "spelling.state-moved": N_("{listing} (state {old_state} -> {new_state})"),
    "spelling.no-such-county": N_("{state} has no {county} county, {other_state} has and ICE printed {name} there"),
    "spelling.printed-twice": N_(
        "printed under {state} only in lists that printed it under {other_state} too, with the same models and "
        "signing dates ({lists}), and under {other_state} after: one agency printed twice"
    ),
    "spelling.typo": N_("{name} ~ {other}: similarity {similarity}, never printed together, same kind"),
    "spelling.typo.kind-word": N_(
        "{name} ~ {other}: similarity {similarity}, never printed together, same kind ({kind} read from a misspelt "
        "kind word)"
    ),
    "spelling.with-duplicate": N_("{evidence}; a duplicate row: {duplicate}"),
    "spelling.beside": N_(
        "the list of {list} prints {name} ({state}, row {row}: {model} {signed}) beside {other} ({other_state}, "
        "row {other_row}: {other_model} {other_signed})"
    ),
    # --- history: a listing ICE moved from one spelling to another (``build._handoffs``, ``build._approvals``)
    "handoff.agreement": N_(
        "in the participating list of {list} ICE listed the {model} agreement signed {signed_date} under {name} "
        "({state}) instead of {other} ({other_state})"
    ),
    "handoff.application": N_(
        "in the pending list of {list} ICE listed the {model} application under {name} ({state}) instead of "
        "{other} ({other_state})"
    ),
    "handoff.approval": N_(
        "the {model} application of {other} ({other_state}) left the pending list of {list} as ICE first listed "
        "a {model} agreement of {name} ({state}) on {listed}"
    ),
}

# Sentences whose words follow a count: code -> (English singular, English plural, the value that counts), marked
# with ``NN_`` so that Babel extracts both forms and the catalog gives each language its own (Spanish has three).
PLURALS: dict[str, tuple[str, str, str]] = {
    # --- history: a removal or withdrawal some new row could continue, left unexplained
    "evidence.unexplained": (
        *NN_("{candidates} candidate unexplained", "{candidates} candidates unexplained"),
        "candidates",
    ),
    # --- enrich: the size of an agency (sworn officers) and where it comes from
    "size.roster": (
        *NN_(
            "{sworn} sworn officer (FBI Law Enforcement Employees, {year}, ORI {ori})",
            "{sworn} sworn officers (FBI Law Enforcement Employees, {year}, ORI {ori})",
        ),
        "sworn",
    ),
    "size.roster-units": (
        *NN_(
            "{sworn} sworn officer: the headquarters ORI {ori} with other units of the same agency reporting for "
            "{year} (units besides the headquarters: {units}; FBI Law Enforcement Employees)",
            "{sworn} sworn officers: the headquarters ORI {ori} with other units of the same agency reporting for "
            "{year} (units besides the headquarters: {units}; FBI Law Enforcement Employees)",
        ),
        "sworn",
    ),
    "size.fallback-kind-state": (
        *NN_(
            "about {sworn} sworn officer: no FBI count for this agency; the median of the {kind} agencies of "
            "{state} in the FBI roster (agencies counted: {n})",
            "about {sworn} sworn officers: no FBI count for this agency; the median of the {kind} agencies of "
            "{state} in the FBI roster (agencies counted: {n})",
        ),
        "sworn",
    ),
    "size.fallback-kind": (
        *NN_(
            "about {sworn} sworn officer: no FBI count for this agency; the median of the {kind} agencies "
            "nationwide in the FBI roster (agencies counted: {n}; fewer than {minimum} in {state})",
            "about {sworn} sworn officers: no FBI count for this agency; the median of the {kind} agencies "
            "nationwide in the FBI roster (agencies counted: {n}; fewer than {minimum} in {state})",
        ),
        "sworn",
    ),
    "size.fallback-state": (
        *NN_(
            "about {sworn} sworn officer: no FBI count for this agency; the median of the agencies of {state} "
            "in the FBI roster (agencies counted: {n})",
            "about {sworn} sworn officers: no FBI count for this agency; the median of the agencies of {state} "
            "in the FBI roster (agencies counted: {n})",
        ),
        "sworn",
    ),
    # --- funding: notes under every estimate
    "funding.note.sizes": (
        *NN_(
            "Sworn officers: the FBI's count for {counted} of the {agencies} agency, a stated estimate (the median "
            "of its kind in its state) for {estimated}; its officers grow with its size and never exceed it.",
            "Sworn officers: the FBI's count for {counted} of the {agencies} agencies, a stated estimate (the median "
            "of their kind in their state) for {estimated}; each agency's officers grow with its size and never "
            "exceed it.",
        ),
        "agencies",
    ),
    # --- documents: ICE's SIGNED date against a signed agreement's signature dates (``documents.link``); ``sign``
    # is that of ICE's SIGNED minus the date ICE signed ("+", "-"), ``days`` the difference's size
    "date-check.differs": (
        *NN_(
            "ICE's SIGNED {printed_date}; ICE signed the document on {ice_date} ({sign}{days} day)",
            "ICE's SIGNED {printed_date}; ICE signed the document on {ice_date} ({sign}{days} days)",
        ),
        "days",
    ),
    "date-check.differs.agency": (
        *NN_(
            "ICE's SIGNED {printed_date}; ICE signed the document on {ice_date} ({sign}{days} day); the agency signed "
            "{agency_date}",
            "ICE's SIGNED {printed_date}; ICE signed the document on {ice_date} ({sign}{days} days); the agency signed "
            "{agency_date}",
        ),
        "days",
    ),
    "date-check.before-agency": (
        *NN_(
            "ICE's SIGNED {printed_date} is {days} day before the agency signed ({agency_date})",
            "ICE's SIGNED {printed_date} is {days} days before the agency signed ({agency_date})",
        ),
        "days",
    ),
    "date-check.ice-unread": (
        *NN_(
            "ICE's signature date could not be read; the agency signed {agency_date}, {days} day before ICE's SIGNED",
            "ICE's signature date could not be read; the agency signed {agency_date}, {days} days before ICE's SIGNED",
        ),
        "days",
    ),
    # --- documents: a term or renewal clause read from a signed agreement (``documents.extract``)
    "document.term.until-ended.notice": (
        *NN_(
            "effective on signature by both parties, until either party ends it ({days} day's written notice)",
            "effective on signature by both parties, until either party ends it ({days} days' written notice)",
        ),
        "days",
    ),
    "document.term.years": (*NN_("{years} year", "{years} years"), "years"),
    "document.renewal.review": (
        *NN_("internal review every {years} year", "internal review every {years} years"),
        "years",
    ),
    # --- resolve: spellings that share a matching key (``resolve.agencies``)
    "spelling.shared-key": (
        *NN_("key {key} shared by {spellings} spelling", "key {key} shared by {spellings} spellings"),
        "spellings",
    ),
}

Formatter = Callable[[Any], str]


def message(code: str, **values: Any) -> Message:
    """A sentence to store: its code (a key of ``TEMPLATES``) and the values its placeholders take."""
    if code not in TEMPLATES and code not in PLURALS:
        raise KeyError(f"no message template {code!r}")
    return {"code": code, "values": values}


def _number(value: Any) -> str:
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}"
    return f"{int(value):,}"


def _money(value: Any) -> str:
    value = float(value)
    if abs(value) >= 1e9:
        return f"${value / 1e9:,.2f} billion"
    if abs(value) >= 1e6:
        return f"${value / 1e6:,.1f} million"
    return f"${value:,.0f}"


def _percent(value: Any) -> str:
    return f"{float(value):,.1f}%"


ENGLISH: dict[str, Formatter] = {"number": _number, "usd": _money, "pct": _percent, "date": str}


def _english_plural(singular: str, plural: str, count: int) -> str:
    return singular if count == 1 else plural


def render(
    msg: Message,
    translate: Callable[[str], str] = lambda template: template,
    formats: dict[str, Formatter] | None = None,
    translate_plural: Callable[[str, str, int], str] = _english_plural,
) -> str:
    """The sentence in English, or in another language through ``translate`` (English template -> its
    translation), ``translate_plural`` (the two English forms and a whole count -> the form for that count, as
    gettext's ``ngettext``) and ``formats`` (``number``, ``usd``, ``pct``, ``date``: value -> text)."""
    fmt = ENGLISH | (formats or {})
    values = {}
    for key, value in (msg.get("values") or {}).items():
        kind = key.rsplit("_", 1)[-1] if "_" in key else ""
        if value is None:
            values[key] = "–"
        elif kind in ("usd", "pct", "date"):
            values[key] = fmt[kind](value)
        elif key == "year" or kind == "year" or isinstance(value, bool):
            values[key] = str(value)
        elif isinstance(value, int | float):
            values[key] = fmt["number"](value)
        elif isinstance(value, dict) and "code" in value:  # a message inside a message: the reason of a sentence
            values[key] = render(value, translate, formats, translate_plural)
        else:
            values[key] = str(value)
    code = msg["code"]
    if code in PLURALS:
        singular, plural, counted = PLURALS[code]
        count = (msg.get("values") or {}).get(counted)
        # a count that is missing or not whole takes the plural ("1.5 sworn officers"), as gettext would
        whole = int(count) if isinstance(count, int | float) and float(count).is_integer() else 2
        return translate_plural(singular, plural, whole).format(**values)
    return translate(TEMPLATES[code]).format(**values)


# values that are codes, shown in words through a group of ``track287g.i18n.labels``
CODE_VALUES = {
    "kind": "kind",
    "other_kind": "kind",
    "decision": "audit-decision",
    "list_kind": "list",
    "metric": "metric",
    "unit": "metric",
    "stance": "law-stance",
    "confidence": "law-confidence",
}


# values that quote English prose written elsewhere (a person's note in aliases.csv, the identity rules' reasons):
# a sentence holding one is shown as written, in English, rather than half translated
ENGLISH_PROSE = ("note", "reason")


def quotes_english(msg: Message) -> bool:
    """Whether a message, or a message inside it, quotes English prose (a text value under ``ENGLISH_PROSE``)."""
    for key, value in (msg.get("values") or {}).items():
        if isinstance(value, dict) and "code" in value:
            if quotes_english(value):
                return True
        elif key in ENGLISH_PROSE and isinstance(value, str):
            return True
    return False


def localized(msg: Message | str | None, lang: Language = ENGLISH_LANGUAGE) -> str:
    """A stored message (or a bare code: ``"param.officers.claim_percent"``) as a sentence in ``lang``: the
    template from the catalog, numbers, dollars, percentages and dates in the language's formats."""
    if isinstance(msg, str):
        msg = {"code": msg}
    if not msg or not msg.get("code"):
        return ""
    if lang.code == ENGLISH_LANGUAGE.code:
        return render(msg)
    values = dict(msg.get("values") or {})
    for key, group in CODE_VALUES.items():
        if isinstance(values.get(key), str):
            values[key] = lang.label(group, values[key])
    for key, value in values.items():
        if isinstance(value, dict) and value.get("code"):  # a message inside: in the language, its codes in words
            values[key] = localized(value, lang)
    return render(
        {"code": msg["code"], "values": values},
        translate=lang.translations.gettext,
        translate_plural=lang.translations.ngettext,
        formats={"number": lang.number, "usd": lang.money, "pct": lang.percent, "date": lang.date},
    )

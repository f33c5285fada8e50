"""What an MOA says, read from its pages: kind, models, agency, state, field office, term, renewal, addendum.

Every value is a :class:`Field` holding the text it was read from, the page, a confidence and the rule that
read it. Rules are anchored on the wording of ICE's templates (2019-2020 and 2025, all three models); a value
that does not pass its check (an agency name must name a kind of agency, a field office must be one of ICE's
25, a state must be a state) is left out: unknown is unknown, never a guess. The signature blocks (who signed,
with what title, on what date) are read by ``signatures``.

Confidence is the rule's own (1.0 for the document's title, less for looser rules) times the OCR confidence
of the words it was read from (1.0 for a text layer or a form field).
"""

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from track287g.config import PACKAGE_DATA
from track287g.documents.dates import find_dates
from track287g.documents.pages import FORM_FIELD, PageText, lines
from track287g.messages import Message, message
from track287g.normalize.tables import state_by_name, states

MODEL_WORDS = (
    ("JEM", re.compile(r"jail\s*enforcement", re.I)),
    ("TFM", re.compile(r"task\s*force", re.I)),
    ("WSO", re.compile(r"warrant\s*service", re.I)),
)
AGENCY_WORDS = re.compile(
    r"\b(sheriff|police|department|dept|office|county|corrections?|correctional|bureau|attorney|detention|jail|"
    r"marshal|commission|board|patrol|safety|college|university|division|agency|constable|authority|investigation|"
    r"prosecutor|city|town|parish|highway|services|court)",
    re.I,
)
NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "ten": 10}


@dataclass
class Field:
    """One extracted value with the text it came from."""

    value: str
    raw: str
    page: int
    confidence: float
    rule: str

    def as_json(self) -> dict:
        return {
            "value": self.value,
            "raw": self.raw,
            "page": self.page,
            "confidence": round(self.confidence, 3),
            "rule": self.rule,
        }


def clean(text: str) -> str:
    """Straight quotes, blanks (underscores) removed, spaces squashed."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    text = text.replace("_", " ")
    return " ".join(text.split())


# while ``extract_fields`` reads one document: (what, id of a page) -> (the page, its text or lines), each worked
# out once for every rule that reads it (the page is kept beside them, so its id names no other page meanwhile)
_READ: ContextVar[dict[tuple[str, int], tuple[PageText, Any]] | None] = ContextVar("_READ", default=None)


def _once(what: str, page: PageText, make: Callable[[PageText], Any]) -> Any:
    read = _READ.get()
    if read is None:
        return make(page)
    known = read.get((what, id(page)))
    if known is None or known[0] is not page:
        known = read[(what, id(page))] = (page, make(page))
    return known[1]


def page_text(page: PageText) -> str:
    """The page as one cleaned paragraph (line breaks are spaces), for rules that cross lines."""
    return _once("text", page, lambda p: clean(" ".join(" ".join(s.text for s in line) for line in lines(p.segments))))


def page_lines(page: PageText) -> list[str]:
    """The page's lines, cleaned (a copy: the caller may change it)."""
    return list(_once("lines", page, lambda p: [clean(" ".join(s.text for s in line)) for line in lines(p.segments)]))


def _conf(page: PageText) -> float:
    return page.confidence if page.source == "ocr" and page.confidence is not None else 1.0


@functools.cache
def field_offices() -> dict[str, str]:
    """Lower-cased name or alias -> ICE field office name."""
    out = {}
    with (PACKAGE_DATA / "documents" / "field_offices.csv").open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            for name in [row["name"], *filter(None, row["aliases"].split("|"))]:
                out[name.lower()] = row["name"]
    return out


@functools.cache
def _state_names() -> dict[str, str]:
    """Lower-cased state name -> USPS code (states, DC and territories)."""
    names = {name.lower(): code for name, code in state_by_name().items()}
    names["district of columbia"] = "DC"
    return names


_STATE_NAME = None


def _state_pattern() -> re.Pattern:
    global _STATE_NAME
    if _STATE_NAME is None:
        alternatives = "|".join(sorted((re.escape(n) for n in _state_names()), key=len, reverse=True))
        _STATE_NAME = re.compile(rf"\b({alternatives})\b", re.I)
    return _STATE_NAME


def state_code(text: str) -> str | None:
    """USPS code for a state's name or code, else None."""
    text = text.strip(" .,-'\"").strip()
    if text.upper() in states():
        return text.upper()
    return _state_names().get(text.lower())


# --- kind and addendum ----------------------------------------------------------------------------------


def _kind(pages: list[PageText]) -> tuple[Field | None, Field | None]:
    """The document's kind (from its first title), and for an MOA an addendum page it carries."""
    first = pages[0]
    head = page_lines(first)[:20]
    kind = None
    for line in head:
        low = line.lower()
        if "addendum" in low and ("memorandum" in low or "moa" in low or "modif" in low):
            kind = Field("addendum", line, first.number, _conf(first), "title")
            break
        if re.search(r"memorandum\s*of\s*agreement", low) and not low.startswith("this"):
            kind = Field("moa", line, first.number, _conf(first), "title")
            break
    embedded = None
    if kind is not None and kind.value == "moa":
        for page in pages[1:]:
            top = " ".join(page_lines(page)[:4]).lower()
            if "addendum" in top and "modify" in top:
                embedded = _addendum_subject(page, "addendum")
                break
    return kind, embedded


def _addendum_subject(page: PageText, name: str) -> Field | None:
    text = page_text(page)
    m = re.search(
        r"modify\s+the\s+(?P<what>.{0,120}?)Memorandum\s*of\s*Agreement.{0,40}?(?:effective|signed|dated)"
        r"\s+(?:on\s+)?(?P<date>.{0,30})",
        text,
        re.I,
    )
    if not m:
        return None
    found = find_dates(m.group("date"))
    if not found:
        return None
    models = [code for code, pattern in MODEL_WORDS if pattern.search(m.group("what"))]
    value = f"{'/'.join(models) + ' ' if models else ''}MOA effective {found[0].value.isoformat()}"
    return Field(value, m.group(0), page.number, 0.9 * _conf(page), name)


# --- models ---------------------------------------------------------------------------------------------------


def _models(pages: list[PageText]) -> Field | None:
    first = pages[0]
    head = page_lines(first)[:24]
    for i, line in enumerate(head):
        if re.search(r"memorandum\s*of\s*agreement|addendum", line, re.I):
            for title in head[i : i + 3]:
                found = [code for code, pattern in MODEL_WORDS if pattern.search(title)]
                if found and len(title) < 80:
                    return Field(",".join(found), title, first.number, _conf(first), "title")
            break
    text = " ".join(page_text(p) for p in pages)
    named = {code for code, pattern in MODEL_WORDS if pattern.search(text)}
    if len(named) == 1:
        code = named.pop()
        m = dict(MODEL_WORDS)[code].search(text)
        if m is not None:
            page = _page_of(pages, m.group(0))
            return Field(code, text[max(0, m.start() - 40) : m.end() + 40], page.number, 0.8 * _conf(page), "body")
    if (
        not named
        and re.search(r"only\s+delegated\s+the\s+two\s+authorities", text, re.I)
        and re.search(r"warrants?\s+of\s+arrest", text, re.I)
    ):
        m = _ahead_of(_DELEGATED, _DELEGATED_SENTENCE, 120, text)
        if m is not None:
            page = _page_of(pages, "only delegated the two authorities")
            return Field("WSO", m.group(0), page.number, 0.75 * _conf(page), "delegated-authorities")
    return None


def _page_of(pages: list[PageText], needle: str) -> PageText:
    low = needle.lower()
    for page in pages:
        if low in page_text(page).lower():
            return page
    return pages[0]


# --- agency and state -------------------------------------------------------------------------------------

_END = (  # where the name ends: its abbreviation in parentheses, or the words that follow it in the templates
    r"(?=\s*\((?:the\s+)?[\"']?[A-Z][A-Za-z.&]{1,12}[\"']?\)|\s*,?\s*\(?hereinafter|\s*,?\s*pursuant\s+to"
    r"|\s*,?\s*under\s+the\s+jurisdiction)"
)
_AGENCY_RULES = (
    (
        "parties",
        re.compile(
            r"Homeland\s*Security\s*(?:\(?[^)]{0,8}\))?\s*,?\s*and\s+(?:thee?\s*)?(?P<agency>.{3,140}?)" + _END, re.I
        ),
    ),
    (
        "agreement-between",
        re.compile(
            r"This\s+MOA\s+is\s+an\s+agreement\s+between\s+ICE\s+and\s+(?:the\s+)?(?P<agency>.{3,140}?)\s*,?\s*"
            r"hereinafter\s+referred",
            re.I,
        ),
    ),
    (
        "employees-of",
        re.compile(r"officers\s+or\s+employees\s+of\s*the\s+(?P<agency>.{3,140}?)\s*\(\s*hereinafter", re.I),
    ),
    (
        "represents",
        re.compile(r"The\s+LEA\s+represents\s+(?:the\s+)?(?P<agency>.{3,140}?)\s+in\s+the\s+implementation", re.I),
    ),
)
_TRAILING_STATE = re.compile(r"(?:\s*[,-]\s*|\s+)(?P<state>[A-Z]{2}|[A-Z][a-z]+(?:\s[A-Z][a-z]+)?)\s*[,.']*$")
_ABBREVIATION = re.compile(r"\s*\((?:the\s+)?[\"']?[A-Z][A-Za-z.&]{1,12}[\"']?\)\s*")


def _agency_name(raw: str) -> tuple[str | None, str | None]:
    """A cleaned agency name and the state named at its end, or (None, None) when it does not look like one."""
    name = _ABBREVIATION.sub(" ", clean(raw)).strip(" ,.;:'\"")
    name = re.sub(r"(\s+[^A-Za-z\s]{1,3})+$", "", name)  # stray marks after the name ("... Office 5")
    state = None
    m = _TRAILING_STATE.search(name)
    if m and state_code(m.group("state")) and not name.lower().endswith(("county", "city")):
        code = state_code(m.group("state"))
        rest = name[: m.start()].strip(" ,.-")
        if rest and AGENCY_WORDS.search(rest):
            name, state = rest, code
    head, _, tail = name.partition(",")
    if tail and re.search(
        r"(office|department|dept|center|bureau|division|board|commission|commissioners)$", head.strip(), re.I
    ):
        name = head.strip()  # "Winnebago County Sheriff's Office, Oshkosh": the place after the name
    words = name.split()
    letters = sum(c.isalpha() for c in name)
    if not (2 <= len(words) <= 12) or letters < 0.75 * len(name.replace(" ", "")):
        return None, None
    if not AGENCY_WORDS.search(name) or any(len(w) > 22 for w in words):
        return None, None
    if not name[0].isupper() or re.search(r"\b(the|hereinafter|pursuant|referred)\b\s*$", name, re.I):
        return None, None
    return name, state


def _agency(pages: list[PageText]) -> tuple[Field | None, Field | None]:
    candidates: list[tuple[str, str | None, Field]] = []
    for page in pages[:3]:
        text = page_text(page)
        for rule, pattern in _AGENCY_RULES:
            for m in pattern.finditer(text):
                name, state = _agency_name(m.group("agency"))
                if name:
                    candidates.append((name, state, Field(name, m.group(0), page.number, 0.95 * _conf(page), rule)))
    for seg in pages[0].segments:  # a name typed into a form field on the first page (2025 templates)
        if seg.src == FORM_FIELD:
            name, state = _agency_name(seg.text)
            if name:
                candidates.append((name, state, Field(name, seg.text, pages[0].number, 0.9, "form-field")))
    if not candidates:
        return None, _state_elsewhere(pages)
    # the name most rules agree on (case and punctuation aside), earliest first
    keys = [re.sub(r"[^a-z]", "", c[0].lower()) for c in candidates]
    best = max(range(len(candidates)), key=lambda i: (keys.count(keys[i]), -i))
    name, state, agency = candidates[best]
    if keys.count(keys[best]) == 1 and len(set(keys)) > 1:
        agency.confidence *= 0.8  # the rules disagree: the first reading stands, less sure
    state_field = None
    for _name, other_state, f in candidates:
        if other_state:
            state_field = Field(other_state, f.raw[-60:], f.page, f.confidence, f"{f.rule}+state-after-name")
            break
    return agency, state_field or _state_elsewhere(pages, name)


_COUNTY_STATE = re.compile(
    r"\b[A-Z][a-z]+(?:\s[A-Z][a-z]+)*\s+(?:County|Parish|City)\s*,\s*(?P<state>[A-Z][a-z]+"
    r"(?:\s[A-Z][a-z]+)?)\b"
)
_ZIP = re.compile(
    r"\b[A-Z][A-Za-z.]+(?:\s[A-Z][A-Za-z.]+)*\s*,?\s+(?P<state>[A-Z]{2}|[A-Z][a-z]+(?:\s[A-Z][a-z]+)?)\.?,?\s+\d{5}"
    r"(?:-\d{4})?\b"
)


_FOOTER_STATE = re.compile(
    r"(?:office|department|dept|center|sheriff|police|bureau)\s*[-,]\s*([A-Z][a-z]+(?:\s[A-Z][a-z]+)?)", re.I
)


def _state_elsewhere(pages: list[PageText], agency: str | None = None) -> Field | None:
    """The agency's state when its name did not carry it: "Clay County, Florida", "the State of Kansas", a
    running footer, a state agency's own name, the LEA's address."""
    for page in pages[:2]:
        text = page_text(page)
        for m in _COUNTY_STATE.finditer(text):
            code = state_code(m.group("state"))
            if code:
                return Field(code, m.group(0), page.number, 0.9 * _conf(page), "county-state")
        of = re.search(r"\bState\s+of\s+(?P<state>[A-Z][a-z]+(?:\s[A-Z][a-z]+)?)", text)
        if of and (code := state_code(of.group("state"))):
            return Field(code, of.group(0), page.number, 0.85 * _conf(page), "state-of")
    # a running footer naming the agency and its state ("Carroll County Sheriff's Office-Maryland")
    footers: dict[str, int] = {}
    for page in pages:
        for line in page_lines(page)[-3:]:
            foot = _FOOTER_STATE.search(line)
            if foot and state_code(foot.group(1)):
                footers[foot.group(0)] = footers.get(foot.group(0), 0) + 1
    if footers:
        raw, count = max(footers.items(), key=lambda kv: kv[1])
        code = state_code(re.split(r"[-,]", raw)[-1])
        if count >= 2 and code:
            page = _page_of(pages, raw)
            return Field(code, raw, page.number, 0.85 * _conf(page), "footer")
    if agency:
        lead = _state_pattern().match(agency)
        rest = agency[lead.end() :].strip().lower() if lead else ""
        code = state_code(lead.group(1)) if lead else None
        if code and not rest.startswith(("county", "city", "parish", "town")):
            page = _page_of(pages, agency)
            return Field(code, agency, page.number, 0.85 * _conf(page), "state-agency-name")
    for page in pages:  # the LEA's point of contact, with its address
        text = page_text(page)
        for block in re.finditer(
            r"For\s+the\s+[^:]{2,60}:(?P<block>.{0,300}?)(?:For\s+(?:[IJl1]CE|[DO]HS)\b|$)", text, re.I
        ):
            address = _ZIP.search(block.group("block"))
            if address and (code := state_code(address.group("state"))):
                return Field(code, address.group(0), page.number, 0.8 * _conf(page), "lea-address")
    return None


# --- field office, term, renewal ------------------------------------------------------------------------------


_FIELD_OFFICE = re.compile(r"Field\s+Office", re.I)


def _field_office(pages: list[PageText]) -> Field | None:
    offices = field_offices()
    names = "|".join(sorted((re.escape(n) for n in offices), key=len, reverse=True))
    patterns = (
        (
            "points-of-contact",
            re.compile(rf"For\s+[DO]HS\s*:\s*(?:The\s+)?(?P<office>{names}),?\s+Field\s+Office", re.I),
        ),
        ("fod-in", re.compile(rf"\bF[O0][DO]\s+in\s+(?:The\s+|Tl?,?e\s+)?(?P<office>{names})\s+Field\s+Office", re.I)),
        ("field-office", re.compile(rf"\b(?:the\s+)?(?P<office>{names})\s*,?\s+Field\s+Office\b", re.I)),
    )
    with_words = [page for page in pages if _FIELD_OFFICE.search(page_text(page))]  # each pattern ends with them
    for rule, pattern in patterns:
        for page in with_words:
            m = pattern.search(page_text(page))
            if m:
                office = offices[m.group("office").lower()]
                return Field(
                    office, m.group(0), page.number, (0.95 if rule != "field-office" else 0.85) * _conf(page), rule
                )
    return None


def _term(pages: list[PageText]) -> Field | None:
    for page in pages:
        text = page_text(page)
        m = re.search(
            r"This\s+MOA\s+becomes\s+effective\s+upon\s+signatur.{0,160}?(?:terminat|suspen)\w*[^.]{0,200}\.",
            text,
            re.I,
        )
        if m:
            raw = m.group(0)
            value = "effective on signature by both parties, until either party ends it"
            notice = re.search(r"upon\s+(\d+)[\s-]*day\s+written\s+notice", raw, re.I)
            if notice:
                value += f" ({notice.group(1)} days' written notice)"
            return Field(value, raw, page.number, 0.95 * _conf(page), "effective-until-terminated")
        m = re.search(
            r"(?:in\s+effect|effective)\s+for\s+(?:a\s+period\s+of\s+)?(\w+)\s*\(?\d*\)?\s+years?[^.]*\.", text, re.I
        )
        if m:
            years = NUMBER_WORDS.get(m.group(1).lower()) or (int(m.group(1)) if m.group(1).isdigit() else None)
            if years:
                return Field(f"{years} years", m.group(0), page.number, 0.9 * _conf(page), "fixed-term")
    return None


def clause_message(rule: str | None, value: str | None) -> Message | None:
    """A term or renewal clause's value (the English sentence ``_term`` or ``_renewal`` wrote for its ``rule``) as
    a message a page says in its reader's language; None for any other field (its value is as read)."""
    number = re.search(r"\d+", value or "")
    if rule == "effective-until-terminated":
        if number:
            return message("document.term.until-ended.notice", days=int(number.group()))
        return message("document.term.until-ended")
    if rule == "fixed-term" and number:
        return message("document.term.years", years=int(number.group()))
    if rule == "internal-review" and number:
        return message("document.renewal.review", years=int(number.group()))
    if rule == "renewal-sentence":
        return message("document.renewal.clause")
    return None


_RENEW = re.compile(r"\brenew(?:ed|al)\b", re.I)
_RENEW_SENTENCE = re.compile(r"[^.]{0,80}\brenew(?:ed|al)\b[^.]{0,160}\.", re.I)
_DELEGATED = re.compile(r"only\s+delegated\s+the\s+two\s+authorities", re.I)
_DELEGATED_SENTENCE = re.compile(r"[^.]{0,120}only\s+delegated\s+the\s+two\s+authorities[^.]{0,60}", re.I)


def _ahead_of(word: re.Pattern, sentence: re.Pattern, ahead: int, text: str) -> re.Match | None:
    """``sentence.search(text)``, for a pattern of at most ``ahead`` characters then ``word``: searched from
    ``ahead`` characters before the word's first match, where the first match of the sentence can begin at the
    soonest (a search from the start tries ``ahead`` characters at every character of the page: seconds for
    the bundled MOAs)."""
    first = word.search(text)
    return sentence.search(text, max(0, first.start() - ahead)) if first else None


def _renewal(pages: list[PageText]) -> Field | None:
    for page in pages:
        text = page_text(page)
        m = re.search(
            r"ICE\s+reserves\s+the\s+right\s+to\s+conduct\s+an\s+internal\s+review\s+of\s+this\s+MOA\s+every"
            r"\s+(\w+)\s+years?",
            text,
            re.I,
        )
        if m:
            years = NUMBER_WORDS.get(m.group(1).lower())
            if years:
                return Field(
                    f"internal review every {years} years",
                    m.group(0),
                    page.number,
                    0.95 * _conf(page),
                    "internal-review",
                )
        m = _ahead_of(_RENEW, _RENEW_SENTENCE, 80, text)
        if m and "MOA" in m.group(0):
            return Field("renewal clause", m.group(0), page.number, 0.7 * _conf(page), "renewal-sentence")
    return None


def extract_fields(pages: list[PageText]) -> dict[str, Field]:
    """Every field found in the pages (a field not found is absent)."""
    if not pages:
        return {}
    token = _READ.set({})
    try:
        return _extract(pages)
    finally:
        _READ.reset(token)


def _extract(pages: list[PageText]) -> dict[str, Field]:
    out: dict[str, Field] = {}
    kind, embedded = _kind(pages)
    agency, state = _agency(pages)
    found = {
        "kind": kind,
        "models": _models(pages),
        "agency": agency,
        "state": state,
        "field_office": _field_office(pages),
        "term": _term(pages),
        "renewal": _renewal(pages),
        "addendum": embedded,
        "addendum_to": _addendum_subject(pages[0], "addendum_to") if kind and kind.value == "addendum" else None,
    }
    for name, value in found.items():
        if value is not None:
            out[name] = value
    return out

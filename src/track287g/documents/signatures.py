"""Who signed an MOA, with what title, and when: the signature blocks.

A signature block follows "By signing this MOA (or addendum) ...". ICE's templates put the two parties side by
side: "For the LEA:" on the left and "For ICE:" on the right (2025), or ICE's signer on the left and the
agency's on the right without headings (2019-2020). The block is cut into those two columns by position, each
column's party told by its words (ICE's column names ICE, its directorate or a director's title), and each
column read: the labelled lines of the 2025 templates (Date, Signature, Name, Title, Agency), or the name and
title typed under the signature line of the older ones. A digital signature ("Digitally signed by ...
Date: 2020.06.24") counts as a name and a date. A name must look like a person's name, a title must name a
position, and a date must be a date: otherwise the value is unknown (handwriting the OCR cannot read stays
unknown).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from track287g.documents.dates import FoundDate, find_dates
from track287g.documents.extract import clean
from track287g.documents.pages import PageText, Segment, lines

SIGNING = re.compile(r"By\s*sign\s*ing\s*this\s*(MOA|addendum|agreement|memorandum)", re.I)
ICE_WORDS = re.compile(
    r"For\s+[IJl1]CE|Immigration\s*(?:and|&)\s*Customs|Enforcement\s+and\s+Removal|Homeland\s+Security|"
    r"Executive\s+Associate\s+Director|Assistant\s+Director|Acting\s+Director|Deputy\s+Director|Field\s+Office\s+Director",
    re.I,
)
LEA_HEADING = re.compile(r"For\s+the\s+(LEA|L\.E\.A|Law\s+Enforcement)", re.I)
ICE_HEADING = re.compile(r"For\s+[IJl1]CE\b", re.I)
LABEL = re.compile(r"^\s*(Date|Signature|Name|Printed\s+Name|Title|Agency)\s*[:;.~]?", re.I)
TITLE_WORDS = re.compile(
    r"\b(sheriff|chief|director|commissioner|secretary|attorney\s+general|marshal|jailer|jail\s+administrator|captain|"
    r"colonel|superintendent|warden|mayor|chair(?:man|woman|person)?|administrator|undersheriff|major|president|"
    r"judge|manager|lieutenant|commander|executive|constable|official|deputy|officer)\b",
    re.I,
)
NOT_A_NAME = re.compile(
    r"\b(county|office|department|dept|director|signature|date|name|title|agency|immigration|enforcement|security|"
    r"homeland|customs|sheriff|police|operations|commission|board|state|city|lea|ice|moa|revised|page|u\.s)\b",
    re.I,
)
HONORIFICS = re.compile(
    r"^(?:Sheriff|Chief|Dr\.?|Hon\.?|Honorable|Mr\.?|Mrs\.?|Ms\.?|Colonel|Col\.?|Director)\s+", re.I
)
DIGITAL = re.compile(r"Digitally\s*signed\s*by\s*(?P<name>[A-Z][A-Z .'-]{3,60}?)\s*(?:Date|DN|$)", re.I)


@dataclass
class Signer:
    """One party's signature: name, title and date as read, each None when unknown."""

    block: int  # 1 = the document's own signature block; 2 and on = later ones (an addendum in the same file)
    party: str  # ice | agency
    name: str | None
    title: str | None
    signed: FoundDate | None
    raw: str
    page: int
    confidence: float

    def as_json(self) -> dict:
        return {
            "party": self.party,
            "name": self.name,
            "title": self.title,
            "signed": self.signed.value.isoformat() if self.signed else None,
            "signed_raw": self.signed.raw if self.signed else None,
            "date_rule": self.signed.rule if self.signed else None,
            "block": self.block,
            "page": self.page,
            "confidence": round(self.confidence, 3),
            "raw": self.raw,
        }


def person_name(text: str) -> str | None:
    """``text`` as a person's name ("Timothy S. Robbins", "C. M. Cronen"), or None."""
    text = clean(text).strip(" ,.;:-_~")
    text = HONORIFICS.sub("", text)
    if text.isupper() and len(text) > 4:
        text = text.title()
    tokens = text.split()
    if not 2 <= len(tokens) <= 5 or NOT_A_NAME.search(text) or TITLE_WORDS.fullmatch(tokens[-1].strip(".,")):
        return None
    for token in tokens:
        word = r"(?:Mc|Mac|De|Di|Du|La|Le|O')?[A-Z][a-z'\-]*[a-z]"  # "Whidden", "DeWees", "McNeil", "O'Neil"
        if not re.fullmatch(rf"{word},?|[A-Z]\.?,?|[A-Z]\.[A-Z]\.?|(?:Jr|Sr|II|III|IV)\.?", token):
            return None
        if "." not in token and len(token.strip(",")) > 2 and not re.search(r"[aeiouy]", token.lower()):
            return None  # "Lll": not a name
    if not any(len(t.strip(".,")) >= 3 for t in tokens):
        return None
    return " ".join(tokens).rstrip(",")


def title_of(text: str, known: frozenset[str] = frozenset()) -> str | None:
    """``text`` as a position ("Sheriff", "Chief of Police", "Acting Director"), or None. With ``known`` (the
    words of ICE's templates and those the document repeats), every word must be one of them: an OCR slip
    ("Pollce", "pw") is not a title."""
    text = clean(text).strip(" ,.;:-_~|")
    text = re.sub(r"(\s+[^A-Za-z\s]{1,3})+$", "", text)  # stray marks after it ("Director 1")
    if not text or not TITLE_WORDS.search(text) or len(text) > 90:
        return None
    if re.search(r"\b(Title|Date|Name|Signature|Agency)\s*:|Immigration|Customs", text, re.I):
        return None  # two columns run together, or a label read as a value
    if sum(c.isalpha() for c in text) < 0.7 * len(text.replace(" ", "")) or re.search(r"[~^{}<>|\\\[\]]", text):
        return None
    if known and any(w.lower() not in known for w in re.findall(r"[A-Za-z]{2,}", text) if w.lower() not in SMALL):
        return None
    return text


SMALL = {"of", "the", "and", "for", "to", "in"}


def known_words(pages: list[PageText]) -> frozenset[str]:
    """Words a title may use: ICE's template words, title words, and the words this document prints twice or more."""
    from collections import Counter

    from track287g.documents.reader import template_words

    counts = Counter(w.lower() for p in pages for w in re.findall(r"[A-Za-z]{2,}", p.text))
    titles = {w.lower() for w in re.findall(r"[A-Za-z]+", TITLE_WORDS.pattern)}
    return frozenset(template_words() | titles | {w for w, n in counts.items() if n >= 2})


def _blocks(pages: list[PageText]) -> list[tuple[PageText, float]]:
    """(page, y where the block starts) for each signature block, in document order."""
    out = []
    for page in pages:
        page_lines = lines(page.segments)
        for i, line in enumerate(page_lines):
            text = " ".join(s.text for s in line)
            if SIGNING.search(text):
                # the block starts after the paragraph: the first line ending in "law." or 3 lines on
                start = line[0].y1
                for later in page_lines[i : i + 4]:
                    start = max(start, max(s.y1 for s in later))
                    if re.search(r"law\s*\.?\s*$", " ".join(s.text for s in later), re.I):
                        break
                out.append((page, start))
                break
    return out


def _region(pages: list[PageText], page: PageText, start: float) -> tuple[PageText, list[Segment]]:
    """The segments of the block: below ``start`` on its page, or at the top of the next page when the
    block was pushed there."""
    below = [s for s in page.segments if s.y0 >= start - 1 and s.y0 < page.height * 0.93]
    text = " ".join(s.text for s in below)
    if len(below) >= 3 and re.search(r"date|signature|director|sheriff|for\s+ice", text, re.I):
        return page, below
    following = [p for p in pages if p.number == page.number + 1]
    if following:
        nxt = following[0]
        top = [s for s in nxt.segments if s.y0 < nxt.height * 0.6]
        return nxt, top
    return page, below


def _columns(page: PageText, segments: list[Segment]) -> list[list[Segment]]:
    """Left and right columns of a block, split at the "For ICE:" heading or near the middle of the page."""
    split = page.width * 0.47
    heads = [s for s in segments if ICE_HEADING.search(s.text) or LEA_HEADING.search(s.text)]
    rights = [s.x0 for s in heads if s.x0 > page.width * 0.3]
    if rights:
        split = min(rights) - 6
    left = [s for s in segments if s.x0 < split]
    right = [s for s in segments if s.x0 >= split]
    return [left, right]


def _party(column: list[Segment]) -> str | None:
    text = " ".join(s.text for s in column)
    if LEA_HEADING.search(text):
        return "agency"
    if ICE_HEADING.search(text) or ICE_WORDS.search(text):
        return "ice"
    return None


def _conf(segments: list[Segment]) -> float:
    return min((s.conf for s in segments), default=1.0)


def _labelled(column: list[Segment]) -> dict[str, tuple[str, list[Segment]]]:
    """Label -> (value, segments) for the 2025 templates' labelled lines."""
    rows = lines(column)
    labels: list[tuple[str, int, str, list[Segment]]] = []  # (label, row index, rest of text, segments)
    for i, row in enumerate(rows):
        first = row[0]
        m = LABEL.match(first.text)
        if not m:
            continue
        label = m.group(1).lower().replace("printed ", "")
        rest = first.text[m.end() :].strip(" _-~:")
        others = [s for s in row[1:]]
        value = " ".join([rest, *(s.text for s in others)]).strip()
        labels.append((label, i, clean(value), [first, *others]))
    out: dict[str, tuple[str, list[Segment]]] = {}
    for n, (label, i, value, segs) in enumerate(labels):
        if not value.strip(" _-"):
            # a value typed just above or below the line of an empty label (filled-in forms drift)
            prev_row = labels[n - 1][1] if n else -1
            between = [s for row in rows[prev_row + 1 : i] for s in row if not LABEL.match(s.text)]
            if between:
                value, segs = clean(" ".join(s.text for s in between)), between
        if label not in out and value.strip(" _-"):
            out[label] = (value, segs)
    return out


MIN_OCR_CONFIDENCE = 0.5  # a value read by OCR from words Tesseract was less sure of is left unknown


@dataclass
class _Value:
    value: Any
    segments: list[Segment]
    base: float  # the rule's own confidence

    @property
    def confidence(self) -> float:
        return self.base * _conf(self.segments)


def _carrying(found: object, segments: list[Segment]) -> list[Segment]:
    """The segments that hold a value's words (its confidence is theirs, not that of a scribble beside it)."""
    text = found.raw if isinstance(found, FoundDate) else str(found or "")
    words = {w.lower() for w in re.findall(r"\w{2,}", text)}
    holding = [s for s in segments if words & {w.lower() for w in re.findall(r"\w{2,}", s.text)}]
    return holding or segments


def _first(*values: _Value | None) -> _Value | None:
    """The first value found whose words were read with enough confidence."""
    for v in values:
        if v is not None and v.value is not None and _conf(v.segments) >= MIN_OCR_CONFIDENCE:
            return v
    return None


def _read_column(
    column: list[Segment], party: str, block: int, page: PageText, window: tuple | None, known: frozenset[str]
) -> Signer:
    text = " ".join(s.text for s in lines_text(column))
    labelled = _labelled(column)

    def from_label(label: str, read, base: float) -> _Value | None:
        if label not in labelled:
            return None
        value, segments = labelled[label]
        found = read(value)
        return _Value(found, _carrying(found, segments), base)

    def date_in(text: str) -> FoundDate | None:
        found = [d for d in find_dates(text) if window is None or window[0] <= d.value <= window[1]]
        return found[0] if found else None

    name = _first(from_label("name", person_name, 0.95), from_label("signature", person_name, 0.85))
    title = _first(from_label("title", lambda v: title_of(v, known), 0.95))
    signed = _first(from_label("date", date_in, 0.95))
    digital = DIGITAL.search(text)
    if digital:
        segs = [s for s in column if "igital" in s.text or "signed" in s.text]
        name = name or _first(_Value(person_name(digital.group("name")), segs, 0.9))
        found = [d for d in find_dates(text[digital.end() - 4 :]) if d.rule == "digital-signature"]
        signed = signed or (_Value(found[0], segs, 0.95) if found else None)
    if not labelled or (name is None and title is None):
        # the 2019-2020 blocks: a name typed under the signature line, then the title
        rows = lines(column)
        for i, row in enumerate(rows):
            line = clean(" ".join(s.text for s in row))
            if LABEL.match(line):
                if signed is None and re.match(r"^\s*Date", line, re.I):
                    signed = _first(_Value(date_in(line), row, 0.9))
                continue
            candidate = _first(_Value(person_name(line), row, 0.85))
            if candidate and name is None:
                name = candidate
                if i + 1 < len(rows):
                    following = clean(" ".join(s.text for s in rows[i + 1]))
                    following = following.split(",")[0] if "County" in following else following
                    title = title or _first(_Value(title_of(following, known), rows[i + 1], 0.85))
    values = [v for v in (name, title, signed) if v is not None]
    confidence = min((v.confidence for v in values), default=0.0)
    if signed is not None and "ocr" in signed.value.rule:
        confidence *= 0.8
    raw = " | ".join(clean(" ".join(s.text for s in row)) for row in lines(column))
    return Signer(
        block,
        party,
        name.value if name else None,
        title.value if title else None,
        signed.value if signed else None,
        raw[:600],
        page.number,
        confidence,
    )


def _template_window(pages: list[PageText]) -> tuple | None:
    """Signing dates a 2025 template allows: from its revision date ("Revised 02/12/2025", printed at the foot of
    its pages) to three years after it. None when no revision date is printed."""
    from datetime import timedelta

    for page in pages:
        for line in lines(page.segments)[-4:]:
            m = re.search(r"Rev(?:ised|\.)?\s*[:.]?\s*(\d{1,2}/\d{1,2}/\d{4})", " ".join(s.text for s in line))
            if m:
                found = find_dates(m.group(1))
                if found:
                    start = found[0].value
                    return start, start + timedelta(days=3 * 365)
    return None


def lines_text(column: list[Segment]) -> list[Segment]:
    return [s for row in lines(column) for s in row]


def _read_layer(pages: list[PageText], known: frozenset[str]) -> list[Signer]:
    signers: list[Signer] = []
    window = _template_window(pages)
    for number, (page, start) in enumerate(_blocks(pages), start=1):
        where, region = _region(pages, page, start)
        columns = [c for c in _columns(where, region) if c]
        parties = [_party(c) for c in columns]
        if len(columns) == 2 and parties.count("ice") == 2:
            parties = ["agency" if LEA_HEADING.search(" ".join(s.text for s in columns[0])) else "ice", "ice"]
        if len(columns) == 2 and None in parties and ("ice" in parties or "agency" in parties):
            told = next(p for p in parties if p)
            parties = [p or ("agency" if told == "ice" else "ice") for p in parties]
        for column, party in zip(columns, parties, strict=True):
            if party is None or any(s.party == party and s.block == number for s in signers):
                continue
            signers.append(_read_column(column, party, number, where, window, known))
    return signers


def _merge(primary: list[Signer], other: list[Signer]) -> list[Signer]:
    """The text layer's reading, with what it missed taken from the OCR of the same signature page."""
    by_key = {(s.page, s.party): s for s in other}
    out = []
    for s in primary:
        o = by_key.pop((s.page, s.party), None)
        if o is not None:
            for name in ("name", "title", "signed"):
                if getattr(s, name) is None and getattr(o, name) is not None:
                    setattr(s, name, getattr(o, name))
                    s.confidence = min(s.confidence, o.confidence) if s.confidence else o.confidence
            s.raw = s.raw + " || OCR: " + o.raw
        out.append(s)
    blocks = {s.page: s.block for s in out}
    for o in by_key.values():
        o.block = blocks.get(o.page, o.block)
        out.append(o)
    return sorted(out, key=lambda s: (s.block, s.page))


def read_signatures(pages: list[PageText]) -> list[Signer]:
    """The signers of every signature block, the document's own first: read from the page as used, and from
    the OCR kept beside a signature page's text layer for what the text layer lacks."""
    known = known_words(pages)
    signers = _read_layer(pages, known)
    if any(p.alternate for p in pages):
        signers = _merge(signers, _read_layer([p.alternate or p for p in pages], known))
    return signers

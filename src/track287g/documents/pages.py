"""What a read page is: runs of text with their place on the page, grouped into lines.

Both readers give the same shape: the PDF's text layer (word rectangles from PDFium, plus the values typed
into form fields) and OCR (Tesseract's words with their confidence). A :class:`Segment` is a run of words on
one line with no wide gap inside, so the two columns of a signature block ("For the LEA:" on the left, "For
ICE:" on the right) stay apart. Coordinates are PDF points from the page's top-left corner.
"""

from __future__ import annotations

from dataclasses import dataclass, field

TEXT_LAYER, FORM_FIELD, OCR = "t", "f", "o"
GAP_POINTS = 14.0  # a horizontal gap wider than this (about three letters) starts a new segment


@dataclass(frozen=True)
class Segment:
    """A run of text on one line: its words, box and confidence (1.0 for a text layer or a form field)."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    conf: float = 1.0
    src: str = TEXT_LAYER  # t: text layer, f: form field, o: OCR

    def as_row(self) -> list:
        return [
            self.text,
            round(self.x0, 1),
            round(self.y0, 1),
            round(self.x1, 1),
            round(self.y1, 1),
            round(self.conf, 3),
            self.src,
        ]

    @classmethod
    def from_row(cls, row: list) -> Segment:
        return cls(row[0], row[1], row[2], row[3], row[4], row[5], row[6])

    @property
    def middle(self) -> float:
        return (self.y0 + self.y1) / 2


@dataclass
class PageText:
    """One page as read: its size in points, how its text was obtained, and its segments."""

    number: int  # 1-based
    width: float
    height: float
    source: str  # text-layer | ocr | none
    segments: list[Segment] = field(default_factory=list)
    confidence: float | None = None  # mean word confidence of OCR; None for a text layer
    note: str | None = None
    alternate: PageText | None = None  # a signature page's OCR, kept beside its text layer

    @property
    def text(self) -> str:
        return "\n".join(" ".join(s.text for s in line) for line in lines(self.segments))

    def as_json(self) -> dict:
        return {
            "page": self.number,
            "width": round(self.width, 1),
            "height": round(self.height, 1),
            "source": self.source,
            "confidence": None if self.confidence is None else round(self.confidence, 3),
            "note": self.note,
            "segments": [s.as_row() for s in self.segments],
            "alternate": self.alternate.as_json() if self.alternate else None,
        }

    @classmethod
    def from_json(cls, data: dict) -> PageText:
        return cls(
            data["page"],
            data["width"],
            data["height"],
            data["source"],
            [Segment.from_row(r) for r in data["segments"]],
            data.get("confidence"),
            data.get("note"),
            PageText.from_json(data["alternate"]) if data.get("alternate") else None,
        )


def segments_from_words(words: list[Segment], src: str) -> list[Segment]:
    """Group words (each a one-word :class:`Segment`) into lines (boxes overlapping vertically), then split each
    line at wide gaps."""
    out: list[Segment] = []
    for line in _group_lines(words):
        run: list[Segment] = []
        for word in line:
            if run and word.x0 - run[-1].x1 > GAP_POINTS:
                out.append(_segment(run, src))
                run = []
            run.append(word)
        if run:
            out.append(_segment(run, src))
    return [s for s in out if s.text]


def _segment(words: list[Segment], src: str) -> Segment:
    text = " ".join(" ".join(w.text.split()) for w in words if w.text.strip())
    conf = sum(w.conf for w in words) / len(words)
    return Segment(
        " ".join(text.split()),
        min(w.x0 for w in words),
        min(w.y0 for w in words),
        max(w.x1 for w in words),
        max(w.y1 for w in words),
        conf,
        src,
    )


def _group_lines(words: list[Segment]) -> list[list[Segment]]:
    return [sorted(members, key=lambda w: w.x0) for members in _bands(words)]


def _bands(items: list) -> list[list]:
    """Items (with y0, y1) grouped into lines: an item joins the current line when its middle lies within the
    band of the line's first ordinary-height item. An item more than three times the usual height (a rotated
    word, a tall glyph) forms its own line, so it cannot swallow the lines beside it."""
    if not items:
        return []
    heights = sorted(i.y1 - i.y0 for i in items)
    usual = heights[len(heights) // 2] or 1.0
    out: list[tuple[float, float, list]] = []
    for item in sorted(items, key=lambda i: ((i.y0 + i.y1) / 2, i.x0)):
        middle = (item.y0 + item.y1) / 2
        tall = item.y1 - item.y0 > 3 * usual
        if out and not tall and out[-1][0] <= middle <= out[-1][1]:
            out[-1][2].append(item)
        else:
            top, bottom = (middle - usual / 2, middle + usual / 2) if tall else (item.y0, item.y1)
            out.append((top, bottom, [item]))
    return [members for _t, _b, members in out]


def lines(segments: list[Segment]) -> list[list[Segment]]:
    """Segments grouped into lines, top to bottom, each left to right."""
    return [sorted(members, key=lambda s: s.x0) for members in _bands(segments)]

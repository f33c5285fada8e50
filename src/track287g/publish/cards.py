"""Preview cards: the PNG image a social network or chat app shows beside a link (Open Graph ``og:image``,
Twitter ``summary_large_image``), drawn offline with Pillow and the vendored font Inter (``fonts/inter/``, Latin with
the Spanish letters; no system font, no request).

A ``Card`` is what the picture says: a title, a line under it, up to four figures with their labels, a note (which
list the figures come from) and a footer. ``render_card`` draws it at 1200 x 630 pixels, the size both networks
recommend; the same card always gives the same bytes, so an unchanged card need not be drawn again
(``Card.key``). Any page can have one: the web site makes them for its home, state and agency pages.
"""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import asdict, dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

WIDTH, HEIGHT = 1200, 630
MARGIN = 70
BACKGROUND = "#ffffff"
BAND = "#1b3a5c"  # the site's header colour
ACCENT = "#8c2d04"
INK = "#1a1a1a"
MUTED = "#4a4a4a"
RULE = "#d6d2ca"
FOOTER = "track287g · the open record of ICE 287(g) agreements"
RENDERER = "4"  # bump when the drawing changes: every card is drawn again
FONTS = Path(__file__).parent / "fonts" / "inter"
FONT = FONTS / "inter-latin-400-normal.woff"
BOLD = FONTS / "inter-latin-700-normal.woff"  # the title and the figures


@dataclass(frozen=True)
class Card:
    """What a preview card says (already in the page's language)."""

    title: str
    subtitle: str = ""
    figures: tuple[tuple[str, str], ...] = ()  # (value, label), e.g. ("1,492", "agreements"); at most four
    note: str = ""  # the source of the figures, e.g. "ICE's list published 2026-02-27 am"
    footer: str = FOOTER

    @property
    def key(self) -> str:
        """A fingerprint of the card and the renderer: equal keys, equal PNG bytes."""
        text = json.dumps([RENDERER, WIDTH, HEIGHT, asdict(self)], ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:20]


@cache
def _font(size: int, bold: bool = False) -> Any:
    from PIL import ImageFont

    return ImageFont.truetype(str(BOLD if bold else FONT), size)


@lru_cache(maxsize=4096)
def _length(text: str, size: int, bold: bool = False) -> float:
    return _font(size, bold).getlength(text)


@lru_cache(maxsize=512)
def _glyphs(text: str, size: int, bold: bool) -> tuple[Any, tuple[int, int]]:
    """The coverage mask of ``text`` and its offset, as Pillow's ``ImageDraw.text`` makes them at a whole-pixel
    position (the footer, the note and the labels recur on most cards: each is laid out and rasterized once)."""
    return _font(size, bold).getmask2(text, "L", None, None, None, 0, "la", 255, (0.0, 0.0))


@lru_cache(maxsize=1024)
def _wrap(text: str, size: int, width: int, lines: int, bold: bool = False) -> tuple[str, ...]:
    """``text`` in at most ``lines`` lines of at most ``width`` pixels (the last one shortened with an ellipsis)."""
    out: list[str] = []
    words = text.split()
    while words and len(out) < lines:
        line = words.pop(0)
        while words and _length(line + " " + words[0], size, bold) <= width:
            line += " " + words.pop(0)
        out.append(line)
    if words or (out and _length(out[-1], size, bold) > width):
        last = out[-1]
        while last and _length(last + "…", size, bold) > width:
            last = last[:-1].rstrip()
        out[-1] = last + "…"
    return tuple(out)


def _fitting(text: str, sizes: tuple[int, ...], width: int, lines: int, bold: bool) -> tuple[int, tuple[str, ...]]:
    """The largest size among ``sizes`` at which ``text`` fits in ``lines`` lines."""
    for size in sizes:
        wrapped = _wrap(text, size, width, lines, bold)
        if not wrapped or not wrapped[-1].endswith("…") or size == sizes[-1]:
            return size, wrapped
    return sizes[-1], _wrap(text, sizes[-1], width, lines, bold)


class _Canvas:
    """Drawing in a few flat colours, one per band of rows: the shapes and letters go into one antialiased coverage
    mask, turned at the end into a palette image (each band's colour in 16 shades over the background), whose PNG is
    several times smaller and faster to write than a full-colour one."""

    LEVELS = 16

    def __init__(self) -> None:
        from PIL import Image, ImageDraw

        self.mask = Image.new("L", (WIDTH, HEIGHT), 0)
        self.pen = ImageDraw.Draw(self.mask)
        self.bands: list[tuple[int, int, str]] = []

    def draw(self, colour: str, top: float, bottom: float) -> Any:
        """The pen for rows ``top`` to ``bottom``, which take ``colour``."""
        self.bands.append((max(int(top), 0), min(int(bottom) + 1, HEIGHT), colour))
        return self.pen

    def text(self, xy: tuple[int, int], text: str, size: int, bold: bool = False) -> None:
        """``text`` at ``xy`` in Inter (regular or bold) at ``size`` pixels (what ``ImageDraw.text`` draws there,
        from the cache)."""
        mask, (dx, dy) = _glyphs(text, size, bold)
        self.pen.draw.draw_bitmap((xy[0] + dx, xy[1] + dy), mask, 255)

    def png(self) -> bytes:
        from PIL import Image

        colours: list[str] = []
        rows: list[tuple[int, int, int]] = []  # (top, bottom, the colour's place), the later band winning a row
        for top, bottom, colour in self.bands:
            if colour not in colours:
                colours.append(colour)
            rows = [piece for t, b, c in rows for piece in _outside(t, b, c, top, bottom)]
            rows.append((top, bottom, colours.index(colour)))
        pixels = Image.new("L", (WIDTH, HEIGHT), 0)  # no ink: the background, whatever the band
        for top, bottom, place in rows:
            box = (0, top, WIDTH, bottom)
            band = self.mask.crop(box)
            if band.getbbox():  # most rows of a card are blank
                pixels.paste(band.point(_shades(place)), box)
        pixels.putpalette(_palette(tuple(colours)))  # the coverage, now palette indices: a "P" image
        buffer = io.BytesIO()
        pixels.save(buffer, "PNG", compress_level=3)  # level 6 saves a fifth of the bytes at twice the time
        return buffer.getvalue()


def _outside(top: int, bottom: int, place: int, over_top: int, over_bottom: int) -> list[tuple[int, int, int]]:
    """The rows of band ``top``-``bottom`` that a later band ``over_top``-``over_bottom`` leaves to it."""
    kept = [(top, min(bottom, over_top), place), (max(top, over_bottom), bottom, place)]
    return [(t, b, c) for t, b, c in kept if t < b]


@cache
def _shades(place: int) -> list[int]:
    """Coverage (0-255) to palette index: none is the background, else one of the 16 shades of colour ``place``."""
    shift = 8 - (_Canvas.LEVELS - 1).bit_length()
    base = 1 + place * _Canvas.LEVELS
    return [0] + [base + (cover >> shift) for cover in range(1, 256)]


@cache
def _palette(colours: tuple[str, ...]) -> list[int]:
    """The background, then each colour in 16 shades over it, as RGB triples."""
    from PIL import ImageColor

    back = ImageColor.getrgb(BACKGROUND)[:3]
    palette = list(back)
    for colour in colours:
        ink = ImageColor.getrgb(colour)[:3]
        for level in range(1, _Canvas.LEVELS + 1):
            palette += [round(b + (i - b) * (level / _Canvas.LEVELS)) for b, i in zip(back, ink, strict=True)]
    return palette


def render_card(card: Card) -> bytes:
    """The card as PNG bytes (1200 x 630)."""
    canvas = _Canvas()
    canvas.draw(BAND, 0, 16).rectangle((0, 0, WIDTH, 16), fill=255)
    inner = WIDTH - 2 * MARGIN
    y = 64
    size, lines = _fitting(card.title, (64, 56, 48), inner, 2, bold=True)
    for line in lines:
        canvas.draw(INK, y, y + size * 1.2)
        canvas.text((MARGIN, y), line, size, bold=True)
        y += round(size * 1.2)
    if card.subtitle:
        y += 12
        for line in _wrap(card.subtitle, 30, inner, 2):
            canvas.draw(MUTED, y - 4, y + 38)
            canvas.text((MARGIN, y), line, 30)
            y += 38
    figures = card.figures[:4]
    if figures:
        top = max(y + 28, 300)
        column = inner // len(figures)
        canvas.draw(ACCENT, top - 4, top + 96), canvas.draw(MUTED, top + 96, top + 172)
        for i, (value, label) in enumerate(figures):
            x = MARGIN + i * column
            vsize, vline = _fitting(value, (84, 68, 56), column - 24, 1, bold=True)
            canvas.text((x, top), vline[0], vsize, bold=True)
            for j, line in enumerate(_wrap(label, 26, column - 24, 2)):
                canvas.text((x, top + 98 + j * 32), line, 26)
    if card.note:
        canvas.draw(MUTED, HEIGHT - 116, HEIGHT - 78)
        canvas.text((MARGIN, HEIGHT - 112), _wrap(card.note, 26, inner, 1)[0], 26)
    canvas.draw(RULE, HEIGHT - 74, HEIGHT - 70).line(
        (MARGIN, HEIGHT - 72, WIDTH - MARGIN, HEIGHT - 72), fill=255, width=2
    )
    canvas.draw(BAND, HEIGHT - 62, HEIGHT)
    canvas.text((MARGIN, HEIGHT - 58), _wrap(card.footer, 26, inner, 1)[0], 26)
    return canvas.png()


__all__ = ["HEIGHT", "WIDTH", "Card", "render_card"]

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
from functools import cache
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
RENDERER = "2"  # bump when the drawing changes: every card is drawn again
FONT = Path(__file__).parent / "fonts" / "inter" / "inter-latin-400-normal.woff"


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
def _font(size: int) -> Any:
    from PIL import ImageFont

    return ImageFont.truetype(str(FONT), size)


def _wrap(text: str, size: int, width: int, lines: int) -> list[str]:
    """``text`` in at most ``lines`` lines of at most ``width`` pixels (the last one shortened with an ellipsis)."""
    font = _font(size)
    out: list[str] = []
    words = text.split()
    while words and len(out) < lines:
        line = words.pop(0)
        while words and font.getlength(line + " " + words[0]) <= width:
            line += " " + words.pop(0)
        out.append(line)
    if words or (out and font.getlength(out[-1]) > width):
        last = out[-1]
        while last and font.getlength(last + "…") > width:
            last = last[:-1].rstrip()
        out[-1] = last + "…"
    return out


def _fitting(text: str, sizes: tuple[int, ...], width: int, lines: int) -> tuple[int, list[str]]:
    """The largest size among ``sizes`` at which ``text`` fits in ``lines`` lines."""
    for size in sizes:
        wrapped = _wrap(text, size, width, lines)
        if not wrapped or not wrapped[-1].endswith("…") or size == sizes[-1]:
            return size, wrapped
    return sizes[-1], _wrap(text, sizes[-1], width, lines)


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

    def png(self) -> bytes:
        import numpy as np
        from PIL import Image, ImageColor

        back = np.array(ImageColor.getrgb(BACKGROUND), dtype=float)
        palette = [*map(int, back)]
        colours: dict[str, int] = {}
        row_base = np.zeros(HEIGHT, dtype=np.uint8)
        for top, bottom, colour in self.bands:
            if colour not in colours:
                colours[colour] = 1 + len(colours) * self.LEVELS
                ink = np.array(ImageColor.getrgb(colour), dtype=float)
                for level in range(1, self.LEVELS + 1):
                    palette += [round(v) for v in back + (ink - back) * (level / self.LEVELS)]
            row_base[top:bottom] = colours[colour]
        cover = np.asarray(self.mask)
        shades = (cover >> (8 - (self.LEVELS - 1).bit_length())).astype(np.uint8)
        pixels = np.where(cover > 0, row_base[:, None] + shades, 0).astype(np.uint8)
        image = Image.fromarray(pixels, mode="P")
        image.putpalette(palette)
        buffer = io.BytesIO()
        image.save(buffer, "PNG", compress_level=6)
        return buffer.getvalue()


def render_card(card: Card) -> bytes:
    """The card as PNG bytes (1200 x 630)."""
    canvas = _Canvas()
    canvas.draw(BAND, 0, 16).rectangle((0, 0, WIDTH, 16), fill=255)
    inner = WIDTH - 2 * MARGIN
    y = 64
    size, lines = _fitting(card.title, (64, 56, 48), inner, 2)
    for line in lines:
        pen = canvas.draw(INK, y, y + size * 1.2)
        pen.text((MARGIN, y), line, font=_font(size), fill=255, stroke_width=1, stroke_fill=255)
        y += round(size * 1.2)
    if card.subtitle:
        y += 12
        for line in _wrap(card.subtitle, 30, inner, 2):
            canvas.draw(MUTED, y - 4, y + 38).text((MARGIN, y), line, font=_font(30), fill=255)
            y += 38
    figures = card.figures[:4]
    if figures:
        top = max(y + 28, 300)
        column = inner // len(figures)
        accent, muted = canvas.draw(ACCENT, top - 4, top + 96), canvas.draw(MUTED, top + 96, top + 172)
        for i, (value, label) in enumerate(figures):
            x = MARGIN + i * column
            vsize, vline = _fitting(value, (84, 68, 56), column - 24, 1)
            accent.text((x, top), vline[0], font=_font(vsize), fill=255, stroke_width=1, stroke_fill=255)
            for j, line in enumerate(_wrap(label, 26, column - 24, 2)):
                muted.text((x, top + 98 + j * 32), line, font=_font(26), fill=255)
    if card.note:
        pen = canvas.draw(MUTED, HEIGHT - 116, HEIGHT - 78)
        pen.text((MARGIN, HEIGHT - 112), _wrap(card.note, 26, inner, 1)[0], font=_font(26), fill=255)
    canvas.draw(RULE, HEIGHT - 74, HEIGHT - 70).line(
        (MARGIN, HEIGHT - 72, WIDTH - MARGIN, HEIGHT - 72), fill=255, width=2
    )
    pen = canvas.draw(BAND, HEIGHT - 62, HEIGHT)
    pen.text((MARGIN, HEIGHT - 58), _wrap(card.footer, 26, inner, 1)[0], font=_font(26), fill=255)
    return canvas.png()


__all__ = ["HEIGHT", "WIDTH", "Card", "render_card"]

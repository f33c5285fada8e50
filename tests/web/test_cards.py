"""Preview cards are flat colours over white, drawn the same way every time."""

from __future__ import annotations

import io

from PIL import Image, ImageColor

from track287g.publish import cards

CARD = cards.Card(
    title="Walker County Sheriff's Office",
    subtitle="Georgia · Jail Enforcement Model",
    figures=(("2", "agreements"), ("1,492", "agreements in Georgia")),
    note="ICE's list published 2026-02-27 am",
)


def _colours(png: bytes, box: tuple[int, int, int, int]) -> set[tuple[int, int, int]]:
    image = Image.open(io.BytesIO(png)).convert("RGB").crop(box)
    return {rgb for _, rgb in image.getcolors(maxcolors=1 << 20)}


def test_the_same_card_gives_the_same_bytes():
    assert cards.render_card(CARD) == cards.render_card(CARD)


def test_a_card_is_a_palette_png_of_its_bands_colours_over_white():
    png = cards.render_card(CARD)
    image = Image.open(io.BytesIO(png))
    assert (image.format, image.mode, image.size) == ("PNG", "P", (cards.WIDTH, cards.HEIGHT))
    white = ImageColor.getrgb(cards.BACKGROUND)
    assert _colours(png, (0, 0, cards.WIDTH, 16)) == {ImageColor.getrgb(cards.BAND)}  # the top band, solid
    title = _colours(png, (cards.MARGIN, 64, cards.WIDTH - cards.MARGIN, 130))
    assert white in title and ImageColor.getrgb(cards.INK) in title  # letters in full ink, antialiased edges
    ink = ImageColor.getrgb(cards.INK)
    for rgb in title:  # every shade lies between the background and the ink
        assert all(min(w, i) <= c <= max(w, i) for c, w, i in zip(rgb, white, ink, strict=True)), rgb
    assert _colours(png, (0, 250, cards.WIDTH, 290)) == {white}  # a blank stretch between the bands

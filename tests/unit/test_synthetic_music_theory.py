"""synthetic.music.theory: chord symbols (roman numerals in a key) and their voicings."""

from __future__ import annotations

import pytest

from danet_music2vec.synthetic.music.theory import Chord, close_voicing, guitar_voicing, parse_progression, place


def test_roman_numerals_parse_into_offsets_qualities_and_beats():
    assert parse_progression("ii9:2 V7:2 Imaj7") == [
        (2, (0, 3, 7, 10, 14), 2.0), (7, (0, 4, 7, 10), 2.0), (0, (0, 4, 7, 11), 4.0)]
    assert parse_progression("bVII #iv") == [(10, (0, 4, 7), 4.0), (6, (0, 3, 7), 4.0)]
    with pytest.raises(ValueError, match="bad chord symbol 'X7'"):
        parse_progression("I X7")


def test_voicings_hold_the_chord_tones():
    c7 = Chord(start=0.0, root=0, intervals=(0, 4, 7, 10))
    assert place(4, 60) == 64 and place(0, 60) == 60 and place(11, 60) == 71
    voicing = close_voicing(c7, center=60)
    assert {n % 12 for n in voicing} == c7.pcs and max(voicing) - min(voicing) < 12
    rootless = close_voicing(c7, center=60, drop_root=True)
    assert {n % 12 for n in rootless} == {4, 10}
    guitar = guitar_voicing(c7)
    assert guitar[0] == 48 and {n % 12 for n in guitar} == c7.pcs and len(guitar) <= 6
    assert (c7.degree("3"), c7.degree("b7"), c7.degree("5")) == (4, 10, 7)

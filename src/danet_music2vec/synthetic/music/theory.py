"""Music theory for the synthetic genres: General MIDI drum keys, scales, rhythm cells and
chord symbols (roman numerals in a key) with their voicings."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

GENRES: tuple[str, ...] = (
    "blues", "classical", "country", "disco", "hiphop",
    "jazz", "metal", "pop", "reggae", "rock",
)
SAMPLE_RATE = 22050
METADATA_COLUMNS = ("clip_id", "genre", "artist", "tempo_bpm", "key", "instruments", "seed")
MAX_CLIPS_PER_GENRE = 100
MAX_DURATION_S = 30.0

DRUM_CHANNEL = 9
DRUM_BANK = 128
PITCH_NAMES = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")
KIT_NAMES = {0: "Standard", 8: "Room", 16: "Power", 24: "Electronic", 25: "TR-808",
              32: "Jazz", 40: "Brush", 48: "Orchestra"}

# General MIDI percussion keys.
KICK, KICK2, SIDE_STICK, SNARE, CLAP, SNARE2 = 36, 35, 37, 38, 39, 40
HAT_CLOSED, HAT_PEDAL, HAT_OPEN = 42, 44, 46
CRASH, CRASH2, RIDE, RIDE_BELL, CHINA = 49, 57, 51, 53, 52
TOMS = (50, 48, 47, 45, 43, 41)  # high to low
TAMBOURINE, COWBELL, SHAKER = 54, 56, 70

# Scales as semitones above the key root.
MAJOR = (0, 2, 4, 5, 7, 9, 11)
MINOR = (0, 2, 3, 5, 7, 8, 10)
HARMONIC_MINOR = (0, 2, 3, 5, 7, 8, 11)
DORIAN = (0, 2, 3, 5, 7, 9, 10)
MAJOR_PENTA = (0, 2, 4, 7, 9)
MINOR_PENTA = (0, 3, 5, 7, 10)
BLUES_SCALE = (0, 3, 5, 6, 7, 10)

# Rhythm cells for melodies: (position, duration) in beats within a 4/4 bar.
Cell = Sequence[tuple[float, float]]
EIGHTHS: Cell = tuple((i * 0.5, 0.5) for i in range(8))
QUARTERS: Cell = ((0, 1), (1, 1), (2, 1), (3, 1))
SIXTEENTHS_RUN: Cell = tuple((i * 0.25, 0.25) for i in range(8)) + ((2, 1), (3, 1))


# --------------------------------------------------------------------------- harmony

ROMAN = {"i": 0, "ii": 2, "iii": 4, "iv": 5, "v": 7, "vi": 9, "vii": 11}
MAJOR_QUALITIES = {"": (0, 4, 7), "7": (0, 4, 7, 10), "maj7": (0, 4, 7, 11),
                    "9": (0, 4, 7, 10, 14), "maj9": (0, 4, 7, 11, 14), "6": (0, 4, 7, 9),
                    "5": (0, 7, 12), "sus4": (0, 5, 7)}
MINOR_QUALITIES = {"": (0, 3, 7), "7": (0, 3, 7, 10), "9": (0, 3, 7, 10, 14),
                    "m7b5": (0, 3, 6, 10), "dim": (0, 3, 6), "5": (0, 7, 12)}
CHORD_RE = re.compile(r"([b#]?)(vii|vi|v|iv|iii|ii|i)(.*)", re.IGNORECASE)


@dataclass(frozen=True)
class Chord:
    start: float  # beat where the chord begins
    root: int  # pitch class 0..11
    intervals: tuple[int, ...]  # semitones above the root

    @property
    def pcs(self) -> frozenset[int]:
        return frozenset((self.root + i) % 12 for i in self.intervals)

    def degree(self, name: str) -> int:
        """Semitones above the root for a bass-line degree name ('3' follows the chord)."""
        if name == "3":
            return next((i for i in self.intervals if i in (3, 4)), 0)
        if name == "b7":
            return next((i for i in self.intervals if i in (10, 11)), 10)
        return {"R": 0, "5": 7, "8": 12, "6": 9, "5-": -5, "2": 2, "4": 5}[name]


def parse_progression(text: str) -> list[tuple[int, tuple[int, ...], float]]:
    """Parse roman numerals like 'ii9:2 V7:2 Imaj7' into (offset, intervals, beats)."""
    chords = []
    for token in text.split():
        name, _, beats = token.partition(":")
        match = CHORD_RE.fullmatch(name)
        if match is None:
            raise ValueError(f"bad chord symbol {token!r}")
        accidental, numeral, suffix = match.groups()
        offset = ROMAN[numeral.lower()] + {"b": -1, "#": 1, "": 0}[accidental]
        qualities = MAJOR_QUALITIES if numeral.isupper() else MINOR_QUALITIES
        chords.append((offset % 12, qualities[suffix], float(beats or 4)))
    return chords


def place(pc: int, low: int) -> int:
    """Lowest MIDI key at or above ``low`` with pitch class ``pc``."""
    return low + (pc - low) % 12


def close_voicing(chord: Chord, center: int, drop_root: bool = False) -> list[int]:
    """Chord tones packed within the octave around ``center`` (simple voice leading)."""
    intervals = chord.intervals
    if drop_root and len(intervals) > 3:  # rootless jazz voicing: the bass has the root
        intervals = tuple(i for i in intervals if i not in (0, 7)) or intervals
    return sorted({place((chord.root + i) % 12, center - 6) for i in intervals})


def guitar_voicing(chord: Chord, low: int = 40) -> list[int]:
    """Open-position style guitar voicing: root, fifth, octave, then the colour tones."""
    root = place(chord.root, low)
    notes = {root, root + 7, root + 12}
    for interval in chord.intervals[1:]:
        if interval % 12 not in (0, 7):
            notes.add(root + 12 + interval % 12)
    notes.add(root + 19)
    return sorted(notes)[:6]

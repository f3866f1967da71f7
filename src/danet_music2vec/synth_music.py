"""Synthetic GTZAN stand-in: procedurally composed genre clips rendered with a GM SoundFont.

The pipeline's offline demo cannot download GTZAN, so this module writes a dataset in
GTZAN's layout (``<root>/genres/<genre>/<genre>.000NN.wav``, 22050 Hz mono PCM_16).
Each clip is composed from note events (drums, bass, chords, lead) whose tempo, groove,
kit, instruments and harmony follow the genre, then rendered with TinySoundFont and the
``TimGM6mb.sf2`` SoundFont that ships with ``pretty_midi``.

Clips are grouped into "artists" that fix part of the choices (tempo centre, favourite
instruments, keys, groove variant, swing, timing looseness), so splitting by artist
behaves like splitting real GTZAN by artist. Every random choice flows from the seed
through per-clip and per-artist generators, so a clip's bytes do not depend on which
other clips are built, or in which order or process.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

import numpy as np
import pandas as pd

from .audio import write_wav
from .fileio import atomic_path

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
_PITCH_NAMES = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")
_KIT_NAMES = {0: "Standard", 8: "Room", 16: "Power", 24: "Electronic", 25: "TR-808",
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

_ROMAN = {"i": 0, "ii": 2, "iii": 4, "iv": 5, "v": 7, "vi": 9, "vii": 11}
_MAJOR_QUALITIES = {"": (0, 4, 7), "7": (0, 4, 7, 10), "maj7": (0, 4, 7, 11),
                    "9": (0, 4, 7, 10, 14), "maj9": (0, 4, 7, 11, 14), "6": (0, 4, 7, 9),
                    "5": (0, 7, 12), "sus4": (0, 5, 7)}
_MINOR_QUALITIES = {"": (0, 3, 7), "7": (0, 3, 7, 10), "9": (0, 3, 7, 10, 14),
                    "m7b5": (0, 3, 6, 10), "dim": (0, 3, 6), "5": (0, 7, 12)}
_CHORD_RE = re.compile(r"([b#]?)(vii|vi|v|iv|iii|ii|i)(.*)", re.IGNORECASE)


@dataclass(frozen=True)
class _Chord:
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


def _parse_progression(text: str) -> list[tuple[int, tuple[int, ...], float]]:
    """Parse roman numerals like 'ii9:2 V7:2 Imaj7' into (offset, intervals, beats)."""
    chords = []
    for token in text.split():
        name, _, beats = token.partition(":")
        match = _CHORD_RE.fullmatch(name)
        if match is None:
            raise ValueError(f"bad chord symbol {token!r}")
        accidental, numeral, suffix = match.groups()
        offset = _ROMAN[numeral.lower()] + {"b": -1, "#": 1, "": 0}[accidental]
        qualities = _MAJOR_QUALITIES if numeral.isupper() else _MINOR_QUALITIES
        chords.append((offset % 12, qualities[suffix], float(beats or 4)))
    return chords


def _place(pc: int, low: int) -> int:
    """Lowest MIDI key at or above ``low`` with pitch class ``pc``."""
    return low + (pc - low) % 12


def _close_voicing(chord: _Chord, center: int, drop_root: bool = False) -> list[int]:
    """Chord tones packed within the octave around ``center`` (simple voice leading)."""
    intervals = chord.intervals
    if drop_root and len(intervals) > 3:  # rootless jazz voicing: the bass has the root
        intervals = tuple(i for i in intervals if i not in (0, 7)) or intervals
    return sorted({_place((chord.root + i) % 12, center - 6) for i in intervals})


def _guitar_voicing(chord: _Chord, low: int = 40) -> list[int]:
    """Open-position style guitar voicing: root, fifth, octave, then the colour tones."""
    root = _place(chord.root, low)
    notes = {root, root + 7, root + 12}
    for interval in chord.intervals[1:]:
        if interval % 12 not in (0, 7):
            notes.add(root + 12 + interval % 12)
    notes.add(root + 19)
    return sorted(notes)[:6]


# --------------------------------------------------------------------------- genres


@dataclass(frozen=True)
class _Variant:
    name: str
    weight: float
    tempo: tuple[float, float]


@dataclass(frozen=True)
class _GenreSpec:
    variants: tuple[_Variant, ...]  # groove variants with their tempo ranges
    keys: tuple[int, ...]  # favoured key roots (pitch classes)
    minor_prob: float  # share of artists that write in minor
    kits: tuple[int, ...]  # GM drum kits (bank 128), repeated entries weight them
    roles: dict[str, tuple[int, ...]]  # part role -> GM program family to swap within
    prog_major: tuple[str, ...]
    prog_minor: tuple[str, ...]
    swing: tuple[float, float] = (0.5, 0.5)  # long/short ratio of the swung subdivision
    swing_grid: int = 8  # 8: swing eighth notes, 16: swing sixteenths
    jitter_ms: tuple[float, float] = (4.0, 10.0)
    lead_prob: float = 0.7  # share of artists with a melody part


@dataclass(frozen=True)
class _Artist:
    """Choices one artist shares across its clips."""

    name: str
    variant: str
    tempo_range: tuple[float, float]
    tempo_centre: float
    keys: tuple[int, ...]
    minor: bool
    kit: int | None
    favourites: dict[str, int]
    swing: float
    jitter_ms: float
    velocity_sd: float
    prog_weights: np.ndarray
    gain_bias: dict[str, float]
    density: float
    has_lead: bool
    motif_seed: tuple[int, ...]

    def motif_rng(self) -> np.random.Generator:
        """A fresh generator for artist-level riffs and patterns (same every clip)."""
        return np.random.default_rng(self.motif_seed)


@dataclass
class _Part:
    role: str
    program: int
    channel: int
    drums: bool
    gain_db: float
    notes: list[tuple[float, float, int, int]] = field(default_factory=list)


class _Clip:
    """Note events of one clip, written in beats and stored in seconds."""

    def __init__(self, genre: str, spec: _GenreSpec, artist: _Artist,
                 rng: np.random.Generator, duration_s: float) -> None:
        self.genre, self.spec, self.artist, self.rng = genre, spec, artist, rng
        lo, hi = artist.tempo_range
        self.tempo = float(np.clip(artist.tempo_centre * math.exp(rng.normal(0, 0.03)), lo, hi))
        self.spb = 60.0 / self.tempo
        # Keys: the artist's favourites most of the time, the genre's others sometimes.
        pool = artist.keys if rng.random() < 0.8 else spec.keys
        self.key = int(pool[rng.integers(len(pool))])
        flip = 0.0 < spec.minor_prob < 1.0 and rng.random() < 0.15
        self.minor = artist.minor != flip
        self.swing = artist.swing
        self.jitter_s = artist.jitter_ms / 1000.0
        self.velocity_sd = artist.velocity_sd
        # Start somewhere inside the song (GTZAN clips are excerpts) with a pre-roll so
        # the clip opens on ringing notes rather than on silence.
        self.pre_s = float(rng.uniform(0.3, 1.2))
        self.n_bars = int(math.ceil((self.pre_s + duration_s) / (4 * self.spb))) + 1
        self.chords = self._chord_timeline()
        self._chord_starts = np.array([c.start for c in self.chords])
        self.parts: list[_Part] = []

    # -- song structure
    def _chord_timeline(self) -> list[_Chord]:
        options = self.spec.prog_minor if self.minor else self.spec.prog_major
        weights = self.artist.prog_weights[: len(options)]
        prog = _parse_progression(options[self.rng.choice(len(options), p=weights / weights.sum())])
        starts = np.cumsum([0.0] + [b for _, _, b in prog[:-1]])
        bar_starts = [i for i, s in enumerate(starts) if s % 4 == 0]
        index = int(bar_starts[self.rng.integers(len(bar_starts))])  # enter mid-form
        chords, beat = [], 0.0
        while beat < self.n_bars * 4 + 4:
            offset, intervals, beats = prog[index % len(prog)]
            chords.append(_Chord(beat, (self.key + offset) % 12, intervals))
            beat += beats
            index += 1
        return chords

    def chord(self, beat: float) -> _Chord:
        i = int(np.searchsorted(self._chord_starts, beat + 1e-6, side="right")) - 1
        return self.chords[max(i, 0)]

    def next_chord(self, beat: float) -> _Chord:
        i = int(np.searchsorted(self._chord_starts, beat + 1e-6, side="right"))
        return self.chords[min(i, len(self.chords) - 1)]

    def scale(self, major: Sequence[int], minor: Sequence[int]) -> tuple[int, ...]:
        return tuple(minor if self.minor else major)

    # -- parts
    def program(self, role: str) -> int:
        """The artist's favourite program, swapped within the family now and then."""
        family = self.spec.roles[role]
        if self.rng.random() < 0.75:
            return self.artist.favourites[role]
        return int(family[self.rng.integers(len(family))])

    def add_part(self, role: str, gain_db: float, program: int | None = None) -> _Part:
        used = {p.channel for p in self.parts}
        channel = next(ch for ch in range(16) if ch != DRUM_CHANNEL and ch not in used)
        program = self.program(role) if program is None else program
        gain = gain_db + self.artist.gain_bias.get(role, 0.0) + self.rng.normal(0, 1.5)
        part = _Part(role, program, channel, False, gain)
        self.parts.append(part)
        return part

    def add_drums(self, gain_db: float) -> _Part:
        assert self.artist.kit is not None
        kit = self.artist.kit
        gain = gain_db + self.artist.gain_bias.get("drums", 0.0) + self.rng.normal(0, 1.5)
        part = _Part("drums", kit, DRUM_CHANNEL, True, gain)
        self.parts.append(part)
        return part

    # -- events
    def seconds(self, beat: float) -> float:
        """Beat position to seconds, applying swing to the eighth or sixteenth grid."""
        whole = math.floor(beat)
        frac = beat - whole
        quarter = frac * 4
        if abs(quarter - round(quarter)) < 1e-6 and self.swing != 0.5:
            q = int(round(quarter)) % 4
            s = self.swing
            if self.spec.swing_grid == 8:
                frac = (0.0, s / 2, s, s + (1 - s) / 2)[q]
            else:
                frac = (0.0, s / 2, 0.5, 0.5 + s / 2)[q]
        return (whole + frac) * self.spb

    def note(self, part: _Part, beat: float, dur: float, key: int, velocity: float,
             *, jitter: float = 1.0, delay_s: float = 0.0) -> None:
        """Add a humanised note; keys outside the piano range are folded by octaves."""
        while key < 21:
            key += 12
        while key > 108:
            key -= 12
        shift = self.rng.normal(0.0, self.jitter_s * jitter) + delay_s
        start = self.seconds(beat) + shift
        end = max(self.seconds(beat + dur) + shift, start + 0.03)
        vel = int(np.clip(round(velocity + self.rng.normal(0.0, self.velocity_sd)), 1, 127))
        part.notes.append((max(start, 0.0), end, int(key), vel))

    def hit(self, part: _Part, key: int, beat: float, velocity: float, dur: float = 1.0) -> None:
        """Drum hit: tighter timing than pitched parts."""
        self.note(part, beat, dur, key, velocity, jitter=0.6)

    def chord_notes(self, part: _Part, beat: float, dur: float, keys: Sequence[int],
                    velocity: float, strum_s: float = 0.0, up: bool = False) -> None:
        """Play ``keys`` together; ``strum_s`` spreads them like a guitar stroke."""
        order = list(reversed(keys)) if up else list(keys)
        base = self.rng.normal(0.0, self.jitter_s)
        for i, key in enumerate(order):
            self.note(part, beat, dur, key, velocity - 3 * i * (strum_s > 0), jitter=0.3,
                      delay_s=base + i * strum_s)


# --------------------------------------------------------------------------- part helpers


def _bass_line(c: _Clip, part: _Part, pattern: Sequence[tuple[float, float, str]],
               low: int, velocity: float, bars: range | None = None) -> None:
    """Repeat a one-bar pattern of (position, duration, degree) over the chords.

    Degree 'A' approaches the next chord's root from a semitone below or above.
    """
    for bar in bars if bars is not None else range(c.n_bars):
        for pos, dur, degree in pattern:
            beat = bar * 4 + pos
            chord = c.chord(beat)
            root = _place(chord.root, low)
            if degree == "A":
                target = _place(c.next_chord(beat).root, low)
                key = target + (-1 if c.rng.random() < 0.6 else 1)
            else:
                key = root + chord.degree(degree)
            accent = 8 if pos == 0 else 0
            c.note(part, beat, dur, key, velocity + accent)


def _walking_bass(c: _Clip, part: _Part, velocity: float) -> None:
    """Quarter-note walking bass: root on chord changes, chromatic approach before them."""
    scale = set((c.key + i) % 12 for i in c.scale(MAJOR, DORIAN))
    prev = _place(c.chords[0].root, 33)
    for beat in range(c.n_bars * 4):
        chord = c.chord(beat)
        nxt = c.chord(beat + 1)
        if beat == chord.start:
            key = _place(chord.root, 31)
            key = key + 12 if key < 33 else key
            if abs(key - prev) > 7 and key + 12 <= 52 and abs(key + 12 - prev) < abs(key - prev):
                key += 12
        elif nxt.start == beat + 1:  # approach the next chord's root by a half step
            target = min((_place(nxt.root, 31) + o for o in (0, 12)), key=lambda k: abs(k - prev))
            key = target + (1 if c.rng.random() < 0.4 else -1)
        else:
            tones = chord.pcs | scale if c.rng.random() < 0.3 else chord.pcs
            candidates = [k for k in range(prev - 5, prev + 6)
                          if k % 12 in tones and k != prev and 31 <= k <= 55]
            key = candidates[c.rng.integers(len(candidates))] if candidates else prev
        c.note(part, beat, 0.92, key, velocity + (6 if beat % 4 == 0 else 0))
        if c.rng.random() < 0.06:  # a swung "skip" note, as walking bassists add
            c.note(part, beat + 0.5, 0.4, key, velocity - 20)
        prev = key


def _melody(c: _Clip, part: _Part, *, scale: Sequence[int], low: int, high: int,
            cells: Sequence[Cell], velocity: float, legato: float = 0.95,
            chord_tone_prob: float = 0.6, motif_bars: int = 0, rest_prob: float = 0.0,
            rest_pattern: Sequence[bool] | None = None, steps: Sequence[int] = (-2, -1, -1, 1, 1, 2),
            leap_prob: float = 0.1, dynamics: Callable[[float], float] | None = None) -> None:
    """Random-walk melody on the scale with chord tones on strong beats.

    ``motif_bars`` > 0 repeats the first phrase (hooks and loops); ``rest_pattern``
    marks bars to leave silent (call and response).
    """
    pool = [k for k in range(low, high + 1) if (k - c.key) % 12 in set(scale)]
    if len(pool) < 3:
        return
    index = len(pool) // 2 + int(c.rng.integers(-2, 3))
    motif: list[list[tuple[float, float, int]]] = []
    for bar in range(c.n_bars):
        if rest_pattern is not None and rest_pattern[bar % len(rest_pattern)]:
            continue
        if rest_prob and c.rng.random() < rest_prob:
            continue
        if motif_bars and len(motif) == motif_bars:
            phrase = motif[bar % motif_bars]
            if c.rng.random() < 0.15:  # a small variation, as singers do
                phrase = [(p, d, min(max(i + int(c.rng.integers(-1, 2)), 0), len(pool) - 1))
                          for p, d, i in phrase]
        else:
            cell = cells[c.rng.integers(len(cells))]
            phrase = []
            for pos, dur in cell:
                if c.rng.random() < leap_prob:
                    index += int(c.rng.choice((-4, -3, 3, 4)))
                else:
                    index += int(steps[c.rng.integers(len(steps))])
                if index < 0:  # reflect at the range edges
                    index = -index
                elif index >= len(pool):
                    index = 2 * (len(pool) - 1) - index
                index = min(max(index, 0), len(pool) - 1)
                phrase.append((pos, dur, index))
            if motif_bars:
                motif.append(phrase)
        for pos, dur, idx in phrase:
            beat = bar * 4 + pos
            key = pool[idx]
            if pos == int(pos) and c.rng.random() < chord_tone_prob:
                tones = c.chord(beat).pcs
                near = [pool[j] for j in range(max(idx - 2, 0), min(idx + 3, len(pool)))
                        if pool[j] % 12 in tones]
                if near:
                    key = min(near, key=lambda k: abs(k - pool[idx]))
            vel = velocity + (6 if pos == int(pos) else 0)
            if dynamics is not None:
                vel += dynamics(beat)
            c.note(part, beat, dur * legato, key, vel)


def _tom_fill(c: _Clip, kit: _Part, beat: float, count: int, velocity: float) -> None:
    """Descending sixteenth-note tom fill."""
    for i in range(count):
        c.hit(kit, TOMS[min(i * len(TOMS) // count, len(TOMS) - 1)], beat + i * 0.25,
              velocity + c.rng.uniform(-8, 8))


def _phrase_arc(c: _Clip, depth: float, bars: int = 4) -> Callable[[float], float]:
    """Velocity offset rising and falling over a phrase (musical dynamics)."""
    offset = c.rng.uniform(0, bars * 4)
    return lambda beat: depth * math.sin(math.pi * (((beat + offset) / (bars * 4)) % 1.0))


# --------------------------------------------------------------------------- composers


def _compose_blues(c: _Clip) -> None:
    a = c.artist
    kit = c.add_drums(-6)
    bass = c.add_part("bass", -6)
    guitar = c.add_part("guitar", -8)
    keys = c.add_part("keys", -11)
    cymbal = RIDE if a.variant == "ride" else HAT_CLOSED
    for bar in range(c.n_bars):
        b = bar * 4
        for i in range(8):  # shuffle: every swung eighth on the ride or hats
            c.hit(kit, cymbal, b + i * 0.5, 82 if i % 2 == 0 else 58)
        c.hit(kit, KICK, b, 92)
        c.hit(kit, KICK, b + 2, 84)
        c.hit(kit, SNARE, b + 1, 100)
        c.hit(kit, SNARE, b + 3, 100)
        if a.variant == "texas":  # snare ghost notes on the swung offbeats
            for pos in (0.5, 1.5, 2.5, 3.5):
                c.hit(kit, SNARE, b + pos, 38)
        if bar % 12 == 11:  # turnaround fill in triplets
            for j in range(3):
                c.note(kit, b + 3 + j / 3, 0.3, SNARE, 70 + 10 * j, jitter=0.6)
    boogie = (a.motif_rng().random() < 0.5)
    if boogie:  # eighth-note boogie line up and down the dominant chord
        pattern = [(i * 0.5, 0.45, d) for i, d in enumerate(("R", "3", "5", "6", "b7", "6", "5", "3"))]
    else:
        pattern = [(0, 0.9, "R"), (1, 0.9, "3"), (2, 0.9, "5"), (3, 0.9, "6")]
    _bass_line(c, bass, pattern, 28, 92)
    for bar in range(c.n_bars):  # guitar shuffle: root-fifth / root-sixth dyads
        for i in range(8):
            beat = bar * 4 + i * 0.5
            chord = c.chord(beat)
            root = _place(chord.root, 40)
            top = root + (7 if (i // 2) % 2 == 0 else 9)
            c.chord_notes(guitar, beat, 0.4, [root, top], 80 if i % 2 == 0 else 66)
    organ = keys.program in (16, 17, 18, 19, 20)
    for bar in range(c.n_bars):
        b = bar * 4
        if organ:  # organ holds the chord
            c.chord_notes(keys, b, 3.9, _close_voicing(c.chord(b), 66), 64)
        else:  # piano stabs on the swung upbeats
            for pos in (0.5, 1.5, 3.5) if bar % 2 else (1.5, 2.5):
                c.chord_notes(keys, b + pos, 0.35, _close_voicing(c.chord(b + pos), 68), 72)
    if a.has_lead:
        lead = c.add_part("lead", -6)
        triplets = ((0, 2 / 3), (2 / 3, 2 / 3), (4 / 3, 2 / 3), (2, 1.5))
        cells = (triplets, ((0, 0.5), (0.5, 0.5), (1, 2)), ((0.5, 0.5), (1, 0.5), (1.5, 0.5), (2, 2)),
                 ((0, 3),), ((1, 0.5), (1.5, 0.5), (2, 0.5), (2.5, 1.5)))
        _melody(c, lead, scale=BLUES_SCALE, low=60, high=84, cells=cells, velocity=88,
                rest_pattern=(False, False, True, True), chord_tone_prob=0.5)


def _compose_classical(c: _Clip) -> None:
    a = c.artist
    arc = _phrase_arc(c, 16)
    scale = c.scale(MAJOR, HARMONIC_MINOR)
    melody_cells = (QUARTERS, ((0, 2), (2, 1), (3, 1)), ((0, 1.5), (1.5, 0.5), (2, 2)),
                    EIGHTHS[:4] + ((2, 2),), ((0, 1), (1, 0.5), (1.5, 0.5), (2, 1), (3, 1)), ((0, 4),))
    if a.variant == "piano":
        program = c.program("piano")
        left = c.add_part("piano_left", -6, program=program)
        right = c.add_part("piano_right", -3, program=program)
        step = 0.5 if c.tempo > 84 else 0.25
        alberti = a.motif_rng().random() < 0.6
        for n in range(int(c.n_bars * 4 / step)):
            beat = n * step
            chord = c.chord(beat)
            root = _place(chord.root, 41)
            third = _place((chord.root + chord.intervals[1]) % 12, root + 1)
            fifth = _place((chord.root + chord.intervals[2]) % 12, root + 1)
            if alberti:  # Alberti bass: low-high-middle-high
                key = (root, fifth, third, fifth)[n % 4]
            else:  # rising broken chord
                key = (root, fifth, root + 12, third + 12)[n % 4]
            c.note(left, beat, step * 1.6, key, 58 + arc(beat))
        _melody(c, right, scale=scale, low=64, high=86, cells=melody_cells, velocity=74,
                dynamics=arc, legato=1.0)
        return
    if a.variant == "quartet":
        parts = [c.add_part("cello", -5), c.add_part("viola", -8), c.add_part("violin2", -9)]
        bass_low, inner_center, lead_role = 36, 62, "violin"
    elif a.variant == "winds":
        parts = [c.add_part("bassoon", -5), c.add_part("horn", -10), c.add_part("clarinet", -8)]
        bass_low, inner_center, lead_role = 38, 60, "flute"
    else:  # orchestra
        parts = [c.add_part("contrabass", -7), c.add_part("strings", -5), c.add_part("horn", -10)]
        bass_low, inner_center, lead_role = 33, 64, "melody"
    low_part, inner_a, inner_b = parts
    for chord_index, chord in enumerate(c.chords):  # bass and inner voices follow the chords
        if chord.start >= c.n_bars * 4:
            break
        length = c.next_chord(chord.start).start - chord.start if chord_index + 1 < len(c.chords) else 4
        root = _place(chord.root, bass_low)
        half = max(length / 2, 1.0)
        for k in range(int(round(length / half))):
            beat = chord.start + k * half
            key = root if k == 0 else root + chord.degree("5") - (12 if root + 7 > bass_low + 19 else 0)
            c.note(low_part, beat, half * 0.98, key, 66 + arc(beat))
        voicing = _close_voicing(chord, inner_center)
        if inner_a.role == "strings":
            c.chord_notes(inner_a, chord.start, length * 0.99, voicing, 62 + arc(chord.start))
        else:
            c.chord_notes(inner_a, chord.start, length * 0.99, voicing[:2], 60 + arc(chord.start))
        c.chord_notes(inner_b, chord.start, length * 0.99, [k + 12 for k in voicing[-1:]] if inner_b.role != "horn"
                      else voicing[1:2], 60 + arc(chord.start))
    lead = c.add_part(lead_role, -3)
    _melody(c, lead, scale=scale, low=67, high=91, cells=melody_cells, velocity=76, dynamics=arc,
            legato=1.0)
    if a.variant == "orchestra" and a.has_lead:  # harp arpeggios
        harp = c.add_part("harp", -11)
        for n in range(c.n_bars * 8):
            beat = n * 0.5
            voicing = _close_voicing(c.chord(beat), 60)
            c.note(harp, beat, 1.0, voicing[n % len(voicing)] + 12 * ((n // len(voicing)) % 2), 60)


def _compose_country(c: _Clip) -> None:
    a = c.artist
    kit = c.add_drums(-6)
    bass = c.add_part("bass", -6)
    guitar = c.add_part("guitar", -7)
    picker = c.add_part("picker", -9)
    for bar in range(c.n_bars):
        b = bar * 4
        c.hit(kit, KICK, b, 95)
        c.hit(kit, KICK, b + 2, 88)
        if a.variant == "train":  # train beat: snare sixteenths, accents on 2 and 4
            for i in range(16):
                pos = i * 0.25
                vel = 104 if pos in (1.0, 3.0) else (68 if i % 2 == 0 else 42)
                c.hit(kit, SNARE, b + pos, vel, dur=0.25)
            c.hit(kit, HAT_PEDAL, b + 1, 60)
            c.hit(kit, HAT_PEDAL, b + 3, 60)
        else:  # two-step: side stick on 2 and 4, eighth hats
            for pos in (1, 3):
                c.hit(kit, SIDE_STICK if a.density < 0.6 else SNARE, b + pos, 96)
            for i in range(8):
                c.hit(kit, HAT_CLOSED, b + i * 0.5, 70 if i % 2 == 0 else 52)
        if bar % 4 == 3 and c.rng.random() < 0.4:
            _tom_fill(c, kit, b + 3, 4, 88)
    # Root-fifth "boom-chick" bass with a walk-up into chord changes.
    for bar in range(c.n_bars):
        b = bar * 4
        chord = c.chord(b)
        _bass_line(c, bass, [(0, 0.95, "R"), (2, 0.95, "5-")], 33, 94, bars=range(bar, bar + 1))
        if c.next_chord(b).start == b + 4 and c.next_chord(b).root != chord.root:
            c.note(bass, b + 3, 0.45, _place(c.next_chord(b).root, 33) - 2, 80)
            c.note(bass, b + 3.5, 0.45, _place(c.next_chord(b).root, 33) - 1, 84)
    strum8 = a.motif_rng().random() < 0.5
    for bar in range(c.n_bars):
        for beat_i in range(4):
            beat = bar * 4 + beat_i
            voicing = _guitar_voicing(c.chord(beat))
            if strum8:  # down-up eighth strumming
                c.chord_notes(guitar, beat, 0.45, voicing, 84, strum_s=0.012)
                c.chord_notes(guitar, beat + 0.5, 0.45, voicing[2:], 62, strum_s=0.010, up=True)
            elif beat_i % 2 == 0:  # boom: the bass string
                c.note(guitar, beat, 0.9, voicing[0] + (7 if beat_i == 2 else 0), 86)
            else:  # chick: the upper strings
                c.chord_notes(guitar, beat, 0.6, voicing[2:], 82, strum_s=0.01)
    if picker.program == 105:  # banjo forward roll
        for n in range(c.n_bars * 8):
            beat = n * 0.5
            voicing = _close_voicing(c.chord(beat), 67)
            c.note(picker, beat, 0.5, voicing[(n * 2) % len(voicing)], 78 if n % 3 == 0 else 64)
    else:  # honky-tonk piano on the offbeats
        for bar in range(c.n_bars):
            for pos in (1, 3):
                beat = bar * 4 + pos
                c.chord_notes(picker, beat, 0.5, _close_voicing(c.chord(beat), 66), 74)
    if a.has_lead:
        lead = c.add_part("lead", -6)
        cells = (EIGHTHS, QUARTERS, ((0, 1), (1, 0.5), (1.5, 0.5), (2, 2)),
                 ((0, 0.5), (0.5, 0.5), (1, 0.5), (1.5, 0.5), (2, 1), (3, 1)))
        _melody(c, lead, scale=MAJOR_PENTA, low=62, high=86, cells=cells, velocity=86, rest_prob=0.25)


def _compose_disco(c: _Clip) -> None:
    a = c.artist
    kit = c.add_drums(-4)
    bass = c.add_part("bass", -5)
    guitar = c.add_part("guitar", -12)
    strings = c.add_part("strings", -9)
    for bar in range(c.n_bars):
        b = bar * 4
        for beat in range(4):  # four on the floor
            c.hit(kit, KICK, b + beat, 112)
            c.hit(kit, HAT_OPEN, b + beat + 0.5, 84, dur=0.3)  # open hats on the "and"
            if a.variant == "sixteenths":
                c.hit(kit, HAT_CLOSED, b + beat + 0.25, 46, dur=0.2)
                c.hit(kit, HAT_CLOSED, b + beat + 0.75, 50, dur=0.2)
            else:
                c.hit(kit, HAT_CLOSED, b + beat, 58, dur=0.2)
        for pos in (1, 3):
            c.hit(kit, SNARE, b + pos, 102)
            if a.density > 0.4:
                c.hit(kit, CLAP, b + pos, 90)
        if a.density > 0.7:
            for i in range(16):
                c.hit(kit, TAMBOURINE, b + i * 0.25, 44 + 16 * (i % 2), dur=0.25)
        if bar % 4 == 0:
            c.hit(kit, CRASH, b, 96, dur=4)
    if a.motif_rng().random() < 0.5:  # octave-jumping eighths
        pattern = [(i * 0.5, 0.35, "R" if i % 2 == 0 else "8") for i in range(8)]
    else:  # syncopated octaves with sixteenth pickups
        pattern = [(0, 0.4, "R"), (0.5, 0.25, "8"), (0.75, 0.25, "R"), (1.5, 0.4, "8"),
                   (2, 0.4, "R"), (2.5, 0.4, "8"), (3.25, 0.25, "5"), (3.5, 0.4, "8")]
    _bass_line(c, bass, pattern, 33, 100)
    for n in range(c.n_bars * 16):  # sixteenth-note "chicken scratch" guitar
        beat = n * 0.25
        if c.rng.random() < 0.85:
            voicing = _close_voicing(c.chord(beat), 66)
            keys = voicing[-2:] if n % 2 else voicing[-1:]
            c.chord_notes(guitar, beat, 0.18, keys, 82 if n % 4 in (1, 3) else 60)
    for bar in range(c.n_bars):
        b = bar * 4
        if a.variant == "sixteenths" or bar % 2 == 0:  # lush sustained strings
            c.chord_notes(strings, b, 3.95, _close_voicing(c.chord(b), 72), 70)
        else:  # string stabs
            for pos in (0, 1.5, 2.5):
                c.chord_notes(strings, b + pos, 0.4, _close_voicing(c.chord(b + pos), 72), 86)
    keys = c.add_part("keys", -12)
    for bar in range(c.n_bars):
        for pos in (0.5, 2.5) if bar % 2 else (1.5, 3.5):
            beat = bar * 4 + pos
            c.chord_notes(keys, beat, 0.4, _close_voicing(c.chord(beat), 62), 72)
    if a.has_lead:
        brass = c.add_part("brass", -10)
        for bar in range(1, c.n_bars, 2):
            for pos in (3, 3.5):
                beat = bar * 4 + pos
                c.chord_notes(brass, beat, 0.35, _close_voicing(c.chord(beat), 70), 96)


def _compose_hiphop(c: _Clip) -> None:
    a = c.artist
    trap = a.variant == "trap"
    motif = a.motif_rng()
    kit = c.add_drums(-3)
    bass = c.add_part("bass", -4)
    keys = c.add_part("keys", -10)
    # The artist's kick riff on the sixteenth grid: a loop, like a sampled beat.
    options = (0.75, 1.5, 1.75, 2.5, 2.75, 3.25, 3.5) if trap else (0.75, 1.75, 2.5, 2.75, 3.5)
    kicks = sorted({0.0} | {float(p) for p in motif.choice(options, size=3, replace=False)})
    if not trap:
        kicks = [k for k in kicks if k not in (1.0, 3.0)]
    for bar in range(c.n_bars):
        b = bar * 4
        for pos in kicks:
            c.hit(kit, KICK if kit.program != 25 else KICK2, b + pos, 112, dur=2)
        if trap:  # half-time: one clap/snare on beat 3, hats with rolls
            c.hit(kit, CLAP, b + 2, 112)
            c.hit(kit, SNARE, b + 2, 90)
            for beat in range(4):
                roll = c.rng.random()
                if roll < 0.2:  # 32nd-note roll
                    for j in range(8):
                        c.hit(kit, HAT_CLOSED, b + beat + j * 0.125, 60 + 4 * j, dur=0.1)
                elif roll < 0.35:  # sixteenth triplets
                    for j in range(6):
                        c.hit(kit, HAT_CLOSED, b + beat + j / 6, 64, dur=0.1)
                else:
                    for j in range(4):
                        c.hit(kit, HAT_CLOSED, b + beat + j * 0.25, 78 if j == 0 else 56, dur=0.1)
            if bar % 2 == 1:
                c.hit(kit, HAT_OPEN, b + 3.5, 70, dur=0.4)
        else:  # boom bap: snare on 2 and 4, swung sixteenth hats
            for pos in (1, 3):
                c.hit(kit, SNARE, b + pos, 112)
            for i in range(8):
                c.hit(kit, HAT_CLOSED, b + i * 0.5, 76 if i % 2 == 0 else 56, dur=0.2)
            if a.density > 0.5:
                c.hit(kit, HAT_CLOSED, b + 3.75, 50, dur=0.2)
    # 808-style bass: long low notes on the kicks.
    for bar in range(c.n_bars):
        for i, pos in enumerate(kicks):
            beat = bar * 4 + pos
            end = kicks[i + 1] if i + 1 < len(kicks) else 4.0
            c.note(bass, beat, max(end - pos, 0.25) * 0.95, _place(c.chord(beat).root, 26), 110, jitter=0.3)
    stabs = a.density < 0.5
    for bar in range(c.n_bars):
        b = bar * 4
        voicing = _close_voicing(c.chord(b), 62)
        if stabs:
            for pos in (0, 1.5, 2.5):
                c.chord_notes(keys, b + pos, 0.8, voicing, 78)
        else:
            c.chord_notes(keys, b, 3.8, voicing, 70)
    pad = c.add_part("pad", -15)
    for bar in range(c.n_bars):
        c.chord_notes(pad, bar * 4, 3.95, _close_voicing(c.chord(bar * 4), 57), 60)
    if a.has_lead:  # a short looped hook on bells, flute or a synth
        hook = c.add_part("hook", -9)
        cells = (((0, 0.5), (0.75, 0.25), (1, 1), (2.5, 0.5), (3, 1)), ((0, 1.5), (1.5, 0.5), (2, 2)),
                 tuple((i * 0.5, 0.5) for i in range(8)), ((0.5, 0.5), (1.5, 0.5), (2, 0.5), (3, 1)))
        _melody(c, hook, scale=MINOR_PENTA, low=67, high=88, cells=cells, velocity=82,
                motif_bars=2, chord_tone_prob=0.4)


def _compose_jazz(c: _Clip) -> None:
    a = c.artist
    kit = c.add_drums(-8)
    bass = c.add_part("bass", -5)
    comp = c.add_part("comp", -9)
    for bar in range(c.n_bars):
        b = bar * 4
        for beat in range(4):  # "ding ding-a ding" ride with hats on 2 and 4
            c.hit(kit, RIDE, b + beat, 70 + 10 * (beat % 2), dur=2)
            if beat % 2 == 1:
                c.hit(kit, RIDE, b + beat + 0.5, 56, dur=2)
                c.hit(kit, HAT_PEDAL, b + beat, 66)
            if c.rng.random() < 0.7:  # feathered bass drum
                c.hit(kit, KICK, b + beat, 30)
        for i in range(8):  # snare comping
            if c.rng.random() < 0.08 + 0.12 * a.density:
                c.hit(kit, SNARE, b + i * 0.5, c.rng.uniform(34, 72))
        if bar % 4 == 3 and c.rng.random() < 0.4:
            c.hit(kit, KICK, b + 3.5, 80)
            c.hit(kit, CRASH, b + 4, 70, dur=3)
    _walking_bass(c, bass, 88)
    rhythms = (((0, 1.0), (1.5, 1.0)), ((1.5, 0.5), (2.5, 1.0)), ((0, 2.0), (2.5, 1.0)),
               ((0.5, 0.5), (2, 1.5)), ((1, 0.5), (3.5, 1.0)), ((0, 0.8), (2.5, 0.5), (3.5, 0.5)))
    for bar in range(c.n_bars):
        for pos, dur in rhythms[c.rng.integers(len(rhythms))]:
            beat = bar * 4 + pos
            # Offbeat hits anticipate the next chord, as pianists push the changes.
            chord = c.chord(beat + 0.5)
            c.chord_notes(comp, beat, dur, _close_voicing(chord, 62, drop_root=True), 70)
    if a.has_lead:
        lead = c.add_part("lead", -5)
        cells = (EIGHTHS, EIGHTHS[:5] + ((2.5, 1.5),), ((0, 1.5), (1.5, 0.5), (2, 0.5), (2.5, 0.5), (3, 1)),
                 ((0.5, 0.5), (1, 0.5), (1.5, 0.5), (2, 0.5), (2.5, 1.5)), ((0, 2), (2.5, 0.5), (3, 1)))
        low = 50 if lead.program in (66, 57, 67) else 60
        _melody(c, lead, scale=c.scale(MAJOR, DORIAN), low=low, high=low + 24, cells=cells,
                velocity=84, rest_prob=0.3, chord_tone_prob=0.7)


def _compose_metal(c: _Clip) -> None:
    a = c.artist
    motif = a.motif_rng()
    kit = c.add_drums(-4)
    guitar = c.add_part("guitar", -5)
    guitar2 = c.add_part("guitar2", -7)
    bass = c.add_part("bass", -9)
    fast = c.tempo > 155
    # The artist's riff on the sixteenth grid: c = palm-muted chug, P = power chord.
    riff = []
    for step in range(16):
        if step == 0:
            riff.append("P")
        elif fast and step % 2:
            riff.append("-")
        else:
            riff.append(str(motif.choice(["c", "P", "-"], p=[0.62, 0.18, 0.2])))
    for bar in range(c.n_bars):
        b = bar * 4
        for step, sym in enumerate(riff):
            if sym == "-":
                continue
            beat = b + step * 0.25
            chord = c.chord(beat)
            length = 1
            while step + length < 16 and riff[step + length] == "-":
                length += 1
            if sym == "c":  # chug on the key's low root, as on a low-tuned string
                root = _place(c.key, 38)
                keys, dur, vel = [root, root + 7], 0.18, 100
            else:
                root = _place(chord.root, 38)
                keys, dur, vel = [root, root + 7, root + 12], length * 0.25 * 0.95, 112
            c.chord_notes(guitar, beat, dur, keys, vel)
            c.chord_notes(guitar2, beat, dur, keys, vel - 6)
            c.note(bass, beat, dur, keys[0] - 12, vel - 6)
    for bar in range(c.n_bars):
        b = bar * 4
        if a.variant == "blast":  # blast beat: kick and snare on every eighth
            for i in range(8):
                c.hit(kit, KICK, b + i * 0.5, 104)
                c.hit(kit, SNARE, b + i * 0.5, 96)
            for beat in range(4):
                c.hit(kit, CRASH if beat % 2 == 0 else CHINA, b + beat, 96, dur=1)
        elif a.variant == "thrash":  # skank beat: kick on beats, snare on the "and"s
            for beat in range(4):
                c.hit(kit, KICK, b + beat, 108)
                c.hit(kit, SNARE, b + beat + 0.5, 106)
                c.hit(kit, CRASH if beat == 0 else RIDE_BELL, b + beat, 90, dur=1)
        else:  # double bass drum sixteenths under a backbeat
            for i in range(16):
                c.hit(kit, KICK if i % 2 == 0 else KICK2, b + i * 0.25, 104 if i % 4 == 0 else 92, dur=0.25)
            for pos in (1, 3):
                c.hit(kit, SNARE, b + pos, 118)
            for beat in range(4):
                c.hit(kit, CHINA if beat % 2 else CRASH, b + beat, 88, dur=1)
        if bar % 4 == 3:
            _tom_fill(c, kit, b + 3, 4, 110)
    if a.has_lead:  # harmonic-minor lead line
        lead = c.add_part("lead", -8)
        cells = (SIXTEENTHS_RUN, EIGHTHS, ((0, 2), (2, 2)), ((0, 1), (1, 1), (2, 0.5), (2.5, 0.5), (3, 1)))
        _melody(c, lead, scale=HARMONIC_MINOR, low=64, high=88, cells=cells, velocity=100,
                rest_prob=0.3)
    elif motif.random() < 0.6:  # symphonic pad
        pad = c.add_part("pad", -14)
        for bar in range(c.n_bars):
            c.chord_notes(pad, bar * 4, 3.95, _close_voicing(c.chord(bar * 4), 64), 80)


def _compose_pop(c: _Clip) -> None:
    a = c.artist
    motif = a.motif_rng()
    kit = c.add_drums(-5)
    bass = c.add_part("bass", -6)
    keys = c.add_part("keys", -9)
    pad = c.add_part("pad", -14)
    kick_patterns = ((0, 2), (0, 1.5, 2), (0, 2, 2.5), (0, 0.75, 2, 2.5))
    kicks = kick_patterns[motif.integers(len(kick_patterns))]
    clap = motif.random() < 0.5
    for bar in range(c.n_bars):
        b = bar * 4
        for pos in kicks:
            c.hit(kit, KICK, b + pos, 108)
        for pos in (1, 3):
            c.hit(kit, SNARE, b + pos, 104)
            if clap:
                c.hit(kit, CLAP, b + pos, 92)
        if a.variant == "sixteenths":
            for i in range(16):
                c.hit(kit, HAT_CLOSED, b + i * 0.25, (72, 44, 58, 44)[i % 4], dur=0.2)
        else:
            for i in range(8):
                c.hit(kit, HAT_CLOSED, b + i * 0.5, 74 if i % 2 == 0 else 56, dur=0.3)
            if a.density > 0.6:
                for i in range(16):
                    c.hit(kit, SHAKER, b + i * 0.25, 40 + 14 * (i % 2), dur=0.2)
        if bar % 4 == 0:
            c.hit(kit, CRASH, b, 92, dur=4)
        elif bar % 4 == 3 and c.rng.random() < 0.3:
            _tom_fill(c, kit, b + 3, 4, 90)
    if motif.random() < 0.5:  # pulsing eighth-note roots
        pattern = [(i * 0.5, 0.45, "R") for i in range(8)]
    else:
        pattern = [(0, 1.4, "R"), (1.5, 0.45, "R"), (2, 0.9, "8"), (3, 0.45, "R"), (3.5, 0.45, "5")]
    _bass_line(c, bass, pattern, 33, 94)
    eighth_pulse = motif.random() < 0.5
    for bar in range(c.n_bars):
        for i in range(8 if eighth_pulse else 4):
            beat = bar * 4 + i * (0.5 if eighth_pulse else 1)
            c.chord_notes(keys, beat, 0.45 if eighth_pulse else 0.95,
                          _close_voicing(c.chord(beat), 64), 76 if i % 2 == 0 else 64)
        c.chord_notes(pad, bar * 4, 3.95, _close_voicing(c.chord(bar * 4), 60), 64)
    lead = c.add_part("lead", -5)
    cells = (((0, 0.5), (0.5, 0.5), (1, 1), (2.5, 0.5), (3, 1)), ((0.5, 0.5), (1, 0.5), (1.5, 1), (3, 1)),
             ((0, 1), (1, 0.5), (1.5, 0.5), (2, 2)), ((0, 1.5), (1.5, 0.5), (2, 1), (3, 0.5), (3.5, 0.5)))
    _melody(c, lead, scale=c.scale(MAJOR_PENTA, MINOR_PENTA), low=64, high=84, cells=cells,
            velocity=88, motif_bars=2)


def _compose_reggae(c: _Clip) -> None:
    a = c.artist
    motif = a.motif_rng()
    kit = c.add_drums(-6)
    bass = c.add_part("bass", -3)
    skank = c.add_part("skank", -10)
    organ = c.add_part("organ", -13)
    rim = SIDE_STICK if motif.random() < 0.6 else SNARE
    for bar in range(c.n_bars):
        b = bar * 4
        if a.variant == "rockers":  # kick on every beat
            for beat in range(4):
                c.hit(kit, KICK, b + beat, 100)
        else:  # one drop: kick only with the snare on beat 3
            c.hit(kit, KICK, b + 2, 108)
        c.hit(kit, rim, b + 2, 100)
        for i in range(8):
            c.hit(kit, HAT_CLOSED, b + i * 0.5, 70 if i % 2 else 50, dur=0.2)
        if c.rng.random() < 0.3:
            c.hit(kit, HAT_OPEN, b + 3.5, 66, dur=0.4)
        if bar % 4 == 3 and c.rng.random() < 0.5:  # rim triplet pickup
            for j in range(3):
                c.note(kit, b + 3 + j / 3, 0.3, rim, 70 + 8 * j, jitter=0.6)
    # The artist's bass riff: beat 1 often left empty, melodic chord tones.
    slots = [0.5, 1.0, 1.5, 1.75, 2.0, 2.5, 3.0, 3.5]
    riff_pos = sorted(set(float(p) for p in motif.choice(slots, size=5, replace=False))
                      | ({0.0} if motif.random() < 0.4 else set()))
    degrees = [str(motif.choice(["R", "R", "5", "8", "3", "b7"])) for _ in riff_pos]
    pattern = [(pos, ((riff_pos + [4.0])[i + 1] - pos) * 0.9, deg) for i, (pos, deg) in enumerate(zip(riff_pos, degrees))]
    _bass_line(c, bass, pattern, 31, 104)
    offbeats = a.density < 0.5 or a.variant == "rockers"
    for bar in range(c.n_bars):
        b = bar * 4
        positions = (0.5, 1.5, 2.5, 3.5) if offbeats else (1.0, 3.0, 3.25)
        for pos in positions:  # the skank: short high chord chops
            beat = b + pos
            c.chord_notes(skank, beat, 0.16, _close_voicing(c.chord(beat), 68), 92, strum_s=0.006, up=True)
        for i in range(8):  # organ bubble
            beat = b + i * 0.5
            voicing = _close_voicing(c.chord(beat), 58)
            c.chord_notes(organ, beat, 0.22, voicing if i % 2 else voicing[:1], 70 if i % 2 else 54)
    if a.has_lead:
        lead = c.add_part("lead", -7)
        cells = (((0, 1), (1, 1), (2, 2)), ((0.5, 0.5), (1, 1), (2.5, 1.5)), ((0, 2), (2, 2)),
                 ((0, 0.5), (0.5, 0.5), (1, 1), (2, 1), (3, 1)))
        _melody(c, lead, scale=c.scale(MAJOR_PENTA, MINOR_PENTA), low=58, high=79, cells=cells,
                velocity=84, rest_pattern=(False, True, False, True))


def _compose_rock(c: _Clip) -> None:
    a = c.artist
    motif = a.motif_rng()
    kit = c.add_drums(-5)
    guitar = c.add_part("guitar", -5)
    rhythm = c.add_part("rhythm", -10)
    bass = c.add_part("bass", -7)
    kick_patterns = ((0, 2, 2.5), (0, 1.75, 2), (0, 2, 3.5), (0, 0.5, 2, 2.5))
    kicks = kick_patterns[motif.integers(len(kick_patterns))]
    cymbal = RIDE if a.variant == "ride" else HAT_CLOSED
    for bar in range(c.n_bars):
        b = bar * 4
        for pos in kicks:
            c.hit(kit, KICK, b + pos, 108)
        for pos in (1, 3):
            c.hit(kit, SNARE, b + pos, 112)
        for i in range(8):
            c.hit(kit, cymbal, b + i * 0.5, 82 if i % 2 == 0 else 64, dur=0.4)
        if bar % 4 == 0:
            c.hit(kit, CRASH, b, 100, dur=4)
        elif bar % 4 == 3 and c.rng.random() < 0.5:
            _tom_fill(c, kit, b + 2, 8, 100)
    sustained = a.variant == "anthem"
    for bar in range(c.n_bars):
        b = bar * 4
        if sustained:  # ringing power chords, re-struck on the "and" of 2
            for pos, dur in ((0, 1.5), (1.5, 2.5)):
                root = _place(c.chord(b + pos).root, 40)
                c.chord_notes(guitar, b + pos, dur * 0.97, [root, root + 7, root + 12], 104, strum_s=0.006)
        else:  # driving eighth-note power chords
            for i in range(8):
                beat = b + i * 0.5
                root = _place(c.chord(beat).root, 40)
                c.chord_notes(guitar, beat, 0.45, [root, root + 7, root + 12], 104 if i % 2 == 0 else 90)
    strum = (0, 1, 1.5, 2.5, 3, 3.5)
    for bar in range(c.n_bars):  # strummed open chords: D - DU - UDU
        for pos in strum:
            beat = bar * 4 + pos
            c.chord_notes(rhythm, beat, 0.45, _guitar_voicing(c.chord(beat)), 80, strum_s=0.01,
                          up=pos % 1 != 0)
    _bass_line(c, bass, [(i * 0.5, 0.45, "R") for i in range(8)], 28, 96)
    if a.has_lead:
        lead = c.add_part("lead", -6)
        cells = (((0, 1), (1, 0.5), (1.5, 0.5), (2, 2)), EIGHTHS, ((0, 2), (2, 1), (3, 1)),
                 ((0.5, 0.5), (1, 0.5), (1.5, 1.5), (3, 1)))
        _melody(c, lead, scale=c.scale(MAJOR_PENTA, MINOR_PENTA), low=62, high=86, cells=cells,
                velocity=96, rest_prob=0.3)


_GUITAR_KEYS = (4, 9, 2, 7, 0, 11)
_SPECS: dict[str, _GenreSpec] = {
    "blues": _GenreSpec(
        variants=(_Variant("hats", 0.4, (72, 128)), _Variant("ride", 0.3, (72, 128)),
                  _Variant("texas", 0.3, (80, 132))),
        keys=(4, 9, 7, 0, 10, 5, 2), minor_prob=0.15, kits=(0, 8),
        roles={"bass": (33, 32, 34), "guitar": (27, 26, 29, 28), "keys": (0, 1, 3, 16, 17),
               "lead": (22, 29, 26, 65, 66, 30)},
        prog_major=("I7 I7 I7 I7 IV7 IV7 I7 I7 V7 IV7 I7 V7", "I7 IV7 I7 I7 IV7 IV7 I7 I7 V7 IV7 I7 V7"),
        prog_minor=("i7 i7 i7 i7 iv7 iv7 i7 i7 bVI7 V7 i7 V7",),
        swing=(0.62, 0.69), jitter_ms=(6, 14), lead_prob=0.8),
    "classical": _GenreSpec(
        variants=(_Variant("piano", 0.35, (64, 126)), _Variant("quartet", 0.25, (60, 112)),
                  _Variant("orchestra", 0.25, (56, 104)), _Variant("winds", 0.15, (60, 112))),
        keys=(0, 7, 2, 5, 10, 3, 9, 4), minor_prob=0.35, kits=(),
        roles={"piano": (0, 0, 1, 6), "cello": (42,), "viola": (41, 40), "violin": (40, 40, 110), "violin2": (40,),
               "contrabass": (43, 42), "strings": (48, 49, 48, 44), "horn": (60, 60, 69),
               "bassoon": (70,), "clarinet": (71, 68), "flute": (73, 68, 72),
               "melody": (73, 68, 71, 40, 56), "harp": (46,)},
        prog_major=("I IV V I", "I vi ii V", "I V vi iii IV I IV V", "I ii:2 V:2 I vi IV V",
                    "I:2 IV:2 V:2 I:2 vi:2 ii:2 V:2 I:2"),
        prog_minor=("i iv V i", "i bVI iv V", "i iv:2 V:2 i bVI", "i:2 iv:2 V:2 i:2 bVI:2 iv:2 V:2 i:2"),
        jitter_ms=(10, 22), lead_prob=0.5),
    "country": _GenreSpec(
        variants=(_Variant("train", 0.5, (104, 160)), _Variant("twostep", 0.5, (90, 132))),
        keys=(7, 2, 9, 0, 4), minor_prob=0.05, kits=(0, 8),
        roles={"bass": (33, 32, 34), "guitar": (25, 25, 24), "picker": (105, 105, 3, 1),
               "lead": (110, 110, 22, 27, 105)},
        prog_major=("I I IV IV V V I I", "I IV I V", "I V IV I", "I I IV I V IV I I"),
        prog_minor=("vi IV I V",), swing=(0.5, 0.56), jitter_ms=(5, 11), lead_prob=0.8),
    "disco": _GenreSpec(
        variants=(_Variant("eighths", 0.5, (110, 132)), _Variant("sixteenths", 0.5, (112, 130))),
        keys=(9, 2, 4, 5, 7, 0), minor_prob=0.6, kits=(0, 8, 0),
        roles={"bass": (33, 36, 38, 33), "guitar": (28, 27), "strings": (48, 49, 50),
               "keys": (4, 5, 0), "brass": (61, 62)},
        prog_major=("Imaj7 ii7 iii7 ii7", "IVmaj7 iii7 ii7 Imaj7", "I vi ii V"),
        prog_minor=("i7 iv7 i7 iv7", "i7 bVII i7 bVII", "i7 bVImaj7 bVII i7", "i9 iv7"),
        swing=(0.5, 0.53), jitter_ms=(2, 5), lead_prob=0.6),
    "hiphop": _GenreSpec(
        variants=(_Variant("boombap", 0.4, (82, 98)), _Variant("trap", 0.6, (130, 160))),
        keys=(1, 3, 6, 8, 9, 10, 11, 0, 2, 4, 5, 7), minor_prob=0.95, kits=(25, 25, 25, 24, 0),
        roles={"bass": (38, 39, 38), "keys": (4, 5, 0, 1, 11), "pad": (89, 90, 94, 48, 52, 95),
               "hook": (10, 14, 9, 73, 8, 80, 112)},
        prog_major=("I vi IV V",),
        prog_minor=("i bVI", "i iv", "i bVI bIII bVII", "i7 iv7", "i bVII bVI V", "i9 bVImaj7"),
        swing=(0.52, 0.6), swing_grid=16, jitter_ms=(1, 4), lead_prob=0.75),
    "jazz": _GenreSpec(
        variants=(_Variant("swing", 0.7, (110, 210)), _Variant("brushes", 0.3, (96, 170))),
        keys=(5, 10, 3, 0, 7, 8, 2), minor_prob=0.2, kits=(32, 40),
        roles={"bass": (32, 32, 35), "comp": (0, 1, 26, 11, 4), "lead": (65, 66, 56, 59, 57, 64, 71)},
        prog_major=("ii9 V9 Imaj9 VI7", "Imaj7:2 vi7:2 ii7:2 V7:2", "iii7 VI7 ii7 V7",
                    "ii7 V7 Imaj7 Imaj7", "Imaj7 IV7 iii7 VI7 ii7 V7 Imaj7 V7"),
        prog_minor=("iim7b5 V7 i7 i7", "i7 iv7 iim7b5 V7", "i7:2 vi:2 iim7b5:2 V7:2"),
        swing=(0.6, 0.68), jitter_ms=(6, 14), lead_prob=0.8),
    "metal": _GenreSpec(
        variants=(_Variant("double", 0.55, (100, 152)), _Variant("thrash", 0.3, (160, 210)),
                  _Variant("blast", 0.15, (150, 200))),
        keys=(4, 2, 1, 0, 11, 9, 6), minor_prob=1.0, kits=(16, 16, 0, 8),
        roles={"guitar": (30, 30, 29), "guitar2": (30, 29), "bass": (34, 33), "lead": (30, 29, 81), "pad": (48, 52, 19)},
        prog_major=("I5 bVII5 bVI5 bVII5",),
        prog_minor=("i5 bVI5 bVII5 i5", "i5 bII5 i5 bVII5", "i5 i5 bVI5 bVII5", "i5 bVII5 bVI5 V5",
                    "i5 iv5 bVI5 V5"),
        jitter_ms=(2, 6), lead_prob=0.5),
    "pop": _GenreSpec(
        variants=(_Variant("eighths", 0.6, (90, 128)), _Variant("sixteenths", 0.4, (92, 124))),
        keys=(0, 7, 2, 9, 5, 4, 10), minor_prob=0.2, kits=(0, 24, 8, 0),
        roles={"bass": (33, 38, 39, 34), "keys": (0, 1, 4, 5), "pad": (89, 90, 50, 88, 94),
               "lead": (80, 81, 53, 85, 9, 98, 73)},
        prog_major=("I V vi IV", "vi IV I V", "I vi IV V", "IV I V vi", "I IV vi V"),
        prog_minor=("i bVI bIII bVII", "i bVII bVI bVII"),
        swing=(0.5, 0.54), jitter_ms=(3, 7), lead_prob=1.0),
    "reggae": _GenreSpec(
        variants=(_Variant("onedrop", 0.7, (66, 90)), _Variant("rockers", 0.3, (70, 92))),
        keys=(9, 7, 0, 2, 4, 5, 10), minor_prob=0.45, kits=(0, 8),
        roles={"bass": (33, 38, 32), "skank": (27, 28, 26), "organ": (16, 17, 18),
               "lead": (57, 56, 66, 22, 16)},
        prog_major=("I I IV IV", "I IV I V", "I IV V IV", "ii7 V7", "I V vi IV"),
        prog_minor=("i i iv iv", "i bVII i bVII", "i iv", "i bVI bVII i"),
        swing=(0.5, 0.6), jitter_ms=(4, 10), lead_prob=0.5),
    "rock": _GenreSpec(
        variants=(_Variant("hats", 0.5, (100, 152)), _Variant("ride", 0.2, (104, 156)),
                  _Variant("anthem", 0.3, (96, 140))),
        keys=_GUITAR_KEYS, minor_prob=0.3, kits=(0, 8, 16),
        roles={"guitar": (29, 29, 30), "rhythm": (25, 27, 29, 24), "bass": (34, 33),
               "lead": (29, 30, 18, 17)},
        prog_major=("I bVII IV I", "I IV V IV", "I V vi IV", "vi IV I V", "I IV I V"),
        prog_minor=("i bVII bVI bVII", "i bVI bIII bVII", "i bVII bVI V", "i iv bVII i"),
        swing=(0.5, 0.53), jitter_ms=(4, 9), lead_prob=0.5),
}
_COMPOSERS: dict[str, Callable[[_Clip], None]] = {
    "blues": _compose_blues, "classical": _compose_classical, "country": _compose_country,
    "disco": _compose_disco, "hiphop": _compose_hiphop, "jazz": _compose_jazz,
    "metal": _compose_metal, "pop": _compose_pop, "reggae": _compose_reggae, "rock": _compose_rock,
}


def _make_artist(genre: str, artist_index: int, seed: int) -> _Artist:
    """Draw an artist's shared choices from its own generator (independent of clips)."""
    g = GENRES.index(genre)
    spec = _SPECS[genre]
    rng = np.random.default_rng([seed, g, 1_000_000 + artist_index])
    weights = np.array([v.weight for v in spec.variants])
    variant = spec.variants[rng.choice(len(weights), p=weights / weights.sum())]
    lo, hi = variant.tempo
    n_keys = min(2, len(spec.keys))
    keys = tuple(int(k) for k in rng.choice(spec.keys, size=n_keys, replace=False))
    minor = bool(rng.random() < spec.minor_prob)
    kit = int(spec.kits[rng.integers(len(spec.kits))]) if spec.kits else None
    if genre == "jazz":  # brushes need the brush kit
        kit = 40 if variant.name == "brushes" else 32
    favourites = {role: int(family[rng.integers(len(family))]) for role, family in spec.roles.items()}
    n_progs = max(len(spec.prog_major), len(spec.prog_minor))
    return _Artist(
        name=f"{genre}.artist{artist_index:02d}",
        variant=variant.name,
        tempo_range=(lo, hi),
        tempo_centre=float(rng.uniform(lo, hi)),
        keys=keys,
        minor=minor,
        kit=kit,
        favourites=favourites,
        swing=float(rng.uniform(*spec.swing)),
        jitter_ms=float(rng.uniform(*spec.jitter_ms)),
        velocity_sd=float(rng.uniform(3, 8)),
        prog_weights=rng.dirichlet(np.full(n_progs, 0.7)) + 1e-3,
        gain_bias={role: float(rng.normal(0, 1.5)) for role in ("drums", *spec.roles)},
        density=float(rng.random()),
        has_lead=bool(rng.random() < spec.lead_prob),
        motif_seed=(seed, g, 1_000_000 + artist_index, 1),
    )


def compose_clip(genre: str, clip_index: int, *, seed: int, duration_s: float,
                 clips_per_artist: int = 4) -> _Clip:
    """Compose one clip's note events (no audio); exposed for tests and inspection."""
    _check_clip_args(genre, clip_index, duration_s, clips_per_artist, seed)
    artist = _make_artist(genre, clip_index // clips_per_artist, seed)
    rng = np.random.default_rng([seed, GENRES.index(genre), clip_index])
    clip = _Clip(genre, _SPECS[genre], artist, rng, duration_s)
    _COMPOSERS[genre](clip)
    return clip


# --------------------------------------------------------------------------- rendering


def default_soundfont() -> Path:
    """The General MIDI SoundFont ``TimGM6mb.sf2`` shipped inside ``pretty_midi``."""
    import pretty_midi

    path = Path(pretty_midi.__file__).parent / "TimGM6mb.sf2"
    if not path.is_file():
        raise FileNotFoundError(
            f"General MIDI SoundFont not found at {path}; it ships with the pretty_midi "
            "package; reinstall pretty_midi or pass soundfont=<path to a .sf2>"
        )
    return path


class _Renderer:
    """One loaded SoundFont reused for many clips and parts, reset between renders."""

    def __init__(self, soundfont: Path | None, sample_rate: int) -> None:
        import tinysoundfont

        path = Path(soundfont) if soundfont is not None else default_soundfont()
        if not path.is_file():
            raise FileNotFoundError(f"SoundFont not found: {path}")
        self.sample_rate = sample_rate
        self.synth = tinysoundfont.Synth(samplerate=sample_rate)
        self.sfid = self.synth.sfload(str(path))
        self._dirty = False

    def _reset(self) -> None:
        # Kill all voices and render until their quick release has died out, so every
        # render starts from the silent state of a freshly loaded synth: a clip's bytes
        # must not depend on what was rendered before it.
        self.synth.sounds_off()
        block = 512
        for _ in range(4 * self.sample_rate // block):
            out = np.frombuffer(self.synth.generate(block), dtype=np.float32)
            if not out.any():
                break
        self._dirty = False

    def render_part(self, part: _Part, start_s: float, nb_samples: int) -> np.ndarray:
        """Render one part from song time 0; return mono float32 from ``start_s`` on."""
        if self._dirty:
            self._reset()
        self._dirty = True
        synth, sr = self.synth, self.sample_rate
        bank = DRUM_BANK if part.drums else 0
        synth.program_select(part.channel, self.sfid, bank, part.program, is_drums=part.drums)
        # Explicit controller values: fresh and reused synths must agree exactly. The mix
        # gain is applied later in numpy, where it is exact.
        for controller, value in ((7, 127), (10, 64), (11, 127), (64, 0)):
            synth.control_change(part.channel, controller, value)
        offset = int(round(start_s * sr))
        total = offset + nb_samples
        # Cut each note before the next one of the same key, so a late note-off cannot
        # silence a re-struck note.
        by_key: dict[int, list[tuple[float, float, int]]] = {}
        for start, end, key, vel in part.notes:
            by_key.setdefault(key, []).append((start, end, vel))
        events = []
        for key, notes in by_key.items():
            notes.sort()
            for i, (start, end, vel) in enumerate(notes):
                if i + 1 < len(notes):
                    end = min(end, notes[i + 1][0] - 0.002)
                on = int(round(start * sr))
                if on < total:
                    events.append((on, 1, key, vel))
                    events.append((max(int(round(end * sr)), on + 1), 0, key, 0))
        events.sort()  # note-offs before note-ons at the same sample
        buffer = memoryview(bytearray(total * 8))  # interleaved stereo float32
        pos = 0
        channel = part.channel
        for sample, is_on, key, vel in events:
            if sample >= total:
                break
            if sample > pos:
                synth.generate(sample - pos, buffer=buffer[pos * 8: sample * 8])
                pos = sample
            if is_on:
                synth.noteon(channel, key, vel)
            else:
                synth.noteoff(channel, key)
        if pos < total:
            synth.generate(total - pos, buffer=buffer[pos * 8:])
        stereo = np.frombuffer(buffer, dtype=np.float32).reshape(-1, 2)[offset:]
        return stereo.mean(axis=1, dtype=np.float32)

    def render_mix(self, parts: Sequence[_Part], start_s: float, nb_samples: int) -> np.ndarray:
        """Render each part alone and mix them at their target RMS levels.

        SoundFont presets differ by 30 dB in loudness, so a part's ``gain_db`` is its
        RMS level in the mix rather than a MIDI volume.
        """
        mix = np.zeros(nb_samples, dtype=np.float64)
        for part in parts:
            audio = self.render_part(part, start_s, nb_samples)
            rms = float(np.sqrt(np.mean(np.square(audio, dtype=np.float64))))
            if rms > 1e-7:  # a part with no notes inside the clip stays silent
                mix += audio * (10 ** (part.gain_db / 20) / rms)
        return mix.astype(np.float32)


def _finish(audio: np.ndarray, rng: np.random.Generator, sample_rate: int) -> np.ndarray:
    """Fade the edges and normalise to a random peak between -6 and -1 dBFS."""
    audio = np.nan_to_num(audio.astype(np.float32), nan=0.0, posinf=0.0, neginf=0.0)
    fade_in, fade_out = int(0.005 * sample_rate), int(0.03 * sample_rate)
    if len(audio) > fade_in + fade_out:
        audio[:fade_in] *= np.linspace(0, 1, fade_in, dtype=np.float32)
        audio[-fade_out:] *= np.linspace(1, 0, fade_out, dtype=np.float32)
    peak = float(np.max(np.abs(audio))) if audio.size else 0.0
    if peak < 1e-6:
        raise RuntimeError("rendered clip is silent; the SoundFont may lack the needed presets")
    target = 10 ** (rng.uniform(-6.0, -1.0) / 20)
    return (audio * (target / peak)).astype(np.float32)


def _instrument_string(parts: Sequence[_Part]) -> str:
    import pretty_midi

    names = []
    for part in parts:
        if part.drums:
            names.append(f"drums={_KIT_NAMES.get(part.program, str(part.program))}")
        else:
            names.append(f"{part.role}={pretty_midi.program_to_instrument_name(part.program)}")
    return "|".join(names)


def _render_with(renderer: _Renderer, genre: str, clip_index: int, seed: int,
                 duration_s: float, clips_per_artist: int) -> tuple[np.ndarray, dict]:
    clip = compose_clip(genre, clip_index, seed=seed, duration_s=duration_s,
                        clips_per_artist=clips_per_artist)
    nb_samples = int(round(duration_s * renderer.sample_rate))
    audio = renderer.render_mix(clip.parts, clip.pre_s, nb_samples)
    audio = _finish(audio, clip.rng, renderer.sample_rate)
    meta = {
        "clip_id": f"{genre}.{clip_index:05d}",
        "genre": genre,
        "artist": clip.artist.name,
        "tempo_bpm": round(clip.tempo, 2),
        "key": f"{_PITCH_NAMES[clip.key]} {'minor' if clip.minor else 'major'}",
        "instruments": _instrument_string(clip.parts),
        "seed": seed,
    }
    return audio, meta


def _check_int(name: str, value: object, low: int, high: int | None = None) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    if value < low or (high is not None and value > high):
        upper = f"..{high}" if high is not None else " or more"
        raise ValueError(f"{name} must be {low}{upper}, got {value}")


def _check_clip_args(genre: str, clip_index: int, duration_s: float, clips_per_artist: int,
                     seed: int) -> None:
    if genre not in GENRES:
        raise ValueError(f"unknown genre {genre!r}; allowed: {', '.join(GENRES)}")
    _check_int("seed", seed, 0)
    _check_int("clip_index", clip_index, 0)
    _check_int("clips_per_artist", clips_per_artist, 1)
    if isinstance(duration_s, bool) or not isinstance(duration_s, (int, float, np.floating)) \
            or not 0 < duration_s <= MAX_DURATION_S:
        raise ValueError(f"duration_s must be in (0, {MAX_DURATION_S:g}] seconds, got {duration_s!r}")


def render_clip(genre: str, clip_index: int, *, seed: int, duration_s: float,
                sample_rate: int = SAMPLE_RATE, clips_per_artist: int = 4,
                soundfont: Path | None = None) -> tuple[np.ndarray, dict]:
    """Compose and render one clip.

    Returns:
        ``(audio, metadata)``: mono float32 of exactly ``round(duration_s * sample_rate)``
        samples peaking between -6 and -1 dBFS, and a dict with clip_id, genre, artist,
        tempo_bpm, key, instruments and seed.
    """
    _check_clip_args(genre, clip_index, duration_s, clips_per_artist, seed)
    _check_int("sample_rate", sample_rate, 8000, 192000)
    return _render_with(_Renderer(soundfont, sample_rate), genre, clip_index, seed,
                        float(duration_s), clips_per_artist)


def build_genre(root: Path, genre: str, *, clips_per_genre: int, duration_s: float, seed: int,
                sample_rate: int = SAMPLE_RATE, clips_per_artist: int = 4,
                soundfont: Path | None = None) -> pd.DataFrame:
    """Write ``root/genres/<genre>/<genre>.000NN.wav`` clips and their ``metadata.csv``.

    Returns:
        The metadata frame, one row per clip (columns ``METADATA_COLUMNS``).

    Raises:
        ValueError: unknown genre, clips_per_genre outside 1..100, duration_s outside
            (0, 30], or other bad arguments.
        FileNotFoundError: the SoundFont is missing.
    """
    _check_clip_args(genre, 0, duration_s, clips_per_artist, seed)
    _check_int("clips_per_genre", clips_per_genre, 1, MAX_CLIPS_PER_GENRE)
    _check_int("sample_rate", sample_rate, 8000, 192000)
    folder = Path(root) / "genres" / genre
    renderer = _Renderer(soundfont, sample_rate)  # the SoundFont is loaded once per genre
    rows = []
    for index in range(clips_per_genre):
        audio, meta = _render_with(renderer, genre, index, seed, float(duration_s), clips_per_artist)
        write_wav(folder / f"{meta['clip_id']}.wav", audio, sample_rate, subtype="PCM_16")
        rows.append(meta)
    frame = pd.DataFrame(rows, columns=list(METADATA_COLUMNS))
    with atomic_path(folder / "metadata.csv") as tmp:
        frame.to_csv(tmp, index=False)
    return frame

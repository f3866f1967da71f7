"""The score of one synthetic clip: a genre's style, an artist's shared choices, parts of note
events written in beats and stored in seconds, and the part-writing helpers every genre uses."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np

from .theory import DORIAN, DRUM_CHANNEL, KICK, MAJOR, SNARE, TOMS, Cell, Chord, parse_progression, place

# --------------------------------------------------------------------------- genres


@dataclass(frozen=True)
class GrooveVariant:
    name: str
    weight: float
    tempo: tuple[float, float]


@dataclass(frozen=True)
class GenreSpec:
    variants: tuple[GrooveVariant, ...]  # groove variants with their tempo ranges
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
class Artist:
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
class Part:
    role: str
    program: int
    channel: int
    drums: bool
    gain_db: float
    notes: list[tuple[float, float, int, int]] = field(default_factory=list)


class Clip:
    """Note events of one clip, written in beats and stored in seconds."""

    def __init__(self, genre: str, spec: GenreSpec, artist: Artist,
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
        self.parts: list[Part] = []

    # -- song structure
    def _chord_timeline(self) -> list[Chord]:
        options = self.spec.prog_minor if self.minor else self.spec.prog_major
        weights = self.artist.prog_weights[: len(options)]
        prog = parse_progression(options[self.rng.choice(len(options), p=weights / weights.sum())])
        starts = np.cumsum([0.0] + [b for _, _, b in prog[:-1]])
        bar_starts = [i for i, s in enumerate(starts) if s % 4 == 0]
        index = int(bar_starts[self.rng.integers(len(bar_starts))])  # enter mid-form
        chords, beat = [], 0.0
        while beat < self.n_bars * 4 + 4:
            offset, intervals, beats = prog[index % len(prog)]
            chords.append(Chord(beat, (self.key + offset) % 12, intervals))
            beat += beats
            index += 1
        return chords

    def chord(self, beat: float) -> Chord:
        i = int(np.searchsorted(self._chord_starts, beat + 1e-6, side="right")) - 1
        return self.chords[max(i, 0)]

    def next_chord(self, beat: float) -> Chord:
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

    def add_part(self, role: str, gain_db: float, program: int | None = None) -> Part:
        used = {p.channel for p in self.parts}
        channel = next(ch for ch in range(16) if ch != DRUM_CHANNEL and ch not in used)
        program = self.program(role) if program is None else program
        gain = gain_db + self.artist.gain_bias.get(role, 0.0) + self.rng.normal(0, 1.5)
        part = Part(role, program, channel, False, gain)
        self.parts.append(part)
        return part

    def add_band(self, drums_db: float, **part_db: float) -> list[Part]:
        """The drum kit, then one part per role (in the order given) at its gain in dB."""
        return [self.add_drums(drums_db)] + [self.add_part(role, gain) for role, gain in part_db.items()]

    def add_drums(self, gain_db: float) -> Part:
        assert self.artist.kit is not None
        kit = self.artist.kit
        gain = gain_db + self.artist.gain_bias.get("drums", 0.0) + self.rng.normal(0, 1.5)
        part = Part("drums", kit, DRUM_CHANNEL, True, gain)
        self.parts.append(part)
        return part

    # -- events
    def backbeat(self, kit: Part, bar_start: float, kicks: Sequence[float], kick_velocity: int,
                 snare_velocity: int, on_snare: Callable[[float], None] | None = None) -> None:
        """One bar's kicks at ``kicks`` (beats), then the snare on beats 2 and 4, ``on_snare`` after each."""
        for pos in kicks:
            self.hit(kit, KICK, bar_start + pos, kick_velocity)
        for pos in (1, 3):
            self.hit(kit, SNARE, bar_start + pos, snare_velocity)
            if on_snare is not None:
                on_snare(bar_start + pos)

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

    def note(self, part: Part, beat: float, dur: float, key: int, velocity: float,
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

    def hit(self, part: Part, key: int, beat: float, velocity: float, dur: float = 1.0) -> None:
        """Drum hit: tighter timing than pitched parts."""
        self.note(part, beat, dur, key, velocity, jitter=0.6)

    def chord_notes(self, part: Part, beat: float, dur: float, keys: Sequence[int],
                    velocity: float, strum_s: float = 0.0, up: bool = False) -> None:
        """Play ``keys`` together; ``strum_s`` spreads them like a guitar stroke."""
        order = list(reversed(keys)) if up else list(keys)
        base = self.rng.normal(0.0, self.jitter_s)
        for i, key in enumerate(order):
            self.note(part, beat, dur, key, velocity - 3 * i * (strum_s > 0), jitter=0.3,
                      delay_s=base + i * strum_s)


# --------------------------------------------------------------------------- part helpers


def bass_line(c: Clip, part: Part, pattern: Sequence[tuple[float, float, str]],
               low: int, velocity: float, bars: range | None = None) -> None:
    """Repeat a one-bar pattern of (position, duration, degree) over the chords.

    Degree 'A' approaches the next chord's root from a semitone below or above.
    """
    for bar in bars if bars is not None else range(c.n_bars):
        for pos, dur, degree in pattern:
            beat = bar * 4 + pos
            chord = c.chord(beat)
            root = place(chord.root, low)
            if degree == "A":
                target = place(c.next_chord(beat).root, low)
                key = target + (-1 if c.rng.random() < 0.6 else 1)
            else:
                key = root + chord.degree(degree)
            accent = 8 if pos == 0 else 0
            c.note(part, beat, dur, key, velocity + accent)


def walking_bass(c: Clip, part: Part, velocity: float) -> None:
    """Quarter-note walking bass: root on chord changes, chromatic approach before them."""
    scale = set((c.key + i) % 12 for i in c.scale(MAJOR, DORIAN))
    prev = place(c.chords[0].root, 33)
    for beat in range(c.n_bars * 4):
        chord = c.chord(beat)
        nxt = c.chord(beat + 1)
        if beat == chord.start:
            key = place(chord.root, 31)
            key = key + 12 if key < 33 else key
            if abs(key - prev) > 7 and key + 12 <= 52 and abs(key + 12 - prev) < abs(key - prev):
                key += 12
        elif nxt.start == beat + 1:  # approach the next chord's root by a half step
            target = min((place(nxt.root, 31) + o for o in (0, 12)), key=lambda k: abs(k - prev))
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


def melody_line(c: Clip, part: Part, *, scale: Sequence[int], low: int, high: int,
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


def tom_fill(c: Clip, kit: Part, beat: float, count: int, velocity: float) -> None:
    """Descending sixteenth-note tom fill."""
    for i in range(count):
        c.hit(kit, TOMS[min(i * len(TOMS) // count, len(TOMS) - 1)], beat + i * 0.25,
              velocity + c.rng.uniform(-8, 8))


def phrase_arc(c: Clip, depth: float, bars: int = 4) -> Callable[[float], float]:
    """Velocity offset rising and falling over a phrase (musical dynamics)."""
    offset = c.rng.uniform(0, bars * 4)
    return lambda beat: depth * math.sin(math.pi * (((beat + offset) / (bars * 4)) % 1.0))

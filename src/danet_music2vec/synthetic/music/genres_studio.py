"""Composers of classical, disco and hip-hop: ensembles, dance floors and programmed beats."""

from __future__ import annotations

from .score import Clip, bass_line, melody_line, phrase_arc
from .theory import (
    CLAP, CRASH, EIGHTHS, HARMONIC_MINOR, HAT_CLOSED, HAT_OPEN, KICK, KICK2, MAJOR, MINOR_PENTA, QUARTERS,
    SNARE, TAMBOURINE, close_voicing, place,
)


def compose_classical(c: Clip) -> None:
    a = c.artist
    arc = phrase_arc(c, 16)
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
            root = place(chord.root, 41)
            third = place((chord.root + chord.intervals[1]) % 12, root + 1)
            fifth = place((chord.root + chord.intervals[2]) % 12, root + 1)
            if alberti:  # Alberti bass: low-high-middle-high
                key = (root, fifth, third, fifth)[n % 4]
            else:  # rising broken chord
                key = (root, fifth, root + 12, third + 12)[n % 4]
            c.note(left, beat, step * 1.6, key, 58 + arc(beat))
        melody_line(c, right, scale=scale, low=64, high=86, cells=melody_cells, velocity=74,
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
        root = place(chord.root, bass_low)
        half = max(length / 2, 1.0)
        for k in range(int(round(length / half))):
            beat = chord.start + k * half
            key = root if k == 0 else root + chord.degree("5") - (12 if root + 7 > bass_low + 19 else 0)
            c.note(low_part, beat, half * 0.98, key, 66 + arc(beat))
        voicing = close_voicing(chord, inner_center)
        if inner_a.role == "strings":
            c.chord_notes(inner_a, chord.start, length * 0.99, voicing, 62 + arc(chord.start))
        else:
            c.chord_notes(inner_a, chord.start, length * 0.99, voicing[:2], 60 + arc(chord.start))
        c.chord_notes(inner_b, chord.start, length * 0.99, [k + 12 for k in voicing[-1:]] if inner_b.role != "horn"
                      else voicing[1:2], 60 + arc(chord.start))
    lead = c.add_part(lead_role, -3)
    melody_line(c, lead, scale=scale, low=67, high=91, cells=melody_cells, velocity=76, dynamics=arc,
            legato=1.0)
    if a.variant == "orchestra" and a.has_lead:  # harp arpeggios
        harp = c.add_part("harp", -11)
        for n in range(c.n_bars * 8):
            beat = n * 0.5
            voicing = close_voicing(c.chord(beat), 60)
            c.note(harp, beat, 1.0, voicing[n % len(voicing)] + 12 * ((n // len(voicing)) % 2), 60)


def compose_disco(c: Clip) -> None:
    a = c.artist
    kit, bass, guitar, strings = c.add_band(-4, bass=-5, guitar=-12, strings=-9)
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
    bass_line(c, bass, pattern, 33, 100)
    for n in range(c.n_bars * 16):  # sixteenth-note "chicken scratch" guitar
        beat = n * 0.25
        if c.rng.random() < 0.85:
            voicing = close_voicing(c.chord(beat), 66)
            keys = voicing[-2:] if n % 2 else voicing[-1:]
            c.chord_notes(guitar, beat, 0.18, keys, 82 if n % 4 in (1, 3) else 60)
    for bar in range(c.n_bars):
        b = bar * 4
        if a.variant == "sixteenths" or bar % 2 == 0:  # lush sustained strings
            c.chord_notes(strings, b, 3.95, close_voicing(c.chord(b), 72), 70)
        else:  # string stabs
            for pos in (0, 1.5, 2.5):
                c.chord_notes(strings, b + pos, 0.4, close_voicing(c.chord(b + pos), 72), 86)
    keys = c.add_part("keys", -12)
    for bar in range(c.n_bars):
        for pos in (0.5, 2.5) if bar % 2 else (1.5, 3.5):
            beat = bar * 4 + pos
            c.chord_notes(keys, beat, 0.4, close_voicing(c.chord(beat), 62), 72)
    if a.has_lead:
        brass = c.add_part("brass", -10)
        for bar in range(1, c.n_bars, 2):
            for pos in (3, 3.5):
                beat = bar * 4 + pos
                c.chord_notes(brass, beat, 0.35, close_voicing(c.chord(beat), 70), 96)


def compose_hiphop(c: Clip) -> None:
    a = c.artist
    trap = a.variant == "trap"
    motif = a.motif_rng()
    kit, bass, keys = c.add_band(-3, bass=-4, keys=-10)
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
            c.note(bass, beat, max(end - pos, 0.25) * 0.95, place(c.chord(beat).root, 26), 110, jitter=0.3)
    stabs = a.density < 0.5
    for bar in range(c.n_bars):
        b = bar * 4
        voicing = close_voicing(c.chord(b), 62)
        if stabs:
            for pos in (0, 1.5, 2.5):
                c.chord_notes(keys, b + pos, 0.8, voicing, 78)
        else:
            c.chord_notes(keys, b, 3.8, voicing, 70)
    pad = c.add_part("pad", -15)
    for bar in range(c.n_bars):
        c.chord_notes(pad, bar * 4, 3.95, close_voicing(c.chord(bar * 4), 57), 60)
    if a.has_lead:  # a short looped hook on bells, flute or a synth
        hook = c.add_part("hook", -9)
        cells = (((0, 0.5), (0.75, 0.25), (1, 1), (2.5, 0.5), (3, 1)), ((0, 1.5), (1.5, 0.5), (2, 2)),
                 tuple((i * 0.5, 0.5) for i in range(8)), ((0.5, 0.5), (1.5, 0.5), (2, 0.5), (3, 1)))
        melody_line(c, hook, scale=MINOR_PENTA, low=67, high=88, cells=cells, velocity=82,
                motif_bars=2, chord_tone_prob=0.4)

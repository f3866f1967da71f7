"""Composers of rock, metal and pop: guitar bands and their drum grooves."""

from __future__ import annotations

from .score import Clip, bass_line, melody_line, tom_fill
from .theory import (
    CHINA, CLAP, CRASH, EIGHTHS, HARMONIC_MINOR, HAT_CLOSED, KICK, KICK2, MAJOR_PENTA, MINOR_PENTA, RIDE,
    RIDE_BELL, SHAKER, SIXTEENTHS_RUN, SNARE, close_voicing, guitar_voicing, place,
)


def compose_rock(c: Clip) -> None:
    a = c.artist
    motif = a.motif_rng()
    kit, guitar, rhythm, bass = c.add_band(-5, guitar=-5, rhythm=-10, bass=-7)
    kick_patterns = ((0, 2, 2.5), (0, 1.75, 2), (0, 2, 3.5), (0, 0.5, 2, 2.5))
    kicks = kick_patterns[motif.integers(len(kick_patterns))]
    cymbal = RIDE if a.variant == "ride" else HAT_CLOSED
    for bar in range(c.n_bars):
        b = bar * 4
        c.backbeat(kit, b, kicks, 108, 112)
        for i in range(8):
            c.hit(kit, cymbal, b + i * 0.5, 82 if i % 2 == 0 else 64, dur=0.4)
        if bar % 4 == 0:
            c.hit(kit, CRASH, b, 100, dur=4)
        elif bar % 4 == 3 and c.rng.random() < 0.5:
            tom_fill(c, kit, b + 2, 8, 100)
    sustained = a.variant == "anthem"
    for bar in range(c.n_bars):
        b = bar * 4
        if sustained:  # ringing power chords, re-struck on the "and" of 2
            for pos, dur in ((0, 1.5), (1.5, 2.5)):
                root = place(c.chord(b + pos).root, 40)
                c.chord_notes(guitar, b + pos, dur * 0.97, [root, root + 7, root + 12], 104, strum_s=0.006)
        else:  # driving eighth-note power chords
            for i in range(8):
                beat = b + i * 0.5
                root = place(c.chord(beat).root, 40)
                c.chord_notes(guitar, beat, 0.45, [root, root + 7, root + 12], 104 if i % 2 == 0 else 90)
    strum = (0, 1, 1.5, 2.5, 3, 3.5)
    for bar in range(c.n_bars):  # strummed open chords: D - DU - UDU
        for pos in strum:
            beat = bar * 4 + pos
            c.chord_notes(rhythm, beat, 0.45, guitar_voicing(c.chord(beat)), 80, strum_s=0.01,
                          up=pos % 1 != 0)
    bass_line(c, bass, [(i * 0.5, 0.45, "R") for i in range(8)], 28, 96)
    if a.has_lead:
        lead = c.add_part("lead", -6)
        cells = (((0, 1), (1, 0.5), (1.5, 0.5), (2, 2)), EIGHTHS, ((0, 2), (2, 1), (3, 1)),
                 ((0.5, 0.5), (1, 0.5), (1.5, 1.5), (3, 1)))
        melody_line(c, lead, scale=c.scale(MAJOR_PENTA, MINOR_PENTA), low=62, high=86, cells=cells,
                velocity=96, rest_prob=0.3)


def compose_metal(c: Clip) -> None:
    a = c.artist
    motif = a.motif_rng()
    kit, guitar, guitar2, bass = c.add_band(-4, guitar=-5, guitar2=-7, bass=-9)
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
                root = place(c.key, 38)
                keys, dur, vel = [root, root + 7], 0.18, 100
            else:
                root = place(chord.root, 38)
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
            tom_fill(c, kit, b + 3, 4, 110)
    if a.has_lead:  # harmonic-minor lead line
        lead = c.add_part("lead", -8)
        cells = (SIXTEENTHS_RUN, EIGHTHS, ((0, 2), (2, 2)), ((0, 1), (1, 1), (2, 0.5), (2.5, 0.5), (3, 1)))
        melody_line(c, lead, scale=HARMONIC_MINOR, low=64, high=88, cells=cells, velocity=100,
                rest_prob=0.3)
    elif motif.random() < 0.6:  # symphonic pad
        pad = c.add_part("pad", -14)
        for bar in range(c.n_bars):
            c.chord_notes(pad, bar * 4, 3.95, close_voicing(c.chord(bar * 4), 64), 80)


def compose_pop(c: Clip) -> None:
    a = c.artist
    motif = a.motif_rng()
    kit, bass, keys, pad = c.add_band(-5, bass=-6, keys=-9, pad=-14)
    kick_patterns = ((0, 2), (0, 1.5, 2), (0, 2, 2.5), (0, 0.75, 2, 2.5))
    kicks = kick_patterns[motif.integers(len(kick_patterns))]
    clap = motif.random() < 0.5
    for bar in range(c.n_bars):
        b = bar * 4
        c.backbeat(kit, b, kicks, 108, 104, on_snare=(lambda beat: c.hit(kit, CLAP, beat, 92)) if clap else None)
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
            tom_fill(c, kit, b + 3, 4, 90)
    if motif.random() < 0.5:  # pulsing eighth-note roots
        pattern = [(i * 0.5, 0.45, "R") for i in range(8)]
    else:
        pattern = [(0, 1.4, "R"), (1.5, 0.45, "R"), (2, 0.9, "8"), (3, 0.45, "R"), (3.5, 0.45, "5")]
    bass_line(c, bass, pattern, 33, 94)
    eighth_pulse = motif.random() < 0.5
    for bar in range(c.n_bars):
        for i in range(8 if eighth_pulse else 4):
            beat = bar * 4 + i * (0.5 if eighth_pulse else 1)
            c.chord_notes(keys, beat, 0.45 if eighth_pulse else 0.95,
                          close_voicing(c.chord(beat), 64), 76 if i % 2 == 0 else 64)
        c.chord_notes(pad, bar * 4, 3.95, close_voicing(c.chord(bar * 4), 60), 64)
    lead = c.add_part("lead", -5)
    cells = (((0, 0.5), (0.5, 0.5), (1, 1), (2.5, 0.5), (3, 1)), ((0.5, 0.5), (1, 0.5), (1.5, 1), (3, 1)),
             ((0, 1), (1, 0.5), (1.5, 0.5), (2, 2)), ((0, 1.5), (1.5, 0.5), (2, 1), (3, 0.5), (3.5, 0.5)))
    melody_line(c, lead, scale=c.scale(MAJOR_PENTA, MINOR_PENTA), low=64, high=84, cells=cells,
            velocity=88, motif_bars=2)

"""Composers of blues, country, jazz and reggae: swing, shuffle and offbeat grooves."""

from __future__ import annotations

from .score import Clip, bass_line, melody_line, tom_fill, walking_bass
from .theory import (
    BLUES_SCALE, CRASH, DORIAN, EIGHTHS, HAT_CLOSED, HAT_OPEN, HAT_PEDAL, KICK, MAJOR, MAJOR_PENTA, MINOR_PENTA,
    QUARTERS, RIDE, SIDE_STICK, SNARE, close_voicing, guitar_voicing, place,
)


def compose_blues(c: Clip) -> None:
    a = c.artist
    kit, bass, guitar, keys = c.add_band(-6, bass=-6, guitar=-8, keys=-11)
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
    bass_line(c, bass, pattern, 28, 92)
    for bar in range(c.n_bars):  # guitar shuffle: root-fifth / root-sixth dyads
        for i in range(8):
            beat = bar * 4 + i * 0.5
            chord = c.chord(beat)
            root = place(chord.root, 40)
            top = root + (7 if (i // 2) % 2 == 0 else 9)
            c.chord_notes(guitar, beat, 0.4, [root, top], 80 if i % 2 == 0 else 66)
    organ = keys.program in (16, 17, 18, 19, 20)
    for bar in range(c.n_bars):
        b = bar * 4
        if organ:  # organ holds the chord
            c.chord_notes(keys, b, 3.9, close_voicing(c.chord(b), 66), 64)
        else:  # piano stabs on the swung upbeats
            for pos in (0.5, 1.5, 3.5) if bar % 2 else (1.5, 2.5):
                c.chord_notes(keys, b + pos, 0.35, close_voicing(c.chord(b + pos), 68), 72)
    if a.has_lead:
        lead = c.add_part("lead", -6)
        triplets = ((0, 2 / 3), (2 / 3, 2 / 3), (4 / 3, 2 / 3), (2, 1.5))
        cells = (triplets, ((0, 0.5), (0.5, 0.5), (1, 2)), ((0.5, 0.5), (1, 0.5), (1.5, 0.5), (2, 2)),
                 ((0, 3),), ((1, 0.5), (1.5, 0.5), (2, 0.5), (2.5, 1.5)))
        melody_line(c, lead, scale=BLUES_SCALE, low=60, high=84, cells=cells, velocity=88,
                rest_pattern=(False, False, True, True), chord_tone_prob=0.5)


def compose_country(c: Clip) -> None:
    a = c.artist
    kit, bass, guitar, picker = c.add_band(-6, bass=-6, guitar=-7, picker=-9)
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
            tom_fill(c, kit, b + 3, 4, 88)
    # Root-fifth "boom-chick" bass with a walk-up into chord changes.
    for bar in range(c.n_bars):
        b = bar * 4
        chord = c.chord(b)
        bass_line(c, bass, [(0, 0.95, "R"), (2, 0.95, "5-")], 33, 94, bars=range(bar, bar + 1))
        if c.next_chord(b).start == b + 4 and c.next_chord(b).root != chord.root:
            c.note(bass, b + 3, 0.45, place(c.next_chord(b).root, 33) - 2, 80)
            c.note(bass, b + 3.5, 0.45, place(c.next_chord(b).root, 33) - 1, 84)
    strum8 = a.motif_rng().random() < 0.5
    for bar in range(c.n_bars):
        for beat_i in range(4):
            beat = bar * 4 + beat_i
            voicing = guitar_voicing(c.chord(beat))
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
            voicing = close_voicing(c.chord(beat), 67)
            c.note(picker, beat, 0.5, voicing[(n * 2) % len(voicing)], 78 if n % 3 == 0 else 64)
    else:  # honky-tonk piano on the offbeats
        for bar in range(c.n_bars):
            for pos in (1, 3):
                beat = bar * 4 + pos
                c.chord_notes(picker, beat, 0.5, close_voicing(c.chord(beat), 66), 74)
    if a.has_lead:
        lead = c.add_part("lead", -6)
        cells = (EIGHTHS, QUARTERS, ((0, 1), (1, 0.5), (1.5, 0.5), (2, 2)),
                 ((0, 0.5), (0.5, 0.5), (1, 0.5), (1.5, 0.5), (2, 1), (3, 1)))
        melody_line(c, lead, scale=MAJOR_PENTA, low=62, high=86, cells=cells, velocity=86, rest_prob=0.25)


def compose_jazz(c: Clip) -> None:
    a = c.artist
    kit, bass, comp = c.add_band(-8, bass=-5, comp=-9)
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
    walking_bass(c, bass, 88)
    rhythms = (((0, 1.0), (1.5, 1.0)), ((1.5, 0.5), (2.5, 1.0)), ((0, 2.0), (2.5, 1.0)),
               ((0.5, 0.5), (2, 1.5)), ((1, 0.5), (3.5, 1.0)), ((0, 0.8), (2.5, 0.5), (3.5, 0.5)))
    for bar in range(c.n_bars):
        for pos, dur in rhythms[c.rng.integers(len(rhythms))]:
            beat = bar * 4 + pos
            # Offbeat hits anticipate the next chord, as pianists push the changes.
            chord = c.chord(beat + 0.5)
            c.chord_notes(comp, beat, dur, close_voicing(chord, 62, drop_root=True), 70)
    if a.has_lead:
        lead = c.add_part("lead", -5)
        cells = (EIGHTHS, EIGHTHS[:5] + ((2.5, 1.5),), ((0, 1.5), (1.5, 0.5), (2, 0.5), (2.5, 0.5), (3, 1)),
                 ((0.5, 0.5), (1, 0.5), (1.5, 0.5), (2, 0.5), (2.5, 1.5)), ((0, 2), (2.5, 0.5), (3, 1)))
        low = 50 if lead.program in (66, 57, 67) else 60
        melody_line(c, lead, scale=c.scale(MAJOR, DORIAN), low=low, high=low + 24, cells=cells,
                velocity=84, rest_prob=0.3, chord_tone_prob=0.7)


def compose_reggae(c: Clip) -> None:
    a = c.artist
    motif = a.motif_rng()
    kit, bass, skank, organ = c.add_band(-6, bass=-3, skank=-10, organ=-13)
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
    bass_line(c, bass, pattern, 31, 104)
    offbeats = a.density < 0.5 or a.variant == "rockers"
    for bar in range(c.n_bars):
        b = bar * 4
        positions = (0.5, 1.5, 2.5, 3.5) if offbeats else (1.0, 3.0, 3.25)
        for pos in positions:  # the skank: short high chord chops
            beat = b + pos
            c.chord_notes(skank, beat, 0.16, close_voicing(c.chord(beat), 68), 92, strum_s=0.006, up=True)
        for i in range(8):  # organ bubble
            beat = b + i * 0.5
            voicing = close_voicing(c.chord(beat), 58)
            c.chord_notes(organ, beat, 0.22, voicing if i % 2 else voicing[:1], 70 if i % 2 else 54)
    if a.has_lead:
        lead = c.add_part("lead", -7)
        cells = (((0, 1), (1, 1), (2, 2)), ((0.5, 0.5), (1, 1), (2.5, 1.5)), ((0, 2), (2, 2)),
                 ((0, 0.5), (0.5, 0.5), (1, 1), (2, 1), (3, 1)))
        melody_line(c, lead, scale=c.scale(MAJOR_PENTA, MINOR_PENTA), low=58, high=79, cells=cells,
                velocity=84, rest_pattern=(False, True, False, True))

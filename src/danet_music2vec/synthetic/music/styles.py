"""Each genre's style (grooves and tempi, keys, kits, instrument families, progressions), its
composer, and the artists that fix part of the choices for the clips they share."""

from __future__ import annotations

from typing import Callable

import numpy as np

from .genres_band import compose_metal, compose_pop, compose_rock
from .genres_roots import compose_blues, compose_country, compose_jazz, compose_reggae
from .genres_studio import compose_classical, compose_disco, compose_hiphop
from .score import Artist, Clip, GenreSpec, GrooveVariant
from .theory import GENRES, MAX_DURATION_S

GUITAR_KEYS = (4, 9, 2, 7, 0, 11)
SPECS: dict[str, GenreSpec] = {
    "blues": GenreSpec(
        variants=(GrooveVariant("hats", 0.4, (72, 128)), GrooveVariant("ride", 0.3, (72, 128)),
                  GrooveVariant("texas", 0.3, (80, 132))),
        keys=(4, 9, 7, 0, 10, 5, 2), minor_prob=0.15, kits=(0, 8),
        roles={"bass": (33, 32, 34), "guitar": (27, 26, 29, 28), "keys": (0, 1, 3, 16, 17),
               "lead": (22, 29, 26, 65, 66, 30)},
        prog_major=("I7 I7 I7 I7 IV7 IV7 I7 I7 V7 IV7 I7 V7", "I7 IV7 I7 I7 IV7 IV7 I7 I7 V7 IV7 I7 V7"),
        prog_minor=("i7 i7 i7 i7 iv7 iv7 i7 i7 bVI7 V7 i7 V7",),
        swing=(0.62, 0.69), jitter_ms=(6, 14), lead_prob=0.8),
    "classical": GenreSpec(
        variants=(GrooveVariant("piano", 0.35, (64, 126)), GrooveVariant("quartet", 0.25, (60, 112)),
                  GrooveVariant("orchestra", 0.25, (56, 104)), GrooveVariant("winds", 0.15, (60, 112))),
        keys=(0, 7, 2, 5, 10, 3, 9, 4), minor_prob=0.35, kits=(),
        roles={"piano": (0, 0, 1, 6), "cello": (42,), "viola": (41, 40), "violin": (40, 40, 110), "violin2": (40,),
               "contrabass": (43, 42), "strings": (48, 49, 48, 44), "horn": (60, 60, 69),
               "bassoon": (70,), "clarinet": (71, 68), "flute": (73, 68, 72),
               "melody": (73, 68, 71, 40, 56), "harp": (46,)},
        prog_major=("I IV V I", "I vi ii V", "I V vi iii IV I IV V", "I ii:2 V:2 I vi IV V",
                    "I:2 IV:2 V:2 I:2 vi:2 ii:2 V:2 I:2"),
        prog_minor=("i iv V i", "i bVI iv V", "i iv:2 V:2 i bVI", "i:2 iv:2 V:2 i:2 bVI:2 iv:2 V:2 i:2"),
        jitter_ms=(10, 22), lead_prob=0.5),
    "country": GenreSpec(
        variants=(GrooveVariant("train", 0.5, (104, 160)), GrooveVariant("twostep", 0.5, (90, 132))),
        keys=(7, 2, 9, 0, 4), minor_prob=0.05, kits=(0, 8),
        roles={"bass": (33, 32, 34), "guitar": (25, 25, 24), "picker": (105, 105, 3, 1),
               "lead": (110, 110, 22, 27, 105)},
        prog_major=("I I IV IV V V I I", "I IV I V", "I V IV I", "I I IV I V IV I I"),
        prog_minor=("vi IV I V",), swing=(0.5, 0.56), jitter_ms=(5, 11), lead_prob=0.8),
    "disco": GenreSpec(
        variants=(GrooveVariant("eighths", 0.5, (110, 132)), GrooveVariant("sixteenths", 0.5, (112, 130))),
        keys=(9, 2, 4, 5, 7, 0), minor_prob=0.6, kits=(0, 8, 0),
        roles={"bass": (33, 36, 38, 33), "guitar": (28, 27), "strings": (48, 49, 50),
               "keys": (4, 5, 0), "brass": (61, 62)},
        prog_major=("Imaj7 ii7 iii7 ii7", "IVmaj7 iii7 ii7 Imaj7", "I vi ii V"),
        prog_minor=("i7 iv7 i7 iv7", "i7 bVII i7 bVII", "i7 bVImaj7 bVII i7", "i9 iv7"),
        swing=(0.5, 0.53), jitter_ms=(2, 5), lead_prob=0.6),
    "hiphop": GenreSpec(
        variants=(GrooveVariant("boombap", 0.4, (82, 98)), GrooveVariant("trap", 0.6, (130, 160))),
        keys=(1, 3, 6, 8, 9, 10, 11, 0, 2, 4, 5, 7), minor_prob=0.95, kits=(25, 25, 25, 24, 0),
        roles={"bass": (38, 39, 38), "keys": (4, 5, 0, 1, 11), "pad": (89, 90, 94, 48, 52, 95),
               "hook": (10, 14, 9, 73, 8, 80, 112)},
        prog_major=("I vi IV V",),
        prog_minor=("i bVI", "i iv", "i bVI bIII bVII", "i7 iv7", "i bVII bVI V", "i9 bVImaj7"),
        swing=(0.52, 0.6), swing_grid=16, jitter_ms=(1, 4), lead_prob=0.75),
    "jazz": GenreSpec(
        variants=(GrooveVariant("swing", 0.7, (110, 210)), GrooveVariant("brushes", 0.3, (96, 170))),
        keys=(5, 10, 3, 0, 7, 8, 2), minor_prob=0.2, kits=(32, 40),
        roles={"bass": (32, 32, 35), "comp": (0, 1, 26, 11, 4), "lead": (65, 66, 56, 59, 57, 64, 71)},
        prog_major=("ii9 V9 Imaj9 VI7", "Imaj7:2 vi7:2 ii7:2 V7:2", "iii7 VI7 ii7 V7",
                    "ii7 V7 Imaj7 Imaj7", "Imaj7 IV7 iii7 VI7 ii7 V7 Imaj7 V7"),
        prog_minor=("iim7b5 V7 i7 i7", "i7 iv7 iim7b5 V7", "i7:2 vi:2 iim7b5:2 V7:2"),
        swing=(0.6, 0.68), jitter_ms=(6, 14), lead_prob=0.8),
    "metal": GenreSpec(
        variants=(GrooveVariant("double", 0.55, (100, 152)), GrooveVariant("thrash", 0.3, (160, 210)),
                  GrooveVariant("blast", 0.15, (150, 200))),
        keys=(4, 2, 1, 0, 11, 9, 6), minor_prob=1.0, kits=(16, 16, 0, 8),
        roles={"guitar": (30, 30, 29), "guitar2": (30, 29), "bass": (34, 33), "lead": (30, 29, 81), "pad": (48, 52, 19)},
        prog_major=("I5 bVII5 bVI5 bVII5",),
        prog_minor=("i5 bVI5 bVII5 i5", "i5 bII5 i5 bVII5", "i5 i5 bVI5 bVII5", "i5 bVII5 bVI5 V5",
                    "i5 iv5 bVI5 V5"),
        jitter_ms=(2, 6), lead_prob=0.5),
    "pop": GenreSpec(
        variants=(GrooveVariant("eighths", 0.6, (90, 128)), GrooveVariant("sixteenths", 0.4, (92, 124))),
        keys=(0, 7, 2, 9, 5, 4, 10), minor_prob=0.2, kits=(0, 24, 8, 0),
        roles={"bass": (33, 38, 39, 34), "keys": (0, 1, 4, 5), "pad": (89, 90, 50, 88, 94),
               "lead": (80, 81, 53, 85, 9, 98, 73)},
        prog_major=("I V vi IV", "vi IV I V", "I vi IV V", "IV I V vi", "I IV vi V"),
        prog_minor=("i bVI bIII bVII", "i bVII bVI bVII"),
        swing=(0.5, 0.54), jitter_ms=(3, 7), lead_prob=1.0),
    "reggae": GenreSpec(
        variants=(GrooveVariant("onedrop", 0.7, (66, 90)), GrooveVariant("rockers", 0.3, (70, 92))),
        keys=(9, 7, 0, 2, 4, 5, 10), minor_prob=0.45, kits=(0, 8),
        roles={"bass": (33, 38, 32), "skank": (27, 28, 26), "organ": (16, 17, 18),
               "lead": (57, 56, 66, 22, 16)},
        prog_major=("I I IV IV", "I IV I V", "I IV V IV", "ii7 V7", "I V vi IV"),
        prog_minor=("i i iv iv", "i bVII i bVII", "i iv", "i bVI bVII i"),
        swing=(0.5, 0.6), jitter_ms=(4, 10), lead_prob=0.5),
    "rock": GenreSpec(
        variants=(GrooveVariant("hats", 0.5, (100, 152)), GrooveVariant("ride", 0.2, (104, 156)),
                  GrooveVariant("anthem", 0.3, (96, 140))),
        keys=GUITAR_KEYS, minor_prob=0.3, kits=(0, 8, 16),
        roles={"guitar": (29, 29, 30), "rhythm": (25, 27, 29, 24), "bass": (34, 33),
               "lead": (29, 30, 18, 17)},
        prog_major=("I bVII IV I", "I IV V IV", "I V vi IV", "vi IV I V", "I IV I V"),
        prog_minor=("i bVII bVI bVII", "i bVI bIII bVII", "i bVII bVI V", "i iv bVII i"),
        swing=(0.5, 0.53), jitter_ms=(4, 9), lead_prob=0.5),
}
COMPOSERS: dict[str, Callable[[Clip], None]] = {
    "blues": compose_blues, "classical": compose_classical, "country": compose_country,
    "disco": compose_disco, "hiphop": compose_hiphop, "jazz": compose_jazz,
    "metal": compose_metal, "pop": compose_pop, "reggae": compose_reggae, "rock": compose_rock,
}


def make_artist(genre: str, artist_index: int, seed: int) -> Artist:
    """Draw an artist's shared choices from its own generator (independent of clips)."""
    g = GENRES.index(genre)
    spec = SPECS[genre]
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
    return Artist(
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

def check_int(name: str, value: object, low: int, high: int | None = None) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    if value < low or (high is not None and value > high):
        upper = f"..{high}" if high is not None else " or more"
        raise ValueError(f"{name} must be {low}{upper}, got {value}")


def check_clip_args(genre: str, clip_index: int, duration_s: float, clips_per_artist: int,
                     seed: int) -> None:
    if genre not in GENRES:
        raise ValueError(f"unknown genre {genre!r}; allowed: {', '.join(GENRES)}")
    check_int("seed", seed, 0)
    check_int("clip_index", clip_index, 0)
    check_int("clips_per_artist", clips_per_artist, 1)
    if isinstance(duration_s, bool) or not isinstance(duration_s, (int, float, np.floating)) \
            or not 0 < duration_s <= MAX_DURATION_S:
        raise ValueError(f"duration_s must be in (0, {MAX_DURATION_S:g}] seconds, got {duration_s!r}")


def compose_clip(genre: str, clip_index: int, *, seed: int, duration_s: float,
                 clips_per_artist: int = 4) -> Clip:
    """Compose one clip's note events (no audio); exposed for tests and inspection."""
    check_clip_args(genre, clip_index, duration_s, clips_per_artist, seed)
    artist = make_artist(genre, clip_index // clips_per_artist, seed)
    rng = np.random.default_rng([seed, GENRES.index(genre), clip_index])
    clip = Clip(genre, SPECS[genre], artist, rng, duration_s)
    COMPOSERS[genre](clip)
    return clip

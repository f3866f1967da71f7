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

from .render import build_genre, default_soundfont, render_clip
from .styles import compose_clip
from .theory import GENRES, MAX_CLIPS_PER_GENRE, MAX_DURATION_S, METADATA_COLUMNS, SAMPLE_RATE

__all__ = ["GENRES", "MAX_CLIPS_PER_GENRE", "MAX_DURATION_S", "METADATA_COLUMNS", "SAMPLE_RATE", "build_genre",
           "compose_clip", "default_soundfont", "render_clip"]

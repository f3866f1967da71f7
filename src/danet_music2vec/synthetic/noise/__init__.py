"""The noise world: an ESC-50-layout dataset of real recordings and procedural sounds, built offline.

The default demo cannot download ESC-50 (Piczak, 2015), so it builds a data set that one
loader reads exactly like the real one::

    <root>/meta/esc50.csv       filename,fold,target,category,esc10,src_file,take
    <root>/meta/recordings.csv  every recording the takes come from: package, file, licence, credit
    <root>/audio/<fold>-<src_file>-<take>-<target>.flac   22050 Hz, mono, 16-bit, 5.0 s
    <root>/licences/<package>/...   the packages' copyright, licence and credit files
    <root>/CREDITS.md

Two kinds of classes, ESC-50's names and target numbers where they are ESC-50 classes
(others numbered from 50):

* Real classes: takes of real recordings from pinned Debian and PyPI packages
  (:mod:`.sources`, fetched and verified by :mod:`.recordings`), each take a crop, speed
  change, EQ, gain curve and placement of one recording (:mod:`.takes`). As in ESC-50, all
  takes of one source recording share its ``src_file`` and fold.
* Procedural classes: sounds that synthesise convincingly (rain, wind, engine, ...;
  :mod:`.procedural`); every take is its own source, spread over the 5 folds.

Every random choice comes from per-clip generators seeded by ``(seed, class, take)``, so a
clip does not depend on which other clips are built or in which order, and the same
arguments give byte-identical files.
"""

from .classes import CSV_COLUMNS, ESC50_CLASSES, MAX_CLIPS_PER_CLASS, NB_FOLDS
from .dataset import build_synthetic_esc50, class_targets, source_folds
from .procedural import PROCEDURAL_CLASSES
from .recordings import collect_recordings, read_recordings, recordings_of

__all__ = ["CSV_COLUMNS", "ESC50_CLASSES", "MAX_CLIPS_PER_CLASS", "NB_FOLDS", "PROCEDURAL_CLASSES",
           "build_synthetic_esc50", "class_targets", "collect_recordings", "read_recordings", "recordings_of",
           "source_folds"]

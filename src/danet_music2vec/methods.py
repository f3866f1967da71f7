"""The study's separation methods and classifier conditions, in one place: the workflow's rules
(``rules/common.smk``), the separation stage, the metrics and the report all read them here.

* ``mixture``: no processing (the mixture is returned as music and as noise);
* ``clean_8khz``: the references themselves, a perfect separation, through the same 8 kHz path
  as every method's output: classified, as the ceiling of any method, never BSS-scored (its SDR
  is unbounded);
* ``oracle_ibm`` / ``oracle_irm``: ideal binary / ratio masks from the references, the ceiling
  of mask-based separation with the mixture phase;
* ``noisereduce``: spectral gating (the classic denoiser a user tries first);
* ``danet_original`` / ``danet``: a trained DANet, blind (no reference).
"""

from __future__ import annotations

SEPARATION_METHODS = ("mixture", "clean_8khz", "oracle_ibm", "oracle_irm", "noisereduce", "danet_original", "danet")
# The trained DANet setups (ours first), each a separation method of the same name.
DANET_MODELS = ("danet", "danet_original")
REFERENCE_METHOD = "clean_8khz"
BSS_METHODS = tuple(method for method in SEPARATION_METHODS if method != REFERENCE_METHOD)

# Classifier conditions: clean music at full band, and the unprocessed mixture (also a method).
CLEAN = "clean"
MIXTURE = "mixture"
# What a music2vec classifier may train on (config music2vec.classifiers[].training_conditions).
TRAINING_CONDITIONS = (CLEAN, MIXTURE)
# The columns every predictions table starts with (then prob_<genre> per genre, in the
# classifier's output order); snr_db is empty for clean music.
PREDICTION_COLUMNS = ("id", "music_id", "label", "snr_db", "predicted")

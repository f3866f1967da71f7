"""The study's separation methods and classifier conditions, in one place: the workflow's rules
(``rules/common.smk``), the separation stage, the metrics and the report all read them here.

* ``mixture``: no processing (the mixture is returned as music and as noise);
* ``clean_8khz``: the references themselves, a perfect separation, through the same 8 kHz path
  as every method's output: classified, as the ceiling of any method, never BSS-scored (its SDR
  is unbounded);
* ``oracle_ibm`` / ``oracle_irm``: ideal binary / ratio masks from the references, the ceiling
  of mask-based separation with the mixture phase;
* ``noisereduce``: spectral gating (the classic denoiser a user tries first);
* ``danet_original`` / ``danet``: a trained DANet, blind (no reference);
* ``*_oa`` / ``danet_al``: no-harm outputs, the method's output with the mixture added back by
  a weight fitted on validation mixtures (from the clip's blind SNR, or fixed);
* ``danet_fusion``: the classifier's posteriors on the mixture and on danet's output, weighted
  by the blind SNR (a classification condition only).
"""

from __future__ import annotations

# What the separate rule makes from each test mixture.
SEPARATION_METHODS = ("mixture", "clean_8khz", "oracle_ibm", "oracle_irm", "noisereduce", "danet_original", "danet")
# The trained DANet setups (ours first), each a separation method of the same name.
DANET_MODELS = ("danet", "danet_original")
REFERENCE_METHOD = "clean_8khz"
# No-harm outputs (danet_music2vec.inference.observation_adding), each from a separation method's
# output and the mixture: observation adding with a weight from the clip's blind SNR (_oa), or a
# fixed attenuation limit (_al). Method -> the separation method it starts from.
NO_HARM_METHODS = {"danet_oa": "danet", "danet_al": "danet", "danet_original_oa": "danet_original",
                   "noisereduce_oa": "noisereduce"}


def no_harm_curve(method: str) -> str:
    """The curve of its base's no-harm fit that a no-harm output reads: ``constant`` for an
    attenuation limit (``*_al``), ``logistic`` for observation adding."""
    if method not in NO_HARM_METHODS:
        raise ValueError(f"{method!r} is not a no-harm output; those are {', '.join(NO_HARM_METHODS)}")
    return "constant" if method.endswith("_al") else "logistic"


# Late fusion of the classifier's posteriors on the mixture and on a method's output: method -> that method.
FUSION_METHODS = {"danet_fusion": "danet"}
# Every folder of results/separation/<variant>/: the separations and the no-harm outputs.
OUTPUT_METHODS = SEPARATION_METHODS + tuple(NO_HARM_METHODS)
BSS_METHODS = tuple(method for method in OUTPUT_METHODS if method != REFERENCE_METHOD)
# Every condition the classifiers score, the fusions (predictions only) last.
CLASSIFIED_METHODS = OUTPUT_METHODS + tuple(FUSION_METHODS)
# The conditions the accuracy-against-SNR plot draws: the mixture, the raw and no-harm outputs,
# the ceiling of masks, and the classic denoiser.
ACCURACY_PLOT_METHODS = ("mixture", "noisereduce", "danet", "danet_oa", "danet_al", "danet_fusion", "oracle_irm")

# Classifier conditions: clean music at full band, and the unprocessed mixture (also a method).
CLEAN = "clean"
MIXTURE = "mixture"
# The DANet's (danet) music outputs of training and validation mixtures at several SNRs.
DENOISED = "denoised"
# What a music2vec classifier may train on (config music2vec.classifiers[].training_conditions).
TRAINING_CONDITIONS = (CLEAN, MIXTURE, DENOISED)
# The columns every predictions table starts with (then prob_<genre> per genre, in the
# classifier's output order); snr_db is empty for clean music.
PREDICTION_COLUMNS = ("id", "music_id", "label", "snr_db", "predicted")

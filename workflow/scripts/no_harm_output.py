"""A no-harm output of the test mixtures: a base method's separation with the mixture added back
by the weights fitted on the calibration set (an index only; the audio is the base method's)."""

from danet_music2vec.inference.no_harm import apply_weights, read_curve
from danet_music2vec.scripting import logged

with logged(snakemake.log[0]):
    curve = read_curve(snakemake.input.fit, snakemake.params.curve)
    index = apply_weights(snakemake.input.base, snakemake.input.features, curve, snakemake.output[0])
    print(f"{len(index)} mixtures, {snakemake.params.curve} curve {curve}")
    print(index.groupby("snr_db")["mix_weight"].describe().to_string())

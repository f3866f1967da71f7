"""data.mixing: mixture plans and SNR-controlled mixing."""

import numpy as np
import pandas as pd
import pytest

from danet_music2vec.data.mixing import MixingError, loop_to_length, measured_snr_db, mix_at_snr, plan_mixtures


def tables():
    music = pd.DataFrame({
        "clip_id": [f"blues.{i:05d}" for i in range(6)],
        "split": ["train", "train", "train", "valid", "test", "test"],
    })
    noise = pd.DataFrame({
        "clip_id": [f"{f}-1{i}-A-{t}" for i, (f, t) in enumerate([(1, 0), (1, 10), (2, 16), (4, 0), (4, 10), (5, 44), (5, 16)])],
        "split": ["train", "train", "train", "valid", "valid", "test", "test"],
        "label": ["dog", "rain", "wind", "dog", "rain", "engine", "wind"],
        "duration_s": 5.0,
    })
    return music, noise


@pytest.mark.parametrize("snr", [-10.0, -5.0, 0.0, 5.0, 10.0])
@pytest.mark.parametrize("n_noises", [1, 2])
def test_mixture_snr_is_within_0_1_db_of_the_request(snr, n_noises):
    rng = np.random.default_rng(3)
    music = rng.standard_normal(16000).astype(np.float32) * 0.1
    noises = [rng.standard_normal(n).astype(np.float32) * g for n, g in [(7000, 0.5), (40000, 0.01)][:n_noises]]
    mixed = mix_at_snr(music, noises, [123, 4567][:n_noises], snr)
    assert abs(measured_snr_db(mixed.music, mixed.noise) - snr) < 0.1
    np.testing.assert_allclose(mixed.mixture, mixed.music + mixed.noise, atol=1e-6)
    assert len(mixed.noise_gains) == n_noises


def test_two_noises_are_brought_to_equal_power_before_summing():
    rng = np.random.default_rng(4)
    loud, quiet = rng.standard_normal(8000), 0.001 * rng.standard_normal(8000)
    mixed = mix_at_snr(rng.standard_normal(8000).astype(np.float32), [loud, quiet], [0, 0], 0.0)
    contributions = [g * n for g, n in zip(mixed.noise_gains, (loud, quiet))]
    powers = [np.mean(c**2) for c in contributions]
    assert powers[0] == pytest.approx(powers[1], rel=1e-6)


def test_noise_is_looped_from_its_offset():
    looped = loop_to_length(np.arange(5.0), 12, 3)
    assert looped.tolist() == [3, 4, 0, 1, 2, 3, 4, 0, 1, 2, 3, 4]


def test_silent_music_or_noise_is_refused_naming_the_mixture():
    with pytest.raises(MixingError, match="blues.00001.*music is silent"):
        mix_at_snr(np.zeros(100, np.float32), [np.ones(50)], [0], 0.0, name="blues.00001")
    with pytest.raises(MixingError, match="noise clip is silent"):
        mix_at_snr(np.ones(100, np.float32), [np.zeros(50)], [0], 0.0)


def test_plan_is_deterministic_and_pairs_music_with_noise_of_the_same_split():
    music, noise = tables()
    kwargs = dict(n_noises=2, snr_db_by_split={"train": [0], "valid": [0], "test": [-5, 5]}, seed=11)
    plan = plan_mixtures(music, noise, **kwargs)
    pd.testing.assert_frame_equal(plan, plan_mixtures(music, noise, **kwargs))
    assert not plan.equals(plan_mixtures(music, noise, **{**kwargs, "seed": 12}))
    noise_split = dict(zip(noise["clip_id"], noise["split"]))
    for row in plan.itertuples():
        ids = row.noise_ids.split(";")
        assert len(set(ids)) == 2
        assert {noise_split[i] for i in ids} == {row.split}
    assert len(plan) == 4 + 2 * 2  # test clips appear once per test SNR


def test_plan_row_does_not_depend_on_the_other_clips():
    music, noise = tables()
    kwargs = dict(n_noises=1, snr_db_by_split={s: [0] for s in ("train", "valid", "test")}, seed=5)
    full = plan_mixtures(music, noise, **kwargs).set_index("music_id")
    alone = plan_mixtures(music.iloc[[4]], noise, **kwargs).set_index("music_id")
    pd.testing.assert_series_equal(full.loc["blues.00004"], alone.loc["blues.00004"])


def test_sweep_snrs_share_noises_and_offsets():
    music, noise = tables()
    plan = plan_mixtures(music, noise, n_noises=1, snr_db_by_split={"train": [0], "valid": [0], "test": [-10, 10]}, seed=1)
    test = plan.loc[plan["music_id"] == "blues.00005"]
    assert test["noise_ids"].nunique() == 1 and test["noise_offsets_s"].nunique() == 1


def test_plan_fails_clearly_when_a_split_has_too_few_noise_clips():
    music, noise = tables()
    with pytest.raises(MixingError, match="split 'valid' has 2 usable noise clips; 3 are needed"):
        plan_mixtures(music, noise, n_noises=3, snr_db_by_split={s: [0] for s in ("train", "valid", "test")}, seed=1)


def test_noise_offsets_fall_inside_the_active_part_of_silence_padded_clips():
    music, noise = tables()
    # Events between 3.0 s and 3.5 s of 5 s clips, digital silence elsewhere (as in ESC-50).
    noise["active_start_s"], noise["active_end_s"] = 3.0, 3.5
    plan = plan_mixtures(music, noise, n_noises=2, snr_db_by_split={s: [0] for s in ("train", "valid", "test")}, seed=5)
    offsets = [float(o) for row in plan["noise_offsets_s"] for o in row.split(";")]
    assert len(offsets) == 2 * len(music)
    assert all(3.0 <= o < 3.5 for o in offsets)

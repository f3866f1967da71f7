"""data.mixing: mixture plans (seen and unseen noise classes among them) and SNR-controlled mixing."""

import numpy as np
import pandas as pd
import pytest

from danet_music2vec.data.mixing import (
    PLAN_COLUMNS, MixingError, loop_to_length, measured_snr_db, mix_at_snr, plan_mixture_set, plan_mixtures,
)


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
    with pytest.raises(MixingError, match="split 'valid' has 2 usable seen-class noise clips; 3 are needed per mixture"):
        plan_mixtures(music, noise, n_noises=3, snr_db_by_split={s: [0] for s in ("train", "valid", "test")}, seed=1)
    # Held-out classes count on their own: two unseen clips cannot make a mixture of three.
    music, noise = heldout_tables(n_test_music=4)
    with pytest.raises(MixingError, match="split 'test' has 3 usable unseen-class noise clips; 4 are needed"):
        plan_mixtures(music, noise, n_noises=4, snr_db_by_split={"test": [0]}, seed=1)


def test_noise_offsets_fall_inside_the_active_part_of_silence_padded_clips():
    music, noise = tables()
    # Events between 3.0 s and 3.5 s of 5 s clips, digital silence elsewhere (as in ESC-50).
    noise["active_start_s"], noise["active_end_s"] = 3.0, 3.5
    plan = plan_mixtures(music, noise, n_noises=2, snr_db_by_split={s: [0] for s in ("train", "valid", "test")}, seed=5)
    offsets = [float(o) for row in plan["noise_offsets_s"] for o in row.split(";")]
    assert len(offsets) == 2 * len(music)
    assert all(3.0 <= o < 3.5 for o in offsets)


# --------------------------------------------------------------------------- seen and unseen noise classes


def heldout_tables(n_test_music: int = 400) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Music of every split; noise as split_noise gives it: seen classes in every split, held-out
    classes (``heldout``) in validation (pig) and test (cow, frog, owl)."""
    music = pd.DataFrame({
        "clip_id": [f"train.{i:05d}" for i in range(6)] + [f"valid.{i:05d}" for i in range(20)]
                   + [f"test.{i:05d}" for i in range(n_test_music)],
        "split": ["train"] * 6 + ["valid"] * 20 + ["test"] * n_test_music,
    })
    rows = []
    for split, labels in (("train", ["dog", "rain", "wind"]), ("valid", ["dog", "rain", "wind", "pig"]),
                          ("test", ["dog", "rain", "wind", "cow", "frog", "owl"])):
        for label in labels:
            for take in range(2 if label == "owl" else 3):  # cow, frog 3 clips, owl 2: 8 unseen test clips
                rows.append({"clip_id": f"{split}-{label}-{take}", "split": split, "label": label,
                             "duration_s": 5.0, "heldout": label in ("pig", "cow", "frog", "owl")})
    noise = pd.DataFrame(rows)
    if n_test_music < 100:  # few unseen test clips: cow 1, frog 1, owl 1 (for the too-few check)
        noise = noise[~(noise["label"].isin(["cow", "frog", "owl"]) & ~noise["clip_id"].str.endswith("-0"))]
    return music, noise.reset_index(drop=True)


SNRS = {"train": [0], "valid": [0], "test": [-10, 0, 10]}


@pytest.mark.parametrize("n_noises", [1, 2])
def test_about_unseen_share_of_the_test_mixtures_draw_held_out_classes_reproducibly(n_noises):
    music, noise = heldout_tables()
    plan = plan_mixtures(music, noise, n_noises=n_noises, snr_db_by_split=SNRS, seed=3, unseen_share=0.5)
    pd.testing.assert_frame_equal(plan, plan_mixtures(music, noise, n_noises=n_noises, snr_db_by_split=SNRS,
                                                      seed=3, unseen_share=0.5))
    assert list(plan.columns) == PLAN_COLUMNS
    per_clip = plan.groupby("music_id")["noise_classes"]
    assert per_clip.nunique().eq(1).all()  # every SNR of a clip has the same noises, so the same kind
    test = per_clip.first()[lambda kinds: kinds.index.str.startswith("test.")]
    share = (test == "unseen").mean()
    # 400 clips, each unseen with probability 0.5: a standard deviation of 0.025
    assert 0.4 < share < 0.6, share
    # Training has only seen classes; validation both kinds.
    assert (plan.loc[plan["split"] == "train", "noise_classes"] == "seen").all()
    assert set(plan.loc[plan["split"] == "valid", "noise_classes"]) == {"seen", "unseen"}
    other = plan_mixtures(music, noise, n_noises=n_noises, snr_db_by_split=SNRS, seed=4, unseen_share=0.5)
    assert not other["noise_classes"].equals(plan["noise_classes"])


def test_a_mixture_draws_all_its_noises_from_one_kind_of_class_and_says_which():
    music, noise = heldout_tables()
    heldout = dict(zip(noise["clip_id"], noise["heldout"]))
    plan = plan_mixtures(music, noise, n_noises=2, snr_db_by_split=SNRS, seed=11, unseen_share=0.5)
    for row in plan.itertuples():
        kinds = {heldout[i] for i in row.noise_ids.split(";")}
        assert len(kinds) == 1, row  # never a seen and an unseen class in one noise2 mixture
        assert row.noise_classes == ("unseen" if kinds.pop() else "seen")


def test_unseen_share_zero_and_one_and_a_split_of_one_kind():
    music, noise = heldout_tables(n_test_music=40)
    none = plan_mixtures(music, noise, n_noises=1, snr_db_by_split=SNRS, seed=2, unseen_share=0.0)
    assert (none["noise_classes"] == "seen").all()
    every = plan_mixtures(music, noise, n_noises=1, snr_db_by_split=SNRS, seed=2, unseen_share=1.0)
    assert (every.loc[every["split"] != "train", "noise_classes"] == "unseen").all()
    assert (every.loc[every["split"] == "train", "noise_classes"] == "seen").all()
    # Validation noise of held-out classes only: every validation mixture is unseen, whatever the share.
    only_heldout = noise[(noise["split"] != "valid") | noise["heldout"]]
    plan = plan_mixtures(music, only_heldout, n_noises=1, snr_db_by_split=SNRS, seed=2, unseen_share=0.0)
    assert (plan.loc[plan["split"] == "valid", "noise_classes"] == "unseen").all()
    # Without a heldout column (noise tables of older runs) every mixture is seen.
    plain = plan_mixtures(music, noise.drop(columns="heldout"), n_noises=1, snr_db_by_split=SNRS, seed=2)
    assert (plain["noise_classes"] == "seen").all()


# --------------------------------------------------------------------------- extra mixture sets (no-harm stage)


def mixture_set(music, noise, **changes) -> pd.DataFrame:
    """The calibration set as rules/common.smk's mixture_set plans it: validation music at other SNRs."""
    kwargs = dict(name="calibration", source_split="valid", snr_db=[-10.0, 0.0, 10.0], max_clips=5, n_noises=2,
                  seed=7, unseen_share=0.5)
    return plan_mixture_set(music, noise, **{**kwargs, **changes})


def test_a_mixture_set_is_a_seeded_subset_of_its_source_splits_clips_once_per_snr():
    music, noise = heldout_tables(n_test_music=40)
    plan = mixture_set(music, noise)
    pd.testing.assert_frame_equal(plan, mixture_set(music, noise))
    assert list(plan.columns) == PLAN_COLUMNS
    valid = set(music.loc[music["split"] == "valid", "clip_id"])
    assert plan["music_id"].nunique() == 5 and set(plan["music_id"]) <= valid
    # every chosen clip once at each SNR of the set, named as plan_mixtures names mixtures
    per_clip = plan.groupby("music_id")["snr_db"].agg(list)
    assert per_clip.tolist() == [[-10.0, 0.0, 10.0]] * 5
    assert len(plan) == 5 * 3 and plan["mix_id"].is_unique
    assert (plan["mix_id"] == plan["music_id"] + "+snr" + plan["snr_db"].map("{:g}".format)).all()
    # the set's name, not its source split, is the split column
    assert (plan["split"] == "calibration").all()
    # another seed draws another subset (the draw is seeded, not the first clips)
    subsets = {frozenset(mixture_set(music, noise, seed=seed)["music_id"]) for seed in range(6)}
    assert len(subsets) > 1
    # the denoiser-training set: training music, under its own name
    train = mixture_set(music, noise, name="denoiser_train", source_split="train", max_clips=4)
    assert set(train["music_id"]) <= set(music.loc[music["split"] == "train", "clip_id"])
    assert train["music_id"].nunique() == 4 and (train["split"] == "denoiser_train").all()


def test_a_mixture_set_keeps_each_clips_noises_and_offsets_from_its_split_plan():
    music, noise = heldout_tables(n_test_music=40)
    plan = mixture_set(music, noise)
    own = plan_mixtures(music, noise, n_noises=2, snr_db_by_split={"valid": [0.0]}, seed=7,
                        unseen_share=0.5).set_index("music_id")
    for music_id, rows in plan.groupby("music_id"):
        for column in ("noise_ids", "noise_offsets_s", "noise_classes"):
            assert set(rows[column]) == {own.loc[music_id, column]}, (music_id, column)


def test_a_mixture_set_of_max_clips_zero_or_more_than_there_are_takes_every_clip():
    music, noise = heldout_tables(n_test_music=40)
    valid = sorted(music.loc[music["split"] == "valid", "clip_id"])
    for max_clips in (0, len(valid), len(valid) + 5):
        plan = mixture_set(music, noise, max_clips=max_clips)
        assert sorted(plan["music_id"].unique()) == valid, max_clips
        assert len(plan) == 3 * len(valid)

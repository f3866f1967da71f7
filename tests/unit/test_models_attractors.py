"""models.attractors: attractor and mask arithmetic against hand-computed cases, k-means labelling,
batch attractors, the stored attractors and masks of fixed embeddings, and the hidden-state path
(member sums, attractors and music masks without the embeddings) equal to the embedding path."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from danet_music2vec.models.attractors import (
    active_bins, attractors_from_mask, attractors_from_sums, batch_attractors, ideal_binary_mask, kmeans_attractors,
    label_by_reference, masks_from_attractors, member_sums, music_mask_from_hidden,
)
from danet_music2vec.models.danet import MUSIC, NOISE


def test_attractors_and_masks_match_a_hand_computed_case():
    # One item, one frame, three bins, K = 2. Bins 0 and 1 belong to music, bin 2 to noise.
    embeddings = torch.tensor([[[[1.0, 0.0], [3.0, 0.0], [0.0, 2.0]]]])
    assignment = torch.tensor([[[[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]]]])
    weight = torch.ones(1, 1, 3)
    attractors = attractors_from_mask(embeddings, assignment, weight)
    torch.testing.assert_close(attractors, torch.tensor([[[2.0, 0.0], [0.0, 2.0]]]))
    # Leaving bin 1 out moves the music attractor to bin 0's embedding.
    attractors_weighted = attractors_from_mask(embeddings, assignment, torch.tensor([[[1.0, 0.0, 1.0]]]))
    torch.testing.assert_close(attractors_weighted, torch.tensor([[[1.0, 0.0], [0.0, 2.0]]]))
    masks = masks_from_attractors(embeddings, attractors)
    # Bin 0: scores (2, 0) -> softmax e^2 / (e^2 + 1); bin 2: scores (0, 4).
    expected_bin0 = np.exp(2) / (np.exp(2) + 1)
    expected_bin2 = 1 / (1 + np.exp(4))
    assert masks[0, 0, 0, MUSIC].item() == pytest.approx(expected_bin0, rel=1e-6)
    assert masks[0, 0, 2, MUSIC].item() == pytest.approx(expected_bin2, rel=1e-6)


def test_masks_sum_to_one_over_sources():
    torch.manual_seed(0)
    embeddings = torch.randn(3, 7, 129, 20)
    masks = masks_from_attractors(embeddings, torch.randn(3, 2, 20))
    torch.testing.assert_close(masks.sum(-1), torch.ones(3, 7, 129))
    assert (masks >= 0).all()


def test_ideal_binary_mask_and_active_bins():
    sources = torch.tensor([[[[2.0, 1.0], [0.5, 3.0]]]])
    assert ideal_binary_mask(sources).tolist() == [[[[1.0, 0.0], [0.0, 1.0]]]]
    # A tie goes to the first source (music), as argmax gives it, for two sources and for more.
    tied = torch.tensor([[[[1.0, 1.0], [0.0, 0.0]]]])
    assert ideal_binary_mask(tied).tolist() == [[[[1.0, 0.0], [1.0, 0.0]]]]
    three = torch.tensor([[[[1.0, 2.0, 2.0], [3.0, 1.0, 3.0]]]])
    assert ideal_binary_mask(three).tolist() == [[[[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]]]]
    torch.manual_seed(0)
    random = torch.rand(2, 5, 7, 2).round(decimals=1)  # many ties
    expected = torch.nn.functional.one_hot(random.argmax(-1), 2).float()
    torch.testing.assert_close(ideal_binary_mask(random), expected, rtol=0, atol=0)
    mix = torch.tensor([[[1.0, 0.011, 0.009]]])  # 40 dB below 1.0 is 0.01
    assert active_bins(mix, 40.0).tolist() == [[[1.0, 1.0, 0.0]]]


def test_kmeans_labels_clusters_by_the_training_attractors_whatever_their_order():
    rng = np.random.default_rng(0)
    music_centre, noise_centre = np.array([3.0, 0.0]), np.array([0.0, 3.0])
    points = np.concatenate([music_centre + 0.3 * rng.standard_normal((60, 2)),
                             noise_centre + 0.3 * rng.standard_normal((40, 2))])
    reference = torch.tensor([[2.0, 0.5], [0.5, 2.0]])
    for order in (np.arange(100), rng.permutation(100)):
        embeddings = torch.tensor(points[order], dtype=torch.float32).reshape(1, 1, 100, 2)
        found = kmeans_attractors(embeddings, torch.ones(1, 1, 100), reference)[0]
        torch.testing.assert_close(found[MUSIC], torch.tensor(music_centre, dtype=torch.float32), atol=0.15, rtol=0)
        torch.testing.assert_close(found[NOISE], torch.tensor(noise_centre, dtype=torch.float32), atol=0.15, rtol=0)
    # The labels follow the reference: with the roles of the reference swapped, so are the clusters'.
    embeddings = torch.tensor(points, dtype=torch.float32).reshape(1, 1, 100, 2)
    found = kmeans_attractors(embeddings, torch.ones(1, 1, 100), reference.flip(0))[0]
    assert found[MUSIC, 1] > 2.5 and found[NOISE, 0] > 2.5


def test_batch_attractors_pool_the_segments_bins():
    embeddings = torch.tensor([[[[1.0, 0.0], [0.0, 1.0]]], [[[3.0, 0.0], [0.0, 5.0]]]])  # (2 segments, 1, 2, 2)
    assignment = torch.tensor([[[[1.0, 0.0], [0.0, 1.0]]], [[[1.0, 0.0], [1.0, 0.0]]]])
    weight = torch.ones(2, 1, 2)
    shared = batch_attractors(embeddings, assignment, weight)
    # music: bins (1,0), (3,0), (0,5) -> mean (4/3, 5/3); noise: the one bin (0,1)
    torch.testing.assert_close(shared, torch.tensor([[4 / 3, 5 / 3], [0.0, 1.0]]))
    # A batch of one segment shares that segment's own attractors.
    torch.testing.assert_close(batch_attractors(embeddings[:1], assignment[:1], weight[:1]),
                               attractors_from_mask(embeddings[:1], assignment[:1], weight[:1])[0])


def test_a_source_without_bins_gets_the_zero_attractor_and_an_empty_cluster_keeps_its_centre():
    embeddings = torch.tensor([[[[1.0, 2.0], [3.0, 4.0]]]])  # (1, 1, 2 bins, K = 2): both bins music
    assignment = torch.tensor([[[[1.0, 0.0], [1.0, 0.0]]]])
    attractors = attractors_from_mask(embeddings, assignment, torch.ones(1, 1, 2))
    torch.testing.assert_close(attractors, torch.tensor([[[2.0, 3.0], [0.0, 0.0]]]))
    # k-means from a reference whose noise centre no point is near: that centre stays where it was.
    reference = torch.tensor([[2.0, 3.0], [50.0, 50.0]])
    found = kmeans_attractors(embeddings, torch.ones(1, 1, 2), reference)[0]
    torch.testing.assert_close(found, torch.tensor([[2.0, 3.0], [50.0, 50.0]]))


def test_label_by_reference_swaps_only_when_the_crossed_pairing_is_nearer():
    reference = torch.tensor([[1.0, 0.0], [0.0, 1.0]])
    centres = torch.tensor([[[0.1, 0.9], [0.9, 0.1]], [[0.9, 0.1], [0.1, 0.9]]])  # item 0 crossed, item 1 not
    labelled = label_by_reference(centres, reference)
    torch.testing.assert_close(labelled[0], centres[0].flip(0))
    torch.testing.assert_close(labelled[1], centres[1])


# --------------------------------------------------------------------------- regression vector


def test_attractors_and_masks_of_fixed_embeddings_match_the_stored_vectors():
    from regression import vectors

    stored = vectors.load(vectors.DANET_FILE)
    outputs = vectors.attractor_outputs(stored["embeddings"], stored)
    for name in ("oracle_attractors", "kmeans_attractors", "oracle_masks", "kmeans_masks", "fixed_masks"):
        assert outputs[name].shape == stored[name].shape, name
        vectors.assert_close(outputs[name], stored[name], f"models.attractors: {name}")
    for name in ("oracle_masks", "kmeans_masks", "fixed_masks"):
        np.testing.assert_allclose(outputs[name].sum(-1), 1.0, rtol=0, atol=1e-6)


# --------------------------------------------------------------------------- from hidden states


def linear_embeddings(seed: int = 0, batch: int = 3, frames: int = 11, bins: int = 9, k: int = 4, width: int = 6):
    """Hidden states, an embedding layer (bins, K, H) + (bins, K) and the embeddings it gives."""
    generator = torch.Generator().manual_seed(seed)
    hidden = torch.randn(batch, frames, width, generator=generator, dtype=torch.float64)
    weight = torch.randn(bins, k, width, generator=generator, dtype=torch.float64)
    bias = torch.randn(bins, k, generator=generator, dtype=torch.float64)
    embeddings = torch.einsum("bth,fkh->btfk", hidden, weight) + bias
    return hidden, weight, bias, embeddings


def test_attractors_from_hidden_sums_equal_the_attractors_of_the_embeddings():
    hidden, weight, bias, embeddings = linear_embeddings()
    generator = torch.Generator().manual_seed(1)
    sources = torch.rand(*embeddings.shape[:3], 2, generator=generator, dtype=torch.float64)
    assignment = ideal_binary_mask(sources)
    active = (torch.rand(*embeddings.shape[:3], generator=generator) > 0.3).double()
    sums, counts = member_sums(hidden, assignment * active.unsqueeze(-1))
    assert sums.shape == (3, 2, 9, 6) and counts.shape == (3, 2, 9)
    torch.testing.assert_close(attractors_from_sums(sums, counts, weight, bias),
                               attractors_from_mask(embeddings, assignment, active), rtol=1e-12, atol=1e-12)
    torch.testing.assert_close(attractors_from_sums(sums, counts, weight, bias, pooled=True),
                               batch_attractors(embeddings, assignment, active), rtol=1e-12, atol=1e-12)
    # A source without a weighted bin gets the zero attractor, as attractors_from_mask gives it.
    only_music = torch.stack([torch.ones_like(active), torch.zeros_like(active)], dim=-1)
    sums, counts = member_sums(hidden, only_music)
    torch.testing.assert_close(attractors_from_sums(sums, counts, weight, bias)[:, 1], torch.zeros(3, 4, dtype=torch.float64))


def test_the_music_mask_from_hidden_states_is_the_softmax_mask_of_the_embeddings():
    hidden, weight, bias, embeddings = linear_embeddings(seed=2)
    generator = torch.Generator().manual_seed(3)
    per_item = torch.randn(3, 2, 4, generator=generator, dtype=torch.float64)
    shared = torch.randn(2, 4, generator=generator, dtype=torch.float64)
    for attractors in (per_item, shared):
        music = music_mask_from_hidden(hidden, attractors, weight, bias)
        assert music.shape == (3, 11, 9)
        torch.testing.assert_close(music, masks_from_attractors(embeddings, attractors)[..., MUSIC], rtol=1e-10,
                                   atol=1e-12)


def test_the_hidden_state_path_reproduces_the_stored_attractors_and_masks():
    """The stored vectors come from the embedding path; the hidden-state path must give the same numbers."""
    from regression import vectors

    stored = vectors.load(vectors.DANET_FILE)
    model = vectors.danet_model(stored)
    mix = torch.from_numpy(stored["mix_magnitude"])
    sources = torch.from_numpy(stored["source_magnitudes"])
    with torch.no_grad():
        hidden = model.hidden(mix)
        layer = model.embedding_layer()
        member = ideal_binary_mask(sources) * active_bins(mix, vectors.DANET_THRESHOLD_DB).unsqueeze(-1)
        oracle = attractors_from_sums(*member_sums(hidden, member), *layer)
        vectors.assert_close(oracle.numpy(), stored["oracle_attractors"], "attractors_from_sums (oracle)")
        music = music_mask_from_hidden(hidden, oracle, *layer)
        vectors.assert_close(music.numpy(), stored["oracle_masks"][..., MUSIC], "music_mask_from_hidden (oracle)")
        fixed = music_mask_from_hidden(hidden, model.fixed_attractors, *layer)
        vectors.assert_close(fixed.numpy(), stored["fixed_masks"][..., MUSIC], "music_mask_from_hidden (fixed)")

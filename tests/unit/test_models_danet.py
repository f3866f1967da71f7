"""models.danet: the network learns, its model file is self-describing and refused when foreign, the
embeddings of fixed weights on a fixed input are the stored ones, and its hidden states and embedding
layer give those embeddings."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch

from danet_music2vec.models.attractors import active_bins, attractors_from_mask, ideal_binary_mask, masks_from_attractors
from danet_music2vec.models.danet import LOG_EPS, DANet, DanetConfig, load_danet, log_magnitude
from danet_music2vec.training.losses import separation_loss


def test_a_tiny_model_overfits_one_batch():
    torch.manual_seed(0)
    model = DANet(DanetConfig(n_bins=17, layers=1, units=16, embedding_dim=4))
    rng = np.random.default_rng(1)
    music = torch.tensor(rng.random((4, 12, 17)) * (rng.random((1, 1, 17)) > 0.5), dtype=torch.float32)
    noise = torch.tensor(rng.random((4, 12, 17)) * 0.3, dtype=torch.float32)
    sources = torch.stack([music, noise], dim=-1)
    mix = music + noise
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    losses = []
    for _ in range(300):
        embeddings = model(mix)
        attractors = attractors_from_mask(embeddings, ideal_binary_mask(sources), active_bins(mix, 40.0))
        loss = separation_loss(masks_from_attractors(embeddings, attractors), mix, sources, "magnitude")
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    assert losses[-1] < losses[0] / 10


def test_missing_or_foreign_model_file_fails_naming_it(tmp_path):
    with pytest.raises(FileNotFoundError, match="nowhere.pt"):
        load_danet(tmp_path / "nowhere.pt")
    torch.save({"weights": torch.zeros(3)}, tmp_path / "foreign.pt")
    with pytest.raises(ValueError, match="foreign.pt: not a DANet model file"):
        load_danet(tmp_path / "foreign.pt")


def test_a_model_file_rebuilds_the_same_network_with_its_statistics_and_attractors(tmp_path):
    torch.manual_seed(1)
    model = DANet(DanetConfig(n_bins=9, layers=2, units=6, embedding_dim=3)).eval()
    model.input_mean.fill_(-2.0)
    model.input_std.fill_(0.5)
    model.fixed_attractors.copy_(torch.arange(6.0).reshape(2, 3))
    torch.save(model.state(), tmp_path / "model.pt")
    loaded = load_danet(tmp_path / "model.pt")
    assert loaded.config == model.config and not loaded.training
    for key, value in model.state_dict().items():
        torch.testing.assert_close(loaded.state_dict()[key], value, rtol=0, atol=0, msg=key)
    mix = torch.rand(2, 5, 9)
    torch.testing.assert_close(loaded(mix), model(mix), rtol=0, atol=0)
    assert loaded(mix).shape == (2, 5, 9, 3)


def test_the_input_is_the_log_magnitude_normalised_by_the_stored_statistics():
    torch.manual_seed(2)
    model = DANet(DanetConfig(n_bins=5, layers=1, units=4, embedding_dim=2)).eval()
    mix = torch.rand(1, 3, 5)
    before = model(mix)
    # Shifting the stored mean by log(2) is the same as dividing the mixture by 2.
    model.input_mean.fill_(float(np.log(2.0)))
    torch.testing.assert_close(model(mix * 2.0 + LOG_EPS), before, rtol=1e-4, atol=1e-5)
    torch.testing.assert_close(log_magnitude(torch.zeros(1)), torch.log(torch.tensor([LOG_EPS])))


# --------------------------------------------------------------------------- regression vector


def test_embeddings_of_fixed_weights_on_a_fixed_input_match_the_stored_vector():
    from regression import vectors

    stored = vectors.load(vectors.DANET_FILE)
    assert str(stored["config"]) == json.dumps(vectors.DANET_CONFIG, sort_keys=True)
    model = vectors.danet_model(stored)  # the stored state_dict loads strictly: same names and shapes
    assert sorted(model.state_dict()) == sorted(k.removeprefix("state.") for k in stored if k.startswith("state."))
    embeddings = vectors.danet_embeddings(stored)
    frames, bins, k = vectors.DANET_FRAMES, vectors.DANET_CONFIG["n_bins"], vectors.DANET_CONFIG["embedding_dim"]
    assert embeddings.shape == stored["embeddings"].shape == (1, frames, bins, k)
    vectors.assert_close(embeddings, stored["embeddings"], "models.danet.DANet embeddings")



def test_the_hidden_states_and_the_embedding_layer_give_the_embeddings():
    from regression import vectors

    stored = vectors.load(vectors.DANET_FILE)
    model = vectors.danet_model(stored)
    mix = torch.from_numpy(stored["mix_magnitude"])
    with torch.no_grad():
        hidden = model.hidden(mix)
        weight, bias = model.embedding_layer()
    config = vectors.DANET_CONFIG
    assert hidden.shape == (1, vectors.DANET_FRAMES, 2 * config["units"])
    assert weight.shape == (config["n_bins"], config["embedding_dim"], 2 * config["units"])
    assert bias.shape == (config["n_bins"], config["embedding_dim"])
    # V[t, f] = W[f] h[t] + b[f]: the stored embeddings of the forward pass.
    embeddings = torch.einsum("bth,fkh->btfk", hidden, weight) + bias
    vectors.assert_close(embeddings.detach().numpy(), stored["embeddings"], "hidden states x embedding layer")
    # The layer is a view of the model's own parameters: gradients reach them.
    assert weight.data_ptr() == model.embed.weight.data_ptr() and bias.data_ptr() == model.embed.bias.data_ptr()

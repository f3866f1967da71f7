"""training.checkpoints: the fingerprint of a run, checkpoints written atomically and resumed only
when readable and made for the same run, discarded once the run is finished, the device a training
runs on."""

from __future__ import annotations

import pytest
import torch

from danet_music2vec.training.checkpoints import (
    discard_checkpoint, load_checkpoint, run_fingerprint, save_state, training_device,
)


def test_the_fingerprint_changes_with_any_part_and_only_with_them():
    parts = ('{"learning_rate": 0.001, "seed": 0}', "config-hash-train", "config-hash-valid")
    stamp = run_fingerprint(*parts)
    assert len(stamp) == 16 and int(stamp, 16) >= 0
    assert run_fingerprint(*parts) == stamp
    for i in range(len(parts)):
        changed = list(parts)
        changed[i] += " "
        assert run_fingerprint(*changed) != stamp, i
    assert run_fingerprint(*parts[:2]) != stamp  # a part left out
    assert run_fingerprint(parts[1], parts[0], parts[2]) != stamp  # the order counts
    assert run_fingerprint("abc") == "ba7816bf8f01cfea"  # sha256("abc"), the first 16 hex digits


def test_a_checkpoint_is_resumed_only_when_made_for_the_same_run(tmp_path, capsys):
    path = tmp_path / "checkpoint.pt"
    assert load_checkpoint(path, "a") is None and capsys.readouterr().out == ""  # none yet: nothing to say
    save_state(path, {"fingerprint": "a", "model": {"w": torch.ones(2)}, "history": [{"epoch": 1}]})
    assert [p.name for p in tmp_path.iterdir()] == ["checkpoint.pt"]  # no temporary left
    state = load_checkpoint(path, "a")
    assert state["history"] == [{"epoch": 1}] and torch.equal(state["model"]["w"], torch.ones(2))
    assert load_checkpoint(path, "b") is None
    assert f"ignoring checkpoint {path}: made for other settings or inputs" in capsys.readouterr().out


@pytest.mark.parametrize("damage", ["truncated", "junk", "empty"])
def test_an_unreadable_checkpoint_is_ignored_with_a_message(tmp_path, capsys, damage):
    path = tmp_path / "checkpoint.pt"
    save_state(path, {"fingerprint": "a", "model": {"w": torch.arange(1000.0)}})
    data = path.read_bytes()
    path.write_bytes({"truncated": data[: len(data) // 2], "junk": b"not a checkpoint", "empty": b""}[damage])
    assert load_checkpoint(path, "a") is None
    assert f"ignoring unreadable checkpoint {path}:" in capsys.readouterr().out


def test_a_checkpoint_holding_an_arbitrary_object_is_not_unpickled(tmp_path, capsys):
    path = tmp_path / "checkpoint.pt"
    torch.save({"fingerprint": "a", "model": Exception("not a tensor")}, path)
    assert load_checkpoint(path, "a") is None
    assert "ignoring unreadable checkpoint" in capsys.readouterr().out


def test_the_training_device_is_said_in_the_log(capsys):
    assert training_device("cpu") == torch.device("cpu")
    assert capsys.readouterr().out == "training on cpu\n"
    expected = "cuda" if torch.cuda.is_available() else "cpu"
    assert training_device().type == expected


def test_a_finished_runs_checkpoint_file_or_folder_is_discarded_and_nothing_else(tmp_path):
    save_state(tmp_path / "checkpoint.pt", {"history": []})
    heads = tmp_path / "checkpoint_heads"
    heads.mkdir()
    save_state(heads / "head0.pt", {"history": []})
    (heads / "head0_model.pt").write_bytes(b"model")
    (tmp_path / "model.pt").write_bytes(b"kept")
    discard_checkpoint(tmp_path / "checkpoint.pt")
    discard_checkpoint(heads)  # an ensemble's folder of heads, whole
    discard_checkpoint(tmp_path / "never_written.pt")  # nothing there: nothing to do
    assert [p.name for p in tmp_path.iterdir()] == ["model.pt"]


def test_the_temporaries_a_killed_write_left_are_removed_before_resuming_and_nothing_else(tmp_path, capsys):
    path = tmp_path / "danet_noise1.pt"
    save_state(path, {"fingerprint": "a", "history": [{"epoch": 1}]})
    # what SIGKILL during save_state leaves: atomic_path's temporary, a file or a folder
    left = [tmp_path / ".danet_noise1.pt.wr_5uoyu.tmp", tmp_path / ".danet_noise1.pt.k2j_a.tmp"]
    left[0].write_bytes(b"half a checkpoint")
    left[1].mkdir()
    other = [tmp_path / ".danet_noise2.pt.x1.tmp", tmp_path / "danet_noise1.pt.tmp"]  # another's, not a temporary
    for path_ in other:
        path_.write_bytes(b"x")
    assert load_checkpoint(path, "a")["history"] == [{"epoch": 1}]
    assert not any(p.exists() for p in left) and all(p.exists() for p in other)
    out = capsys.readouterr().out
    assert all(f"removed {p}, left by a killed write of the checkpoint" in out for p in left)

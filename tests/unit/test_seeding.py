"""seeding: derived seeds depend on names, never on positions or on the process.

The hard-coded values pin them: a change means every seeded choice of the pipeline (k-means
subsamples, ensemble members, epochs) changed, so the numbers of a rerun would too."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import torch

from danet_music2vec.seeding import clip_seed, member_seed, seed_torch, stable_hash

IDS = ("blues.00000+snr0", "a+snr0", "a+snr5", "")
IN_ANOTHER_PROCESS = """
import json, sys
from danet_music2vec.seeding import clip_seed, member_seed, stable_hash
ids = json.loads(sys.argv[1])
print(json.dumps({"hash": [stable_hash(i) for i in ids], "builtin": [hash(i) for i in ids],
                  "clip": [clip_seed(3, i) for i in ids], "member": [member_seed(3, k) for k in range(3)]}))
"""


def values_in_a_process(hash_seed: str) -> dict:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    out = subprocess.run([sys.executable, "-c", IN_ANOTHER_PROCESS, json.dumps(IDS)], env=env, check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out)


def test_stable_hash_is_crc32_of_the_utf8_text():
    assert stable_hash("blues.00000+snr0") == 1990927355
    assert stable_hash("") == 0
    assert stable_hash("é") == 235179326  # UTF-8, not the platform's encoding


def test_clip_seed_differs_per_id_and_per_seed_and_has_its_pinned_values():
    assert clip_seed(3, "a+snr0") == 247667581
    assert clip_seed(3, "a+snr5") == 30875602  # another SNR of the same music: another subsample
    assert clip_seed(4, "a+snr0") == 695692718  # another config seed
    assert clip_seed(0, "blues.00000+snr0") == 1105438439
    seeds = {clip_seed(3, f"clip.{i:05d}+snr0") for i in range(1000)}
    assert len(seeds) == 1000 and all(0 <= s < 2**31 for s in seeds)


def test_member_seed_keeps_the_first_members_seed_and_derives_the_others():
    assert [member_seed(3, k) for k in range(4)] == [3, 2100730120, 1813248281, 677071331]


def test_seeds_are_the_same_in_every_process_whatever_its_hash_seed():
    first, second = values_in_a_process("1"), values_in_a_process("2")
    assert first["builtin"] != second["builtin"]  # what stable_hash must not depend on
    for values in (first, second):
        assert values["hash"] == [stable_hash(i) for i in IDS]
        assert values["clip"] == [clip_seed(3, i) for i in IDS]
        assert values["member"] == [member_seed(3, k) for k in range(3)]


def test_seed_torch_gives_each_epoch_its_own_reproducible_draws():
    draws = {}
    for seed, epoch in ((5, 1), (5, 2), (6, 1), (5, 1)):
        seed_torch(seed, epoch)
        draws.setdefault((seed, epoch), []).append(torch.rand(4))
    torch.testing.assert_close(draws[(5, 1)][0], draws[(5, 1)][1], rtol=0, atol=0)
    assert not torch.equal(draws[(5, 1)][0], draws[(5, 2)][0])
    assert not torch.equal(draws[(5, 1)][0], draws[(6, 1)][0])
